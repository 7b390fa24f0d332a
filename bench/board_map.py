"""Benchmark: the battle map's endpoints read rollups, so their cost does not grow with the registry.

    .venv/bin/python bench/board_map.py                 # scales 1 and 100 on PostgreSQL
    .venv/bin/python bench/board_map.py --scales 1 10   # quicker

For each scale, in a fresh PostgreSQL database (dropped at the end) and a subprocess of
its own: `battlemap demo --scale N` (timed for information), then, in the same run:

- **map**: the JSON the map page draws — `/api/v1/board/<county>/` (figures of the county
  and its 12 townships, ranked), `/api/v1/board/<township>/` (its villages) and
  `/api/v1/board/<county>/trend/?period=year` — through Django's test client, median of
  repeated calls;
- **GROUP BY**: the same figures (poor households and persons, registered households and
  persons, per township) computed by one plain GROUP BY over the registry tables at that
  size, with each household's status on the date read from its events.

Targets (issue 4): the map at scale 100 within 1.5× of the map at scale 1, and at least
10× faster than the plain GROUP BY at scale 100. Results: `bench/results/board_map.json`.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/battlemap_bench_map")
COUNTY, TOWNSHIP, DATE = "341824000000", "341824100000", "2019-11-30"
REPEAT = 15

GROUP_BY_SQL = """
SELECT substr(h.village_id, 1, 9) AS township,
       COUNT(DISTINCT h.id) FILTER (WHERE s.kind IN ('identified', 'newly_identified', 'relapsed')),
       COUNT(p.id) FILTER (WHERE s.kind IN ('identified', 'newly_identified', 'relapsed')),
       COUNT(DISTINCT h.id) FILTER (WHERE s.kind <> 'removed'),
       COUNT(p.id) FILTER (WHERE s.kind <> 'removed')
FROM registry_household h
JOIN LATERAL (
    SELECT e.kind FROM registry_householdevent e
    WHERE e.household_id = h.id AND e.date <= %(date)s ORDER BY e.date DESC LIMIT 1
) s ON TRUE
LEFT JOIN registry_person p ON p.household_id = h.id
    AND (p.joined_on IS NULL OR p.joined_on <= %(date)s)
    AND (p.left_on IS NULL OR p.left_on > %(date)s)
WHERE h.village_id LIKE %(prefix)s
GROUP BY 1
"""


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(sql)


def run_scale(scale: int) -> dict:
    name = PG.rsplit("/", 1)[1]
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg_admin(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix="battlemap-bench-") as tmp:
            env = {
                **os.environ,
                "DATABASE_URL": PG,
                "BATTLEMAP_VAR_DIR": tmp,
                "BATTLEMAP_ALLOWED_HOSTS": "testserver",
                "DJANGO_SETTINGS_MODULE": "battlemap.settings",
            }
            battlemap = [str(Path(sys.executable).parent / "battlemap")]
            subprocess.run(battlemap + ["migrate", "-v0"], env=env, cwd=ROOT, check=True)
            started = time.perf_counter()
            subprocess.run(
                battlemap + ["demo", "--scale", str(scale)],
                env=env,
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            demo_s = time.perf_counter() - started
            worker = subprocess.run(
                [sys.executable, __file__, "--worker"],
                env=env,
                cwd=ROOT,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            )
            result = json.loads(worker.stdout.strip().splitlines()[-1])
            result.update(scale=scale, demo_s=round(demo_s, 1))
            return result
    finally:
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def median_ms(fn) -> float:
    fn()  # warm caches
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


def worker() -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from battlemap.registry.models import Person

    client = Client()
    client.force_login(get_user_model().objects.get(username="county_admin"))
    urls = [
        f"/api/v1/board/{COUNTY}/?date={DATE}",
        f"/api/v1/board/{TOWNSHIP}/?date={DATE}",
        f"/api/v1/board/{COUNTY}/trend/?period=year&date={DATE}",
    ]

    def draw_map():
        for url in urls:
            assert client.get(url).status_code == 200

    def group_by():
        with connection.cursor() as cursor:
            cursor.execute(GROUP_BY_SQL, {"date": DATE, "prefix": COUNTY[:6] + "%"})
            return cursor.fetchall()

    county = client.get(urls[0]).json()
    direct = {row[0]: row[1:] for row in group_by()}
    for child in county["children"]:  # both paths must give the same figures
        expected = direct.get(child["code"][:9], (0, 0, 0, 0))
        got = child["measures"]
        assert (got["households_poor"], got["persons_poor"]) == tuple(expected[:2]), child
        assert (got["households_registered"], got["persons_registered"]) == tuple(expected[2:])
    return {
        "persons": Person.objects.count(),
        "map_ms": median_ms(draw_map),
        "group_by_ms": median_ms(group_by),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-save", dest="save", action="store_false")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker()))
        return 0
    results = [run_scale(scale) for scale in args.scales]
    small, large = results[0], results[-1]
    summary = {
        "results": results,
        "map_large_over_small": round(large["map_ms"] / small["map_ms"], 2),
        "group_by_over_map_at_largest": round(large["group_by_ms"] / large["map_ms"], 1),
        "targets": {"map_large_over_small": "<= 1.5", "group_by_over_map_at_largest": ">= 10"},
    }
    print(f"{'scale':>6}{'persons':>11}{'demo s':>9}{'map ms':>9}{'GROUP BY ms':>13}")
    for r in results:
        print(
            f"{r['scale']:>6}{r['persons']:>11,}{r['demo_s']:>9.1f}{r['map_ms']:>9.1f}"
            f"{r['group_by_ms']:>13.1f}"
        )
    print(
        f"map scale {large['scale']} / scale {small['scale']}: "
        f"{summary['map_large_over_small']} (target ≤ 1.5); "
        f"GROUP BY / map at scale {large['scale']}: "
        f"{summary['group_by_over_map_at_largest']} (target ≥ 10)"
    )
    if args.save:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "board_map.json").write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
