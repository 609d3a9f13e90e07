# Tandem — the two commands a deployer needs are `make run` and `make test`.
# Each one installs what is missing and is safe to run again. `make stop` stops
# the local PostgreSQL and Redis that they started.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Local services, used only when DATABASE_URL / REDIS_URL are not set.
export TANDEM_LOCAL_DIR ?= $(CURDIR)/.local
export TANDEM_PG_PORT ?= 54329
export TANDEM_REDIS_PORT ?= 63799
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help setup services run test stop lint screenshots messages

help:
	@echo "make run    install what is missing, start services, load places and demo data, serve on http://$(HOST):$(PORT) with the job worker"
	@echo "make test   install what is missing, start services, run the whole test suite"
	@echo "make stop   stop the local PostgreSQL and Redis"
	@echo "make screenshots  phone and desktop screenshots of the main pages into screenshots/"

setup:
	@scripts/system-packages.sh
	@scripts/venv.sh
	@scripts/node-packages.sh

services: setup
	@scripts/services.sh start

run: services
	@source scripts/env.sh && .venv/bin/python manage.py migrate --noinput
	@source scripts/env.sh && .venv/bin/python manage.py compilemessages --ignore=.venv -v 0
	@source scripts/env.sh && .venv/bin/python manage.py collectstatic --noinput -v 0
	@source scripts/env.sh && .venv/bin/python manage.py load_places
	@source scripts/env.sh && .venv/bin/python manage.py load_services
	@source scripts/env.sh && .venv/bin/python manage.py seed_demo --print-logins
	@source scripts/env.sh && HOST=$(HOST) PORT=$(PORT) exec scripts/serve.sh

test: services
	@source scripts/env.sh && .venv/bin/python manage.py compilemessages --ignore=.venv -v 0
	@source scripts/env.sh && .venv/bin/ruff check .
	@source scripts/env.sh && .venv/bin/lint-imports --no-cache
	@source scripts/env.sh && .venv/bin/python -m pytest $(PYTEST_ARGS)

stop:
	@scripts/services.sh stop

# Runs the marked screenshot test against its own live server and test database.
screenshots: services
	@source scripts/env.sh && .venv/bin/python manage.py compilemessages --ignore=.venv -v 0
	@source scripts/env.sh && SCREENSHOTS=1 .venv/bin/python -m pytest -q -p no:cacheprovider \
		-m screenshots tests/browser/test_screenshots.py

lint: setup
	.venv/bin/ruff check .
	.venv/bin/lint-imports --no-cache
