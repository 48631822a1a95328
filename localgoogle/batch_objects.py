"""Object batchUpdate requests: developer metadata, charts, the basic filter and banding."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from . import build, metadata
from . import sheetmodel as sm
from .batch_common import (
    Body,
    Handler,
    Reply,
    as_grid_range,
    coordinate,
    mask_of,
    overlaps,
    range_bounds,
    sheet_of,
    updated,
    with_sheet_id,
)
from .batch_sheets import remove_sheet
from .errors import bad_request, not_implemented

if TYPE_CHECKING:
    from .sheets_common import Opened


# ---------------------------------------------------------------- developer metadata


def _check_location(o: Opened, location: dict[str, Any] | None) -> dict[str, Any]:
    """A DeveloperMetadataLocation as stored: one place, which must exist."""
    location = copy.deepcopy(location or {})
    location.pop("locationType", None)
    if location.get("spreadsheet"):
        return {"spreadsheet": True}
    if "sheetId" in location:
        sheet_of(o, location["sheetId"])
        return {"sheetId": int(location["sheetId"])}
    dim_range = location.get("dimensionRange")
    if dim_range:
        sheet = sheet_of(o, dim_range.get("sheetId"))
        axis = 0 if dim_range.get("dimension") == "ROWS" else 1
        size = sm.grid_size(sheet)[axis]
        start, end = int(dim_range.get("startIndex", 0)), int(dim_range.get("endIndex", 0))
        if dim_range.get("dimension") not in ("ROWS", "COLUMNS") or not 0 <= start < end <= size:
            # Approximate wording.
            raise bad_request(f"Invalid dimension range for developer metadata: {dim_range}")
        return {"dimensionRange": {**dim_range, "sheetId": sm.sheet_id(sheet)}}
    raise bad_request("Developer metadata must have a location.")  # approximate wording


def _location_type(location: dict[str, Any]) -> str:
    if location.get("spreadsheet"):
        return "SPREADSHEET"
    if "sheetId" in location:
        return "SHEET"
    return "ROW" if location["dimensionRange"].get("dimension") == "ROWS" else "COLUMN"


def create_developer_metadata(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#createdevelopermetadatarequest"""
    meta = copy.deepcopy(body.get("developerMetadata") or {})
    meta["location"] = _check_location(o, meta.get("location"))
    stored = build.add_metadata(o.doc, meta)
    return {"createDeveloperMetadata": {"developerMetadata": copy.deepcopy(stored)}}


def _matching(o: Opened, filters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored metadata entries any of the DataFilters select."""
    ids: set[int] = set()
    for data_filter in filters:
        lookup = data_filter.get("developerMetadataLookup")
        if not data_filter:
            raise bad_request("A data filter must set one of its fields.")  # approximate wording
        if lookup is None:
            raise not_implemented("developer metadata filters other than developerMetadataLookup")
        ids.update(m["metadataId"] for m in metadata.matching(o.doc, lookup))
    return [m for m in o.doc["developerMetadata"] if m["metadataId"] in ids]


def update_developer_metadata(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatedevelopermetadatarequest"""
    mask = mask_of(body.get("fields"), "DeveloperMetadata")
    given = body.get("developerMetadata") or {}
    changed = []
    for meta in _matching(o, body.get("dataFilters") or []):
        new = updated(meta, given, mask)
        new["metadataId"] = meta["metadataId"]
        location = _check_location(o, new.get("location") or meta["location"])
        new.setdefault("visibility", "DOCUMENT")
        meta.clear()
        meta.update(new)
        meta["location"] = location
        location["locationType"] = _location_type(location)
        changed.append(copy.deepcopy(meta))
    return {"updateDeveloperMetadata": {"developerMetadata": changed} if changed else {}}


def delete_developer_metadata(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#deletedevelopermetadatarequest"""
    gone = _matching(o, [body.get("dataFilter") or {}])
    ids = {m["metadataId"] for m in gone}
    o.doc["developerMetadata"] = [
        m for m in o.doc["developerMetadata"] if m["metadataId"] not in ids
    ]
    reply = {"deletedDeveloperMetadata": copy.deepcopy(gone)} if gone else {}
    return {"deleteDeveloperMetadata": reply}


# ---------------------------------------------------------------- charts


def _new_id(o: Opened, given: Any, taken: set[int], counter: str, what: str) -> int:
    """An added object's id: the one the request gives (400 when one with it exists), else a
    new one."""
    if given is None:
        return sm.next_id(o.doc, counter)
    if int(given) in taken:
        raise bad_request(f"{what} with id {given} already exists.")  # approximate wording
    return int(given)


def _chart_sheet(o: Opened, chart: dict[str, Any]) -> sm.Sheet:
    """Where an EmbeddedChart goes: its anchor's sheet, its own sheet, or a new chart sheet."""
    position = chart.setdefault("position", {"newSheet": True})
    if position.get("overlayPosition") is not None:
        overlay = position["overlayPosition"]
        sheet, _, _ = coordinate(o, overlay.get("anchorCell"))
        overlay["anchorCell"] = {**overlay.get("anchorCell", {}), "sheetId": sm.sheet_id(sheet)}
        overlay.setdefault("widthPixels", 600)
        overlay.setdefault("heightPixels", 371)
        return sheet
    if position.get("sheetId") is not None:
        return sheet_of(o, position["sheetId"])
    n = 1
    while sm.sheet_by_title(o.doc, f"Chart{n}") is not None:
        n += 1
    sheet = build.add_sheet(
        o.doc, {"properties": {"title": f"Chart{n}", "sheetType": "OBJECT"}}, len(o.doc["sheets"])
    )
    sheet["properties"].pop("gridProperties", None)
    chart["position"] = {"sheetId": sm.sheet_id(sheet)}
    return sheet


def _charts(o: Opened) -> list[tuple[sm.Sheet, dict[str, Any]]]:
    return [(s, c) for s in o.doc["sheets"] for c in s.get("charts", [])]


def add_chart(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#addchartrequest"""
    chart = copy.deepcopy(body.get("chart") or {})
    if not chart.get("spec"):
        raise bad_request("A chart must have a spec.")  # approximate wording
    # "The chartId field is optional; if one is not set, an id will be randomly generated. (It
    # is an error to specify the ID of an embedded object that already exists.)"
    taken = {c["chartId"] for _, c in _charts(o)}
    chart_id = _new_id(o, chart.get("chartId"), taken, "chart", "An embedded object")
    sheet = _chart_sheet(o, chart)
    chart["chartId"] = chart_id
    sheet.setdefault("charts", []).append(chart)
    return {"addChart": {"chart": copy.deepcopy(chart)}}


def _find_chart(o: Opened, chart_id: Any) -> tuple[sm.Sheet, dict[str, Any]]:
    for sheet, chart in _charts(o):
        if chart["chartId"] == int(chart_id or 0):
            return sheet, chart
    raise bad_request(f"No chart with id: {chart_id}")  # approximate wording


def update_chart_spec(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatechartspecrequest"""
    _, chart = _find_chart(o, body.get("chartId"))
    if not body.get("spec"):
        raise bad_request("A chart must have a spec.")  # approximate wording
    chart["spec"] = copy.deepcopy(body["spec"])
    return {}


def update_embedded_object_position(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updateembeddedobjectpositionrequest

    "fields: The fields of OverlayPosition that should be updated when setting a new position.
    Used only if newPosition.overlayPosition is set, in which case at least one field must be
    specified. The root newPosition.overlayPosition is implied and should not be specified."
    Only an overlay position is supported by the stand-in (not a move to a sheet of its own).
    """
    sheet, chart = _find_chart(o, body.get("objectId"))
    new = body.get("newPosition") or {}
    overlay = new.get("overlayPosition")
    if overlay is None:
        raise bad_request("The stand-in moves an embedded object only to an overlay position.")
    mask = mask_of(body.get("fields"), "OverlayPosition")
    position = chart.setdefault("position", {})
    moved = updated(position.get("overlayPosition") or {}, overlay, mask)
    target, _, _ = coordinate(o, moved.get("anchorCell"))
    moved["anchorCell"] = {**moved.get("anchorCell", {}), "sheetId": sm.sheet_id(target)}
    chart["position"] = {"overlayPosition": moved}
    if target is not sheet:
        sheet["charts"].remove(chart)
        if not sheet["charts"]:
            del sheet["charts"]
        target.setdefault("charts", []).append(chart)
    return {"updateEmbeddedObjectPosition": {"position": copy.deepcopy(chart["position"])}}


def delete_embedded_object(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#deleteembeddedobjectrequest"""
    object_id = body.get("objectId")
    try:
        sheet, chart = _find_chart(o, object_id)
    except Exception as exc:
        raise bad_request(f"No embedded object with id: {object_id}") from exc  # approximate
    sheet["charts"].remove(chart)
    if not sheet["charts"]:
        del sheet["charts"]
        if sheet["properties"].get("sheetType") == "OBJECT" and len(o.doc["sheets"]) > 1:
            remove_sheet(o.doc, sheet)  # a chart sheet goes with its chart
    return {}


# ---------------------------------------------------------------- basic filter and banding


def set_basic_filter(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#setbasicfilterrequest

    Google keeps the range with every bound filled in (whole columns become rows 0 to the
    grid's last row) and echoes it so. The stand-in neither hides the rows its criteria filter
    out nor sorts by its sortSpecs.
    """
    basic = copy.deepcopy(body.get("filter") or {})
    sheet, bounds = range_bounds(o, with_sheet_id(basic.get("range")))
    basic["range"] = as_grid_range(sheet, bounds)
    sheet["basicFilter"] = basic
    return {}


def clear_basic_filter(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#clearbasicfilterrequest"""
    sheet_of(o, body.get("sheetId")).pop("basicFilter", None)
    return {}


def _banding_bounds(o: Opened, banded: dict[str, Any], skip: int | None) -> sm.Sheet:
    banded["range"] = with_sheet_id(banded.get("range"))
    sheet, bounds = range_bounds(o, banded["range"])
    for other in sheet.get("bandedRanges", []):
        if other["bandedRangeId"] != skip and overlaps(range_bounds(o, other["range"])[1], bounds):
            # Approximate wording.
            raise bad_request("You cannot add alternating colors to a range that already has them.")
    return sheet


def add_banding(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#addbandingrequest"""
    banded = copy.deepcopy(body.get("bandedRange") or {})
    sheet = _banding_bounds(o, banded, None)
    # "The bandedRangeId field is optional; if one is not set, an id will be randomly generated.
    # (It is an error to specify the ID of a range that already exists.)"
    taken = {b["bandedRangeId"] for s in o.doc["sheets"] for b in s.get("bandedRanges", [])}
    banded["bandedRangeId"] = _new_id(
        o, banded.get("bandedRangeId"), taken, "banded", "A banded range"
    )
    sheet.setdefault("bandedRanges", []).append(banded)
    return {"addBanding": {"bandedRange": copy.deepcopy(banded)}}


def _find_banding(o: Opened, banded_id: Any) -> tuple[sm.Sheet, dict[str, Any]]:
    for sheet in o.doc["sheets"]:
        for banded in sheet.get("bandedRanges", []):
            if banded["bandedRangeId"] == int(banded_id or 0):
                return sheet, banded
    raise bad_request(f"No banded range with id: {banded_id}")  # approximate wording


def update_banding(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatebandingrequest"""
    given = body.get("bandedRange") or {}
    mask = mask_of(body.get("fields"), "BandedRange")
    sheet, banded = _find_banding(o, given.get("bandedRangeId"))
    new = updated(banded, given, mask)
    new["bandedRangeId"] = banded["bandedRangeId"]
    target = _banding_bounds(o, new, banded["bandedRangeId"])
    sheet["bandedRanges"].remove(banded)
    target.setdefault("bandedRanges", []).append(new)
    if not sheet["bandedRanges"]:
        del sheet["bandedRanges"]
    return {}


def delete_banding(o: Opened, body: Body) -> Reply:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#deletebandingrequest"""
    sheet, banded = _find_banding(o, body.get("bandedRangeId"))
    sheet["bandedRanges"].remove(banded)
    if not sheet["bandedRanges"]:
        del sheet["bandedRanges"]
    return {}


HANDLERS: dict[str, Handler] = {
    "createDeveloperMetadata": create_developer_metadata,
    "updateDeveloperMetadata": update_developer_metadata,
    "deleteDeveloperMetadata": delete_developer_metadata,
    "addChart": add_chart,
    "updateChartSpec": update_chart_spec,
    "updateEmbeddedObjectPosition": update_embedded_object_position,
    "deleteEmbeddedObject": delete_embedded_object,
    "setBasicFilter": set_basic_filter,
    "clearBasicFilter": clear_basic_filter,
    "addBanding": add_banding,
    "updateBanding": update_banding,
    "deleteBanding": delete_banding,
}
