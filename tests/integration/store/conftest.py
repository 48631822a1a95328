"""Store fixtures: every test runs on SQLite, and on PostgreSQL when 127.0.0.1:5432 answers.

The `database_url` fixture (tests/conftest.py) gives each test an empty database on each backend.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from store_helpers import SteppingClock

from addon.store import Store


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


@pytest.fixture
def store(database_url: str, clock: SteppingClock) -> Iterator[Store]:
    """A migrated store on an empty database, its clock a second further at each reading."""
    opened = Store.open(database_url, clock=clock)
    yield opened
    opened.close()
