"""Reading the Stakeholders tab: people by header, sides and roles matched, one per email."""

from __future__ import annotations

from typing import Any

from parse_examples import DEAL_ID, PEOPLE, PEOPLE_ROWS, kinds, only, previous, sheet

from addon.domain.parse import ParsedPlan, parse_plan


def parse(people_rows: Any, before: Any = None) -> ParsedPlan:
    return parse_plan(sheet(people=people_rows), previous() if before is None else before, DEAL_ID)


def person(row: list[object]) -> dict[str, Any]:
    """The one stakeholder a tab of the example header and this row gives."""
    (found,) = parse([PEOPLE_ROWS[0], row]).snapshot["stakeholders"]
    return found


def test_people_are_read_in_sheet_order() -> None:
    parsed = parse(PEOPLE_ROWS)
    assert parsed.snapshot["stakeholders"] == PEOPLE
    assert parsed.issues == ()


def test_header_synonyms_are_tolerated_and_emails_lower_cased() -> None:
    header = ["E-mail", "Full name", "Company side", "ROLE", "Notes"]
    rows = [header, [" Ann@ACME.test ", "Ann Buyer", "customer", "champion", "Runs the evaluation"]]
    assert parse(rows).snapshot["stakeholders"] == PEOPLE[:1]


def test_unknown_role_is_reported() -> None:
    parsed = parse([*PEOPLE_ROWS, ["Cy", "cy@acme.test", "Buyer", "CTO"]])
    cy = parsed.snapshot["stakeholders"][2]
    assert cy["role"] is None and cy["side"] == "Buyer"
    issue = only(parsed.issues, "unknown_role")
    assert issue.cell == "Stakeholders!D4" and "'CTO'" in issue.message


def test_sides_are_matched_from_synonyms_and_unknown_ones_are_reported() -> None:
    assert person(["Vi", "vi@vendor.test", "Vendor"])["side"] == "Seller"
    assert person(["Cy", "cy@acme.test", "client"])["side"] == "Buyer"
    parsed = parse([PEOPLE_ROWS[0], ["Cy", "cy@acme.test", "us", "Legal"]])
    assert parsed.snapshot["stakeholders"][0]["side"] is None  # "us" depends on who typed it
    assert kinds(parsed.issues) == ["unknown_side"]


def test_a_blank_side_follows_from_the_role() -> None:
    assert person(["Cy", "cy@acme.test", "", "Legal"])["side"] == "Buyer"
    assert person(["Vi", "vi@vendor.test", "", "Solutions engineer"])["side"] == "Seller"
    assert person(["Di", "di@acme.test"])["side"] is None


def test_a_person_needs_a_name_or_an_email() -> None:
    rows = [*PEOPLE_ROWS, ["", "", "Buyer", "Legal"], ["Only A Name"], ["", "only@acme.test"]]
    parsed = parse(rows)
    people = parsed.snapshot["stakeholders"]
    assert [(p["name"], p["email"]) for p in people[2:]] == [
        ("Only A Name", None),
        (None, "only@acme.test"),
    ]
    assert only(parsed.issues, "unnamed_stakeholder").cell == "Stakeholders!4:4"


def test_duplicate_emails_are_reported_and_the_later_row_skipped() -> None:
    parsed = parse([*PEOPLE_ROWS, ["Ann Again", "ANN@acme.test", "Buyer", "Legal"]])
    assert parsed.snapshot["stakeholders"] == PEOPLE
    issue = only(parsed.issues, "duplicate_email")
    assert issue.cell == "Stakeholders!B4" and "row 2" in issue.message


def test_a_deleted_role_column_keeps_each_persons_previous_role() -> None:
    rows = [row[:3] + row[4:] for row in PEOPLE_ROWS]
    parsed = parse([*rows, ["Cy", "cy@acme.test", "Buyer"]])
    assert [p["role"] for p in parsed.snapshot["stakeholders"]] == [
        "Champion",
        "Account executive",
        None,
    ]
    assert kinds(parsed.issues) == ["missing_column"]


def test_a_deleted_stakeholders_tab_keeps_the_previous_people() -> None:
    parsed = parse(None)
    assert parsed.snapshot["stakeholders"] == PEOPLE
    assert kinds(parsed.issues) == ["missing_tab"]


def test_without_name_or_email_columns_the_previous_people_are_kept() -> None:
    parsed = parse([["Who?", "Role"], ["Ann", "Champion"]])
    assert parsed.snapshot["stakeholders"] == PEOPLE
    assert kinds(parsed.issues).count("missing_column") == 4
