"""The Executive summary a champion forwards stays true: a slip shows in it after one tick.

Through the stand-in: the plan is created with the summary tab; the buyer reads it (and cannot
write it); the buyer moves "Review of our standard terms" past signature; the next read rewrites
the summary in the same batchUpdate as the Activity rows and the Deal tab's lines. A plan made
before the tab existed gets it at its next write.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from test_watch import World, _plan_rows

from addon.domain.businessdays import add_business_days
from addon.domain.layout_summary import SUMMARY_TAB
from addon.domain.templates import find_template
from localgoogle.server import Running

SUMMARY = f"'{SUMMARY_TAB}'!A1:B60"


@pytest.fixture
def world(local_google: Running, tmp_path: Path) -> Iterator[World]:
    built = World(local_google, tmp_path)
    yield built
    built.store.close()


def _summary(sheets: Any, who: str, sid: str) -> dict[str, str]:
    return {row[0]: row[1] for row in _plan_rows(sheets, who, sid, SUMMARY) if len(row) > 1}


def _slip_terms_past_signature(sheets: Any, world: World, sid: str) -> tuple[date, date]:
    rows = _plan_rows(sheets, world.buyer, sid)
    at = {row[0]: n + 1 for n, row in enumerate(rows) if row and row[0]}
    serial = date(1899, 12, 30)
    due = {row[0]: serial + timedelta(days=row[5]) for row in rows[1:] if row and row[0]}
    moved_to = due["signature"] + timedelta(days=21)
    sheets(world.buyer).spreadsheets().values().update(
        spreadsheetId=sid,
        range=f"Plan!F{at['terms-review']}",
        valueInputOption="USER_ENTERED",
        body={"values": [[moved_to.isoformat()]]},
    ).execute()
    return due["go-live"], moved_to


def test_the_buyer_reads_the_summary_and_sees_a_slip_cost_after_one_tick(
    world: World, sheets: Any
) -> None:
    world.tick()
    created = world.create()
    sid = created.spreadsheet_id
    lines = _summary(sheets, world.buyer, sid)
    assert lines["Executive summary"] == "Acme rollout"  # the name says the company already
    assert lines["What slips have cost"].startswith("Nothing so far: go-live holds at ")
    with pytest.raises(HttpError) as refused:  # the buyer reads it; only the add-on writes it
        sheets(world.buyer).spreadsheets().values().update(
            spreadsheetId=sid,
            range=f"'{SUMMARY_TAB}'!B5",
            valueInputOption="RAW",
            body={"values": [["All good, sign now"]]},
        ).execute()
    assert refused.value.resp.status == 400
    world.tick()

    go_live, moved_to = _slip_terms_past_signature(sheets, world, sid)
    result, cost = world.tick()
    assert result.changed_plans == [created.deal_id]
    assert cost["sheets"] == 2  # the read, and one write: Activity rows, Deal lines, summary

    holidays = frozenset(find_template("mid-market").holidays)
    # signing follows the terms review; go-live follows signing, as far
    new_signing = add_business_days(moved_to, 1, holidays)
    lines = _summary(sheets, world.buyer, sid)
    cost_line = lines["What slips have cost"]
    assert cost_line.startswith("Go-live has moved ")
    moved = int(cost_line.split("moved ")[1].split(" business")[0])
    assert moved > 0
    assert f"from {go_live:%A} {go_live.day} {go_live:%B %Y}" in cost_line
    assert lines["Signing"].startswith("Signing moves from ")
    assert f"({moved} business days later): it follows signing." in lines["Go-live"]
    assert f"({moved} business days later)" in lines["Signing"]  # what moved signing moved go-live
    assert f"to {new_signing:%A} {new_signing.day} {new_signing:%B %Y}" in lines["Signing"]

    again, cost = world.tick()
    assert again.changed_plans == [] and cost["sheets"] == 0


def test_a_plan_without_the_summary_tab_gets_it_at_its_next_write(
    world: World, sheets: Any
) -> None:
    world.tick()
    created = world.create()
    sid = created.spreadsheet_id
    world.tick()
    sheets(world.owner).spreadsheets().batchUpdate(  # as a plan made before the tab existed
        spreadsheetId=sid, body={"requests": [{"deleteSheet": {"sheetId": 5}}]}
    ).execute()
    world.tick()  # the owner's own edit: read, nothing to show

    _slip_terms_past_signature(sheets, world, sid)
    result, _ = world.tick()
    assert result.changed_plans == [created.deal_id] and not result.failed
    lines = _summary(sheets, world.buyer, sid)
    assert lines["What slips have cost"].startswith("Go-live has moved ")
    got = (
        sheets(world.owner)
        .spreadsheets()
        .get(
            spreadsheetId=sid,
            fields="sheets(properties(title),protectedRanges(editors,warningOnly))",
        )
        .execute()
    )
    (summary,) = [s for s in got["sheets"] if s["properties"]["title"] == SUMMARY_TAB]
    (protected,) = summary["protectedRanges"]
    assert world.buyer not in protected["editors"]["users"]
