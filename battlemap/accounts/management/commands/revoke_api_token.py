"""battlemap revoke_api_token USERNAME [PREFIX]: revoke a user's token (or all of them)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from battlemap.accounts.models import ApiToken
from battlemap.accounts.services import api_token_revoke
from battlemap.regions.commands import command_actor


class Command(BaseCommand):
    help = "Revoke USERNAME's API token starting with PREFIX, or all their tokens."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("prefix", nargs="?", default="")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(_("用户“%(u)s”不存在。") % {"u": options["username"]})
        tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        if options["prefix"]:
            tokens = tokens.filter(prefix__startswith=options["prefix"][:10])
        tokens = list(tokens)
        if not tokens:
            raise CommandError(_("没有可撤销的令牌。"))
        for token in tokens:
            api_token_revoke(actor=command_actor("revoke_api_token"), token=token)
        self.stdout.write(_("已撤销%(n)d个令牌。") % {"n": len(tokens)})
