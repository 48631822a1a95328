"""Small builders for Sheets v4 JSON: cells, formats, validation rules, ranges, rules (pure).

Shapes follow https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells and
.../spreadsheets/other. Colours use the `*ColorStyle` fields: the plain `backgroundColor` and
`foregroundColor` are deprecated in favour of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

Json = dict[str, Any]

SERIAL_EPOCH = date(1899, 12, 30)  # Sheets serial day 0 (so 1900 is, correctly, not a leap year)
DATE_PATTERN = "yyyy-mm-dd"

HEADER_GREY = (0.93, 0.93, 0.93)
TEXT_GREY = (0.45, 0.45, 0.45)


def serial(day: date) -> int:
    """The Sheets serial number of a date: days since 1899-12-30."""
    return (day - SERIAL_EPOCH).days


def column_letter(index: int) -> str:
    """The A1 letters of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def color(rgb: tuple[float, float, float]) -> Json:
    """A ColorStyle from an (r, g, b) triple in 0..1."""
    red, green, blue = rgb
    return {"rgbColor": {"red": red, "green": green, "blue": blue}}


def date_format(pattern: str = DATE_PATTERN) -> Json:
    """A CellFormat that shows a serial number as a date."""
    return {"numberFormat": {"type": "DATE", "pattern": pattern}}


def text_cell(text: str, **extra: Any) -> Json:
    """A cell holding text (empty text leaves the value out)."""
    cell: Json = {"userEnteredValue": {"stringValue": text}} if text else {}
    cell.update(extra)
    return cell


def date_cell(day: date | None, **extra: Any) -> Json:
    """A date cell: a serial number formatted as yyyy-mm-dd (blank when `day` is None)."""
    cell: Json = {"userEnteredFormat": date_format()}
    if day is not None:
        cell["userEnteredValue"] = {"numberValue": serial(day)}
    cell.update(extra)
    return cell


def formula_cell(formula: str, **extra: Any) -> Json:
    """A cell holding a formula (text starting with "=")."""
    cell: Json = {"userEnteredValue": {"formulaValue": formula}}
    cell.update(extra)
    return cell


def header_cell(text: str) -> Json:
    """A bold header cell on a light grey background."""
    return text_cell(
        text,
        userEnteredFormat={
            "textFormat": {"bold": True},
            "backgroundColorStyle": color(HEADER_GREY),
        },
    )


def header_row(headers: Iterable[str]) -> Json:
    """A RowData of header cells."""
    return {"values": [header_cell(text) for text in headers]}


def dropdown(choices: Iterable[str]) -> Json:
    """A strict ONE_OF_LIST rule shown as a dropdown."""
    return {
        "condition": {
            "type": "ONE_OF_LIST",
            "values": [{"userEnteredValue": choice} for choice in choices],
        },
        "strict": True,
        "showCustomUi": True,
    }


def date_rule() -> Json:
    """A strict DATE_IS_VALID rule that says what to type when input is rejected."""
    return {
        "condition": {"type": "DATE_IS_VALID"},
        "inputMessage": "Enter a date, for example 2025-06-30.",
        "strict": True,
    }


def checkbox_rule() -> Json:
    """A BOOLEAN rule: the cell shows a checkbox (checked TRUE, unchecked FALSE)."""
    return {"condition": {"type": "BOOLEAN"}}


def grid_range(
    sheet_id: int,
    start_row: int | None = None,
    end_row: int | None = None,
    start_col: int | None = None,
    end_col: int | None = None,
) -> Json:
    """A GridRange, half-open and 0-based; a missing bound is unbounded."""
    out: Json = {"sheetId": sheet_id}
    bounds = {
        "startRowIndex": start_row,
        "endRowIndex": end_row,
        "startColumnIndex": start_col,
        "endColumnIndex": end_col,
    }
    out.update({key: value for key, value in bounds.items() if value is not None})
    return out


def formula_rule(ranges: list[Json], formula: str, fmt: Json) -> Json:
    """A ConditionalFormatRule applying `fmt` where the custom formula is true.

    Relative references in `formula` are relative to the top-left cell of the first range.
    """
    return {
        "ranges": ranges,
        "booleanRule": {
            "condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]},
            "format": fmt,
        },
    }


def widths(pixels: Iterable[int]) -> list[Json]:
    """DimensionProperties for consecutive columns of the given pixel widths."""
    return [{"pixelSize": size} for size in pixels]
