"""A small Sheets formula language: tokenizer, Pratt parser and evaluator over a cell resolver.

Supports numbers, "text" (with `""` escapes), TRUE/FALSE, references (`A1`, `$A$1`, `Sheet2!A1`,
`'My Sheet'!B2`, `A1:B3`, `A:A`, `1:2`, `A2:C`), the operators of Sheets with its precedence
(comparison < `&` < `+ -` < `* /` < `^` < unary minus < postfix `%`, all left-associative, so
`-2^2` is 4 and `2^3^2` is 64 as in Sheets) and the functions in `formula_functions`.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from dataclasses import dataclass
from typing import Protocol

from .a1 import A1Error, A1Range, parse_range
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
# Tokens

_CORNER = r"\$?[A-Za-z]{1,3}\$?[0-9]+"
_COLUMN = r"\$?[A-Za-z]{1,3}"
_ROW = r"\$?[0-9]+"
_TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
  | (?P<ref>
        (?:(?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!)?
        (?:{_CORNER}(?::(?:{_CORNER}|{_COLUMN}|{_ROW}))?
          |{_COLUMN}:(?:{_CORNER}|{_COLUMN})
          |{_ROW}:(?:{_CORNER}|{_ROW}))
    )(?![A-Za-z0-9_.(!:$])
  | (?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<string>"(?:[^"]|"")*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<op><>|<=|>=|[-+*/^&=<>%(),])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str  # "ref", "number", "string", "name", "op" or "end"
    text: str


class _ParseError(Exception):
    """The formula text is not valid; evaluates to #ERROR! "Formula parse error."."""


def _tokenize(body: str) -> list[_Token]:
    """Split formula text (after the `=`) into tokens, ending with an "end" token."""
    tokens: list[_Token] = []
    pos = 0
    while pos < len(body):
        m = _TOKEN.match(body, pos)
        if m is None or m.lastgroup is None:
            raise _ParseError(body[pos:])
        pos = m.end()
        if m.lastgroup != "ws":
            tokens.append(_Token(m.lastgroup, m.group()))
    tokens.append(_Token("end", ""))
    return tokens


# ---------------------------------------------------------------------------------------------
# Syntax tree


@dataclass(frozen=True)
class _Literal:
    value: Value


@dataclass(frozen=True)
class _Ref:
    range: A1Range


@dataclass(frozen=True)
class _Name:
    name: str


@dataclass(frozen=True)
class _Unary:
    op: str  # "-", "+" or "%" (postfix)
    operand: _Node


@dataclass(frozen=True)
class _Binary:
    op: str
    left: _Node
    right: _Node


@dataclass(frozen=True)
class _Call:
    name: str
    args: tuple[_Node, ...]


_Node = _Literal | _Ref | _Name | _Unary | _Binary | _Call

_INFIX = {"=": 10, "<>": 10, "<": 10, ">": 10, "<=": 10, ">=": 10}
_INFIX.update({"&": 20, "+": 30, "-": 30, "*": 40, "/": 40, "^": 50})
_PREFIX_POWER = 60
_PERCENT_POWER = 70


class _Parser:
    """Recursive-descent (Pratt) parser over a token list."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        if token.kind != "end":
            self.pos += 1
        return token

    def expect(self, text: str) -> None:
        token = self.take()
        if token.kind != "op" or token.text != text:
            raise _ParseError(token.text)

    def formula(self) -> _Node:
        node = self.expression(0)
        if self.peek().kind != "end":
            raise _ParseError(self.peek().text)
        return node

    def expression(self, min_power: int) -> _Node:
        left = self.prefix()
        while True:
            token = self.peek()
            if token.kind != "op":
                return left
            if token.text == "%":
                self.take()  # postfix percent binds tightest of all
                left = _Unary("%", left)
                continue
            power = _INFIX.get(token.text)
            if power is None or power <= min_power:
                return left
            self.take()
            left = _Binary(token.text, left, self.expression(power))

    def prefix(self) -> _Node:
        token = self.take()
        if token.kind == "number":
            return _Literal(float(token.text))
        if token.kind == "string":
            return _Literal(token.text[1:-1].replace('""', '"'))
        if token.kind == "ref":
            return self.reference(token.text)
        if token.kind == "name":
            if self.peek().kind == "op" and self.peek().text == "(":
                self.take()
                return _Call(token.text, self.arguments())
            if token.text.upper() in ("TRUE", "FALSE"):
                return _Literal(token.text.upper() == "TRUE")
            return _Name(token.text)
        if token.kind == "op" and token.text in ("-", "+"):
            return _Unary(token.text, self.expression(_PREFIX_POWER))
        if token.kind == "op" and token.text == "(":
            node = self.expression(0)
            self.expect(")")
            return node
        raise _ParseError(token.text)

    def reference(self, text: str) -> _Node:
        try:
            return _Ref(parse_range(text))
        except A1Error:
            return _Name(text)  # e.g. `A0`: not a cell, so an (unknown) named range

    def arguments(self) -> tuple[_Node, ...]:
        """Arguments after `(` up to `)`; an empty slot (`IF(A1,,2)`) is an empty value."""
        args: list[_Node] = []
        if self.peek().kind == "op" and self.peek().text == ")":
            self.take()
            return ()
        while True:
            token = self.peek()
            if token.kind == "op" and token.text in (",", ")"):
                args.append(_Literal(None))
            else:
                args.append(self.expression(0))
            closer = self.take()
            if closer.kind == "op" and closer.text == ")":
                return tuple(args)
            if closer.kind != "op" or closer.text != ",":
                raise _ParseError(closer.text)


@functools.lru_cache(maxsize=8192)
def _parse(formula: str) -> _Node:
    """Parse a formula including its leading `=`; raise _ParseError if it is not one.

    Trees are immutable and a sheet recalculates the same formulas on every write: cached.
    """
    if not formula.startswith("="):
        raise _ParseError(formula)
    try:
        return _Parser(_tokenize(formula[1:])).formula()
    except RecursionError as exc:
        raise _ParseError("nested too deeply") from exc


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

    def eval(self, node: _Node) -> Operand:
        if isinstance(node, _Literal):
            return node.value
        if isinstance(node, _Ref):
            return self.ref(node.range)
        if isinstance(node, _Name):
            return CellError("NAME", f"Unknown range name: '{node.name}'.")
        if isinstance(node, _Unary):
            return self.unary(node)
        if isinstance(node, _Binary):
            return self.binary(node)
        args = [self.thunk(arg) for arg in node.args]
        return call(node.name, args, self.today)

    def thunk(self, node: _Node) -> Thunk:
        return lambda: self.eval(node)

    def ref(self, r: A1Range) -> Operand:
        if r.sheet is not None and not self.resolver.has_sheet(r.sheet):
            return CellError("REF", f"Unresolved sheet name '{r.sheet}'.")
        sr, sc = r.start_row or 0, r.start_col or 0
        if r.end_row == sr + 1 and r.end_col == sc + 1:
            return Area([[self.resolver.cell(r.sheet, sr, sc)]])
        return Area(self.resolver.area(r.sheet, sr, sc, r.end_row, r.end_col))

    def unary(self, node: _Unary) -> Value:
        fn = {"-": "UMINUS", "+": "UPLUS", "%": "UNARY_PERCENT"}[node.op]
        value = scalar(self.eval(node.operand), fn, 1)
        if node.op == "+":
            return value  # Sheets' unary plus leaves its operand as it is, text included
        number = to_number(value, fn, 1)
        if isinstance(number, CellError):
            return number
        return -number if node.op == "-" else number / 100

    def binary(self, node: _Binary) -> Value:
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
        tree = _parse(formula)
    except _ParseError:
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
        tree = _parse(formula)
    except _ParseError:
        return []
    found: list[Reference] = []
    stack: list[_Node] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, _Ref):
            r = node.range
            found.append((r.sheet, r.start_row or 0, r.start_col or 0, r.end_row, r.end_col))
        elif isinstance(node, _Unary):
            stack.append(node.operand)
        elif isinstance(node, _Binary):
            stack.extend((node.right, node.left))
        elif isinstance(node, _Call):
            stack.extend(reversed(node.args))
    return found
