"""The Executive summary tab: the lines of domain/exec_summary.py on a page of their own (pure).

Two columns, label and text, wrapped so a line reads as a paragraph; section headings bold.
The tab is written by the add-on alone (a protected range with the service account and the
owner as editors): the buyer reads it and forwards it; the watch rewrites its cells whole, in the
same batchUpdate as the Activity rows, when the lines change. A plan made before the tab existed
gets it on the watch's first write (`restore_summary_requests`).

Sheets v4 has no print settings; the page prints readably because it is two wrapped columns
with nothing machine-made in them (File > Print in Sheets, or Drive's PDF export).
"""

from __future__ import annotations

from collections.abc import Sequence

from .layout_cells import Json, grid_range, text_cell, widths
from .model import PlanDocument

Line = tuple[str, str]  # (label, text)
SECTION = ""  # a line whose text is SECTION is a section heading (shown bold)

SUMMARY_TAB = "Executive summary"
SUMMARY_SHEET_ID = 5  # after the five tabs of layout_tabs.SHEET_IDS (0-4)
SUMMARY_ROWS = 60  # the grid the watch rewrites whole: more lines than a summary ever has
SUMMARY_WIDTHS = (190, 640)
SUMMARY_PROTECTION = "The plan's executive summary, kept current by the MAP add-on"
TITLE_SIZE = 14


def placeholder_lines(deal_name: str, buyer_company: str) -> list[Line]:
    """What the tab says before the add-on has worked the summary out."""
    return [
        ("Executive summary", f"{deal_name}, for {buyer_company}"),
        ("", "The MAP add-on writes this page from the plan at its first read."),
    ]


def initial_summary(plan: PlanDocument) -> list[Line]:
    """The Executive summary a new plan shows: as creation worked it out, else a placeholder."""
    if plan.summary is not None:
        return list(plan.summary)
    return placeholder_lines(plan.deal_name, plan.buyer_company)


def summary_rows(lines: Sequence[Line]) -> list[Json]:
    """RowData for the whole grid: the lines, then empty rows that clear what was there."""
    rows: list[Json] = []
    for index, (label, text) in enumerate(lines[:SUMMARY_ROWS]):
        heading = text == SECTION and bool(label)
        label_format: Json = {"textFormat": {"bold": True}, "verticalAlignment": "TOP"}
        if index == 0:
            label_format["textFormat"]["fontSize"] = TITLE_SIZE
        text_format: Json = {"wrapStrategy": "WRAP", "verticalAlignment": "TOP"}
        if index == 0:
            text_format["textFormat"] = {"bold": True, "fontSize": TITLE_SIZE}
        if heading:
            label_format["textFormat"]["fontSize"] = 11
        rows.append(
            {
                "values": [
                    _cell(label, label_format if label else {}),
                    _cell("" if heading else text, text_format),
                ]
            }
        )
    rows += [{"values": [{}, {}]} for _ in range(SUMMARY_ROWS - len(rows))]
    return rows


def _cell(text: str, fmt: Json) -> Json:
    cell = text_cell(text)  # stringValue: a buyer's "=IMPORTXML(...)" stays text
    if fmt:
        cell["userEnteredFormat"] = fmt
    return cell


def summary_sheet(
    lines: Sequence[Line],
    *,
    service_account: str,
    owner: str,
    sheet_id: int = SUMMARY_SHEET_ID,
    index: int | None = SUMMARY_SHEET_ID,
) -> Json:
    """The tab as a Sheet body for `spreadsheets.create` (or, without `index`, `addSheet`)."""
    properties: Json = {
        "sheetId": sheet_id,
        "title": SUMMARY_TAB,
        "gridProperties": {
            "rowCount": SUMMARY_ROWS,
            "columnCount": len(SUMMARY_WIDTHS),
            "frozenRowCount": 1,  # the title stays in view
        },
    }
    if index is not None:
        properties["index"] = index
    return {
        "properties": properties,
        "data": [{"rowData": summary_rows(lines), "columnMetadata": widths(SUMMARY_WIDTHS)}],
        "protectedRanges": [summary_protection(service_account, owner, sheet_id)],
    }


def summary_protection(service_account: str, owner: str, sheet_id: int) -> Json:
    """Only the add-on and the owner write the summary; everyone who can open the plan reads it."""
    return {
        "range": grid_range(sheet_id),
        "description": SUMMARY_PROTECTION,
        "warningOnly": False,
        "editors": {"users": list(dict.fromkeys([service_account, owner]))},
    }


def summary_update(lines: Sequence[Line], sheet_id: int) -> Json:
    """The updateCells request that rewrites the whole summary (values and their formats)."""
    return {
        "updateCells": {
            "range": grid_range(sheet_id, 0, SUMMARY_ROWS, 0, len(SUMMARY_WIDTHS)),
            "rows": summary_rows(lines),
            "fields": "userEnteredValue,userEnteredFormat",
        }
    }


def restore_summary_requests(*, service_account: str, owner: str, sheet_id: int) -> list[Json]:
    """batchUpdate requests that add the summary tab to a plan that has none (its cells are
    then written by `summary_update`).

    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#AddSheetRequest
    """
    sheet = summary_sheet(
        [], service_account=service_account, owner=owner, sheet_id=sheet_id, index=None
    )
    return [
        {"addSheet": {"properties": sheet["properties"]}},
        *(
            {
                "updateDimensionProperties": {
                    "range": {
                        "sheetId": sheet_id,
                        "dimension": "COLUMNS",
                        "startIndex": column,
                        "endIndex": column + 1,
                    },
                    "properties": {"pixelSize": pixels},
                    "fields": "pixelSize",
                }
            }
            for column, pixels in enumerate(SUMMARY_WIDTHS)
        ),
        *({"addProtectedRange": {"protectedRange": p}} for p in sheet["protectedRanges"]),
    ]
