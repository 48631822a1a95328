"""The shapes of values.get/update: majorDimension, null vs "", trimming, update summaries.

Contracts:
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values#ValueRange
  ("For output, empty trailing rows and columns will not be included."; on input "Null values
  will be skipped. To set a cell to an empty value, set the string value to an empty string.")
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/get
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/update
  (UpdateValuesResponse: updatedRange, updatedRows, updatedColumns, updatedCells, updatedData)
- https://developers.google.com/sheets/api/guides/values
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
    return str(api.create(body={}).execute()["spreadsheetId"])


def update(api: Any, sid: str, rng: str, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
    kw.setdefault("valueInputOption", "RAW")
    result: dict[str, Any] = (
        api.values().update(spreadsheetId=sid, range=rng, body=body, **kw).execute()
    )
    return result


def get(api: Any, sid: str, rng: str, **kw: Any) -> dict[str, Any]:
    result: dict[str, Any] = api.values().get(spreadsheetId=sid, range=rng, **kw).execute()
    return result


def test_update_answers_the_written_rectangle_and_counts(api: Any, sid: str) -> None:
    result = update(api, sid, "Sheet1!B2", {"values": [["a", "b", "c"], ["d"]]})
    assert result == {
        "spreadsheetId": sid,
        "updatedRange": "Sheet1!B2:D3",
        "updatedRows": 2,
        "updatedColumns": 3,
        "updatedCells": 4,
    }


def test_update_with_values_in_response_returns_them_rendered(api: Any, sid: str) -> None:
    result = update(
        api,
        sid,
        "Sheet1!A1",
        {"values": [["2", "=A1*2"]]},
        valueInputOption="USER_ENTERED",
        includeValuesInResponse=True,
    )
    assert result["updatedData"] == {
        "range": "Sheet1!A1:B1",
        "majorDimension": "ROWS",
        "values": [["2", "4"]],
    }
    unformatted = update(
        api,
        sid,
        "Sheet1!A1",
        {"values": [["3"]]},
        valueInputOption="USER_ENTERED",
        includeValuesInResponse=True,
        responseValueRenderOption="UNFORMATTED_VALUE",
    )
    assert unformatted["updatedData"]["values"] == [[3]]


def test_get_of_an_empty_range_has_no_values_key(api: Any, sid: str) -> None:
    assert get(api, sid, "Sheet1!A1:B2") == {"range": "Sheet1!A1:B2", "majorDimension": "ROWS"}


def test_get_omits_trailing_empties_and_keeps_middle_gaps(api: Any, sid: str) -> None:
    update(api, sid, "Sheet1!A1", {"values": [["a", "", "c"], [], ["e"]]})
    got = get(api, sid, "Sheet1!A1:E10")
    assert got["values"] == [["a", "", "c"], [], ["e"]]


def test_major_dimension_columns_on_read_transposes(api: Any, sid: str) -> None:
    update(api, sid, "Sheet1!A1", {"values": [["a", "b"], ["c", "d"], ["e"]]})
    got = get(api, sid, "Sheet1!A1:B3", majorDimension="COLUMNS")
    assert got == {
        "range": "Sheet1!A1:B3",
        "majorDimension": "COLUMNS",
        "values": [["a", "c", "e"], ["b", "d"]],
    }


def test_major_dimension_columns_on_write_fills_down_first(api: Any, sid: str) -> None:
    result = update(
        api, sid, "Sheet1!A1", {"majorDimension": "COLUMNS", "values": [["a", "b", "c"], ["d"]]}
    )
    assert result["updatedRange"] == "Sheet1!A1:B3"
    assert result["updatedRows"] == 3
    assert result["updatedColumns"] == 2
    assert result["updatedCells"] == 4
    assert get(api, sid, "Sheet1!A1:B3")["values"] == [["a", "d"], ["b"], ["c"]]


def test_null_leaves_a_cell_and_empty_string_clears_it(api: Any, sid: str) -> None:
    update(api, sid, "Sheet1!A1", {"values": [["keep", "drop", "x"]]})
    update(api, sid, "Sheet1!A1", {"values": [[None, "", "y"]]})
    assert get(api, sid, "Sheet1!A1:C1")["values"] == [["keep", "", "y"]]


def test_body_range_must_match_the_url_range(api: Any, sid: str) -> None:
    from googleapiclient.errors import HttpError

    with pytest.raises(HttpError) as caught:
        update(api, sid, "Sheet1!A1", {"range": "Sheet1!B1", "values": [["x"]]})
    assert caught.value.resp.status == 400
    # The same range, spelt differently, is accepted (believed: Google compares the parsed
    # ranges; its wording of the refusal above is not asserted either).
    result = update(api, sid, "Sheet1!A1:A1", {"range": "sheet1!a1", "values": [["x"]]})
    assert result["updatedRange"] == "Sheet1!A1"


def test_unformatted_and_formatted_values_differ_by_number_format(api: Any, sid: str) -> None:
    update(
        api,
        sid,
        "Sheet1!A1",
        {"values": [["0.5", "1234.5", "1/2/2026"]]},
        valueInputOption="USER_ENTERED",
    )
    assert get(api, sid, "Sheet1!A1:C1")["values"] == [["0.5", "1234.5", "1/2/2026"]]
    assert get(api, sid, "Sheet1!A1:C1", valueRenderOption="UNFORMATTED_VALUE")["values"] == [
        [0.5, 1234.5, 46024]
    ]
