"""The milestone rows are the signature and go-live dates; the watch keeps the Deal tab's copy.

Through the stand-in with the real client library: a buyer edits one place with
`values.update` (USER_ENTERED, as typing does: "2027-04-15" becomes a date serial number, see
https://developers.google.com/workspace/sheets/api/reference/rest/v4/ValueInputOption), then a
watch tick. The write-back stays inside the changed plan's budget (DESIGN.md: at most 2 Sheets
requests, one read and one write), and the next tick does not read its own write as an edit.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_watch import World

from addon.domain.layout_cells import serial
from addon.domain.layout_deal import deal_fact
from localgoogle.server import Running


@pytest.fixture
def world(local_google: Running, tmp_path: Path) -> Iterator[World]:
    built = World(local_google, tmp_path)
    yield built
    built.store.close()


def _cell(sheets: Any, who: str, sid: str, a1: str) -> Any:
    got = (
        sheets(who)
        .spreadsheets()
        .values()
        .get(spreadsheetId=sid, range=a1, valueRenderOption="UNFORMATTED_VALUE")
        .execute()
    )
    return got["values"][0][0]


def _type(sheets: Any, who: str, sid: str, a1: str, text: str) -> None:
    sheets(who).spreadsheets().values().update(
        spreadsheetId=sid, range=a1, valueInputOption="USER_ENTERED", body={"values": [[text]]}
    ).execute()


def _go_live_row(sheets: Any, who: str, sid: str) -> int:
    rows = sheets(who).spreadsheets().values().get(spreadsheetId=sid, range="Plan!A1:A60").execute()
    return next(n + 1 for n, row in enumerate(rows["values"]) if row and row[0] == "go-live")


def _slips(world: World, deal_id: str) -> list[Any]:
    with world.store.transaction() as tx:
        return [e for e in tx.events.for_deal(deal_id) if e.kind.endswith("_slipped")]


def test_a_buyer_moving_the_deal_tab_go_live_moves_the_go_live_row(
    world: World, sheets: Any
) -> None:
    world.tick()
    created = world.create()
    world.tick()
    sid, go_live = created.spreadsheet_id, deal_fact("go_live").value_cell
    row = _go_live_row(sheets, world.buyer, sid)
    assert _cell(sheets, world.buyer, sid, f"Plan!F{row}") == serial(date(2027, 4, 1))

    _type(sheets, world.buyer, sid, go_live, "2027-04-15")
    result, cost = world.tick()

    assert result.changed_plans == [created.deal_id]
    assert cost["sheets"] <= 2  # one read, one write: Activity rows and the row's date together
    assert _cell(sheets, world.owner, sid, f"Plan!F{row}") == serial(date(2027, 4, 15))
    [slip] = _slips(world, created.deal_id)
    assert (slip.kind, slip.before, slip.after) == ("go_live_slipped", "2027-04-01", "2027-04-15")
    assert slip.payload["details"]["source"] == "deal"
    assert slip.actor_email == world.buyer
    with world.store.transaction() as tx:
        stored = tx.snapshots.latest(created.deal_id)
    assert stored is not None
    due = next(s["due"] for s in stored.payload["steps"] if s["id"] == "go-live")
    assert (due, stored.payload["deal"]["go_live"]) == ("2027-04-15", "2027-04-15")

    again, cost = world.tick()  # the write-back is the product's own, not a buyer's edit
    assert (again.changed_plans, again.events) == ([], [])
    assert cost == {"sheets": 0, "drive": 1}
    assert len(_slips(world, created.deal_id)) == 1


def test_a_buyer_moving_the_signature_row_rewrites_the_deal_tab(world: World, sheets: Any) -> None:
    world.tick()
    created = world.create()
    world.tick()
    sid = created.spreadsheet_id
    rows = (
        sheets(world.buyer)
        .spreadsheets()
        .values()
        .get(spreadsheetId=sid, range="Plan!A1:A60")
        .execute()["values"]
    )
    row = next(n + 1 for n, r in enumerate(rows) if r and r[0] == "signature")

    _type(sheets, world.buyer, sid, f"Plan!F{row}", "2027-03-10")
    result, cost = world.tick()

    assert cost["sheets"] <= 2
    signature = deal_fact("signature_target").value_cell
    assert _cell(sheets, world.owner, sid, signature) == serial(date(2027, 3, 10))
    [slip] = [e for e in result.events if e.kind.value == "signature_slipped"]
    assert (slip.subject, slip.after, slip.details["source"]) == ("signature", "2027-03-10", "step")
    again, _ = world.tick()
    assert again.events == []


def test_both_places_moved_apart_the_row_wins(world: World, sheets: Any) -> None:
    world.tick()
    created = world.create()
    world.tick()
    sid, go_live = created.spreadsheet_id, deal_fact("go_live").value_cell
    row = _go_live_row(sheets, world.buyer, sid)

    sheets(world.buyer).spreadsheets().values().batchUpdate(
        spreadsheetId=sid,
        body={
            "valueInputOption": "USER_ENTERED",
            "data": [
                {"range": f"Plan!F{row}", "values": [["2027-04-20"]]},
                {"range": go_live, "values": [["2027-05-03"]]},
            ],
        },
    ).execute()
    result, _ = world.tick()

    assert _cell(sheets, world.owner, sid, go_live) == serial(date(2027, 4, 20))
    assert _cell(sheets, world.owner, sid, f"Plan!F{row}") == serial(date(2027, 4, 20))
    [slip] = [e for e in result.events if e.kind.value == "go_live_slipped"]
    assert slip.details["source"] == "step" and slip.details["deal_date_replaced"] == "2027-05-03"
    assert any(issue.kind == "milestone_conflict" for _, issue in result.data_issues)


def test_a_write_back_that_failed_is_made_at_the_next_tick_not_read_as_an_edit(
    world: World, sheets: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from addon.google.errors import ServerError
    from addon.google.gateway import GoogleGateway

    world.tick()
    created = world.create()
    world.tick()
    sid, go_live = created.spreadsheet_id, deal_fact("go_live").value_cell
    row = _go_live_row(sheets, world.buyer, sid)
    _type(sheets, world.buyer, sid, go_live, "2027-04-15")

    def unavailable(self: GoogleGateway, spreadsheet_id: str, requests: Any) -> Any:
        raise ServerError(503, "The service is currently unavailable.")

    with monkeypatch.context() as patched:
        patched.setattr(GoogleGateway, "batch_update", unavailable)
        failed, _ = world.tick()
    assert failed.failed == [created.deal_id]
    assert _cell(sheets, world.owner, sid, f"Plan!F{row}") == serial(date(2027, 4, 1))

    rerun, _ = world.tick()

    assert rerun.events == []  # the row still showing 2027-04-01 is no move back
    assert _cell(sheets, world.owner, sid, f"Plan!F{row}") == serial(date(2027, 4, 15))
    assert _cell(sheets, world.owner, sid, go_live) == serial(date(2027, 4, 15))
    [slip] = _slips(world, created.deal_id)
    assert (slip.before, slip.after) == ("2027-04-01", "2027-04-15")
    again, cost = world.tick()
    assert (again.events, cost) == ([], {"sheets": 0, "drive": 1})
