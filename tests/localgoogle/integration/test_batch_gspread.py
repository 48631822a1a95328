"""What gspread sends through spreadsheets.batchUpdate works against the stand-in unchanged."""

from __future__ import annotations

from typing import Any

import gspread
import pytest

OWNER = "ann@acme.test"


@pytest.fixture
def book(gspread_as: Any) -> gspread.Spreadsheet:
    client = gspread_as(OWNER)
    spreadsheet: gspread.Spreadsheet = client.create("MAP gspread")
    return spreadsheet


def test_add_and_delete_worksheets(book: gspread.Spreadsheet) -> None:
    plan = book.add_worksheet("Plan", rows=50, cols=9)
    assert (plan.title, plan.row_count, plan.col_count) == ("Plan", 50, 9)
    copied = book.duplicate_sheet(plan.id, new_sheet_name="Plan copy")
    assert copied.title == "Plan copy"
    book.del_worksheet(copied)
    assert [ws.title for ws in book.worksheets()] == ["Sheet1", "Plan"]
    with pytest.raises(gspread.exceptions.APIError) as info:
        book.add_worksheet("plan", rows=1, cols=1)
    assert "already exists" in str(info.value)


def test_format_merge_freeze_and_resize(book: gspread.Spreadsheet) -> None:
    ws = book.sheet1
    ws.update([["Step", "Owner"], ["Kickoff", "Buyer"]], "A1")
    ws.format("A1:B1", {"textFormat": {"bold": True}, "backgroundColor": {"red": 0.9}})
    ws.format("A1", {"horizontalAlignment": "CENTER"})
    ws.merge_cells("C1:D2")
    ws.freeze(rows=1)
    ws.resize(rows=20, cols=5)
    got = book.fetch_sheet_metadata({"includeGridData": "true", "ranges": "Sheet1!A1:B1"})[
        "sheets"
    ][0]
    cells = got["data"][0]["rowData"][0]["values"]
    assert cells[0]["userEnteredFormat"] == {
        "textFormat": {"bold": True},
        "backgroundColor": {"red": 0.9},
        "backgroundColorStyle": {"rgbColor": {"red": 0.9}},  # Google answers both twins
        "horizontalAlignment": "CENTER",
    }
    assert cells[1]["userEnteredFormat"]["textFormat"] == {"bold": True}
    assert got["merges"] == [
        {  # no sheetId: 0 is the proto3 default Google leaves out
            "startRowIndex": 0,
            "endRowIndex": 2,
            "startColumnIndex": 2,
            "endColumnIndex": 4,
        }
    ]
    assert got["properties"]["gridProperties"] == {
        "rowCount": 20,
        "columnCount": 5,
        "frozenRowCount": 1,
    }
    ws.unmerge_cells("C1:D2")
    assert "merges" not in book.fetch_sheet_metadata()["sheets"][0]


def test_insert_and_delete_rows_and_columns(book: gspread.Spreadsheet) -> None:
    ws = book.sheet1
    ws.update([["a"], ["b"], ["c"]], "A1")
    ws.insert_rows([["x"], ["y"]], row=2)
    assert ws.col_values(1) == ["a", "x", "y", "b", "c"]
    ws.delete_rows(2, 3)
    assert ws.col_values(1) == ["a", "b", "c"]
    ws.insert_cols([["left"]], col=1)
    assert ws.row_values(1) == ["left", "a"]
    ws.delete_columns(1)
    assert ws.row_values(1) == ["a"]
    ws.add_rows(5)
    assert ws.row_count == 1005


def test_spreadsheet_batch_update_and_sheet_properties(book: gspread.Spreadsheet) -> None:
    ws = book.sheet1
    reply = book.batch_update(
        {
            "requests": [
                {"addSheet": {"properties": {"title": "Deal"}}},
                {
                    "updateSpreadsheetProperties": {
                        "properties": {"title": "MAP: Initech"},
                        "fields": "title",
                    }
                },
            ]
        }
    )
    assert reply["replies"][0]["addSheet"]["properties"]["title"] == "Deal"
    ws.update_title("Plan")
    ws.update_tab_color("#ff0000")
    ws.hide_columns(2, 4)
    ws.columns_auto_resize(0, 1)
    deal = book.worksheet("Deal")
    deal.update_index(0)
    meta = book.fetch_sheet_metadata()
    assert meta["properties"]["title"] == "MAP: Initech"
    assert [s["properties"]["title"] for s in meta["sheets"]] == ["Deal", "Plan"]
    assert meta["sheets"][1]["properties"]["tabColorStyle"]["rgbColor"]["red"] == 1


def test_sort_basic_filter_and_protection(book: gspread.Spreadsheet) -> None:
    ws = book.sheet1
    ws.update([["Step", "Due"], ["b", 2], ["a", 3], ["c", 1]], "A1")
    ws.sort((2, "asc"), range="A2:B4")
    assert ws.get_all_values() == [["Step", "Due"], ["c", "1"], ["b", "2"], ["a", "3"]]
    ws.set_basic_filter("A1:B4")
    assert book.fetch_sheet_metadata()["sheets"][0]["basicFilter"]["range"]["endRowIndex"] == 4
    ws.clear_basic_filter()
    ws.add_protected_range("A1:B1", editor_users_emails=[OWNER], description="header")
    (protected,) = book.fetch_sheet_metadata()["sheets"][0]["protectedRanges"]
    assert protected["description"] == "header"
    assert protected["editors"]["users"] == [OWNER]
    ws.delete_protected_range(protected["protectedRangeId"])
    assert "protectedRanges" not in book.fetch_sheet_metadata()["sheets"][0]
