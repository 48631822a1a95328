"""The Plan tab's "Done on" dates the watch fills in when the buyer does not (pure).

A step marked Done in this read whose "Done on" cell is blank gets the day the change was seen
(the day its `step_done` event already gives, `step_changes._done_details`), written as a date
cell in the same batchUpdate as the read's other writes. A date a person typed is never
overwritten: only a blank cell, as read, is filled. The "agreed on" dates of the Deal tab are
filled the same way by the agreement rules (`agreement.review`), which own those cells.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from .event_model import EventKind, PlanEvent
from .layout_cells import column_letter
from .layout_tabs import PLAN_TAB
from .parse_grid import Issues, find_header
from .parse_steps import PLAN_COLUMNS
from .snapshot import snapshot_date


def done_on_fills(
    events: Iterable[PlanEvent], steps: Sequence[Mapping[str, Any]], plan_rows: object
) -> list[tuple[str, date]]:
    """The "Done on" cells to fill ("Plan!H7", day), one per step done in this read with its
    cell blank; none when the tab's "Done on" column cannot be found by its header."""
    column = _done_on_column(plan_rows)
    if column is None:
        return []
    by_id = {str(step.get("id")): step for step in steps if step.get("id")}
    fills: dict[str, tuple[str, date]] = {}
    for event in events:
        if event.kind is not EventKind.STEP_DONE or event.subject not in by_id:
            continue
        step = by_id[event.subject]
        row, day = step.get("row"), snapshot_date(event.details.get("done_on"))
        if step.get("done_on") or day is None:
            continue  # a person gave the date (or the event has none)
        if not isinstance(row, int) or isinstance(row, bool) or row < 2:
            continue
        fills[event.subject] = (f"{PLAN_TAB}!{column_letter(column)}{row}", day)
    return list(fills.values())


def with_done_on(snapshot: Mapping[str, Any], fills: Sequence[tuple[str, date]]) -> dict[str, Any]:
    """The snapshot as the sheet reads once the fills are written: each filled step's done_on."""
    if not fills:
        return dict(snapshot)
    days = {cell: day for cell, day in fills}
    column = fills[0][0].split("!")[1].rstrip("0123456789")
    steps = []
    for step in snapshot.get("steps") or []:
        cell = f"{PLAN_TAB}!{column}{step.get('row')}"
        steps.append({**step, "done_on": days[cell].isoformat()} if cell in days else step)
    return {**snapshot, "steps": steps}


def _done_on_column(plan_rows: object) -> int | None:
    """The 0-based "Done on" column of the Plan tab as read, found by its header as the parser
    finds it."""
    if isinstance(plan_rows, Mapping):
        plan_rows = plan_rows.get("values", [])
    if not isinstance(plan_rows, list):
        return None
    header = find_header(PLAN_TAB, plan_rows, PLAN_COLUMNS, Issues())
    return header.columns.get("done_on") if header.row is not None else None
