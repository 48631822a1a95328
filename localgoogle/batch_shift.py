"""What moves when rows or columns are inserted or deleted: everything anchored to positions.

Cells (data validation and notes included, being stored in cells) and row/column sizes move in
`sheetmodel.insert_dimension` / `delete_dimension`. This module moves the rest, as Sheets does:
merges, conditional format ranges, protected and unprotected ranges, banding, the basic filter
and filter views, named ranges, charts' source ranges and anchors, developer metadata on rows and
columns, row and column groups, frozen counts, and the references in formulas (see
`batch_refs`). A range whose every row (column) is deleted goes away with them; an insertion
strictly inside a range grows it.
"""

from __future__ import annotations

from typing import Any

from . import batch_refs
from . import sheetmodel as sm

_INDEX_KEYS = ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")
_GRID_RANGE_KEYS = frozenset(("sheetId", *_INDEX_KEYS))


class Shift:
    """An insertion (count > 0) or deletion (count < 0) of rows or columns at `start`."""

    def __init__(self, dimension: str, start: int, count: int) -> None:
        self.dimension = dimension
        self.start = start
        self.count = count

    @property
    def keys(self) -> tuple[str, str]:
        if self.dimension == "ROWS":
            return "startRowIndex", "endRowIndex"
        return "startColumnIndex", "endColumnIndex"

    def start_index(self, x: int) -> int:
        """Where a range's first index goes (an insertion at it pushes it along)."""
        if self.count > 0:
            return x + self.count if x >= self.start else x
        return self._deleted(x)

    def end_index(self, x: int) -> int:
        """Where a range's end (exclusive) goes (an insertion at it leaves it)."""
        if self.count > 0:
            return x + self.count if x > self.start else x
        return self._deleted(x)

    def _deleted(self, x: int) -> int:
        end = self.start - self.count
        if x <= self.start:
            return x
        if x <= end:
            return self.start
        return x + self.count

    def grid_range(self, grid_range: dict[str, Any]) -> bool:
        """Move a GridRange in place; False when it had cells on this axis and now has none."""
        lo_key, hi_key = self.keys
        lo = int(grid_range.get(lo_key, 0))
        hi = grid_range.get(hi_key)
        new_lo = self.start_index(lo)
        if lo_key in grid_range:
            grid_range[lo_key] = new_lo
        if hi is None:
            return True
        new_hi = self.end_index(int(hi))
        grid_range[hi_key] = new_hi
        return not (int(hi) > lo and new_hi <= new_lo)


def _shift_groups(sheet: sm.Sheet, shift: Shift) -> None:
    """Row (column) groups move and grow with their rows; a group whose rows all go, goes."""
    key = "rowGroups" if shift.dimension == "ROWS" else "columnGroups"
    lo_key, hi_key = shift.keys
    kept = []
    for group in sheet.get(key, []):
        rng = group["range"]
        span = {lo_key: int(rng.get("startIndex", 0)), hi_key: int(rng["endIndex"])}
        if shift.grid_range(span):
            rng["startIndex"], rng["endIndex"] = span[lo_key], span[hi_key]
            kept.append(group)
    if kept:
        sheet[key] = kept
    else:
        sheet.pop(key, None)


def _on(grid_range: dict[str, Any], sheet_id: int, default: int) -> bool:
    return int(grid_range.get("sheetId", default)) == sheet_id


def shift_sheet(doc: sm.Doc, sheet: sm.Sheet, shift: Shift) -> None:
    """Move everything that depends on positions in `sheet` after the cells have moved."""
    sid = sm.sheet_id(sheet)

    def alive(grid_range: dict[str, Any] | None) -> bool:
        if not grid_range or not _on(grid_range, sid, sid):
            return True
        return shift.grid_range(grid_range)

    merges = [m for m in sheet.get("merges", []) if alive(m)]
    sheet["merges"] = [m for m in merges if _cell_count(m) > 1]
    rules = []
    for rule in sheet.get("conditionalFormats", []):
        rule["ranges"] = [r for r in rule.get("ranges", []) if alive(r)]
        if rule["ranges"]:
            rules.append(rule)
    sheet["conditionalFormats"] = rules
    kept = []
    for protected in sheet.get("protectedRanges", []):
        if "range" in protected and not alive(protected["range"]):
            continue
        protected["unprotectedRanges"] = [
            r for r in protected.get("unprotectedRanges", []) if alive(r)
        ]
        if not protected["unprotectedRanges"]:
            del protected["unprotectedRanges"]
        kept.append(protected)
    sheet["protectedRanges"] = kept
    sheet["bandedRanges"] = [b for b in sheet.get("bandedRanges", []) if alive(b.get("range"))]
    sheet["filterViews"] = [f for f in sheet.get("filterViews", []) if alive(f.get("range"))]
    if "basicFilter" in sheet and not alive(sheet["basicFilter"].get("range")):
        del sheet["basicFilter"]
    for part in ("merges", "conditionalFormats", "protectedRanges", "bandedRanges", "filterViews"):
        if not sheet[part]:
            del sheet[part]
    doc["namedRanges"] = [
        n
        for n in doc.get("namedRanges", [])
        if not _on(n.get("range", {}), sid, 0) or shift.grid_range(n["range"])
    ]
    _shift_metadata(doc, sid, shift)
    for other in doc["sheets"]:
        for chart in other.get("charts", []):
            _shift_embedded(chart, sid, shift)
    _shift_frozen(sheet, shift)
    _shift_groups(sheet, shift)
    batch_refs.shift_references(doc, sheet, shift.dimension, shift.start, shift.count)


def _cell_count(grid_range: dict[str, Any]) -> int:
    rows = int(grid_range.get("endRowIndex", 0)) - int(grid_range.get("startRowIndex", 0))
    cols = int(grid_range.get("endColumnIndex", 0)) - int(grid_range.get("startColumnIndex", 0))
    return rows * cols


def _shift_metadata(doc: sm.Doc, sid: int, shift: Shift) -> None:
    kept = []
    for meta in doc.get("developerMetadata", []):
        dim_range = meta.get("location", {}).get("dimensionRange")
        if (
            dim_range
            and int(dim_range.get("sheetId", 0)) == sid
            and dim_range.get("dimension") == shift.dimension
        ):
            lo = int(dim_range.get("startIndex", 0))
            hi = int(dim_range.get("endIndex", lo))
            new_lo, new_hi = shift.start_index(lo), shift.end_index(hi)
            if hi > lo and new_hi <= new_lo:
                continue
            dim_range["startIndex"], dim_range["endIndex"] = new_lo, new_hi
        kept.append(meta)
    doc["developerMetadata"] = kept


def _shift_embedded(value: Any, sid: int, shift: Shift) -> None:
    """Move every GridRange and GridCoordinate on sheet `sid` inside a chart (absent id = 0)."""
    if isinstance(value, list):
        for item in value:
            _shift_embedded(item, sid, shift)
        return
    if not isinstance(value, dict):
        return
    if value.keys() <= _GRID_RANGE_KEYS and any(k in value for k in _INDEX_KEYS):
        if _on(value, sid, 0):
            shift.grid_range(value)
        return
    if "rowIndex" in value or "columnIndex" in value:  # a GridCoordinate (an anchor cell)
        if _on(value, sid, 0):
            key = "rowIndex" if shift.dimension == "ROWS" else "columnIndex"
            value[key] = shift.start_index(int(value.get(key, 0)))
        return
    for item in value.values():
        _shift_embedded(item, sid, shift)


def _shift_frozen(sheet: sm.Sheet, shift: Shift) -> None:
    grid = sheet["properties"].setdefault("gridProperties", {})
    key = "frozenRowCount" if shift.dimension == "ROWS" else "frozenColumnCount"
    frozen = int(grid.get(key, 0))
    if not frozen:
        return
    moved = shift.end_index(frozen)
    size = sm.grid_size(sheet)[0 if shift.dimension == "ROWS" else 1]
    grid[key] = max(0, min(moved, size - 1))
    if not grid[key]:
        del grid[key]


def delete_band(doc: sm.Doc, sheet: sm.Sheet, dimension: str, start: int, end: int) -> None:
    """Delete rows/columns [start, end) and everything that lived only in them."""
    sm.delete_dimension(sheet, dimension, start, end)
    shift_sheet(doc, sheet, Shift(dimension, start, start - end))


def insert_band(doc: sm.Doc, sheet: sm.Sheet, dimension: str, start: int, end: int) -> None:
    """Insert empty rows/columns [start, end), moving what lies at and after `start`."""
    sm.insert_dimension(sheet, dimension, start, end)
    shift_sheet(doc, sheet, Shift(dimension, start, end - start))
