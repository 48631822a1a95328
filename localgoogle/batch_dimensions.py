"""Row and column batchUpdate requests: insert, delete, append, resize and hide."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from . import cells
from . import sheetmodel as sm
from .batch_common import Body, Handler, Reply, check_cells, check_sheet, mask_of, sheet_of, updated
from .batch_shift import delete_band, insert_band
from .errors import bad_request, not_implemented

if TYPE_CHECKING:
    from .sheets_common import Opened

_AXIS = {"ROWS": 0, "COLUMNS": 1}


def _dimension_range(o: Opened, rng: dict[str, Any] | None) -> tuple[sm.Sheet, str, int, int, int]:
    """(sheet, dimension, start, end, size) of a DimensionRange; an absent end runs to the edge."""
    rng = rng or {}
    sheet = sheet_of(o, rng.get("sheetId"))
    dimension = rng.get("dimension") or "DIMENSION_UNSPECIFIED"
    if dimension not in _AXIS:
        raise bad_request("range.dimension must be ROWS or COLUMNS.")  # approximate wording
    size = sm.grid_size(sheet)[_AXIS[dimension]]
    start = int(rng.get("startIndex", 0))
    end = int(rng["endIndex"]) if "endIndex" in rng else size
    if start < 0 or end < start:
        # Approximate wording.
        raise bad_request(f"Invalid dimension range: startIndex {start}, endIndex {end}.")
    return sheet, dimension, start, end, size


def insert_dimension(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#insertdimensionrequest"""
    sheet, dimension, start, end, size = _dimension_range(o, body.get("range"))
    inherit = bool(body.get("inheritFromBefore"))
    # The three refusals below are Google's recorded words.
    if start > size:
        raise bad_request(f"range.startIndex is larger than current grid size ({size})")
    if inherit and start == 0:
        raise bad_request("range.startIndex must not be 0 if inheritFromBefore is true")
    if not inherit and start == size:
        raise bad_request(
            f"range.startIndex must be less than the grid size ({size}) if inheritFromBefore "
            "is false."
        )
    check_sheet(o, sheet)
    if end == start:
        return {}
    insert_band(o.doc, sheet, dimension, start, end)
    _inherit(sheet, dimension, start, end, start - 1 if inherit else end)
    return {}


def _inherit(sheet: sm.Sheet, dimension: str, start: int, end: int, source: int) -> None:
    """New rows/columns take the size and the cell formats of their neighbour."""
    key = "rowMeta" if dimension == "ROWS" else "colMeta"
    props = sheet.get(key, {}).get(str(source))
    for index in range(start, end):
        if props:
            sheet[key][str(index)] = copy.deepcopy(props)
    rows, cols = sm.grid_size(sheet)
    across = cols if dimension == "ROWS" else rows
    for other in range(across):
        r, c = (source, other) if dimension == "ROWS" else (other, source)
        fmt = (sm.cell(sheet, r, c) or {}).get("userEnteredFormat")
        if not fmt:
            continue
        for index in range(start, end):
            r, c = (index, other) if dimension == "ROWS" else (other, index)
            stored = {"userEnteredFormat": copy.deepcopy(fmt)}
            cells.refresh(stored)
            sm.set_cell(sheet, r, c, stored)


def delete_dimension(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#deletedimensionrequest"""
    sheet, dimension, start, end, size = _dimension_range(o, body.get("range"))
    if start >= size and end > start:
        # Approximate wording.
        raise bad_request(f"Invalid dimension range: startIndex {start} is past the grid ({size}).")
    end = min(end, size)
    if start == 0 and end >= size:
        what = "rows" if dimension == "ROWS" else "columns"
        raise bad_request(f"You can't delete all the {what} on the sheet.")
    check_sheet(o, sheet)
    rows, cols = sm.grid_size(sheet)
    band = (
        sm.Bounds((start, 0, end, cols))
        if dimension == "ROWS"
        else sm.Bounds((0, start, rows, end))
    )
    check_cells(o, sheet, band)
    if end > start:
        delete_band(o.doc, sheet, dimension, start, end)
    return {}


def append_dimension(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#appenddimensionrequest"""
    sheet = sheet_of(o, body.get("sheetId"))
    dimension = body.get("dimension")
    length = int(body.get("length", 0))
    if dimension not in _AXIS:
        raise bad_request("dimension must be ROWS or COLUMNS.")  # approximate wording
    if length <= 0:
        raise bad_request("length must be positive.")  # approximate wording
    check_sheet(o, sheet)
    rows, cols = sm.grid_size(sheet)
    if dimension == "ROWS":
        sm.set_grid_size(sheet, rows + length, cols)
    else:
        sm.set_grid_size(sheet, rows, cols + length)
    return {}


def update_dimension_properties(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatedimensionpropertiesrequest"""
    if body.get("dataSourceSheetRange") is not None:
        raise not_implemented("updateDimensionProperties on data source sheets")
    mask = mask_of(body.get("fields"), "DimensionProperties")
    sheet, dimension, start, end, size = _dimension_range(o, body.get("range"))
    if start >= size and end > start:
        raise bad_request(f"Invalid dimension range: startIndex {start} is past the grid ({size}).")
    given = {
        k: v
        for k, v in (body.get("properties") or {}).items()
        if k not in ("hiddenByFilter", "developerMetadata")  # read-only
    }
    if int(given.get("pixelSize", 0)) < 0:
        raise bad_request("pixelSize must not be negative.")  # approximate wording
    key = "rowMeta" if dimension == "ROWS" else "colMeta"
    meta = sheet.setdefault(key, {})
    for index in range(start, min(end, size)):
        new = updated(meta.get(str(index), {}), given, mask)
        new.pop("hiddenByFilter", None)
        new.pop("developerMetadata", None)
        if new:
            meta[str(index)] = new
        else:
            meta.pop(str(index), None)
    return {}


def auto_resize_dimensions(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#autoresizedimensionsrequest"""
    if body.get("dataSourceSheetDimensions") is not None:
        raise not_implemented("autoResizeDimensions on data source sheets")
    sheet, dimension, start, end, size = _dimension_range(o, body.get("dimensions"))
    cells.recalculate(o.doc)
    rows, cols = sm.grid_size(sheet)
    key = "rowMeta" if dimension == "ROWS" else "colMeta"
    for index in range(start, min(end, size)):
        if dimension == "COLUMNS":
            texts = [
                _text(sm.cell(sheet, r, index))
                for r in range(min(rows, len(sheet.get("grid", []))))
            ]
            widest = max((len(line) for t in texts for line in t.split("\n")), default=0)
            # An estimate of the fitted width: about 7 px a character of 10pt Arial, plus padding.
            pixels = max(sm.DEFAULT_ROW_PX, widest * 7 + 12) if widest else sm.DEFAULT_COL_PX
        else:
            texts = [_text(sm.cell(sheet, index, c)) for c in range(cols)]
            lines = max((t.count("\n") + 1 for t in texts if t), default=1)
            pixels = sm.DEFAULT_ROW_PX * lines
        sheet.setdefault(key, {}).setdefault(str(index), {})["pixelSize"] = pixels
    return {}


def _text(stored: sm.Cell | None) -> str:
    return str((stored or {}).get("formattedValue", ""))


HANDLERS: dict[str, Handler] = {
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "appendDimension": append_dimension,
    "updateDimensionProperties": update_dimension_properties,
    "autoResizeDimensions": auto_resize_dimensions,
}
