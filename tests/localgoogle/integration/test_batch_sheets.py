"""spreadsheets.batchUpdate via google-api-python-client: dispatch, atomicity, sheet requests."""

from __future__ import annotations

from typing import Any

import pytest
from googleapiclient.errors import HttpError
from localgoogle_helpers import batch, refused

OWNER = "ann@acme.test"


def _create(service: Any, body: dict[str, Any] | None = None) -> str:
    created = service.spreadsheets().create(body=body or {}).execute()
    return str(created["spreadsheetId"])


def _titles(service: Any, sid: str) -> list[str]:
    got = service.spreadsheets().get(spreadsheetId=sid).execute()
    return [s["properties"]["title"] for s in got["sheets"]]


def test_add_sheet_reply_carries_assigned_sheet_id(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    reply = batch(service, sid, {"addSheet": {"properties": {"title": "Plan"}}})
    props = reply["replies"][0]["addSheet"]["properties"]
    assert reply["spreadsheetId"] == sid
    assert props["title"] == "Plan" and props["index"] == 1 and props["sheetType"] == "GRID"
    assert props["gridProperties"] == {"rowCount": 1000, "columnCount": 26}
    assert isinstance(props["sheetId"], int) and props["sheetId"] > 0
    got = service.spreadsheets().get(spreadsheetId=sid).execute()
    assert got["sheets"][1]["properties"]["sheetId"] == props["sheetId"]


def test_batch_is_atomic_when_a_later_request_fails(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    status, message = refused(
        lambda: batch(
            service,
            sid,
            {"addSheet": {"properties": {"title": "Plan"}}},
            {
                "updateSpreadsheetProperties": {
                    "properties": {"title": "Renamed"},
                    "fields": "title",
                }
            },
            {"addSheet": {"properties": {"title": "plan"}}},
        )
    )
    assert status == 400
    assert message == (
        'Invalid requests[2].addSheet: A sheet with the name "plan" already exists. '
        "Please enter another name."
    )
    got = service.spreadsheets().get(spreadsheetId=sid).execute()
    assert [s["properties"]["title"] for s in got["sheets"]] == ["Sheet1"]
    assert got["properties"]["title"] == "Untitled spreadsheet"


def test_replies_are_one_per_request_and_empty_where_google_sends_none(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    reply = batch(
        service,
        sid,
        {"updateSpreadsheetProperties": {"properties": {"title": "Deal"}, "fields": "title"}},
        {"addSheet": {}},
    )
    assert reply["replies"][0] == {}
    assert reply["replies"][1]["addSheet"]["properties"]["title"] == "Sheet2"


def test_request_with_two_kinds_or_none_or_no_requests_is_refused(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    two = {"addSheet": {}, "deleteSheet": {"sheetId": 0}}
    assert refused(lambda: batch(service, sid, two)) == (
        400,
        "Invalid value at 'requests[0]' (oneof), oneof field 'kind' is already set. "
        "Cannot set 'delete_sheet'",
    )
    status, message = refused(lambda: batch(service, sid, {"addSheet": {}}, {}))
    assert status == 400 and message.startswith("Invalid requests[1]: ")
    assert refused(lambda: batch(service, sid)) == (400, "Must specify at least one request.")


def test_unimplemented_request_kind_answers_501(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    status, message = refused(
        lambda: batch(service, sid, {"randomizeRange": {"range": {"sheetId": 0}}})
    )
    assert status == 501 and "batchUpdate request randomizeRange" in message


def test_delete_sheet_refuses_the_last_and_removes_what_belongs_to_it(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    assert refused(lambda: batch(service, sid, {"deleteSheet": {"sheetId": 0}})) == (
        400,
        "Invalid requests[0].deleteSheet: You can't remove all the sheets in a document.",
    )
    assert refused(lambda: batch(service, sid, {"deleteSheet": {"sheetId": 77}})) == (
        400,
        "Invalid requests[0].deleteSheet: No grid with id: 77",
    )
    added = batch(service, sid, {"addSheet": {"properties": {"title": "Plan", "sheetId": 5}}})
    assert added["replies"][0]["addSheet"]["properties"]["sheetId"] == 5
    batch(
        service,
        sid,
        {
            "createDeveloperMetadata": {
                "developerMetadata": {
                    "metadataKey": "tab",
                    "metadataValue": "plan",
                    "location": {"sheetId": 5},
                    "visibility": "DOCUMENT",
                }
            }
        },
        {"addProtectedRange": {"protectedRange": {"range": {"sheetId": 5}}}},
        {"addNamedRange": {"namedRange": {"name": "Steps", "range": {"sheetId": 5}}}},
    )
    service.spreadsheets().values().update(
        spreadsheetId=sid,
        range="Sheet1!A1",
        valueInputOption="USER_ENTERED",
        body={"values": [["=Plan!A1"]]},
    ).execute()
    batch(service, sid, {"deleteSheet": {"sheetId": 5}})
    got = service.spreadsheets().get(spreadsheetId=sid).execute()
    assert [s["properties"]["title"] for s in got["sheets"]] == ["Sheet1"]
    assert "namedRanges" not in got and "developerMetadata" not in got["sheets"][0]
    formula = (
        service.spreadsheets()
        .values()
        .get(spreadsheetId=sid, range="Sheet1!A1", valueRenderOption="FORMULA")
        .execute()
    )
    assert formula["values"] == [["=#REF!"]]


def test_update_sheet_properties_masks_title_frozen_rows_and_size(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    service.spreadsheets().values().update(
        spreadsheetId=sid,
        range="Sheet1!A1",
        valueInputOption="RAW",
        body={"values": [["keep"], ["x"], ["y"], ["gone"]]},
    ).execute()
    batch(
        service,
        sid,
        {
            "updateSheetProperties": {
                "properties": {
                    "sheetId": 0,
                    "title": "Plan",
                    "gridProperties": {"rowCount": 3, "frozenRowCount": 1, "columnCount": 99},
                },
                "fields": "title,gridProperties.rowCount,gridProperties.frozenRowCount",
            }
        },
    )
    props = service.spreadsheets().get(spreadsheetId=sid).execute()["sheets"][0]["properties"]
    assert props["title"] == "Plan"
    assert props["gridProperties"] == {"rowCount": 3, "columnCount": 26, "frozenRowCount": 1}
    values = service.spreadsheets().values().get(spreadsheetId=sid, range="Plan").execute()
    assert values["values"] == [["keep"], ["x"], ["y"]]
    frozen_all = {
        "updateSheetProperties": {
            "properties": {"sheetId": 0, "gridProperties": {"frozenRowCount": 3}},
            "fields": "gridProperties.frozenRowCount",
        }
    }
    assert refused(lambda: batch(service, sid, frozen_all)) == (
        400,
        "Invalid requests[0].updateSheetProperties: You can't freeze all visible rows on the "
        "sheet.",
    )
    no_fields = {"updateSheetProperties": {"properties": {"sheetId": 0, "title": "X"}}}
    assert refused(lambda: batch(service, sid, no_fields)) == (
        400,
        "Invalid requests[0].updateSheetProperties: At least one field must be listed in "
        "'fields'. (Use '*' to indicate all fields.)",
    )


def test_update_sheet_properties_listed_but_absent_field_is_cleared(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service, {"sheets": [{"properties": {"title": "A", "tabColor": {"red": 1}}}]})
    batch(
        service,
        sid,
        {"updateSheetProperties": {"properties": {"sheetId": 0}, "fields": "tabColor"}},
    )
    props = service.spreadsheets().get(spreadsheetId=sid).execute()["sheets"][0]["properties"]
    assert "tabColor" not in props and props["title"] == "A"


def test_sheet_index_moves_count_before_the_move_and_rename_follows_formulas(
    sheets: Any,
) -> None:
    service = sheets(OWNER)
    sid = _create(service, {"sheets": [{"properties": {"title": t}} for t in ("S1", "S2", "S3")]})
    first = service.spreadsheets().get(spreadsheetId=sid).execute()["sheets"][0]
    batch(
        service,
        sid,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": first["properties"]["sheetId"], "index": 2},
                "fields": "index",
            }
        },
    )
    assert _titles(service, sid) == ["S2", "S1", "S3"]
    service.spreadsheets().values().update(
        spreadsheetId=sid,
        range="S3!A1",
        valueInputOption="USER_ENTERED",
        body={"values": [["=S1!B2*2"]]},
    ).execute()
    batch(
        service,
        sid,
        {
            "updateSheetProperties": {
                "properties": {"sheetId": first["properties"]["sheetId"], "title": "My Plan"},
                "fields": "title",
            }
        },
    )
    got = (
        service.spreadsheets()
        .values()
        .get(spreadsheetId=sid, range="S3!A1", valueRenderOption="FORMULA")
        .execute()
    )
    assert got["values"] == [["='My Plan'!B2*2"]]


def test_spreadsheet_title_rename_renames_the_drive_file(sheets: Any, drive: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    batch(
        service,
        sid,
        {"updateSpreadsheetProperties": {"properties": {"title": "MAP: Acme"}, "fields": "title"}},
    )
    assert service.spreadsheets().get(spreadsheetId=sid).execute()["properties"]["title"] == (
        "MAP: Acme"
    )
    try:
        name = drive(OWNER).files().get(fileId=sid, fields="name").execute()["name"]
    except HttpError as exc:
        if exc.status_code == 501:
            pytest.skip("Drive files.get not implemented yet")
        raise
    assert name == "MAP: Acme"


def test_duplicate_sheet_copies_cells_and_gives_new_ids(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    service.spreadsheets().values().update(
        spreadsheetId=sid, range="Sheet1!A1", valueInputOption="RAW", body={"values": [["a"]]}
    ).execute()
    batch(
        service,
        sid,
        {
            "mergeCells": {
                "range": {
                    "sheetId": 0,
                    "startRowIndex": 1,
                    "endRowIndex": 2,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                },
            }
        },
    )
    reply = batch(service, sid, {"duplicateSheet": {"sourceSheetId": 0}})
    props = reply["replies"][0]["duplicateSheet"]["properties"]
    assert props["title"] == "Copy of Sheet1" and props["index"] == 1
    got = service.spreadsheets().get(spreadsheetId=sid).execute()
    copy_sheet = got["sheets"][1]
    assert copy_sheet["merges"][0]["sheetId"] == props["sheetId"] != 0
    values = (
        service.spreadsheets()
        .values()
        .get(spreadsheetId=sid, range="'Copy of Sheet1'!A1")
        .execute()
    )
    assert values["values"] == [["a"]]


def test_add_sheet_refusals_use_googles_words(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = _create(service)
    assert refused(lambda: batch(service, sid, {"addSheet": {"properties": {"sheetId": 0}}})) == (
        400,
        "Invalid requests[0].addSheet: Sheet with id 0 already exists.",
    )
    long_name = {"addSheet": {"properties": {"title": "x" * 101}}}
    assert refused(lambda: batch(service, sid, long_name)) == (
        400,
        "Invalid requests[0].addSheet: The sheet name cannot be greater than 100 characters.",
    )
