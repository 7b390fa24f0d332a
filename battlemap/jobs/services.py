"""Starting and running background jobs.

A job is started by a view or a command (`job_start`), which stores its input files
under `var/jobs/<id>/` and enqueues it once the transaction commits; `battlemap worker`
runs it (imports on a queue of their own, one after another; exports and bulletins on
another, beside them). The work itself is a handler registered per kind (`@handler("import_registry")`)
that reports its progress through the `Progress` it is given. Progress is written
outside the handler's own transaction, so the page sees it while the work goes on.

A worker that dies (killed, out of memory) cannot say so: while a job runs, its worker
touches `heartbeat_at`; `jobs_reap` (at every worker start and every quarter minute)
fails the running jobs whose worker is gone. Job files hold clear ID numbers: they are
written readable by the service user only (0600 files in 0700 folders).
"""

import datetime as dt
import logging
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from battlemap.core.errors import DomainError

from .models import Job

logger = logging.getLogger(__name__)

# A handler returns its result: optional "message", "summary" ([label, value] rows),
# "lines" (messages listed under it), "files" ({name in the job's folder: {"label",
# "filename"}}); a refusal raises JobFailed with such a result.
Handler = Callable[[Job, "Progress"], dict]
HANDLERS: dict[str, Handler] = {}
QUEUES: dict[str, str] = {}  # kind -> queue name ("imports" or "default")
IMPORTS_QUEUE, DEFAULT_QUEUE = "imports", "default"
# Set by `battlemap worker`: "host:pid" of this process, written on the jobs it runs.
WORKER_ID = ""
HEARTBEAT_SECONDS = 10


class JobFailed(DomainError):
    """The work refused its input (a bad file...): the job fails with a result to show."""

    def __init__(self, message: str, result: dict | None = None):
        self.result = result or {}
        super().__init__(message)


def handler(kind: str, *, queue: str = DEFAULT_QUEUE) -> Callable[[Handler], Handler]:
    """Register the work of a kind of job; writers of the registry go on the imports queue,
    so that on SQLite they run one after another while the others run beside them."""

    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        QUEUES[kind] = queue
        return fn

    return register


def jobs_root() -> Path:
    return Path(settings.VAR_DIR) / "jobs"


def job_dir(job: Job) -> Path:
    path = jobs_root() / str(job.id)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    jobs_root().chmod(0o700)
    return path


def write_private(path: Path, content: bytes) -> None:
    """Write a job file readable by the service user only, whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        os.fchmod(out.fileno(), 0o600)  # an existing file keeps its mode through O_CREAT
        out.write(content)


class Progress:
    """How far a job got: `progress(done, total, stage)`, saved at most twice a second."""

    def __init__(self, job: Job | None = None, echo: Callable[[str, int, int], None] | None = None):
        self.job, self.echo = job, echo
        self.done, self.total, self.stage = 0, 0, ""
        self._saved = 0.0

    def __call__(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        changed_stage = stage is not None and stage != self.stage
        self.done = done
        if total is not None:
            self.total = total
        if stage is not None:
            self.stage = stage
        now = time.monotonic()
        if not changed_stage and now - self._saved < 0.5 and done < self.total:
            return
        self._saved = now
        if self.echo is not None:
            self.echo(self.stage, self.done, self.total)
        if self.job is not None:
            Job.objects.filter(pk=self.job.pk).update(
                done=self.done, total=self.total, stage=self.stage[:200]
            )


def job_start(
    *,
    owner,
    kind: str,
    title: str,
    params: dict | None = None,
    files: dict[str, bytes] | None = None,
) -> Job:
    """Create a job, store its input files, and queue it to run once this transaction commits."""
    if kind not in HANDLERS:
        raise DomainError(_("未知的任务类型“%(k)s”。") % {"k": kind})
    job = Job.objects.create(
        kind=kind,
        title=title[:200],
        owner=owner if owner and owner.pk else None,
        params=params or {},
    )
    folder = job_dir(job)
    for name, content in (files or {}).items():
        write_private(folder / Path(name).name, content)
    queue = QUEUES.get(kind, DEFAULT_QUEUE)
    transaction.on_commit(lambda: run_job_task.using(queue_name=queue).enqueue(str(job.pk)))
    return job


def run_job(job_id, *, echo=None) -> Job:
    """Run a queued job to its end; the outcome is on the Job row, never raised."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return job
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, started_at=now, heartbeat_at=now, worker=WORKER_ID
    )
    state, result, message = Job.State.SUCCEEDED, {}, ""
    try:
        result = HANDLERS[job.kind](job, Progress(job, echo)) or {}
        message = result.pop("message", "")
    except JobFailed as exc:
        state, result, message = Job.State.FAILED, exc.result, str(exc)
    except DomainError as exc:
        state, message = Job.State.FAILED, str(exc)
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        state = Job.State.FAILED
        message = _("任务因内部错误中止，数据未作任何改动。请联系系统管理员查看日志。")
    # Only a job still running is finished here: one the reaper failed meanwhile stays so.
    Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
        state=state, result=result, message=message, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive, and not ours to judge
    return True


def _worker_dead(worker: str, *, starting: bool) -> bool:
    """True when `worker` ("host:pid") ran on this machine and that process is gone; at a
    worker's start its own id is dead too (a container's worker is often pid 1 again)."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if worker == WORKER_ID:
        return starting
    return not _alive(int(pid))


def jobs_heartbeat() -> int:
    """This worker is alive: touch the jobs it runs."""
    if not WORKER_ID:
        return 0
    return Job.objects.filter(worker=WORKER_ID, state=Job.State.RUNNING).update(
        heartbeat_at=timezone.now()
    )


def jobs_reap(*, starting: bool = False, now: dt.datetime | None = None) -> list[Job]:
    """Fail the running jobs whose worker died: its process is gone (same machine), or it
    has not beaten for BATTLEMAP_JOB_STALE_SECONDS (another machine, or a job from before
    heartbeats). Their uploads are deleted and their queue rows marked failed."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.BATTLEMAP_JOB_STALE_SECONDS)
    reaped = []
    for job in Job.objects.filter(state=Job.State.RUNNING):
        beaten = job.heartbeat_at or job.started_at
        if not (beaten is None or beaten < stale or _worker_dead(job.worker, starting=starting)):
            continue
        failed = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
            state=Job.State.FAILED,
            finished_at=now,
            message=_(
                "任务中断：运行它的后台任务程序意外停止（被终止、重启或内存不足），"
                "数据未作任何改动。请重新发起此任务；如再次中断，请联系系统管理员。"
            ),
        )
        if not failed:
            continue  # it ended meanwhile
        stored = job.params.get("stored") if isinstance(job.params, dict) else None
        if stored:  # an upload holds clear ID numbers: not kept once its job is over
            (jobs_root() / str(job.pk) / Path(stored).name).unlink(missing_ok=True)
        logger.warning("job %s (%s) failed: its worker %s died", job.pk, job.kind, job.worker)
        job.refresh_from_db()
        reaped.append(job)
    if reaped:
        ids = {str(job.pk) for job in reaped}
        for row in DBTaskResult.objects.filter(status="RUNNING"):
            args = (row.args_kwargs or {}).get("args") or []
            if args and str(args[0]) in ids:
                row.set_failed(RuntimeError(f"worker {row.worker_ids[-1:]} died"))
    return reaped


def job_files_repair() -> int:
    """Make every job folder 0700 and file 0600 (installations from before this rule);
    returns how many modes were changed."""
    root = jobs_root()
    if not root.exists():
        return 0
    changed = 0
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = 0o700 if path.is_dir() else 0o600
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
            changed += 1
    return changed


@task()
def run_job_task(job_id: str) -> None:
    run_job(job_id)
