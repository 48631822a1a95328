"""Buyer data is hostile input: huge, junk, formulas, any script, any value type; never a crash."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
from parse_examples import (
    DEAL_ID,
    PEOPLE_ROWS,
    PLAN_HEADER,
    PLAN_ROWS,
    STEPS,
    kinds,
    previous,
    sheet,
)

from addon.domain.parse import MAX_STEPS, ParsedPlan, parse_plan
from addon.domain.parse_grid import MAX_ISSUES_PER_TAB
from addon.domain.parse_values import MAX_TEXT


def parse(plan_rows: Any = PLAN_ROWS, people_rows: Any = PEOPLE_ROWS) -> ParsedPlan:
    return parse_plan(sheet(plan=plan_rows, people=people_rows), previous(), DEAL_ID)


def junk_rows(count: int, seed: int = 7) -> list[list[object]]:
    """Rows of nine cells of random Latin-1 text, control characters and all."""
    rng = random.Random(seed)
    rows: list[list[object]] = []
    for _ in range(count):
        text = rng.randbytes(180).decode("latin-1")
        rows.append([text[start : start + 20] for start in range(0, 180, 20)])
    return rows


def test_50000_junk_rows_parse_with_a_too_many_rows_issue() -> None:
    values = sheet(plan=[])
    values["Plan"] = [PLAN_HEADER, *junk_rows(50_000)]
    started = time.perf_counter()
    parsed = parse_plan(values, previous(), DEAL_ID)
    assert time.perf_counter() - started < 0.5  # about 0.03 s: rows past MAX_STEPS are not read
    # Junk ids repeat (duplicates are left out); the rows read are the first MAX_STEPS.
    assert parsed.snapshot["steps"][-1]["row"] == MAX_STEPS + 1
    too_many = [issue for issue in parsed.issues if issue.kind == "too_many_rows"]
    assert len(too_many) == 1 and too_many[0].cell is None
    assert f"first {MAX_STEPS}" in too_many[0].message and "row 1001" in too_many[0].message
    # Each junk status and date is a problem, but only so many are listed.
    plan_cell_issues = [i for i in parsed.issues if i.tab == "Plan" and i.cell is not None]
    assert len(plan_cell_issues) == MAX_ISSUES_PER_TAB
    assert "more_issues" in kinds(parsed.issues)


def test_exactly_max_steps_rows_are_all_read_without_an_issue() -> None:
    rows = [PLAN_HEADER, *[[f"s{n}", "", f"Step {n}"] for n in range(MAX_STEPS)]]
    parsed = parse(rows)
    assert len(parsed.snapshot["steps"]) == MAX_STEPS
    assert parsed.issues == ()


def test_many_empty_rows_between_steps_cost_nothing() -> None:
    values = sheet()
    values["Plan"] += [[]] * 200_000 + [["late", "", "Found far below"]]
    started = time.perf_counter()
    parsed = parse_plan(values, previous(), DEAL_ID)
    assert time.perf_counter() - started < 0.5
    assert parsed.snapshot["steps"][-1]["row"] == len(PLAN_ROWS) + 200_000 + 1


def test_emoji_and_rtl_text_survive() -> None:
    hebrew = "\u200fבדיקת אבטחה"  # a right-to-left mark, then "security review" in Hebrew
    arabic = "مراجعة قانونية 🔒"
    emoji = "Kick-off 🚀👩‍💻"
    rows = [list(row) for row in PLAN_ROWS]
    rows[1][2], rows[2][2], rows[2][8] = emoji, hebrew, arabic
    people = [*PEOPLE_ROWS, ["محمد 👋", "mohammed@acme.test", "Buyer", "Legal", hebrew]]
    parsed = parse(rows, people)
    steps = parsed.snapshot["steps"]
    assert (steps[0]["name"], steps[1]["name"], steps[1]["notes"]) == (emoji, hebrew, arabic)
    assert parsed.snapshot["stakeholders"][2]["name"] == "محمد 👋"
    assert parsed.snapshot["stakeholders"][2]["responsibility"] == hebrew
    assert parsed.issues == ()


def test_a_buyer_added_step_with_a_non_latin_name_gets_an_id() -> None:
    parsed = parse([*PLAN_ROWS, ["", "", "🚀"]])
    assert parsed.step_id_writes[0][1].startswith("b-step-")


def padded() -> list[list[object]]:
    """The example Plan rows with every row nine cells wide."""
    return [row + [""] * (len(PLAN_HEADER) - len(row)) for row in PLAN_ROWS]


def test_formula_text_and_numbers_in_text_cells_are_text() -> None:
    rows = padded()
    rows[2][8] = '=IMPORTXML("http://evil.test", "//a")'  # typed as text, stays text
    rows[3][8] = 3.5
    rows[4][4] = 12345
    parsed = parse(rows)
    steps = parsed.snapshot["steps"]
    assert [s["notes"] for s in steps[1:3]] == [rows[2][8], "3.5"]
    assert steps[3]["owner"] == "12345"
    assert parsed.issues == ()


def test_a_failing_formula_is_reported_and_keeps_what_the_cell_said_before() -> None:
    rows = padded()
    rows[1][2] = "#NAME?"  # =IMPORTXML(...) typed as a formula: Sheets does not run it
    rows[2][5] = "#REF!"  # =F9+7 after row 9 was deleted
    rows[3][6] = "#DIV/0!"
    rows[4][0] = "#N/A"  # a lookup in the Step ID column
    parsed = parse(rows)
    steps = parsed.snapshot["steps"]
    assert steps == STEPS
    assert [(i.kind, i.cell) for i in parsed.issues] == [
        ("formula_error", "Plan!A5"),
        ("formula_error", "Plan!C2"),
        ("formula_error", "Plan!F3"),
        ("formula_error", "Plan!G4"),
    ]
    assert parsed.issues[1].message == (
        "Plan!C2: step name: its formula gives #NAME?; kept 'Kick-off call'."
    )
    # The Step ID cell is filled in again: the row is the signature step by its name.
    assert parsed.step_id_writes == (("Plan!A5", "signature"),)


def test_very_long_text_is_truncated_with_an_issue() -> None:
    rows = padded()
    rows[1][8] = "é" * 50_000
    parsed = parse(rows)
    assert parsed.snapshot["steps"][0]["notes"] == "é" * MAX_TEXT
    (issue,) = parsed.issues
    assert (issue.kind, issue.cell) == ("text_truncated", "Plan!I2")
    assert "50,000" in issue.message


@pytest.mark.parametrize(
    "value", [[1, [2]], {"formulaValue": "=1"}, float("nan"), float("-inf"), object(), b"x"]
)
def test_values_no_cell_holds_become_issues_not_exceptions(value: object) -> None:
    rows = padded()
    for column in range(9):
        rows[2][column] = value
    rows[2][0] = "security"
    people = [*PEOPLE_ROWS, ["Cy", value, value, value, value]]
    parsed = parse(rows, people)
    security = parsed.snapshot["steps"][1]
    assert security["due"] == "2026-01-21" and security["name"] == "Security review"
    assert security["status"] == "In progress"
    assert all(issue.message for issue in parsed.issues)


@pytest.mark.parametrize(
    "tab_value",
    [
        "not rows",
        42,
        [None, "row", 7, {"a": 1}],
        [[None] * 3, [[["deep"]]]],
        [["Step ID", "Step"], ["x", ["nested"]], [float("nan"), "n"]],
    ],
)
def test_malformed_tabs_never_raise(tab_value: object) -> None:
    values: dict[str, object] = {"Plan": tab_value, "Deal": tab_value, "Stakeholders": tab_value}
    parsed = parse_plan(values, previous(), DEAL_ID)
    assert isinstance(parsed.snapshot["steps"], list)
    assert all(issue.message for issue in parsed.issues)


def test_a_malformed_previous_snapshot_is_treated_as_none() -> None:
    parsed = parse_plan(sheet(), {"steps": "junk", "deal": [1], "stakeholders": None}, DEAL_ID)
    assert [step["id"] for step in parsed.snapshot["steps"]] == [step["id"] for step in STEPS]


def test_a_checkbox_value_in_a_date_cell_is_shown_as_sheets_shows_it() -> None:
    rows = padded()
    rows[1][5], rows[2][7] = True, False
    parsed = parse(rows)
    assert [issue.message for issue in parsed.issues] == [
        "Plan!F2: due date 'TRUE' is not a date; kept '2026-01-07'.",
        "Plan!H3: done-on date 'FALSE' is not a date; left it empty.",
    ]
