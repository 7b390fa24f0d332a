"""battlemap demo_logins: print the demo accounts and where their password comes from."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from battlemap.demo.loader import DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **options):
        source = (
            "BATTLEMAP_DEMO_PASSWORD"
            if os.environ.get("BATTLEMAP_DEMO_PASSWORD")
            else _("默认值，可用 BATTLEMAP_DEMO_PASSWORD 修改")
        )
        self.stdout.write(
            _("演示账户（密码：%(p)s，%(s)s）：") % {"p": settings.DEMO_PASSWORD, "s": source}
        )
        for username, role, code, _superuser in DEMO_USERS:
            self.stdout.write(f"  {username:<20} {role.label}  {code}")
