"""What the `spreadsheets.batchUpdate` handlers share: field masks, grid ranges, permission checks.

Handlers raise `ApiError`s with bare messages; `batch.apply_requests` adds Google's
`Invalid requests[i].<kind>: ` prefix. Messages marked "approximate" are not copied from a
recorded Google answer: they say what Google says in words of our own.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import discovery, fieldmask, protection, shape
from . import sheetmodel as sm
from .a1 import cell_name, col_letters, quote_sheet
from .cellvalues import json_copy
from .errors import bad_request

if TYPE_CHECKING:
    from .sheets_common import Opened

Body = dict[str, Any]
Reply = dict[str, Any]
Handler = Callable[["Opened", Body], Reply]

# Recorded from Google (repeatCell without `fields`).
NO_FIELDS = "At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)"
FROZEN_ROWS = "You can't freeze all visible rows on the sheet."
FROZEN_COLUMNS = "You can't freeze all visible columns on the sheet."
TITLE_TOO_LONG = "The sheet name cannot be greater than 100 characters."


# ---------------------------------------------------------------- field masks


def _camel(path: str) -> str:
    """Field masks may use proto names (`user_entered_format`); the JSON names are camelCase."""
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), path)


def mask_of(fields: str | None, schema_name: str) -> fieldmask.Mask:
    """Parse a request's `fields` against the message it masks; 400 if empty or unknown."""
    if not fields or not fields.strip():
        raise bad_request(NO_FIELDS)
    mask = fieldmask.parse(_camel(fields))
    _check_mask(mask, schema_name, "")
    return mask


def _check_mask(mask: fieldmask.Mask, schema_name: str, prefix: str) -> None:
    properties: dict[str, Any] = discovery.schema("sheets", schema_name).get("properties", {})
    for key, sub in mask.items():
        if key == "*":
            continue
        spec = properties.get(key)
        if spec is None:
            # Approximate wording: Google refuses a mask path its message does not have.
            raise bad_request(
                f"Invalid field mask path '{prefix}{key}': no such field in {schema_name}."
            )
        if sub:
            ref = spec.get("$ref") or (spec.get("items") or {}).get("$ref")
            if ref is None:
                raise bad_request(
                    f"Invalid field mask path '{prefix}{key}.{next(iter(sub))}': "
                    f"{prefix}{key} has no subfields."
                )
            _check_mask(sub, str(ref), f"{prefix}{key}.")


def updated(target: dict[str, Any], source: dict[str, Any], mask: fieldmask.Mask) -> dict[str, Any]:
    """`target` with the masked fields taken from `source`; masked ones it lacks are cleared.

    Google: "fields in the mask but not set are cleared"; unlisted fields stay. `target` is not
    changed: the result is a new dict at each level the mask reaches and shares what it leaves
    (values taken from `source` are copies, so one source given to many cells is never shared).
    """
    out = dict(target)
    _apply(out, source, mask)
    return out


def _apply(target: dict[str, Any], source: dict[str, Any], mask: fieldmask.Mask) -> None:
    """Apply `mask` to `target`, a dict of this call's own (its children may be shared)."""
    if "*" in mask:
        target.clear()
        target.update(json_copy(source))
        return
    for key, sub in mask.items():
        value = source.get(key)
        twin = shape.twin_of(key)
        if twin is not None and twin not in mask:
            target.pop(twin, None)  # a colour and its *Style twin are one value: the new one wins
        if not sub or (value is not None and not isinstance(value, dict)):
            if value is None:
                target.pop(key, None)
            else:
                target[key] = json_copy(value)
            continue
        child = target.get(key)
        child = dict(child) if isinstance(child, dict) else {}
        _apply(child, value or {}, sub)
        if child:
            target[key] = child
        else:
            target.pop(key, None)


# ---------------------------------------------------------------- sheets and ranges


def sheet_of(o: Opened, sheet_id: Any) -> sm.Sheet:
    """The sheet with this id (absent = 0, as proto3 reads it); 400 "No grid with id"."""
    return sm.require_sheet_id(o.doc, int(sheet_id or 0))


def _open_a1(sheet: sm.Sheet, grid_range: dict[str, Any]) -> str:
    """A GridRange in A1 as Google names it in errors: `T!A1001:B`, `T!AA1:2`, `T!A1001:B1001`."""
    start = cell_name(
        int(grid_range.get("startRowIndex", 0)), int(grid_range.get("startColumnIndex", 0))
    )
    end = ""
    if "endColumnIndex" in grid_range:
        end += col_letters(max(int(grid_range["endColumnIndex"]) - 1, 0))
    if "endRowIndex" in grid_range:
        end += str(int(grid_range["endRowIndex"]))
    return f"{quote_sheet(sm.title(sheet))}!{start}" + (f":{end}" if end else "")


def exceeds_grid(sheet: sm.Sheet, text: str) -> Exception:
    rows, cols = sm.grid_size(sheet)
    return bad_request(f"Range ({text}) exceeds grid limits. Max rows: {rows}, max columns: {cols}")


def range_bounds(o: Opened, grid_range: dict[str, Any] | None) -> tuple[sm.Sheet, sm.Bounds]:
    """Resolve a GridRange: its sheet and its bounds clipped to the grid.

    As recorded from Google: a range that starts at or past the last row or column is refused
    ("Range (T!A1001:B) exceeds grid limits. ..."); one that starts inside is clipped, and an
    empty one is accepted and touches nothing.
    """
    grid_range = grid_range or {}
    sheet = sheet_of(o, grid_range.get("sheetId"))
    rows, cols = sm.grid_size(sheet)
    if (
        int(grid_range.get("startRowIndex", 0)) >= rows
        or int(grid_range.get("startColumnIndex", 0)) >= cols
    ):
        raise exceeds_grid(sheet, _open_a1(sheet, grid_range))
    bounds = sm.grid_range_bounds(sheet, grid_range)
    if bounds.rows < 0 or bounds.cols < 0:  # start after end: nothing (lenient; unverified)
        bounds = sm.Bounds((bounds[0], bounds[1], bounds[0], bounds[1]))
    return sheet, bounds


def coordinate(o: Opened, coord: dict[str, Any] | None) -> tuple[sm.Sheet, int, int]:
    """Resolve a GridCoordinate; Google's recorded words when it lies outside the grid."""
    coord = coord or {}
    sheet = sheet_of(o, coord.get("sheetId"))
    row, col = int(coord.get("rowIndex", 0)), int(coord.get("columnIndex", 0))
    rows, cols = sm.grid_size(sheet)
    if row >= rows:
        raise bad_request(f"GridCoordinate.rowIndex[{row}] is after last row in grid[{rows - 1}]")
    if col >= cols:
        raise bad_request(
            f"GridCoordinate.columnIndex[{col}] is after last column in grid[{cols - 1}]"
        )
    return sheet, row, col


def as_grid_range(sheet: sm.Sheet, bounds: sm.Bounds) -> dict[str, Any]:
    """A bounded GridRange for `bounds` on `sheet`, sheetId always set."""
    return {
        "sheetId": sm.sheet_id(sheet),
        "startRowIndex": bounds[0],
        "endRowIndex": bounds[2],
        "startColumnIndex": bounds[1],
        "endColumnIndex": bounds[3],
    }


def with_sheet_id(grid_range: dict[str, Any] | None) -> dict[str, Any]:
    """A copy of a GridRange with its sheetId spelled out (absent means 0)."""
    out = copy.deepcopy(grid_range or {})
    out["sheetId"] = int(out.get("sheetId", 0))
    return out


def overlaps(a: sm.Bounds, b: sm.Bounds) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# ---------------------------------------------------------------- permissions


def check_cells(o: Opened, sheet: sm.Sheet, bounds: sm.Bounds) -> None:
    """Refuse an edit of protected cells by someone who is not among their editors."""
    protection.check_cells(o.doc, sheet, bounds, o.caller, o.owner)


def check_sheet(o: Opened, sheet: sm.Sheet) -> None:
    """Refuse a structural change of a sheet protected against the caller."""
    protection.check_sheet(sheet, o.caller, o.owner)


def check_title(doc: sm.Doc, name: str, keep: sm.Sheet | None = None) -> None:
    """Google's refusals of a sheet name: too long, or taken (case-insensitively)."""
    if len(name) > 100:
        raise bad_request(TITLE_TOO_LONG)
    for other in doc["sheets"]:
        if other is not keep and sm.title(other).lower() == name.lower():
            raise bad_request(
                f'A sheet with the name "{name}" already exists. Please enter another name.'
            )


def check_frozen(grid: dict[str, Any]) -> None:
    """Frozen rows/columns must leave at least one row/column unfrozen (Google's words)."""
    if int(grid.get("frozenRowCount", 0)) >= int(grid.get("rowCount", 0)) > 0 or (
        int(grid.get("frozenRowCount", 0)) > 0 and int(grid.get("rowCount", 0)) == 0
    ):
        raise bad_request(FROZEN_ROWS)
    if int(grid.get("frozenColumnCount", 0)) >= int(grid.get("columnCount", 0)) > 0 or (
        int(grid.get("frozenColumnCount", 0)) > 0 and int(grid.get("columnCount", 0)) == 0
    ):
        raise bad_request(FROZEN_COLUMNS)


def nonzero(values: dict[str, int]) -> dict[str, int]:
    """proto3 JSON leaves zero numbers out of a reply."""
    return {k: v for k, v in values.items() if v}
