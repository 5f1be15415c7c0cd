# Polity. `make run` serves the demo at http://127.0.0.1:8000/, `make test` runs the whole suite.
# Both need only Python 3.11+ and git; each creates .venv in the checkout on first use and
# reinstalls only when pyproject.toml changes (stamp files in .venv/).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
CHROMIUM := /usr/bin/chromium
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check

APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
NODE_STAMP := node_modules/.installed

# Production-like variables for `check --deploy`: nothing here is connected to.
DEPLOY_ENV := DEBUG=false ALLOWED_HOSTS=polity.example.org \
	DATABASE_URL=postgres://polity@db.example.org:5432/polity \
	REDIS_URL=redis://cache.example.org:6379/0

.PHONY: help run test lint format services-test check-deploy schema browser-deps chromium clean

help:
	@echo "make run            install, migrate, load the demo and serve http://$(HOST):$(PORT)/"
	@echo "make test           install with test dependencies and run the whole suite"
	@echo "make services-test  the whole suite against local PostgreSQL and Redis"
	@echo "make lint           ruff check, format check and the import layers (lint-imports)"
	@echo "make check-deploy   manage.py check --deploy under production-like settings"
	@echo "make schema         validate the OpenAPI schema"
	@echo "make clean          remove .venv, node_modules and collected static files"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
		{ echo "Polity needs Python 3.11 or newer as '$(PYTHON)' (make PYTHON=python3.12 ...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

# The test extra includes everything the app needs, so it satisfies the app stamp too.
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test]'
	@touch $@ $(APP_STAMP)

run: $(APP_STAMP)
	$(BIN)/python manage.py migrate --noinput
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(BIN)/python manage.py load_demo
	@echo "Polity is starting at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(TEST_STAMP) browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite against the services on this machine; a missing service fails instead of skipping.
services-test: $(TEST_STAMP) browser-deps
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/polity} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/1} \
	DEBUG=$${DEBUG:-true} POLITY_REQUIRE_SERVICES=1 \
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: $(APP_STAMP)
	$(DEPLOY_ENV) SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

schema: $(APP_STAMP)
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null

browser-deps: $(NODE_STAMP) chromium

# axe-core for the accessibility test, from the lock file. Without npm that one test is skipped.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the accessibility test will be skipped"; \
	fi

# Debian's Chromium for the browser tests; Playwright never downloads a browser of its own.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
		else \
			echo "No Chromium at $(CHROMIUM): browser tests will be skipped (apt-get install chromium)"; \
		fi; \
	fi

clean:
	rm -rf $(VENV) node_modules staticfiles
