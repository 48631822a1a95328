"""From a `spreadsheets.create` body to a stored document, and back to the Spreadsheet resource."""

from __future__ import annotations

import copy
from typing import Any

from . import cells
from . import sheetmodel as sm
from .a1 import cell_name
from .errors import bad_request

SHEET_PARTS = (
    "merges",
    "conditionalFormats",
    "filterViews",
    "protectedRanges",
    "basicFilter",
    "charts",
    "bandedRanges",
    "developerMetadata",
    "rowGroups",
    "columnGroups",
    "slicers",
    "tables",
)


def new_document(body: dict[str, Any], spreadsheet_id: str) -> sm.Doc:
    """The stored document for a create request (read-only fields in the body are ignored)."""
    props = copy.deepcopy(body.get("properties") or {})
    props.setdefault("title", "Untitled spreadsheet")
    props.setdefault("locale", "en_US")
    props.setdefault("autoRecalc", "ON_CHANGE")
    props.setdefault("timeZone", "Etc/GMT")
    props.setdefault("defaultFormat", copy.deepcopy(sm.DEFAULT_FORMAT))
    doc: sm.Doc = {
        "spreadsheetId": spreadsheet_id,
        "properties": props,
        "sheets": [],
        "namedRanges": copy.deepcopy(body.get("namedRanges") or []),
        "developerMetadata": [],
    }
    requested = body.get("sheets") or [{}]
    for position, sheet_body in enumerate(requested):
        add_sheet(doc, sheet_body, position, where=f"sheets[{position}]: ")
    for meta in body.get("developerMetadata") or []:
        meta = copy.deepcopy(meta)
        meta.setdefault("location", {"spreadsheet": True})
        add_metadata(doc, meta)
    sm.check_cell_limit(doc)
    cells.recalculate(doc)
    return doc


def add_sheet(doc: sm.Doc, sheet_body: dict[str, Any], position: int, where: str = "") -> sm.Sheet:
    """Add a sheet from a Sheet body (properties, data, and the rest) at `position`."""
    props = copy.deepcopy(sheet_body.get("properties") or {})
    if "sheetId" in props:
        if sm.sheet_by_id(doc, int(props["sheetId"])) is not None:
            raise bad_request(
                f"{where}Sheet with id {props['sheetId']} already exists. Please enter another id."
            )
        props["sheetId"] = int(props["sheetId"])
    else:
        props["sheetId"] = 0 if not doc["sheets"] else sm.new_sheet_id(doc)
    name = props.get("title") or _free_title(doc)
    if any(s["properties"]["title"].lower() == name.lower() for s in doc["sheets"]):
        raise bad_request(
            f'{where}A sheet with the name "{name}" already exists. Please enter another name.'
        )
    props["title"] = name
    index = int(props.get("index", position))
    props.setdefault("sheetType", "GRID")
    grid = props.setdefault("gridProperties", {})
    grid.setdefault("rowCount", sm.DEFAULT_ROWS)
    grid.setdefault("columnCount", sm.DEFAULT_COLUMNS)
    sheet: sm.Sheet = {"properties": props, "grid": [], "rowMeta": {}, "colMeta": {}}
    for part in SHEET_PARTS:
        if part in sheet_body and part != "developerMetadata":
            sheet[part] = copy.deepcopy(sheet_body[part])
    index = max(0, min(index, len(doc["sheets"])))
    doc["sheets"].insert(index, sheet)
    _reindex(doc)
    for protected in sheet.get("protectedRanges", []):
        protected["protectedRangeId"] = sm.next_id(doc, "protectedRange")
        protected.setdefault("range", {})["sheetId"] = props["sheetId"]
    for chart in sheet.get("charts", []):
        chart["chartId"] = sm.next_id(doc, "chart")
    for banded in sheet.get("bandedRanges", []):
        banded["bandedRangeId"] = sm.next_id(doc, "banded")
    for gridrange in sheet.get("merges", []):
        gridrange["sheetId"] = props["sheetId"]
    for rule in sheet.get("conditionalFormats", []):
        for gridrange in rule.get("ranges", []):
            gridrange["sheetId"] = props["sheetId"]
    for meta in sheet_body.get("developerMetadata") or []:
        meta = copy.deepcopy(meta)
        meta.setdefault("location", {"sheetId": props["sheetId"]})
        add_metadata(doc, meta)
    for data in sheet_body.get("data") or []:
        _load_grid_data(sheet, data, where)
    return sheet


def _free_title(doc: sm.Doc) -> str:
    taken = {s["properties"]["title"].lower() for s in doc["sheets"]}
    n = len(doc["sheets"]) + 1
    while f"sheet{n}" in taken:
        n += 1
    return f"Sheet{n}"


def _reindex(doc: sm.Doc) -> None:
    for i, sheet in enumerate(doc["sheets"]):
        sheet["properties"]["index"] = i


def _load_grid_data(sheet: sm.Sheet, data: dict[str, Any], where: str) -> None:
    start_row = int(data.get("startRow", 0))
    start_col = int(data.get("startColumn", 0))
    rows, cols = sm.grid_size(sheet)
    for r, row in enumerate(data.get("rowData") or []):
        for c, cell_data in enumerate((row or {}).get("values") or []):
            if start_row + r >= rows or start_col + c >= cols:
                where_cell = (
                    f"{sm.quote_sheet(sm.title(sheet))}!{cell_name(start_row + r, start_col + c)}"
                )
                raise bad_request(
                    f"{where}Range ({where_cell}) exceeds grid limits. "
                    f"Max rows: {rows}, max columns: {cols}"
                )
            sm.set_cell(sheet, start_row + r, start_col + c, cells.from_request(cell_data))
    for i, props in enumerate(data.get("rowMetadata") or []):
        sm.set_dimension_properties(sheet, "ROWS", start_row + i, props)
    for i, props in enumerate(data.get("columnMetadata") or []):
        sm.set_dimension_properties(sheet, "COLUMNS", start_col + i, props)


def add_metadata(doc: sm.Doc, meta: dict[str, Any]) -> dict[str, Any]:
    """Store a DeveloperMetadata entry with a fresh id unless one was given."""
    if "metadataId" in meta:
        if any(m["metadataId"] == meta["metadataId"] for m in doc["developerMetadata"]):
            raise bad_request(f"Developer metadata with ID {meta['metadataId']} already exists.")
    else:
        meta["metadataId"] = sm.next_id(doc, "metadata")
    meta.setdefault("visibility", "DOCUMENT")
    location = meta.get("location") or {"spreadsheet": True}
    location["locationType"] = (
        "SPREADSHEET"
        if location.get("spreadsheet")
        else "SHEET"
        if "sheetId" in location
        else ("ROW" if location["dimensionRange"].get("dimension") == "ROWS" else "COLUMN")
        if "dimensionRange" in location
        else "SPREADSHEET"
    )
    meta["location"] = location
    doc["developerMetadata"].append(meta)
    return meta


# ---------------------------------------------------------------- output


def resource(
    doc: sm.Doc,
    include_grid_data: bool = False,
    ranges: list[tuple[sm.Sheet, sm.Bounds]] | None = None,
) -> dict[str, Any]:
    """The Spreadsheet resource `spreadsheets.get` returns."""
    out: dict[str, Any] = {
        "spreadsheetId": doc["spreadsheetId"],
        "properties": copy.deepcopy(doc["properties"]),
        "sheets": [],
        "spreadsheetUrl": sm.spreadsheet_url(doc["spreadsheetId"]),
    }
    wanted: dict[int, list[sm.Bounds]] = {}
    for sheet, bounds in ranges or []:
        wanted.setdefault(sm.sheet_id(sheet), []).append(bounds)
    for sheet in doc["sheets"]:
        sid = sm.sheet_id(sheet)
        if ranges and sid not in wanted:
            continue
        item: dict[str, Any] = {"properties": copy.deepcopy(sheet["properties"])}
        for part in SHEET_PARTS:
            if sheet.get(part) and part != "developerMetadata":
                item[part] = copy.deepcopy(sheet[part])
        sheet_meta = [
            copy.deepcopy(m)
            for m in doc["developerMetadata"]
            if m["location"].get("sheetId") == sid
        ]
        if sheet_meta:
            item["developerMetadata"] = sheet_meta
        if include_grid_data:
            rows, cols = sm.grid_size(sheet)
            areas = wanted.get(sid) or [sm.Bounds((0, 0, rows, cols))]
            item["data"] = [grid_data(doc, sheet, b) for b in areas]
        out["sheets"].append(item)
    if doc.get("namedRanges"):
        out["namedRanges"] = copy.deepcopy(doc["namedRanges"])
    top_meta = [
        copy.deepcopy(m) for m in doc["developerMetadata"] if m["location"].get("spreadsheet")
    ]
    if top_meta:
        out["developerMetadata"] = top_meta
    return out


def grid_data(doc: sm.Doc, sheet: sm.Sheet, bounds: sm.Bounds) -> dict[str, Any]:
    """GridData for one area: rows up to the last with content, empty cells as {}."""
    start_row, start_col, end_row, end_col = bounds
    data: dict[str, Any] = {}
    if start_row:
        data["startRow"] = start_row
    if start_col:
        data["startColumn"] = start_col
    row_data = []
    for r in range(start_row, end_row):
        values = [cells.to_response(doc, sm.cell(sheet, r, c)) for c in range(start_col, end_col)]
        while values and not values[-1]:
            values.pop()
        row_data.append({"values": values} if values else {})
    while row_data and not row_data[-1]:
        row_data.pop()
    if row_data:
        data["rowData"] = row_data
    data["rowMetadata"] = [sm.dimension_size(sheet, "ROWS", r) for r in range(start_row, end_row)]
    data["columnMetadata"] = [
        sm.dimension_size(sheet, "COLUMNS", c) for c in range(start_col, end_col)
    ]
    return data
