"""`battlemap prune_jobs [--days N]`: delete finished jobs older than N days, files and all.

Error reports are users' own workbooks (clear ID numbers included): keep them no longer
than the county's retention rule says. A job still queued or running after the whole
retention period is stuck (its worker died, or none ever ran): it goes too, with its files.
"""

import datetime as dt
import shutil

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from battlemap.jobs.models import Job
from battlemap.jobs.services import job_dir


class Command(BaseCommand):
    help = _("删除N天前已结束的后台任务及其文件（错误报告含证件号码，不宜久存）。")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help=_("保留天数（默认30）。"))

    def handle(self, *args, days: int, **options):
        cutoff = timezone.now() - dt.timedelta(days=days)
        old = Job.objects.filter(
            Q(state__in=[Job.State.SUCCEEDED, Job.State.FAILED], finished_at__lt=cutoff)
            | Q(state__in=[Job.State.QUEUED, Job.State.RUNNING], created_at__lt=cutoff)
        )
        count = 0
        for job in old:
            shutil.rmtree(job_dir(job), ignore_errors=True)
            job.delete()
            count += 1
        self.stdout.write(_("已删除%(n)d个后台任务及其文件。") % {"n": count})
