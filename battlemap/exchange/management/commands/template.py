"""battlemap template KIND FILE.xlsx: the empty workbook to fill in (registry, projects)."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from battlemap.exchange.kinds import KINDS


class Command(BaseCommand):
    help = _("写出一种工作簿的导入模板（如 registry、projects）。")

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(KINDS))
        parser.add_argument("file")

    def handle(self, *args, name: str, file: str, **options):
        Path(file).write_bytes(KINDS[name].template())
        self.stdout.write(_("模板已写入%(f)s。") % {"f": file})
