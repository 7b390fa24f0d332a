"""battlemap export KIND --region CODE FILE.xlsx: any registered workbook kind of a region."""

from django.utils.translation import gettext_lazy as _

from battlemap.exchange.commands import ExportCommand


class Command(ExportCommand):
    help = _("导出一个区划的一种工作簿（如 registry、projects），格式与导入模板相同。")
