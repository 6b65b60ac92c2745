# One entry point for developers and CI. `make demo` and `make test` work on a fresh machine:
# they create .venv, install the project with every extra, and install Debian's chromium if missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test check lint types unit e2e bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[web,heic,relay,sim,dev]'
	command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	touch $(STAMP)

demo: install
	$(PY) scripts/demo.py

# The full suite: style, types, then every test (unit, integration, PostgreSQL, browser).
test: check

check: lint types unit e2e

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

types: install
	$(VENV)/bin/mypy

# Everything but the browser tests, on both cores.
unit: install
	env -u DISPLAY $(PY) -m pytest -q -n 2 -m "not e2e"

# Headless Chromium against the app in web mode; one process, one browser for the session.
e2e: install
	env -u DISPLAY $(PY) -m pytest -q -m e2e

bench: install
	for b in bench/*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) build .mypy_cache .ruff_cache .pytest_cache test-artifacts
