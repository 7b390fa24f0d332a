"""battlemap import KIND FILE: any registered workbook kind (registry, projects, …)."""

from django.utils.translation import gettext_lazy as _

from battlemap.exchange.commands import ImportCommand


class Command(ImportCommand):
    help = _("导入一种工作簿（如 registry、projects）；有错误时不作任何改动，并写出错误报告。")
