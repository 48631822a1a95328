"""The Plan, Stakeholders and Activity tabs of a plan spreadsheet, as Sheet bodies (pure).

The tab names, sheet ids and header rows here are the contract the sheet parser reads back.
"""

from __future__ import annotations

from dataclasses import replace

from addon.domain.layout_cells import (
    TEXT_GREY,
    Json,
    color,
    column_letter,
    date_cell,
    date_rule,
    dropdown,
    formula_rule,
    grid_range,
    header_row,
    text_cell,
    widths,
)
from addon.domain.model import (
    PARTIES,
    STEP_OWNERS,
    PlanDocument,
    Role,
    Schedule,
    ScheduledStep,
    Side,
    Stakeholder,
    Status,
    StepSpec,
    Template,
)

PLAN_TAB, DEAL_TAB, STAKEHOLDERS_TAB, TIMELINE_TAB, ACTIVITY_TAB = (
    "Plan",
    "Deal",
    "Stakeholders",
    "Timeline",
    "Activity",
)
TABS = (PLAN_TAB, DEAL_TAB, STAKEHOLDERS_TAB, TIMELINE_TAB, ACTIVITY_TAB)
# Fixed so that rules and protections can name their sheet within the one create request.
SHEET_IDS: dict[str, int] = {tab: index for index, tab in enumerate(TABS)}

PLAN_HEADERS = (
    "Step ID",
    "Phase",
    "Step",
    "Owner side",
    "Owner",
    "Due date",
    "Status",
    "Done on",
    "Notes",
)
STAKEHOLDER_HEADERS = ("Name", "Email", "Side", "Role", "Responsibility")
# The Event ID column lets the backend append each event once, whatever fails in between.
ACTIVITY_HEADERS = ("When", "Who", "Side", "What", "Step / field", "Before", "After", "Event ID")

PLAN_EXTRA_ROWS = 200  # empty, validated rows below the steps for steps the buyer adds
STAKEHOLDER_EXTRA_ROWS = 50
ACTIVITY_ROWS = 100  # header included; values.append grows the grid as events arrive

PLAN_WIDTHS = (70, 130, 280, 90, 200, 95, 110, 95, 360)
STAKEHOLDER_WIDTHS = (180, 230, 80, 170, 320)
ACTIVITY_WIDTHS = (140, 200, 70, 260, 160, 160, 160, 110)

STEP_ID_WARNING = "Step IDs link rows to the plan's history; leave them as they are"
ACTIVITY_PROTECTION = "The plan's change history, written by the MAP add-on"

OVERDUE_RED = (0.96, 0.80, 0.80)
DONE_GREEN = (0.85, 0.92, 0.83)
BLOCKED_AMBER = (1.0, 0.90, 0.60)
IN_PROGRESS_BLUE = (0.81, 0.89, 0.97)
NOTES_FORMAT: Json = {"wrapStrategy": "WRAP", "verticalAlignment": "TOP"}  # the whole note shows
PUSH_ORANGE = (0.99, 0.72, 0.52)  # an open step dated past the milestone it must come before


def plan_column(header: str) -> str:
    """The A1 column letter of a Plan header: "Due date" -> "F"."""
    return column_letter(PLAN_HEADERS.index(header))


def in_due_order(schedule: Schedule) -> Schedule:
    """The schedule with its steps sorted by due date (steps due the same day keep the
    template's order), as the Plan tab lists them when the plan is created."""
    return replace(schedule, steps=tuple(sorted(schedule.steps, key=lambda step: step.due)))


def plan_row_count(plan: PlanDocument) -> int:
    """Rows of the Plan grid: header, one per step, then the empty rows for added steps."""
    return 1 + len(plan.schedule.steps) + PLAN_EXTRA_ROWS


def plan_sheet(plan: PlanDocument, *, owner: str) -> Json:
    """The Plan tab: a row per scheduled step, dropdowns, date checks, highlights."""
    sheet_id = SHEET_IDS[PLAN_TAB]
    rows = plan_row_count(plan)
    row_data = [header_row(PLAN_HEADERS)]
    row_data += [{"values": _step_cells(step, owner)} for step in plan.schedule.steps]
    row_data += [{"values": _step_cells(None, owner)} for _ in range(PLAN_EXTRA_ROWS)]
    return {
        "properties": {
            "sheetId": sheet_id,
            "title": PLAN_TAB,
            "index": sheet_id,
            "gridProperties": {
                "rowCount": rows,
                "columnCount": len(PLAN_HEADERS),
                "frozenRowCount": 1,
            },
        },
        "data": [{"rowData": row_data, "columnMetadata": _plan_columns()}],
        "conditionalFormats": [
            *_milestone_pushes(plan.template, sheet_id, rows),
            *_plan_highlights(sheet_id, rows),
        ],
        "protectedRanges": [
            {
                # Warning-only: Google ignores `editors` on such ranges, so none are sent.
                "range": grid_range(sheet_id, start_row=1, start_col=0, end_col=1),
                "description": STEP_ID_WARNING,
                "warningOnly": True,
            }
        ],
    }


def _plan_columns() -> list[Json]:
    """The Plan tab's column widths; the Step ID column is hidden: the watch reads it, people
    need not see a machine id (they can still unhide it in Sheets).
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#DimensionProperties
    """
    first, *others = widths(PLAN_WIDTHS)
    return [{**first, "hiddenByUser": True}, *others]


def initial_owner(spec: StepSpec, owner: str) -> str:
    """Who a new plan names as a step's owner: the seller for seller steps, else the buyer's
    to fill in."""
    return owner if spec.owner_side is Side.SELLER else ""


def _step_cells(step: ScheduledStep | None, owner: str) -> list[Json]:
    """The nine Plan cells of a step, or of an empty row when `step` is None."""
    spec = step.spec if step is not None else None
    step_name = text_cell(spec.name if spec else "")
    if spec is not None and spec.milestone is not None:
        step_name["userEnteredFormat"] = {"textFormat": {"bold": True}}
    return [
        text_cell(
            spec.id if spec else "",
            userEnteredFormat={"textFormat": {"foregroundColorStyle": color(TEXT_GREY)}},
        ),
        text_cell(spec.phase if spec else ""),
        step_name,
        text_cell(
            spec.owner_side.label if spec else "",
            dataValidation=dropdown(side.label for side in STEP_OWNERS),
        ),
        text_cell(initial_owner(spec, owner) if spec else ""),
        date_cell(step.due if step else None, dataValidation=date_rule()),
        text_cell(Status.NOT_STARTED.value if step else "", dataValidation=dropdown(Status)),
        date_cell(None, dataValidation=date_rule()),
        text_cell(spec.description if spec else "", userEnteredFormat=NOTES_FORMAT),
    ]


def steps_before(template: Template, milestone_id: str) -> list[str]:
    """The ids of the steps whose `before` chain reaches the milestone (it not included)."""
    by_id = {spec.id: spec for spec in template.steps}
    found = []
    for spec in template.steps:
        seen, anchor = {spec.id}, spec.before
        while anchor in by_id and anchor != milestone_id and anchor not in seen:
            seen.add(anchor)
            anchor = by_id[anchor].before
        if anchor == milestone_id and spec.id != milestone_id:
            found.append(spec.id)
    return found


def _milestone_pushes(template: Template, sheet_id: int, rows: int) -> list[Json]:
    """An open step dated after the milestone row it must end before (found by its Step ID)
    shows orange: it pushes signing or go-live. Written once; Sheets re-evaluates it on every
    edit, so no value is rewritten to keep it current."""
    step_id, due, status = plan_column("Step ID"), plan_column("Due date"), plan_column("Status")
    checks = []
    for spec in template.steps:
        if spec.milestone is None:
            continue
        before = steps_before(template, spec.id)
        if not before:
            continue
        ids = ",".join(f'${step_id}2="{escape_formula_text(i)}"' for i in before)
        row_date = (
            f'INDEX(${due}:${due},MATCH("{escape_formula_text(spec.id)}",${step_id}:${step_id},0))'
        )
        checks.append(f"AND(OR({ids}),IFERROR(${due}2>{row_date},FALSE))")
    if not checks:
        return []
    done = Status.DONE.value
    formula = f'=AND(ISNUMBER(${due}2),${status}2<>"{done}",OR({",".join(checks)}))'
    data_rows = [grid_range(sheet_id, 1, rows, 0, len(PLAN_HEADERS))]
    return [formula_rule(data_rows, formula, {"backgroundColorStyle": color(PUSH_ORANGE)})]


def escape_formula_text(text: str) -> str:
    """Text inside a formula's double quotes (a quote doubled)."""
    return text.replace('"', '""')


def _plan_highlights(sheet_id: int, rows: int) -> list[Json]:
    """Overdue, blocked, done and in-progress rows; the first rule that holds for a cell wins.

    Written once at creation: Sheets re-evaluates them on every edit, so a row takes its
    status's colour as soon as the buyer picks the status."""
    due, status = plan_column("Due date"), plan_column("Status")
    data_rows = [grid_range(sheet_id, 1, rows, 0, len(PLAN_HEADERS))]
    done = Status.DONE.value
    overdue = f'=AND(ISNUMBER(${due}2), ${due}2<TODAY(), ${status}2<>"{done}")'
    return [
        formula_rule(data_rows, overdue, {"backgroundColorStyle": color(OVERDUE_RED)}),
        formula_rule(
            data_rows,
            f'=${status}2="{Status.BLOCKED.value}"',
            {"backgroundColorStyle": color(BLOCKED_AMBER)},
        ),
        formula_rule(
            data_rows,
            f'=${status}2="{done}"',
            {
                "backgroundColorStyle": color(DONE_GREEN),
                "textFormat": {"foregroundColorStyle": color(TEXT_GREY)},
            },
        ),
        formula_rule(
            data_rows,
            f'=${status}2="{Status.IN_PROGRESS.value}"',
            {"backgroundColorStyle": color(IN_PROGRESS_BLUE)},
        ),
    ]


def stakeholders_sheet(plan: PlanDocument) -> Json:
    """The Stakeholders tab: a row per known person, then empty rows, Side and Role dropdowns."""
    sheet_id = SHEET_IDS[STAKEHOLDERS_TAB]
    people: list[Stakeholder | None] = list(plan.stakeholders)
    people += [None] * STAKEHOLDER_EXTRA_ROWS
    row_data = [header_row(STAKEHOLDER_HEADERS)]
    for person in people:
        row_data.append(
            {
                "values": [
                    text_cell(person.name if person else ""),
                    text_cell(person.email if person else ""),
                    text_cell(
                        person.side.label if person else "",
                        dataValidation=dropdown(side.label for side in PARTIES),
                    ),
                    text_cell(
                        person.role.value if person and person.role else "",
                        dataValidation=dropdown(Role),
                    ),
                    text_cell(person.responsibility if person else ""),
                ]
            }
        )
    return {
        "properties": {
            "sheetId": sheet_id,
            "title": STAKEHOLDERS_TAB,
            "index": sheet_id,
            "gridProperties": {
                "rowCount": len(row_data),
                "columnCount": len(STAKEHOLDER_HEADERS),
                "frozenRowCount": 1,
            },
        },
        "data": [{"rowData": row_data, "columnMetadata": widths(STAKEHOLDER_WIDTHS)}],
    }


def activity_sheet(
    *, service_account: str, owner: str, sheet_id: int = SHEET_IDS[ACTIVITY_TAB]
) -> Json:
    """The Activity tab: headers only, the whole sheet writable by the backend and the owner."""
    editors = list(dict.fromkeys([service_account, owner]))
    return {
        "properties": {
            "sheetId": sheet_id,
            "title": ACTIVITY_TAB,
            "index": SHEET_IDS[ACTIVITY_TAB],
            "gridProperties": {
                "rowCount": ACTIVITY_ROWS,
                "columnCount": len(ACTIVITY_HEADERS),
                "frozenRowCount": 1,
            },
        },
        "data": [
            {"rowData": [header_row(ACTIVITY_HEADERS)], "columnMetadata": widths(ACTIVITY_WIDTHS)}
        ],
        "protectedRanges": [
            {
                "range": grid_range(sheet_id),  # unbounded: the whole sheet
                "description": ACTIVITY_PROTECTION,
                "warningOnly": False,
                "editors": {"users": editors},
            }
        ],
    }


def restore_activity_requests(*, service_account: str, owner: str, sheet_id: int) -> list[Json]:
    """batchUpdate requests that put a deleted Activity tab back, as the plan was created with it.

    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#AddSheetRequest
    """
    sheet = activity_sheet(service_account=service_account, owner=owner, sheet_id=sheet_id)
    headers = sheet["data"][0]["rowData"]
    properties = {k: v for k, v in sheet["properties"].items() if k != "index"}  # at the end
    return [
        {"addSheet": {"properties": properties}},
        {
            "updateCells": {
                "range": grid_range(sheet_id, 0, 1, 0, len(ACTIVITY_HEADERS)),
                "rows": headers,
                "fields": "userEnteredValue,userEnteredFormat",
            }
        },
        *({"addProtectedRange": {"protectedRange": p}} for p in sheet["protectedRanges"]),
    ]
