"""Conditional formats as the stand-in's UI evaluates them, and the lookup functions they use.

- ConditionType (CUSTOM_FORMULA, NUMBER_*, TEXT_*, BLANK): relative references of a custom
  formula are relative to the top-left cell of the rule's first range.
  https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#ConditionType
- The first rule of the list that holds for a cell formats it (the top rule has priority).
  https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#ConditionalFormatRule
- ISNUMBER https://support.google.com/docs/answer/3093296, IFERROR .../3093304,
  MATCH .../3093378, INDEX .../3098242.
"""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from localgoogle import cells
from localgoogle.formula import CellError, evaluate
from localgoogle.ui_conditional import SheetValues, conditional_formats

TODAY = datetime.date(2026, 6, 1)
RED = {"backgroundColorStyle": {"rgbColor": {"red": 1}}}
GREEN = {"backgroundColorStyle": {"rgbColor": {"green": 1}}}


def _sheet(rows: list[list[Any]], rules: list[dict[str, Any]]) -> tuple[dict[str, Any], Any]:
    grid = []
    for row in rows:
        stored_row = []
        for value in row:
            if value is None:
                stored_row.append(None)
                continue
            key = "numberValue" if isinstance(value, int | float) else "stringValue"
            stored = {"userEnteredValue": {key: value}}
            cells.refresh(stored)
            stored_row.append(stored)
        grid.append(stored_row)
    sheet = {
        "properties": {
            "sheetId": 0,
            "title": "Plan",
            "gridProperties": {"rowCount": 50, "columnCount": 5},
        },
        "grid": grid,
        "conditionalFormats": rules,
    }
    return {"sheets": [sheet], "properties": {"title": "t"}}, sheet


def _formula_rule(formula: str, fmt: dict[str, Any], top: int = 1) -> dict[str, Any]:
    return {
        "ranges": [
            {
                "sheetId": 0,
                "startRowIndex": top,
                "endRowIndex": 10,
                "startColumnIndex": 0,
                "endColumnIndex": 3,
            }
        ],
        "booleanRule": {
            "condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": formula}]},
            "format": fmt,
        },
    }


def test_a_custom_formula_moves_with_each_row_of_its_range() -> None:
    rows = [["Step", "Status"], ["a", "Done"], ["b", "Blocked"], ["c", "Done"]]
    doc, sheet = _sheet(rows, [_formula_rule('=$B2="Done"', GREEN)])
    found = conditional_formats(doc, sheet, 10, 3, TODAY)
    assert {cell for cell in found} == {(1, 0), (1, 1), (1, 2), (3, 0), (3, 1), (3, 2)}


def test_the_first_rule_that_holds_wins() -> None:
    rows = [["Step", "Status"], ["a", "Done"]]
    rules = [_formula_rule('=$B2="Done"', GREEN), _formula_rule("=LEN($A2)>0", RED)]
    doc, sheet = _sheet(rows, rules)
    found = conditional_formats(doc, sheet, 10, 3, TODAY)
    assert found[(1, 0)] == GREEN


def test_number_and_text_conditions_test_the_cell_itself() -> None:
    def rule(kind: str, *values: str) -> dict[str, Any]:
        return {
            "ranges": [
                {
                    "sheetId": 0,
                    "startRowIndex": 0,
                    "endRowIndex": 3,
                    "startColumnIndex": 0,
                    "endColumnIndex": 2,
                }
            ],
            "booleanRule": {
                "condition": {"type": kind, "values": [{"userEnteredValue": v} for v in values]},
                "format": RED,
            },
        }

    rows = [[5, "High"], [1, "low"], [None, "x"]]
    for kind, values, expected in (
        ("NUMBER_GREATER", ("3",), {(0, 0)}),
        ("NUMBER_BETWEEN", ("0", "2"), {(1, 0)}),
        ("TEXT_EQ", ("high",), {(0, 1)}),
        ("TEXT_CONTAINS", ("o",), {(1, 1)}),
        ("BLANK", (), {(2, 0)}),
    ):
        doc, sheet = _sheet(rows, [rule(kind, *values)])
        assert set(conditional_formats(doc, sheet, 3, 2, TODAY)) == expected, kind


def test_a_plan_row_past_its_milestone_row_found_by_match_and_index() -> None:
    rows = [["id", "due", "status"], ["sec", 46300, "Open"], ["sign", 46250, "Open"]]
    formula = '=IFERROR($B2>INDEX($B:$B,MATCH("sign",$A:$A,0)),FALSE)'
    doc, sheet = _sheet(rows, [_formula_rule(formula, RED)])
    found = conditional_formats(doc, sheet, 3, 3, TODAY)
    assert set(found) == {(1, 0), (1, 1), (1, 2)}


class _Column:
    def __init__(self, values: list[float]) -> None:
        self.values = values

    def cell(self, sheet: str | None, row: int, col: int) -> Any:
        return self.values[row] if col == 0 and row < len(self.values) else None

    def area(self, sheet: str | None, sr: int, sc: int, er: int | None, ec: int | None) -> Any:
        end = len(self.values) if er is None else min(er, len(self.values))
        return [[self.values[r]] for r in range(sr, end)]

    def has_sheet(self, sheet: str) -> bool:
        return False


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=30), st.integers(-60, 60))
def test_match_exact_finds_the_first_equal_value_and_index_gives_it_back(
    values: list[int], key: int
) -> None:
    column = _Column([float(v) for v in values])
    found = evaluate(f"=MATCH({key},A:A,0)", column, TODAY)
    if key in values:
        assert found == float(values.index(key) + 1)
        assert evaluate(f"=INDEX(A:A,MATCH({key},A:A,0))", column, TODAY) == float(key)
    else:
        assert isinstance(found, CellError) and found.type == "N_A"
        assert evaluate(f"=IFERROR(MATCH({key},A:A,0),-1)", column, TODAY) == -1.0


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=30), st.integers(-60, 60))
def test_match_sorted_finds_the_last_value_at_most_the_key(values: list[int], key: int) -> None:
    ordered = sorted(values)
    column = _Column([float(v) for v in ordered])
    found = evaluate(f"=MATCH({key},A:A)", column, TODAY)
    at_most = [i for i, v in enumerate(ordered, start=1) if v <= key]
    if at_most:
        assert found == float(at_most[-1])
    else:
        assert isinstance(found, CellError) and found.type == "N_A"


def test_isnumber_is_true_for_numbers_only() -> None:
    doc, sheet = _sheet([[3, "3"]], [])
    values = SheetValues(doc, sheet)
    assert evaluate("=ISNUMBER(A1)", values, TODAY) is True
    assert evaluate("=ISNUMBER(B1)", values, TODAY) is False
    assert evaluate("=ISNUMBER(1/0)", values, TODAY) is False
