"""batchUpdate kinds the stand-in used to answer 501 (groups, cutPaste), update counts, and the
basic filter's range, each as Google's reference documents it.
"""

from __future__ import annotations

from typing import Any

import gspread
from fidelity_helpers import batch, create, refusal

OWNER = "ann@acme.test"


def _rows(start: int, end: int, dimension: str = "ROWS") -> dict[str, Any]:
    return {"sheetId": 0, "dimension": dimension, "startIndex": start, "endIndex": end}


def _groups(service: Any, sid: str) -> list[tuple[int, int, int]]:
    got = service.spreadsheets().get(spreadsheetId=sid, fields="sheets.columnGroups").execute()
    groups = got["sheets"][0].get("columnGroups", [])
    return [(g["range"]["startIndex"], g["range"]["endIndex"], g["depth"]) for g in groups]


def test_column_groups_nest_merge_and_shrink_as_documented(sheets: Any) -> None:
    # https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#AddDimensionGroupRequest
    # "a group [C:D, depth 1] + [B:E] results in groups [B:E, depth 1] and [C:D, depth 2]";
    # "a group [B:D, depth 1] + [C:E] results in groups [B:E, depth 1] and [C:D, depth 2]".
    # DeleteDimensionGroupRequest: "assume the sheet has a depth-1 group over B:E and a depth-2
    # group over C:D. Deleting a group over D:E leaves the sheet with a depth-1 group over B:D and
    # a depth-2 group over C:C."
    service = sheets(OWNER)
    sid = create(service)
    batch(service, sid, {"addDimensionGroup": {"range": _rows(2, 4, "COLUMNS")}})
    reply = batch(service, sid, {"addDimensionGroup": {"range": _rows(1, 5, "COLUMNS")}})
    groups = reply["replies"][0]["addDimensionGroup"]["dimensionGroups"]
    assert groups == [
        {"range": {"dimension": "COLUMNS", "startIndex": 1, "endIndex": 5}, "depth": 1},
        {"range": {"dimension": "COLUMNS", "startIndex": 2, "endIndex": 4}, "depth": 2},
    ]
    assert _groups(service, sid) == [(1, 5, 1), (2, 4, 2)]
    batch(service, sid, {"deleteDimensionGroup": {"range": _rows(3, 5, "COLUMNS")}})
    assert _groups(service, sid) == [(1, 4, 1), (2, 3, 2)]
    other = create(service)
    batch(service, other, {"addDimensionGroup": {"range": _rows(1, 4, "COLUMNS")}})
    batch(service, other, {"addDimensionGroup": {"range": _rows(2, 5, "COLUMNS")}})
    assert _groups(service, other) == [(1, 5, 1), (2, 4, 2)]


def test_update_dimension_group_collapses_and_expands(sheets: Any) -> None:
    # https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#UpdateDimensionGroupRequest
    service = sheets(OWNER)
    sid = create(service)
    batch(service, sid, {"addDimensionGroup": {"range": _rows(3, 6)}})
    group = {"range": _rows(3, 6), "depth": 1, "collapsed": True}
    batch(service, sid, {"updateDimensionGroup": {"dimensionGroup": group, "fields": "collapsed"}})
    got = service.spreadsheets().get(spreadsheetId=sid, fields="sheets.rowGroups").execute()
    assert got["sheets"][0]["rowGroups"] == [
        {
            "range": {"dimension": "ROWS", "startIndex": 3, "endIndex": 6},
            "depth": 1,
            "collapsed": True,
        }
    ]
    group["collapsed"] = False
    batch(service, sid, {"updateDimensionGroup": {"dimensionGroup": group, "fields": "collapsed"}})
    got = service.spreadsheets().get(spreadsheetId=sid, fields="sheets.rowGroups").execute()
    assert "collapsed" not in got["sheets"][0]["rowGroups"][0]  # false is left out
    batch(service, sid, {"deleteDimensionGroup": {"range": _rows(3, 6)}})
    got = service.spreadsheets().get(spreadsheetId=sid).execute()
    assert "rowGroups" not in got["sheets"][0]  # an empty list is left out
    wrong = {"range": _rows(3, 6), "depth": 2}
    status, _ = refusal(
        lambda: batch(
            service, sid, {"updateDimensionGroup": {"dimensionGroup": wrong, "fields": "collapsed"}}
        )
    )
    assert status == 400


def test_gspread_groups_rows_and_columns(gspread_as: Any) -> None:
    book: gspread.Spreadsheet = gspread_as(OWNER).create("Groups")
    ws = book.sheet1
    ws.add_dimension_group_rows(2, 5)
    ws.add_dimension_group_columns(0, 2)
    assert [(g["range"]["startIndex"], g["depth"]) for g in ws.list_dimension_group_rows()] == [
        (2, 1)
    ]
    ws.delete_dimension_group_rows(2, 5)
    assert ws.list_dimension_group_rows() == []
    assert len(ws.list_dimension_group_columns()) == 1


def test_cut_paste_moves_values_and_formats_and_clears_the_source(sheets: Any) -> None:
    # https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#CutPasteRequest
    service = sheets(OWNER)
    sid = create(service)
    service.spreadsheets().values().update(
        spreadsheetId=sid,
        range="A1",
        valueInputOption="USER_ENTERED",
        body={"values": [["Step", 5], ["Kickoff", "=B1+1"]]},
    ).execute()
    source = {
        "sheetId": 0,
        "startRowIndex": 0,
        "endRowIndex": 2,
        "startColumnIndex": 0,
        "endColumnIndex": 2,
    }
    batch(
        service,
        sid,
        {
            "repeatCell": {
                "range": source,
                "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                "fields": "userEnteredFormat.textFormat.bold",
            }
        },
        {
            "cutPaste": {
                "source": source,
                "destination": {"sheetId": 0, "rowIndex": 4, "columnIndex": 3},
                "pasteType": "PASTE_NORMAL",
            }
        },
    )
    values = service.spreadsheets().values()
    moved = values.get(spreadsheetId=sid, range="D5:E6", valueRenderOption="FORMULA").execute()
    assert moved["values"] == [["Step", 5], ["Kickoff", "=B1+1"]]
    assert "values" not in values.get(spreadsheetId=sid, range="A1:B2").execute()
    got = (
        service.spreadsheets().get(spreadsheetId=sid, ranges=["D5"], includeGridData=True).execute()
    )
    cell = got["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert cell["userEnteredFormat"]["textFormat"] == {"bold": True}


def test_cut_paste_past_the_grid_is_refused(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    cut = {
        "source": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 2, "endColumnIndex": 1},
        "destination": {"sheetId": 0, "rowIndex": 999, "columnIndex": 0},
    }
    status, error = refusal(lambda: batch(service, sid, {"cutPaste": cut}))
    assert status == 400 and "exceeds grid limits" in error["message"]


def test_update_counts_skip_nulls_and_follow_ragged_rows(sheets: Any) -> None:
    # UpdateValuesResponse: updatedRows/updatedColumns count rows/columns "where at least one cell
    # ... was updated"; ValueRange: "Null values will be skipped."
    # https://developers.google.com/sheets/api/reference/rest/v4/UpdateValuesResponse
    service = sheets(OWNER)
    sid = create(service)
    values = service.spreadsheets().values()
    result = values.update(
        spreadsheetId=sid,
        range="A1",
        valueInputOption="RAW",
        body={"values": [[None, "b", None], ["c"], [None, None, None]]},
    ).execute()
    assert result == {
        "spreadsheetId": sid,
        "updatedRange": "Sheet1!A1:C3",
        "updatedRows": 2,
        "updatedColumns": 2,
        "updatedCells": 2,
    }
    totals = values.batchUpdate(
        spreadsheetId=sid,
        body={
            "valueInputOption": "RAW",
            "data": [
                {"range": "A1:B2", "values": [[1, 2], [3, 4]]},
                {"range": "C1:D2", "values": [[5, 6], [7, None]]},
            ],
        },
    ).execute()
    # Rows 1-2 and columns A-D each counted once over both ranges.
    assert (
        totals["totalUpdatedRows"],
        totals["totalUpdatedColumns"],
        totals["totalUpdatedCells"],
        totals["totalUpdatedSheets"],
    ) == (2, 4, 7, 1)


def test_a_basic_filter_over_whole_columns_is_echoed_with_every_bound(
    sheets: Any, gspread_as: Any
) -> None:
    # Google keeps the filter's range bounded by the grid:
    # https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#BasicFilter
    service = sheets(OWNER)
    sid = create(service)
    whole_columns = {"sheetId": 0, "startColumnIndex": 0, "endColumnIndex": 3}
    batch(service, sid, {"setBasicFilter": {"filter": {"range": whole_columns}}})
    got = service.spreadsheets().get(spreadsheetId=sid, fields="sheets.basicFilter").execute()
    assert got["sheets"][0]["basicFilter"] == {
        "range": {
            "startRowIndex": 0,
            "endRowIndex": 1000,
            "startColumnIndex": 0,
            "endColumnIndex": 3,
        }
    }
    ws = gspread_as(OWNER).open_by_key(sid).sheet1
    ws.set_basic_filter()  # the whole sheet
    got = service.spreadsheets().get(spreadsheetId=sid, fields="sheets.basicFilter").execute()
    assert got["sheets"][0]["basicFilter"]["range"] == {
        "startRowIndex": 0,
        "endRowIndex": 1000,
        "startColumnIndex": 0,
        "endColumnIndex": 26,
    }
    ws.clear_basic_filter()
    got = service.spreadsheets().get(spreadsheetId=sid, fields="sheets.basicFilter").execute()
    assert got["sheets"][0] == {}


def test_groups_move_and_grow_with_their_rows(sheets: Any) -> None:
    # Groups are anchored to rows as every other range is: an insertion inside one grows it, a
    # deletion before it moves it up (DimensionGroup.range: "The range over which this group
    # exists"; https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#DimensionGroup).
    service = sheets(OWNER)
    sid = create(service)
    batch(service, sid, {"addDimensionGroup": {"range": _rows(3, 6)}})
    batch(service, sid, {"insertDimension": {"range": _rows(4, 6)}})
    batch(service, sid, {"deleteDimension": {"range": _rows(0, 2)}})
    got = service.spreadsheets().get(spreadsheetId=sid, fields="sheets.rowGroups").execute()
    assert got["sheets"][0]["rowGroups"] == [
        {"range": {"dimension": "ROWS", "startIndex": 1, "endIndex": 6}, "depth": 1}
    ]
    batch(service, sid, {"deleteDimension": {"range": _rows(1, 6)}})
    got = service.spreadsheets().get(spreadsheetId=sid, fields="sheets.rowGroups").execute()
    assert got["sheets"][0] == {}
