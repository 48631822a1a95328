"""Row and column groups, and cut and paste.

Groups are held as Google describes them: each row (column) has a depth, the number of groups
that contain it, and the groups at depth d are the maximal runs of rows of depth >= d.
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#AddDimensionGroupRequest
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from . import cells
from . import sheetmodel as sm
from .a1 import format_range
from .batch_common import (
    Body,
    Handler,
    Reply,
    check_cells,
    coordinate,
    exceeds_grid,
    mask_of,
    range_bounds,
    sheet_of,
)
from .errors import bad_request, not_implemented

if TYPE_CHECKING:
    from .sheets_common import Opened

_GROUPS = {"ROWS": "rowGroups", "COLUMNS": "columnGroups"}
_AXIS = {"ROWS": 0, "COLUMNS": 1}
MAX_DEPTH = 8  # "Groups ... can be nested up to 8 levels" (Sheets Help: group rows and columns)


def _span(o: Opened, rng: dict[str, Any] | None) -> tuple[sm.Sheet, str, int, int]:
    """(sheet, dimension, start, end) of a DimensionRange that must hold at least one row."""
    rng = rng or {}
    sheet = sheet_of(o, rng.get("sheetId"))
    dimension = rng.get("dimension")
    if dimension not in _AXIS:
        raise bad_request("range.dimension must be ROWS or COLUMNS.")  # approximate wording
    size = sm.grid_size(sheet)[_AXIS[dimension]]
    start = int(rng.get("startIndex", 0))
    end = int(rng["endIndex"]) if "endIndex" in rng else size
    if not 0 <= start < end <= size:
        # Approximate wording.
        raise bad_request(f"Invalid dimension range: startIndex {start}, endIndex {end}.")
    return sheet, dimension, start, end


def _depths(sheet: sm.Sheet, dimension: str) -> list[int]:
    size = sm.grid_size(sheet)[_AXIS[dimension]]
    depths = [0] * size
    for group in sheet.get(_GROUPS[dimension], []):
        rng = group["range"]
        for i in range(int(rng.get("startIndex", 0)), min(int(rng["endIndex"]), size)):
            depths[i] += 1
    return depths


def _store(sheet: sm.Sheet, dimension: str, depths: list[int]) -> list[dict[str, Any]]:
    """Rebuild the sheet's groups from depths, keeping `collapsed` where a group survives."""
    key = _GROUPS[dimension]
    collapsed = {
        (g["range"].get("startIndex", 0), g["range"]["endIndex"], g["depth"])
        for g in sheet.get(key, [])
        if g.get("collapsed")
    }
    groups = []
    for depth in range(1, max(depths, default=0) + 1):
        start = None
        for i, d in enumerate([*depths, 0]):
            if d >= depth and start is None:
                start = i
            elif d < depth and start is not None:
                rng: dict[str, Any] = {"dimension": dimension, "startIndex": start, "endIndex": i}
                if sm.sheet_id(sheet):
                    rng = {"sheetId": sm.sheet_id(sheet), **rng}
                group: dict[str, Any] = {"range": rng, "depth": depth}
                if (start, i, depth) in collapsed:
                    group["collapsed"] = True
                groups.append(group)
                start = None
    groups.sort(key=lambda g: (g["range"]["startIndex"], g["depth"]))
    if groups:
        sheet[key] = groups
    else:
        sheet.pop(key, None)
    return copy.deepcopy(groups)


def add_dimension_group(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#AddDimensionGroupRequest"""
    sheet, dimension, start, end = _span(o, body.get("range"))
    depths = _depths(sheet, dimension)
    for i in range(start, end):
        depths[i] += 1
    if max(depths) > MAX_DEPTH:
        # Approximate wording.
        raise bad_request(f"Groups cannot be nested more than {MAX_DEPTH} levels deep.")
    return {"addDimensionGroup": {"dimensionGroups": _store(sheet, dimension, depths)}}


def delete_dimension_group(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#DeleteDimensionGroupRequest

    "Deletes a group over the specified range by decrementing the depth of the dimensions in
    the range."
    """
    sheet, dimension, start, end = _span(o, body.get("range"))
    depths = _depths(sheet, dimension)
    if not any(depths[start:end]):
        raise bad_request("No grouping to remove in the range.")  # approximate wording
    for i in range(start, end):
        depths[i] = max(0, depths[i] - 1)
    return {"deleteDimensionGroup": {"dimensionGroups": _store(sheet, dimension, depths)}}


def update_dimension_group(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#UpdateDimensionGroupRequest

    The group is found by its range and depth; only `collapsed` may change.
    """
    given = body.get("dimensionGroup") or {}
    mask = mask_of(body.get("fields"), "DimensionGroup")
    sheet, dimension, start, end = _span(o, given.get("range"))
    depth = int(given.get("depth", 0))
    for group in sheet.get(_GROUPS[dimension], []):
        rng = group["range"]
        if (rng.get("startIndex", 0), rng["endIndex"], group["depth"]) == (start, end, depth):
            if "*" in mask or "collapsed" in mask:
                if given.get("collapsed"):
                    group["collapsed"] = True
                else:
                    group.pop("collapsed", None)
            return {}
    raise bad_request("No group found for the given range and depth.")  # approximate wording


# ---------------------------------------------------------------- cutPaste

_CUT_FIELDS: dict[str, tuple[str, ...]] = {
    "PASTE_NORMAL": cells.WRITABLE,
    "PASTE_VALUES": ("userEnteredValue",),
    "PASTE_FORMAT": ("userEnteredFormat",),
    "PASTE_FORMULA": ("userEnteredValue",),
    "PASTE_DATA_VALIDATION": ("dataValidation",),
}


def cut_paste(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#CutPasteRequest

    The cut cells move as they are (a cut formula keeps pointing where it pointed); what the
    paste type moves is cleared at the source first, so a destination overlapping the source
    works. Formulas elsewhere that refer to the cut cells are not redirected to the new place.
    """
    paste = body.get("pasteType") or "PASTE_NORMAL"
    if paste not in _CUT_FIELDS:
        raise not_implemented(f"cutPaste with pasteType {paste}")
    fields = _CUT_FIELDS[paste]
    src_sheet, src = range_bounds(o, body.get("source"))
    dst_sheet, row, col = coordinate(o, body.get("destination"))
    area = sm.Bounds((row, col, row + src.rows, col + src.cols))
    rows, cols = sm.grid_size(dst_sheet)
    if area[2] > rows or area[3] > cols:
        raise exceeds_grid(dst_sheet, format_range(sm.title(dst_sheet), *area))
    check_cells(o, src_sheet, src)
    check_cells(o, dst_sheet, area)
    moved = []
    for r in range(src[0], src[2]):
        line = []
        for c in range(src[1], src[3]):
            stored = {k: v for k, v in (sm.cell(src_sheet, r, c) or {}).items() if k in fields}
            line.append(copy.deepcopy(stored))
            _replace(src_sheet, r, c, fields, {})
        moved.append(line)
    for i, line in enumerate(moved):
        for j, stored in enumerate(line):
            _replace(dst_sheet, row + i, col + j, fields, stored)
    return {}


def _replace(sheet: sm.Sheet, row: int, col: int, fields: tuple[str, ...], new: sm.Cell) -> None:
    """Set `fields` of one cell to what `new` holds (absent: cleared), keeping the rest."""
    stored = {k: v for k, v in (sm.cell(sheet, row, col) or {}).items() if k in cells.WRITABLE}
    for key in fields:
        stored.pop(key, None)
    stored.update(copy.deepcopy(new))
    cells.refresh(stored)
    sm.set_cell(sheet, row, col, stored or None)


HANDLERS: dict[str, Handler] = {
    "addDimensionGroup": add_dimension_group,
    "deleteDimensionGroup": delete_dimension_group,
    "updateDimensionGroup": update_dimension_group,
    "cutPaste": cut_paste,
}
