"""battlemap bulletin: generate the daily bulletin (日通报) of each county (or one region)."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from battlemap.board.bulletins import bulletin_generate
from battlemap.regions.commands import command_actor, date_arg, region_arg
from battlemap.regions.models import Region


class Command(BaseCommand):
    help = "Generate the daily bulletin of every top region (or --region) for a date."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--region", help="6 or 9-digit division code (default: every county)")

    def handle(self, *args, **options):
        date = date_arg(options["date"]) if options["date"] else timezone.localdate()
        regions = (
            [region_arg(options["region"])]
            if options["region"]
            else list(Region.objects.filter(parent__isnull=True).order_by("code"))
        )
        for region in regions:
            bulletin = bulletin_generate(actor=command_actor("bulletin"), region=region, date=date)
            f = bulletin.content["figures"]
            self.stdout.write(
                _("%(r)s %(d)s 日通报已生成：逾期节点%(l)d个，未报日报告%(m)d个。")
                % {
                    "r": region.name,
                    "d": date.isoformat(),
                    "l": len(bulletin.content["late"]),
                    "m": f["reports_due"] - f["reports_filed"],
                }
            )
