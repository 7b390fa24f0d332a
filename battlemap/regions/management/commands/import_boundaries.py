"""battlemap import_boundaries FILE.geojson: real region boundaries, matched by code."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from battlemap.core.tabular import ImportFailed
from battlemap.regions.commands import command_actor
from battlemap.regions.services import regions_import_boundaries


class Command(BaseCommand):
    help = "Import region boundaries from a GeoJSON FeatureCollection (property `code`)."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError) as exc:
            raise CommandError(
                _("无法读取文件%(f)s：%(e)s") % {"f": options["file"], "e": exc}
            ) from None
        try:
            changed = regions_import_boundaries(actor=command_actor("import_boundaries"), data=data)
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(error.line())
            raise CommandError(str(exc.message)) from None
        if not changed:
            self.stdout.write(_("没有变化：边界与系统中已有的一致。"))
        else:
            self.stdout.write(_("已导入%(n)d个区划的边界。") % {"n": changed})
