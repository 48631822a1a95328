"""A1 notation through the values API: the forms Google accepts, the range it echoes, its errors.

Contracts:
- https://developers.google.com/sheets/api/guides/concepts#cell (A1 notation: `Sheet1!A1:B2`,
  `Sheet1!A:A`, `Sheet1!1:2`, `Sheet1!A5:A`, `A1:B2`, `Sheet1`, `'My Custom Sheet'!A:A`)
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/get
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/update

"Recorded" marks answers of the real API kept as gspread's test cassettes
(https://github.com/burnash/gspread/tree/master/tests/cassettes).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError

USER = "ann@acme.test"
TABS = ("Sheet1", "My Plan", "Bob's tab")


@pytest.fixture
def api(sheets: Any) -> Any:
    return sheets(USER).spreadsheets()


@pytest.fixture
def sid(api: Any) -> str:
    body = {"sheets": [{"properties": {"title": t}} for t in TABS]}
    spreadsheet_id = str(api.create(body=body).execute()["spreadsheetId"])
    for tab in TABS:
        quoted = "'" + tab.replace("'", "''") + "'"
        api.values().update(
            spreadsheetId=spreadsheet_id,
            range=f"{quoted}!A1",
            valueInputOption="RAW",
            body={"values": [[f"{tab} a1", "b1", "c1"], ["a2", "b2", "c2"], ["a3", "b3", "c3"]]},
        ).execute()
    return spreadsheet_id


def get(api: Any, sid: str, rng: str) -> dict[str, Any]:
    result: dict[str, Any] = api.values().get(spreadsheetId=sid, range=rng).execute()
    return result


def rejected(call: Any) -> tuple[int, dict[str, Any]]:
    with pytest.raises(HttpError) as caught:
        call.execute()
    return caught.value.resp.status, json.loads(caught.value.content)["error"]


@pytest.mark.parametrize(
    ("asked", "echoed", "values"),
    [
        ("Sheet1!A1:B2", "Sheet1!A1:B2", [["Sheet1 a1", "b1"], ["a2", "b2"]]),
        # Sheet titles match case-insensitively, as in formulas (believed, not documented).
        ("sheet1!a1:b2", "Sheet1!A1:B2", [["Sheet1 a1", "b1"], ["a2", "b2"]]),
        ("Sheet1!B2", "Sheet1!B2", [["b2"]]),
        ("Sheet1!B2:C", "Sheet1!B2:C1000", [["b2", "c2"], ["b3", "c3"]]),
        ("Sheet1!A:A", "Sheet1!A1:A1000", [["Sheet1 a1"], ["a2"], ["a3"]]),
        ("Sheet1!2:3", "Sheet1!A2:Z3", [["a2", "b2", "c2"], ["a3", "b3", "c3"]]),
        ("A1:A2", "Sheet1!A1:A2", [["Sheet1 a1"], ["a2"]]),
        (
            "Sheet1",
            "Sheet1!A1:Z1000",
            [["Sheet1 a1", "b1", "c1"], ["a2", "b2", "c2"], ["a3", "b3", "c3"]],
        ),
        ("'My Plan'!A1:C1", "'My Plan'!A1:C1", [["My Plan a1", "b1", "c1"]]),
        (
            "'My Plan'",
            "'My Plan'!A1:Z1000",
            [["My Plan a1", "b1", "c1"], ["a2", "b2", "c2"], ["a3", "b3", "c3"]],
        ),
        ("'Bob''s tab'!A1", "'Bob''s tab'!A1", [["Bob's tab a1"]]),
        ("'Sheet1'!C3", "Sheet1!C3", [["c3"]]),
        # Absolute markers and reversed corners (recorded: `'Sheet1'!D4:A1` -> `Sheet1!A1:D4`).
        ("Sheet1!$A$1:$B$1", "Sheet1!A1:B1", [["Sheet1 a1", "b1"]]),
        ("Sheet1!B2:A1", "Sheet1!A1:B2", [["Sheet1 a1", "b1"], ["a2", "b2"]]),
    ],
)
def test_a1_forms_read_and_echo_the_normalised_range(
    api: Any, sid: str, asked: str, echoed: str, values: list[list[str]]
) -> None:
    assert get(api, sid, asked) == {"range": echoed, "majorDimension": "ROWS", "values": values}


def test_open_ended_ranges_stop_at_the_grid_edge(api: Any, sid: str) -> None:
    assert get(api, sid, "Sheet1!A999:B")["range"] == "Sheet1!A999:B1000"
    # Recorded: `'Sheet1'!A1:C` -> `Sheet1!A1:C1000`, `'Sheet1'!A2:2` -> `Sheet1!A2:Z2`. Clipping
    # a range that runs past the last column is believed, not recorded.
    assert get(api, sid, "Sheet1!Y1:ZZ2")["range"] == "Sheet1!Y1:Z2"


@pytest.mark.parametrize("bad", ["Nope!A1", "'No such'!A1:B2", "Sheet1!A1:B2:C3", "Sheet1!!A1"])
def test_unknown_sheet_or_malformed_range_is_unable_to_parse(api: Any, sid: str, bad: str) -> None:
    status, error = rejected(api.values().get(spreadsheetId=sid, range=bad))
    assert (status, error) == (
        400,
        {"code": 400, "message": f"Unable to parse range: {bad}", "status": "INVALID_ARGUMENT"},
    )


def test_writing_beyond_the_grid_names_the_first_cell_outside(api: Any, sid: str) -> None:
    call = api.values().update(
        spreadsheetId=sid,
        range="Sheet1!A1000",
        valueInputOption="RAW",
        body={"values": [["ok"], ["too far"]]},
    )
    status, error = rejected(call)
    assert status == 400
    assert error["message"] == (
        "Range (Sheet1!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"
    )
    assert "values" not in get(api, sid, "Sheet1!A1000")  # nothing was written


def test_writing_past_the_last_column_names_the_cell_outside(api: Any, sid: str) -> None:
    call = api.values().update(
        spreadsheetId=sid,
        range="Sheet1!Z1",
        valueInputOption="RAW",
        body={"values": [["ok", "too far"]]},
    )
    status, error = rejected(call)
    assert status == 400
    # Assumption: Google names the first cell outside the grid, as it does for rows.
    assert error["message"] == (
        "Range (Sheet1!AA1) exceeds grid limits. Max rows: 1000, max columns: 26"
    )


@pytest.mark.parametrize(
    ("rng", "values"),
    [("Sheet1!A1:B2", [["a"], ["b"], ["c"]]), ("Sheet1!A1:B2", [["a", "b", "c"]])],
)
def test_writing_more_than_a_bounded_range_holds_is_refused(
    api: Any, sid: str, rng: str, values: list[list[str]]
) -> None:
    call = api.values().update(
        spreadsheetId=sid, range=rng, valueInputOption="RAW", body={"values": values}
    )
    status, error = rejected(call)
    assert status == 400
    assert error["message"].startswith(f"Requested writing within range [{rng}], but tried")
    assert get(api, sid, "Sheet1!A1")["values"] == [["Sheet1 a1"]]


@pytest.mark.parametrize(
    ("rng", "updated"),
    [
        ("'My Plan'!B5", "'My Plan'!B5:C6"),
        ("'My Plan'", "'My Plan'!A1:B2"),
        ("'My Plan'!D4:E", "'My Plan'!D4:E5"),
        ("'Bob''s tab'!A1:B2", "'Bob''s tab'!A1:B2"),
    ],
)
def test_writes_start_at_the_top_left_of_the_range(
    api: Any, sid: str, rng: str, updated: str
) -> None:
    result = (
        api.values()
        .update(
            spreadsheetId=sid,
            range=rng,
            valueInputOption="RAW",
            body={"values": [["w", "x"], ["y", "z"]]},
        )
        .execute()
    )
    assert result["updatedRange"] == updated
    assert get(api, sid, updated)["values"] == [["w", "x"], ["y", "z"]]


def test_a_named_range_reads_and_writes_like_its_a1_range(sheets: Any) -> None:
    service = sheets(USER)
    sid = service.spreadsheets().create(body={}).execute()["spreadsheetId"]
    service.spreadsheets().batchUpdate(
        spreadsheetId=sid,
        body={
            "requests": [
                {
                    "addNamedRange": {
                        "namedRange": {
                            "name": "Owners",
                            "range": {
                                "sheetId": 0,
                                "startRowIndex": 1,
                                "endRowIndex": 3,
                                "startColumnIndex": 1,
                                "endColumnIndex": 2,
                            },
                        }
                    }
                }
            ]
        },
    ).execute()
    values = service.spreadsheets().values()
    written = values.update(
        spreadsheetId=sid, range="Owners", valueInputOption="RAW", body={"values": [["a"], ["b"]]}
    ).execute()
    assert written["updatedRange"] == "Sheet1!B2:B3"
    got = values.get(spreadsheetId=sid, range="Owners").execute()
    assert got == {"range": "Sheet1!B2:B3", "majorDimension": "ROWS", "values": [["a"], ["b"]]}
