# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# make serve: granian processes (one per core), the requests each serves at once
# (4 measured best here: README.md, "Production"), and the address it listens on
# (loopback; a private address when the front is another machine).
WEB_WORKERS ?= 2
WEB_THREADS ?= 4
WEB_HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed

.PHONY: install run serve bench soak test lint format clean

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

# Production mode on this machine: DEBUG off, migrate, collectstatic, then granian
# on $(WEB_HOST):$(PORT) and the task worker beside it (manage.py serve; README.md,
# "Production"). Put deploy/Caddyfile in front, with BEHIND_TLS_PROXY=1, for https.
serve: install
	@test -n "$$SECRET_KEY" || { \
	  echo "make serve: SECRET_KEY is not set. DEBUG=0 needs a secret key of your own (it signs"; \
	  echo "sessions and password-reset links). Make one, keep it (a new one logs everyone out):"; \
	  echo "  export SECRET_KEY=\"\$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\""; \
	  exit 2; } >&2
	@# exec: make forwards a SIGTERM to its child, which must be serve, not a shell.
	DEBUG=0 exec $(BIN)/python manage.py serve --host $(WEB_HOST) --port $(PORT) \
	  --workers $(WEB_WORKERS) --threads $(WEB_THREADS)

# Load on `manage.py serve` (DEBUG=0) with wrk, page cache on and off, against nginx
# serving the same bytes: a seeded site in a temporary folder, loopback only, a few
# minutes at most. DURATION=3 for a short run (seconds per wrk run, default 10).
bench: install
	$(BIN)/python bench/serve_load.py --web-workers $(WEB_WORKERS) --web-threads $(WEB_THREADS)

# A soak of `manage.py serve`: 60 s on 64 connections of mixed traffic (site pages,
# feeds, directory, dashboard reads, cache misses, a dashboard post every second);
# fails on any error or memory growth. DURATION=20 for a shorter run.
soak: install
	$(BIN)/python bench/soak.py --web-workers $(WEB_WORKERS) --web-threads $(WEB_THREADS)

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
