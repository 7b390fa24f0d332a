"""battlemap create_api_token USERNAME: print a new API token for that user.

The token acts as the user (the same roles, the same scope); only its digest is stored,
so this is the one time it is shown. Revoke it with battlemap revoke_api_token.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from battlemap.accounts.services import api_token_create
from battlemap.core.errors import DomainError
from battlemap.regions.commands import command_actor


class Command(BaseCommand):
    help = "Print a new API token for USERNAME (Authorization: Token <token>)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("用户“%(u)s”不存在。") % {"u": options["username"]})
        try:
            _row, token = api_token_create(
                actor=command_actor("create_api_token"), user=user, name=options["name"]
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(token)
