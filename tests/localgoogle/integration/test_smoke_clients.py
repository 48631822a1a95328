"""Both real client libraries reach the stand-in and read back what they wrote."""

from __future__ import annotations

from typing import Any


def test_api_client_creates_and_reads_values(sheets: Any) -> None:
    service = sheets("ann@acme.test")
    created = service.spreadsheets().create(body={"properties": {"title": "Smoke"}}).execute()
    sid = created["spreadsheetId"]
    service.spreadsheets().values().update(
        spreadsheetId=sid, range="Sheet1!A1", valueInputOption="RAW", body={"values": [["x", 2]]}
    ).execute()
    got = service.spreadsheets().values().get(spreadsheetId=sid, range="Sheet1!A1:B1").execute()
    assert got == {"range": "Sheet1!A1:B1", "majorDimension": "ROWS", "values": [["x", "2"]]}


def test_gspread_opens_by_key_and_reads_rows(gspread_as: Any, sheets: Any) -> None:
    created = sheets("ann@acme.test").spreadsheets().create(body={}).execute()
    client = gspread_as("ann@acme.test")
    worksheet = client.open_by_key(created["spreadsheetId"]).sheet1
    worksheet.update([["a", "b"], ["c", "d"]], "A1")
    assert worksheet.get_all_values() == [["a", "b"], ["c", "d"]]
