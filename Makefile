# JPoA portal: developer and CI entry points. `make help` lists the targets.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=
# The suite runs in parallel (pytest-xdist), one process per core; TEST_WORKERS=0 runs it serially.
# The longest files go first (tests/conftest.py) and tests are handed out at most 8 at a time,
# so that neither worker ends the run alone with a long queue.
TEST_WORKERS ?= auto
# make run serves on 127.0.0.1:$(PORT): make run PORT=8101.
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help .venv venv run test lint worker beat browsers clean clean-db bench bench-quick loadtest

help:
	@echo "make run       migrate, load demo data, serve on http://127.0.0.1:8000 (PORT=8101 for another)"
	@echo "make test      ruff + pytest (extra pytest args: PYTEST_ARGS='-k foo')"
	@echo "make lint      ruff only"
	@echo "make bench     benchmarks at 1M records in database jpoa_bench (several minutes;"
	@echo "               writes docs/benchmarks.md)"
	@echo "make bench-quick  the same at 50k records, about a minute"
	@echo "make loadtest  Locust, 60 s: 50 officers + 5 co-chairs against gunicorn on loopback,"
	@echo "               in database jpoa_load; prints requests/s, p95 and errors"
	@echo "make worker    Celery worker      (needs CELERY_BROKER_URL)"
	@echo "make beat      Celery beat        (needs CELERY_BROKER_URL)"
	@echo "make browsers  install Debian chromium + chromium-driver (root)"
	@echo "make clean     remove .venv and caches (keeps var/)"
	@echo "make clean-db  remove the embedded database in var/pgdata"

# The virtualenv (runtime plus the development and test tools of requirements-dev.txt) is
# brought up to date whenever either requirements file changes; the Docker image installs only
# requirements.txt.
.venv venv: $(STAMP)
$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

# The quick start and the suite run with DEBUG on unless told otherwise (no SECRET_KEY needed).
run test: export DEBUG ?= true
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --address http://127.0.0.1:$(PORT)/
	$(BIN)/python manage.py rollup --verify
	@# Hashed, compressed static files, served as in production (WhiteNoise, cached a year).
	$(BIN)/python manage.py collectstatic --noinput -v0
	@# However runserver ends, stop the embedded database unless another process still uses it.
	@trap '$(BIN)/python -m core.embedded_db stop' EXIT; $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdftotext ]; then \
	  if [ "$$(id -u)" = 0 ]; then $(MAKE) --no-print-directory browsers; \
	  else echo "note: /usr/bin/chromium is missing and you are not root;" \
	            "browser tests will be skipped (run 'sudo make browsers')."; fi; \
	fi
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --maxschedchunk=8 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

# Benchmarks run in a database of their own, jpoa_bench: on the server of DATABASE_URL when set,
# else in the embedded PostgreSQL (created and migrated when missing; see bench/run.py).
bench: $(STAMP)
	@trap '$(BIN)/python -m core.embedded_db stop >/dev/null' EXIT; \
	  BENCH_COMMAND="make bench" $(BIN)/python -m bench.run --write-docs

bench-quick: $(STAMP)
	@trap '$(BIN)/python -m core.embedded_db stop >/dev/null' EXIT; \
	  BENCH_COMMAND="make bench-quick" $(BIN)/python -m bench.run --quick

# The load test (loadtest/run.sh): its own database jpoa_load on the server of DATABASE_URL's
# default (LOADTEST_DATABASE_URL to change it), gunicorn on 127.0.0.1:$(LOADTEST_PORT).
LOADTEST_PORT ?= 8089
loadtest: $(STAMP)
	BIN=$(BIN) LOADTEST_PORT=$(LOADTEST_PORT) bash loadtest/run.sh

worker: $(STAMP)
	$(BIN)/celery -A jpoa worker -l info

beat: $(STAMP)
	$(BIN)/celery -A jpoa beat -l info

# Chromium for the browser tests; Pango and fonts for WeasyPrint's PDF debrief packs;
# poppler-utils (pdftotext) to read them back in tests.
SYSTEM_PACKAGES := chromium chromium-driver libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils
browsers:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -x /usr/bin/pdftotext ] \
	    && ldconfig -p | grep -q libpangoft2; then \
	  echo "chromium, pango and poppler already installed"; \
	else \
	  apt-get update && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES); \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts staticfiles
	find . -path ./var -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

clean-db:
	@echo "Removing the embedded PostgreSQL data in var/pgdata (demo data is reloaded by 'make run')."
	rm -rf var/pgdata
