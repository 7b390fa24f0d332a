from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "battlemap.exchange"
    verbose_name = _("Excel 导入导出")

    def ready(self):
        # After the domain apps' ready(): every kind is registered by now.
        from .kinds import register_handlers

        register_handlers()
