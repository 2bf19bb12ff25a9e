# Wijkkapitaal: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails point where the demo is served: `make demo PORT=8300` gives :8300.
BASE_URL ?= http://$(HOST):$(PORT)
# The demo runs the Celery beat schedule in-process (demo/scheduler.py); 0 turns it off.
DEMO_SCHEDULER ?= 1

.PHONY: demo install test lint bench bench-scale messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(PY) manage.py migrate --no-input
	BASE_URL=$(BASE_URL) $(PY) manage.py load_demo_data
	@echo ""
	@echo "Wijkkapitaal runs at http://$(HOST):$(PORT)/ (English at /en/)."
	@echo "Moderators log in to the Wagtail admin at http://$(HOST):$(PORT)/admin/"
	@echo "  moderator@wijkkapitaal.nl / wijkdemo-moderator, then the two-factor code:"
	@echo "  authenticator-app secret WIJKDEMOWIJKDEMOWIJKDEMOWIJKDEMO, or"
	@echo "  '$(PY) manage.py demo_totp_code' prints the current code."
	@echo "Residents: anouk@example.nl / wijkdemo (and the others in demo/content.py)."
	@echo "E-mails (sign-up confirmations) are printed in this terminal."
	@echo "The scheduled jobs run in this process too, each at least every minute: about a"
	@echo "minute after the start the deadline job closes \"Lampionnenoptocht Korte Akkeren\""
	@echo "(its deadline has passed) and its donors' \"funded\" mails are printed here;"
	@echo "digests, reminders and sweeps follow. DEMO_SCHEDULER=0 turns this off."
	@echo ""
	DEMO_SCHEDULER=$(DEMO_SCHEDULER) BASE_URL=$(BASE_URL) $(PY) manage.py run_demo $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

test: install lint
	$(PY) -m pytest

bench: install
	$(PY) bench/run.py

# 100,000 initiatives and 1,000,000 pledges on a throw-away PostgreSQL; SCALE=0.1 for a tenth.
SCALE ?= 1
bench-scale: install
	$(PY) -m bench.scale.run --scale $(SCALE)

messages: install
	$(PY) manage.py makemessages -l nl -l en --ignore=.venv --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles test-artifacts
