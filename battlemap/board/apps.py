from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoardConfig(AppConfig):
    name = "battlemap.board"
    label = "board"
    verbose_name = _("作战图")

    def ready(self):
        from battlemap.core.views import register_landing

        from . import actions  # noqa: F401  (declares the app's actions)
        from .landing import map_landing

        register_landing(10, map_landing)

        from battlemap.core.changes import on_regions_changed

        from .rollups import refresh_regions

        on_regions_changed(refresh_regions)

        from .bulletins import schedule_bulletins

        schedule_bulletins()

        from battlemap.audit.display import audit_term

        from .bulletins import figures_shown

        audit_term("board.bulletin", "figures", _("主要数字"), figures_shown)
