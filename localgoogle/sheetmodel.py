"""The stored spreadsheet: Google's Spreadsheet resource plus a dense cell grid per sheet.

A stored document is the Spreadsheet resource as the API returns it (`spreadsheetId`,
`properties`, `sheets[]`, `namedRanges`, `developerMetadata`), except that each sheet keeps its
cells in `sheet["grid"]`: a list of rows, each a list of CellData dicts or None, ragged (a row
may be shorter than the sheet is wide). Row and column sizes live in `sheet["rowMeta"]` and
`sheet["colMeta"]`: dicts from index (as text) to DimensionProperties, only where set.
"""

from __future__ import annotations

import copy
import secrets
import string
from collections.abc import Iterator
from typing import Any

from .a1 import A1Error, A1Range, parse_range, quote_sheet
from .errors import ApiError, bad_request

DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26
MAX_CELLS = 10_000_000  # Google's per-spreadsheet cell limit
DEFAULT_ROW_PX = 21
DEFAULT_COL_PX = 100

# What Google returns as `properties.defaultFormat` for a new en_US spreadsheet.
DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
    },
}

_ID_CHARS = string.ascii_letters + string.digits + "-_"

Doc = dict[str, Any]
Sheet = dict[str, Any]
Cell = dict[str, Any]


def new_spreadsheet_id() -> str:
    """A 44-character id shaped like Google's."""
    return "1" + "".join(secrets.choice(_ID_CHARS) for _ in range(43))


def spreadsheet_url(spreadsheet_id: str) -> str:
    return f"https://docs.google.com/spreadsheets/d/{spreadsheet_id}/edit"


def new_sheet_id(doc: Doc) -> int:
    taken = {s["properties"]["sheetId"] for s in doc["sheets"]}
    while True:
        candidate = secrets.randbelow(2**31 - 1) + 1
        if candidate not in taken:
            return candidate


def next_id(doc: Doc, counter: str) -> int:
    """Sequential ids for protected ranges, metadata, charts, banding, filter views."""
    counters = doc.setdefault("_ids", {})
    counters[counter] = counters.get(counter, 0) + 1
    value: int = counters[counter] * 1_000_003 % (2**31 - 1)
    return value


# ---------------------------------------------------------------- sheets and lookup


def sheets(doc: Doc) -> list[Sheet]:
    return doc["sheets"]


def sheet_by_id(doc: Doc, sheet_id: int) -> Sheet | None:
    for sheet in doc["sheets"]:
        if sheet["properties"]["sheetId"] == sheet_id:
            return sheet
    return None


def sheet_by_title(doc: Doc, title: str) -> Sheet | None:
    for sheet in doc["sheets"]:
        if sheet["properties"]["title"] == title:
            return sheet
    lowered = title.lower()  # Sheets resolves sheet names in ranges case-insensitively
    for sheet in doc["sheets"]:
        if sheet["properties"]["title"].lower() == lowered:
            return sheet
    return None


def require_sheet_id(doc: Doc, sheet_id: int, where: str = "") -> Sheet:
    sheet = sheet_by_id(doc, sheet_id)
    if sheet is None:
        raise bad_request(f"{where}No grid with id: {sheet_id}")
    return sheet


def title(sheet: Sheet) -> str:
    return sheet["properties"]["title"]


def sheet_id(sheet: Sheet) -> int:
    return sheet["properties"]["sheetId"]


def grid_size(sheet: Sheet) -> tuple[int, int]:
    grid = sheet["properties"].get("gridProperties", {})
    return int(grid.get("rowCount", 0)), int(grid.get("columnCount", 0))


def set_grid_size(sheet: Sheet, rows: int, columns: int) -> None:
    grid = sheet["properties"].setdefault("gridProperties", {})
    grid["rowCount"] = rows
    grid["columnCount"] = columns


def total_cells(doc: Doc) -> int:
    return sum(r * c for r, c in (grid_size(s) for s in doc["sheets"]))


def check_cell_limit(doc: Doc) -> None:
    if total_cells(doc) > MAX_CELLS:
        raise bad_request(
            "This action would increase the number of cells in the workbook above the limit "
            f"of {MAX_CELLS} cells."
        )


# ---------------------------------------------------------------- ranges


class Bounds(tuple[int, int, int, int]):
    """A resolved, clipped, half-open grid rectangle: (start_row, start_col, end_row, end_col)."""

    __slots__ = ()

    @property
    def rows(self) -> int:
        return self[2] - self[0]

    @property
    def cols(self) -> int:
        return self[3] - self[1]


def _named_range(doc: Doc, text: str) -> dict[str, Any] | None:
    """The named range `text` names: `MyRange`, or `'Sheet1'!MyRange` with an existing sheet."""
    name = text
    if "!" in text:
        prefix, name = text.rsplit("!", 1)
        if prefix.startswith("'") and prefix.endswith("'") and len(prefix) > 1:
            prefix = prefix[1:-1].replace("''", "'")
        if sheet_by_title(doc, prefix) is None:
            return None
    return next(
        (n for n in doc.get("namedRanges", []) if n.get("name", "").lower() == name.lower()),
        None,
    )


def requested_range(doc: Doc, text: str) -> tuple[Sheet, A1Range]:
    """An A1 range or named range in a request -> (sheet, range as written, not yet clipped)."""
    named = _named_range(doc, text)
    if named is not None and sheet_by_title(doc, text) is None:
        # A named range stands for its grid range wherever an A1 range is accepted.
        grid_range = named["range"]
        target = require_sheet_id(doc, int(grid_range.get("sheetId", 0)))
        return target, A1Range(
            title(target),
            grid_range.get("startRowIndex"),
            grid_range.get("startColumnIndex"),
            grid_range.get("endRowIndex"),
            grid_range.get("endColumnIndex"),
        )
    try:
        parsed = parse_range(text)
    except A1Error as exc:
        raise bad_request(f"Unable to parse range: {text}") from exc
    if parsed.sheet is None:
        # A bare A1 reference is either a sheet name or a range on the first sheet.
        sheet = doc["sheets"][0] if doc["sheets"] else None
    else:
        sheet = sheet_by_title(doc, parsed.sheet)
    if sheet is None:
        raise bad_request(f"Unable to parse range: {text}")
    return sheet, parsed


def resolve_a1(doc: Doc, text: str) -> tuple[Sheet, Bounds]:
    """An A1 range in a request -> (sheet, bounds clipped to the grid); 400 as Google words it."""
    sheet, parsed = requested_range(doc, text)
    return sheet, clip(sheet, parsed, text)


def clip(sheet: Sheet, parsed: A1Range, text: str) -> Bounds:
    rows, cols = grid_size(sheet)
    start_row = parsed.start_row or 0
    start_col = parsed.start_col or 0
    end_row = rows if parsed.end_row is None else parsed.end_row
    end_col = cols if parsed.end_col is None else parsed.end_col
    if start_row >= rows and rows > 0 or start_col >= cols and cols > 0:
        # Google: a range wholly beyond the grid cannot be parsed for this sheet.
        raise bad_request(f"Unable to parse range: {text}")
    return Bounds((start_row, start_col, min(end_row, rows), min(end_col, cols)))


def grid_range_bounds(sheet: Sheet, grid_range: dict[str, Any]) -> Bounds:
    """A GridRange (missing indexes = unbounded) -> bounds clipped to the sheet."""
    rows, cols = grid_size(sheet)
    return Bounds(
        (
            int(grid_range.get("startRowIndex", 0)),
            int(grid_range.get("startColumnIndex", 0)),
            min(int(grid_range.get("endRowIndex", rows)), rows),
            min(int(grid_range.get("endColumnIndex", cols)), cols),
        )
    )


def a1_text(sheet: Sheet, bounds: Bounds) -> str:
    """The normalised A1 echo Google gives for a range: `Sheet1!A1:D5`, `'My Tab'!B2`."""
    from .a1 import format_range

    start_row, start_col, end_row, end_col = bounds
    if end_row <= start_row or end_col <= start_col:
        return quote_sheet(title(sheet))
    return format_range(title(sheet), start_row, start_col, end_row, end_col)


# ---------------------------------------------------------------- cells


def cell(sheet: Sheet, row: int, col: int) -> Cell | None:
    grid = sheet.get("grid", [])
    if row < len(grid):
        values = grid[row]
        if values is not None and col < len(values):
            return values[col]
    return None


def set_cell(sheet: Sheet, row: int, col: int, value: Cell | None) -> None:
    grid = sheet.setdefault("grid", [])
    if value is None or not value:
        if row < len(grid) and grid[row] is not None and col < len(grid[row]):
            grid[row][col] = None
        return
    while len(grid) <= row:
        grid.append(None)
    values = grid[row]
    if values is None:
        values = grid[row] = []
    while len(values) <= col:
        values.append(None)
    values[col] = value


def cells_in(sheet: Sheet, bounds: Bounds) -> Iterator[tuple[int, int, Cell | None]]:
    start_row, start_col, end_row, end_col = bounds
    for r in range(start_row, end_row):
        for c in range(start_col, end_col):
            yield r, c, cell(sheet, r, c)


def used_extent(sheet: Sheet) -> tuple[int, int]:
    """(rows, cols) up to the last row and column that hold a value."""
    last_row = last_col = 0
    for r, values in enumerate(sheet.get("grid", [])):
        for c, value in enumerate(values or []):
            if value and "userEnteredValue" in value:
                last_row = max(last_row, r + 1)
                last_col = max(last_col, c + 1)
    return last_row, last_col


def trim(sheet: Sheet) -> None:
    """Drop stored cells beyond the grid (after a resize) and trailing empties."""
    rows, cols = grid_size(sheet)
    grid = sheet.get("grid", [])
    del grid[rows:]
    for i, values in enumerate(grid):
        if values is not None:
            del values[cols:]
            while values and not values[-1]:
                values.pop()
            if not values:
                grid[i] = None
    while grid and grid[-1] is None:
        grid.pop()


# ---------------------------------------------------------------- dimensions


def insert_dimension(sheet: Sheet, dimension: str, start: int, end: int) -> None:
    """Insert empty rows/columns [start, end): cells and sizes below/right shift along."""
    count = end - start
    rows, cols = grid_size(sheet)
    grid = sheet.setdefault("grid", [])
    if dimension == "ROWS":
        if start < len(grid):
            grid[start:start] = [None] * count
        _shift_meta(sheet, "rowMeta", start, count)
        set_grid_size(sheet, rows + count, cols)
    else:
        for values in grid:
            if values is not None and start < len(values):
                values[start:start] = [None] * count
        _shift_meta(sheet, "colMeta", start, count)
        set_grid_size(sheet, rows, cols + count)


def delete_dimension(sheet: Sheet, dimension: str, start: int, end: int) -> None:
    count = end - start
    rows, cols = grid_size(sheet)
    grid = sheet.setdefault("grid", [])
    if dimension == "ROWS":
        del grid[start:end]
        _shift_meta(sheet, "rowMeta", end, -count, drop=(start, end))
        set_grid_size(sheet, rows - count, cols)
    else:
        for values in grid:
            if values is not None:
                del values[start:end]
        _shift_meta(sheet, "colMeta", end, -count, drop=(start, end))
        set_grid_size(sheet, rows, cols - count)


def _shift_meta(
    sheet: Sheet, key: str, start: int, delta: int, drop: tuple[int, int] | None = None
) -> None:
    meta: dict[str, Any] = sheet.get(key, {})
    shifted: dict[str, Any] = {}
    for index_text, props in meta.items():
        index = int(index_text)
        if drop and drop[0] <= index < drop[1]:
            continue
        shifted[str(index + delta if index >= start else index)] = props
    sheet[key] = shifted


def dimension_size(sheet: Sheet, dimension: str, index: int) -> dict[str, Any]:
    key = "rowMeta" if dimension == "ROWS" else "colMeta"
    default = DEFAULT_ROW_PX if dimension == "ROWS" else DEFAULT_COL_PX
    props = dict(sheet.get(key, {}).get(str(index), {}))
    props.setdefault("pixelSize", default)
    return props


def set_dimension_properties(
    sheet: Sheet, dimension: str, index: int, props: dict[str, Any]
) -> None:
    key = "rowMeta" if dimension == "ROWS" else "colMeta"
    current = sheet.setdefault(key, {}).setdefault(str(index), {})
    current.update(copy.deepcopy(props))


def raise_invalid(index: int, kind: str, message: str) -> ApiError:
    """The batchUpdate error prefix Google uses: `Invalid requests[0].addSheet: ...`."""
    return bad_request(f"Invalid requests[{index}].{kind}: {message}")
