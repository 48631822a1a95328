# The two commands: `make run` (local stack with a demo) and `make test` (lint, types, tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM_STAMP := $(VENV)/.chromium

.PHONY: run test lint typecheck pytest clean test-oldest

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/map-addon run

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# The browser tests drive Debian's Chromium (Playwright never downloads a browser here).
$(CHROMIUM_STAMP):
	command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	touch $(CHROMIUM_STAMP)

pytest: $(STAMP) $(CHROMIUM_STAMP)
	$(BIN)/pytest -q

# The oldest releases pyproject.toml admits (scripts/oldest-requirements.txt), in a throwaway
# virtual environment, on the unit and review tests. Not part of `make test` (it installs a second
# set of packages); README "Tested dependency ranges".
OLDEST_VENV ?= /tmp/map-addon-oldest
test-oldest:
	rm -rf $(OLDEST_VENV)
	$(PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/pip install --quiet --upgrade pip
	$(OLDEST_VENV)/bin/pip install --quiet -r scripts/oldest-requirements.txt
	PYTHONPATH=scripts $(OLDEST_VENV)/bin/python -m pytest -q -p no:cacheprovider \
		-p oldest_warnings -W "ignore:You are using a Python version:FutureWarning" \
		tests/unit tests/integration/review tests/integration/watch/test_watch_access.py

clean:
	rm -rf $(VENV) .map-data .pytest_cache .mypy_cache .ruff_cache .hypothesis
