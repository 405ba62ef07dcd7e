# `make run` serves the demo board; `make test` runs the whole suite.
# Both set up what they need first, on a fresh machine with Python 3.11+.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test bench audit install system-deps browser-deps scanner-deps bench-deps messages lint

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed system-deps

# gettext compiles the translations; apt-get runs only where it is missing.
system-deps:
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)

browser-deps:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)
	@command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq default-jre-headless)

# ClamAV's daemon: the malware-scanning tests start their own clamd, with a test signature of their own.
scanner-deps:
	@test -x /usr/sbin/clamd || (apt-get update -qq && apt-get install -y -qq clamav-daemon)

messages: install
	DEBUG=True $(PY) manage.py compilemessages --ignore=.venv --verbosity 0

run: messages
	DEBUG=True $(PY) manage.py migrate --noinput
	DEBUG=True $(PY) manage.py load_demo
	DEBUG=True $(PY) manage.py load_demo_applications
	DEBUG=True $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: export SECRET_KEY = test-only-secret-key-not-for-production
test: export SECURE_SSL_REDIRECT = False
test: messages browser-deps scanner-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) -m pytest -n auto

# The load benchmark (bench/run.py): a board of OFFERS offers and APPLICATIONS applications,
# on SQLite unless DATABASE_URL is set. Seeding the full size takes a few minutes the first time.
OFFERS ?= 10000
APPLICATIONS ?= 1000000
bench-deps:
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

bench: messages bench-deps
	$(PY) -m bench.run --offers $(OFFERS) --applications $(APPLICATIONS)

# The production-like stack on this machine, every service on loopback, state in var/prod/ (bench/prod.py):
# PostgreSQL and Redis (the machine's, started when down), an S3 server, clamd, an SMTP server, gunicorn
# and the task worker. `make loadtest` (bench/loadtest.py) starts it when needed, loads it, then breaks it.
.PHONY: prod-up prod-down loadtest prod-deps
prod-deps: scanner-deps
	@command -v redis-server >/dev/null || (apt-get update -qq && apt-get install -y -qq redis-server)
	@command -v pg_ctlcluster >/dev/null || (apt-get update -qq && apt-get install -y -qq postgresql)

prod-up: messages prod-deps
	$(PY) -m bench.prod up

prod-down:
	$(PY) -m bench.prod down

loadtest: messages prod-deps
	$(PY) -m bench.loadtest

# Known vulnerabilities in what the project installs (its pinned requirements and what they
# pull in), from PyPI's vulnerability data; exits non-zero on any finding.
audit: install
	$(PY) -m pip_audit --strict --path $(VENV)/lib/python3*/site-packages

lint: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .
