"""battlemap export_projects --region CODE FILE.xlsx: the project library of a region."""

from django.utils.translation import gettext_lazy as _

from battlemap.exchange.commands import ExportCommand


class Command(ExportCommand):
    help = _("导出一个区划的扶贫项目库（与导入模板格式相同）。")
    kind = "projects"
