# The two commands: `make run` serves the portal with demo data; `make test` runs the whole suite.
# Both create the virtual environment from the locked requirements when it is missing or out of date.

SHELL := /bin/bash
PORT ?= 8000
# The stand-in state systems (integrations/standin) started beside the portal by `make run`.
STANDIN_PORT ?= 8790
VENV := .venv
BIN := $(VENV)/bin
# The first interpreter on PATH that is Python 3.12 or newer (a pyenv shim for another version fails the check).
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then echo $$p; break; fi; done)
PIP_FLAGS := --disable-pip-version-check --quiet --require-hashes

.PHONY: run test lint format lock migrate demo bench clean check-python browser-deps

check-python:
	@if [ -z "$(PYTHON)" ]; then echo "Cần Python 3.12 trở lên (Python 3.12+ is required)." >&2; exit 1; fi

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.lock | $(BIN)/python
	$(BIN)/pip install $(PIP_FLAGS) -r requirements/base.lock
	@touch $@

$(VENV)/.dev-installed: requirements/dev.lock | $(BIN)/python
	$(BIN)/pip install $(PIP_FLAGS) -r requirements/dev.lock
	@touch $@ $(VENV)/.base-installed

var:
	@mkdir -p var/static

migrate: $(VENV)/.base-installed | var
	$(BIN)/python manage.py migrate --noinput -v 0

demo: migrate
	$(BIN)/python manage.py load_demo

# The national portal is played by the stand-in (its own process, stopped with the portal) unless DVCQG_BASE_URL is set.
# Links and QR codes in the PDF forms (rendered while loading the demo and afterwards) point where the portal is served,
# unless PORTAL_BASE_URL is given (a public address in front of it).
run: export PORTAL_BASE_URL ?= http://127.0.0.1:$(PORT)
run: demo
	@echo "Cổng Dịch vụ công: http://127.0.0.1:$(PORT)/  (quản trị: http://127.0.0.1:$(PORT)/quan-tri/)"
	@echo "Đường dẫn tra cứu trong biểu mẫu PDF: $(PORTAL_BASE_URL)/"
	$(BIN)/python -m integrations.standin.beside --port $(STANDIN_PORT) -- $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Browser tests need Chromium and axe-core, the single sign-on tests oidc-provider (an OpenID provider run on loopback);
# CI installs them (.ci/run; `npm ci` installs every package in package-lock.json). Locally they are skipped when absent.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund; else echo "npm not found: browser tests will be skipped"; fi

test: $(VENV)/.dev-installed | var
	@$(MAKE) --no-print-directory node_modules/axe-core/axe.min.js || true
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v 0
	PORTAL_ENV=test $(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lock: $(VENV)/.dev-installed
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements/base.lock pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links --extra dev -o requirements/dev.lock pyproject.toml

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules var/static
