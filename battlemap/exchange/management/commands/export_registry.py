"""battlemap export_registry --region CODE FILE.xlsx: the registry workbook of a region."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from battlemap.core.commands import command_actor, region_arg
from battlemap.exchange.registry_export import registry_export


class Command(BaseCommand):
    help = _("导出一个区划的建档立卡人员表（与导入模板格式相同）。")

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help=_("区划代码（6、9或12位）"))
        parser.add_argument("file")

    def handle(self, *args, region: str, file: str, **options):
        code = region_arg(region).code
        _name, content = registry_export(command_actor("export_registry"), code)
        Path(file).write_bytes(content)
        self.stdout.write(_("已导出到%(f)s。") % {"f": file})
