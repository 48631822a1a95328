"""Sheets formula syntax: the tokenizer and the Pratt parser that builds an immutable tree.

`formula` evaluates the tree. Precedence, lowest first: comparison < `&` < `+ -` < `* /` < `^` <
unary minus < postfix `%`, all left-associative, so `-2^2` is 4 and `2^3^2` is 64 as in Sheets.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .a1 import A1Error, A1Range, parse_range
from .formula_functions import Value

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


class ParseError(Exception):
    """The formula text is not valid; evaluates to #ERROR! "Formula parse error."."""


def _tokenize(body: str) -> list[_Token]:
    """Split formula text (after the `=`) into tokens, ending with an "end" token."""
    tokens: list[_Token] = []
    pos = 0
    while pos < len(body):
        m = _TOKEN.match(body, pos)
        if m is None or m.lastgroup is None:
            raise ParseError(body[pos:])
        pos = m.end()
        if m.lastgroup != "ws":
            tokens.append(_Token(m.lastgroup, m.group()))
    tokens.append(_Token("end", ""))
    return tokens


# ---------------------------------------------------------------------------------------------
# Syntax tree


@dataclass(frozen=True)
class Literal:
    value: Value


@dataclass(frozen=True)
class Ref:
    range: A1Range


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Unary:
    op: str  # "-", "+" or "%" (postfix)
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Literal | Ref | Name | Unary | Binary | Call

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
            raise ParseError(token.text)

    def formula(self) -> Node:
        node = self.expression(0)
        if self.peek().kind != "end":
            raise ParseError(self.peek().text)
        return node

    def expression(self, min_power: int) -> Node:
        left = self.prefix()
        while True:
            token = self.peek()
            if token.kind != "op":
                return left
            if token.text == "%":
                self.take()  # postfix percent binds tightest of all
                left = Unary("%", left)
                continue
            power = _INFIX.get(token.text)
            if power is None or power <= min_power:
                return left
            self.take()
            left = Binary(token.text, left, self.expression(power))

    def prefix(self) -> Node:
        token = self.take()
        if token.kind == "number":
            return Literal(float(token.text))
        if token.kind == "string":
            return Literal(token.text[1:-1].replace('""', '"'))
        if token.kind == "ref":
            return self.reference(token.text)
        if token.kind == "name":
            if self.peek().kind == "op" and self.peek().text == "(":
                self.take()
                return Call(token.text, self.arguments())
            if token.text.upper() in ("TRUE", "FALSE"):
                return Literal(token.text.upper() == "TRUE")
            return Name(token.text)
        if token.kind == "op" and token.text in ("-", "+"):
            return Unary(token.text, self.expression(_PREFIX_POWER))
        if token.kind == "op" and token.text == "(":
            node = self.expression(0)
            self.expect(")")
            return node
        raise ParseError(token.text)

    def reference(self, text: str) -> Node:
        try:
            return Ref(parse_range(text))
        except A1Error:
            return Name(text)  # e.g. `A0`: not a cell, so an (unknown) named range

    def arguments(self) -> tuple[Node, ...]:
        """Arguments after `(` up to `)`; an empty slot (`IF(A1,,2)`) is an empty value."""
        args: list[Node] = []
        if self.peek().kind == "op" and self.peek().text == ")":
            self.take()
            return ()
        while True:
            token = self.peek()
            if token.kind == "op" and token.text in (",", ")"):
                args.append(Literal(None))
            else:
                args.append(self.expression(0))
            closer = self.take()
            if closer.kind == "op" and closer.text == ")":
                return tuple(args)
            if closer.kind != "op" or closer.text != ",":
                raise ParseError(closer.text)


@functools.lru_cache(maxsize=8192)
def parse(formula: str) -> Node:
    """Parse a formula including its leading `=`; raise ParseError if it is not one.

    Trees are immutable and a sheet recalculates the same formulas on every write: cached.
    """
    if not formula.startswith("="):
        raise ParseError(formula)
    try:
        return _Parser(_tokenize(formula[1:])).formula()
    except RecursionError as exc:
        raise ParseError("nested too deeply") from exc
