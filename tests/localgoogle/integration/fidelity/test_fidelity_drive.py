"""Drive as Google answers it: files.export of a spreadsheet, the shared-drive flags, and the
Drive v2 media upload with conversion that gspread's `import_csv` sends.

https://developers.google.com/drive/api/reference/rest/v3/files/export
https://developers.google.com/drive/api/guides/ref-export-formats
https://developers.google.com/drive/api/guides/enable-shareddrives
https://developers.google.com/drive/api/v2/reference/files/update
"""

from __future__ import annotations

import io
from typing import Any

import gspread
import openpyxl
import pytest
from fidelity_helpers import create, refusal
from googleapiclient.http import HttpRequest
from gspread.utils import ExportFormat

OWNER = "ann@acme.test"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def plan(sheets: Any) -> str:
    service = sheets(OWNER)
    sid = create(service, "Export me")
    service.spreadsheets().batchUpdate(
        spreadsheetId=sid, body={"requests": [{"addSheet": {"properties": {"title": "Dates"}}}]}
    ).execute()
    service.spreadsheets().values().batchUpdate(
        spreadsheetId=sid,
        body={
            "valueInputOption": "USER_ENTERED",
            "data": [
                {
                    "range": "Sheet1!A1",
                    "values": [["Step", "Days"], ["Kickoff", 3], ["Total", "=B2*2"]],
                },
                {"range": "Dates!A1", "values": [["Go-live"]]},
            ],
        },
    ).execute()
    return sid


def test_export_as_xlsx_holds_every_sheet_with_values_and_formulas(drive: Any, plan: str) -> None:
    content = drive(OWNER).files().export(fileId=plan, mimeType=XLSX).execute()
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Sheet1", "Dates"]
    rows = [[c.value for c in row] for row in book["Sheet1"].iter_rows()]
    assert rows == [["Step", "Days"], ["Kickoff", 3], ["Total", "=B2*2"]]
    assert book["Dates"]["A1"].value == "Go-live"


def test_export_as_csv_is_the_first_sheet_formatted(drive: Any, plan: str) -> None:
    content = drive(OWNER).files().export(fileId=plan, mimeType="text/csv").execute()
    assert content == b"Step,Days\r\nKickoff,3\r\nTotal,6\r\n"


def test_export_as_pdf_is_a_pdf(drive: Any, plan: str) -> None:
    content = drive(OWNER).files().export(fileId=plan, mimeType="application/pdf").execute()
    assert content.startswith(b"%PDF-1.4\n") and content.rstrip().endswith(b"%%EOF")
    assert b"(Kickoff  3)" in content


def test_export_refuses_a_format_a_spreadsheet_has_not_and_strangers(drive: Any, plan: str) -> None:
    status, error = refusal(
        lambda: drive(OWNER).files().export(fileId=plan, mimeType="image/png").execute()
    )
    assert (status, error["errors"][0]["reason"]) == (400, "badRequest")
    status, _ = refusal(
        lambda: drive("eve@else.test").files().export(fileId=plan, mimeType=XLSX).execute()
    )
    assert status == 404


def test_gspread_exports_csv_and_xlsx(gspread_as: Any, plan: str) -> None:
    book = gspread_as(OWNER).open_by_key(plan)
    assert book.export(ExportFormat.CSV) == b"Step,Days\r\nKickoff,3\r\nTotal,6\r\n"
    assert book.export(ExportFormat.EXCEL).startswith(b"PK")


def test_files_get_accepts_the_shared_drive_flags_google_ignores(drive: Any, plan: str) -> None:
    service = drive(OWNER)
    request: HttpRequest = service.files().get(fileId=plan, fields="id,name")
    # google-api-python-client only sends what files.get lists; gspread sends more, as here.
    request.uri += "&supportsAllDrives=true&includeItemsFromAllDrives=true&supportsTeamDrives=true"
    assert request.execute() == {"id": plan, "name": "Export me"}


def test_gspread_reads_drive_metadata_with_its_shared_drive_flags(
    gspread_as: Any, plan: str
) -> None:
    book: gspread.Spreadsheet = gspread_as(OWNER).open_by_key(plan)
    assert book.get_lastUpdateTime()  # files.get with includeItemsFromAllDrives=true


def test_gspread_import_csv_replaces_the_spreadsheet_with_the_rows(
    gspread_as: Any, sheets: Any, plan: str
) -> None:
    client = gspread_as(OWNER)
    client.import_csv(plan, "Owner,Due\nBuyer,2026-03-01\nSeller,7\n")
    got = sheets(OWNER).spreadsheets().get(spreadsheetId=plan).execute()
    assert [s["properties"]["title"] for s in got["sheets"]] == ["Sheet1"]
    ws = client.open_by_key(plan).sheet1
    assert ws.get_all_values() == [["Owner", "Due"], ["Buyer", "2026-03-01"], ["Seller", "7"]]
    assert ws.get("B3", value_render_option="UNFORMATTED_VALUE") == [[7]]


def test_import_csv_needs_write_access(gspread_as: Any, plan: str) -> None:
    with pytest.raises(gspread.exceptions.APIError) as info:
        gspread_as("eve@else.test").import_csv(plan, "a,b\n")
    assert info.value.response.status_code == 404
