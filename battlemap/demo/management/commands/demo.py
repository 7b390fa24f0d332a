"""battlemap demo: build the demo county (绩溪县) with its synthetic 2014–2020 history,
and a few projects of this year under way today."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from battlemap.demo.builder import generate
from battlemap.demo.loader import load
from battlemap.regions.commands import command_actor
from battlemap.regions.models import Region
from battlemap.registry.models import Household


class Command(BaseCommand):
    help = "Build the demo county on the real division codes of 绩溪县 (341824)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="multiply households and persons")
        parser.add_argument("--seed", type=int, default=20191130)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when the database holds data"
        )

    def handle(self, *args, **options):
        if options["scale"] < 1:
            raise CommandError(_("--scale 须为正整数。"))
        if Region.objects.exists() or Household.objects.exists():
            if options["if_empty"]:
                self.stdout.write(_("数据库中已有数据，跳过演示数据。"))
                return
            raise CommandError(
                _(
                    "数据库中已有数据：演示数据只能载入空数据库。要重建，请先清空数据库（battlemap flush）。"
                )
            )
        started = time.monotonic()
        self.stdout.write(_("正在生成演示县（规模×%(s)d）……") % {"s": options["scale"]})
        # The projects under way are dated from today; the history is fixed.
        scenario = generate(
            seed=options["seed"], scale=options["scale"], today=timezone.localdate()
        )
        self.stdout.write(
            _("正在写入：%(h)d户，%(p)d人……")
            % {"h": len(scenario.households), "p": len(scenario.persons)}
        )
        load(scenario, actor=command_actor("demo"))
        self.stdout.write(_("演示数据已载入（%(t).1f秒）。") % {"t": time.monotonic() - started})
