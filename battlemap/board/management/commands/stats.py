"""battlemap stats: the registry's key figures for a region on a date."""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from battlemap.board.selectors import region_summary
from battlemap.core.commands import date_arg, region_arg
from battlemap.registry.selectors import FIGURE_KEYS

# Marked with gettext_noop so makemessages extracts them; translated when printed.
LABELS = {
    "households_registered": gettext_noop("建档立卡户数"),
    "persons_registered": gettext_noop("建档立卡人数"),
    "households_poor": gettext_noop("未脱贫户数"),
    "persons_poor": gettext_noop("未脱贫人数"),
    "rural_population": gettext_noop("农村户籍人口"),
    "poverty_incidence": gettext_noop("贫困发生率"),
    "poor_villages": gettext_noop("贫困村数"),
    "poor_villages_exited": gettext_noop("已出列贫困村数"),
}


class Command(BaseCommand):
    help = "Print the registry figures of a region on a date (JSON with --format json)."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="6, 9 or 12-digit division code")
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, **options):
        region = region_arg(options["region"])
        date = date_arg(options["date"]) if options["date"] else timezone.localdate()
        figures = region_summary(region, date)
        if options["format"] == "json":
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        self.stdout.write(f"{region.name}（{region.code}） {date.isoformat()}")
        for key in FIGURE_KEYS:
            value = figures[key]
            if key == "poverty_incidence":
                shown = "—" if value is None else f"{value * 100:.2f}%"
            else:
                shown = f"{value:,}"
            self.stdout.write(f"  {_(LABELS[key])}: {shown}")
