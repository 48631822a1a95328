"""Conditional formats evaluated for the stand-in's UI: which format each shown cell takes.

A sheet's `conditionalFormats` are ConditionalFormatRules
(https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#ConditionalFormatRule).
For each cell, the rules are tried in the sheet's order and the first boolean rule whose
condition holds gives the cell its format (the rule on top of Sheets' list takes priority; the
rules below it are not applied to that cell). The condition types are those of
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#ConditionType that
conditional formatting supports and this product writes: CUSTOM_FORMULA (relative references
are relative to the top-left cell of the rule's first range, so the formula moves with each
cell as if copied there), NUMBER_* (the cell's value must be a number), TEXT_EQ, TEXT_CONTAINS,
TEXT_NOT_CONTAINS, TEXT_STARTS_WITH, TEXT_ENDS_WITH (text compared without case, as formulas'
`=` does), BLANK and NOT_BLANK. A condition value that starts with "=" is a formula, moved the
same way. Gradient rules and the DATE_* conditions are not evaluated (the cell keeps its own
format).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from . import sheetmodel as sm
from .batch_refs import offset_formula
from .cellvalues import to_python
from .formula import CellError, Value, evaluate
from .formula_functions import compare, parse_numeric_text, to_text

Format = dict[str, Any]
Shown = tuple[int, int]  # (row, column), 0-based


class SheetValues:
    """The formula resolver over a spreadsheet's stored values (formulas as last calculated)."""

    def __init__(self, doc: sm.Doc, sheet: sm.Sheet) -> None:
        self.doc = doc
        self.sheet = sheet

    def _target(self, name: str | None) -> sm.Sheet | None:
        return self.sheet if name is None else sm.sheet_by_title(self.doc, name)

    def has_sheet(self, sheet: str) -> bool:
        return sm.sheet_by_title(self.doc, sheet) is not None

    def cell(self, sheet: str | None, row: int, col: int) -> Value:
        target = self._target(sheet)
        if target is None:
            return CellError("REF", f"Unresolved sheet name '{sheet}'.")
        return value_of(target, row, col)

    def area(
        self,
        sheet: str | None,
        start_row: int,
        start_col: int,
        end_row: int | None,
        end_col: int | None,
    ) -> list[list[Value]]:
        target = self._target(sheet)
        if target is None:
            return [[CellError("REF", f"Unresolved sheet name '{sheet}'.")]]
        rows, cols = sm.grid_size(target)
        end_row = rows if end_row is None else min(end_row, rows)
        end_col = cols if end_col is None else min(end_col, cols)
        used = min(end_row, len(target.get("grid", [])))
        return [
            [value_of(target, r, c) for c in range(start_col, end_col)]
            for r in range(start_row, used)
        ]


def value_of(sheet: sm.Sheet, row: int, col: int) -> Value:
    """A cell's value as formulas see it: its effective value, None when empty."""
    stored = sm.cell(sheet, row, col) or {}
    effective = stored.get("effectiveValue") or {}
    if "errorValue" in effective:
        error = effective["errorValue"]
        return CellError(str(error.get("type", "ERROR")), str(error.get("message", "")))
    plain = to_python(effective)
    return plain if not isinstance(plain, dict) else None


def conditional_formats(
    doc: sm.Doc, sheet: sm.Sheet, height: int, width: int, today: date
) -> dict[Shown, Format]:
    """The format each cell of the shown area (rows < height, columns < width) takes from the
    sheet's conditional formats; cells no rule formats are left out."""
    values = SheetValues(doc, sheet)
    found: dict[Shown, Format] = {}
    for rule in sheet.get("conditionalFormats") or []:
        boolean = rule.get("booleanRule")
        ranges = rule.get("ranges") or []
        if not boolean or not ranges:
            continue
        anchor = sm.grid_range_bounds(sheet, ranges[0])
        holds = _condition(boolean.get("condition") or {}, values, today)
        for grid_range in ranges:
            top, left, bottom, right = sm.grid_range_bounds(sheet, grid_range)
            for row in range(top, min(bottom, height)):
                for col in range(left, min(right, width)):
                    if (row, col) in found:
                        continue
                    if holds(row, col, row - anchor[0], col - anchor[1]):
                        found[(row, col)] = boolean.get("format") or {}
    return found


Check = Callable[[int, int, int, int], bool]  # (row, col, rows moved, cols moved) -> holds


def _condition(condition: dict[str, Any], values: SheetValues, today: date) -> Check:
    kind = str(condition.get("type", ""))
    given = [str(v.get("userEnteredValue", "")) for v in condition.get("values") or []]
    results: dict[str, Value] = {}  # a formula moved to a cell whose column it does not name

    def operand(index: int, down: int, right: int) -> Value:
        text = given[index] if index < len(given) else ""
        if not text.startswith("="):
            return text
        moved = offset_formula(text, down, right)
        if moved not in results:
            results[moved] = evaluate(moved, values, today)
        return results[moved]

    def holds(row: int, col: int, down: int, right: int) -> bool:
        if kind == "CUSTOM_FORMULA":
            return _true(operand(0, down, right))
        value = value_of(values.sheet, row, col)
        if kind in ("BLANK", "NOT_BLANK"):
            blank = value is None or value == ""
            return blank if kind == "BLANK" else not blank
        if kind.startswith("NUMBER_"):
            return _number_holds(kind, value, [operand(i, down, right) for i in range(2)])
        if kind.startswith("TEXT_"):
            return _text_holds(kind, value, operand(0, down, right))
        return False

    return holds


def _true(value: Value) -> bool:
    """A custom formula formats the cell when it is TRUE (or a non-zero number)."""
    if isinstance(value, bool):
        return value
    return isinstance(value, float | int) and value != 0


def _number(value: Value) -> float | None:
    if isinstance(value, bool) or value is None or isinstance(value, CellError):
        return None
    if isinstance(value, float | int):
        return float(value)
    return parse_numeric_text(value) if value.strip() else None


def _number_holds(kind: str, value: Value, bounds: list[Value]) -> bool:
    if isinstance(value, bool) or not isinstance(value, float | int):
        return False  # a number condition holds for numbers only
    first, second = _number(bounds[0]), _number(bounds[1])
    if first is None:
        return False
    tests = {
        "NUMBER_GREATER": lambda: value > first,
        "NUMBER_GREATER_THAN_EQ": lambda: value >= first,
        "NUMBER_LESS": lambda: value < first,
        "NUMBER_LESS_THAN_EQ": lambda: value <= first,
        "NUMBER_EQ": lambda: value == first,
        "NUMBER_NOT_EQ": lambda: value != first,
        "NUMBER_BETWEEN": lambda: (
            second is not None and min(first, second) <= value <= max(first, second)
        ),
        "NUMBER_NOT_BETWEEN": lambda: (
            second is not None and not min(first, second) <= value <= max(first, second)
        ),
    }
    test = tests.get(kind)
    return bool(test()) if test else False


def _text_holds(kind: str, value: Value, wanted: Value) -> bool:
    if isinstance(value, CellError) or isinstance(wanted, CellError):
        return False
    text, key = to_text(value), to_text(wanted)
    if isinstance(text, CellError) or isinstance(key, CellError):
        return False
    if kind == "TEXT_EQ":
        return value is not None and compare(text, key) == 0
    folded, part = text.casefold(), key.casefold()
    return {
        "TEXT_CONTAINS": part in folded,
        "TEXT_NOT_CONTAINS": part not in folded,
        "TEXT_STARTS_WITH": folded.startswith(part),
        "TEXT_ENDS_WITH": folded.endswith(part),
    }.get(kind, False)
