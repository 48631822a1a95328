"""ISNUMBER, IFERROR, MATCH and INDEX for the local formula evaluator (registered on import).

The product's conditional formats use them (an open step dated past its milestone's row, found
by Step ID), so the stand-in's UI can colour a plan as Google does. Behaviour as documented:
https://support.google.com/docs/answer/3093296 (ISNUMBER: TRUE for a number, FALSE for anything
else, errors included), https://support.google.com/docs/answer/3093304 (IFERROR: the second
argument, or blank when it is left out, if the first is an error),
https://support.google.com/docs/answer/3093378 (MATCH: search_type 1, the default, assumes an
ascending range and finds the largest value at most the key; 0 an exact match; -1 a descending
range and the smallest value at least the key; the position is 1-based; #N/A when not found) and
https://support.google.com/docs/answer/3098242 (INDEX: 1-based row and column offsets; 0 or a
left-out offset where the reference is one row or column wide).
"""

from __future__ import annotations

import datetime

from .formula_functions import (
    FUNCTIONS,
    Area,
    CellError,
    Operand,
    Thunk,
    Value,
    compare,
    scalar,
    to_number,
)


def _isnumber(args: list[Thunk], today: datetime.date) -> Value:
    value = scalar(args[0](), "ISNUMBER", 1)
    return isinstance(value, float | int) and not isinstance(value, bool)


def _iferror(args: list[Thunk], today: datetime.date) -> Value:
    value = scalar(args[0](), "IFERROR", 1)
    if not isinstance(value, CellError):
        return value
    return scalar(args[1](), "IFERROR", 2) if len(args) > 1 else None


def _line(x: Operand) -> list[Value] | CellError:
    """The values of a one-row or one-column reference, in order."""
    rows: list[list[Value]] = x.rows if isinstance(x, Area) else [[x]]
    if len(rows) == 1:
        return list(rows[0])
    if all(len(row) == 1 for row in rows):
        return [row[0] for row in rows]
    return CellError("N_A", "MATCH range must be a single row or a single column.")


def _match(args: list[Thunk], today: datetime.date) -> Value:
    key = scalar(args[0](), "MATCH", 1)
    if isinstance(key, CellError):
        return key
    values = _line(args[1]())
    if isinstance(values, CellError):
        return values
    kind = to_number(scalar(args[2](), "MATCH", 3), "MATCH", 3) if len(args) > 2 else 1.0
    if isinstance(kind, CellError):
        return kind
    found = None
    for position, value in enumerate(values, start=1):
        if value is None or isinstance(value, CellError):
            continue
        order = compare(value, key)
        if isinstance(order, CellError):
            continue
        if kind == 0 and order == 0 and type(value) is type(key):
            found = position
            break
        if kind > 0 and order <= 0:
            found = position
        elif kind < 0 and order >= 0:
            found = position
    if found is None:
        shown = key if isinstance(key, str) else to_number(key, "MATCH", 1)
        return CellError("N_A", f"Did not find value '{shown}' in MATCH evaluation.")
    return float(found)


def _offset(args: list[Thunk], index: int, size: int) -> int | CellError:
    """INDEX's row (index 1) or column (index 2) argument as a 0-based offset; -1 for "all"."""
    if len(args) <= index:
        return -1
    number = to_number(scalar(args[index](), "INDEX", index + 1), "INDEX", index + 1)
    if isinstance(number, CellError):
        return number
    whole = int(number)
    if whole < 0 or whole > size:
        return CellError(
            "REF",
            f"Function INDEX parameter {index + 1} value is {whole}. "
            f"Valid values are between 0 and {size} inclusive.",
        )
    return whole - 1


def _index(args: list[Thunk], today: datetime.date) -> Value:
    area = args[0]()
    rows = area.rows if isinstance(area, Area) else [[area]]
    height, width = len(rows), max((len(row) for row in rows), default=0)
    row, col = _offset(args, 1, height), _offset(args, 2, width)
    if isinstance(row, CellError):
        return row
    if isinstance(col, CellError):
        return col
    if row < 0 and height == 1:
        row = 0
    if col < 0 and width == 1:
        col = 0
    if row < 0 or col < 0:  # a whole row or column where one value is shown
        return CellError("VALUE", "A range cannot be shown where a single value is expected.")
    line = rows[row] if row < height else []
    return line[col] if col < len(line) else None


FUNCTIONS.update(
    {
        "ISNUMBER": (_isnumber, 1, 1),
        "IFERROR": (_iferror, 1, 2),
        "MATCH": (_match, 2, 3),
        "INDEX": (_index, 1, 3),
    }
)
