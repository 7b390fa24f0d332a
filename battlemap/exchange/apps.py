from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "battlemap.exchange"
    verbose_name = _("Excel 导入导出")

    def ready(self):
        from . import kinds  # noqa: F401  (registers the import and export job handlers)
