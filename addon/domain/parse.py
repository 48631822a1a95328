"""A buyer-edited plan spreadsheet read back into a snapshot, with its data issues (pure).

The input is what `spreadsheets.values.batchGet` returns for the ranges "Plan", "Deal" and
"Stakeholders" with `valueRenderOption=UNFORMATTED_VALUE`, `dateTimeRenderOption=SERIAL_NUMBER`
and `majorDimension=ROWS`: each tab's rows of cell values (see `parse_grid`, `parse_values`).
Buyer data is hostile input (DESIGN.md, principle 4): parsing never raises on what a sheet holds;
everything it cannot take as it is becomes a `DataIssue`, and keeps the previous snapshot's value.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .layout import LAYOUT_VERSION
from .layout_tabs import DEAL_TAB, PLAN_TAB, STAKEHOLDERS_TAB
from .parse_deal import parse_deal
from .parse_grid import DataIssue, Issues
from .parse_people import MAX_STAKEHOLDERS, parse_stakeholders
from .parse_steps import MAX_STEPS, new_step_id, parse_steps
from .parse_values import DateOutOfRange, parse_date

__all__ = [
    "MAX_STAKEHOLDERS",
    "MAX_STEPS",
    "PARSED_TABS",
    "DataIssue",
    "DateOutOfRange",
    "ParsedPlan",
    "new_step_id",
    "parse_date",
    "parse_plan",
    "values_by_tab",
]

PARSED_TABS = (PLAN_TAB, DEAL_TAB, STAKEHOLDERS_TAB)
_QUOTED_TAB = re.compile(r"'((?:[^']|'')*)'(?:!|$)")
_WHAT_IS_KEPT = {PLAN_TAB: "steps", DEAL_TAB: "facts", STAKEHOLDERS_TAB: "people"}


@dataclass(frozen=True)
class ParsedPlan:
    """A plan sheet as read: its snapshot, what was wrong with it, and Step IDs to write back."""

    snapshot: dict[str, Any]  # the `snapshot` module's shape; each step also has its "row"
    issues: tuple[DataIssue, ...]
    # (A1 cell like "Plan!A12", new step id) for the steps the buyer added with no Step ID
    step_id_writes: tuple[tuple[str, str], ...]
    # where the Deal tab's value cells are ("Deal!B9" by fact key; the Agreement status line)
    deal_cells: Mapping[str, str] = field(default_factory=dict)


def parse_plan(
    values: Mapping[str, object], previous: Mapping[str, Any] | None, deal_id: str
) -> ParsedPlan:
    """Read the Plan, Deal and Stakeholders tabs' rows against the previous snapshot.

    `values[tab]` is the tab's rows, or None (or no entry) when the tab is gone; a batchGet
    ValueRange ({"range": ..., "values": ...}) is accepted too. A missing or unreadable tab
    keeps the previous snapshot's section (empty with no previous snapshot).
    """
    before = previous or {}
    issues = Issues()
    rows = {tab: _tab_rows(tab, values.get(tab), issues) for tab in PARSED_TABS}
    previous_steps = _list(before.get("steps"))
    deal_before = before.get("deal")
    previous_deal = copy.deepcopy(dict(deal_before)) if isinstance(deal_before, Mapping) else {}
    previous_people = _list(before.get("stakeholders"))

    writes: list[tuple[str, str]] = []
    plan_rows = rows[PLAN_TAB]
    if plan_rows is None:
        steps = previous_steps
    else:
        parsed = parse_steps(plan_rows, previous_steps, deal_id, issues)
        steps, writes = parsed.steps, parsed.step_id_writes
    deal_rows = rows[DEAL_TAB]
    deal_cells: dict[str, str] = {}
    deal = (
        previous_deal
        if deal_rows is None
        else parse_deal(deal_rows, previous_deal, issues, deal_cells)
    )
    people_rows = rows[STAKEHOLDERS_TAB]
    people = (
        previous_people
        if people_rows is None
        else parse_stakeholders(people_rows, previous_people, issues)
    )
    snapshot = {
        "layout_version": LAYOUT_VERSION,
        "steps": steps,
        "deal": deal,
        "stakeholders": people,
    }
    return ParsedPlan(snapshot, issues.all(), tuple(writes), deal_cells)


def _tab_rows(tab: str, value: object, issues: Issues) -> Sequence[object] | None:
    """A tab's rows, or None (reported) when the tab is gone or is not a list of rows."""
    if isinstance(value, Mapping):
        value = value.get("values", [])  # a ValueRange: no "values" on an empty tab
    if isinstance(value, list):
        return value
    if value is None:
        issues.add(
            tab,
            "missing_tab",
            f"The {tab} tab is missing (deleted or renamed); "
            f"its {_WHAT_IS_KEPT[tab]} are kept as they were.",
        )
    else:
        issues.add(
            tab,
            "unreadable_tab",
            f"The {tab} tab could not be read; its {_WHAT_IS_KEPT[tab]} are kept as they were.",
        )
    return None


def _list(value: object) -> list[Any]:
    """The entries of a previous snapshot's list section, copied (the caller's stay its own)."""
    entries = value if isinstance(value, list) else []
    return [copy.deepcopy(entry) for entry in entries if isinstance(entry, Mapping)]


def values_by_tab(response: Mapping[str, Any]) -> dict[str, list[list[object]] | None]:
    """Each parsed tab's rows in a `values.batchGet` response; None for a tab it does not hold.

    A ValueRange's `range` names its tab as `Plan!A1:I205`, or quoted (`'My tab'!A1:B2`, with
    quotes inside doubled); `values` is left out when the range is empty.
    """
    found: dict[str, list[list[object]] | None] = dict.fromkeys(PARSED_TABS)
    for value_range in response.get("valueRanges") or []:
        tab = _range_tab(str(value_range.get("range", "")))
        if tab in found:
            found[tab] = value_range.get("values") or []
    return found


def _range_tab(a1: str) -> str:
    """The tab an A1 range names: "'Q&A ''24'!A1:B2" -> "Q&A '24"."""
    if quoted_name := _QUOTED_TAB.match(a1):
        return quoted_name.group(1).replace("''", "'")
    return a1.split("!", 1)[0]
