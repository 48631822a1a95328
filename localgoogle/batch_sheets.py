"""Sheet-level batchUpdate requests: add, delete, duplicate, update sheet/spreadsheet properties."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from . import batch_refs, build, protection
from . import sheetmodel as sm
from .batch_common import (
    Body,
    Handler,
    Reply,
    check_cells,
    check_frozen,
    check_sheet,
    check_title,
    mask_of,
    sheet_of,
    updated,
)
from .batch_shift import delete_band
from .errors import bad_request

if TYPE_CHECKING:
    from .sheets_common import Opened


def _check_new_id(doc: sm.Doc, props: dict[str, Any]) -> None:
    if "sheetId" not in props:
        return
    sid = int(props["sheetId"])
    if sid < 0:
        raise bad_request("Sheet id must be non-negative.")
    if sm.sheet_by_id(doc, sid) is not None:
        raise bad_request(f"Sheet with id {sid} already exists.")


def add_sheet(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#addsheetrequest"""
    props = copy.deepcopy(body.get("properties") or {})
    _check_new_id(o.doc, props)
    if props.get("title"):
        check_title(o.doc, props["title"])
    else:
        props.pop("title", None)
    grid = props.setdefault("gridProperties", {})
    grid.setdefault("rowCount", sm.DEFAULT_ROWS)
    grid.setdefault("columnCount", sm.DEFAULT_COLUMNS)
    check_frozen(grid)
    props.setdefault("index", len(o.doc["sheets"]))
    sheet = build.add_sheet(o.doc, {"properties": props}, len(o.doc["sheets"]))
    return {"addSheet": {"properties": copy.deepcopy(sheet["properties"])}}


def delete_sheet(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#deletesheetrequest"""
    sheet = sheet_of(o, body.get("sheetId"))
    for protected in sheet.get("protectedRanges", []):  # a sheet goes with all it protects
        if not protection.may_edit(protected, o.caller, o.owner):
            raise bad_request(protection.PROTECTED_MESSAGE)
    others = [s for s in o.doc["sheets"] if s is not sheet]
    if not others:
        raise bad_request("You can't remove all the sheets in a document.")
    if all(s["properties"].get("hidden") for s in others):
        raise bad_request("You can't remove all the visible sheets in a document.")
    remove_sheet(o.doc, sheet)
    return {}


def remove_sheet(doc: sm.Doc, sheet: sm.Sheet) -> None:
    """Take a sheet out with what belongs to it: its metadata, named ranges; formulas get #REF!."""
    sid = sm.sheet_id(sheet)
    doc["sheets"].remove(sheet)
    for i, other in enumerate(doc["sheets"]):
        other["properties"]["index"] = i

    def elsewhere(meta: dict[str, Any]) -> bool:
        location = meta.get("location", {})
        on = location.get("sheetId", location.get("dimensionRange", {}).get("sheetId"))
        return on is None or int(on) != sid

    doc["developerMetadata"] = [m for m in doc.get("developerMetadata", []) if elsewhere(m)]
    doc["namedRanges"] = [
        n for n in doc.get("namedRanges", []) if int(n.get("range", {}).get("sheetId", 0)) != sid
    ]
    batch_refs.drop_references(doc, sm.title(sheet))


def update_sheet_properties(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatesheetpropertiesrequest"""
    given = body.get("properties") or {}
    mask = mask_of(body.get("fields"), "SheetProperties")
    sheet = sheet_of(o, given.get("sheetId"))
    check_sheet(o, sheet)
    old = sheet["properties"]
    new = updated(old, given, mask)
    for fixed in ("sheetId", "sheetType", "dataSourceSheetProperties"):  # read-only here
        if fixed in old:
            new[fixed] = old[fixed]
        else:
            new.pop(fixed, None)
    title = new.get("title") or ""
    if not title:
        raise bad_request("The sheet name cannot be empty.")  # approximate wording
    if title != old["title"]:
        check_title(o.doc, title, keep=sheet)
    if "gridProperties" in old:
        grid = new.setdefault("gridProperties", {})
        for count in ("rowCount", "columnCount"):  # never cleared by a mask: a grid has a size
            grid[count] = int(grid.get(count) or old["gridProperties"].get(count, 0))
        check_frozen(grid)
        _resize(o, sheet, grid["rowCount"], grid["columnCount"])
    else:  # a chart (OBJECT) sheet has no grid
        new.pop("gridProperties", None)
    if new.get("hidden") and all(
        s["properties"].get("hidden") for s in o.doc["sheets"] if s is not sheet
    ):
        raise bad_request("You can't hide all the sheets in a document.")  # approximate
    moved_to = new.pop("index", 0)
    old_title = old["title"]
    sheet["properties"] = new
    new["index"] = old["index"]
    if "*" in mask or "index" in mask:
        _move(o.doc, sheet, int(moved_to))
    if title != old_title:
        batch_refs.rename_references(o.doc, old_title, title)
    return {}


def _resize(o: Opened, sheet: sm.Sheet, rows: int, cols: int) -> None:
    """Shrinking deletes the rows/columns beyond, with what lived in them; growing adds empties."""
    old_rows, old_cols = sm.grid_size(sheet)
    check_cells(o, sheet, sm.Bounds((rows, 0, old_rows, old_cols)))
    check_cells(o, sheet, sm.Bounds((0, cols, old_rows, old_cols)))
    if rows < old_rows:
        delete_band(o.doc, sheet, "ROWS", rows, old_rows)
    if cols < old_cols:
        delete_band(o.doc, sheet, "COLUMNS", cols, old_cols)
    sm.set_grid_size(sheet, rows, cols)
    sm.trim(sheet)


def _move(doc: sm.Doc, sheet: sm.Sheet, index: int) -> None:
    """Move a sheet; Google counts the target index "before the move"."""
    old = doc["sheets"].index(sheet)
    index = max(0, min(index, len(doc["sheets"])))
    if index > old:
        index -= 1
    doc["sheets"].remove(sheet)
    doc["sheets"].insert(index, sheet)
    for i, other in enumerate(doc["sheets"]):
        other["properties"]["index"] = i


def update_spreadsheet_properties(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatespreadsheetpropertiesrequest"""
    mask = mask_of(body.get("fields"), "SpreadsheetProperties")
    new = updated(o.doc["properties"], body.get("properties") or {}, mask)
    if not new.get("title"):
        new["title"] = "Untitled spreadsheet"  # approximate: what a title cleared by a mask gets
    o.doc["properties"] = new
    return {}


def duplicate_sheet(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#duplicatesheetrequest"""
    source = sheet_of(o, body.get("sourceSheetId"))
    doc = o.doc
    if "newSheetId" in body:
        _check_new_id(doc, {"sheetId": body["newSheetId"]})
        new_id = int(body["newSheetId"])
    else:
        new_id = sm.new_sheet_id(doc)
    name = body.get("newSheetName") or _copy_name(doc, sm.title(source))
    check_title(doc, name)
    copied = copy.deepcopy(source)
    old_id = sm.sheet_id(source)
    copied["properties"].update(sheetId=new_id, title=name)
    _retarget(copied, old_id, new_id)
    for protected in copied.get("protectedRanges", []):
        protected["protectedRangeId"] = sm.next_id(doc, "protectedRange")
    for chart in copied.get("charts", []):
        chart["chartId"] = sm.next_id(doc, "chart")
    for banded in copied.get("bandedRanges", []):
        banded["bandedRangeId"] = sm.next_id(doc, "banded")
    for view in copied.get("filterViews", []):
        view["filterViewId"] = sm.next_id(doc, "filterView")
    # Unverified: where Google puts the copy without insertSheetIndex; here, after the source.
    index = int(body.get("insertSheetIndex", doc["sheets"].index(source) + 1))
    doc["sheets"].insert(max(0, min(index, len(doc["sheets"]))), copied)
    for i, other in enumerate(doc["sheets"]):
        other["properties"]["index"] = i
    return {"duplicateSheet": {"properties": copy.deepcopy(copied["properties"])}}


def _copy_name(doc: sm.Doc, name: str) -> str:
    taken = {sm.title(s).lower() for s in doc["sheets"]}
    candidate, n = f"Copy of {name}", 2
    while candidate.lower() in taken:
        candidate, n = f"Copy of {name} {n}", n + 1
    return candidate


def _retarget(value: Any, old_id: int, new_id: int) -> None:
    """Point every sheetId inside a copied sheet (ranges, anchors) at the copy."""
    if isinstance(value, list):
        for item in value:
            _retarget(item, old_id, new_id)
    elif isinstance(value, dict):
        if value.get("sheetId") == old_id:
            value["sheetId"] = new_id
        for key, item in value.items():
            if key != "grid":
                _retarget(item, old_id, new_id)


HANDLERS: dict[str, Handler] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "duplicateSheet": duplicate_sheet,
}
