"""Reading the Deal tab: facts found by their labels, values read as their kinds say."""

from __future__ import annotations

from typing import Any

from parse_examples import DEAL, DEAL_ID, DEAL_ROWS, kinds, only, previous, sheet

from addon.domain.layout import DEAL_FACTS
from addon.domain.parse import ParsedPlan, parse_plan


def parse(deal_rows: Any, before: Any = None) -> ParsedPlan:
    return parse_plan(sheet(deal=deal_rows), previous() if before is None else before, DEAL_ID)


def edited(**values: object) -> list[list[object]]:
    """The example Deal rows with some facts' values replaced, by fact key."""
    rows = [list(row) for row in DEAL_ROWS]
    for fact in DEAL_FACTS:
        if fact.key in values:
            rows[fact.row - 1][1] = values[fact.key]
    return rows


def test_facts_are_read_by_label_into_keys_in_layout_order() -> None:
    parsed = parse(DEAL_ROWS)
    assert parsed.snapshot["deal"] == DEAL
    assert list(parsed.snapshot["deal"]) == [fact.key for fact in DEAL_FACTS]
    assert parsed.issues == ()


def test_checkboxes_parse_from_bools_and_text() -> None:
    for value, ticked in [(True, True), ("TRUE", True), ("yes", True), ("x", True)]:
        assert (
            parse(edited(plan_agreed_seller=value)).snapshot["deal"]["plan_agreed_seller"] is ticked
        )
    for value in (False, "FALSE", "no", ""):
        assert parse(edited(plan_agreed_buyer=value)).snapshot["deal"]["plan_agreed_buyer"] is False
    parsed = parse(edited(plan_agreed_buyer="maybe"))
    assert parsed.snapshot["deal"]["plan_agreed_buyer"] is True  # the previous tick is kept
    issue = only(parsed.issues, "unreadable_checkbox")
    assert issue.cell == "Deal!B9" and "'maybe'" in issue.message
    assert issue.message.endswith("kept it ticked.")


def test_labels_are_matched_loosely_and_keys_are_accepted() -> None:
    rows = [list(row) for row in DEAL_ROWS]
    rows[1][0] = "  GOAL:"
    rows[3][0] = "go_live"
    rows[4][0] = "signature   target"
    assert parse(rows).snapshot["deal"] == DEAL


def test_facts_are_found_wherever_the_buyer_moved_them() -> None:
    rows = [DEAL_ROWS[0], ["Our notes", "Legal wants a DPA first"], *reversed(DEAL_ROWS[1:])]
    parsed = parse(rows)
    assert parsed.snapshot["deal"] == DEAL
    assert parsed.issues == ()  # an unknown label is a buyer's note, not a problem


def test_the_value_column_is_found_by_its_header() -> None:
    rows = [[row[0], *row[2:3], *row[1:2]] for row in DEAL_ROWS]  # Value moved to column C
    assert parse(rows).snapshot["deal"] == DEAL


def test_dates_are_read_as_iso_and_text_that_is_not_a_date_is_reported() -> None:
    assert parse(edited(go_live="March 9, 2026")).snapshot["deal"]["go_live"] == "2026-03-09"
    parsed = parse(edited(go_live="after the board meeting"))
    assert parsed.snapshot["deal"]["go_live"] == "2026-03-02"
    assert only(parsed.issues, "unreadable_date").cell == "Deal!B4"


def test_a_missing_fact_keeps_its_previous_value() -> None:
    rows = [row for row in DEAL_ROWS if row[0] != "Go-live date"]
    parsed = parse(rows)
    assert parsed.snapshot["deal"]["go_live"] == "2026-03-02"
    issue = only(parsed.issues, "missing_fact")
    assert "'Go-live date'" in issue.message and issue.cell is None


def test_with_no_previous_snapshot_a_missing_fact_is_empty() -> None:
    rows = [row for row in DEAL_ROWS if row[0] not in ("Goal", "Plan agreed by buyer")]
    deal = parse_plan(sheet(deal=rows), None, DEAL_ID).snapshot["deal"]
    assert deal["goal"] is None and deal["plan_agreed_buyer"] is False


def test_a_repeated_fact_is_reported_and_the_first_row_read() -> None:
    parsed = parse([*DEAL_ROWS, ["Goal", "Something else"]])
    assert parsed.snapshot["deal"]["goal"] == DEAL["goal"]
    assert only(parsed.issues, "duplicate_fact").cell == "Deal!A13"


def test_choices_are_matched_case_insensitively_and_other_text_is_kept_and_reported() -> None:
    assert parse(edited(budget_status="budget APPROVED")).snapshot["deal"]["budget_status"] == (
        "Budget approved"
    )
    parsed = parse(edited(budget_status="Waiting on CFO"))
    assert parsed.snapshot["deal"]["budget_status"] == "Waiting on CFO"
    assert kinds(parsed.issues) == ["unknown_choice"]


def test_a_deleted_deal_tab_keeps_the_previous_facts() -> None:
    parsed = parse(None)
    assert parsed.snapshot["deal"] == DEAL
    assert kinds(parsed.issues) == ["missing_tab"]


def test_a_deal_tab_without_its_header_row_is_still_read() -> None:
    assert parse(DEAL_ROWS[1:]).snapshot["deal"] == DEAL


def test_an_emptied_deal_tab_keeps_the_previous_facts() -> None:
    parsed = parse([])
    assert parsed.snapshot["deal"] == DEAL
    assert kinds(parsed.issues) == ["empty_tab"]
