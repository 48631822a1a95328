"""Named ranges: updateNamedRange, and a named range written after a sheet name.

https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#UpdateNamedRangeRequest
https://developers.google.com/sheets/api/guides/concepts#cell (A1 notation; a named range stands
for its grid range wherever a range is accepted)
"""

from __future__ import annotations

from typing import Any

import gspread
from fidelity_helpers import batch, create, refusal

OWNER = "ann@acme.test"


def _values(service: Any, sid: str, a1: str) -> list[list[str]]:
    got = service.spreadsheets().values().get(spreadsheetId=sid, range=a1).execute()
    return list(got.get("values", []))


def test_update_named_range_renames_and_moves_it(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    service.spreadsheets().values().update(
        spreadsheetId=sid,
        range="A1:B2",
        valueInputOption="RAW",
        body={"values": [["a", "b"], ["c", "d"]]},
    ).execute()
    added = batch(
        service,
        sid,
        {"addNamedRange": {"namedRange": {"name": "Steps", "range": {"endRowIndex": 1}}}},
    )
    named_id = added["replies"][0]["addNamedRange"]["namedRange"]["namedRangeId"]
    reply = batch(
        service,
        sid,
        {
            "updateNamedRange": {
                "namedRange": {
                    "namedRangeId": named_id,
                    "name": "Owners",
                    "range": {"startRowIndex": 1, "endRowIndex": 2, "endColumnIndex": 1},
                },
                "fields": "name,range",
            }
        },
    )
    assert reply["replies"] == [{}]
    got = service.spreadsheets().get(spreadsheetId=sid, fields="namedRanges").execute()
    assert got["namedRanges"] == [
        {
            "namedRangeId": named_id,
            "name": "Owners",
            "range": {"startRowIndex": 1, "endRowIndex": 2, "endColumnIndex": 1},
        }
    ]
    assert _values(service, sid, "Owners") == [["c"]]
    status, error = refusal(lambda: _values(service, sid, "Steps"))
    assert (status, error["message"]) == (400, "Unable to parse range: Steps")


def test_update_named_range_to_a_taken_name_is_refused_not_a_server_error(sheets: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    added = batch(
        service,
        sid,
        {"addNamedRange": {"namedRange": {"name": "One", "range": {"endRowIndex": 1}}}},
        {"addNamedRange": {"namedRange": {"name": "Two", "range": {"endRowIndex": 2}}}},
    )
    two = added["replies"][1]["addNamedRange"]["namedRange"]["namedRangeId"]
    request = {"namedRange": {"namedRangeId": two, "name": "one"}, "fields": "name"}
    status, error = refusal(lambda: batch(service, sid, {"updateNamedRange": request}))
    assert status == 400
    assert error["message"].startswith("Invalid requests[0].updateNamedRange: ")


def test_a_named_range_after_its_sheet_name_resolves(sheets: Any, gspread_as: Any) -> None:
    service = sheets(OWNER)
    sid = create(service)
    service.spreadsheets().values().update(
        spreadsheetId=sid, range="A1", valueInputOption="RAW", body={"values": [["x"]]}
    ).execute()
    batch(
        service,
        sid,
        {"addNamedRange": {"namedRange": {"name": "Head", "range": {"endRowIndex": 1}}}},
    )
    assert _values(service, sid, "'Sheet1'!Head") == [["x"]]
    assert _values(service, sid, "Sheet1!Head") == [["x"]]
    status, _ = refusal(lambda: _values(service, sid, "'Nowhere'!Head"))
    assert status == 400
    # gspread's Worksheet.get sends `'Sheet1'!Head` for a named range.
    ws = gspread_as(OWNER).open_by_key(sid).sheet1
    assert ws.get("Head") == [["x"]]


def test_gspread_defines_lists_and_deletes_named_ranges(gspread_as: Any) -> None:
    book: gspread.Spreadsheet = gspread_as(OWNER).create("Named")
    ws = book.sheet1
    ws.update([["Step", "Owner"], ["Kickoff", "Buyer"]], "A1")
    ws.define_named_range("A1:B2", "Plan")
    (named,) = book.list_named_ranges()
    assert named["name"] == "Plan"
    assert named["range"] == {
        "startRowIndex": 0,
        "endRowIndex": 2,
        "startColumnIndex": 0,
        "endColumnIndex": 2,
    }
    assert ws.get("Plan") == [["Step", "Owner"], ["Kickoff", "Buyer"]]
    ws.delete_named_range(named["namedRangeId"])
    assert book.list_named_ranges() == []
