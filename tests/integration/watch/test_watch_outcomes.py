"""A lost deal's plan is archived: the watch spends no request on it until the seller reopens it.

Through the stand-in with the real clients: the outcome shows on the plan's Deal tab and in its
Activity tab, ending sharing takes the buyer's access away, and reopening reads the plan once,
so the edits the buyer made meanwhile are recorded then.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from test_watch import World, _buyer_edits, _plan_rows

from addon.domain.layout_deal import deal_status_row
from addon.domain.outcome import InvalidOutcome
from addon.domain.refresh_task import RefreshTask
from addon.services.deal_outcome import DealLifecycle, NotYourDeal, UnknownDeal
from localgoogle.server import Running

NOW = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


@pytest.fixture
def world(local_google: Running, tmp_path: Path) -> Iterator[World]:
    built = World(local_google, tmp_path)
    yield built
    built.store.close()


def _lifecycle(world: World) -> DealLifecycle:
    return DealLifecycle(
        world.store,
        world.google,
        world.service_account,
        clock=lambda: NOW,
        catch_up=lambda deal_id: world.watcher.refresh(RefreshTask(deal_id)),
    )


def _status(sheets: Any, world: World, sid: str) -> str:
    row = deal_status_row()
    return str(_plan_rows(sheets, world.owner, sid, f"Deal!A{row}:B{row}")[0][1])


def test_a_lost_deal_costs_no_request_and_reopen_catches_up(world: World, sheets: Any) -> None:
    world.tick()
    created = world.create()
    world.tick()
    lifecycle = _lifecycle(world)

    lost = lifecycle.close(
        created.deal_id, won=False, by=world.owner, reason="Price", competitor="Rival Corp"
    )
    assert lost.shown_in_plan and lost.warning is None
    sid = created.spreadsheet_id
    assert _status(sheets, world, sid) == "Lost on 2026-12-03, reason: Price, to Rival Corp"
    activity = _plan_rows(sheets, world.owner, sid, "Activity!A2:H60")
    assert [row[7] for row in activity] == [lost.event_id]

    edits = _buyer_edits(sheets, world, sid)  # the buyer carries on in the archived plan
    result, cost = world.tick()
    assert result.changed_plans == [] and result.events == []
    assert cost == {"sheets": 0, "drive": 1}  # the change feed only
    assert world.watcher.refresh(RefreshTask(created.deal_id)).skipped == 1  # a queued task too

    reopened = lifecycle.reopen(created.deal_id, by=world.owner)
    assert reopened.outcome is None and _status(sheets, world, sid) == "Open"
    with world.store.transaction(read_only=True) as tx:
        kinds = {(e.kind, e.subject) for e in tx.events.for_deal(created.deal_id)}
    assert ("due_date_moved", edits["slipped"]) in kinds  # read once on reopening
    assert ("deal_reopened", None) in kinds


def test_ending_sharing_takes_the_buyers_access_away(world: World, sheets: Any) -> None:
    world.tick()
    created = world.create()
    lifecycle = _lifecycle(world)
    with pytest.raises(InvalidOutcome, match="lost deal only"):
        lifecycle.end_sharing(created.deal_id, by=world.owner)
    lifecycle.close(created.deal_id, won=False, by=world.owner)

    assert lifecycle.end_sharing(created.deal_id, by=world.owner) == [world.buyer]
    with pytest.raises(HttpError) as refused:
        _plan_rows(sheets, world.buyer, created.spreadsheet_id)
    assert refused.value.resp.status in (403, 404)
    with world.store.transaction(read_only=True) as tx:
        deal = tx.deals.get(created.deal_id)
    assert deal is not None and deal.person(world.buyer).shared is False  # type: ignore[union-attr]
    assert lifecycle.end_sharing(created.deal_id, by=world.owner) == []  # again: nothing to do


def test_moves_are_refused_clearly(world: World) -> None:
    created = world.create()
    lifecycle = _lifecycle(world)
    with pytest.raises(UnknownDeal, match="no deal 'd_nope'"):
        lifecycle.close("d_nope", won=True, by=world.owner)
    with pytest.raises(NotYourDeal, match="only the deal's owner"):
        lifecycle.close(created.deal_id, won=True, by="eve@acme.example", owner_only=True)
    lifecycle.hold(created.deal_id, until=date(2027, 1, 15), by=world.owner)
    won = lifecycle.close(created.spreadsheet_id, won=True, by=world.owner)  # by sheet id too
    assert won.outcome is not None and won.outcome.describe() == "Won on 2026-12-03"
    with pytest.raises(InvalidOutcome, match="already won"):
        lifecycle.close(created.deal_id, won=False, by=world.owner)
