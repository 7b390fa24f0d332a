"""battlemap stats: the registry's and the projects' key figures for a region on a date."""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from battlemap.board.selectors import region_summary
from battlemap.regions.commands import date_arg, region_arg
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
    "projects_planned": gettext_noop("年度计划项目数"),
    "projects_completed": gettext_noop("已竣工项目数"),
    "funds_allocated": gettext_noop("下达专项资金（元）"),
    "funds_disbursed": gettext_noop("已支付资金（元）"),
    "expenditure_rate": gettext_noop("资金支出率"),
}
PROJECT_KEYS = (
    "projects_planned",
    "projects_completed",
    "funds_allocated",
    "funds_disbursed",
    "expenditure_rate",
)
MONEY = ("funds_allocated", "funds_disbursed")


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
            # Money as exact decimal strings of 元, never a float.
            shown = {k: str(v) if k in MONEY else v for k, v in figures.items()}
            self.stdout.write(json.dumps(shown, ensure_ascii=False))
            return
        self.stdout.write(f"{region.name}（{region.code}） {date.isoformat()}")
        for key in (*FIGURE_KEYS, *PROJECT_KEYS):
            value = figures[key]
            if key in ("poverty_incidence", "expenditure_rate"):
                shown = "—" if value is None else f"{value * 100:.2f}%"
            else:
                shown = f"{value:,}"
            self.stdout.write(f"  {_(LABELS[key])}: {shown}")
