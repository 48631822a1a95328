"""A slip shows in the shared plan: the Deal tab's outlook lines say what it costs, in words.

Through the stand-in: the buyer moves "Review of our standard terms" past signature; the next
read writes, in the same batchUpdate as the Activity rows, the lines both sides see. A read
with nothing new writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_watch import World, _plan_rows

from addon.domain.businessdays import add_business_days, business_days_between
from addon.domain.layout_deal import outlook_rows
from addon.domain.templates import find_template
from localgoogle.server import Running


@pytest.fixture
def world(local_google: Running, tmp_path: Path) -> Iterator[World]:
    built = World(local_google, tmp_path)
    yield built
    built.store.close()


def _outlook(sheets: Any, world: World, sid: str) -> list[str]:
    first, last = outlook_rows()
    return [row[1] for row in _plan_rows(sheets, world.owner, sid, f"Deal!A{first}:B{last}")]


def test_a_slip_past_signature_is_spelled_out_on_the_deal_tab(world: World, sheets: Any) -> None:
    world.tick()
    created = world.create()
    sid = created.spreadsheet_id
    signing, go_live = _outlook(sheets, world, sid)
    assert signing.startswith("Signing: on plan for ") and go_live.startswith("Go-live: on plan")
    world.tick()

    rows = _plan_rows(sheets, world.buyer, sid)
    at = {row[0]: n + 1 for n, row in enumerate(rows) if row and row[0]}
    serial = date(1899, 12, 30)  # dates come back as serial numbers (UNFORMATTED_VALUE)
    due = {row[0]: serial + timedelta(days=row[5]) for row in rows[1:] if row and row[0]}
    holidays = frozenset(find_template("mid-market").holidays)
    moved_to = due["signature"] + timedelta(days=21)
    sheets(world.buyer).spreadsheets().values().update(
        spreadsheetId=sid,
        range=f"Plan!F{at['terms-review']}",
        valueInputOption="USER_ENTERED",
        body={"values": [[moved_to.isoformat()]]},
    ).execute()
    result, cost = world.tick()
    assert result.changed_plans == [created.deal_id]
    assert cost["sheets"] == 2  # the read, and one write for the Activity rows and the lines

    signing, go_live = _outlook(sheets, world, sid)
    new_signing = add_business_days(moved_to, 1, holidays)
    late = business_days_between(due["signature"], new_signing, holidays)
    assert signing.startswith(f"Signing moves from {due['signature']:%A} {due['signature'].day} ")
    assert (
        f"to {new_signing:%A} {new_signing.day} {new_signing:%B %Y} ({late} business days later)"
        in signing
    )
    assert signing.endswith(
        f": Review of our standard terms now ends {moved_to:%A} {moved_to.day} {moved_to:%B}."
    )
    assert go_live.startswith("Go-live moves from ") and go_live.endswith(": it follows signing.")

    again, cost = world.tick()
    assert again.changed_plans == [] and cost["sheets"] == 0
