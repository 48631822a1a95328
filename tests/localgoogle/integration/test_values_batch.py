"""values.batchGet and values.batchUpdate: several ranges in one request, all or nothing.

Contracts:
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchGet
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdate
  (BatchUpdateValuesResponse: totalUpdatedRows/Columns/Cells/Sheets and responses[])
- https://developers.google.com/sheets/api/guides/batch ("if any request is not valid, then the
  entire request will fail and nothing will be applied")
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError

USER = "ann@acme.test"


@pytest.fixture
def api(sheets: Any) -> Any:
    return sheets(USER).spreadsheets()


@pytest.fixture
def sid(api: Any) -> str:
    body = {"sheets": [{"properties": {"title": "Plan"}}, {"properties": {"title": "Deal"}}]}
    return str(api.create(body=body).execute()["spreadsheetId"])


def batch_update(api: Any, sid: str, body: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = api.values().batchUpdate(spreadsheetId=sid, body=body).execute()
    return result


def test_batch_get_answers_one_value_range_per_range_in_order(api: Any, sid: str) -> None:
    batch_update(
        api,
        sid,
        {
            "valueInputOption": "RAW",
            "data": [
                {"range": "Plan!A1", "values": [["a", "b"], ["c", "d"]]},
                {"range": "Deal!B2", "values": [["x"]]},
            ],
        },
    )
    got = (
        api.values()
        .batchGet(
            spreadsheetId=sid,
            ranges=["Deal!A1:C3", "Plan!A1:B2", "Plan!D1"],
            majorDimension="COLUMNS",
        )
        .execute()
    )
    assert got == {
        "spreadsheetId": sid,
        "valueRanges": [
            {"range": "Deal!A1:C3", "majorDimension": "COLUMNS", "values": [[], ["", "x"]]},
            {
                "range": "Plan!A1:B2",
                "majorDimension": "COLUMNS",
                "values": [["a", "c"], ["b", "d"]],
            },
            {"range": "Plan!D1", "majorDimension": "COLUMNS"},
        ],
    }


def test_batch_get_applies_render_options_to_every_range(api: Any, sid: str) -> None:
    batch_update(
        api,
        sid,
        {
            "valueInputOption": "USER_ENTERED",
            "data": [{"range": "Plan!A1", "values": [["1/2/2026", "=1+1"]]}],
        },
    )
    got = (
        api.values()
        .batchGet(
            spreadsheetId=sid,
            ranges=["Plan!A1", "Plan!B1"],
            valueRenderOption="UNFORMATTED_VALUE",
            dateTimeRenderOption="FORMATTED_STRING",
        )
        .execute()
    )
    assert [vr["values"] for vr in got["valueRanges"]] == [[["1/2/2026"]], [[2]]]
    formulas = (
        api.values()
        .batchGet(spreadsheetId=sid, ranges=["Plan!A1:B1"], valueRenderOption="FORMULA")
        .execute()
    )
    assert formulas["valueRanges"][0]["values"] == [[46024, "=1+1"]]


def test_batch_update_answers_totals_and_one_response_per_range(api: Any, sid: str) -> None:
    result = batch_update(
        api,
        sid,
        {
            "valueInputOption": "RAW",
            "data": [
                {"range": "Plan!A1", "values": [["a", "b"], ["c", "d"]]},
                {"range": "Plan!D1", "values": [["e"]]},
                {"range": "Deal!A1:A3", "majorDimension": "COLUMNS", "values": [["x", "y", "z"]]},
            ],
        },
    )
    # Totals count "rows where at least one cell in the row was updated" (and columns alike),
    # each once: Plan rows 1-2 and Deal rows 1-3; Plan columns A, B, D and Deal column A.
    # https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdate#response-body
    assert result == {
        "spreadsheetId": sid,
        "totalUpdatedRows": 5,
        "totalUpdatedColumns": 4,
        "totalUpdatedCells": 8,
        "totalUpdatedSheets": 2,
        "responses": [
            {
                "spreadsheetId": sid,
                "updatedRange": "Plan!A1:B2",
                "updatedRows": 2,
                "updatedColumns": 2,
                "updatedCells": 4,
            },
            {
                "spreadsheetId": sid,
                "updatedRange": "Plan!D1",
                "updatedRows": 1,
                "updatedColumns": 1,
                "updatedCells": 1,
            },
            {
                "spreadsheetId": sid,
                "updatedRange": "Deal!A1:A3",
                "updatedRows": 3,
                "updatedColumns": 1,
                "updatedCells": 3,
            },
        ],
    }


def test_batch_update_with_values_in_response(api: Any, sid: str) -> None:
    result = batch_update(
        api,
        sid,
        {
            "valueInputOption": "USER_ENTERED",
            "includeValuesInResponse": True,
            "responseValueRenderOption": "FORMULA",
            "data": [{"range": "Plan!A1", "values": [["2", "=A1*3"]]}],
        },
    )
    assert result["responses"][0]["updatedData"] == {
        "range": "Plan!A1:B1",
        "majorDimension": "ROWS",
        "values": [[2, "=A1*3"]],
    }


def test_batch_update_is_atomic_when_a_later_range_is_bad(api: Any, sid: str) -> None:
    body = {
        "valueInputOption": "RAW",
        "data": [
            {"range": "Plan!A1", "values": [["written?"]]},
            {"range": "Nope!A1", "values": [["x"]]},
        ],
    }
    with pytest.raises(HttpError) as caught:
        batch_update(api, sid, body)
    assert caught.value.resp.status == 400
    assert json.loads(caught.value.content)["error"] == {
        "code": 400,
        "message": "Invalid data[1]: Unable to parse range: Nope!A1",
        "status": "INVALID_ARGUMENT",
    }
    assert "values" not in api.values().get(spreadsheetId=sid, range="Plan!A1").execute()


def test_batch_update_is_atomic_when_a_later_range_overflows_the_grid(api: Any, sid: str) -> None:
    body = {
        "valueInputOption": "RAW",
        "data": [
            {"range": "Plan!A1", "values": [["written?"]]},
            {"range": "Deal!Z1", "values": [["ok", "too far"]]},
        ],
    }
    with pytest.raises(HttpError) as caught:
        batch_update(api, sid, body)
    message = json.loads(caught.value.content)["error"]["message"]
    assert message.startswith("Invalid data[1]: Range (Deal!AA1) exceeds grid limits.")
    assert "values" not in api.values().get(spreadsheetId=sid, range="Plan!A1").execute()


def test_batch_update_with_no_data_changes_nothing(api: Any, sid: str) -> None:
    result = batch_update(api, sid, {"valueInputOption": "RAW", "data": []})
    assert result == {"spreadsheetId": sid}
