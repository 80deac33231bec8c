# Two commands: `make run` (demo at http://127.0.0.1:8000) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs in one process per core, each module in one process (its cast built once);
# PYTEST_PARALLEL= runs it in one process.
PYTEST_PARALLEL ?= -n auto --dist loadfile
# The address links in e-mails point to.
SITE_URL ?= http://$(HOST):$(PORT)
# The demo `make run` loads the first time: "event" (about 800 people, made from DEMO_SEED: the
# same seed, the same people) or "small" (what the tests use).
DEMO_SCALE ?= event
DEMO_SEED ?= 15

.PHONY: run test install install-dev serve lint format messages lock audit check-python clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'

$(VENV)/bin/python: | check-python
	$(PYTHON) -m venv $(VENV)

# Stamps: reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml constraints.txt | $(VENV)/bin/python
	$(PIP) install -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt $(VENV)/.installed
	$(PIP) install -c constraints.txt -e '.[dev]'
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput -v 0
	SITE_URL=$(SITE_URL) $(PY) manage.py load_demo --scale $(DEMO_SCALE) --seed $(DEMO_SEED)
	HOST=$(HOST) PORT=$(PORT) $(PY) manage.py ensure_organiser
	HOST=$(HOST) PORT=$(PORT) SITE_URL=$(SITE_URL) bin/serve

test: install-dev
	bin/ensure-chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(VENV)/bin/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Update the French catalogue from the code and compile it (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages -l fr --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages -l fr --ignore .venv --ignore var

# Pin every dependency to what resolves today (run after editing pyproject.toml).
lock: check-python
	rm -rf /tmp/rencontres-lock && $(PYTHON) -m venv /tmp/rencontres-lock
	/tmp/rencontres-lock/bin/pip install -q '.[dev]'
	/tmp/rencontres-lock/bin/pip freeze --exclude rencontres > constraints.txt

# Known vulnerabilities in constraints.txt (pip-audit with the OSV database; skipped, loudly,
# where the database cannot be reached; AUDIT_REQUIRED=1 makes that a failure).
audit: check-python
	PYTHON=$(PYTHON) bin/audit

clean:
	rm -rf $(VENV) var/static
