"""The watch fills "Done on" and "agreed on" when the buyer leaves them blank, in its one write.

Through the real clients against the stand-in: the buyer edits the plan, the watcher (the
service account) reads it and writes back in one batchUpdate per changed plan. A date a person
typed is kept as typed. Dates are written as date cells: serial numbers, "the days since
December 30th 1899" (https://developers.google.com/sheets/api/reference/rest/v4/DateTimeRenderOption).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_watch_identity import World, by_kind

from localgoogle.server import Running

EPOCH = date(1899, 12, 30)


@pytest.fixture
def world(local_google: Running, tmp_path: Path, sheets: Any, drive: Any) -> Iterator[World]:
    built = World(local_google, tmp_path, sheets, drive)
    yield built
    built.store.close()


def _day(serial: Any) -> date:
    assert isinstance(serial, int | float), serial
    return EPOCH + timedelta(days=int(serial))


def test_the_plan_tab_lists_the_steps_by_due_date(world: World) -> None:
    rows = world.read(world.owner, "Plan!A2:F40")
    dues = [row[5] for row in rows if row and row[0]]
    assert len(dues) > 3 and dues == sorted(dues)


def test_a_step_marked_done_without_a_date_gets_the_day_it_was_seen_done(world: World) -> None:
    world.write(world.buyer, (world.step("discovery", "G"), "Done"))
    result, cost = world.tick()
    done = by_kind(result)["step_done", "discovery"]
    (row,) = world.read(world.owner, world.step("discovery", "H"))
    assert _day(row[0]).isoformat() == done.details["done_on"]
    assert cost["sheets"] == 2  # one read, one write: the fill rides with the Activity rows
    (stored,) = [s for s in world.snapshot()["steps"] if s["id"] == "discovery"]
    assert stored["done_on"] == done.details["done_on"]  # the review sees the filled date
    again, _ = world.tick()
    assert again.events == []  # the watch's own fill is not news


def test_a_done_on_date_the_buyer_typed_is_kept(world: World) -> None:
    world.write(
        world.buyer,
        (world.step("discovery", "G"), "Done"),
        (world.step("discovery", "H"), "2026-11-20"),
    )
    result, _ = world.tick()
    assert by_kind(result)["step_done", "discovery"].details["done_on"] == "2026-11-20"
    (row,) = world.read(world.owner, world.step("discovery", "H"))
    assert _day(row[0]) == date(2026, 11, 20)


def test_a_tick_without_a_date_gets_the_day_it_was_seen_and_a_typed_date_is_kept(
    world: World,
) -> None:
    world.write(world.buyer, (world.cell("plan_agreed_buyer"), "TRUE"))
    result, cost = world.tick()
    agreed = by_kind(result)["plan_agreed", "plan_agreed_buyer"]
    (row,) = world.read(world.owner, world.cell("plan_agreed_buyer_on"))
    assert _day(row[0]).isoformat() == agreed.details["agreed_on"]
    assert cost["sheets"] == 2
    again, _ = world.tick()
    assert again.events == []

    world.write(
        world.owner,
        (world.cell("plan_agreed_seller"), "TRUE"),
        (world.cell("plan_agreed_seller_on"), "2026-11-25"),
    )
    result, _ = world.tick()
    assert by_kind(result)["plan_agreed", "plan_agreed_seller"].details["agreed_on"] == "2026-11-25"
    (row,) = world.read(world.owner, world.cell("plan_agreed_seller_on"))
    assert _day(row[0]) == date(2026, 11, 25)
