"""battlemap import_registry FILE: the registry workbook (.xlsx) or its person sheet (.csv)."""

from django.utils.translation import gettext_lazy as _

from battlemap.exchange.commands import ImportCommand


class Command(ImportCommand):
    help = _("导入建档立卡人员表（.xlsx，或只含人员表的 .csv）；有错误时不作任何改动。")
    kind = "registry"
