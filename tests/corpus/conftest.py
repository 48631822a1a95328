"""The corpus's seller and buyer, and a fresh plan with its own watcher for each case."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from corpus_world import Cast, PlanWorld

from localgoogle.server import Running


@pytest.fixture(scope="module")
def cast(local_google: Running) -> Cast:
    return Cast.new(local_google)


@pytest.fixture
def plan_world(cast: Cast, tmp_path: Path) -> Iterator[PlanWorld]:
    world = PlanWorld(cast, tmp_path)
    yield world
    world.close()
