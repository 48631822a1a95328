"""Protected ranges enforced on values writes for writers who are not among their editors.

Contracts:
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#ProtectedRange
  (editors: "The users and groups with edit access to the protected range."; warningOnly: "When
  a warning-only protection is used, every user can edit data in the protected range.")
- https://support.google.com/docs/answer/1218656 (the owner can always edit)
- https://developers.google.com/drive/api/reference/rest/v3/permissions/create (sharing)
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError

OWNER = "ann@acme.test"
BUYER = "bob@buyer.test"  # a writer, not an editor of the protected ranges
CHAMPION = "cat@buyer.test"  # a writer listed as an editor of the header protection
PROTECTED = (
    "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to "
    "remove protection if you need to edit."
)


def share(drive: Any, sid: str, email: str, role: str = "writer") -> None:
    body = {"type": "user", "role": role, "emailAddress": email}
    try:
        drive(OWNER).permissions().create(
            fileId=sid, body=body, sendNotificationEmail=False
        ).execute()
    except HttpError as exc:
        if exc.resp.status == 501:
            pytest.skip("Drive permissions not implemented yet")
        raise


@pytest.fixture
def sid(sheets: Any, drive: Any) -> str:
    body = {
        "sheets": [
            {
                "properties": {"sheetId": 0, "title": "Plan"},
                "protectedRanges": [
                    {
                        "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
                        "description": "Header",
                        "editors": {"users": [OWNER, CHAMPION]},
                    },
                    {
                        "range": {"sheetId": 0, "startColumnIndex": 5, "endColumnIndex": 6},
                        "description": "Seller notes: warn only",
                        "warningOnly": True,
                    },
                ],
            },
            {
                "properties": {"sheetId": 1, "title": "Activity"},
                "protectedRanges": [
                    {
                        "range": {"sheetId": 1},
                        "description": "Written by the backend only",
                        "editors": {"users": [OWNER]},
                        "unprotectedRanges": [
                            {"sheetId": 1, "startColumnIndex": 3, "endColumnIndex": 4}
                        ],
                    }
                ],
            },
        ]
    }
    spreadsheet_id = str(sheets(OWNER).spreadsheets().create(body=body).execute()["spreadsheetId"])
    share(drive, spreadsheet_id, BUYER)
    share(drive, spreadsheet_id, CHAMPION)
    return spreadsheet_id


def update(sheets: Any, email: str, sid: str, rng: str) -> dict[str, Any]:
    result: dict[str, Any] = (
        sheets(email)
        .spreadsheets()
        .values()
        .update(spreadsheetId=sid, range=rng, valueInputOption="RAW", body={"values": [["v"]]})
        .execute()
    )
    return result


def refused(call: Any) -> dict[str, Any]:
    with pytest.raises(HttpError) as caught:
        call.execute()
    assert caught.value.resp.status == 400
    error: dict[str, Any] = json.loads(caught.value.content)["error"]
    return error


def test_writer_outside_the_editors_cannot_update_a_protected_cell(sheets: Any, sid: str) -> None:
    call = (
        sheets(BUYER)
        .spreadsheets()
        .values()
        .update(
            spreadsheetId=sid, range="Plan!B1", valueInputOption="RAW", body={"values": [["x"]]}
        )
    )
    assert refused(call) == {"code": 400, "message": PROTECTED, "status": "INVALID_ARGUMENT"}
    got = sheets(OWNER).spreadsheets().values().get(spreadsheetId=sid, range="Plan!B1").execute()
    assert "values" not in got


def test_writer_outside_the_editors_cannot_clear_a_protected_cell(sheets: Any, sid: str) -> None:
    update(sheets, OWNER, sid, "Plan!A1")
    values = sheets(BUYER).spreadsheets().values()
    assert refused(values.clear(spreadsheetId=sid, range="Plan!A1:B2", body={}))["message"] == (
        PROTECTED
    )
    assert refused(values.batchClear(spreadsheetId=sid, body={"ranges": ["Plan"]}))["message"] == (
        PROTECTED
    )
    got = sheets(OWNER).spreadsheets().values().get(spreadsheetId=sid, range="Plan!A1").execute()
    assert got["values"] == [["v"]]


def test_a_protected_cell_anywhere_in_a_batch_refuses_the_whole_batch(
    sheets: Any, sid: str
) -> None:
    body = {
        "valueInputOption": "RAW",
        "data": [
            {"range": "Plan!A2", "values": [["free"]]},
            {"range": "Activity!A5", "values": [["locked"]]},
        ],
    }
    call = sheets(BUYER).spreadsheets().values().batchUpdate(spreadsheetId=sid, body=body)
    assert refused(call)["message"].endswith(PROTECTED)
    got = sheets(OWNER).spreadsheets().values().get(spreadsheetId=sid, range="Plan!A2").execute()
    assert "values" not in got


def test_writer_outside_the_editors_may_write_unprotected_cells(sheets: Any, sid: str) -> None:
    assert update(sheets, BUYER, sid, "Plan!A2")["updatedRange"] == "Plan!A2"
    # An unprotected range carved out of a whole-sheet protection.
    assert update(sheets, BUYER, sid, "Activity!D7")["updatedRange"] == "Activity!D7"


def test_owner_and_listed_editors_may_write_protected_cells(sheets: Any, sid: str) -> None:
    assert update(sheets, OWNER, sid, "Plan!A1")["updatedRange"] == "Plan!A1"
    assert update(sheets, CHAMPION, sid, "Plan!B1")["updatedRange"] == "Plan!B1"
    assert update(sheets, OWNER, sid, "Activity!A1")["updatedRange"] == "Activity!A1"


def test_warning_only_protection_never_blocks(sheets: Any, sid: str) -> None:
    assert update(sheets, BUYER, sid, "Plan!F9")["updatedRange"] == "Plan!F9"
    sheets(BUYER).spreadsheets().values().clear(
        spreadsheetId=sid, range="Plan!F9", body={}
    ).execute()


def test_append_by_a_non_editor_into_a_protected_sheet_is_refused(sheets: Any, sid: str) -> None:
    call = (
        sheets(BUYER)
        .spreadsheets()
        .values()
        .append(
            spreadsheetId=sid,
            range="Activity!A1",
            valueInputOption="RAW",
            body={"values": [["sneaky"]]},
        )
    )
    assert refused(call)["message"] == PROTECTED


def protections_seen_by(sheets: Any, email: str, sid: str) -> dict[str, dict[str, Any]]:
    got = sheets(email).spreadsheets().get(spreadsheetId=sid).execute()
    return {
        p["description"]: p for sheet in got["sheets"] for p in sheet.get("protectedRanges", [])
    }


def test_get_tells_each_caller_whether_they_may_edit_each_protected_range(
    sheets: Any, drive: Any, sid: str
) -> None:
    # ProtectedRange.requestingUserCanEdit: "True if the user who requested this protected range
    # can edit the protected area."; editors: "This field is only visible to users with edit
    # access to the protected range and the document itself."
    share(drive, sid, "dan@buyer.test", role="reader")
    owner = protections_seen_by(sheets, OWNER, sid)
    assert owner["Header"]["requestingUserCanEdit"] is True
    assert owner["Header"]["editors"] == {"users": [OWNER, CHAMPION]}
    assert protections_seen_by(sheets, CHAMPION, sid)["Header"]["requestingUserCanEdit"] is True
    buyer = protections_seen_by(sheets, BUYER, sid)
    # false is the proto3 default, which Google leaves out of its answers.
    assert "requestingUserCanEdit" not in buyer["Header"]
    assert "editors" not in buyer["Header"]
    assert "requestingUserCanEdit" not in buyer["Written by the backend only"]
    reader = protections_seen_by(sheets, "dan@buyer.test", sid)
    assert all("requestingUserCanEdit" not in p for p in reader.values())
    assert all("editors" not in p for p in reader.values())
