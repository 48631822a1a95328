"""One source of truth for the signature and go-live dates: the milestone rows (pure).

A plan shows each milestone's date twice: the due date of its row on the Plan tab (the template
step marked `milestone: signature` / `milestone: go-live`) and a fact on the Deal tab
("Signature target", "Go-live date"), a copy kept by the watch. At each read:

- the place the buyer edited since the last read gives the date: a moved row, else a moved
  Deal fact (applied to the row, if its Due date cell can be written);
- both moved to different dates: the row wins, and a data issue says the Deal tab's date was
  replaced;
- a blank cell is not a move: the date is written back into it;
- every cell that does not show the decided date is written (its address from the Plan tab's
  header, as the parser finds it, and the Deal fact's row).

"As the sheet showed it at the last read" is the previous snapshot's dates, unless that read
left cells to write: then the snapshot keeps, under `SHOWN`, what those cells showed, so that a
write that failed is tried again rather than read back as a buyer's edit. The watch drops the
key once the write is done (`written`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .layout_cells import column_letter
from .layout_tabs import DEAL_TAB, PLAN_TAB
from .model import GO_LIVE, Milestone, Template
from .parse_grid import DataIssue, Issues, find_header
from .parse_steps import PLAN_COLUMNS
from .snapshot import snapshot_date

SHOWN = "milestones_shown"  # snapshot key: the milestone cells as the sheet showed them
# The Deal fact that shows each milestone's date.
MILESTONE_FACTS: Mapping[Milestone, str] = {
    Milestone.SIGNATURE: "signature_target",
    Milestone.GO_LIVE: "go_live",
}
_FACT_LABELS = {Milestone.SIGNATURE: "signature target", Milestone.GO_LIVE: "go-live date"}
# Where a milestone's move was made, as `details.source` of its slip event says.
FROM_ROW, FROM_DEAL, FROM_BOTH = "step", "deal", "both"


def milestone_steps(template: Template | None) -> dict[str, Milestone]:
    """Step id -> milestone: the template's milestone steps (go-live's id without a template)."""
    if template is None:
        return {GO_LIVE: Milestone.GO_LIVE}
    return {spec.id: spec.milestone for spec in template.steps if spec.milestone is not None}


@dataclass(frozen=True)
class MilestoneSync:
    """A read reconciled: the snapshot to store, the cells to write ("Plan!F14" or "Deal!B4",
    with the date), where each moved milestone was edited (by milestone value: `source`, and
    `deal_date_replaced` when the row won over a different Deal date), and data issues."""

    snapshot: dict[str, Any]
    writes: tuple[tuple[str, date], ...]
    moves: Mapping[str, Mapping[str, Any]]
    issues: tuple[DataIssue, ...]


def reconcile(
    previous: Mapping[str, Any] | None,
    current: Mapping[str, Any],
    *,
    template: Template | None,
    plan_rows: object,
    deal_cells: Mapping[str, str],
) -> MilestoneSync:
    """Make each milestone's row and Deal fact one date in `current` (a parsed snapshot).

    `plan_rows` is the Plan tab as read (its rows, a ValueRange, or None when it is gone);
    `deal_cells` the Deal tab's value cells by fact key, as `parse_deal` found them.
    """
    before = previous or {}
    shown_raw = before.get(SHOWN)
    shown_before = shown_raw if isinstance(shown_raw, Mapping) else {}
    steps = [dict(s) for s in current.get("steps") or [] if isinstance(s, Mapping)]
    deal = dict(current.get("deal") or {})
    due_column = _due_column(plan_rows)
    issues = Issues()
    writes: list[tuple[str, date]] = []
    moves: dict[str, dict[str, Any]] = {}
    shown: dict[str, dict[str, str | None]] = {}
    for step_id, milestone in milestone_steps(template).items():
        row = next((s for s in steps if s.get("id") == step_id), None)
        if row is None:
            continue  # no row (deleted): the Deal fact is the only place left
        fact = MILESTONE_FACTS[milestone]
        last = _step_due(before, step_id)
        seen = shown_before.get(milestone.value)
        if not isinstance(seen, Mapping):
            seen = {"row": last, "deal": _iso(_mapping(before.get("deal")).get(fact))}
        cell = _row_cell(row, due_column)
        now_row, now_fact = _iso(row.get("due")), _iso(deal.get(fact))
        row_moved = now_row is not None and now_row != seen.get("row")
        fact_moved = now_fact is not None and now_fact != seen.get("deal")
        source = FROM_ROW
        if row_moved:
            decided: str | None = now_row
            if fact_moved and now_fact == now_row:
                source = FROM_BOTH
            elif fact_moved:
                issues.add(
                    DEAL_TAB,
                    "milestone_conflict",
                    f"the {_FACT_LABELS[milestone]} was moved to {now_fact} here and to "
                    f"{now_row} on the Plan's {row.get('name') or step_id!r} row; the row's "
                    "date stands and is shown here again.",
                    deal_cells.get(fact),
                )
        elif fact_moved and cell is not None:
            decided, source = now_fact, FROM_DEAL
        else:
            if fact_moved:
                issues.add(
                    DEAL_TAB,
                    "milestone_not_applied",
                    f"the {_FACT_LABELS[milestone]} was moved to {now_fact}, but the Plan's "
                    f"{row.get('name') or step_id!r} row, whose date it is, cannot be written "
                    "(no Due date column or no Plan tab); the row's date is kept.",
                    deal_cells.get(fact),
                )
            decided = last or now_row or now_fact
        if decided is None:
            continue
        row["due"], deal[fact] = decided, decided
        day = snapshot_date(decided)
        assert day is not None
        pending = []
        if now_row != decided and cell is not None:
            pending.append((cell, day))
        if now_fact != decided and fact in deal_cells:
            pending.append((deal_cells[fact], day))
        for address, was in ((cell, now_row), (deal_cells.get(fact), now_fact)):
            if address is not None and was is None:
                tab = address.split("!", 1)[0]
                text = f"the {_FACT_LABELS[milestone]} was cleared; {decided} is written back."
                issues.add(tab, "milestone_cleared", text, address)
        if pending:
            writes.extend(pending)
            shown[milestone.value] = {"row": now_row, "deal": now_fact}
        if previous is not None and decided != last:
            moves[milestone.value] = {"source": source}
            if row_moved and fact_moved and now_fact != now_row:
                moves[milestone.value]["deal_date_replaced"] = now_fact
    snapshot: dict[str, Any] = {**current, "steps": steps, "deal": deal}
    snapshot.pop(SHOWN, None)
    if shown:
        snapshot[SHOWN] = shown
    return MilestoneSync(snapshot, tuple(writes), moves, issues.all())


def written(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """The snapshot once its milestone cells are written: the sheet shows its dates."""
    return {key: value for key, value in snapshot.items() if key != SHOWN}


def _due_column(plan_rows: object) -> int | None:
    """The 0-based Due date column of the Plan tab as read, found by header name like the
    parser finds it; None when the tab or its header or that column is missing."""
    if isinstance(plan_rows, Mapping):
        plan_rows = plan_rows.get("values", [])
    if not isinstance(plan_rows, list):
        return None
    header = find_header(PLAN_TAB, plan_rows, PLAN_COLUMNS, Issues())
    return header.columns.get("due") if header.row is not None else None


def _row_cell(step: Mapping[str, Any], due_column: int | None) -> str | None:
    """The A1 address of a step's Due date cell ("Plan!F14"), if it can be written."""
    row = step.get("row")
    if due_column is None or not isinstance(row, int) or isinstance(row, bool) or row < 1:
        return None
    return f"{PLAN_TAB}!{column_letter(due_column)}{row}"


def _step_due(snapshot: Mapping[str, Any], step_id: str) -> str | None:
    for step in snapshot.get("steps") or []:
        if isinstance(step, Mapping) and step.get("id") == step_id:
            return _iso(step.get("due"))
    return None


def _iso(value: Any) -> str | None:
    """A snapshot date as ISO text; None for blank or anything that is not a date."""
    day = snapshot_date(value)
    return day.isoformat() if day else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
