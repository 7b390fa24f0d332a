"""The drill: the real `battlemap worker` killed (SIGKILL) during an import and during a
bulletin. The registry is unchanged, each job is failed with words, the next job runs —
and while an import reads its file, a bulletin runs beside it.

Every step is a child process on a database of its own (as in
tests/exchange/test_killed_import.py): the parent only starts, waits and kills.
"""

import json
import os
import signal
import subprocess
import sys
import time

from tests.exchange.test_killed_import import ROOT, database_url  # noqa: F401  (fixture)
from tests.exchange.workbooks import sample, workbook

CHILD = r"""
import json, os, sys, time
from pathlib import Path
import django
django.setup()
from django.core.management import call_command

step, args = sys.argv[1], sys.argv[2:]
marks = Path(os.environ["MARKS"])

def counts():
    from battlemap.board.models import Bulletin
    from battlemap.registry.models import Household, Person
    return {"households": Household.objects.count(), "persons": Person.objects.count(),
            "bulletins": sorted(str(d) for d in Bulletin.objects.values_list("date", flat=True))}

if step == "setup":
    call_command("migrate", verbosity=0)
    from tests.factories import make_county
    from tests import personas
    personas.county_admin(make_county().county)
elif step == "import":
    from django.contrib.auth import get_user_model
    from battlemap.exchange.kinds import KINDS  # noqa: F401  (registers the import kinds)
    from battlemap.jobs.services import job_start
    job = job_start(owner=get_user_model().objects.get(username="boss"), kind="import_registry",
                    title="import", params={"filename": "x.xlsx", "stored": "upload.xlsx"},
                    files={"upload.xlsx": Path(args[0]).read_bytes()})
    print(job.pk)
elif step == "bulletin":
    import datetime as dt
    from battlemap.jobs.schedule import SCHEDULES
    print(SCHEDULES["bulletin"].run(dt.date.fromisoformat(args[0])).pk)
elif step == "state":
    from battlemap.jobs.models import Job
    from battlemap.jobs.services import jobs_root
    jobs = {str(j.pk): [j.state, j.message, (jobs_root() / str(j.pk) / "upload.xlsx").exists()]
            for j in Job.objects.all()}
    print(json.dumps({"jobs": jobs, **counts()}))
elif step == "worker":
    slow = os.environ.get("SLOW")
    if slow == "import":
        from battlemap.core import bulk
        from battlemap.registry import workbook_import as registry_import
        validate, insert = registry_import.validate, bulk.bulk_insert
        def reading(*a, **k):  # the long part of a big import: reading and checking
            (marks / "reading").touch()
            while not (marks / "go").exists():
                time.sleep(0.1)
            return validate(*a, **k)
        def writing(*a, **k):  # households are in, the transaction open: die here
            result = insert(*a, **k)
            (marks / "writing").touch()
            time.sleep(600)
            return result
        registry_import.validate, bulk.bulk_insert = reading, writing
    elif slow == "bulletin":
        from django.db import transaction
        from battlemap.board import bulletins
        generate = bulletins.bulletin_generate
        def generating(*a, **k):
            with transaction.atomic():
                made = generate(*a, **k)
                (marks / "bulletin").touch()
                time.sleep(600)
            return made
        bulletins.bulletin_generate = generating
    call_command("worker", batch=bool(args), interval=0.2)
"""


class Drill:
    def __init__(self, url, tmp_path):
        self.env = {
            **os.environ,
            "DATABASE_URL": url,
            "BATTLEMAP_VAR_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "battlemap.settings",
            "MARKS": str(tmp_path),
        }
        self.tmp = tmp_path

    def run(self, *args) -> str:
        done = subprocess.run(  # noqa: S603 (our own interpreter and script)
            [sys.executable, "-c", CHILD, *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

    def state(self) -> dict:
        return json.loads(self.run("state"))

    def worker(self, slow: str) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", CHILD, "worker"],
            env={**self.env, "SLOW": slow},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait(self, what, process: subprocess.Popen, seconds: float = 180):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if what():
                return
            assert process.poll() is None, process.stderr.read()[-3000:]
            time.sleep(0.3)
        raise AssertionError(f"waited {seconds}s in vain")


def kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    process.stderr.close()


def test_a_worker_killed_during_an_import_and_during_a_bulletin(database_url, tmp_path):  # noqa: F811
    drill = Drill(database_url, tmp_path)
    upload = tmp_path / "x.xlsx"
    upload.write_bytes(workbook(sample()))
    drill.run("setup")
    before = drill.state()

    # 1. An import is reading its file; a bulletin queued meanwhile runs beside it.
    first_import = drill.run("import", str(upload))
    worker = drill.worker("import")
    drill.wait(lambda: (tmp_path / "reading").exists(), worker)
    beside = drill.run("bulletin", "2019-06-10")
    drill.wait(lambda: drill.state()["jobs"][beside][0] == "succeeded", worker, 120)
    assert drill.state()["jobs"][first_import][0] == "running"
    # 2. The import goes on to write; the worker is killed in the middle of its writes.
    (tmp_path / "go").touch()
    drill.wait(lambda: (tmp_path / "writing").exists(), worker)
    kill(worker)

    # 3. The next worker fails that import at its start; it is killed during a bulletin.
    killed_bulletin = drill.run("bulletin", "2019-06-11")
    worker = drill.worker("bulletin")
    drill.wait(lambda: (tmp_path / "bulletin").exists(), worker)
    after_import = drill.state()
    kill(worker)

    # 4. A worker again: the bulletin is failed, and the next import runs.
    next_import = drill.run("import", str(upload))
    drill.run("worker", "batch")
    after = drill.state()

    state, message, upload_kept = after_import["jobs"][first_import]
    assert state == "failed" and "意外停止" in message and "数据未作任何改动" in message
    assert not upload_kept  # its upload (clear ID numbers) is gone too
    assert (after_import["households"], after_import["persons"]) == (
        before["households"],
        before["persons"],
    )
    state, message, _ = after["jobs"][killed_bulletin]
    assert state == "failed" and "意外停止" in message
    assert "2019-06-11" not in after["bulletins"] and "2019-06-10" in after["bulletins"]
    assert after["jobs"][next_import][0] == "succeeded", after["jobs"][next_import]
    assert after["households"] == before["households"] + 2
    assert after["persons"] == before["persons"] + 5
