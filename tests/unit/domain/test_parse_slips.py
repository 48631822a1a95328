"""Slips of the buyer's hand that must not read as news: a cleared Step ID, another row's Step ID
pasted over one, a column emptied by mistake, the steps cleared under the header, merged cells.
"""

from __future__ import annotations

from typing import Any

from parse_examples import (
    DEAL_ID,
    DEAL_ROWS,
    PEOPLE,
    PEOPLE_ROWS,
    PLAN_HEADER,
    PLAN_ROWS,
    STEPS,
    kinds,
    only,
    previous,
    sheet,
)

from addon.domain.parse import ParsedPlan, new_step_id, parse_plan


def parse(plan_rows: Any) -> ParsedPlan:
    return parse_plan(sheet(plan=plan_rows), previous(), DEAL_ID)


def padded() -> list[list[object]]:
    """The example Plan rows with every row nine cells wide."""
    return [row + [""] * (len(PLAN_HEADER) - len(row)) for row in PLAN_ROWS]


def test_a_cleared_step_id_is_found_again_by_the_steps_name_and_written_back() -> None:
    rows = padded()
    rows[2][0] = ""
    parsed = parse(rows)
    assert parsed.snapshot == previous()
    assert parsed.step_id_writes == (("Plan!A3", "security"),)
    assert parsed.issues == ()


def test_a_blank_step_id_on_a_new_name_still_gives_a_new_step() -> None:
    rows = padded()
    rows[2][0], rows[2][2] = "", "Security review, second round"
    parsed = parse(rows)
    new_id = new_step_id(DEAL_ID, "Security review, second round", 1)
    assert [s["id"] for s in parsed.snapshot["steps"]] == [
        "kickoff",
        new_id,
        "order-form",
        "signature",
    ]
    assert parsed.step_id_writes == (("Plan!A3", new_id),)


def test_a_step_id_pasted_over_another_steps_is_reported_and_the_row_found_by_name() -> None:
    rows = padded()
    rows[3][0] = "security"  # the order-form row now says "security"
    parsed = parse(rows)
    assert parsed.snapshot == previous()
    issue = only(parsed.issues, "duplicate_step_id")
    assert issue.cell == "Plan!A4"
    assert "row 3" in issue.message and "'order-form'" in issue.message
    assert parsed.step_id_writes == (("Plan!A4", "order-form"),)


def test_a_copied_row_with_a_new_name_is_still_a_duplicate_and_not_read() -> None:
    copied = ["security", "Evaluate", "Security review, part two", "Buyer", "", 46050]
    parsed = parse([*PLAN_ROWS, copied])
    assert parsed.snapshot["steps"] == STEPS
    assert "row 6 is not read" in only(parsed.issues, "duplicate_step_id").message
    assert parsed.step_id_writes == ()


def test_steps_cleared_under_the_header_are_kept_and_reported() -> None:
    parsed = parse([PLAN_HEADER, [], ["", "", "", "", "", "", "", "", "stray note"]])
    assert parsed.snapshot["steps"] == STEPS
    assert kinds(parsed.issues) == ["unnamed_step", "no_steps"]


def test_with_no_previous_steps_a_plan_without_steps_is_no_issue() -> None:
    parsed = parse_plan(sheet(plan=[PLAN_HEADER]), None, DEAL_ID)
    assert parsed.snapshot["steps"] == []
    assert parsed.issues == ()


def test_an_emptied_due_date_column_keeps_the_dates_and_says_so() -> None:
    rows = padded()
    for row in rows[1:]:
        row[5] = ""
    rows[2][6] = "Done"  # a real change in the same edit is still read
    parsed = parse(rows)
    steps = parsed.snapshot["steps"]
    assert [s["due"] for s in steps] == [s["due"] for s in STEPS]
    assert steps[1]["status"] == "Done"
    issue = only(parsed.issues, "cleared_column")
    assert issue.cell is None
    assert issue.message == (
        "Plan: column F (Due date) is empty on every step; the due dates are kept as they were."
    )


def test_one_cleared_due_date_is_a_change() -> None:
    rows = padded()
    rows[2][5] = ""
    parsed = parse(rows)
    assert parsed.snapshot["steps"][1]["due"] is None
    assert parsed.issues == ()


def test_a_column_that_held_few_values_may_be_emptied() -> None:
    rows = padded()
    for row in rows[1:]:
        row[4] = ""  # owners: two of the four steps had one, not most
    rows[1][7] = ""  # done-on dates: one step had one
    parsed = parse(rows)
    assert [s["owner"] for s in parsed.snapshot["steps"]] == [None] * 4
    assert parsed.snapshot["steps"][0]["done_on"] is None
    assert parsed.issues == ()


def test_merged_phase_cells_give_their_phase_to_every_row_they_cover() -> None:
    rows = padded()
    rows[2][1] = ""  # B2:B3 merged: Sheets gives "Evaluate" to row 2 only
    rows[4][1] = ""  # B4:B5 merged: "Contract"
    parsed = parse(rows)
    assert [s["phase"] for s in parsed.snapshot["steps"]] == [s["phase"] for s in STEPS]
    assert parsed.issues == ()


def test_a_cleared_phase_under_another_phase_is_cleared() -> None:
    rows = padded()
    rows[3][1] = ""  # order-form was "Contract", the row above says "Evaluate"
    assert parse(rows).snapshot["steps"][2]["phase"] is None


def test_a_deleted_header_row_is_one_issue_and_keeps_the_steps() -> None:
    parsed = parse(PLAN_ROWS[1:])
    assert parsed.snapshot["steps"] == STEPS
    issue = only(parsed.issues, "missing_header")
    assert issue.message.startswith("Plan: no header row (Step ID, Phase, Step, ")
    assert len(parsed.issues) == 1


def test_a_deleted_stakeholders_header_row_is_one_issue_and_keeps_the_people() -> None:
    parsed = parse_plan(sheet(people=PEOPLE_ROWS[1:]), previous(), DEAL_ID)
    assert parsed.snapshot["stakeholders"] == PEOPLE
    assert kinds(parsed.issues) == ["missing_header"]


def test_a_deleted_email_column_keeps_each_persons_email() -> None:
    without_email = [[row[0], *row[2:]] for row in PEOPLE_ROWS]
    parsed = parse_plan(sheet(people=without_email), previous(), DEAL_ID)
    assert parsed.snapshot["stakeholders"] == PEOPLE
    assert kinds(parsed.issues) == ["missing_column"]


def test_an_emptied_email_column_keeps_the_emails_and_says_so() -> None:
    people = [list(row) for row in PEOPLE_ROWS]
    for row in people[1:]:
        row[1] = ""
    people[1][3] = "Economic buyer"  # a real change in the same edit is still read
    parsed = parse_plan(sheet(people=people), previous(), DEAL_ID)
    assert [p["email"] for p in parsed.snapshot["stakeholders"]] == [p["email"] for p in PEOPLE]
    assert parsed.snapshot["stakeholders"][0]["role"] == "Economic buyer"
    issue = only(parsed.issues, "cleared_column")
    assert issue.message == (
        "Stakeholders: column B (Email) is empty on every row; each person's email is kept "
        "as it was."
    )


def test_new_people_with_blank_cells_are_no_emptied_column() -> None:
    parsed = parse_plan(
        sheet(people=[PEOPLE_ROWS[0], ["Cy", "cy@acme.test"], ["Di", "di@acme.test"]]),
        previous(),
        DEAL_ID,
    )
    assert [p["side"] for p in parsed.snapshot["stakeholders"]] == [None, None]
    assert parsed.issues == ()


def test_a_mailto_link_in_capitals_is_the_same_email() -> None:
    people = [list(row) for row in PEOPLE_ROWS]
    people[1][1] = "MAILTO:ANN@ACME.TEST"
    parsed = parse_plan(sheet(people=people), previous(), DEAL_ID)
    assert parsed.snapshot["stakeholders"] == PEOPLE
    assert parsed.issues == ()


def test_a_failing_formula_in_a_deal_checkbox_keeps_the_tick() -> None:
    deal = [list(row) for row in DEAL_ROWS]
    deal[8][1] = "#REF!"  # Plan agreed by buyer
    parsed = parse_plan(sheet(deal=deal), previous(), DEAL_ID)
    assert parsed.snapshot["deal"]["plan_agreed_buyer"] is True
    issue = only(parsed.issues, "formula_error")
    assert issue.cell == "Deal!B9"
    assert issue.message.endswith("Plan agreed by buyer: its formula gives #REF!; kept it ticked.")
