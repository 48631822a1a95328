"""Data-moving batchUpdate requests: findReplace, sortRange and copyPaste."""

from __future__ import annotations

import copy
import functools
import re
from typing import TYPE_CHECKING, Any

from . import batch_refs, cells
from . import sheetmodel as sm
from .a1 import format_range
from .batch_common import (
    Body,
    Handler,
    Reply,
    check_cells,
    exceeds_grid,
    nonzero,
    range_bounds,
    sheet_of,
)
from .errors import bad_request, not_implemented

if TYPE_CHECKING:
    from .sheets_common import Opened


# ---------------------------------------------------------------- findReplace


def _pattern(body: Body) -> re.Pattern[str]:
    find = body.get("find") or ""
    if not find:
        raise bad_request("The find string must not be empty.")  # approximate wording
    text = find if body.get("searchByRegex") else re.escape(find)
    if body.get("matchEntireCell"):
        text = rf"\A(?:{text})\Z"
    try:
        return re.compile(text, 0 if body.get("matchCase") else re.IGNORECASE)
    except re.error as exc:
        raise bad_request(f"Invalid regular expression: {find}") from exc  # approximate


def _replacement(body: Body) -> str:
    """Google's replacement text uses `$1` for groups (Java style); Python wants `\\1`."""
    text = (body.get("replacement") or "").replace("\\", "\\\\")
    if body.get("searchByRegex"):
        return re.sub(r"\$(\d+)", r"\\g<\1>", text)
    return text


def find_replace(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#findreplacerequest"""
    pattern, replacement = _pattern(body), _replacement(body)
    if body.get("range") is not None:
        areas = [range_bounds(o, body["range"])]
    elif body.get("sheetId") is not None:
        sheet = sheet_of(o, body["sheetId"])
        areas = [(sheet, _whole(sheet))]
    elif body.get("allSheets"):
        areas = [(s, _whole(s)) for s in o.doc["sheets"]]
    else:
        raise bad_request("A scope (range, sheetId or allSheets) must be set.")  # approximate
    counts = {"valuesChanged": 0, "formulasChanged": 0, "occurrencesChanged": 0}
    rows_changed, sheets_changed = 0, 0
    for sheet, bounds in areas:
        rows: set[int] = set()
        for r, c, stored in list(sm.cells_in(sheet, _used(sheet, bounds))):
            value = (stored or {}).get("userEnteredValue") or {}
            if "formulaValue" in value and body.get("includeFormulas"):
                key, counter = "formulaValue", "formulasChanged"
            elif "stringValue" in value:
                key, counter = "stringValue", "valuesChanged"
            else:
                continue  # numbers, booleans and (unless asked) formulas are left alone here
            new_text, found = pattern.subn(replacement, value[key])
            if not found or new_text == value[key]:
                continue
            check_cells(o, sheet, sm.Bounds((r, c, r + 1, c + 1)))
            new_cell = copy.deepcopy(stored or {})
            new_cell["userEnteredValue"] = {key: new_text}
            cells.refresh(new_cell)
            sm.set_cell(sheet, r, c, new_cell)
            counts[counter] += 1
            counts["occurrencesChanged"] += found
            rows.add(r)
        rows_changed += len(rows)
        sheets_changed += bool(rows)
    counts.update(rowsChanged=rows_changed, sheetsChanged=sheets_changed)
    return {"findReplace": nonzero(counts)}


def _whole(sheet: sm.Sheet) -> sm.Bounds:
    rows, cols = sm.grid_size(sheet)
    return sm.Bounds((0, 0, rows, cols))


def _used(sheet: sm.Sheet, bounds: sm.Bounds) -> sm.Bounds:
    """`bounds` cut to the rows that are stored, to spare walking empty grid."""
    stored_rows = len(sheet.get("grid", []))
    return sm.Bounds((bounds[0], bounds[1], min(bounds[2], stored_rows), bounds[3]))


# ---------------------------------------------------------------- sortRange


def _sort_key(stored: sm.Cell | None) -> tuple[int, Any] | None:
    """Sheets' ascending order: numbers, then text (case-insensitive), then booleans; None=blank."""
    effective = (stored or {}).get("effectiveValue") or {}
    if "numberValue" in effective:
        return (0, float(effective["numberValue"]))
    if "stringValue" in effective:
        return (1, effective["stringValue"].casefold()) if effective["stringValue"] else None
    if "boolValue" in effective:
        return (2, bool(effective["boolValue"]))
    if "errorValue" in effective:
        return (3, "")
    return None


def sort_range(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#sortrangerequest"""
    sheet, bounds = range_bounds(o, body.get("range"))
    check_cells(o, sheet, bounds)
    cells.recalculate(o.doc)
    specs = body.get("sortSpecs") or [{"dimensionIndex": bounds[1]}]
    for spec in specs:
        if "dataSourceColumnReference" in spec:
            raise not_implemented("sortRange by data source column")
        column = int(spec.get("dimensionIndex", 0))
        if not bounds[1] <= column < bounds[3]:
            raise bad_request(f"Sort column {column} is outside the range being sorted.")  # approx.
    top, left, bottom, right = _used(sheet, bounds)
    rows = [(r, [sm.cell(sheet, r, c) for c in range(left, right)]) for r in range(top, bottom)]

    def compare(a: tuple[int, list[sm.Cell | None]], b: tuple[int, list[sm.Cell | None]]) -> int:
        for spec in specs:
            i = int(spec.get("dimensionIndex", 0)) - left
            ka, kb = _sort_key(a[1][i]), _sort_key(b[1][i])
            if ka == kb:
                continue
            if ka is None or kb is None:  # blanks go last in either order
                return 1 if ka is None else -1
            order = -1 if spec.get("sortOrder") == "DESCENDING" else 1
            return order * (1 if ka > kb else -1)
        return 0

    rows.sort(key=functools.cmp_to_key(compare))
    for i, (origin, row) in enumerate(rows):
        for j, stored in enumerate(row):
            sm.set_cell(sheet, top + i, left + j, _moved(stored, top + i - origin))
    return {}


def _moved(stored: sm.Cell | None, rows: int) -> sm.Cell | None:
    """A cell moved `rows` down by a sort: its formula's relative references move with it."""
    formula = ((stored or {}).get("userEnteredValue") or {}).get("formulaValue")
    if not rows or formula is None:
        return stored
    moved = copy.deepcopy(stored or {})
    moved["userEnteredValue"]["formulaValue"] = batch_refs.offset_formula(formula, rows, 0)
    return moved


# ---------------------------------------------------------------- copyPaste

_PASTE_FIELDS: dict[str, tuple[str, ...]] = {
    "PASTE_NORMAL": cells.WRITABLE,
    "PASTE_NO_BORDERS": cells.WRITABLE,
    "PASTE_VALUES": ("userEnteredValue",),
    "PASTE_FORMAT": ("userEnteredFormat",),
    "PASTE_FORMULA": ("userEnteredValue",),
    "PASTE_DATA_VALIDATION": ("dataValidation",),
}


def _pasted(stored: sm.Cell | None, paste: str, rows: int, cols: int) -> dict[str, Any]:
    """The fields a paste of `stored` sets, `rows`/`cols` away from where it was copied from."""
    source = copy.deepcopy(stored or {})
    if paste == "PASTE_VALUES" and "formulaValue" in source.get("userEnteredValue", {}):
        effective = source.get("effectiveValue") or {}
        source["userEnteredValue"] = {k: v for k, v in effective.items() if k != "errorValue"}
    value = source.get("userEnteredValue") or {}
    if paste != "PASTE_VALUES" and "formulaValue" in value:
        value["formulaValue"] = batch_refs.offset_formula(value["formulaValue"], rows, cols)
    if paste == "PASTE_NO_BORDERS":
        source.get("userEnteredFormat", {}).pop("borders", None)
    return {k: source[k] for k in _PASTE_FIELDS[paste] if source.get(k)}


def copy_paste(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#copypasterequest"""
    paste = body.get("pasteType") or "PASTE_NORMAL"
    if paste not in _PASTE_FIELDS:
        raise not_implemented(f"copyPaste with pasteType {paste}")
    src_sheet, src = range_bounds(o, body.get("source"))
    dst_sheet, dst = range_bounds(o, body.get("destination"))
    cells.recalculate(o.doc)
    block = [
        [sm.cell(src_sheet, r, c) for c in range(src[1], src[3])] for r in range(src[0], src[2])
    ]
    transpose = body.get("pasteOrientation") == "TRANSPOSE"
    if transpose:
        block = [list(col) for col in zip(*block, strict=True)] if block else []
    height, width = len(block), len(block[0]) if block else 0
    if not height or not width:
        return {}
    # "If the range covers a span that's a multiple of the source's height or width, then the
    # data will be repeated to fill in the destination range. If the range is smaller than the
    # source range, the entire source data will still be copied".
    down = max(1, dst.rows // height) if dst.rows % height == 0 else 1
    across = max(1, dst.cols // width) if dst.cols % width == 0 else 1
    area = sm.Bounds((dst[0], dst[1], dst[0] + height * down, dst[1] + width * across))
    rows, cols = sm.grid_size(dst_sheet)
    if area[2] > rows or area[3] > cols:
        raise exceeds_grid(dst_sheet, format_range(sm.title(dst_sheet), *area))
    check_cells(o, dst_sheet, area)
    paste_fields = _PASTE_FIELDS[paste]
    for r in range(area[0], area[2]):
        for c in range(area[1], area[3]):
            i, j = (r - area[0]) % height, (c - area[1]) % width
            origin = (src[0] + (j if transpose else i), src[1] + (i if transpose else j))
            fields = _pasted(block[i][j], paste, r - origin[0], c - origin[1])
            stored = {
                k: v for k, v in (sm.cell(dst_sheet, r, c) or {}).items() if k in cells.WRITABLE
            }
            for key in paste_fields:
                stored.pop(key, None)
            stored.update(fields)
            cells.refresh(stored)
            sm.set_cell(dst_sheet, r, c, stored or None)
    return {}


HANDLERS: dict[str, Handler] = {
    "findReplace": find_replace,
    "sortRange": sort_range,
    "copyPaste": copy_paste,
}
