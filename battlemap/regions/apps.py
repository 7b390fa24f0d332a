from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "battlemap.regions"
    label = "regions"
    verbose_name = _("行政区划")

    def ready(self):
        from . import actions  # noqa: F401  (declares the app's actions)
