"""`battlemap worker`: run background jobs as they are queued, and the daily schedules.

One process, several slots (threads, each with its own database connection): one slot
runs the imports queue, one after another (on SQLite writes stay one at a time); the
others (BATTLEMAP_WORKER_SLOTS) run exports and bulletins beside it. The main thread
fires the daily schedules (which only queue a job, so they never wait behind an
import), beats for the running jobs, and fails the jobs of workers that died.
"""

import os
import signal
import socket
import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import Worker

from battlemap.jobs import services
from battlemap.jobs.schedule import fire_due
from battlemap.jobs.services import (
    DEFAULT_QUEUE,
    HEARTBEAT_SECONDS,
    IMPORTS_QUEUE,
    job_files_repair,
    jobs_heartbeat,
    jobs_reap,
)

REAP_SECONDS = 15
SCHEDULE_SECONDS = 30


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
        os.umask(0o077)  # whatever a job writes is the service user's only
        services.WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"
        database = connections["default"].settings_dict
        if database["ENGINE"] == "django.db.backends.sqlite3":
            # Wait for an import's transaction rather than fail with "database is locked".
            database.setdefault("OPTIONS", {})["timeout"] = settings.BATTLEMAP_WORKER_DB_TIMEOUT
        self._repair()
        if batch:
            stop = threading.Event()
            threading.Thread(target=self._beat, args=(stop,), daemon=True).start()
            try:
                self._worker([IMPORTS_QUEUE, DEFAULT_QUEUE], "batch", interval, batch=True).run()
            finally:
                stop.set()
            return
        workers = [self._worker([IMPORTS_QUEUE], "imports", interval)] + [
            self._worker([DEFAULT_QUEUE], f"jobs{n}", interval)
            for n in range(1, max(1, settings.BATTLEMAP_WORKER_SLOTS) + 1)
        ]
        stop = threading.Event()

        def shutdown(signum, frame):
            if stop.is_set():  # a second signal: do not wait for the running jobs
                os._exit(1)
            stop.set()
            for worker in workers:
                worker.running = False

        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, shutdown)
        threads = [
            threading.Thread(target=self._slot, args=(w,), name=w.worker_id, daemon=True)
            for w in workers
        ]
        for thread in threads:
            thread.start()
        self.stdout.write(
            _("后台任务程序已启动（%(n)d个任务槽，导入逐个运行）。") % {"n": len(workers)}
        )
        self._loop(stop, threads)
        for thread in threads:  # the running jobs end first (a second signal cuts them)
            thread.join()
        sys.exit(0)

    def _worker(self, queues, slot: str, interval: float, batch: bool = False) -> Worker:
        return Worker(
            queue_names=queues,
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{services.WORKER_ID}:{slot}"[:64],
            excluded_queue_names=[],
        )

    def _slot(self, worker: Worker) -> None:
        try:
            worker.run()
        finally:
            close_old_connections()

    def _beat(self, stop: threading.Event) -> None:
        """Batch mode's heartbeat (the main thread runs the jobs there)."""
        while not stop.wait(HEARTBEAT_SECONDS):
            try:
                jobs_heartbeat()
            except Exception:
                services.logger.exception("worker heartbeat failed")
            finally:
                close_old_connections()

    def _repair(self) -> None:
        """At start: the jobs a dead worker left running are failed, and job files from
        before the 0600 rule (an upgrade) are made private."""
        reaped = jobs_reap(starting=True)
        changed = job_files_repair()
        if reaped:
            self.stdout.write(_("%(n)d个中断的任务已标记为失败。") % {"n": len(reaped)})
        if changed:
            self.stdout.write(_("%(n)d个任务文件的权限已改为仅本服务可读。") % {"n": changed})

    def _loop(self, stop: threading.Event, threads) -> None:
        ticks = 0
        while not stop.is_set() and any(t.is_alive() for t in threads):
            try:
                jobs_heartbeat()
                if ticks % (REAP_SECONDS // 5) == 0:
                    jobs_reap()
                if ticks % (SCHEDULE_SECONDS // 5) == 0:
                    for name in fire_due():
                        self.stdout.write(_("定时任务“%(n)s”已触发。") % {"n": name})
            except Exception:  # a database hiccup must not stop the worker
                services.logger.exception("worker housekeeping failed")
            finally:
                close_old_connections()
            ticks += 1
            stop.wait(min(5, HEARTBEAT_SECONDS))
