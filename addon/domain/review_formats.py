"""How the review's tables look, for both writers: number formats, colours, filters, links (pure).

One number format per column, chosen by the column's name (`NAMED_FORMATS`, which names every
review column of dates: a column missing from it falls back to its type, which an empty table
cannot show), never by the day's values, so the structure stays the same from one review to the
next; colour rules by severity, forecast
category and outcome; a filter and alternating row colours on every table; each deal's name
linked to its plan. The Sheets request bodies are built here; reports/xlsx.py reads the same
tables for the .xlsx file.

References: https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request
(repeatCell, updateCells, addConditionalFormatRule, setBasicFilter, addBanding) and
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells#CellFormat
("textFormat ... Setting a cell-level link here clears the cell's existing links").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from .review_accuracy import HORIZONS

if TYPE_CHECKING:
    from .review_layout import TabLayout

COLOURS = {
    "grey": {"red": 0.9, "green": 0.9, "blue": 0.9},
    "band": {"red": 0.96, "green": 0.97, "blue": 0.98},
    "white": {"red": 1.0, "green": 1.0, "blue": 1.0},
    "red": {"red": 0.96, "green": 0.8, "blue": 0.8},
    "amber": {"red": 1.0, "green": 0.9, "blue": 0.7},
    "green": {"red": 0.85, "green": 0.94, "blue": 0.83},
    "pale green": {"red": 0.93, "green": 0.97, "blue": 0.91},
}
FORECAST_COLOURS = {
    "Commit": "green",
    "Probable": "pale green",
    "At risk": "amber",
    "Slipping": "red",
    "On hold": "grey",
}
SEVERITY_COLOURS = {"High": "red", "Medium": "amber"}
OUTCOME_COLOURS = {"Won": "green", "Lost": "red"}
LINK_COLUMN = "Deal"  # linked to the row's plan
URL_COLUMN = "Plan"  # where the link goes (not shown)

# (Sheets NumberFormat type, pattern): patterns that Sheets and Excel read alike
CURRENCY = ("CURRENCY", "$#,##0")
PERCENT = ("PERCENT", "0%")
DAY = ("DATE", "yyyy-mm-dd")
MOMENT = ("DATE_TIME", "yyyy-mm-dd hh:mm")
MONTH = ("DATE", "mmm yyyy")
WHOLE = ("NUMBER", "0")
RATIO = ("NUMBER", "0.00")
TENTHS = ("NUMBER", "0.0")  # means of business days
NAMED_FORMATS = {
    "Actual days": TENTHS,
    **{
        f"{what} error {days} days before": TENTHS
        for what in ("Projection", "Committed")
        for days in HORIZONS
    },
    **dict.fromkeys(("Amount", "Committed", "Projected"), CURRENCY),
    **dict.fromkeys(("% done", "Win rate"), PERCENT),
    **dict.fromkeys(("When", "As of"), MOMENT),
    "Month": MONTH,
    **dict.fromkeys(
        (
            *("Created", "Go-live", "Signature target", "Next step due", "Last slip"),
            *("Projected close", "Unreadable since", "Due", "Done on", "Won on", "Closed on"),
            *("Go-live (committed)", "Go-live (projected)", "Signature (committed)"),
        ),
        DAY,
    ),
    "Count": WHOLE,
    "Ratio": RATIO,
}


def is_date_column(column: pd.Series) -> bool:
    """Datetime dtype, or objects that are all dates/timestamps."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return True
    present = column.dropna()
    return column.dtype == object and len(present) > 0 and all(isinstance(v, date) for v in present)


def number_format(name: str, column: pd.Series) -> tuple[str, str] | None:
    """The column's (type, pattern), None for text and plain numbers."""
    if name in NAMED_FORMATS:
        return NAMED_FORMATS[name]
    return DAY if is_date_column(column) else None


@dataclass(frozen=True)
class ColourRule:
    """Colour a column's cell when it equals a text (or, `above`, is a number greater than)."""

    column: str
    value: str
    colour: str
    above: bool = False


def colour_rules(title: str, columns: Iterable[str]) -> list[ColourRule]:
    """The tab's colour rules, for the columns it has."""
    present = set(columns)
    rules = []
    if title == "Pipeline" and "Risks" in present:
        rules.append(ColourRule("Risks", "0", "red", above=True))
    if title == "Steps" and "Business days overdue" in present:
        rules.append(ColourRule("Business days overdue", "0", "red", above=True))
    for column, colours in (
        ("Forecast", FORECAST_COLOURS),
        ("Severity", SEVERITY_COLOURS),
        ("Outcome", OUTCOME_COLOURS),
        ("On track", {"yes": "green", "no": "red"}),
    ):
        if column in present:
            rules += [ColourRule(column, value, colour) for value, colour in colours.items()]
    return rules


def grid(sheet_id: int, rows: tuple[int, int], cols: tuple[int, int]) -> dict[str, int]:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#GridRange"""
    names = ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")
    return {"sheetId": sheet_id, **dict(zip(names, (*rows, *cols), strict=True))}


def _repeat(area: dict[str, int], fmt: dict[str, Any], fields: str) -> dict[str, Any]:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#repeatcellrequest"""
    cell = {"userEnteredFormat": fmt}
    return {"repeatCell": {"range": area, "cell": cell, "fields": f"userEnteredFormat({fields})"}}


def _rows(layout: TabLayout) -> tuple[int, int]:
    """The rows a column's format and colour rules cover: the whole grid below the header, so
    they stay the same however many rows the table has."""
    return 1, layout.grid_rows


def format_requests(layout: TabLayout) -> list[dict[str, Any]]:
    """Bold grey header, and each column's number format."""
    sid, frame, out = layout.sheet_id, layout.frame, []
    header = {"textFormat": {"bold": True}, "backgroundColor": COLOURS["grey"]}
    if len(frame.columns):
        cols = (0, len(frame.columns))
        out.append(_repeat(grid(sid, (0, 1), cols), header, "textFormat.bold,backgroundColor"))
    for index, name in enumerate(map(str, frame.columns)):
        found = number_format(name, frame.iloc[:, index])
        if found is not None:
            number = {"type": found[0], "pattern": found[1]}
            area = grid(sid, _rows(layout), (index, index + 1))
            out.append(_repeat(area, {"numberFormat": number}, "numberFormat"))
    return out


def width_requests(layout: TabLayout, widths: list[int]) -> list[dict[str, Any]]:
    """Each column's width in pixels.
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatedimensionpropertiesrequest
    """
    out = []
    for offset, pixels in enumerate(widths):
        span = {"sheetId": layout.sheet_id, "dimension": "COLUMNS", "startIndex": offset}
        span["endIndex"] = offset + 1
        props = {"range": span, "properties": {"pixelSize": pixels}, "fields": "pixelSize"}
        out.append({"updateDimensionProperties": props})
    return out


def rule_requests(layout: TabLayout) -> list[dict[str, Any]]:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#addconditionalformatrulerequest"""
    columns = [str(c) for c in layout.frame.columns]
    out = []
    for rule in colour_rules(layout.title, columns):
        index = columns.index(rule.column)
        kind = "NUMBER_GREATER" if rule.above else "TEXT_EQ"
        condition = {"type": kind, "values": [{"userEnteredValue": rule.value}]}
        boolean = {"condition": condition, "format": {"backgroundColor": COLOURS[rule.colour]}}
        area = grid(layout.sheet_id, _rows(layout), (index, index + 1))
        out.append(
            {"addConditionalFormatRule": {"rule": {"ranges": [area], "booleanRule": boolean}}}
        )
    return out


_BANDS = {
    "headerColor": COLOURS["grey"],
    "firstBandColor": COLOURS["white"],
    "secondBandColor": COLOURS["band"],
}


def add_banding_request(layout: TabLayout) -> list[dict[str, Any]]:
    """Alternating row colours under the tab's fixed banding id, over the whole grid (fitted to
    the table by `fit_table_requests`).
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#addbandingrequest
    ("The bandedRangeId field is optional; if one is not set, an id will be randomly generated")
    """
    width = len(layout.frame.columns)
    if not width:
        return []
    area = grid(layout.sheet_id, (0, layout.grid_rows), (0, width))
    banded = {"bandedRangeId": layout.banding_id, "range": area, "rowProperties": _BANDS}
    return [{"addBanding": {"bandedRange": banded}}]


def fit_table_requests(layout: TabLayout) -> list[dict[str, Any]]:
    """A filter on the header and the alternating colours over the table's rows (both replace
    what was there, so they can be sent again).

    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#setbasicfilterrequest
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatebandingrequest
    """
    width = len(layout.frame.columns)
    if not width:
        return []
    area = grid(layout.sheet_id, (0, layout.table_rows), (0, width))
    banded = {"bandedRangeId": layout.banding_id, "range": area}
    return [
        {"setBasicFilter": {"filter": {"range": area}}},
        {"updateBanding": {"bandedRange": banded, "fields": "range"}},
    ]


def _text(value: object) -> str:
    """A deal's name as text ("" for a missing one)."""
    return (
        ""
        if value is None or value is pd.NA or (isinstance(value, float) and value != value)
        else str(value)
    )


def link_cell(name: object, url: str | None) -> dict[str, Any]:
    """A deal's name linked to its plan (CellData); a row without a plan has no link.

    The name is a stringValue, stored as it is and never read as a formula, as RAW input does.
    """
    cell: dict[str, Any] = {}
    if _text(name):
        cell["userEnteredValue"] = {"stringValue": _text(name)}
    if url:
        cell["userEnteredFormat"] = {"textFormat": {"link": {"uri": url}}}
    return cell


def linked_column(layout: TabLayout) -> int | None:
    """The position of the column whose cells `link_requests` writes, if the tab has links."""
    columns = [str(c) for c in layout.frame.columns]
    if not layout.links or LINK_COLUMN not in columns:
        return None
    return columns.index(LINK_COLUMN)
