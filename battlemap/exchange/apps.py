from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "battlemap.exchange"
    verbose_name = _("Excel 导入导出")

    def ready(self):
        from . import registry_export, registry_import  # noqa: F401  (register the job handlers)
