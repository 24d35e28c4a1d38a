# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test lint format clean

install: $(STAMP)
	@# node_modules/ is not in the stamp: restore it if it was deleted since.
	@test -d node_modules/academicons/svg || npm ci --no-audit --no-fund --silent

# Reinstall only when the declared dependencies change: Python's, and npm's
# lockfile (Academicons SVGs, inlined into pages from node_modules/).
$(STAMP): pyproject.toml package-lock.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	npm ci --no-audit --no-fund --silent
	@touch $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Landing page:  http://localhost:$(PORT)/"
	@echo "Demo sites:    http://amara.localhost:$(PORT)/  http://treyes.localhost:$(PORT)/"
	@# The task worker (al-folio imports from the dashboard) runs beside the web
	@# server and stops with it: Ctrl-C ends both.
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/python manage.py db_worker --no-reload --queue-name '*' & \
	PUBLIC_PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install lint
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
