"""A real process killed (SIGKILL) in the middle of an import's writes leaves nothing behind.

The import runs in a child process on a database of its own (a temp SQLite file, or a
temp PostgreSQL database when the suite runs on PostgreSQL): the child migrates, builds
the test county, and imports a workbook, killing itself right after the first rows went
into the registry's tables. A second child then counts what is there.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from .workbooks import sample, workbook

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, signal, sys
import django
django.setup()
from django.core.management import call_command
from battlemap.audit.models import AuditRecord
from battlemap.registry.models import Household, HouseholdEvent, Person

def counts():
    return [Household.objects.count(), Person.objects.count(), HouseholdEvent.objects.count(),
            AuditRecord.objects.count()]

if sys.argv[1] == "import":
    call_command("migrate", verbosity=0)
    from tests.factories import ACTOR, make_county
    make_county()
    print(json.dumps(counts()), flush=True)
    from battlemap.core import bulk
    real, calls = bulk.bulk_insert, []
    def dying(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 2:  # households and events are in: die like a killed server
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    bulk.bulk_insert = dying
    from battlemap.registry.workbook_import import registry_import
    registry_import(actor=ACTOR, content=open(sys.argv[2], "rb").read(), filename="x.xlsx")
    print("not killed", flush=True)
else:
    print(json.dumps(counts()), flush=True)
"""


@pytest.fixture
def database_url(tmp_path):
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'killed.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    name = f"battlemap_killed_{uuid.uuid4().hex[:8]}"
    admin = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child(database_url, tmp_path, *args, script=CHILD, timeout=300):
    """Run `script` in a child process on the database at `database_url`."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BATTLEMAP_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "battlemap.settings",
    }
    return subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_a_killed_import_changes_nothing(database_url, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(workbook(sample()))
    killed = child(database_url, tmp_path, "import", str(path))
    assert killed.returncode == -9, killed.stderr[-2000:]
    before = json.loads(killed.stdout.splitlines()[0])
    assert "not killed" not in killed.stdout
    after = child(database_url, tmp_path, "count")
    assert after.returncode == 0, after.stderr[-2000:]
    assert json.loads(after.stdout.splitlines()[-1]) == before
