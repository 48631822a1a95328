"""Errors as the client libraries see them: status, Google's JSON body, and the library exception.

Contracts:
- https://cloud.google.com/apis/design/errors (the JSON body: `error.code`, `error.message`,
  `error.status` with the canonical gRPC status name)
- https://developers.google.com/sheets/api/limits and
  https://developers.google.com/workspace/guides/troubleshoot-authentication-authorization
- https://protobuf.dev/programming-guides/proto3/#json (body parsing: unknown names, wrong types)
"""

from __future__ import annotations

import json
from typing import Any

import gspread
import pytest
import requests
from googleapiclient.errors import HttpError

OWNER = "ann@acme.test"
STRANGER = "eve@evil.test"
MISSING_ID = "1" + "x" * 43


@pytest.fixture
def sid(sheets: Any) -> str:
    return str(sheets(OWNER).spreadsheets().create(body={}).execute()["spreadsheetId"])


def failure(call: Any) -> tuple[int, dict[str, Any]]:
    with pytest.raises(HttpError) as caught:
        call.execute()
    return caught.value.resp.status, json.loads(caught.value.content)


def test_unknown_spreadsheet_is_404_not_found(sheets: Any) -> None:
    status, body = failure(sheets(OWNER).spreadsheets().get(spreadsheetId=MISSING_ID))
    assert status == 404
    assert body == {
        "error": {
            "code": 404,
            "message": "Requested entity was not found.",
            "status": "NOT_FOUND",
        }
    }


@pytest.mark.parametrize("method", ["get", "values_get", "values_update"])
def test_spreadsheet_not_shared_with_the_caller_is_403(sheets: Any, sid: str, method: str) -> None:
    api = sheets(STRANGER).spreadsheets()
    call = {
        "get": lambda: api.get(spreadsheetId=sid),
        "values_get": lambda: api.values().get(spreadsheetId=sid, range="Sheet1!A1"),
        "values_update": lambda: api.values().update(
            spreadsheetId=sid,
            range="Sheet1!A1",
            valueInputOption="RAW",
            body={"values": [["x"]]},
        ),
    }[method]()
    status, body = failure(call)
    assert status == 403
    assert body == {
        "error": {
            "code": 403,
            "message": "The caller does not have permission",
            "status": "PERMISSION_DENIED",
        }
    }


def test_missing_token_is_401_unauthenticated(local_google: Any, sid: str) -> None:
    resp = requests.get(f"{local_google.url}/v4/spreadsheets/{sid}", timeout=10)
    assert resp.status_code == 401
    error = resp.json()["error"]
    assert error["code"] == 401
    assert error["status"] == "UNAUTHENTICATED"
    assert error["message"].startswith(
        "Request is missing required authentication credential. Expected OAuth 2 access token"
    )
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nonsense", "Basic YTpi", "Bearer local:not-an-email"])
def test_invalid_token_is_401_invalid_credentials(local_google: Any, sid: str, header: str) -> None:
    resp = requests.get(
        f"{local_google.url}/v4/spreadsheets/{sid}", headers={"Authorization": header}, timeout=10
    )
    assert resp.status_code == 401
    error = resp.json()["error"]
    assert (error["code"], error["status"]) == (401, "UNAUTHENTICATED")
    assert error["message"].startswith("Request had invalid authentication credentials.")


def test_unknown_body_field_is_400_invalid_json_payload(sheets: Any) -> None:
    status, body = failure(sheets(OWNER).spreadsheets().create(body={"titel": "x"}))
    assert status == 400
    message = 'Invalid JSON payload received. Unknown name "titel": Cannot find field.'
    # The parse error comes with a google.rpc.BadRequest detail; at the top level its field is
    # empty and so left out (https://cloud.google.com/apis/design/errors#error_details).
    assert body == {
        "error": {
            "code": 400,
            "message": message,
            "status": "INVALID_ARGUMENT",
            "details": [
                {
                    "@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": [{"description": message}],
                }
            ],
        }
    }


def test_unknown_nested_body_field_names_its_path(sheets: Any) -> None:
    body = {"sheets": [{"properties": {"titel": "x"}}]}
    status, error = failure(sheets(OWNER).spreadsheets().create(body=body))
    assert status == 400
    assert error["error"]["message"] == (
        "Invalid JSON payload received. Unknown name \"titel\" at 'sheets[0].properties': "
        "Cannot find field."
    )


def test_wrong_type_in_body_is_400_invalid_value(sheets: Any) -> None:
    body = {"sheets": [{"properties": {"gridProperties": {"rowCount": "many"}}}]}
    status, error = failure(sheets(OWNER).spreadsheets().create(body=body))
    assert status == 400
    assert error["error"]["status"] == "INVALID_ARGUMENT"
    assert error["error"]["message"] == (
        "Invalid value at 'sheets[0].properties.grid_properties.row_count' (TYPE_INT32), \"many\""
    )


def test_wrong_enum_in_query_is_400(sheets: Any, sid: str) -> None:
    # The client library checks query enums itself before sending anything ...
    with pytest.raises(TypeError):
        sheets(OWNER).spreadsheets().values().get(
            spreadsheetId=sid, range="Sheet1!A1", valueRenderOption="PRETTY"
        )
    # ... but not enums inside the body.
    status, error = failure(
        sheets(OWNER)
        .spreadsheets()
        .values()
        .update(
            spreadsheetId=sid,
            range="Sheet1!A1",
            valueInputOption="RAW",
            body={"values": [["x"]], "majorDimension": "DIAGONAL"},
        )
    )
    assert status == 400
    # Where the path starts for a body bound to a request field is not known; the tail is.
    assert error["error"]["message"].startswith("Invalid value at '")
    # The proto type name printed in between is not asserted: the discovery document has no name
    # for this inline enum (Google's proto uses google.apps.sheets.v4.Dimension, we believe).
    assert (
        "major_dimension' (type.googleapis.com/google.apps.sheets.v4." in error["error"]["message"]
    )
    assert error["error"]["message"].endswith('), "DIAGONAL"')


def test_values_that_are_not_a_list_are_400_at_data_values(sheets: Any, sid: str) -> None:
    # Recorded from the real API (gspread's WorksheetTest.test_add_validation cassette).
    status, error = failure(
        sheets(OWNER)
        .spreadsheets()
        .values()
        .update(
            spreadsheetId=sid,
            range="Sheet1!A1",
            valueInputOption="RAW",
            body={"values": "X"},
        )
    )
    assert status == 400
    assert error["error"]["message"] == (
        "Invalid value at 'data.values' (type.googleapis.com/google.protobuf.ListValue), \"X\""
    )


def test_unimplemented_sheets_method_is_501_in_googles_format(sheets: Any, sid: str) -> None:
    call = sheets(OWNER).spreadsheets().getByDataFilter(spreadsheetId=sid, body={})
    status, body = failure(call)
    assert status == 501
    assert body["error"]["code"] == 501
    assert body["error"]["status"] == "UNIMPLEMENTED"
    assert "sheets.spreadsheets.getByDataFilter" in body["error"]["message"]


def test_gspread_turns_404_into_spreadsheet_not_found(gspread_as: Any) -> None:
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound) as caught:
        gspread_as(OWNER).open_by_key(MISSING_ID)
    response = caught.value.args[0]
    assert response.status_code == 404
    assert response.json()["error"]["status"] == "NOT_FOUND"


def test_gspread_raises_permission_error_from_googles_403(gspread_as: Any, sid: str) -> None:
    with pytest.raises(PermissionError) as caught:
        gspread_as(STRANGER).open_by_key(sid)
    cause = caught.value.__cause__
    assert isinstance(cause, gspread.exceptions.APIError)
    assert cause.code == 403
    assert cause.response.json() == {
        "error": {
            "code": 403,
            "message": "The caller does not have permission",
            "status": "PERMISSION_DENIED",
        }
    }


def test_gspread_surfaces_a_bad_range_as_api_error(gspread_as: Any, sid: str) -> None:
    worksheet = gspread_as(OWNER).open_by_key(sid).sheet1
    with pytest.raises(gspread.exceptions.APIError) as caught:
        worksheet.spreadsheet.values_get("Nope!A1")
    assert caught.value.code == 400
    assert caught.value.response.json()["error"]["message"] == "Unable to parse range: Nope!A1"
