# The two commands: `make demo` (the platform with demo data on http://localhost:8000) and `make test`.
# Nothing else is needed on a laptop: SQLite and an embedded Celery broker by default.
# With DATABASE_URL / CELERY_BROKER_URL set (as .ci/run does) the same targets use PostgreSQL and Redis.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=
# The interpreter that creates the virtualenv: python3.11 if present, else python3 (checked to be 3.11+).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: help install install-test demo demo-code demo-reset lint test check translations clean backup restore load

help:
	@echo "make demo   install, migrate, load the demo data, run the web server and a Celery worker (PORT=$(PORT))"
	@echo "make demo-reset  the same, after deleting the demo data and loading it afresh"
	@echo "make test   install, compile translations, lint, check the layers, run the whole test suite (PYTEST_ARGS='...' to narrow)"
	@echo "make lint   ruff (lint and format check) and the import-linter layer contract"
	@echo "make check  Django's system checks (deploy included) and a pending-migrations check"
	@echo "make backup  the database, private and public files in backups/pem-backup-<time>/ (BACKUP_DIR=...); NOT the encryption keys"
	@echo "make restore FROM=backups/pem-backup-<time>  put a backup back into an empty database (RESTORE_ARGS=--replace over one)"
	@echo "make load   50 simulated users for 60 s on gunicorn+PostgreSQL+Redis, then 10 on the embedded default (bench/LOAD.md)"

install: $(STAMP)
install-test: $(TEST_STAMP)

# Runtime requirements (requirements.txt) for the demo; the test tools (requirements-test.txt) on top for
# the tests. Each re-installs only when its file is newer than its stamp.
$(STAMP): requirements.txt
	@test -n "$(PYTHON)" || { echo "python3.11 (or a python3 >= 3.11) is needed" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "$(PYTHON) is older than Python 3.11" >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

translations: $(STAMP)
	$(PY) scripts/compile_translations.py

demo: install translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo $(DEMO_LOAD_ARGS)
	@PORT=$(PORT) PYTHON=$(PY) scripts/run_demo.sh

# The current six-digit codes of the demo accounts that give a second factor (staff, committee, evaluator).
demo-code: install
	@$(PY) manage.py demo_mfa_codes

# The demo as new: its records deleted and loaded again (records you added to the demo programmes go too).
demo-reset:
	@$(MAKE) demo DEMO_LOAD_ARGS=--reset

# make itself exits 2 on any failure; pytest's own status is printed.
# Test processes in parallel (pytest-xdist), a test file at a time in one process (--dist loadfile: a
# module's shared fixtures, such as a Celery worker, start once). PYTEST_WORKERS=0 runs in this process.
PYTEST_WORKERS ?= 2

# Lint and format (ruff, ruff.toml) and the one-way layers (import-linter, .importlinter).
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: install-test translations lint
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS) || { status=$$?; echo "pytest exited with status $$status" >&2; exit $$status; }

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	@# --deploy in production mode with the README's production minimum (HSTS is on by default): any warning fails.
	DEBUG=0 SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" ALLOWED_HOSTS=pem.example \
		FIELD_ENCRYPTION_KEYS="$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
		SECURE_SSL_REDIRECT=1 SECURE_HSTS_INCLUDE_SUBDOMAINS=1 SECURE_HSTS_PRELOAD=1 \
		$(PY) manage.py check --deploy --fail-level WARNING

# Backups (core/backups.py): PostgreSQL through pg_dump/pg_restore, SQLite through its online backup, the
# local file folders as tar archives. The encryption keys (FIELD_ENCRYPTION_KEYS) are never in a backup.
backup: install
	$(PY) manage.py backup_create $(if $(BACKUP_DIR),--output "$(BACKUP_DIR)")

restore: install
	@test -n "$(FROM)" || { echo "usage: make restore FROM=backups/pem-backup-<time> [RESTORE_ARGS=--replace]" >&2; exit 2; }
	$(PY) manage.py backup_restore "$(FROM)" $(RESTORE_ARGS)

clean:
	rm -rf $(VENV) staticfiles .celery-broker .cache
	find . -name '*.mo' -path '*/locale/*' -delete

# `make bench`: every speed figure of bench/RESULTS.md in one run, each as a ratio to a baseline measured in the
# same run (bench/run.py). PostgreSQL (created and filled the first time, reused after) and wrk are needed.
# Slow (see bench/RESULTS.md for how long): not part of `make test` nor of CI.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pem_bench_make
.PHONY: bench
bench: install translations
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run.py $(BENCH_ARGS)

# Load check ([10] item 5, bench/load.py): 50 simulated users for 60 s of mixed traffic against gunicorn,
# PostgreSQL (LOAD_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/pem_load) and Redis (db
# LOAD_REDIS_DB=10) with a real Celery worker, then 10 users against the embedded default (SQLite, filesystem
# broker, runserver as `make demo`). Fails on any 5xx, connection error, lost write or unfinished report job.
# LOAD_USERS, LOAD_SECONDS, LOAD_EMBEDDED_USERS, LOAD_PORT (8180) override; bench/LOAD.md gets the figures.
LOAD_ARGS ?=
load: install translations
	$(PY) bench/load.py $(LOAD_ARGS)
