"""A job whose worker died is failed with words; job files are the service user's only."""

import datetime as dt
import socket
import stat

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from battlemap.jobs import services
from battlemap.jobs.models import Job
from battlemap.jobs.services import (
    HANDLERS,
    handler,
    job_dir,
    job_files_repair,
    job_start,
    jobs_heartbeat,
    jobs_reap,
    jobs_root,
)

DEAD_PID = 4_194_303  # above any pid_max this suite runs under: never a live process


@pytest.fixture
def handlers():
    saved = (dict(HANDLERS), dict(services.QUEUES))

    @handler("test_noop")
    def noop(job, progress):
        return {}

    @handler("test_write", queue=services.IMPORTS_QUEUE)
    def write(job, progress):
        services.write_private(job_dir(job) / "out.txt", b"clear 341824197011256534")
        return {"files": {"out.txt": {"label": "out", "filename": "out.txt"}}}

    yield
    HANDLERS.clear()
    HANDLERS.update(saved[0])
    services.QUEUES.clear()
    services.QUEUES.update(saved[1])


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def running(job, *, worker: str, beat_seconds_ago: float | None):
    """The job as a worker left it: claimed, running, its task row RUNNING too."""
    beat = None
    if beat_seconds_ago is not None:
        beat = timezone.now() - dt.timedelta(seconds=beat_seconds_ago)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, worker=worker, heartbeat_at=beat, started_at=timezone.now()
    )
    DBTaskResult.objects.filter(args_kwargs__args=[str(job.pk)]).update(
        status="RUNNING", worker_ids=[f"{worker}:imports"]
    )


def start(title="x", kind="test_noop", files=None, capture=None):
    with capture(execute=True):
        return job_start(owner=None, kind=kind, title=title, files=files)


def test_a_job_whose_worker_process_is_gone_fails_with_words_at_once(
    db, handlers, django_capture_on_commit_callbacks
):
    here = socket.gethostname()
    job = start(
        kind="test_write",
        files={"upload.xlsx": b"clear ID numbers"},
        capture=django_capture_on_commit_callbacks,
    )
    Job.objects.filter(pk=job.pk).update(params={"stored": "upload.xlsx"})
    running(job, worker=f"{here}:{DEAD_PID}", beat_seconds_ago=1)
    alive = start(title="alive", capture=django_capture_on_commit_callbacks)
    running(alive, worker=f"{here}:1", beat_seconds_ago=1)  # pid 1 lives

    assert [j.pk for j in jobs_reap()] == [job.pk]

    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.finished_at
    assert "意外停止" in job.message and "数据未作任何改动" in job.message
    assert not (job_dir(job) / "upload.xlsx").exists()  # the upload is not kept
    task = DBTaskResult.objects.get(args_kwargs__args=[str(job.pk)])
    assert task.status == "FAILED" and task.finished_at
    assert Job.objects.get(pk=alive.pk).state == Job.State.RUNNING


def test_a_job_whose_worker_stopped_beating_fails_and_a_beating_one_does_not(
    db, handlers, django_capture_on_commit_callbacks, settings
):
    settings.BATTLEMAP_JOB_STALE_SECONDS = 45
    silent = start(title="silent", capture=django_capture_on_commit_callbacks)
    running(silent, worker="another-host:7", beat_seconds_ago=60)
    beating = start(title="beating", capture=django_capture_on_commit_callbacks)
    running(beating, worker="another-host:8", beat_seconds_ago=10)
    legacy = start(title="legacy", capture=django_capture_on_commit_callbacks)
    running(legacy, worker="", beat_seconds_ago=None)  # left by a worker before heartbeats
    Job.objects.filter(pk=legacy.pk).update(started_at=timezone.now() - dt.timedelta(hours=3))

    reaped = {j.title for j in jobs_reap()}

    assert reaped == {"silent", "legacy"}
    assert Job.objects.get(pk=beating.pk).state == Job.State.RUNNING


def test_the_heartbeat_keeps_this_workers_jobs_alive(
    db, handlers, django_capture_on_commit_callbacks, settings, monkeypatch
):
    settings.BATTLEMAP_JOB_STALE_SECONDS = 45
    monkeypatch.setattr(services, "WORKER_ID", f"{socket.gethostname()}:424242")
    mine = start(title="mine", capture=django_capture_on_commit_callbacks)
    running(mine, worker=services.WORKER_ID, beat_seconds_ago=600)
    theirs = start(title="theirs", capture=django_capture_on_commit_callbacks)
    running(theirs, worker="another-host:9", beat_seconds_ago=600)

    assert jobs_heartbeat() == 1
    # Running, it is alive; at its start a worker's own id is a previous life (pid reuse).
    assert {j.title for j in jobs_reap()} == {"theirs"}
    assert {j.title for j in jobs_reap(starting=True)} == {"mine"}


def test_the_worker_fails_stuck_jobs_and_repairs_file_modes_when_it_starts(
    transactional_db, handlers
):
    """The upgrade of an installation in service: its worker's start does the repair."""
    job = job_start(owner=None, kind="test_noop", title="stuck", files={"in.txt": b"x"})
    running(job, worker="", beat_seconds_ago=None)
    Job.objects.filter(pk=job.pk).update(started_at=timezone.now() - dt.timedelta(days=2))
    old = jobs_root() / "0ld-job"
    old.mkdir(mode=0o755)
    (old / "errors.xlsx").write_bytes(b"report")
    (old / "errors.xlsx").chmod(0o644)
    jobs_root().chmod(0o755)
    queued = job_start(owner=None, kind="test_noop", title="next")

    call_command("worker", batch=True, interval=0)

    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "意外停止" in job.message
    assert Job.objects.get(pk=queued.pk).state == Job.State.SUCCEEDED  # the next job runs
    assert (mode(jobs_root()), mode(old), mode(old / "errors.xlsx")) == (0o700, 0o700, 0o600)
    assert job_files_repair() == 0  # nothing left to repair


def test_job_files_are_readable_by_the_service_user_only(db, handlers, tmp_path):
    from battlemap.jobs.services import run_job

    job = job_start(owner=None, kind="test_write", title="w", files={"in.xlsx": b"upload"})
    folder = job_dir(job)
    assert (mode(folder), mode(folder / "in.xlsx")) == (0o700, 0o600)
    run_job(job.pk)
    assert mode(folder / "out.txt") == 0o600


def test_imports_have_a_queue_of_their_own(db, handlers, django_capture_on_commit_callbacks):
    from battlemap.exchange.kinds import KINDS  # noqa: F401  (registers the import kinds)

    start(title="i", kind="test_write", capture=django_capture_on_commit_callbacks)
    start(title="o", kind="test_noop", capture=django_capture_on_commit_callbacks)
    queues = dict(DBTaskResult.objects.values_list("args_kwargs__args__0", "queue_name"))
    assert sorted(queues.values()) == ["default", "imports"]
    assert services.QUEUES["import_registry"] == services.IMPORTS_QUEUE
    assert services.QUEUES["export_registry"] == services.DEFAULT_QUEUE
    assert services.QUEUES["bulletins"] == services.DEFAULT_QUEUE


def test_the_batch_worker_beats_for_the_job_it_runs(transactional_db, handlers, monkeypatch):
    """`worker --batch` runs jobs in its main thread: a thread of its own keeps them alive,
    or a long one would look dead to a worker running beside it."""
    import time

    from battlemap.jobs.management.commands import worker as command

    monkeypatch.setattr(command, "HEARTBEAT_SECONDS", 0.05)

    @handler("test_wait")
    def wait(job, progress):
        first = Job.objects.get(pk=job.pk).heartbeat_at
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if Job.objects.get(pk=job.pk).heartbeat_at != first:
                return {"message": "beaten"}
            time.sleep(0.05)
        return {"message": "no heartbeat"}

    job = job_start(owner=None, kind="test_wait", title="wait")
    call_command("worker", batch=True, interval=0)
    job.refresh_from_db()
    assert (job.state, job.message) == (Job.State.SUCCEEDED, "beaten")
