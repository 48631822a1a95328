"""batchUpdate cell requests through google-api-python-client: masks, ranges, borders, merges."""

from __future__ import annotations

from typing import Any

from localgoogle_helpers import batch, create, refused

OWNER = "ann@acme.test"
RED = {"red": 1}
BLUE = {"blue": 1}


def _grid(service: Any, sid: str, a1: str) -> list[list[dict[str, Any]]]:
    got = service.spreadsheets().get(spreadsheetId=sid, ranges=[a1], includeGridData=True).execute()
    data = got["sheets"][0]["data"][0]
    return [row.get("values", []) for row in data.get("rowData", [])]


def _values(service: Any, sid: str, a1: str, render: str = "FORMATTED_VALUE") -> list[list[Any]]:
    got = (
        service.spreadsheets()
        .values()
        .get(spreadsheetId=sid, range=a1, valueRenderOption=render)
        .execute()
    )
    return list(got.get("values", []))


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


def _text(value: str) -> dict[str, Any]:
    return {"userEnteredValue": {"stringValue": value}}


def test_update_cells_fields_mask_keeps_unlisted_format(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    bold_red = {"textFormat": {"bold": True}, "backgroundColor": RED}
    batch(
        service,
        sid,
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                "rows": [{"values": [{**_text("Step"), "userEnteredFormat": bold_red}]}],
                "fields": "*",
            }
        },
    )
    batch(
        service,
        sid,
        {
            "updateCells": {
                "range": _range(0, 1, 0, 1),
                "rows": [{"values": [{"userEnteredFormat": {"backgroundColor": BLUE}}]}],
                "fields": "userEnteredFormat.backgroundColor",
            }
        },
    )
    cell = _grid(service, sid, "Sheet1!A1")[0][0]
    assert cell["userEnteredValue"] == {"stringValue": "Step"}
    # Google answers each colour with its ColorStyle twin:
    # https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#ColorStyle
    assert cell["userEnteredFormat"] == {
        "textFormat": {"bold": True},
        "backgroundColor": BLUE,
        "backgroundColorStyle": {"rgbColor": BLUE},
    }
    assert cell["formattedValue"] == "Step"


def test_update_cells_listed_field_absent_from_data_is_cleared(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    batch(
        service,
        sid,
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                "rows": [{"values": [{**_text("a"), "note": "n"}, _text("b")]}],
                "fields": "userEnteredValue,note",
            }
        },
    )
    # A range the rows do not cover: the listed fields are cleared in the rest of it.
    batch(
        service,
        sid,
        {
            "updateCells": {
                "range": _range(0, 1, 0, 2),
                "rows": [{"values": [{"note": "kept"}]}],
                "fields": "userEnteredValue,note",
            }
        },
    )
    row = _grid(service, sid, "Sheet1!A1:B1")[0]
    assert row == [{"note": "kept"}]


def test_update_cells_numbers_formulas_and_number_formats(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    currency = {"numberFormat": {"type": "CURRENCY", "pattern": '"$"#,##0.00'}}
    batch(
        service,
        sid,
        {
            "updateCells": {
                "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 0},
                "rows": [
                    {
                        "values": [
                            {"userEnteredValue": {"numberValue": 5}, "userEnteredFormat": currency},
                            {"userEnteredValue": {"formulaValue": "=A1*2"}},
                            {"userEnteredValue": {"boolValue": True}},
                        ]
                    }
                ],
                "fields": "userEnteredValue,userEnteredFormat.numberFormat",
            }
        },
    )
    assert _values(service, sid, "Sheet1!A1:C1") == [["$5.00", "10", "TRUE"]]
    assert _values(service, sid, "Sheet1!A1:C1", "FORMULA") == [[5, "=A1*2", True]]


def test_update_cells_outside_the_grid_is_refused(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service, rows=10, cols=3)
    start = {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": 10, "columnIndex": 0},
            "rows": [{"values": [_text("x")]}],
            "fields": "userEnteredValue",
        }
    }
    assert refused(lambda: batch(service, sid, start)) == (
        400,
        "Invalid requests[0].updateCells: GridCoordinate.rowIndex[10] is after last row in grid[9]",
    )
    wide = {
        "updateCells": {
            "start": {"sheetId": 0, "rowIndex": 0, "columnIndex": 2},
            "rows": [{"values": [_text("x"), _text("y")]}],
            "fields": "userEnteredValue",
        }
    }
    status, message = refused(lambda: batch(service, sid, wide))
    assert status == 400 and "exceeds grid limits. Max rows: 10, max columns: 3" in message
    missing = {
        "updateCells": {
            "start": {"sheetId": 123},
            "rows": [{"values": [_text("x")]}],
            "fields": "userEnteredValue",
        }
    }
    assert refused(lambda: batch(service, sid, missing)) == (
        400,
        "Invalid requests[0].updateCells: No grid with id: 123",
    )
    both = {
        "updateCells": {
            "start": {"sheetId": 0},
            "range": {"sheetId": 0},
            "fields": "userEnteredValue",
        }
    }
    status, message = refused(lambda: batch(service, sid, both))
    assert message == (
        "Invalid value at 'requests[0].update_cells' (oneof), oneof field 'area' is already "
        "set. Cannot set 'range'"
    )


def test_repeat_cell_range_starting_past_the_grid_is_refused(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    past = {
        "repeatCell": {
            "range": {
                "sheetId": 0,
                "startRowIndex": 1000,
                "startColumnIndex": 0,
                "endColumnIndex": 2,
            },
            "cell": {},
            "fields": "userEnteredFormat.textFormat.link",
        }
    }
    assert refused(lambda: batch(service, sid, past)) == (
        400,
        "Invalid requests[0].repeatCell: Range (Sheet1!A1001:B) exceeds grid limits. "
        "Max rows: 1000, max columns: 26",
    )
    # Starting inside and ending past the grid is clipped, as Google does.
    batch(
        service,
        sid,
        {
            "repeatCell": {
                "range": _range(998, 1003, 0, 1),
                "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                "fields": "userEnteredFormat.textFormat.bold",
            }
        },
    )
    grid = _grid(service, sid, "Sheet1!A999:A1000")
    assert [row[0]["userEnteredFormat"] for row in grid] == [{"textFormat": {"bold": True}}] * 2
    props = service.spreadsheets().get(spreadsheetId=sid).execute()["sheets"][0]["properties"]
    assert props["gridProperties"]["rowCount"] == 1000


def test_repeat_cell_header_format_and_star_mask(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    service.spreadsheets().values().update(
        spreadsheetId=sid,
        range="Sheet1!A1",
        valueInputOption="RAW",
        body={"values": [["Step", "Owner"]]},
    ).execute()
    batch(
        service,
        sid,
        {
            "repeatCell": {
                "range": _range(0, 1, 0, 2),
                "cell": {"userEnteredFormat": {"backgroundColor": RED}},
                "fields": "userEnteredFormat(backgroundColor)",
            }
        },
    )
    row = _grid(service, sid, "Sheet1!A1:B1")[0]
    assert [c["userEnteredValue"]["stringValue"] for c in row] == ["Step", "Owner"]
    red = {"backgroundColor": RED, "backgroundColorStyle": {"rgbColor": RED}}
    assert all(c["userEnteredFormat"] == red for c in row)
    batch(service, sid, {"repeatCell": {"range": _range(0, 1, 0, 1), "cell": {}, "fields": "*"}})
    assert _values(service, sid, "Sheet1!A1:B1") == [["", "Owner"]]


def test_unknown_field_mask_path_is_refused(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    bad = {"repeatCell": {"range": _range(0, 1, 0, 1), "cell": {}, "fields": "userEnteredFromat"}}
    status, message = refused(lambda: batch(service, sid, bad))
    assert status == 400 and message.startswith("Invalid requests[0].repeatCell: ")
    assert "userEnteredFromat" in message


def test_append_cells_goes_after_the_last_row_with_data_and_grows_the_sheet(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service, rows=2, cols=2)
    service.spreadsheets().values().update(
        spreadsheetId=sid, range="Sheet1!A1", valueInputOption="RAW", body={"values": [["h"]]}
    ).execute()
    batch(
        service,
        sid,
        {
            "appendCells": {
                "sheetId": 0,
                "rows": [{"values": [_text("a")]}, {"values": [_text("b"), _text("c")]}],
                "fields": "userEnteredValue",
            }
        },
    )
    assert _values(service, sid, "Sheet1") == [["h"], ["a"], ["b", "c"]]
    props = service.spreadsheets().get(spreadsheetId=sid).execute()["sheets"][0]["properties"]
    assert props["gridProperties"]["rowCount"] == 3


def test_update_borders_sets_outer_and_inner_lines(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    solid = {"style": "SOLID", "color": {"red": 0}}
    batch(
        service,
        sid,
        {
            "updateBorders": {
                "range": _range(0, 2, 0, 2),
                "top": solid,
                "bottom": solid,
                "innerHorizontal": {"style": "DASHED"},
            }
        },
    )
    grid = _grid(service, sid, "Sheet1!A1:B2")
    top_left = grid[0][0]["userEnteredFormat"]["borders"]
    assert top_left["top"]["style"] == "SOLID" and top_left["top"]["width"] == 1
    assert top_left["bottom"]["style"] == "DASHED"
    assert grid[1][1]["userEnteredFormat"]["borders"]["bottom"]["style"] == "SOLID"
    batch(service, sid, {"updateBorders": {"range": _range(0, 1, 0, 2), "top": {"style": "NONE"}}})
    assert "top" not in _grid(service, sid, "Sheet1!A1")[0][0]["userEnteredFormat"]["borders"]


def test_merge_and_unmerge_cells(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    service.spreadsheets().values().update(
        spreadsheetId=sid,
        range="Sheet1!A1",
        valueInputOption="RAW",
        body={"values": [["keep", "dropped"]]},
    ).execute()
    batch(
        service,
        sid,
        {"mergeCells": {"range": _range(0, 1, 0, 2), "mergeType": "MERGE_ALL"}},
        {"mergeCells": {"range": _range(2, 4, 0, 2), "mergeType": "MERGE_COLUMNS"}},
    )
    merges = service.spreadsheets().get(spreadsheetId=sid).execute()["sheets"][0]["merges"]
    assert merges == [_range(0, 1, 0, 2), _range(2, 4, 0, 1), _range(2, 4, 1, 2)]
    assert _values(service, sid, "Sheet1!A1:B1") == [["keep"]]
    batch(service, sid, {"unmergeCells": {"range": _range(2, 4, 0, 2)}})
    merges = service.spreadsheets().get(spreadsheetId=sid).execute()["sheets"][0]["merges"]
    assert merges == [_range(0, 1, 0, 2)]


def test_find_replace_counts_and_scope(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    service.spreadsheets().values().update(
        spreadsheetId=sid,
        range="Sheet1!A1",
        valueInputOption="USER_ENTERED",
        body={"values": [["Acme kickoff", "acme"], ['="acme"', "Beta"]]},
    ).execute()
    reply = batch(
        service, sid, {"findReplace": {"find": "acme", "replacement": "Initech", "allSheets": True}}
    )
    assert reply["replies"][0]["findReplace"] == {
        "valuesChanged": 2,
        "occurrencesChanged": 2,
        "rowsChanged": 1,
        "sheetsChanged": 1,
    }
    assert _values(service, sid, "Sheet1!A1:B2") == [
        ["Initech kickoff", "Initech"],
        ["acme", "Beta"],
    ]
    none = batch(service, sid, {"findReplace": {"find": "zzz", "replacement": "", "sheetId": 0}})
    assert none["replies"][0] == {"findReplace": {}}


def test_sort_range_by_number_then_text_with_blanks_last(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    service.spreadsheets().values().update(
        spreadsheetId=sid,
        range="Sheet1!A1",
        valueInputOption="RAW",
        body={"values": [["c", 3], ["a", ""], ["b", 1], ["d", 2]]},
    ).execute()
    batch(
        service,
        sid,
        {
            "sortRange": {
                "range": _range(0, 4, 0, 2),
                "sortSpecs": [{"dimensionIndex": 1, "sortOrder": "DESCENDING"}],
            }
        },
    )
    assert _values(service, sid, "Sheet1!A1:B4") == [["c", "3"], ["d", "2"], ["b", "1"], ["a"]]


def test_copy_paste_normal_moves_relative_references_and_values_paste_freezes(
    sheets: Any,
) -> None:
    service = sheets(OWNER)
    sid = create(service)
    service.spreadsheets().values().update(
        spreadsheetId=sid,
        range="Sheet1!A1",
        valueInputOption="USER_ENTERED",
        body={"values": [[1, "=A1*10"], [2, ""]]},
    ).execute()
    batch(
        service,
        sid,
        {
            "copyPaste": {
                "source": _range(0, 1, 1, 2),
                "destination": _range(1, 2, 1, 2),
                "pasteType": "PASTE_NORMAL",
            }
        },
        {
            "copyPaste": {
                "source": _range(0, 2, 1, 2),
                "destination": _range(0, 4, 3, 4),
                "pasteType": "PASTE_VALUES",
            }
        },
    )
    assert _values(service, sid, "Sheet1!B1:B2", "FORMULA") == [["=A1*10"], ["=A2*10"]]
    assert _values(service, sid, "Sheet1!D1:D4", "FORMULA") == [[10], [20], [10], [20]]


def test_update_cells_data_validation_and_note_fields(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    rule = {"condition": {"type": "BOOLEAN"}}
    batch(
        service,
        sid,
        {
            "updateCells": {
                "range": _range(0, 1, 0, 2),
                "rows": [{"values": [{"dataValidation": rule, "note": "tick when done"}]}],
                "fields": "dataValidation,note",
            }
        },
    )
    row = _grid(service, sid, "Sheet1!A1:B1")[0]
    assert row == [{"dataValidation": rule, "note": "tick when done"}]


def test_sort_moves_formulas_with_their_rows(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    service.spreadsheets().values().update(
        spreadsheetId=sid,
        range="Sheet1!A1",
        valueInputOption="USER_ENTERED",
        body={"values": [[3, "=A1*2"], [1, "=A2*2"], [2, "=A3*2"]]},
    ).execute()
    batch(
        service,
        sid,
        {"sortRange": {"range": _range(0, 3, 0, 2), "sortSpecs": [{"dimensionIndex": 0}]}},
    )
    assert _values(service, sid, "Sheet1!A1:B3", "FORMULA") == [
        [1, "=A1*2"],
        [2, "=A2*2"],
        [3, "=A3*2"],
    ]
    assert _values(service, sid, "Sheet1!B1:B3") == [["2"], ["4"], ["6"]]
