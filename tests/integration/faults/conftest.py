"""Fault tests compare runs: each run gets a database of its own, on SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], str]:
    """new_database(name) -> the URL of an empty database on this backend."""
    if request.param == "sqlite":
        return lambda name: f"sqlite:///{tmp_path / name / 'map.sqlite3'}"
    postgres = request.getfixturevalue("postgres")
    return lambda name: str(postgres.fresh_schema_url())
