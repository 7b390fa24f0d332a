"""battlemap rebuild_rollups: recompute every battle-map figure from the records."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from battlemap.board.rollups import rollups_rebuild
from battlemap.regions.commands import command_actor


class Command(BaseCommand):
    help = "Recompute all rollups (the battle map's figures) from the records."

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = rollups_rebuild(actor=command_actor("rebuild_rollups"))
        self.stdout.write(
            _("汇总数已重建：%(n)d行，用时%(t).1f秒。")
            % {"n": rows, "t": time.monotonic() - started}
        )
