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
        read = _read_milestone(milestone, step_id, row, deal, before, shown_before, due_column)
        decided, source = _decide_milestone_date(read, deal_cells.get(read.fact), issues)
        if decided is None:
            continue
        row["due"], deal[read.fact] = decided, decided
        pending = _milestone_writes(read, decided, deal_cells, issues)
        if pending:
            writes.extend(pending)
            shown[milestone.value] = {"row": read.now_row, "deal": read.now_fact}
        if previous is not None and decided != read.last:
            moves[milestone.value] = {"source": source}
            if read.row_moved and read.fact_moved and read.now_fact != read.now_row:
                moves[milestone.value]["deal_date_replaced"] = read.now_fact
    snapshot: dict[str, Any] = {**current, "steps": steps, "deal": deal}
    snapshot.pop(SHOWN, None)
    if shown:
        snapshot[SHOWN] = shown
    return MilestoneSync(snapshot, tuple(writes), moves, issues.all())


@dataclass(frozen=True)
class _MilestoneRead:
    """One milestone at this read: its date on the step's row and in the Deal fact, whether
    each moved since the sheet last showed them, and the row's Due date cell (if writable)."""

    milestone: Milestone
    fact: str  # the Deal fact key that shows the milestone's date
    step_name: Any  # the row's name, else its step id, as the data issues quote it
    last: str | None  # the row's date in the previous snapshot
    now_row: str | None
    now_fact: str | None
    row_moved: bool
    fact_moved: bool
    cell: str | None


def _read_milestone(
    milestone: Milestone,
    step_id: str,
    row: Mapping[str, Any],
    deal: Mapping[str, Any],
    before: Mapping[str, Any],
    shown_before: Mapping[str, Any],
    due_column: int | None,
) -> _MilestoneRead:
    """A milestone's row and Deal fact as read now, against what the sheet showed last time."""
    fact = MILESTONE_FACTS[milestone]
    last = _step_due(before, step_id)
    seen = shown_before.get(milestone.value)
    if not isinstance(seen, Mapping):
        seen = {"row": last, "deal": _iso(_mapping(before.get("deal")).get(fact))}
    now_row, now_fact = _iso(row.get("due")), _iso(deal.get(fact))
    return _MilestoneRead(
        milestone=milestone,
        fact=fact,
        step_name=row.get("name") or step_id,
        last=last,
        now_row=now_row,
        now_fact=now_fact,
        row_moved=now_row is not None and now_row != seen.get("row"),
        fact_moved=now_fact is not None and now_fact != seen.get("deal"),
        cell=_row_cell(row, due_column),
    )


def _decide_milestone_date(
    read: _MilestoneRead, deal_cell: str | None, issues: Issues
) -> tuple[str | None, str]:
    """The milestone's date and where it was decided (FROM_ROW, FROM_DEAL or FROM_BOTH): a moved
    row, else a moved Deal fact if the row can be written, else the date as it was. A conflict,
    or a Deal move that cannot be applied, is a data issue at the Deal fact (`deal_cell`)."""
    label = _FACT_LABELS[read.milestone]
    if read.row_moved:
        if read.fact_moved and read.now_fact == read.now_row:
            return read.now_row, FROM_BOTH
        if read.fact_moved:
            issues.add(
                DEAL_TAB,
                "milestone_conflict",
                f"the {label} was moved to {read.now_fact} here and to "
                f"{read.now_row} on the Plan's {read.step_name!r} row; the row's "
                "date stands and is shown here again.",
                deal_cell,
            )
        return read.now_row, FROM_ROW
    if read.fact_moved and read.cell is not None:
        return read.now_fact, FROM_DEAL
    if read.fact_moved:
        issues.add(
            DEAL_TAB,
            "milestone_not_applied",
            f"the {label} was moved to {read.now_fact}, but the Plan's "
            f"{read.step_name!r} row, whose date it is, cannot be written "
            "(no Due date column or no Plan tab); the row's date is kept.",
            deal_cell,
        )
    return read.last or read.now_row or read.now_fact, FROM_ROW


def _milestone_writes(
    read: _MilestoneRead, decided: str, deal_cells: Mapping[str, str], issues: Issues
) -> list[tuple[str, date]]:
    """The milestone's cells that do not show the decided date, with that date to write; a
    cleared cell (blank now) is also a data issue, as its date is written back."""
    day = snapshot_date(decided)
    assert day is not None
    pending = []
    if read.now_row != decided and read.cell is not None:
        pending.append((read.cell, day))
    if read.now_fact != decided and read.fact in deal_cells:
        pending.append((deal_cells[read.fact], day))
    for address, was in ((read.cell, read.now_row), (deal_cells.get(read.fact), read.now_fact)):
        if address is not None and was is None:
            tab = address.split("!", 1)[0]
            text = f"the {_FACT_LABELS[read.milestone]} was cleared; {decided} is written back."
            issues.add(tab, "milestone_cleared", text, address)
    return pending


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
