"""`battlemap worker`: run background jobs as they are queued, and the daily schedules."""

import os
import threading

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import Worker

from battlemap.jobs.schedule import fire_due


class Command(BaseCommand):
    help = _("运行后台任务（导入、通报等）和每日定时任务；与网站一同运行。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help=_("处理完排队的任务后退出（不运行定时任务）。")
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help=_("空闲时的查询间隔（秒）。")
        )

    def handle(self, *args, batch: bool, interval: float, **options):
        worker = Worker(
            queue_names=["default"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"battlemap-{os.getpid()}",
            excluded_queue_names=[],
        )
        if not batch:
            stop = threading.Event()
            threading.Thread(target=self._schedules, args=(stop,), daemon=True).start()
            worker.configure_signals()
            self.stdout.write(_("后台任务程序已启动。"))
        worker.run()

    def _schedules(self, stop: threading.Event) -> None:
        while True:
            try:
                for name in fire_due():
                    self.stdout.write(_("定时任务“%(n)s”已触发。") % {"n": name})
            finally:
                close_old_connections()
            if stop.wait(30):
                return
