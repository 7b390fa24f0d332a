import datetime as dt
import zoneinfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from battlemap.core.errors import ValidationFailed
from battlemap.jobs import schedule
from battlemap.jobs.models import Job, ScheduleRun
from battlemap.jobs.services import HANDLERS, JobFailed, handler, job_dir, job_start, run_job
from tests import personas


@pytest.fixture
def handlers():
    saved = dict(HANDLERS)

    @handler("test_count")
    def count(job, progress):
        text = (job_dir(job) / "input.txt").read_text()
        lines = text.splitlines()
        for i, _line in enumerate(lines, start=1):
            progress(i, len(lines), "counting")
        (job_dir(job) / "out.txt").write_text(str(len(lines)))
        return {
            "summary": [["lines", len(lines)]],
            "files": {"out.txt": {"label": "count", "filename": "count.txt"}},
        }

    @handler("test_refuse")
    def refuse(job, progress):
        raise JobFailed("bad input", {"lines": ["row 2: wrong"]})

    @handler("test_crash")
    def crash(job, progress):
        raise RuntimeError("boom")

    @handler("test_domain")
    def domain(job, progress):
        raise ValidationFailed("not allowed")

    yield
    HANDLERS.clear()
    HANDLERS.update(saved)


def test_a_job_is_queued_on_commit_and_run_by_the_worker(transactional_db, handlers):
    # A real commit: the worker, like a real one, runs what was committed.
    owner = personas.outsider()
    job = job_start(
        owner=owner, kind="test_count", title="count", files={"input.txt": b"a\nb\nc\n"}
    )
    assert DBTaskResult.objects.count() == 1
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED

    call_command("worker", batch=True, interval=0)

    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED
    assert (job.done, job.total, job.stage) == (3, 3, "counting")
    assert job.result["summary"] == [["lines", 3]]
    assert job.percent == 100 and job.started_at and job.finished_at


def test_nothing_is_queued_when_the_transaction_rolls_back(
    db, handlers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job_start(owner=None, kind="test_count", title="count", files={"input.txt": b""})
    assert len(callbacks) == 1 and DBTaskResult.objects.count() == 0


@pytest.mark.parametrize(
    ("kind", "message"),
    [("test_refuse", "bad input"), ("test_domain", "not allowed"), ("test_crash", "内部错误")],
)
def test_a_failing_job_says_why(db, handlers, kind, message):
    job = run_job(job_start(owner=None, kind=kind, title="x").pk)
    assert job.state == Job.State.FAILED
    assert message in job.message
    if kind == "test_refuse":
        assert job.result == {"lines": ["row 2: wrong"]}


def test_only_the_owner_sees_a_job_and_only_its_listed_files(db, client, handlers):
    owner, other = personas.outsider("owner"), personas.outsider("other")
    job = run_job(
        job_start(owner=owner, kind="test_count", title="c", files={"input.txt": b"x\n"}).pk
    )
    urls = [
        reverse("jobs:detail", args=[job.pk]),
        reverse("jobs:progress", args=[job.pk]),
        reverse("jobs:file", args=[job.pk, "out.txt"]),
    ]
    client.force_login(other)
    assert [client.get(u).status_code for u in urls] == [404, 404, 404]
    client.force_login(owner)
    page = client.get(urls[0])
    assert page.status_code == 200 and "count" in page.content.decode()
    download = client.get(urls[2])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"1"
    assert 'filename="count.txt"' in download["Content-Disposition"]
    # The input is not a result: not downloadable, even by the owner.
    assert client.get(reverse("jobs:file", args=[job.pk, "input.txt"])).status_code == 404


def test_the_progress_fragment_polls_until_the_job_ends(db, client, handlers):
    owner = personas.outsider()
    job = job_start(owner=owner, kind="test_count", title="c", files={"input.txt": b"x\n"})
    client.force_login(owner)
    fragment = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "<progress" in fragment
    run_job(job.pk)
    fragment = client.get(reverse("jobs:progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in fragment and "<progress" not in fragment


def test_a_daily_schedule_fires_once_a_day_when_its_time_has_come(db):
    fired = []
    saved = dict(schedule.SCHEDULES)
    schedule.SCHEDULES.clear()  # this test's schedule only: apps register theirs (the bulletin)
    schedule.daily("test_daily", at=lambda: dt.time(18, 0))(fired.append)
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    try:
        assert schedule.fire_due(dt.datetime(2026, 5, 1, 17, 59, tzinfo=shanghai)) == []
        assert schedule.fire_due(dt.datetime(2026, 5, 1, 18, 0, tzinfo=shanghai)) == ["test_daily"]
        assert schedule.fire_due(dt.datetime(2026, 5, 1, 23, 0, tzinfo=shanghai)) == []
        # A worker started late the next day still fires that day's run.
        assert schedule.fire_due(dt.datetime(2026, 5, 2, 21, 0, tzinfo=shanghai)) == ["test_daily"]
    finally:
        schedule.SCHEDULES.clear()
        schedule.SCHEDULES.update(saved)
    assert fired == [dt.date(2026, 5, 1), dt.date(2026, 5, 2)]
    assert ScheduleRun.objects.filter(name="test_daily").count() == 2


def test_prune_deletes_old_finished_and_stuck_jobs_and_their_files_only(db, handlers):
    from django.utils import timezone

    old = run_job(
        job_start(owner=None, kind="test_count", title="old", files={"input.txt": b"x\n"}).pk
    )
    recent = run_job(
        job_start(owner=None, kind="test_count", title="new", files={"input.txt": b"x\n"}).pk
    )
    queued = job_start(owner=None, kind="test_count", title="queued", files={"input.txt": b"x\n"})
    stuck = job_start(owner=None, kind="test_count", title="stuck", files={"input.txt": b"x\n"})
    job_start(owner=None, kind="test_count", title="waiting", files={"input.txt": b"x\n"})
    long_ago = timezone.now() - dt.timedelta(days=40)
    Job.objects.filter(pk__in=[old.pk, queued.pk, stuck.pk]).update(
        finished_at=long_ago, created_at=long_ago
    )
    Job.objects.filter(pk=stuck.pk).update(state=Job.State.RUNNING, finished_at=None)
    stuck_folder = job_dir(stuck)
    old_folder = job_dir(old)
    assert (old_folder / "out.txt").exists()
    call_command("prune_jobs", "--days", "30")
    # A job still queued (or running) after the whole retention period is stuck: gone too.
    assert set(Job.objects.values_list("title", flat=True)) == {"new", "waiting"}
    assert not stuck_folder.exists()
    assert not old_folder.exists() and (job_dir(recent) / "out.txt").exists()


def test_the_jobs_page_lists_the_users_own_jobs_newest_first_with_state_and_files(
    db, client, handlers
):
    from django.utils import timezone

    owner, other = personas.outsider("owner"), personas.outsider("other")
    done = run_job(
        job_start(owner=owner, kind="test_count", title="数一数", files={"input.txt": b"x\n"}).pk
    )
    failed = run_job(job_start(owner=owner, kind="test_refuse", title="拒绝的文件").pk)
    waiting = job_start(owner=owner, kind="test_count", title="排队的", files={"input.txt": b""})
    job_start(owner=other, kind="test_count", title="别人的任务", files={"input.txt": b""})
    now = timezone.now()
    for minutes, job in enumerate([waiting, failed, done]):
        Job.objects.filter(pk=job.pk).update(created_at=now - dt.timedelta(minutes=minutes))

    client.force_login(owner)
    home = client.get("/").content.decode()
    assert f'href="{reverse("jobs:list")}"' in home  # linked from the navigation
    page = client.get(reverse("jobs:list")).content.decode()
    assert "别人的任务" not in page
    assert page.index("排队的") < page.index("拒绝的文件") < page.index("数一数")
    assert "排队中" in page and "失败" in page and "已完成" in page and "bad input" in page
    assert reverse("jobs:file", args=[done.pk, "out.txt"]) in page and "count.txt" in page


def test_the_jobs_page_is_paginated(db, client, handlers):
    from battlemap.jobs.views import PAGE_SIZE

    owner = personas.outsider()
    for n in range(PAGE_SIZE + 1):
        job_start(owner=owner, kind="test_count", title=f"job-{n:03d}")
    client.force_login(owner)
    first = client.get(reverse("jobs:list")).content.decode()
    second = client.get(reverse("jobs:list") + "?page=2").content.decode()
    assert first.count("job-0") == PAGE_SIZE and second.count("job-0") == 1
    assert "第1页，共2页" in first
    client.logout()
    assert client.get(reverse("jobs:list")).status_code == 302  # login first
