"""Benchmark: the registry's bulk write path against a raw bulk insert of the same rows.

    .venv/bin/python bench/bulk_registry.py --scale 100 --db sqlite --db postgres

For each database, in a fresh database (SQLite: a temp file; PostgreSQL: `battlemap_bench`,
dropped at the end) and in a subprocess of its own:

1. migrate, generate the demo scenario (`battlemap.demo.builder.generate`) and load the
   regions; none of this is timed against the raw insert;
2. **raw**: insert the same households, events, persons (the ID number as plain text, sex and
   birth date already derived) and incomes into bare tables without keys, indexes or
   constraints, with the raw mechanism `battlemap.core.bulk` uses (PostgreSQL: `COPY` with
   psycopg's `write_row`; SQLite: `executemany`), in one transaction; the row tuples are
   built before the clock starts, so this is the floor;
3. **real**: `load_registry` (`registry_bulk_register` + `income_bulk_set` in one
   transaction), what `battlemap demo` runs: every validation rule, AES-GCM encryption and
   blind index of each ID number, the writes into the indexed, constrained tables, the
   foreign-key checks, the audit records, the rollup refresh and the commit;
4. for information, `battlemap demo --scale N` end to end on another fresh database
   (generation included).

Results go to `bench/results/bulk_registry-<db>.json`; the table printed at the end gives
persons per second for both paths and their ratio (real time / raw time; the target is
at most 3).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/battlemap_bench")
TARGET_RATIO = 3.0

# Bare tables for the raw insert: the columns of the real ones, without keys or constraints.
RAW_TABLES = {
    "bench_household": (
        "id bigint, village_id varchar(12), county_code varchar(6), number varchar(32), "
        "main_cause_id bigint, other_cause_1_id bigint, other_cause_2_id bigint, "
        "standard_id bigint, household_type_id bigint, food_clothing_secure boolean, "
        "education_secure boolean, medical_secure boolean, housing_secure boolean, "
        "water_secure boolean, phone varchar(12), note text, version integer"
    ),
    "bench_event": "household_id bigint, kind varchar(20), date date, note varchar(200)",
    "bench_person": (
        "household_id bigint, relation_id bigint, name varchar(50), id_number varchar(18), "
        "sex varchar(1), birth_date date, ethnicity_id bigint, education_id bigint, "
        "schooling_id bigint, health_id bigint, labour_id bigint, work_status_id bigint, "
        "medical_insured boolean, pension_insured boolean, critical_illness_insured boolean, "
        "joined_on date, join_reason_id bigint, left_on date, leave_reason_id bigint, "
        "version integer"
    ),
    "bench_income": (
        "household_id bigint, year smallint, wages numeric(12, 2), production numeric(12, 2), "
        "property_income numeric(12, 2), transfers numeric(12, 2), costs numeric(12, 2)"
    ),
}


# --- the parent: databases, subprocesses, the table ---------------------------------------


def pg_admin(sql: str) -> None:
    import psycopg

    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def pg_fresh() -> str:
    name = PG_URL.rsplit("/", 1)[1]
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg_admin(f'CREATE DATABASE "{name}"')
    return PG_URL


def pg_drop() -> None:
    pg_admin(f'DROP DATABASE IF EXISTS "{PG_URL.rsplit("/", 1)[1]}" WITH (FORCE)')


def run_db(db: str, args) -> dict:
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="battlemap-bench-") as tmp:
        env = {
            **os.environ,
            "BATTLEMAP_VAR_DIR": tmp,
            "DJANGO_SETTINGS_MODULE": "battlemap.settings",
        }
        try:
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3" if db == "sqlite" else pg_fresh()
            worker = subprocess.run(
                [sys.executable, __file__, "--worker", "--scale", str(args.scale)]
                + ["--seed", str(args.seed)],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
                check=True,
            )
            result = json.loads(worker.stdout.strip().splitlines()[-1])
            if args.demo:
                env["DATABASE_URL"] = (
                    f"sqlite:///{tmp}/demo.sqlite3" if db == "sqlite" else pg_fresh()
                )
                battlemap = [str(bin_dir / "battlemap")]
                subprocess.run(battlemap + ["migrate", "-v0"], env=env, cwd=ROOT, check=True)
                started = time.perf_counter()
                subprocess.run(
                    battlemap + ["demo", "--scale", str(args.scale), "--seed", str(args.seed)],
                    env=env,
                    cwd=ROOT,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                result["demo_command_s"] = round(time.perf_counter() - started, 2)
        finally:
            if db == "postgres":
                pg_drop()
    return result


def print_table(results: list[dict]) -> None:
    head = (
        f"{'db':<9}{'scale':>6}{'persons':>11}{'rows':>11}{'raw s':>8}{'real s':>8}"
        f"{'raw p/s':>10}{'real p/s':>10}{'ratio':>7}{'w/o rollups':>12}{'demo s':>8}"
    )
    print(head)
    print("-" * len(head))
    for r in results:
        print(
            f"{r['db']:<9}{r['scale']:>6}{r['counts']['persons']:>11,}{r['rows']:>11,}"
            f"{r['raw']['seconds']:>8.1f}{r['real']['seconds']:>8.1f}"
            f"{r['raw']['persons_per_s']:>10,}{r['real']['persons_per_s']:>10,}"
            f"{r['ratio']:>7.2f}{r['ratio_without_rollups']:>12.2f}"
            f"{r.get('demo_command_s', float('nan')):>8.1f}"
        )
    print(
        f"ratio = real time / raw time for the same rows (target ≤ {TARGET_RATIO:g}); "
        "w/o rollups = the same without the board's rollup refresh;\n"
        "demo s = `battlemap demo` end to end, generation included. Where the real time "
        "goes: results/*.json, real.breakdown_s."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20191130)
    parser.add_argument("--db", action="append", choices=("sqlite", "postgres"))
    parser.add_argument(
        "--no-demo", dest="demo", action="store_false", help="skip the end-to-end demo run"
    )
    parser.add_argument("--no-save", dest="save", action="store_false", help="write no results")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure(args.scale, args.seed)))
        return 0
    results = []
    for db in args.db or ["sqlite", "postgres"]:
        result = run_db(db, args)
        results.append(result)
        if args.save:
            RESULTS.mkdir(exist_ok=True)
            path = RESULTS / f"bulk_registry-{db}.json"
            path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print_table(results)
    return 0


# --- the worker: one database, settings from the environment ------------------------------


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def raw_rows(scenario) -> dict[str, list[tuple]]:
    """The rows of the bare tables, as the registry would hold them but in clear."""
    from battlemap.core.idnumber import parse_id_number

    ids = {h.number: pk for pk, h in enumerate(scenario.households, start=1)}
    households = [
        (
            ids[h.number],
            h.village_id,
            h.village_id[:6],
            h.number,
            h.main_cause_id,
            h.other_cause_1_id,
            h.other_cause_2_id,
            h.standard_id,
            h.household_type_id,
            *h.guarantees,
            h.phone,
            "",
            1,
        )
        for h in scenario.households
    ]
    events = [
        (ids[h.number], kind, date, "") for h in scenario.households for date, kind in h.events
    ]
    persons = []
    for p in scenario.persons:
        parsed = parse_id_number(p.id_number)
        persons.append(
            (
                ids[p.household_number],
                p.relation_id,
                p.name,
                parsed.value,
                parsed.sex,
                parsed.birth_date,
                p.ethnicity_id,
                p.education_id,
                p.schooling_id,
                p.health_id,
                p.labour_id,
                p.work_status_id,
                *p.flags,
                p.joined_on,
                p.join_reason_id,
                p.left_on,
                p.leave_reason_id,
                1,
            )
        )
    incomes = [(ids[number], year, *amounts) for number, year, *amounts in scenario.incomes]
    return {
        "bench_household": households,
        "bench_event": events,
        "bench_person": persons,
        "bench_income": incomes,
    }


def raw_insert(connection, tables: dict[str, list[tuple]]) -> dict[str, float]:
    """Insert the rows; returns the seconds each table took (the commit under "commit")."""
    from django.db import transaction

    seconds = {}
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        for table, rows in tables.items():
            started = time.perf_counter()
            if connection.vendor == "postgresql":
                with raw.copy(f"COPY {table} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(rows[0]))
                raw.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
            seconds[table] = time.perf_counter() - started
        started = time.perf_counter()
    seconds["commit"] = time.perf_counter() - started
    return seconds


class Breakdown:
    """Seconds spent in the parts of the real path, by wrapping them (measurement only)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    def wrap(self, module, name: str, label=None) -> None:
        inner = getattr(module, name)

        def timed(*args, **kwargs):
            key = label(*args) if label else name
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds[key] = self.seconds.get(key, 0) + time.perf_counter() - started

        setattr(module, name, timed)

    def wrap_exit(self, module, name: str, label: str) -> None:
        """Time the end of a context manager (where the foreign keys are added back)."""
        inner = getattr(module, name)

        @contextmanager
        def timed(*args, **kwargs):
            manager = inner(*args, **kwargs)
            value = manager.__enter__()
            try:
                yield value
            except BaseException:
                if not manager.__exit__(*sys.exc_info()):
                    raise
            else:
                started = time.perf_counter()
                manager.__exit__(None, None, None)
                self.seconds[label] = self.seconds.get(label, 0) + time.perf_counter() - started

        setattr(module, name, timed)

    def install(self) -> None:
        from battlemap.core import bulk, changes
        from battlemap.demo import loader
        from battlemap.registry import bulk as registry_bulk

        self.wrap(registry_bulk, "validate_bulk")
        self.wrap(bulk, "bulk_insert", lambda model, *_: f"insert {model._meta.db_table}")
        self.wrap(bulk, "reserve_ids")
        self.wrap_exit(loader, "foreign_keys_checked_once", "foreign keys checked, commit")
        self.wrap_exit(loader, "indexes_built_after", "indexes built")
        for i, listener in enumerate(changes._listeners):  # the board's rollups
            holder = SimpleNamespace(listener=listener)
            self.wrap(holder, "listener", lambda *_: "rollups refresh")
            changes._listeners[i] = holder.listener

    def rounded(self) -> dict[str, float]:
        return {k: round(v, 2) for k, v in sorted(self.seconds.items(), key=lambda kv: -kv[1])}


def settle(connection) -> None:
    """Start each timed step from the same state: no dirty pages or WAL left to flush."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def measure(scale: int, seed: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from battlemap.demo.builder import generate
    from battlemap.demo.loader import load_regions, load_registry
    from battlemap.regions.commands import command_actor
    from battlemap.registry.models import Household, HouseholdEvent, IncomeRecord, Person

    call_command("migrate", verbosity=0)
    actor = command_actor("bench")
    started = time.perf_counter()
    scenario = generate(seed=seed, scale=scale)
    generate_s = time.perf_counter() - started
    log(f"[{connection.vendor}] generated scale {scale} in {generate_s:.1f} s")
    started = time.perf_counter()
    with transaction.atomic():
        load_regions(scenario, actor=actor)
    regions_s = time.perf_counter() - started

    tables = raw_rows(scenario)
    with connection.cursor() as cursor:
        for table, columns in RAW_TABLES.items():
            cursor.execute(f"CREATE TABLE {table} ({columns})")
    settle(connection)
    started = time.perf_counter()
    raw_parts = raw_insert(connection, tables)
    raw_s = time.perf_counter() - started
    rows = sum(len(r) for r in tables.values())
    del tables
    with connection.cursor() as cursor:
        for table in RAW_TABLES:
            cursor.execute(f"DROP TABLE {table}")
    log(f"[{connection.vendor}] raw insert of {rows:,} rows in {raw_s:.2f} s: {raw_parts}")

    settle(connection)
    breakdown = Breakdown()
    breakdown.install()
    started = time.perf_counter()
    # One transaction, opened inside (foreign_keys_checked_once) as `battlemap demo` does.
    load_registry(scenario, actor=actor)
    real_s = time.perf_counter() - started
    rollups_s = breakdown.seconds.get("rollups refresh", 0.0)
    log(f"[{connection.vendor}] registry path in {real_s:.2f} s: {breakdown.rounded()}")

    counts = {
        "households": Household.objects.count(),
        "persons": Person.objects.count(),
        "events": HouseholdEvent.objects.count(),
        "incomes": IncomeRecord.objects.count(),
    }
    assert counts["persons"] == len(scenario.persons), counts
    assert counts["incomes"] == len(scenario.incomes), counts
    assert sum(counts.values()) == rows, (counts, rows)
    persons = counts["persons"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        import sqlite3

        server = f"SQLite {sqlite3.sqlite_version}"
    return {
        "benchmark": "bulk_registry",
        "db": "postgres" if connection.vendor == "postgresql" else "sqlite",
        "server": server,
        "scale": scale,
        "seed": seed,
        "counts": counts,
        "rows": rows,
        "generate_s": round(generate_s, 2),
        "regions_s": round(regions_s, 2),
        "raw": {
            "seconds": round(raw_s, 2),
            "breakdown_s": {k: round(v, 2) for k, v in raw_parts.items()},
            "persons_per_s": round(persons / raw_s),
            "rows_per_s": round(rows / raw_s),
        },
        "real": {
            "seconds": round(real_s, 2),
            "breakdown_s": breakdown.rounded(),
            "persons_per_s": round(persons / real_s),
            "rows_per_s": round(rows / real_s),
        },
        "ratio": round(real_s / raw_s, 2),
        # The board's rollups, refreshed inside the registry services: derived figures,
        # not the registry rows themselves.
        "ratio_without_rollups": round((real_s - rollups_s) / raw_s, 2),
        "target_ratio": TARGET_RATIO,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(terse=True),
        },
        "measured_on": time.strftime("%Y-%m-%d"),
    }


if __name__ == "__main__":
    sys.exit(main())
