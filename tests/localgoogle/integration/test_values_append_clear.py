"""values.append (table detection, growing the grid), values.clear and batchClear.

Contracts:
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/append
  ("The input range is used to search for existing data and find a "table" within that range.
  Values will be appended to the next row of the table, starting with the first column of the
  table."; OVERWRITE: "adding data to the end of the sheet will still insert new rows or columns
  so the data can be written.")
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/clear
  ("Only values are cleared -- all other properties of the cell (such as formatting, data
  validation, etc..) are kept.")
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchClear

Google does not document how a table is found. The cases marked "recorded" replay responses of
the real API that gspread keeps as test cassettes
(https://github.com/burnash/gspread/tree/master/tests/cassettes, WorksheetTest.test_append_row*,
test_delete_row): a gap splits a row into tables and the last one wins (`tableRange: Sheet1!C1`).
"""

from __future__ import annotations

from typing import Any

import pytest

USER = "ann@acme.test"


@pytest.fixture
def api(sheets: Any) -> Any:
    return sheets(USER).spreadsheets()


@pytest.fixture
def sid(api: Any) -> str:
    body = {
        "sheets": [
            {"properties": {"title": "Sheet1", "gridProperties": {"rowCount": 5, "columnCount": 4}}}
        ]
    }
    return str(api.create(body=body).execute()["spreadsheetId"])


def append(api: Any, sid: str, rng: str, values: list[list[Any]], **kw: Any) -> dict[str, Any]:
    kw.setdefault("valueInputOption", "RAW")
    result: dict[str, Any] = (
        api.values().append(spreadsheetId=sid, range=rng, body={"values": values}, **kw).execute()
    )
    return result


def put(api: Any, sid: str, rng: str, values: list[list[Any]]) -> None:
    api.values().update(
        spreadsheetId=sid, range=rng, valueInputOption="RAW", body={"values": values}
    ).execute()


def values(api: Any, sid: str, rng: str = "Sheet1") -> list[list[Any]]:
    return list(api.values().get(spreadsheetId=sid, range=rng).execute().get("values", []))


def grid(api: Any, sid: str) -> dict[str, int]:
    got = api.get(spreadsheetId=sid, fields="sheets.properties.gridProperties").execute()
    return dict(got["sheets"][0]["properties"]["gridProperties"])


def test_append_to_an_empty_sheet_writes_at_the_top_without_table_range(api: Any, sid: str) -> None:
    result = append(api, sid, "Sheet1", [["a", "b", "c"]])
    assert result == {  # recorded
        "spreadsheetId": sid,
        "updates": {
            "spreadsheetId": sid,
            "updatedRange": "Sheet1!A1:C1",
            "updatedRows": 1,
            "updatedColumns": 3,
            "updatedCells": 3,
        },
    }


def test_append_after_a_table_reports_the_table_before_appending(api: Any, sid: str) -> None:
    put(api, sid, "Sheet1!A1", [["h1", "h2"], ["x", "y"]])
    result = append(api, sid, "Sheet1", [["p", "q"]])
    assert result["tableRange"] == "Sheet1!A1:B2"
    assert result["updates"]["updatedRange"] == "Sheet1!A3:B3"
    assert values(api, sid) == [["h1", "h2"], ["x", "y"], ["p", "q"]]


def test_a_gap_in_a_row_makes_the_last_block_the_table(api: Any, sid: str) -> None:
    append(api, sid, "Sheet1", [["a", "", "c"]])
    result = append(api, sid, "Sheet1!A1:D5", [["d"]])
    assert result["tableRange"] == "Sheet1!C1"  # recorded
    assert result["updates"]["updatedRange"] == "Sheet1!C2"


def test_a_one_cell_range_confines_the_table_to_its_columns(api: Any, sid: str) -> None:
    append(api, sid, "Sheet1", [["a", "", "c"]])
    result = append(api, sid, "Sheet1!A1", [["d", "", "f"]])
    assert result["tableRange"] == "Sheet1!A1"  # recorded
    assert result["updates"]["updatedRange"] == "Sheet1!A2:C2"
    assert values(api, sid) == [["a", "", "c"], ["d", "", "f"]]


def test_a_one_cell_range_finds_the_rows_of_the_table_below_it(api: Any, sid: str) -> None:
    # `table_range="A1"` is the documented gspread remedy for appending to a growing table, so
    # the table found from A1 reaches down past the range's own row.
    put(api, sid, "Sheet1!A1", [["h1", "h2"], ["x", "y"], ["z", "w"]])
    result = append(api, sid, "Sheet1!A1", [["p", "q"]])
    assert result["updates"]["updatedRange"] == "Sheet1!A4:B4"
    assert values(api, sid) == [["h1", "h2"], ["x", "y"], ["z", "w"], ["p", "q"]]


def test_append_past_the_last_row_adds_rows_to_the_grid(api: Any, sid: str) -> None:
    put(api, sid, "Sheet1!A1", [["r1"], ["r2"], ["r3"], ["r4"]])
    result = append(api, sid, "Sheet1!A:B", [["n1"], ["n2"], ["n3"]])
    assert result["tableRange"] == "Sheet1!A1:A4"
    assert result["updates"]["updatedRange"] == "Sheet1!A5:A7"
    assert grid(api, sid) == {"rowCount": 7, "columnCount": 4}
    assert values(api, sid, "Sheet1!A:A") == [
        ["r1"],
        ["r2"],
        ["r3"],
        ["r4"],
        ["n1"],
        ["n2"],
        ["n3"],
    ]


def test_append_wider_than_the_grid_adds_columns(api: Any, sid: str) -> None:
    result = append(api, sid, "Sheet1", [["a", "b", "c", "d", "e", "f"]])
    assert result["updates"]["updatedRange"] == "Sheet1!A1:F1"
    assert grid(api, sid)["columnCount"] == 6
    assert values(api, sid) == [["a", "b", "c", "d", "e", "f"]]


def test_insert_rows_shifts_what_lies_below_the_table(api: Any, sid: str) -> None:
    put(api, sid, "Sheet1!A1", [["t1"], ["t2"], [""], ["below"]])
    result = append(api, sid, "Sheet1!A1:A2", [["new"]], insertDataOption="INSERT_ROWS")
    assert result["tableRange"] == "Sheet1!A1:A2"
    assert result["updates"]["updatedRange"] == "Sheet1!A3"
    assert values(api, sid, "Sheet1!A:A") == [["t1"], ["t2"], ["new"], [], ["below"]]
    assert grid(api, sid)["rowCount"] == 6


def test_insert_rows_moves_formulas_and_protections_below_as_inserting_rows_does(
    api: Any,
) -> None:
    # Rows inserted by append are inserted rows: references and protected ranges below move
    # (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#insertdimensionrequest).
    below = {"sheetId": 0, "startRowIndex": 3, "endRowIndex": 4}
    body = {
        "sheets": [
            {
                "properties": {"sheetId": 0, "title": "Sheet1"},
                "protectedRanges": [{"range": below, "warningOnly": True}],
            }
        ]
    }
    sid = api.create(body=body).execute()["spreadsheetId"]
    api.values().update(
        spreadsheetId=sid,
        range="Sheet1!A1",
        valueInputOption="USER_ENTERED",
        body={"values": [["t1"], ["t2"], [""], ["below", "=A4"]]},
    ).execute()
    append(api, sid, "Sheet1!A1:A2", [["new"]], insertDataOption="INSERT_ROWS")
    formulas = (
        api.values()
        .get(spreadsheetId=sid, range="Sheet1!A5:B5", valueRenderOption="FORMULA")
        .execute()
    )
    assert formulas["values"] == [["below", "=A5"]]
    got = api.get(spreadsheetId=sid, fields="sheets.protectedRanges.range").execute()
    assert got["sheets"][0]["protectedRanges"][0]["range"] == {  # sheetId 0 left out
        "startRowIndex": 4,
        "endRowIndex": 5,
    }


def test_overwrite_writes_over_what_lies_below_the_table(api: Any, sid: str) -> None:
    put(api, sid, "Sheet1!A1", [["t1"], ["t2"], [""], ["below"]])
    append(api, sid, "Sheet1!A1:A2", [["new"], ["newer"]], insertDataOption="OVERWRITE")
    assert values(api, sid, "Sheet1!A:A") == [["t1"], ["t2"], ["new"], ["newer"]]


def test_append_user_entered_with_values_in_response(api: Any, sid: str) -> None:
    put(api, sid, "Sheet1!A1", [[1]])
    result = append(
        api,
        sid,
        "Sheet1",
        [["=A1+1", "5%"]],
        valueInputOption="USER_ENTERED",
        includeValuesInResponse=True,
        responseValueRenderOption="UNFORMATTED_VALUE",
    )
    assert result["updates"]["updatedData"] == {
        "range": "Sheet1!A2:B2",
        "majorDimension": "ROWS",
        "values": [[2, 0.05]],
    }


def test_clear_empties_values_and_answers_the_normalised_range(api: Any, sid: str) -> None:
    put(api, sid, "Sheet1!A1", [["a", "b"], ["c", "d"]])
    result = api.values().clear(spreadsheetId=sid, range="Sheet1", body={}).execute()
    assert result == {"spreadsheetId": sid, "clearedRange": "Sheet1!A1:D5"}  # shape recorded
    assert values(api, sid) == []


def test_clear_keeps_formats_and_validation(api: Any) -> None:
    rule = {"condition": {"type": "BOOLEAN"}, "strict": True}
    percent = {"numberFormat": {"type": "PERCENT", "pattern": "0%"}}
    first = {
        "userEnteredValue": {"numberValue": 0.5},
        "userEnteredFormat": percent,
        "dataValidation": rule,
    }
    body = {"sheets": [{"data": [{"rowData": [{"values": [first]}]}]}]}
    sid = api.create(body=body).execute()["spreadsheetId"]
    assert values(api, sid, "Sheet1!A1") == [["50%"]]
    api.values().clear(spreadsheetId=sid, range="Sheet1!A1", body={}).execute()
    assert values(api, sid, "Sheet1!A1") == []
    put(api, sid, "Sheet1!A1", [[0.25]])
    assert values(api, sid, "Sheet1!A1") == [["25%"]]
    got = api.get(
        spreadsheetId=sid,
        ranges=["Sheet1!A1"],
        fields="sheets.data.rowData.values(dataValidation,userEnteredFormat)",
    ).execute()
    kept = got["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert kept == {"dataValidation": rule, "userEnteredFormat": percent}


def test_batch_clear_answers_each_cleared_range(api: Any, sid: str) -> None:
    put(api, sid, "Sheet1!A1", [["a", "b", "c"], ["d", "e", "f"]])
    result = (
        api.values()
        .batchClear(spreadsheetId=sid, body={"ranges": ["Sheet1!A1", "Sheet1!C:C"]})
        .execute()
    )
    assert result == {"spreadsheetId": sid, "clearedRanges": ["Sheet1!A1", "Sheet1!C1:C5"]}
    assert values(api, sid) == [["", "b"], ["d", "e"]]
