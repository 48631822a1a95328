"""The Timeline tab: week columns coloured by conditional formatting (pure).

Timeline row r mirrors Plan row r through formulas, so renamed steps and moved due dates show up
without the backend writing anything. Beside them stands each step's committed due date, the one
both sides saw when the plan was made (a value, not a formula): the weeks a step now runs past it
are drawn red, and a step moved earlier leaves a grey mark in its committed week, so the tab shows
committed against projected at a glance. The formulas use only what Google and the local stand-in
both evaluate (references, comparisons, IF, MIN); the colouring formulas are evaluated by Google
alone, so they may use ISNUMBER.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from addon.domain.layout_cells import (
    Json,
    color,
    column_letter,
    date_format,
    formula_cell,
    formula_rule,
    grid_range,
    header_cell,
    serial,
    widths,
)
from addon.domain.layout_tabs import (
    PLAN_TAB,
    SHEET_IDS,
    TIMELINE_TAB,
    plan_column,
)
from addon.domain.model import PlanDocument, Schedule

TIMELINE_HEADERS = ("Step", "Start", "Due", "Committed")
TIMELINE_EXTRA_ROWS = 50  # Plan rows added by the buyer that the timeline follows
TIMELINE_MAX_WEEKS = 60
TIMELINE_RUNWAY_WEEKS = 4  # weeks after go-live's, so that slips past go-live stay visible
WEEK_PATTERN = "mmm d"
TIMELINE_WIDTHS = (240, 90, 90, 90)
WEEK_WIDTH = 48
TIMELINE_WARNING = "The timeline is drawn from the Plan tab; change steps and dates there"

BAR_BLUE = (0.55, 0.71, 0.91)
SLIP_RED = (0.92, 0.45, 0.42)  # the weeks a step now runs past its committed due date
COMMITTED_GREY = (0.80, 0.80, 0.80)  # the committed week of a step moved earlier
THIS_WEEK_YELLOW = (1.0, 0.95, 0.70)


def week_starts(schedule: Schedule) -> list[date]:
    """The Monday of each week from the first step's start to the runway after go-live."""
    first = schedule.first_start if schedule.steps else schedule.go_live
    start = _monday(min(first, schedule.go_live))
    weeks = (_monday(schedule.go_live) - start).days // 7 + 1 + TIMELINE_RUNWAY_WEEKS
    return [start + timedelta(weeks=n) for n in range(min(weeks, TIMELINE_MAX_WEEKS))]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _plan_ref(column: str, row: int) -> str:
    """A reference to a Plan cell, quoting the tab name when Sheets needs it."""
    tab = PLAN_TAB if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", PLAN_TAB) else f"'{PLAN_TAB}'"
    return f"{tab}!{column}{row}"


def timeline_sheet(plan: PlanDocument) -> Json:
    """The Timeline tab: step, start, due, then one column per week, bars drawn by rules."""
    sheet_id = SHEET_IDS[TIMELINE_TAB]
    weeks = week_starts(plan.schedule)
    columns = len(TIMELINE_HEADERS) + len(weeks)
    week_header = {
        "userEnteredFormat": {
            **date_format(WEEK_PATTERN),
            "textFormat": {"bold": True},
            "horizontalAlignment": "CENTER",
        }
    }
    header = [header_cell(text) for text in TIMELINE_HEADERS]
    header += [{"userEnteredValue": {"numberValue": serial(w)}, **week_header} for w in weeks]
    dated: list[tuple[date | None, date | None]] = [(s.start, s.due) for s in plan.schedule.steps]
    dated += [(None, None)] * TIMELINE_EXTRA_ROWS
    row_data = [{"values": header}]
    row_data += [
        {"values": _mirror(row, start, committed)}
        for row, (start, committed) in enumerate(dated, start=2)
    ]
    rows = len(row_data)
    return {
        "properties": {
            "sheetId": sheet_id,
            "title": TIMELINE_TAB,
            "index": sheet_id,
            "gridProperties": {
                "rowCount": rows,
                "columnCount": columns,
                "frozenRowCount": 1,
                "frozenColumnCount": 1,
            },
        },
        "data": [
            {
                "rowData": row_data,
                "columnMetadata": widths([*TIMELINE_WIDTHS, *[WEEK_WIDTH] * len(weeks)]),
            }
        ],
        "conditionalFormats": _bars(sheet_id, rows, columns),
        "protectedRanges": [
            {
                "range": grid_range(sheet_id),
                "description": TIMELINE_WARNING,
                "warningOnly": True,
            }
        ],
    }


def _mirror(row: int, start: date | None, committed: date | None) -> list[Json]:
    """Step, start and due of Plan row `row`, and the due date committed at creation; a
    scheduled step starts no later than it is due.

    A step the buyer adds has no start and no commitment: it shows as a one-week mark at its
    due date.
    """
    name, due = _plan_ref(plan_column("Step"), row), _plan_ref(plan_column("Due date"), row)
    begin = f"MIN({serial(start)},{due})" if start is not None else due
    dated = {"userEnteredFormat": date_format()}
    return [
        formula_cell(f'=IF({name}="","",{name})'),
        formula_cell(f'=IF({due}="","",{begin})', **dated),
        formula_cell(f'=IF({due}="","",{due})', **dated),
        {"userEnteredValue": {"numberValue": serial(committed)}, **dated}
        if committed is not None
        else {},
    ]


def _bars(sheet_id: int, rows: int, columns: int) -> list[Json]:
    """Red where a week runs past the committed due date, a bar where a week overlaps
    [start, due], grey at the committed week of a step moved earlier; then the current week.

    The first rule that matches a cell colours it (Google applies them in order).
    """
    first = len(TIMELINE_HEADERS)
    week = column_letter(first)
    start, due, committed = (
        column_letter(TIMELINE_HEADERS.index(h)) for h in ("Start", "Due", "Committed")
    )
    dated = f"ISNUMBER(${due}2),ISNUMBER(${committed}2)"
    slipped = f"=AND({dated},${due}2>${committed}2,{week}$1<=${due}2,{week}$1+6>${committed}2)"
    bar = f"=AND(ISNUMBER(${start}2),ISNUMBER(${due}2),{week}$1<=${due}2,{week}$1+6>=${start}2)"
    was_due = f"=AND({dated},{week}$1<=${committed}2,{week}$1+6>=${committed}2)"
    this_week = f"=AND({week}$1<=TODAY(),TODAY()<{week}$1+7)"
    return [
        formula_rule(
            [grid_range(sheet_id, 1, rows, first, columns)],
            slipped,
            {"backgroundColorStyle": color(SLIP_RED)},
        ),
        formula_rule(
            [grid_range(sheet_id, 1, rows, first, columns)],
            bar,
            {"backgroundColorStyle": color(BAR_BLUE)},
        ),
        formula_rule(
            [grid_range(sheet_id, 1, rows, first, columns)],
            was_due,
            {"backgroundColorStyle": color(COMMITTED_GREY)},
        ),
        formula_rule(
            [grid_range(sheet_id, 0, rows, first, columns)],
            this_week,
            {"backgroundColorStyle": color(THIS_WEEK_YELLOW)},
        ),
    ]
