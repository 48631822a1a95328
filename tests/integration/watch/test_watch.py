"""Buyer edits made through the real clients become events, attributed and shown in Activity.

Request budgets (DESIGN.md): a tick with nothing changed costs 1 Drive request and no Sheets
request; a changed plan costs at most 2 Sheets requests (one read, one write), and one Drive
request more (revisions.list, to credit each change to its author) when the read found changes,
and one comments.list per plan read (the comments made since the last read).
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from addon.config import Config
from addon.domain.plan_request import build_plan_request
from addon.google.gateway import GoogleFactory
from addon.services.create_plan import PlanCreated, PlanCreator
from addon.services.watch import TickResult, Watcher
from addon.store import Store
from localgoogle.server import Running

TODAY = date(2026, 11, 26)


class World:
    """A store, a seller's plan and a watcher with its own service account."""

    def __init__(self, local_google: Running, tmp_path: Path) -> None:
        tag = uuid.uuid4().hex[:8]
        self.local_google = local_google
        self.service_account = f"watcher-{tag}@svc.example.com"
        self.owner = f"sam-{tag}@vendor.example"
        self.buyer = f"ann-{tag}@acme.example"
        config = Config.from_env(
            {"MAP_LOCAL_GOOGLE_URL": local_google.url, "MAP_SERVICE_ACCOUNT": self.service_account}
        )
        self.store = Store.open(f"sqlite:///{tmp_path / 'map.sqlite3'}")
        self.google = GoogleFactory(config)
        self.creator = PlanCreator(
            self.store, self.google, self.service_account, today=lambda: TODAY
        )
        self.watcher = Watcher(self.store, self.google, self.service_account)

    def create(self) -> PlanCreated:
        request = build_plan_request(
            deal_name="Acme rollout",
            buyer_company="Acme",
            buyer_emails=[self.buyer],
            go_live="2027-04-01",
            template="mid-market",
            owner=self.owner,
            today=TODAY,
        )
        return self.creator.create(request)

    def tick(self) -> tuple[TickResult, dict[str, int]]:
        before = self._served()
        result = self.watcher.tick()
        after = self._served()
        return result, {
            api: sum(n - before.get(m, 0) for m, n in after.items() if m.startswith(api + "."))
            for api in ("sheets", "drive")
        }

    def _served(self) -> dict[str, int]:
        """Requests the stand-in served to this world's service account, by method."""
        with urllib.request.urlopen(f"{self.local_google.url}/_local/stats") as response:
            stats = json.loads(response.read())
        return dict(stats["by_user_method"].get(self.service_account, {}))


@pytest.fixture
def world(local_google: Running, tmp_path: Path) -> Iterator[World]:
    built = World(local_google, tmp_path)
    yield built
    built.store.close()


def _plan_rows(sheets: Any, who: str, sid: str, a1: str = "Plan!A1:I60") -> list[list[Any]]:
    got = (
        sheets(who)
        .spreadsheets()
        .values()
        .get(spreadsheetId=sid, range=a1, valueRenderOption="UNFORMATTED_VALUE")
        .execute()
    )
    return list(got.get("values", []))


def _buyer_edits(sheets: Any, world: World, sid: str) -> dict[str, Any]:
    """A slipped date, a finished step, an added step and a new stakeholder, typed by the buyer."""
    rows = _plan_rows(sheets, world.buyer, sid)
    steps = {row[0]: n + 1 for n, row in enumerate(rows) if row and row[0] and n > 0}
    slipped, finished = list(steps)[2], list(steps)[0]
    first_free = len(rows) + 1
    people = _plan_rows(sheets, world.buyer, sid, "Stakeholders!A1:E60")
    values = sheets(world.buyer).spreadsheets().values()
    values.batchUpdate(
        spreadsheetId=sid,
        body={
            "valueInputOption": "USER_ENTERED",
            "data": [
                {"range": f"Plan!F{steps[slipped]}", "values": [["2027-03-26"]]},
                {
                    "range": f"Plan!G{steps[finished]}:H{steps[finished]}",
                    "values": [["Done", "2026-12-01"]],
                },
                {
                    "range": f"Plan!B{first_free}:F{first_free}",
                    "values": [["Contract", "Procurement onboarding", "Buyer", "", "2027-03-01"]],
                },
                {
                    "range": f"Stakeholders!A{len(people) + 1}:D{len(people) + 1}",
                    "values": [["Dana Ruiz", f"dana-{world.buyer}", "Buyer", "Legal"]],
                },
            ],
        },
    ).execute()
    return {"slipped": slipped, "finished": finished, "added_row": first_free}


def test_nothing_changed_costs_one_drive_request_and_no_sheets(world: World) -> None:
    world.tick()  # starts the feed
    result, cost = world.tick()
    assert (result.changed_plans, result.events) == ([], [])
    assert cost == {"sheets": 0, "drive": 1}


def test_a_new_plan_does_not_make_the_watch_read_it(world: World) -> None:
    world.tick()
    world.create()
    result, cost = world.tick()
    assert result.changed_plans == [] and result.skipped == 1
    assert cost == {"sheets": 0, "drive": 1}


def test_buyer_edits_become_attributed_events_shown_in_activity(world: World, sheets: Any) -> None:
    world.tick()
    created = world.create()
    world.tick()
    edits = _buyer_edits(sheets, world, created.spreadsheet_id)

    result, cost = world.tick()

    assert result.changed_plans == [created.deal_id]
    assert cost == {"sheets": 2, "drive": 3}  # changes.list, revisions.list, comments.list
    kinds = {(e.kind.value, e.subject) for e in result.events}
    assert ("due_date_moved", edits["slipped"]) in kinds
    assert ("step_done", edits["finished"]) in kinds
    assert any(kind == "step_added" for kind, _ in kinds)
    assert ("stakeholder_added", f"dana-{world.buyer}") in kinds
    assert {(e.actor.email, e.actor.side) for e in result.events} == {(world.buyer, "buyer")}
    slip = next(e for e in result.events if e.kind.value == "due_date_moved")
    assert slip.details["slip_business_days"] > 0

    activity = _plan_rows(sheets, world.owner, created.spreadsheet_id, "Activity!A2:H60")
    assert sorted(row[7] for row in activity) == sorted(e.event_id for e in result.events)
    assert all(row[2] == "Buyer" for row in activity)
    new_id = _plan_rows(sheets, world.owner, created.spreadsheet_id)[edits["added_row"] - 1][0]
    assert new_id.startswith("b-procurement-onboarding")

    again, cost = world.tick()
    assert (again.changed_plans, again.events) == ([], [])
    assert cost == {"sheets": 0, "drive": 1}


def test_a_tick_that_fails_before_writing_is_rerun_without_duplicates(
    world: World, sheets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from addon.google.errors import ServerError
    from addon.google.gateway import GoogleGateway

    world.tick()
    created = world.create()
    world.tick()
    _buyer_edits(sheets, world, created.spreadsheet_id)

    def unavailable(self: GoogleGateway, spreadsheet_id: str, requests: Any) -> Any:
        raise ServerError(503, "The service is currently unavailable.")

    with monkeypatch.context() as patched:
        patched.setattr(GoogleGateway, "batch_update", unavailable)
        failed, _ = world.tick()
    assert failed.failed == [created.deal_id] and not failed.cursor_advanced

    rerun, _ = world.tick()
    assert rerun.cursor_advanced
    with world.store.transaction() as tx:
        stored = tx.events.for_deal(created.deal_id)
        assert tx.events.unshown(created.deal_id) == []
    activity = _plan_rows(sheets, world.owner, created.spreadsheet_id, "Activity!H2:H60")
    assert sorted(row[0] for row in activity) == sorted(e.event_id for e in stored)
    assert len(stored) >= 4  # recorded by the failed tick, shown by the re-run
    assert rerun.events == []  # nothing counted twice
