# Layan — `make run` (demo on http://127.0.0.1:8000), `make test` (the suite on SQLite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PYTEST := $(PY) -m pytest
HOST ?= 127.0.0.1
PORT ?= 8000
# Demo mode unless the caller says otherwise.
export LAYAN_MODE ?= demo

.PHONY: install run test test-pg test-browser bench lint format check-deploy translations clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed translations

# .po -> .mo with polib (pure Python): no GNU gettext needed on a fresh machine.
translations: $(VENV)/.installed
	@$(PY) -c "import pathlib, polib; [polib.pofile(str(p)).save_as_mofile(str(p.with_suffix('.mo'))) for p in pathlib.Path('layan').rglob('*.po')]"

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Layan (demo) on http://$(HOST):$(PORT)/ — Ctrl-C stops the web server and the worker."
	@bash -c 'trap "kill 0" EXIT INT TERM; \
	  $(BIN)/celery -A layan worker --beat --concurrency=1 --loglevel=WARNING & \
	  $(PY) manage.py runserver $(HOST):$(PORT) --noreload; wait'

test: install
	LAYAN_MODE=test $(PYTEST) -m "not browser" -n 2 -q

# The same suite on PostgreSQL and Redis (127.0.0.1), as CI runs it.
test-pg: install
	LAYAN_MODE=test DATABASE_URL=postgres://postgres@127.0.0.1:5432/layan REDIS_URL=redis://127.0.0.1:6379/15 \
	  $(PYTEST) -m "not browser" -n 2 -q

test-browser: install
	LAYAN_MODE=test DJANGO_ALLOW_ASYNC_UNSAFE=1 $(PYTEST) -m browser -q -p no:xdist

# The foundation benchmark; each module has its own (they take minutes to generate a kabupaten):
#   make bench BENCH=bench.bench_attendance   (also bench.bench_performance, bench_complaints, bench_aid)
BENCH ?= bench.run
bench: install
	LAYAN_MODE=test $(PY) -m $(BENCH)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check-deploy: install
	LAYAN_MODE=production SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(60))") \
	  LAYAN_FIELD_KEYS=$$($(PY) -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())") \
	  LAYAN_HASH_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(32))") \
	  ALLOWED_HOSTS=layan.example.go.id REDIS_URL=redis://127.0.0.1:6379/15 \
	  DATABASE_URL=sqlite:///$(CURDIR)/var/deploy-check.sqlite3 \
	  $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules var/staticfiles
