# Battlemap: `make run` serves the demo county (gunicorn and the job worker), `make test`
# runs the whole suite; `make dev` serves it with runserver for development.
# Both do their own set-up on a fresh machine (Python venv, npm assets, database).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/battlemap

.PHONY: run dev prepare test setup lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed

# gunicorn serves the pages, the job worker runs imports, exports and bulletins beside
# it; both stop together when `make run` ends (Ctrl-C) or its process group is killed.
run: prepare
	@$(BIN)/battlemap worker & worker=$$!; \
	$(BIN)/gunicorn -c python:battlemap.gunicorn_conf --bind 127.0.0.1:$(PORT) battlemap.wsgi & web=$$!; \
	trap 'kill -TERM $$web $$worker 2>/dev/null; wait; exit 0' INT TERM HUP; \
	trap 'kill -TERM $$web $$worker 2>/dev/null' EXIT; \
	wait -n $$web $$worker; kill -TERM $$web $$worker 2>/dev/null; wait

# Development: Django's runserver (reloads on code changes) with the worker beside it.
dev: prepare
	$(BIN)/battlemap worker & trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	$(BIN)/battlemap runserver 127.0.0.1:$(PORT)

prepare: setup
	$(BIN)/battlemap migrate --noinput
	$(BIN)/battlemap collectstatic --noinput --verbosity 0
	$(BIN)/battlemap demo --if-empty
	$(BIN)/battlemap demo_logins

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
