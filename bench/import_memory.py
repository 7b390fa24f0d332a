"""Benchmark: the worker's peak memory on a big workbook with one bad cell, and on a zip bomb.

    .venv/bin/python bench/import_memory.py [--persons 100000] [--bomb-mb 1100]

In a fresh SQLite database under a temp folder:

1. **prepare** (a process of its own, not measured): migrate, load the demo county's
   regions, generate the demo scenario at scale 10 and write its first households, up to
   `--persons` persons, as the registry workbook users fill in (bench/registry_import.py's
   writer) with one bad ID number in the middle; and a zip bomb: a workbook of a few MB
   whose sheet unzips to `--bomb-mb` MB (the issue's was 5.9 MB holding 1.1 GB);
2. **each upload** in a fresh process that does what `battlemap worker` does with an
   upload: `job_start` as the web page would, then `run_job` — reading, checking, the
   refusal and, for the big workbook, the error workbook written back. The process
   reports its peak resident memory (`ru_maxrss`) and its memory before the job (Django
   loaded), so the figure is the job's, not the preparation's.

Results go to `bench/results/import_memory-<persons>.json`. Stated bound: a refused upload at the
row limit (BATTLEMAP_IMPORT_MAX_ROWS, 200,000 rows) stays under 3 GB in the worker; a
bomb is refused before it is unpacked, at the memory of an idle worker.
"""

import argparse
import dataclasses
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "bench"))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(folder: Path, persons: int, bomb_mb: int) -> dict:
    import django

    django.setup()
    import registry_import as writer
    from django.core.management import call_command
    from django.db import transaction

    from battlemap.demo.builder import generate
    from battlemap.demo.loader import load_regions
    from battlemap.regions.commands import command_actor
    from battlemap.registry.codebook import CodeBook

    call_command("migrate", verbosity=0)
    scenario = generate(scale=10)
    with transaction.atomic():
        load_regions(scenario, actor=command_actor("bench"))
    # One bad cell half-way: a wrong check digit in an ID number.
    bad = min(persons, len(scenario.persons)) // 2
    person = scenario.persons[bad]
    wrong = person.id_number[:-1] + ("0" if person.id_number[-1] != "0" else "1")
    scenario.persons[bad] = (
        person._replace(id_number=wrong)
        if hasattr(person, "_replace")
        else dataclasses.replace(person, id_number=wrong)
    )
    writer.PERSONS = persons
    content, written = writer.write_workbook(scenario, CodeBook())
    (folder / "big.xlsx").write_bytes(content)
    (folder / "bomb.xlsx").write_bytes(zip_bomb(bomb_mb))
    return {
        "persons": written,
        "file_mb": round(len(content) / 1e6, 1),
        "bomb_file_mb": round((folder / "bomb.xlsx").stat().st_size / 1e6, 2),
        "bomb_unzipped_mb": bomb_mb,
    }


def zip_bomb(unzipped_mb: int) -> bytes:
    """A valid workbook whose sheet is `unzipped_mb` MB of spaces inside <sheetData>."""
    from openpyxl import Workbook

    plain = io.BytesIO()
    wb = Workbook()
    wb.active.title = "人员"
    wb.save(plain)
    source = zipfile.ZipFile(io.BytesIO(plain.getvalue()))
    out = io.BytesIO()
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, data)
                continue
            head, tail = data.split(b"<sheetData>")
            with target.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(head + b"<sheetData>")
                for _ in range(unzipped_mb):
                    sheet.write(chunk)
                sheet.write(tail)
    return out.getvalue()


def upload(path: Path) -> dict:
    """One upload run as the worker runs it; memory before, peak, and what the user sees."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from battlemap.accounts.models import Role
    from battlemap.exchange.kinds import KINDS  # noqa: F401  (registers the import kinds)
    from battlemap.jobs.services import job_dir, job_start, run_job
    from battlemap.regions.models import Region
    from tests import personas

    county = Region.objects.get(parent__isnull=True)
    user = get_user_model().objects.filter(username="bench").first() or personas.holder(
        county, username="bench", role=Role.COUNTY_ADMIN
    )
    before = rss_mb()
    started = time.perf_counter()
    job = job_start(
        owner=user,
        kind="import_registry",
        title="bench",
        params={"filename": path.name, "stored": "upload.xlsx"},
        files={"upload.xlsx": path.read_bytes()},
    )
    job = run_job(job.pk)
    seconds = time.perf_counter() - started
    report_path = job_dir(job) / "errors.xlsx"
    return {
        "file": path.name,
        "file_mb": round(path.stat().st_size / 1e6, 2),
        "state": job.state,
        "message": job.message,
        "first_line": (job.result.get("lines") or [""])[0],
        "error_report_mb": round(report_path.stat().st_size / 1e6, 1)
        if report_path.exists()
        else None,
        "seconds": round(seconds, 1),
        "rss_before_mb": round(before, 0),
        "peak_rss_mb": round(peak_mb(), 0),
    }


def child(step: str, env: dict, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--step", step, *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--bomb-mb", type=int, default=1100)
    parser.add_argument("--no-save", dest="save", action="store_false")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "prepare":
        print(json.dumps(prepare(Path(args.path), args.persons, args.bomb_mb)))
        return 0
    if args.step == "upload":
        print(json.dumps(upload(Path(args.path))))
        return 0
    with tempfile.TemporaryDirectory(prefix="battlemap-bench-memory-") as tmp:
        folder = Path(tmp)
        env = {
            **os.environ,
            "BATTLEMAP_VAR_DIR": str(folder / "var"),
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "battlemap.settings",
            "PYTHONPATH": str(ROOT),
        }
        log("preparing the workbook and the bomb (not measured)…")
        prepared = child(
            "prepare",
            env,
            str(folder),
            "--persons",
            str(args.persons),
            "--bomb-mb",
            str(args.bomb_mb),
        )
        log(f"prepared: {prepared}")
        runs = []
        for name in ("big.xlsx", "bomb.xlsx"):
            run = child("upload", env, str(folder / name))
            log(f"{name}: {run}")
            runs.append(run)
    result = {
        **prepared,
        "limits": {"max_rows": 200_000, "max_unzipped_mb": 200},
        "runs": runs,
        "stated_bound_mb": 3072,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "note": "shared by several engineers' test runs while measured: times are noisy",
        },
        "measured_on": time.strftime("%Y-%m-%d"),
    }
    if args.save:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"import_memory-{args.persons}.json").write_text(
            json.dumps(result, indent=2, ensure_ascii=False) + "\n"
        )
    print(f"{'file':<12}{'MB':>7}{'state':>10}{'seconds':>9}{'RSS before':>12}{'peak RSS':>10}")
    for r in runs:
        print(
            f"{r['file']:<12}{r['file_mb']:>7}{r['state']:>10}{r['seconds']:>9}"
            f"{r['rss_before_mb']:>12.0f}{r['peak_rss_mb']:>10.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
