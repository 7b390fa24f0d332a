"""Benchmark: importing a 100,000-person registry workbook against openpyxl merely reading it.

    .venv/bin/python bench/registry_import.py --db sqlite --db postgres

For each database, in a fresh database (SQLite: a temp file; PostgreSQL:
`battlemap_bench_import`, dropped at the end) and in a subprocess of its own:

1. migrate, load the demo county's regions, generate the demo scenario at scale 10 and
   write its first households, up to PERSONS persons, as the registry workbook users fill
   in (sheet 人员 with the household columns repeated on each row, sheet 户状态变更 with
   the later status events) — none of this is timed;
2. **read**: openpyxl opens the same bytes (`read_only=True`, `data_only=False`, as the
   import does) and iterates every row of both sheets, values only — the floor: no import
   can read the file for less. It runs before and after the import and the mean of the
   two counts, so a load that drifts on a shared machine weighs on both sides alike;
3. **import**: `registry_import` on the same bytes into the empty registry, what
   `battlemap import_registry FILE` and an upload run: reading, every validation rule,
   the lookups against the registry, encryption and the writes, the audit records, the
   battle map's rollups, the commit.

Results go to `bench/results/registry_import-<db>.json`; the ratio is import time / read
time (target: at most 2).
"""

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/battlemap_bench_import")
PERSONS = 100_000
TARGET_RATIO = 2.0


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql)


def run_db(db: str) -> dict:
    name = PG_URL.rsplit("/", 1)[1]
    with tempfile.TemporaryDirectory(prefix="battlemap-bench-") as tmp:
        env = {
            **os.environ,
            "BATTLEMAP_VAR_DIR": tmp,
            "DJANGO_SETTINGS_MODULE": "battlemap.settings",
        }
        if db == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            pg_admin(f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = PG_URL
        try:
            worker = subprocess.run(
                [sys.executable, __file__, "--worker"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
                check=True,
            )
        finally:
            if db == "postgres":
                pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return json.loads(worker.stdout.strip().splitlines()[-1])


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def write_workbook(scenario, book) -> bytes:
    """The scenario's first households, up to PERSONS persons, as users fill the template."""
    from openpyxl import Workbook

    from battlemap.registry.workbook import COLUMNS, EVENT_COLUMNS, KIND_LABELS

    by_household: dict[str, list] = {}
    for person in scenario.persons:
        by_household.setdefault(person.household_number, []).append(person)
    incomes = {row[0]: row for row in scenario.incomes}
    wb = Workbook(write_only=True)
    persons_ws, events_ws = wb.create_sheet("人员"), wb.create_sheet("户状态变更")
    persons_ws.append([c.header for c in COLUMNS])
    events_ws.append(EVENT_COLUMNS)
    label = book.label
    written = 0
    for h in scenario.households:
        members = by_household.get(h.number, [])
        if written + len(members) > PERSONS:
            break
        first_exit = next((d for d, k in h.events if k == "exited"), None)
        income = incomes.get(h.number)
        shared = {
            "village": h.village_id,
            "number": h.number,
            "identified_on": h.events[0][0],
            "exited_on": first_exit,
            "main_cause": label(h.main_cause_id),
            "other_causes": "、".join(
                x for x in (label(h.other_cause_1_id), label(h.other_cause_2_id)) if x
            ),
            "household_type": label(h.household_type_id),
            "standard": label(h.standard_id),
            "phone": h.phone,
            "housing_secure": "是",
            "water_secure": "是" if h.guarantees[4] else "否",
            "net_per_person": round(float(sum(income[2:6]) - income[6]) / max(len(members), 1), 2)
            if income
            else None,
            "income_year": income[1] if income else None,
        }
        for p in members:
            values = {
                **shared,
                "relation": label(p.relation_id),
                "name": p.name,
                "id_number": p.id_number,
                "health": label(p.health_id),
                "labour": label(p.labour_id),
                "ethnicity": label(p.ethnicity_id),
                "education": label(p.education_id),
                "schooling": label(p.schooling_id),
                "work_status": label(p.work_status_id),
                "joined_on": p.joined_on,
                "left_on": p.left_on,
                "leave_reason": label(p.leave_reason_id),
            }
            persons_ws.append([values.get(c.key) or None for c in COLUMNS])
        for i, (date, kind) in enumerate(h.events):
            if (i == 0 and kind == "identified") or date == first_exit:
                continue
            events_ws.append([h.number, KIND_LABELS[kind], date, None])
        written += len(members)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), written


def measure() -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from openpyxl import load_workbook

    from battlemap.demo.builder import generate
    from battlemap.demo.loader import load_regions
    from battlemap.regions.commands import command_actor
    from battlemap.registry.codebook import CodeBook
    from battlemap.registry.models import Household, Person
    from battlemap.registry.workbook_import import registry_import

    call_command("migrate", verbosity=0)
    actor = command_actor("bench")
    scenario = generate(scale=10)
    with transaction.atomic():
        load_regions(scenario, actor=actor)
    content, persons = write_workbook(scenario, CodeBook())
    log(f"[{connection.vendor}] workbook: {persons:,} persons, {len(content) / 1e6:.1f} MB")

    def bare_read() -> tuple[int, float]:
        started = time.perf_counter()
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        rows = sum(1 for name in wb.sheetnames for _row in wb[name].iter_rows(values_only=True))
        wb.close()
        return rows, time.perf_counter() - started

    rows, read_before = bare_read()
    log(f"[{connection.vendor}] bare read: {rows:,} rows in {read_before:.1f} s")

    stages: dict[str, float] = {}
    last = [time.perf_counter(), None]

    def progress(done, total=None, stage=None):
        if stage and stage != last[1]:
            now = time.perf_counter()
            if last[1]:
                stages[last[1]] = stages.get(last[1], 0) + now - last[0]
            last[:] = [now, stage]

    started = time.perf_counter()
    outcome = registry_import(
        actor=actor, content=content, filename="bench.xlsx", progress=progress
    )
    import_s = time.perf_counter() - started
    stages[last[1]] = stages.get(last[1], 0) + time.perf_counter() - last[0]
    assert outcome.persons_new == persons == Person.objects.count(), outcome.summary()
    # Read again after: on a shared machine the load drifts; the floor is their mean.
    _rows, read_after = bare_read()
    read_s = (read_before + read_after) / 2
    log(f"[{connection.vendor}] bare read again: {read_after:.1f} s")
    log(f"[{connection.vendor}] import: {import_s:.1f} s ({import_s / read_s:.2f}x the read)")
    return {
        "db": connection.vendor,
        "persons": persons,
        "households": Household.objects.count(),
        "rows": rows,
        "file_mb": round(len(content) / 1e6, 1),
        "read": {
            "seconds": round(read_s, 2),
            "before_and_after_s": [round(read_before, 2), round(read_after, 2)],
            "persons_per_s": round(persons / read_s),
        },
        "import": {
            "seconds": round(import_s, 2),
            "persons_per_s": round(persons / import_s),
            "stages_s": {k: round(v, 2) for k, v in stages.items()},
        },
        "ratio": round(import_s / read_s, 2),
        "target_ratio": TARGET_RATIO,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "measured_on": time.strftime("%Y-%m-%d"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", action="append", choices=("sqlite", "postgres"))
    parser.add_argument("--no-save", dest="save", action="store_false")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure()))
        return 0
    results = []
    for db in args.db or ["sqlite", "postgres"]:
        result = run_db(db)
        results.append(result)
        if args.save:
            RESULTS.mkdir(exist_ok=True)
            (RESULTS / f"registry_import-{db}.json").write_text(
                json.dumps(result, indent=2, ensure_ascii=False) + "\n"
            )
    print(
        f"{'db':<10}{'persons':>9}{'read s':>8}{'import s':>10}{'read p/s':>10}{'import p/s':>11}{'ratio':>7}"
    )
    for r in results:
        print(
            f"{r['db']:<10}{r['persons']:>9,}{r['read']['seconds']:>8.1f}{r['import']['seconds']:>10.1f}"
            f"{r['read']['persons_per_s']:>10,}{r['import']['persons_per_s']:>11,}{r['ratio']:>7.2f}"
        )
    print(
        f"ratio = import time / openpyxl's bare read of the same file (target ≤ {TARGET_RATIO:g})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
