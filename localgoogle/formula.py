"""A small Sheets formula language: the evaluator over a cell resolver (parsing: `formula_parse`).

Supports numbers, "text" (with `""` escapes), TRUE/FALSE, references (`A1`, `$A$1`, `Sheet2!A1`,
`'My Sheet'!B2`, `A1:B3`, `A:A`, `1:2`, `A2:C`), the operators of Sheets with its precedence
(comparison < `&` < `+ -` < `* /` < `^` < unary minus < postfix `%`, all left-associative, so
`-2^2` is 4 and `2^3^2` is 64 as in Sheets) and the functions in `formula_functions`.
"""

from __future__ import annotations

import datetime
import math
from typing import Protocol

from . import formula_lookup  # noqa: F401  (registers ISNUMBER, IFERROR, MATCH, INDEX)
from .a1 import A1Range
from .formula_functions import (
    Area,
    CellError,
    Operand,
    Thunk,
    Value,
    call,
    compare,
    scalar,
    to_number,
    to_text,
)
from .formula_parse import Binary, Call, Literal, Name, Node, ParseError, Ref, Unary, parse

__all__ = ["CellError", "Resolver", "Value", "evaluate", "references"]

Reference = tuple[str | None, int, int, int | None, int | None]

PARSE_ERROR = CellError("ERROR", "Formula parse error.")


class Resolver(Protocol):
    """Where a formula's references get their values; rows and columns are 0-based."""

    def cell(self, sheet: str | None, row: int, col: int) -> Value:
        """The value of one cell; sheet None is the formula's own sheet."""
        ...

    def area(
        self,
        sheet: str | None,
        start_row: int,
        start_col: int,
        end_row: int | None,
        end_col: int | None,
    ) -> list[list[Value]]:
        """The values of a half-open range, rows of columns; a None end is clipped to the grid."""
        ...

    def has_sheet(self, sheet: str) -> bool:
        """Whether the spreadsheet has a sheet with this title."""
        ...


# ---------------------------------------------------------------------------------------------
# Evaluation

# Operator -> the Sheets function name its error messages use.
_OP_NAMES = {"+": "ADD", "-": "MINUS", "*": "MULTIPLY", "/": "DIVIDE", "^": "POW", "&": "CONCAT"}
_OP_NAMES.update({"=": "EQ", "<>": "NE", "<": "LT", ">": "GT", "<=": "LTE", ">=": "GTE"})
# Comparison operator -> the orderings (-1, 0, 1) for which it is TRUE.
_COMPARISONS: dict[str, tuple[int, ...]] = {
    "=": (0,),
    "<>": (-1, 1),
    "<": (-1,),
    ">": (1,),
    "<=": (-1, 0),
    ">=": (0, 1),
}
_NOT_FINITE = CellError("NUM", "Result was not finite.")


class _Evaluator:
    """Walks a syntax tree, fetching referenced values from the resolver."""

    def __init__(self, resolver: Resolver, today: datetime.date) -> None:
        self.resolver = resolver
        self.today = today

    def eval(self, node: Node) -> Operand:
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Ref):
            return self.ref(node.range)
        if isinstance(node, Name):
            return CellError("NAME", f"Unknown range name: '{node.name}'.")
        if isinstance(node, Unary):
            return self.unary(node)
        if isinstance(node, Binary):
            return self.binary(node)
        args = [self.thunk(arg) for arg in node.args]
        return call(node.name, args, self.today)

    def thunk(self, node: Node) -> Thunk:
        return lambda: self.eval(node)

    def ref(self, r: A1Range) -> Operand:
        if r.sheet is not None and not self.resolver.has_sheet(r.sheet):
            return CellError("REF", f"Unresolved sheet name '{r.sheet}'.")
        sr, sc = r.start_row or 0, r.start_col or 0
        if r.end_row == sr + 1 and r.end_col == sc + 1:
            return Area([[self.resolver.cell(r.sheet, sr, sc)]])
        return Area(self.resolver.area(r.sheet, sr, sc, r.end_row, r.end_col))

    def unary(self, node: Unary) -> Value:
        fn = {"-": "UMINUS", "+": "UPLUS", "%": "UNARY_PERCENT"}[node.op]
        value = scalar(self.eval(node.operand), fn, 1)
        if node.op == "+":
            return value  # Sheets' unary plus leaves its operand as it is, text included
        number = to_number(value, fn, 1)
        if isinstance(number, CellError):
            return number
        return -number if node.op == "-" else number / 100

    def binary(self, node: Binary) -> Value:
        fn = _OP_NAMES[node.op]
        left = scalar(self.eval(node.left), fn, 1)
        right = scalar(self.eval(node.right), fn, 2)
        if node.op in _COMPARISONS:
            order = compare(left, right)
            return order if isinstance(order, CellError) else order in _COMPARISONS[node.op]
        if node.op == "&":
            a, b = to_text(left), to_text(right)
            if isinstance(a, CellError):
                return a
            return b if isinstance(b, CellError) else a + b
        x, y = to_number(left, fn, 1), to_number(right, fn, 2)
        if isinstance(x, CellError):
            return x
        if isinstance(y, CellError):
            return y
        return _arithmetic(node.op, x, y)


def _arithmetic(op: str, x: float, y: float) -> Value:
    """One of + - * / ^ on two numbers, with Sheets' errors for /0, bad powers and overflow."""
    if op == "+":
        result = x + y
    elif op == "-":
        result = x - y
    elif op == "*":
        result = x * y
    elif op == "/":
        if y == 0:
            return CellError("DIVIDE_BY_ZERO", "Function DIVIDE parameter 2 cannot be zero.")
        result = x / y
    else:
        if x == 0 and y < 0:
            return CellError("DIVIDE_BY_ZERO", "Function POW caused a divide by zero error.")
        try:
            result = math.pow(x, y)  # 0^0 is 1 in Sheets, as in math.pow
        except ValueError:
            return CellError("NUM", "Function POW parameter 1 value is negative.")
        except OverflowError:
            return _NOT_FINITE
    return result if math.isfinite(result) else _NOT_FINITE


def _top_level(x: Operand) -> Value:
    """The single value a cell shows; a multi-cell range (an array result) is not supported."""
    if isinstance(x, Area) and len([v for row in x.rows for v in row]) > 1:
        return CellError("VALUE", "A range cannot be shown where a single value is expected.")
    return scalar(x, "EVAL", 1)


def evaluate(formula: str, resolver: Resolver, today: datetime.date) -> Value:
    """The value of a formula (text including its `=`); formula problems come back as CellError.

    A direct reference to an empty cell (`=A1`) yields None, as Sheets shows such a formula
    blank. Exceptions raised by the resolver itself propagate unchanged.
    """
    try:
        tree = parse(formula)
    except ParseError:
        return PARSE_ERROR
    try:
        result = _top_level(_Evaluator(resolver, today).eval(tree))
    except RecursionError:
        return CellError("ERROR", "Formula is too deeply nested.")
    if isinstance(result, float | int) and not isinstance(result, bool):
        if not math.isfinite(result):
            return _NOT_FINITE
        return float(result) + 0.0  # -0.0 becomes 0.0
    return result


def references(formula: str) -> list[Reference]:
    """The references in a formula, in order, as (sheet, start_row, start_col, end_row, end_col).

    Open starts are 0 and open ends None (clip to the grid); [] if the formula does not parse.
    """
    try:
        tree = parse(formula)
    except ParseError:
        return []
    found: list[Reference] = []
    stack: list[Node] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Ref):
            r = node.range
            found.append((r.sheet, r.start_row or 0, r.start_col or 0, r.end_row, r.end_col))
        elif isinstance(node, Unary):
            stack.append(node.operand)
        elif isinstance(node, Binary):
            stack.extend((node.right, node.left))
        elif isinstance(node, Call):
            stack.extend(reversed(node.args))
    return found
