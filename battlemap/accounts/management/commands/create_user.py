"""battlemap create_user USERNAME --role ROLE --region CODE: an account holding a role.

For the first county administrator of an installation (who then creates every other
account at /users/) and for scripts. Prints the generated initial password once.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from battlemap.accounts.roles import REGION_ROLES
from battlemap.accounts.services import user_create
from battlemap.core.errors import DomainError
from battlemap.regions.commands import command_actor, region_arg


class Command(BaseCommand):
    help = "Create an account holding ROLE over the region CODE; prints its initial password."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in REGION_ROLES])
        parser.add_argument("--region", required=True, help="6, 9 or 12-digit division code")
        parser.add_argument("--name", default="", help="the person's name")
        parser.add_argument("--staff", action="store_true", help="may open the Django admin")

    def handle(self, *args, **options):
        region = region_arg(options["region"])
        try:
            user, password = user_create(
                actor=command_actor("create_user"),
                username=options["username"],
                full_name=options["name"],
                role=options["role"],
                region=region,
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        if options["staff"]:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        self.stdout.write(
            _("已创建 %(u)s（%(r)s，%(g)s），初始密码：%(p)s")
            % {"u": user.username, "r": options["role"], "g": region, "p": password}
        )
