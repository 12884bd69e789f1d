# Early Help: the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 8000
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
DEMO_FAMILIES ?=

.PHONY: install run test test-sqlite test-postgres lint security format bench demo clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==0.13.8

$(BIN)/earlyhelp: $(UV) pyproject.toml uv.lock
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --locked --quiet --python $(PYTHON)
	touch $(BIN)/earlyhelp

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.package-lock.json

earlyhelp/web/static/web/app.css: node_modules/.package-lock.json $(wildcard earlyhelp/web/scss/*.scss)
	npm run --silent build

# Chromium from Debian for the browser tests (never a browser download).
/usr/bin/chromium:
	(apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
		(sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null)

# wrk from Debian drives the API load bench (make bench).
/usr/bin/wrk:
	(apt-get update -qq && apt-get install -y -qq wrk >/dev/null) || \
		(sudo apt-get update -qq && sudo apt-get install -y -qq wrk >/dev/null)

install: $(BIN)/earlyhelp earlyhelp/web/static/web/app.css

# Serve the demo county on http://127.0.0.1:$(PORT) with DEBUG on.
run: install
	@EARLYHELP_ENV=development $(BIN)/earlyhelp migrate --verbosity 0
	@EARLYHELP_ENV=development $(BIN)/earlyhelp demo --if-empty $(if $(DEMO_FAMILIES),--families $(DEMO_FAMILIES))
	@EARLYHELP_ENV=development $(BIN)/earlyhelp demo_users
	@echo "Open http://127.0.0.1:$(PORT)/ (Ctrl-C stops the server)"
	@EARLYHELP_ENV=development DEBUG=1 $(BIN)/earlyhelp runserver 127.0.0.1:$(PORT) --noreload

# The whole suite on SQLite, then on PostgreSQL when it answers.
test: install /usr/bin/chromium lint security test-sqlite
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		$(MAKE) --no-print-directory test-postgres; \
	else echo "PostgreSQL not reachable at $(PG_URL): PostgreSQL run skipped"; fi

test-sqlite: install
	EARLYHELP_ENV=test DATABASE_URL= $(BIN)/earlyhelp makemigrations --check --dry-run --verbosity 0
	EARLYHELP_ENV=test DATABASE_URL= $(BIN)/pytest -n 2

test-postgres: install
	EARLYHELP_ENV=test DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# bandit over the code (tests excluded; accepted findings carry `# nosec` and a reason), then
# pip-audit over the locked environment: fails on a known vulnerability, and says so plainly
# when the vulnerability database cannot be reached (README, "Authentication and web security").
security: install
	$(BIN)/bandit -c pyproject.toml -r earlyhelp config -q 2> >(grep -v 'nosec encountered' >&2)
	$(BIN)/python .ci/pip_audit.py

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Bytecode compiled first, as a deployment would ship it (this machine sets
# PYTHONDONTWRITEBYTECODE, so every process would otherwise compile what it imports).
bench: install /usr/bin/wrk
	$(BIN)/python -m compileall -q -j 0 earlyhelp config $(VENV)/lib >/dev/null
	$(BIN)/python -m earlyhelp.demo.bench
	$(BIN)/python -m earlyhelp.demo.bench_api

clean:
	rm -rf $(VENV) $(TOOLS) earlyhelp.sqlite3* staticfiles
