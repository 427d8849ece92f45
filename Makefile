# The two commands a newcomer needs are `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup frontend demo lint format check benchmark soak

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The front end (npm ci and the copy into static/vendor/) is rebuilt only when the
# lock file or the build script changes, or when its output or node_modules is gone.
FRONTEND := static/vendor/nhsuk/.built

setup: $(VENV)/.installed $(FRONTEND)

frontend: $(FRONTEND)

$(FRONTEND): package.json package-lock.json scripts/build_frontend.sh node_modules/axe-core/axe.min.js
	bash scripts/build_frontend.sh
	touch $@

# No recipe: when the file is missing (node_modules deleted), the front end is rebuilt.
node_modules/axe-core/axe.min.js:

demo: setup
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py import_record demo/data/kent_medway_2018.toml
	DEBUG=true $(BIN)/python manage.py demo_users

run: demo
	@echo "Open http://127.0.0.1:8000/ and sign in with a login printed above."
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/djhtml --check templates

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djhtml templates

check: $(VENV)/.installed
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=true $(BIN)/python manage.py check

# -n auto: one pytest-xdist worker per CPU, each with its own test database.
# --maxschedchunk 4: the browser tests come last (pytest-django runs transactional tests
# after the rest), and xdist handed them out in one large batch, so one worker ran them
# all while the other sat idle for 16 s. Batches of four share them. (Not --dist
# worksteal: a worker that steals can run an ordinary test after a transactional one
# has emptied its database.)
# PYTHONDONTWRITEBYTECODE cleared: where a machine sets it (CI's does), every process
# compiled Django and the tests from source again, about 3 s each run and worker.
test: setup lint check
	bash scripts/ensure_chromium.sh
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n auto --maxschedchunk 4

benchmark: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kmcommission} $(BIN)/python scripts/benchmark.py

# 60 s of reads and writes against gunicorn and PostgreSQL (DATABASE_URL), with the database
# connections killed mid-run; prints lost, phantom and half-written writes (README).
soak: setup
	$(BIN)/python scripts/soak.py
