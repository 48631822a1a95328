"""Reading a buyer-edited Plan tab back into snapshot steps.

Contracts: /work/shared/DESIGN.md principle 4 "Buyer data is hostile input" and "The plan
spreadsheet"; `addon/domain/snapshot.py` for the shape produced.
"""

from __future__ import annotations

from typing import Any

from layout_examples import OWNER, example_body, make_plan, rows
from parse_examples import DEAL_ID, PLAN_HEADER, PLAN_ROWS, STEPS, kinds, only, previous, sheet

from addon.domain.layout import DEAL_TAB, PLAN_TAB, STAKEHOLDERS_TAB
from addon.domain.parse import ParsedPlan, new_step_id, parse_plan, values_by_tab
from addon.domain.snapshot import initial_snapshot


def parse(plan_rows: Any, before: Any = None) -> ParsedPlan:
    return parse_plan(sheet(plan=plan_rows), previous() if before is None else before, DEAL_ID)


def test_the_example_sheet_reads_into_its_snapshot_with_no_issues() -> None:
    parsed = parse(PLAN_ROWS)
    assert parsed.snapshot == previous()
    assert parsed.issues == ()
    assert parsed.step_id_writes == ()


def test_columns_are_found_by_header_in_any_order() -> None:
    order = [8, 6, 2, 0, 5, 1, 7, 3, 4]  # Notes, Status, Step, Step ID, Due date, ...
    shuffled = [[row[i] if i < len(row) else "" for i in order] for row in PLAN_ROWS]
    parsed = parse(shuffled)
    assert parsed.snapshot["steps"] == STEPS
    assert parsed.issues == ()


def test_header_synonyms_and_spacing_are_tolerated() -> None:
    header = [
        " # ",
        "STAGE",
        "Task",
        "Responsible  side",
        "who:",
        "Deadline (yyyy-mm-dd)",
        "state",
        "Completed-on",
        "Comments",
    ]
    parsed = parse([header, *PLAN_ROWS[1:]])
    assert parsed.snapshot["steps"] == STEPS
    assert parsed.issues == ()


def test_a_title_row_above_the_header_is_passed_over() -> None:
    parsed = parse([["Acme x Vendor: our plan"], [], *PLAN_ROWS])
    assert [(step["id"], step["row"]) for step in parsed.snapshot["steps"]] == [
        ("kickoff", 4),
        ("security", 5),
        ("order-form", 6),
        ("signature", 7),
    ]
    assert parsed.issues == ()


def test_buyer_added_row_gets_a_stable_id_and_a_write_back() -> None:
    added = ["", "Contract", "Procurement review", "Buyer", "", 46050, "Not started"]
    again = ["", "Contract", "Procurement review", "Buyer"]
    first = parse([*PLAN_ROWS, [], added, again])
    step_id = new_step_id(DEAL_ID, "Procurement review", 1)
    second_id = new_step_id(DEAL_ID, "Procurement review", 2)
    assert step_id.startswith("b-procurement-review-") and step_id != second_id
    assert first.step_id_writes == (("Plan!A7", step_id), ("Plan!A8", second_id))
    new = first.snapshot["steps"][4]
    assert new == {
        "id": step_id,
        "phase": "Contract",
        "name": "Procurement review",
        "owner_side": "Buyer",
        "owner": None,
        "due": "2026-01-28",
        "status": "Not started",
        "done_on": None,
        "notes": None,
        "row": 7,
    }
    # Read again before the write lands: the same ids. After it lands: no more writes.
    assert parse([*PLAN_ROWS, [], added, again]).step_id_writes == first.step_id_writes
    written = parse([*PLAN_ROWS, [], [step_id, *added[1:]], [second_id, *again[1:]]])
    assert written.step_id_writes == ()
    assert [s["id"] for s in written.snapshot["steps"]][4:] == [step_id, second_id]


def test_write_back_goes_to_the_step_id_column_wherever_it_moved() -> None:
    padded = [row + [""] * (9 - len(row)) for row in PLAN_ROWS]
    moved = [[*row[1:], row[0]] for row in padded]
    parsed = parse([*moved, ["Launch", "Train admins", "Buyer"]])
    assert parsed.step_id_writes == (("Plan!I6", new_step_id(DEAL_ID, "Train admins", 1)),)


def test_new_step_ids_are_stable_and_safe_for_any_name() -> None:
    assert new_step_id("d1", "Legal review", 1) == new_step_id("d1", "Legal review", 1)
    assert new_step_id("d1", "Legal review", 1) != new_step_id("d2", "Legal review", 1)
    assert new_step_id("d1", "Revue légale", 1).startswith("b-revue-legale-")
    assert new_step_id("d1", "בדיקה משפטית", 1).startswith("b-step-")
    assert len(new_step_id("d1", "x" * 500, 1)) == len("b-") + 24 + len("-") + 6
    assert new_step_id("d1", "\ud800 lone surrogate", 1).startswith("b-lone-surrogate-")


def test_text_in_a_date_cell_is_an_issue_with_its_address_and_keeps_the_previous_date() -> None:
    edited = [list(row) for row in PLAN_ROWS]
    edited[2][5] = "next Tuesday"
    parsed = parse(edited)
    assert parsed.snapshot["steps"][1]["due"] == "2026-01-21"
    issue = only(parsed.issues, "unreadable_date")
    assert (issue.tab, issue.cell) == ("Plan", "Plan!F3")
    assert "'next Tuesday'" in issue.message and issue.message.startswith("Plan!F3: ")


def test_absurd_serial_dates_are_reported_and_keep_the_previous_date() -> None:
    edited = [list(row) for row in PLAN_ROWS]
    edited[1][5] = 7  # 1900-01-06: a number typed into a date cell
    edited[2][5] = 99999999
    parsed = parse(edited)
    assert [s["due"] for s in parsed.snapshot["steps"][:2]] == ["2026-01-07", "2026-01-21"]
    assert kinds(parsed.issues) == ["date_out_of_range", "date_out_of_range"]
    assert [issue.cell for issue in parsed.issues] == ["Plan!F2", "Plan!F3"]


def test_statuses_are_matched_loosely_and_unknown_ones_keep_the_previous_status() -> None:
    edited = [list(row) for row in PLAN_ROWS]
    edited[1][6] = "complete"
    edited[2][6] = "Waiting on legal"
    edited[3][6] = "  WIP "
    edited[4][6] = ""
    parsed = parse(edited)
    statuses = [step["status"] for step in parsed.snapshot["steps"]]
    assert statuses == ["Done", "In progress", "In progress", "Not started"]
    issue = only(parsed.issues, "unknown_status")
    assert issue.cell == "Plan!G3" and "'Waiting on legal'" in issue.message


def test_unknown_owner_side_keeps_the_previous_one_and_owner_emails_are_lower_cased() -> None:
    edited = [list(row) for row in PLAN_ROWS]
    edited[1][3] = "them"
    edited[2][3] = "customer"
    edited[3][4] = " Sam@Vendor.TEST "
    edited[4][4] = "Dana from Legal"
    steps = parse(edited).snapshot["steps"]
    assert [s["owner_side"] for s in steps] == ["Both", "Buyer", "Seller", "Both"]
    assert [s["owner"] for s in steps] == [
        None,
        "ivy@acme.test",
        "sam@vendor.test",
        "Dana from Legal",
    ]
    assert kinds(parse(edited).issues) == ["unknown_owner_side"]


def test_a_row_with_an_id_but_no_name_keeps_the_previous_name() -> None:
    edited = [list(row) for row in PLAN_ROWS]
    edited[1][2] = ""
    parsed = parse([*edited, ["hand-typed", "", "", "", "", 46050]])
    assert parsed.snapshot["steps"][0]["name"] == "Kick-off call"
    assert parsed.snapshot["steps"][4]["id"] == "hand-typed"
    assert parsed.snapshot["steps"][4]["name"] is None
    assert only(parsed.issues, "missing_step_name").cell == "Plan!C6"


def test_a_row_with_neither_name_nor_id_is_reported_not_read() -> None:
    parsed = parse([*PLAN_ROWS, ["", "", "", "", "", 46050, "", "", "call Bob"]])
    assert len(parsed.snapshot["steps"]) == 4
    assert only(parsed.issues, "unnamed_step").cell == "Plan!6:6"
    assert parsed.step_id_writes == ()


def test_duplicate_step_ids_are_reported() -> None:
    copied = ["security", "Evaluate", "Security review (copy)", "Buyer", "", 46050]
    parsed = parse([*PLAN_ROWS, copied])
    steps = parsed.snapshot["steps"]
    assert [s["id"] for s in steps] == ["kickoff", "security", "order-form", "signature"]
    assert steps[1]["name"] == "Security review"
    issue = only(parsed.issues, "duplicate_step_id")
    assert issue.cell == "Plan!A6"
    assert "row 3" in issue.message and "row 6" in issue.message


def test_deleted_plan_tab_keeps_previous_steps() -> None:
    parsed = parse_plan(sheet(plan=None), previous(), DEAL_ID)
    assert parsed.snapshot["steps"] == STEPS
    issue = only(parsed.issues, "missing_tab")
    assert (issue.tab, issue.cell) == ("Plan", None)
    assert parsed.snapshot["deal"] == previous()["deal"]


def test_missing_tabs_with_no_previous_snapshot_give_empty_sections() -> None:
    parsed = parse_plan({}, None, DEAL_ID)
    assert parsed.snapshot == {"layout_version": 1, "steps": [], "deal": {}, "stakeholders": []}
    assert kinds(parsed.issues) == ["missing_tab"] * 3


def test_an_emptied_plan_tab_keeps_previous_steps() -> None:
    parsed = parse([])
    assert parsed.snapshot["steps"] == STEPS
    assert kinds(parsed.issues) == ["empty_tab"]


def test_deleted_due_date_column_keeps_previous_due_dates() -> None:
    without_due = [row[:5] + row[6:] for row in PLAN_ROWS]
    without_due[2][5] = "Done"  # and the buyer finishes security review
    parsed = parse(without_due)
    steps = parsed.snapshot["steps"]
    assert [s["due"] for s in steps] == [s["due"] for s in STEPS]
    assert steps[1]["status"] == "Done"
    issue = only(parsed.issues, "missing_column")
    assert "'Due date'" in issue.message and issue.cell is None


def test_without_a_step_id_column_rows_are_matched_to_steps_by_name() -> None:
    without_ids = [row[1:] for row in PLAN_ROWS]
    without_ids.insert(2, ["Evaluate", "Reference call", "Buyer"])
    parsed = parse(without_ids)
    ids = [s["id"] for s in parsed.snapshot["steps"]]
    assert ids == ["kickoff", new_step_id(DEAL_ID, "Reference call", 1), "security"] + [
        "order-form",
        "signature",
    ]
    assert parsed.step_id_writes == ()
    assert kinds(parsed.issues) == ["missing_column"]


def test_without_step_ids_or_names_the_previous_steps_are_kept() -> None:
    parsed = parse([["When", "Status"], [46050, "Done"]])
    assert parsed.snapshot["steps"] == STEPS
    assert kinds(parsed.issues) == ["missing_column"] * 8  # all but Status
    assert "steps are kept as they were" in parsed.issues[0].message


def test_a_repeated_header_is_reported_and_the_first_column_read() -> None:
    parsed = parse([[*PLAN_HEADER, "Status"], *[[*row, "", "", "Done"] for row in PLAN_ROWS[1:]]])
    assert [s["status"] for s in parsed.snapshot["steps"]] == [s["status"] for s in STEPS]
    assert only(parsed.issues, "duplicate_column").cell == "Plan!J1"


def test_batch_get_value_ranges_are_matched_to_their_tabs() -> None:
    response = {
        "spreadsheetId": "s1",
        "valueRanges": [
            {"range": "Plan!A1:I5", "majorDimension": "ROWS", "values": [["Step ID"]]},
            {"range": "'Deal'!A1:Z1000", "majorDimension": "ROWS"},
            {"range": "'Q&A ''24'!A1:B2", "majorDimension": "ROWS", "values": [["x"]]},
        ],
    }
    assert values_by_tab(response) == {
        PLAN_TAB: [["Step ID"]],
        DEAL_TAB: [],
        STAKEHOLDERS_TAB: None,
    }


def test_a_value_range_may_stand_for_a_tab() -> None:
    values = sheet()
    values["Plan"] = {"range": "Plan!A1:I5", "majorDimension": "ROWS", "values": PLAN_ROWS}
    assert parse_plan(values, previous(), DEAL_ID).snapshot == previous()


# ---------------------------------------------------------------- parser and builder agree


def batch_get_rows(grid_rows: list[list[dict[str, Any]]]) -> list[list[object]]:
    """The rows `values.batchGet` (UNFORMATTED_VALUE, SERIAL_NUMBER) gives for created rows."""
    out: list[list[object]] = []
    for cells in grid_rows:
        row: list[object] = []
        for cell in cells:
            entered = cell.get("userEnteredValue") or {}
            value = entered.get("numberValue", entered.get("stringValue", entered.get("boolValue")))
            row.append("" if value is None else value)
        while row and row[-1] == "":
            row.pop()
        out.append(row)
    while out and not out[-1]:
        out.pop()
    return out


def test_round_trip_of_the_initial_snapshot() -> None:
    body = example_body()
    values = {
        tab: batch_get_rows(rows(body, tab)) for tab in (PLAN_TAB, DEAL_TAB, STAKEHOLDERS_TAB)
    }
    assert isinstance(values[DEAL_TAB][8][1], bool)  # an unticked checkbox comes back as False
    parsed = parse_plan(values, None, "deal-42")
    initial = initial_snapshot(make_plan(), OWNER)
    written = ("outlook", "summary")  # the add-on's own lines are written, not read back
    assert parsed.snapshot == {k: v for k, v in initial.items() if k not in written}
    assert parsed.issues == ()
    assert parsed.step_id_writes == ()
