"""Rewriting the references in formulas, as Sheets does when the grid under them changes.

Inserting rows pushes `A5` to `A6` and grows `A1:A10` when the rows land inside it; deleting
rows pulls references up, shrinks ranges, and turns a reference whose cells are all gone into
`#REF!`; renaming a sheet renames it in formulas; deleting a sheet turns references to it into
`#REF!`; a pasted formula moves its relative references by the paste offset.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import sheetmodel as sm
from .a1 import col_index, col_letters, quote_sheet

_CORNER = r"\$?[A-Za-z]{1,3}\$?[0-9]+"
_COL = r"\$?[A-Za-z]{1,3}"
_ROW = r"\$?[0-9]+"
_SCAN = re.compile(
    rf"""
    (?P<string>"(?:[^"]|"")*")
  | (?<![A-Za-z0-9_.$'!:])
    (?P<ref>
        (?:(?P<sheet>'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!)?
        (?P<body>{_CORNER}(?::(?:{_CORNER}|{_COL}|{_ROW}))?
          |{_COL}:(?:{_CORNER}|{_COL})
          |{_ROW}:(?:{_CORNER}|{_ROW}))
    )(?![A-Za-z0-9_.(!:$])
    """,
    re.VERBOSE,
)
_PART = re.compile(r"(?:(\$?)([A-Za-z]{1,3}))?(?:(\$?)([0-9]+))?")

REF_ERROR = "#REF!"


class _Corner:
    """One end of a reference: column and row (0-based, None if absent) and their `$` marks."""

    def __init__(self, text: str) -> None:
        m = _PART.fullmatch(text)
        assert m is not None
        self.col_abs, self.row_abs = m.group(1) == "$", m.group(3) == "$"
        self.col = col_index(m.group(2)) if m.group(2) else None
        self.row = int(m.group(4)) - 1 if m.group(4) else None

    def text(self) -> str:
        out = ""
        if self.col is not None:
            out += ("$" if self.col_abs else "") + col_letters(self.col)
        if self.row is not None:
            out += ("$" if self.row_abs else "") + str(self.row + 1)
        return out


# A rewrite of one reference's corners: the new corners, or None for #REF!.
Rewrite = Callable[[list[_Corner]], list[_Corner] | None]


def _unquote(name: str) -> str:
    return name[1:-1].replace("''", "'") if name.startswith("'") else name


def rewrite_formula(
    formula: str, host: str, rewrite: Callable[[str, list[_Corner]], list[_Corner] | None]
) -> str:
    """Apply `rewrite(target sheet title, corners)` to every reference outside string literals."""

    def one(m: re.Match[str]) -> str:
        if m.group("string") is not None:
            return m.group()
        sheet = m.group("sheet")
        target = _unquote(sheet) if sheet else host
        corners = [_Corner(part) for part in m.group("body").split(":")]
        result = rewrite(target, corners)
        if result is None:
            return REF_ERROR
        prefix = m.group()[: len(m.group()) - len(m.group("body"))]
        return prefix + ":".join(c.text() for c in result)

    return _SCAN.sub(one, formula)


def _for_each_formula(doc: sm.Doc, edit: Callable[[str, str], str]) -> None:
    """Replace every formula f in the spreadsheet by edit(f, title of its sheet)."""
    for sheet in doc["sheets"]:
        host = sm.title(sheet)
        for values in sheet.get("grid", []):
            for stored in values or []:
                value = (stored or {}).get("userEnteredValue") or {}
                if "formulaValue" in value:
                    value["formulaValue"] = edit(value["formulaValue"], host)


def shift_references(doc: sm.Doc, sheet: sm.Sheet, dimension: str, start: int, count: int) -> None:
    """Follow an insertion (count > 0) or deletion (count < 0) of rows/columns in `sheet`."""
    name = sm.title(sheet).lower()
    rows = dimension == "ROWS"

    def move(target: str, corners: list[_Corner]) -> list[_Corner] | None:
        if target.lower() != name:
            return corners
        values = [c.row if rows else c.col for c in corners]
        if any(v is None for v in values):  # `A:A` under a row change, `1:2` under a column one
            return corners
        lo, hi = min(values), max(values)  # type: ignore[type-var]
        assert lo is not None and hi is not None
        if count > 0:
            new_lo = lo + count if lo >= start else lo
            new_hi = hi + count if hi >= start else hi
        else:
            end = start - count
            new_lo = lo if lo < start else (start if lo < end else lo + count)
            new_hi = hi if hi < start else (start - 1 if hi < end else hi + count)
            if new_hi < new_lo:
                return None
        for corner in corners:
            current = corner.row if rows else corner.col
            new = new_lo if current == lo else new_hi
            if rows:
                corner.row = new
            else:
                corner.col = new
        return corners

    _for_each_formula(doc, lambda f, host: rewrite_formula(f, host, move))


def rename_references(doc: sm.Doc, old: str, new: str) -> None:
    """A renamed sheet is renamed in every formula that names it."""

    def edit(formula: str, host: str) -> str:
        def one(m: re.Match[str]) -> str:
            sheet = m.group("sheet") if m.group("string") is None else None
            if sheet is None or _unquote(sheet).lower() != old.lower():
                return m.group()
            return f"{quote_sheet(new)}!{m.group('body')}"

        return _SCAN.sub(one, formula)

    _for_each_formula(doc, edit)


def drop_references(doc: sm.Doc, title: str) -> None:
    """References to a deleted sheet become #REF!."""

    def gone(target: str, corners: list[_Corner]) -> list[_Corner] | None:
        return None if target.lower() == title.lower() else corners

    def edit(formula: str, host: str) -> str:
        # The host of a formula still in the document is never the deleted sheet, so a
        # reference without a sheet name is never touched.
        return rewrite_formula(formula, host, gone)

    _for_each_formula(doc, edit)


def offset_formula(formula: str, rows: int, cols: int) -> str:
    """A formula copied `rows` down and `cols` right: relative references move with it."""

    def move(target: str, corners: list[_Corner]) -> list[_Corner] | None:
        for corner in corners:
            if corner.row is not None and not corner.row_abs:
                corner.row += rows
            if corner.col is not None and not corner.col_abs:
                corner.col += cols
            if (corner.row is not None and corner.row < 0) or (
                corner.col is not None and corner.col < 0
            ):
                return None
        return corners

    return rewrite_formula(formula, "", move)
