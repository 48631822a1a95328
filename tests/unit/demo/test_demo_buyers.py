"""Demo buyers make the edits their persona implies, and silent ones make none."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from addon.demo.buyers import buyer_week, persona

TODAY = date(2026, 11, 26)


def snapshot() -> dict[str, Any]:
    return {
        "steps": [
            {"id": "a", "row": 2, "status": "Done", "due": "2026-12-01", "owner_side": "Buyer"},
            {
                "id": "b",
                "row": 3,
                "status": "Not started",
                "due": "2026-12-10",
                "owner_side": "Both",
            },
            {
                "id": "c",
                "row": 4,
                "status": "Not started",
                "due": "2026-12-05",
                "owner_side": "Buyer",
            },
            {
                "id": "s",
                "row": 5,
                "status": "Not started",
                "due": "2026-12-02",
                "owner_side": "Seller",
            },
        ],
        "stakeholders": [{"email": "ann@acme.example", "side": "Buyer", "row": 2}],
    }


def ranges(who: str, week: int) -> list[str]:
    return [e.range for e in buyer_week(snapshot(), who, week, TODAY, random.Random(1))]


def test_engaged_buyer_finishes_their_earliest_open_step_and_agrees_the_plan() -> None:
    edits = ranges("engaged", 1)
    assert edits[0] == "Plan!G4:H4"  # c is due first among the buyer's open steps
    assert "Plan!G5:H5" not in edits  # the seller's step is not the buyer's to finish
    assert "Deal!B9" in edits and "Stakeholders!A3:E3" in edits


def test_slipping_buyer_moves_due_dates_later() -> None:
    edits = buyer_week(snapshot(), "slipping", 1, TODAY, random.Random(2))
    moved = [e for e in edits if e.range.startswith("Plan!F")]
    assert moved and all(e.values[0][0] > "2026-12-05" for e in moved)


def test_expanding_buyer_adds_a_step_below_the_last_one() -> None:
    assert ranges("expanding", 1)[0] == "Plan!A6:G6"


def test_silent_buyer_does_nothing_and_personas_include_silence() -> None:
    assert ranges("silent", 1) == []
    assert "silent" in {persona(i) for i in range(10)}
