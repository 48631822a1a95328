"""What a corpus case is, and the words cases are written in.

A case is one hostile buyer edit, applied as the buyer through the real clients to a fresh plan
(`corpus_world.PlanWorld`), and what the next watch tick must make of it (`Expect`). Everything
the edit does not legitimately change must come through the tick as it was before.

The plan is the `mid-market` template's: twelve steps on rows 2-13 of the Plan tab (STEP_ROWS),
eleven Deal facts on rows 2-12 of the Deal tab, and the buyer (Ann) and the seller (Sam) on rows
2-3 of the Stakeholders tab. Text in cases may name people as "{ann}", "{sam}" and "{dana}"
(a buyer colleague a case may add); each world fills in its own addresses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import gspread
import pytest
from corpus_world import PlanWorld
from gspread.utils import a1_range_to_grid_range

from addon.domain.layout_tabs import SHEET_IDS
from addon.services.watch import TickResult

STEP_ROWS = {
    "discovery": 2,
    "mutual-plan": 3,
    "trial": 4,
    "proposal": 5,
    "decision": 6,
    "security-questionnaire": 7,
    "terms-review": 8,
    "order-form": 9,
    "signature": 10,
    "kickoff": 11,
    "onboarding": 12,
    "go-live": 13,
}
PLAN_WIDTH = 9  # columns A-I

Edit = Callable[[PlanWorld], object]


@dataclass(frozen=True)
class Expect:
    """What the tick after the edit must find; anything not named here must not change."""

    # (kind, cell) of every data issue, exactly; cell None for an issue about a whole tab.
    issues: Sequence[tuple[str, str | None]] = ()
    # (kind, subject) of every event, exactly; a subject may end in "*" (a generated step id).
    events: Sequence[tuple[str, str]] = ()
    # Step id -> the fields the edit changes, or None for a step it removes.
    steps: Mapping[str, Mapping[str, Any] | None] = field(default_factory=dict)
    new_steps: Sequence[str] = ()  # names of the steps the edit adds
    deal: Mapping[str, Any] = field(default_factory=dict)  # Deal facts the edit changes
    # Email (or name, for a person without one) -> the fields the edit changes; None: removed.
    people: Mapping[str, Mapping[str, Any] | None] = field(default_factory=dict)
    new_people: Sequence[str] = ()  # emails (or names) of the people the edit adds
    read: bool = True  # False when the edit changes nothing, so the tick need not read the plan


@dataclass(frozen=True)
class Outcome:
    """What a case's edit led to, for checks beyond `Expect`."""

    world: PlanWorld
    result: TickResult
    before: dict[str, Any]  # the snapshot before the edit
    after: dict[str, Any]  # the snapshot after the tick

    def step(self, step_id: str) -> dict[str, Any]:
        return next(step for step in self.after["steps"] if step["id"] == step_id)

    def new_step_ids(self) -> list[str]:
        known = {step["id"] for step in self.before["steps"]}
        return [step["id"] for step in self.after["steps"] if step["id"] not in known]


@dataclass(frozen=True)
class Case:
    """One buyer edit, what it must lead to, and a one-line description of it."""

    name: str
    description: str
    edit: Edit
    expect: Expect = Expect()
    after_baseline: bool = False  # first the buyer fills in some of the plan (BASELINE)
    check: Callable[[Outcome], None] | None = None
    slow: bool = False  # a long variant, run with MAP_SLOW_TESTS=1
    known_bug: str | None = None  # where the product fails this case today (strict xfail)

    def param(self) -> Any:
        marks: list[pytest.MarkDecorator] = []
        if self.slow:
            marks.append(pytest.mark.slow)
        if self.known_bug:
            marks.append(
                pytest.mark.xfail(reason=self.known_bug, raises=AssertionError, strict=True)
            )
        return pytest.param(self, id=self.name, marks=marks)


def named(text: str, world: PlanWorld) -> str:
    """Text with "{ann}", "{sam}" and "{dana}" replaced by the world's addresses."""
    for who, email in world.people.items():
        text = text.replace("{" + who + "}", email)
    return text


# --- edits -------------------------------------------------------------------------------------


def typed(a1: str, *rows: Sequence[object]) -> Edit:
    """The buyer types rows of values at `a1`, parsed as the Sheets UI parses typing."""
    return lambda world: world.type_in(a1, _named_rows(rows, world))


def pasted(a1: str, *rows: Sequence[object]) -> Edit:
    """The buyer enters values as they are (RAW): text stays text, numbers numbers."""
    return lambda world: world.type_in(a1, _named_rows(rows, world), raw=True)


def cleared(a1: str) -> Edit:
    """The buyer clears a range's values."""
    return lambda world: world.clear(a1)


def requests(*body: dict[str, Any]) -> Edit:
    """The buyer's spreadsheets.batchUpdate requests."""
    return lambda world: world.batch_update(*body)


def with_gspread(action: Callable[[gspread.Spreadsheet], object]) -> Edit:
    """The buyer does something with gspread."""
    return lambda world: action(world.book)


def each(*edits: Edit) -> Edit:
    """Edits one after another."""

    def apply(world: PlanWorld) -> None:
        for edit in edits:
            edit(world)

    return apply


def _named_rows(rows: Sequence[Sequence[object]], world: PlanWorld) -> list[list[object]]:
    return [[named(v, world) if isinstance(v, str) else v for v in row] for row in rows]


# --- batchUpdate requests ----------------------------------------------------------------------


def grid(tab: str, a1: str) -> dict[str, Any]:
    """A GridRange on one of the plan's tabs: grid("Plan", "B2:B3")."""
    return {"sheetId": SHEET_IDS[tab], **a1_range_to_grid_range(a1)}


def dimension(tab: str, kind: str, start: int, end: int) -> dict[str, Any]:
    """A DimensionRange of rows or columns, 0-based, end excluded."""
    return {"sheetId": SHEET_IDS[tab], "dimension": kind, "startIndex": start, "endIndex": end}


def delete_sheet(tab: str) -> dict[str, Any]:
    return {"deleteSheet": {"sheetId": SHEET_IDS[tab]}}


def append_columns(tab: str, count: int) -> dict[str, Any]:
    return {"appendDimension": {"sheetId": SHEET_IDS[tab], "dimension": "COLUMNS", "length": count}}


def padded(rows: Sequence[Sequence[Any]], width: int = PLAN_WIDTH) -> list[list[Any]]:
    """Rows as values.get gives them (trailing empty cells left out), made `width` wide."""
    return [[*row, *[""] * (width - len(row))] for row in rows]


# --- the plan as the buyer first fills it in ---------------------------------------------------

BASELINE = each(
    typed("Deal!B2", ["Cut onboarding from 6 weeks to 1"]),
    typed("Deal!B6", ["Budget approved"]),
    typed("Plan!G4", ["In progress"]),
    typed("Plan!B14:F14", ["Contract", "Procurement onboarding", "Buyer", "", "2027-03-01"]),
    typed("Stakeholders!A4:D4", ["Dana Ruiz", "{dana}", "Buyer", "Legal"]),
)
BASELINE_EXPECT = Expect(
    events=[
        ("step_status_changed", "trial"),
        ("step_added", "b-procurement-onboarding-*"),
        ("deal_fact_changed", "goal"),
        ("deal_fact_changed", "budget_status"),
        ("stakeholder_added", "{dana}"),
    ],
    steps={"trial": {"status": "In progress"}},
    new_steps=["Procurement onboarding"],
    deal={"goal": "Cut onboarding from 6 weeks to 1", "budget_status": "Budget approved"},
    new_people=["{dana}"],
)
