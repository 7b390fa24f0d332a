"""Load test: 50 logged-in users against the server `make run` starts, for 60 s (locust).

    .venv/bin/python bench/load.py [--scale 1] [--users 50] [--seconds 60] [--port 8112]

1. A SQLite database in `--dir` (default: a temp folder; keep one to reuse a scale-100
   demo, which takes minutes to load): `battlemap demo --scale N` first when N > 1 and
   the database is empty, then `make run` (migrate, demo if empty, gunicorn + the job
   worker) on 127.0.0.1:`--port`, in a process group of its own.
2. Locust (pinned in the dev extras), as a library: `--users` users, spread evenly over
   the seven demo logins with a region (county_admin, leader, inspector, dept_civil,
   township_huayang, township_linxi, village_cadre), each logs in through the login form
   and then, with 0.2–0.8 s between calls: the map JSON of its region
   (`/api/v1/board/<code>/`), a page of its region's household list
   (`/map/<code>/households/`) and a household file (`/households/<id>/`) from that list,
   on 2019-06-30 (the campaign's busy year; today the demo has no poor household).
3. Meanwhile the resident memory of the whole server (make's process group: gunicorn's
   master and workers, the job worker) is sampled twice a second.

Prints requests/s, errors, p50/p95 per call and the server's peak memory; saves them to
`bench/results/load-scale<N>.json`. Targets: 0 errors, p95 < 1 s at scale 1, and at
scale 100 a p95 within 1.5x of scale 1's.
"""

# Locust patches the standard library for gevent: it must come first.
from locust import HttpUser, between, task  # isort: skip

import argparse
import json
import os
import platform
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import gevent
import psutil
from locust.env import Environment
from locust.stats import StatsEntry

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DATE = "2019-06-30"
PASSWORD = os.environ.get("BATTLEMAP_DEMO_PASSWORD", "battlemap-demo")
LOGINS = [
    ("county_admin", "341824000000"),
    ("leader", "341824000000"),
    ("inspector", "341824000000"),
    ("dept_civil", "341824000000"),
    ("township_huayang", "341824100000"),
    ("township_linxi", "341824101000"),
    ("village_cadre", "341824100201"),
]
HOUSEHOLD_LINK = re.compile(r'href="/households/(\d+)/')
_next_login = iter(range(10**9))


class Official(HttpUser):
    """One demo official at work: the map, the household list, a household's file."""

    wait_time = between(0.2, 0.8)

    def on_start(self):
        self.username, self.code = LOGINS[next(_next_login) % len(LOGINS)]
        self.client.get("/login/", name="login page")
        token = self.client.cookies.get("csrftoken", "")
        self.client.post(
            "/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/login/"},
            name="login",
        )
        page = self.client.get(f"/map/{self.code}/households/?date={DATE}", name="household list")
        self.households = HOUSEHOLD_LINK.findall(page.text) or []
        if not self.households:
            raise RuntimeError(f"{self.username}: no household on {self.code}'s list")

    @task(3)
    def board(self):
        self.client.get(f"/api/v1/board/{self.code}/?date={DATE}", name="map JSON")

    @task(2)
    def household_list(self):
        page = random.randint(1, 5)
        self.client.get(
            f"/map/{self.code}/households/?date={DATE}&page={page}", name="household list"
        )

    @task(2)
    def household_file(self):
        pk = random.choice(self.households)
        self.client.get(f"/households/{pk}/?date={DATE}", name="household file")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def server_rss_mb(pgid: int) -> float:
    total = 0
    for process in psutil.process_iter(["pid"]):
        try:
            if os.getpgid(process.pid) == pgid:
                total += process.memory_info().rss
        except (ProcessLookupError, psutil.Error, PermissionError):
            continue
    return total / 2**20


def start_server(folder: Path, scale: int, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder}/battlemap.sqlite3",
        "BATTLEMAP_VAR_DIR": str(folder),
        "PORT": str(port),
    }
    if scale > 1 and not (folder / "battlemap.sqlite3").exists():
        log(f"loading the demo at scale {scale} (minutes)…")
        battlemap = str(ROOT / ".venv" / "bin" / "battlemap")
        subprocess.run([battlemap, "migrate", "--noinput", "-v0"], env=env, check=True)
        subprocess.run([battlemap, "demo", "--scale", str(scale)], env=env, check=True)
    server = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=(folder / "server.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: measured and stopped as one
    )
    import urllib.request

    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)  # noqa: S310
            return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError((folder / "server.log").read_text()[-3000:]) from None
            time.sleep(1)
    raise RuntimeError("the server did not answer within 15 minutes")


def run(folder: Path, scale: int, users: int, seconds: int, port: int) -> dict:
    server = start_server(folder, scale, port)
    pgid = os.getpgid(server.pid)
    try:
        idle_mb = server_rss_mb(pgid)
        env = Environment(user_classes=[Official], host=f"http://127.0.0.1:{port}")
        runner = env.create_local_runner()
        peak = [idle_mb]

        def sample():
            while True:
                peak[0] = max(peak[0], server_rss_mb(pgid))
                gevent.sleep(0.5)

        sampler = gevent.spawn(sample)
        runner.start(users, spawn_rate=users / 5)  # all logged in within 5 s
        gevent.sleep(5)
        env.stats.reset_all()  # the logins are not the load: count from here
        started = time.monotonic()
        gevent.sleep(seconds)
        elapsed = time.monotonic() - started
        runner.quit()
        sampler.kill()
        stats = env.stats
        calls = {}
        # The calls under load only: a login still under way after the first 5 s is not one.
        total = StatsEntry(stats, "calls", "")
        for (name, method), entry in sorted(stats.entries.items()):
            if name in ("login", "login page"):
                continue
            total.extend(entry)
            calls[name] = {
                "method": method,
                "requests": entry.num_requests,
                "errors": entry.num_failures,
                "p50_ms": entry.get_response_time_percentile(0.5),
                "p95_ms": entry.get_response_time_percentile(0.95),
                "max_ms": round(entry.max_response_time or 0),
            }
        errors = {f"{e.method} {e.name}: {e.error}": e.occurrences for e in stats.errors.values()}
        return {
            "scale": scale,
            "users": users,
            "seconds": round(elapsed, 1),
            "requests": total.num_requests,
            "requests_per_s": round(total.num_requests / elapsed, 1),
            "errors": total.num_failures,
            "error_kinds": errors,
            "p50_ms": total.get_response_time_percentile(0.5),
            "p95_ms": total.get_response_time_percentile(0.95),
            "calls": calls,
            "server_idle_mb": round(idle_mb),
            "server_peak_mb": round(peak[0]),
        }
    finally:
        os.killpg(pgid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8112)
    parser.add_argument("--dir", help="keep the database here (reused when it exists)")
    parser.add_argument("--no-save", dest="save", action="store_false")
    args = parser.parse_args()
    if args.dir:
        folder = Path(args.dir)
        folder.mkdir(parents=True, exist_ok=True)
        result = run(folder, args.scale, args.users, args.seconds, args.port)
    else:
        with tempfile.TemporaryDirectory(prefix="battlemap-load-") as tmp:
            result = run(Path(tmp), args.scale, args.users, args.seconds, args.port)
    result["gunicorn_workers"] = min(2 * (os.cpu_count() or 1) + 1, 9)
    result["machine"] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "note": "clients and server on the same machine, shared with other engineers' runs",
    }
    result["measured_on"] = time.strftime("%Y-%m-%d %H:%M")
    if args.save:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"load-scale{args.scale}.json").write_text(
            json.dumps(result, indent=2, ensure_ascii=False) + "\n"
        )
    print(
        f"scale {result['scale']}: {result['users']} users, {result['seconds']} s, "
        f"{result['requests_per_s']} requests/s, {result['errors']} errors, "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, "
        f"server memory {result['server_idle_mb']} MB idle, {result['server_peak_mb']} MB peak"
    )
    print(f"{'call':<16}{'requests':>9}{'errors':>7}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}")
    for name, c in result["calls"].items():
        print(
            f"{name:<16}{c['requests']:>9}{c['errors']:>7}{c['p50_ms']:>8}{c['p95_ms']:>8}{c['max_ms']:>8}"
        )
    for error, n in result["error_kinds"].items():
        print(f"  {n} x {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
