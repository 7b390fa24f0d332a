#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL when it answers at $PG_TEST_URL.
# pytest's exit 5 (no tests collected) fails the run like any other failure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_TEST_URL=${PG_TEST_URL:-postgres://postgres@127.0.0.1:5432/battlemap}

$BIN/ruff check battlemap tests bench
$BIN/lint-imports --no-cache >/dev/null || $BIN/lint-imports --no-cache
DATABASE_URL= $BIN/battlemap makemigrations --check --dry-run >/dev/null

echo "== tests on SQLite =="
DATABASE_URL="sqlite:///$(mktemp -d)/battlemap.sqlite3" $BIN/pytest "$@"

if $BIN/python - "$PG_TEST_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable ({exc})", file=sys.stderr)
    sys.exit(1)
PY
then
    echo "== tests on PostgreSQL ($PG_TEST_URL) =="
    DATABASE_URL="$PG_TEST_URL" $BIN/pytest "$@"
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "PostgreSQL is required (REQUIRE_POSTGRES=1) but not reachable at $PG_TEST_URL" >&2
    exit 1
else
    echo "!! PostgreSQL not reachable at $PG_TEST_URL: the PostgreSQL run was SKIPPED" >&2
fi
