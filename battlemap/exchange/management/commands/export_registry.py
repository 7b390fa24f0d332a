"""battlemap export_registry --region CODE FILE.xlsx: the registry workbook of a region."""

from django.utils.translation import gettext_lazy as _

from battlemap.exchange.commands import ExportCommand


class Command(ExportCommand):
    help = _("导出一个区划的建档立卡人员表（与导入模板格式相同）。")
    kind = "registry"
