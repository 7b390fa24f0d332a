"""Starting and running background jobs.

A job is started by a view or a command (`job_start`), which stores its input files
under `var/jobs/<id>/` and enqueues it once the transaction commits; `battlemap worker`
runs it. The work itself is a handler registered per kind (`@handler("import_registry")`)
that reports its progress through the `Progress` it is given. Progress is written
outside the handler's own transaction, so the page sees it while the work goes on.
"""

import logging
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


class JobFailed(DomainError):
    """The work refused its input (a bad file...): the job fails with a result to show."""

    def __init__(self, message: str, result: dict | None = None):
        self.result = result or {}
        super().__init__(message)


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


def job_dir(job: Job) -> Path:
    path = Path(settings.VAR_DIR) / "jobs" / str(job.id)
    path.mkdir(parents=True, exist_ok=True)
    return path


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
        (folder / Path(name).name).write_bytes(content)
    transaction.on_commit(lambda: run_job_task.enqueue(str(job.pk)))
    return job


def run_job(job_id, *, echo=None) -> Job:
    """Run a queued job to its end; the outcome is on the Job row, never raised."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return job
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started_at=timezone.now())
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
    Job.objects.filter(pk=job.pk).update(
        state=state, result=result, message=message, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


@task()
def run_job_task(job_id: str) -> None:
    run_job(job_id)
