# The two commands of the README: `make run` and `make test`. Everything else is their parts.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on every core; override, e.g. PYTEST_ARGS="-n 0 -x", to run it in one process.
PYTEST_ARGS ?= -n auto
# The browser tests share one live server: one process.
E2E_ARGS ?=

# Commands that only read the code (translations, the migrations check, the tests) need no
# secret: they run on the test settings (config/test_settings.py: DEBUG off, a throwaway key).
TOOL := DJANGO_SETTINGS_MODULE=config.test_settings $(PY) manage.py

NODE_STAMP := node_modules/.installed
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test e2e install assets messages makemessages migrate demo serve lint format worker beat clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# The design system and htmx, exactly as package-lock.json pins them.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed (Node.js 18+): apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	$(TOOL) compile_translations

install: $(STAMP) $(NODE_STAMP) $(MO_FILES)

assets: $(NODE_STAMP)

messages: $(MO_FILES)

# After changing texts: collect them into the .po files (needs GNU gettext), then translate.
makemessages: install
	$(TOOL) makemessages --locale da --locale en --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*' --no-obsolete

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py load_monitoring_demo
	$(PY) manage.py load_ambassadors_demo
	$(PY) manage.py load_gribskov_demo
	$(PY) manage.py load_awards_demo
	# Again, now that the awards demo has accepted Gribskov's grant: its follow-ups after the end.
	$(PY) manage.py load_gribskov_demo

# DEBUG is off unless asked for: the embedded default asks for it (and so needs no SECRET_KEY).
run demo migrate: export DJANGO_DEBUG := true

# The demo's e-mails (receipts, notices) stay in memory: nobody is mailed, nothing floods the screen.
demo: export EMAIL_BACKEND := django.core.mail.backends.locmem.EmailBackend

# The logins last, after all the demo loading said, right above the server's own lines.
run: demo
	@$(PY) manage.py demo_logins
	@echo "Puljeflow on http://$(HOST):$(PORT)/  (API docs: /api/docs/, admin: /admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(TOOL) makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Browser tests: Playwright driving Debian's chromium against a live server (tests/e2e).
e2e: install
	PULJEFLOW_E2E=1 $(VENV)/bin/pytest tests/e2e $(E2E_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The production profile: gunicorn, a Celery worker and beat on PostgreSQL and Redis (README,
# "Production"). Needs DATABASE_URL, CELERY_BROKER_URL and SECRET_KEY; bin/serve names what is missing.
serve: install
	bin/serve

worker: install
	$(VENV)/bin/celery -A config worker --loglevel=info

# The schedule of config/celery.py (the daily reminders at 06:00); needs CELERY_BROKER_URL and a worker.
beat: install
	$(VENV)/bin/celery -A config beat --loglevel=info

clean:
	rm -rf $(VENV) node_modules var/*.sqlite3

# schemathesis against a live server as an applicant, a reviewer and a pool admin: no 5xx (tests/fuzz).
.PHONY: fuzz
fuzz: install
	$(PY) tests/fuzz/schemathesis_run.py

# The speed at a national deployment's size: a throwaway PostgreSQL database seeded by seed_scale,
# gunicorn on it, each main page and API list/detail against a bare view, the portfolio report at
# 100/300/600 projects (benchmarks/scale.py; README, "Production"). Needs a local PostgreSQL.
.PHONY: bench
bench: install
	$(PY) benchmarks/scale.py $(BENCH_ARGS)

# One archive of the database and every file of MEDIA_ROOT, with checksums (README, "Backup and restore").
.PHONY: backup restore
backup: $(STAMP)
	$(PY) manage.py backup

# make restore FILE=var/backups/puljeflow-….tar.gz [FORCE=1]; stop the site and the worker first.
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/puljeflow-YYYYMMDD-HHMMSS.tar.gz [FORCE=1]"; exit 2; }
	$(PY) manage.py restore "$(FILE)" $(if $(FORCE),--force)
