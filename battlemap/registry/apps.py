from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "battlemap.registry"
    label = "registry"
    verbose_name = _("建档立卡")

    def ready(self):
        from battlemap.core.views import register_landing

        from . import actions, figures, workbooks  # noqa: F401  (the app's declarations)
        from .landing import households_landing

        register_landing(30, households_landing)
