"""gspread's public API, as the product's users are likely to call it, against the stand-in.

Each call goes through gspread unchanged (only its hosts are pointed at the stand-in); what it
reads back is what the Sheets v4 and Drive v3 references document
(https://developers.google.com/sheets/api/reference/rest, https://docs.gspread.org/en/latest/api/).
A regression here is a script of a user's that would break against the stand-in.
"""

from __future__ import annotations

from typing import Any

import gspread
import pytest
from gspread.utils import ExportFormat, ValueInputOption, ValueRenderOption

OWNER = "ann@acme.test"
BUYER = "bob@buyer.test"


@pytest.fixture
def client(gspread_as: Any) -> gspread.Client:
    made: gspread.Client = gspread_as(OWNER)
    return made


@pytest.fixture
def book(client: gspread.Client) -> gspread.Spreadsheet:
    return client.create("MAP fidelity")


def test_open_by_key_url_and_title(client: gspread.Client, book: gspread.Spreadsheet) -> None:
    assert client.open_by_key(book.id).title == "MAP fidelity"
    assert client.open_by_url(book.url).id == book.id
    assert client.open("MAP fidelity").id == book.id
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        client.open("No such plan")
    assert book.id in [s["id"] for s in client.list_spreadsheet_files()]


def test_spreadsheet_title_locale_and_timezone(
    client: gspread.Client, book: gspread.Spreadsheet
) -> None:
    book.update_title("Renamed plan")
    book.update_timezone("Europe/Paris")
    book.update_locale("fr_FR")
    again = client.open_by_key(book.id)
    assert (again.title, again.timezone, again.locale) == (
        "Renamed plan",
        "Europe/Paris",
        "fr_FR",
    )


def test_worksheet_crud_and_order(book: gspread.Spreadsheet) -> None:
    plan = book.add_worksheet("Plan", rows=20, cols=5)
    deal = book.add_worksheet("Deal", rows=10, cols=3, index=0)
    assert [ws.title for ws in book.worksheets()] == ["Deal", "Sheet1", "Plan"]
    assert book.get_worksheet(2).id == plan.id
    assert book.get_worksheet_by_id(deal.id).title == "Deal"
    plan.update_title("Steps")
    copy = book.duplicate_sheet(plan.id, new_sheet_name="Steps copy")
    book.reorder_worksheets([copy, plan, deal, book.worksheet("Sheet1")])
    assert [ws.title for ws in book.worksheets()] == ["Steps copy", "Steps", "Deal", "Sheet1"]
    book.del_worksheet(copy)
    book.del_worksheet_by_id(deal.id)
    assert [ws.title for ws in book.worksheets()] == ["Steps", "Sheet1"]
    with pytest.raises(gspread.exceptions.WorksheetNotFound):
        book.worksheet("Deal")
    hidden = book.worksheet("Sheet1")
    hidden.hide()
    assert book.worksheet("Sheet1").isSheetHidden is True
    hidden.show()
    assert book.worksheet("Sheet1").isSheetHidden is False


def test_values_get_update_and_cells(book: gspread.Spreadsheet) -> None:
    ws = book.sheet1
    ws.update(
        [["Step", "Days", "Done"], ["Kickoff", 3, True], ["Review", "=B2*2", False]],
        "A1",
        value_input_option=ValueInputOption.user_entered,
    )
    assert ws.get("A1:C3") == [
        ["Step", "Days", "Done"],
        ["Kickoff", "3", "TRUE"],
        ["Review", "6", "FALSE"],
    ]
    unformatted = ws.get("B2:C3", value_render_option=ValueRenderOption.unformatted)
    assert unformatted == [[3, True], [6, False]]
    assert ws.get("B3", value_render_option=ValueRenderOption.formula) == [["=B2*2"]]
    assert ws.acell("A2").value == "Kickoff"
    assert ws.cell(3, 2).value == "6"
    ws.update_acell("B2", 5)
    ws.update_cell(2, 1, "Kick-off")
    assert ws.row_values(2) == ["Kick-off", "5", "TRUE"]
    assert ws.col_values(2) == ["Days", "5", "10"]
    assert ws.get_all_records() == [
        {"Step": "Kick-off", "Days": 5, "Done": "TRUE"},
        {"Step": "Review", "Days": 10, "Done": "FALSE"},
    ]
    ws.update([["raw =1+1"]], "D1", value_input_option=ValueInputOption.raw)
    assert ws.acell("D1").value == "raw =1+1"
    found = ws.find("Review")
    assert found is not None and (found.row, found.col) == (3, 1)


def test_values_append_batch_and_clear(book: gspread.Spreadsheet) -> None:
    ws = book.sheet1
    ws.append_row(["Step", "Owner"])
    ws.append_rows([["Kickoff", "Buyer"], ["Review", "Seller"]])
    assert ws.get_all_values() == [["Step", "Owner"], ["Kickoff", "Buyer"], ["Review", "Seller"]]
    ws.batch_update(
        [
            {"range": "C1", "values": [["Due"]]},
            {"range": "C2:C3", "values": [["1/5/2026"], ["2/5/2026"]]},
        ],
        value_input_option=ValueInputOption.user_entered,
    )
    assert ws.batch_get(["A1:A2", "C2"]) == [[["Step"], ["Kickoff"]], [["1/5/2026"]]]
    ws.batch_clear(["A3:C3"])
    assert len(ws.get_all_values()) == 2
    ws.clear()
    assert ws.get_all_values() == [[]]  # gspread's answer for a range without values
    values = book.values_batch_get(["Sheet1!A1"])
    assert values["valueRanges"][0]["range"] == "Sheet1!A1"


def test_rows_and_columns(book: gspread.Spreadsheet) -> None:
    ws = book.sheet1
    ws.update([["a"], ["b"], ["c"]], "A1")
    ws.insert_row(["new"], index=2)
    ws.insert_rows([["x"], ["y"]], row=1)
    assert ws.col_values(1) == ["x", "y", "a", "new", "b", "c"]
    ws.delete_rows(1, 2)
    ws.insert_cols([["col"]], col=1)
    assert ws.row_values(1) == ["col", "a"]
    ws.delete_columns(1)
    ws.resize(rows=10, cols=4)
    ws.add_rows(5)
    ws.add_cols(1)
    again = book.worksheet("Sheet1")
    assert (again.row_count, again.col_count) == (15, 5)
    ws.sort((1, "des"), range="A1:A4")
    assert ws.col_values(1) == ["new", "c", "b", "a"]


def test_formatting_merges_freeze_notes_and_dimensions(book: gspread.Spreadsheet) -> None:
    ws = book.sheet1
    ws.update([["Step", "Owner"], ["Kickoff", "Buyer"]], "A1")
    ws.format("A1:B1", {"textFormat": {"bold": True}, "backgroundColor": {"red": 1}})
    ws.batch_format([{"range": "A2", "format": {"horizontalAlignment": "CENTER"}}])
    ws.merge_cells("C1:D1")
    ws.freeze(rows=1, cols=1)
    ws.insert_note("A1", "What to do")
    ws.hide_columns(3, 4)
    ws.set_basic_filter("A1:B2")
    meta = book.fetch_sheet_metadata({"includeGridData": "true", "ranges": ["Sheet1!A1:A2"]})[
        "sheets"
    ][0]
    header, row = (r["values"][0] for r in meta["data"][0]["rowData"])
    assert header["userEnteredFormat"]["backgroundColorStyle"] == {"rgbColor": {"red": 1}}
    assert header["note"] == "What to do"
    assert row["userEnteredFormat"]["horizontalAlignment"] == "CENTER"
    assert meta["merges"] == [
        {"startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 2, "endColumnIndex": 4}
    ]
    assert meta["basicFilter"]["range"] == {
        "startRowIndex": 0,
        "endRowIndex": 2,
        "startColumnIndex": 0,
        "endColumnIndex": 2,
    }
    again = book.worksheet("Sheet1")
    assert (again.frozen_row_count, again.frozen_col_count) == (1, 1)
    assert ws.get_note("A1") == "What to do"
    ws.clear_note("A1")
    ws.unmerge_cells("C1:D1")
    ws.unhide_columns(3, 4)
    ws.clear_basic_filter()
    ws.freeze(rows=0, cols=0)
    meta = book.fetch_sheet_metadata()["sheets"][0]
    assert set(meta) == {"properties"}
    assert meta["properties"]["gridProperties"] == {"rowCount": 1000, "columnCount": 26}


def test_named_and_protected_ranges(book: gspread.Spreadsheet, gspread_as: Any) -> None:
    ws = book.sheet1
    ws.update([["Step"], ["Kickoff"]], "A1")
    ws.define_named_range("A1:A2", "Steps")
    assert ws.get("Steps") == [["Step"], ["Kickoff"]]
    ws.add_protected_range("A1", editor_users_emails=[OWNER], description="Header")
    book.share(BUYER, perm_type="user", role="writer", notify=False)
    (protected,) = book.list_protected_ranges(ws.id)
    assert protected["description"] == "Header"
    assert protected["editors"] == {"users": [OWNER]}
    assert "warningOnly" not in protected
    buyer_ws = gspread_as(BUYER).open_by_key(book.id).sheet1
    with pytest.raises(gspread.exceptions.APIError) as info:
        buyer_ws.update_acell("A1", "mine")
    assert "protected cell" in str(info.value)
    buyer_ws.update_acell("A2", "Kick-off")  # outside the protection
    ws.delete_protected_range(protected["protectedRangeId"])
    buyer_ws.update_acell("A1", "Task")
    assert ws.get("Steps") == [["Task"], ["Kick-off"]]


def test_sharing_and_permissions(book: gspread.Spreadsheet, gspread_as: Any) -> None:
    book.share(BUYER, perm_type="user", role="reader", notify=False)
    emails = {p.get("emailAddress") for p in book.list_permissions()}
    assert emails == {OWNER, BUYER}
    assert gspread_as(BUYER).open_by_key(book.id).sheet1.get_all_values() == [[]]
    book.remove_permissions(BUYER)
    # Sheets answers 403 "The caller does not have permission" once access is gone; gspread
    # raises PermissionError for it.
    with pytest.raises(PermissionError):
        gspread_as(BUYER).open_by_key(book.id)


def test_copy_and_export(client: gspread.Client, book: gspread.Spreadsheet) -> None:
    book.sheet1.update([["Step", "Days"], ["Kickoff", 3]], "A1")
    copied = client.copy(book.id, title="Copy of plan", copy_permissions=False)
    assert copied.sheet1.get_all_values() == [["Step", "Days"], ["Kickoff", "3"]]
    assert book.export(ExportFormat.CSV) == b"Step,Days\r\nKickoff,3\r\n"
    assert book.export(ExportFormat.PDF).startswith(b"%PDF")
    client.del_spreadsheet(copied.id)
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        client.open_by_key(copied.id)
