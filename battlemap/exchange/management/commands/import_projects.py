"""battlemap import_projects FILE: the project library workbook (.xlsx)."""

from django.utils.translation import gettext_lazy as _

from battlemap.exchange.commands import ImportCommand


class Command(ImportCommand):
    help = _("导入扶贫项目库（.xlsx）；有错误时不作任何改动。")
    kind = "projects"
