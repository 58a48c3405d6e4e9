# The two commands: `make run` sets up everything and serves the site;
# `make test` runs the whole test suite (on SQLite, and on PostgreSQL where one answers).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/dmer_kb
export DEBUG ?= 1

.PHONY: run setup db bench bench-web serve-prod test test-sqlite test-postgres lint chromium clean

run: db
	$(BIN)/python manage.py runserver 127.0.0.1:8000

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

db: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed --if-empty
	$(BIN)/python manage.py search_sync
	@# Rebuild the search index only when it does not match the database.
	$(BIN)/python manage.py search_verify || $(BIN)/python manage.py rebuild_index --noinput

# Production: nginx (static files and cached pages) in front of gunicorn, settings from the
# environment (SECRET_KEY required; DATABASE_URL, REDIS_URL, ALLOWED_HOSTS, SEARCH_*).
serve-prod: setup
	@command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light; } || true
	exec deploy/serve-prod.sh

# Load benchmark: wrk and nginx from Debian's packages, loopback only.
bench-web: setup
	@command -v wrk >/dev/null && command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light; }
	$(BIN)/python bench/web_bench.py
	@# The same distinct-search load on each engine (needs PostgreSQL at PG_URL's server).
	PG_URL=$(PG_URL) $(BIN)/python bench/web_engine_bench.py

# Search benchmark (synthetic corpora of 1,000 and 10,000 resources; several minutes), then
# Whoosh against PostgreSQL on the same corpora (needs PostgreSQL at PG_URL's server).
bench: setup
	$(BIN)/python bench/search_bench.py 1000 10000
	PG_URL=$(PG_URL) $(BIN)/python bench/engine_bench.py 1000 10000

test: setup chromium lint test-sqlite test-postgres

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test-sqlite: setup
	DEBUG=0 $(BIN)/pytest

# PostgreSQL is the production database: run the suite (browsers aside) against it too.
test-postgres: setup
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		DEBUG=0 DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser" -p no:cacheprovider; \
	else echo "PostgreSQL does not answer at $(PG_URL): skipping the PostgreSQL run."; fi

# Browser tests drive Debian's Chromium through Playwright (no browser download); the
# production-serving tests run nginx.
chromium:
	@command -v chromium >/dev/null && command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core nginx-light; }

clean:
	rm -rf $(VENV) data staticfiles
