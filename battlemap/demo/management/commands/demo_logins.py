"""battlemap demo_logins: print the demo accounts and where their password comes from."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from battlemap.demo.loader import DEMO_USERS, PROJECT_OWNER
from battlemap.regions.models import Region


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
        names = Region.objects.in_bulk([code for _u, _r, code, _n, _s in DEMO_USERS])
        for username, role, code, _name, _staff in DEMO_USERS:
            region = names[code].name if code in names else ""
            self.stdout.write(f"  {username:<18} {role.label}  {region}（{code}）")
        self.stdout.write(
            f"  {PROJECT_OWNER:<18} "
            + _("项目责任人（无区划角色，只见本人负责的项目，可填报日报告）")
        )
