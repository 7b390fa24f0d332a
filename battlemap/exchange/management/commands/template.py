"""battlemap template registry FILE.xlsx: the empty registry workbook to fill in."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from battlemap.exchange.registry_workbook import template_bytes

TEMPLATES = {"registry": template_bytes}


class Command(BaseCommand):
    help = _("写出导入模板：registry（建档立卡人员表）。")

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(TEMPLATES))
        parser.add_argument("file")

    def handle(self, *args, name: str, file: str, **options):
        Path(file).write_bytes(TEMPLATES[name]())
        self.stdout.write(_("模板已写入%(f)s。") % {"f": file})
