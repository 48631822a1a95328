"""Cell-editing batchUpdate requests: updateCells, repeatCell, appendCells, borders and merges."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from . import cells, fieldmask
from . import sheetmodel as sm
from .a1 import format_range
from .batch_common import (
    Body,
    Handler,
    Reply,
    as_grid_range,
    check_cells,
    coordinate,
    exceeds_grid,
    mask_of,
    overlaps,
    range_bounds,
    sheet_of,
    updated,
)
from .errors import bad_request

if TYPE_CHECKING:
    from .sheets_common import Opened

_DERIVED = ("effectiveValue", "formattedValue", "effectiveFormat", "hyperlink")


def _empty_value(value: Any) -> bool:
    return not value or value == {"stringValue": ""}


def edit_cell(
    sheet: sm.Sheet, row: int, col: int, source: dict[str, Any], mask: fieldmask.Mask
) -> None:
    """Apply the masked fields of CellData `source` to one stored cell, recomputing what derives."""
    stored = sm.cell(sheet, row, col) or {}
    base = {k: v for k, v in stored.items() if k in cells.WRITABLE}
    new = updated(base, source, mask)
    new = {k: v for k, v in new.items() if k in cells.WRITABLE and v not in (None, {}, [], "")}
    if _empty_value(new.get("userEnteredValue")):
        new.pop("userEnteredValue", None)
    value = new.get("userEnteredValue")
    if value and value == stored.get("userEnteredValue") and "formulaValue" in value:
        for key in ("effectiveValue", "formattedValue"):  # keep until the recalculation
            if key in stored:
                new[key] = stored[key]
    cells.refresh(new)
    sm.set_cell(sheet, row, col, new or None)


def _row_values(row: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [v or {} for v in (row or {}).get("values") or []]


def update_cells(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatecellsrequest"""
    mask = mask_of(body.get("fields"), "CellData")
    rows = [_row_values(r) for r in body.get("rows") or []]
    if body.get("range") is not None:
        sheet, bounds = range_bounds(o, body["range"])
        _fits(rows, bounds)
        check_cells(o, sheet, bounds)
        for r in range(bounds[0], bounds[2]):
            values = rows[r - bounds[0]] if r - bounds[0] < len(rows) else []
            for c in range(bounds[1], bounds[3]):
                i = c - bounds[1]
                edit_cell(sheet, r, c, values[i] if i < len(values) else {}, mask)
        return {}
    if body.get("start") is None:
        raise bad_request("Either start or range must be set.")  # approximate wording
    sheet, row, col = coordinate(o, body["start"])
    width = max((len(v) for v in rows), default=0)
    written = sm.Bounds((row, col, row + len(rows), col + width))
    _inside(sheet, written)
    check_cells(o, sheet, written)
    for i, values in enumerate(rows):
        for j, source in enumerate(values):
            edit_cell(sheet, row + i, col + j, source, mask)
    return {}


def _fits(rows: list[list[dict[str, Any]]], bounds: sm.Bounds) -> None:
    # Approximate wording, after Google's "Attempting to write row: N, beyond the last
    # requested row of: M".
    if len(rows) > bounds.rows:
        raise bad_request(
            f"Attempting to write row: {bounds[0] + bounds.rows}, beyond the last requested row "
            f"of: {bounds[2] - 1}"
        )
    for values in rows:
        if len(values) > bounds.cols:
            raise bad_request(
                f"Attempting to write column: {bounds[1] + bounds.cols}, beyond the last "
                f"requested column of: {bounds[3] - 1}"
            )


def _inside(sheet: sm.Sheet, written: sm.Bounds) -> None:
    rows, cols = sm.grid_size(sheet)
    if written[2] > rows or written[3] > cols:
        raise exceeds_grid(
            sheet, format_range(sm.title(sheet), written[0], written[1], written[2], written[3])
        )


def repeat_cell(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#repeatcellrequest"""
    mask = mask_of(body.get("fields"), "CellData")
    sheet, bounds = range_bounds(o, body.get("range"))
    check_cells(o, sheet, bounds)
    source = body.get("cell") or {}
    for r, c, _ in list(sm.cells_in(sheet, bounds)):
        edit_cell(sheet, r, c, source, mask)
    return {}


def append_cells(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#appendcellsrequest"""
    mask = mask_of(body.get("fields"), "CellData")
    sheet = sheet_of(o, body.get("sheetId"))
    rows = [_row_values(r) for r in body.get("rows") or []]
    start = sm.used_extent(sheet)[0]
    width = max((len(v) for v in rows), default=0)
    old_rows, old_cols = sm.grid_size(sheet)
    # "inserting new rows into the sheet if necessary"; columns grow too (unverified).
    sm.set_grid_size(sheet, max(old_rows, start + len(rows)), max(old_cols, width))
    written = sm.Bounds((start, 0, start + len(rows), width))
    check_cells(o, sheet, written)
    for i, values in enumerate(rows):
        for j, source in enumerate(values):
            edit_cell(sheet, start + i, j, source, mask)
    return {}


# ---------------------------------------------------------------- borders

_WIDTHS = {"SOLID": 1, "DOTTED": 1, "DASHED": 1, "DOUBLE": 1, "SOLID_MEDIUM": 2, "SOLID_THICK": 3}


def _set_border(sheet: sm.Sheet, row: int, col: int, side: str, border: dict[str, Any]) -> None:
    stored = copy.deepcopy(sm.cell(sheet, row, col) or {})
    fmt = stored.setdefault("userEnteredFormat", {})
    borders = fmt.setdefault("borders", {})
    if border.get("style", "NONE") == "NONE":
        borders.pop(side, None)
    else:
        value = copy.deepcopy(border)
        value.setdefault("width", _WIDTHS.get(value["style"], 1))
        if "color" in value and "colorStyle" not in value:
            value["colorStyle"] = {"rgbColor": copy.deepcopy(value["color"])}
        borders[side] = value
    if not borders:
        del fmt["borders"]
    if not fmt:
        del stored["userEnteredFormat"]
    cells.refresh(stored)
    sm.set_cell(sheet, row, col, stored or None)


def update_borders(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatebordersrequest"""
    sheet, (top, left, bottom, right) = range_bounds(o, body.get("range"))
    check_cells(o, sheet, sm.Bounds((top, left, bottom, right)))
    if bottom <= top or right <= left:
        return {}
    sides = [
        ("top", [(top, c) for c in range(left, right)], "top"),
        ("bottom", [(bottom - 1, c) for c in range(left, right)], "bottom"),
        ("left", [(r, left) for r in range(top, bottom)], "left"),
        ("right", [(r, right - 1) for r in range(top, bottom)], "right"),
        # Inner borders are kept on both neighbours, so either cell reports the line.
        (
            "innerHorizontal",
            [(r, c) for r in range(top, bottom - 1) for c in range(left, right)],
            "bottom",
        ),
        (
            "innerHorizontal",
            [(r, c) for r in range(top + 1, bottom) for c in range(left, right)],
            "top",
        ),
        (
            "innerVertical",
            [(r, c) for r in range(top, bottom) for c in range(left, right - 1)],
            "right",
        ),
        (
            "innerVertical",
            [(r, c) for r in range(top, bottom) for c in range(left + 1, right)],
            "left",
        ),
    ]
    for name, where, side in sides:
        if body.get(name) is not None:
            for r, c in where:
                _set_border(sheet, r, c, side, body[name])
    return {}


# ---------------------------------------------------------------- merges


def merge_cells(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#mergecellsrequest"""
    sheet, bounds = range_bounds(o, body.get("range"))
    check_cells(o, sheet, bounds)
    kind = body.get("mergeType") or "MERGE_ALL"
    top, left, bottom, right = bounds
    if kind == "MERGE_COLUMNS":
        parts = [sm.Bounds((top, c, bottom, c + 1)) for c in range(left, right)]
    elif kind == "MERGE_ROWS":
        parts = [sm.Bounds((r, left, r + 1, right)) for r in range(top, bottom)]
    else:
        parts = [bounds]
    parts = [p for p in parts if p.rows * p.cols > 1]
    grid = sheet["properties"].get("gridProperties", {})
    for part in parts:
        for key, lo, hi, what in (
            ("frozenRowCount", part[0], part[2], "rows"),
            ("frozenColumnCount", part[1], part[3], "columns"),
        ):
            if lo < int(grid.get(key, 0)) < hi:
                raise bad_request(f"You can't merge frozen and non-frozen {what}.")  # approximate
    merges = [m for m in sheet.get("merges", []) if not any(overlaps(_bounds(m), p) for p in parts)]
    for part in parts:
        merges.append(as_grid_range(sheet, part))
        # As in the Sheets UI, only the top-left value survives a merge (unverified for the API).
        for r, c, stored in list(sm.cells_in(sheet, part)):
            if (r, c) != (part[0], part[1]) and stored and "userEnteredValue" in stored:
                kept = {k: v for k, v in stored.items() if k in cells.WRITABLE}
                kept.pop("userEnteredValue")
                sm.set_cell(sheet, r, c, kept or None)
    _store_merges(sheet, merges)
    return {}


def _bounds(grid_range: dict[str, Any]) -> sm.Bounds:
    return sm.Bounds(
        (
            int(grid_range.get("startRowIndex", 0)),
            int(grid_range.get("startColumnIndex", 0)),
            int(grid_range.get("endRowIndex", 0)),
            int(grid_range.get("endColumnIndex", 0)),
        )
    )


def _store_merges(sheet: sm.Sheet, merges: list[dict[str, Any]]) -> None:
    if merges:
        sheet["merges"] = merges
    else:
        sheet.pop("merges", None)


def unmerge_cells(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#unmergecellsrequest"""
    sheet, bounds = range_bounds(o, body.get("range"))
    check_cells(o, sheet, bounds)
    kept = [m for m in sheet.get("merges", []) if not overlaps(_bounds(m), bounds)]
    _store_merges(sheet, kept)
    return {}


HANDLERS: dict[str, Handler] = {
    "updateCells": update_cells,
    "repeatCell": repeat_cell,
    "appendCells": append_cells,
    "updateBorders": update_borders,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
}
