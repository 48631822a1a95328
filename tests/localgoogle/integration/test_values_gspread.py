"""gspread's everyday flows against the stand-in, as the add-on and scripts use them.

gspread builds its own requests (quoted sheet titles, `'Plan'!A1:B2`, whole-sheet ranges, append
with table ranges), so these flows check the stand-in accepts exactly what a second real client
sends. Contracts: https://docs.gspread.org/en/latest/api/models/worksheet.html and the Sheets
values reference, https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values
"""

from __future__ import annotations

from typing import Any

import gspread
import pytest
from gspread.utils import ValueInputOption, ValueRenderOption

OWNER = "ann@acme.test"


@pytest.fixture
def book(sheets: Any, gspread_as: Any) -> gspread.Spreadsheet:
    body = {"sheets": [{"properties": {"title": "Plan"}}, {"properties": {"title": "Bob's notes"}}]}
    sid = sheets(OWNER).spreadsheets().create(body=body).execute()["spreadsheetId"]
    opened: gspread.Spreadsheet = gspread_as(OWNER).open_by_key(sid)
    return opened


@pytest.fixture
def plan(book: gspread.Spreadsheet) -> gspread.Worksheet:
    worksheet = book.worksheet("Plan")
    worksheet.update(
        [["Step", "Owner", "Days"], ["Kickoff", "Seller", 3], ["Security review", "Buyer", 10]],
        "A1",
    )
    return worksheet


def test_open_by_key_lists_worksheets_and_finds_them_by_title(
    book: gspread.Spreadsheet,
) -> None:
    assert [ws.title for ws in book.worksheets()] == ["Plan", "Bob's notes"]
    assert book.worksheet("Bob's notes").index == 1
    with pytest.raises(gspread.exceptions.WorksheetNotFound):
        book.worksheet("Nope")


def test_get_all_values_and_records(plan: gspread.Worksheet) -> None:
    assert plan.get_all_values() == [
        ["Step", "Owner", "Days"],
        ["Kickoff", "Seller", "3"],
        ["Security review", "Buyer", "10"],
    ]
    assert plan.get_all_records() == [
        {"Step": "Kickoff", "Owner": "Seller", "Days": 3},
        {"Step": "Security review", "Owner": "Buyer", "Days": 10},
    ]


def test_update_in_a_sheet_whose_title_needs_quoting(book: gspread.Spreadsheet) -> None:
    notes = book.worksheet("Bob's notes")
    result = notes.update([["a", "b"]], "B2")
    assert result["updatedRange"] == "'Bob''s notes'!B2:C2"
    assert notes.get_all_values() == [["", "", ""], ["", "a", "b"]]


def test_update_user_entered_evaluates_and_acell_reads_back(plan: gspread.Worksheet) -> None:
    plan.update([["=SUM(C2:C3)"]], "C4", value_input_option=ValueInputOption.user_entered)
    assert plan.acell("C4").value == "13"
    assert plan.acell("C4", value_render_option=ValueRenderOption.formula).value == "=SUM(C2:C3)"
    plan.update_acell("C2", "=1+4")  # update_acell sends USER_ENTERED
    assert plan.acell("C4").value == "15"
    assert plan.cell(2, 3).value == "5"


def test_append_row_and_rows_go_below_the_table(plan: gspread.Worksheet) -> None:
    plan.append_row(["Legal", "Buyer", 5])
    result = plan.append_rows([["Signature", "Both", 1], ["Go-live", "Both", 0]], table_range="A1")
    assert result["updates"]["updatedRange"] == "Plan!A5:C6"
    assert plan.col_values(1) == [
        "Step",
        "Kickoff",
        "Security review",
        "Legal",
        "Signature",
        "Go-live",
    ]
    assert plan.row_values(6) == ["Go-live", "Both", "0"]


def test_batch_get_returns_value_ranges_with_their_ranges(plan: gspread.Worksheet) -> None:
    first, second = plan.batch_get(["A1:B1", "C2:C3"])
    assert first == [["Step", "Owner"]]
    assert first.range == "Plan!A1:B1"
    assert second == [["3"], ["10"]]


def test_batch_update_writes_several_ranges(plan: gspread.Worksheet) -> None:
    result = plan.batch_update(
        [
            {"range": "A2", "values": [["Kick-off"]]},
            {"range": "D1:D3", "values": [["Status"], ["Done"], ["Blocked"]]},
        ]
    )
    assert result["totalUpdatedCells"] == 4
    assert plan.row_values(1) == ["Step", "Owner", "Days", "Status"]
    assert plan.col_values(4) == ["Status", "Done", "Blocked"]
    assert plan.acell("A2").value == "Kick-off"


def test_clear_and_batch_clear_empty_values(plan: gspread.Worksheet) -> None:
    plan.batch_clear(["B2:C3"])
    assert plan.get_all_values() == [
        ["Step", "Owner", "Days"],
        ["Kickoff", "", ""],
        ["Security review", "", ""],
    ]
    plan.clear()
    # gspread pads the empty answer to [[]], as with the real API (its test_clear cassette).
    assert plan.get_all_values() == [[]]
