"""batchUpdate row/column requests: what moves with inserted and deleted rows and columns."""

from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.errors import HttpError
from localgoogle_helpers import batch, create, refused

OWNER = "ann@acme.test"


def _sheet(service: Any, sid: str) -> dict[str, Any]:
    got: dict[str, Any] = service.spreadsheets().get(spreadsheetId=sid).execute()["sheets"][0]
    return got


def _range(r0: int, r1: int, c0: int, c1: int, sheet_id: int = 0) -> dict[str, int]:
    # Google leaves a GridRange's sheetId out when it is 0, the proto3 default (absent reads as 0
    # in requests too): https://protobuf.dev/programming-guides/proto3/#json
    grid_range = {"sheetId": sheet_id} if sheet_id else {}
    return {
        **grid_range,
        "startRowIndex": r0,
        "endRowIndex": r1,
        "startColumnIndex": c0,
        "endColumnIndex": c1,
    }


def _rows(start: int, end: int, dimension: str = "ROWS") -> dict[str, Any]:
    return {"sheetId": 0, "dimension": dimension, "startIndex": start, "endIndex": end}


def _overdue_rule(grid_range: dict[str, int]) -> dict[str, Any]:
    return {
        "ranges": [grid_range],
        "booleanRule": {
            "condition": {
                "type": "CUSTOM_FORMULA",
                "values": [{"userEnteredValue": "=$F2<TODAY()"}],
            },
            "format": {"backgroundColor": {"red": 1}},
        },
    }


def test_insert_rows_shifts_conditional_format_ranges(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    batch(
        service,
        sid,
        {"addConditionalFormatRule": {"rule": _overdue_rule(_range(1, 20, 0, 9)), "index": 0}},
        {"addConditionalFormatRule": {"rule": _overdue_rule(_range(30, 40, 0, 9)), "index": 1}},
        {"addConditionalFormatRule": {"rule": _overdue_rule(_range(0, 1, 0, 9)), "index": 2}},
    )
    batch(service, sid, {"insertDimension": {"range": _rows(5, 8), "inheritFromBefore": True}})
    ranges = [rule["ranges"][0] for rule in _sheet(service, sid)["conditionalFormats"]]
    assert ranges == [_range(1, 23, 0, 9), _range(33, 43, 0, 9), _range(0, 1, 0, 9)]
    batch(service, sid, {"deleteDimension": {"range": _rows(0, 1)}})
    ranges = [rule["ranges"][0] for rule in _sheet(service, sid)["conditionalFormats"]]
    assert ranges == [_range(0, 22, 0, 9), _range(32, 42, 0, 9)]


def test_insert_and_delete_move_merges_protections_metadata_and_formulas(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    service.spreadsheets().values().update(
        spreadsheetId=sid,
        range="Sheet1!A1",
        valueInputOption="USER_ENTERED",
        body={"values": [["=SUM(B2:B4)+B6", 1], ["", 2], ["", 3], ["", 4], ["", 5], ["", 6]]},
    ).execute()
    replies = batch(
        service,
        sid,
        {"mergeCells": {"range": _range(2, 4, 3, 5)}},
        {"addProtectedRange": {"protectedRange": {"range": _range(3, 5, 0, 2)}}},
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": "step",
                    "metadataValue": "S-4",
                    "location": {"dimensionRange": _rows(3, 4)},
                    "visibility": "DOCUMENT",
                }
            }
        },
        {"insertDimension": {"range": _rows(1, 3)}},
    )
    sheet = _sheet(service, sid)
    assert sheet["merges"] == [_range(4, 6, 3, 5)]
    assert sheet["protectedRanges"][0]["range"] == _range(5, 7, 0, 2)
    meta_id = replies["replies"][2]["createDeveloperMetadata"]["developerMetadata"]["metadataId"]
    meta = service.spreadsheets().developerMetadata()
    location = meta.get(spreadsheetId=sid, metadataId=meta_id).execute()["location"]
    assert location["dimensionRange"] == _rows(5, 6) and location["locationType"] == "ROW"
    formula = (
        service.spreadsheets()
        .values()
        .get(spreadsheetId=sid, range="Sheet1!A1", valueRenderOption="FORMULA")
        .execute()
    )
    assert formula["values"] == [["=SUM(B4:B6)+B8"]]
    assert service.spreadsheets().values().get(spreadsheetId=sid, range="Sheet1!A1").execute()[
        "values"
    ] == [["15"]]
    batch(service, sid, {"deleteDimension": {"range": _rows(4, 8)}})
    sheet = _sheet(service, sid)
    assert "merges" not in sheet and "protectedRanges" not in sheet
    with pytest.raises(HttpError):
        meta.get(spreadsheetId=sid, metadataId=meta_id).execute()
    formula = (
        service.spreadsheets()
        .values()
        .get(spreadsheetId=sid, range="Sheet1!A1", valueRenderOption="FORMULA")
        .execute()
    )
    assert formula["values"] == [["=SUM(B4:B4)+#REF!"]]


def test_insert_columns_inherit_format_and_frozen_rows_grow(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    batch(
        service,
        sid,
        {
            "repeatCell": {
                "range": _range(0, 1, 0, 1),
                "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                "fields": "userEnteredFormat",
            }
        },
        {
            "updateSheetProperties": {
                "properties": {"sheetId": 0, "gridProperties": {"frozenRowCount": 1}},
                "fields": "gridProperties.frozenRowCount",
            }
        },
        {"insertDimension": {"range": _rows(1, 3, "COLUMNS"), "inheritFromBefore": True}},
        {"insertDimension": {"range": _rows(0, 1)}},
    )
    got = (
        service.spreadsheets()
        .get(spreadsheetId=sid, ranges=["Sheet1!A2:C2"], includeGridData=True)
        .execute()
    )
    row = got["sheets"][0]["data"][0]["rowData"][0]["values"]
    assert [c.get("userEnteredFormat") for c in row] == [{"textFormat": {"bold": True}}] * 3
    grid = got["sheets"][0]["properties"]["gridProperties"]
    assert grid == {"rowCount": 1001, "columnCount": 28, "frozenRowCount": 2}


def test_insert_dimension_refusals_are_googles(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service, rows=10)
    at_end = {"insertDimension": {"range": _rows(10, 11)}}
    assert refused(lambda: batch(service, sid, at_end)) == (
        400,
        "Invalid requests[0].insertDimension: range.startIndex must be less than the grid size "
        "(10) if inheritFromBefore is false.",
    )
    first = {"insertDimension": {"range": _rows(0, 1), "inheritFromBefore": True}}
    assert refused(lambda: batch(service, sid, first)) == (
        400,
        "Invalid requests[0].insertDimension: range.startIndex must not be 0 if "
        "inheritFromBefore is true",
    )
    past = {"insertDimension": {"range": _rows(12, 13), "inheritFromBefore": True}}
    assert refused(lambda: batch(service, sid, past)) == (
        400,
        "Invalid requests[0].insertDimension: range.startIndex is larger than current grid "
        "size (10)",
    )
    batch(service, sid, {"insertDimension": {"range": _rows(10, 12), "inheritFromBefore": True}})
    assert _sheet(service, sid)["properties"]["gridProperties"]["rowCount"] == 12


def test_delete_all_rows_is_refused(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service, rows=5)
    assert refused(lambda: batch(service, sid, {"deleteDimension": {"range": _rows(0, 5)}})) == (
        400,
        "Invalid requests[0].deleteDimension: You can't delete all the rows on the sheet.",
    )
    every_column = {"deleteDimension": {"range": _rows(0, 26, "COLUMNS")}}
    assert refused(lambda: batch(service, sid, every_column)) == (
        400,
        "Invalid requests[0].deleteDimension: You can't delete all the columns on the sheet.",
    )


def test_dimension_properties_pixel_size_hidden_append_and_autoresize(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service, rows=3, cols=3)
    service.spreadsheets().values().update(
        spreadsheetId=sid,
        range="Sheet1!C1",
        valueInputOption="RAW",
        body={"values": [["a fairly long step description"]]},
    ).execute()
    batch(
        service,
        sid,
        {
            "updateDimensionProperties": {
                "range": _rows(0, 1, "COLUMNS"),
                "properties": {"pixelSize": 250, "hiddenByUser": True},
                "fields": "pixelSize,hiddenByUser",
            }
        },
        {
            "updateDimensionProperties": {
                "range": _rows(0, 1, "COLUMNS"),
                "properties": {},
                "fields": "hiddenByUser",
            }
        },
        {"appendDimension": {"sheetId": 0, "dimension": "ROWS", "length": 2}},
        {"autoResizeDimensions": {"dimensions": _rows(2, 3, "COLUMNS")}},
    )
    got = service.spreadsheets().get(spreadsheetId=sid, includeGridData=True).execute()["sheets"][0]
    columns = got["data"][0]["columnMetadata"]
    assert columns[0] == {"pixelSize": 250}
    assert columns[1] == {"pixelSize": 100}
    assert columns[2]["pixelSize"] > 150
    assert got["properties"]["gridProperties"]["rowCount"] == 5
