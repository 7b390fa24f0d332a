# Battlemap: `make run` serves the demo county, `make test` runs the whole suite.
# Both do their own set-up on a fresh machine (Python venv, npm assets, database).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/battlemap

.PHONY: run test setup lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed

run: setup
	$(BIN)/battlemap migrate --noinput
	$(BIN)/battlemap collectstatic --noinput --verbosity 0
	$(BIN)/battlemap demo --if-empty
	$(BIN)/battlemap demo_logins
	@# The worker runs imports and daily bulletins in the background; it stops with the server.
	$(BIN)/battlemap worker & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	$(BIN)/battlemap runserver 127.0.0.1:$(PORT)

test: setup
	PG_TEST_URL=$(PG_TEST_URL) ./scripts/test.sh

# Scale runs (about a million persons): minutes, not part of `make test`.
bench: setup
	$(BIN)/python bench/bulk_registry.py --scale 100
	$(BIN)/python bench/board_map.py --scales 1 100
	$(BIN)/python bench/registry_import.py

lint: setup
	$(BIN)/ruff check battlemap tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/battlemap makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules var
