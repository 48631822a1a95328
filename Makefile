# The two commands: `make run` (local stack with a demo) and `make test` (lint, types, tests).
# `make check` is the edit loop: lint, types and the fast unit tests, in under a minute.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM_STAMP := $(VENV)/.chromium

.PHONY: run test check lint typecheck pytest pytest-fast clean test-oldest test-newest lock

# The pinned set (requirements-dev.lock, with hashes), then the project itself without resolving
# anything again; rebuilt when the lock or pyproject.toml changes. README "Dependencies".
$(STAMP): pyproject.toml requirements-dev.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/map-addon run

test: lint typecheck pytest

check: lint typecheck pytest-fast

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

# In parallel (pytest-xdist), two workers per core; each worker starts its own stand-in and its
# own PostgreSQL database. A worker uses about half a core: its stand-in shares its process (and
# so its GIL), and the fault, crash and browser tests wait on quotas, latency and subprocesses
# (docs/BENCHMARKS.md "Test suite"). `PYTEST_WORKERS=0 make pytest` runs serially.
# Work stealing: a worker that runs out of tests takes from another's queue, so the long fault
# and browser tests do not leave a core idle at the end.
PYTEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print(2 * (os.cpu_count() or 1))")
pytest: $(STAMP) $(CHROMIUM_STAMP)
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist worksteal

# The pure tests: no stand-in, no database, no browser.
FAST_TESTS := tests/unit tests/localgoogle/unit
pytest-fast: $(STAMP)
	$(BIN)/pytest -q -p no:xdist $(FAST_TESTS)

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

# Re-resolve pyproject.toml's ranges into requirements-dev.lock (runtime + dev + deploy extras,
# hashed, for Python 3.11 and up on any platform), then requirements.txt for App Engine from it
# (runtime + deploy only, the same pins). uv keeps the versions already locked unless a range
# forces a change; `make lock LOCK_UPGRADE=--upgrade` moves everything to the newest releases.
# uv is needed only here, in its own throwaway virtual environment.
LOCK_TOOL := uv==0.13.8
LOCK_VENV ?= /tmp/map-addon-lock
LOCK_UPGRADE ?=
LOCK_FLAGS := --quiet --universal --fork-strategy fewest --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(LOCK_UPGRADE)
lock:
	test -x $(LOCK_VENV)/bin/uv || { $(PYTHON) -m venv $(LOCK_VENV) && \
		$(LOCK_VENV)/bin/pip install --quiet '$(LOCK_TOOL)'; }
	$(LOCK_VENV)/bin/uv pip compile pyproject.toml --extra dev --extra deploy $(LOCK_FLAGS) \
		-o requirements-dev.lock
	$(LOCK_VENV)/bin/uv pip compile pyproject.toml --extra deploy $(LOCK_FLAGS) \
		-c requirements-dev.lock -o requirements.txt

# The newest releases pyproject.toml's ranges admit, ignoring the lock, in a throwaway virtual
# environment, on the same tests as test-oldest: what the scheduled CI job runs (README "Tested
# dependency ranges"); a failure there means a new release broke something before a re-lock does.
NEWEST_VENV ?= /tmp/map-addon-newest
test-newest:
	rm -rf $(NEWEST_VENV)
	$(PYTHON) -m venv $(NEWEST_VENV)
	$(NEWEST_VENV)/bin/pip install --quiet --upgrade pip
	$(NEWEST_VENV)/bin/pip install --quiet --upgrade --upgrade-strategy eager -e '.[dev]'
	$(NEWEST_VENV)/bin/pip list --format=freeze > $(NEWEST_VENV)/tested-versions.txt
	$(NEWEST_VENV)/bin/python -m pytest -q -p no:cacheprovider -p no:xdist \
		tests/unit tests/integration/review tests/integration/watch/test_watch_access.py

clean:
	rm -rf $(VENV) .map-data .pytest_cache .mypy_cache .ruff_cache .hypothesis
