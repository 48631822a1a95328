"""A1 notation as the Sheets v4 API reads and echoes it: parsing, formatting, sheet-title quoting.

Pure functions, no I/O. Rows and columns are 0-based in code and 1-based / lettered in text.
Google documents the forms at https://developers.google.com/sheets/api/guides/concepts#cell:
`Sheet1!A1:B2`, `Sheet1!A:A`, `Sheet1!1:2`, `Sheet1!A5:A`, `A1:B2`, `Sheet1`,
`'My Custom Sheet'!A:A` and `'My Custom Sheet'`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_COLUMNS = 18278  # column ZZZ, the widest grid Sheets allows
MAX_ROWS = 10_000_000  # a spreadsheet holds at most ten million cells, so no grid is taller

# One corner of a range: optional `$`-marked column letters, optional `$`-marked row number.
_REF = re.compile(r"(?:\$?([A-Za-z]+))?(?:\$?([0-9]+))?")
# A bare word that reads as a cell (up to three letters, then digits) is a cell, never a sheet.
_CELL_LIKE = re.compile(r"\$?[A-Za-z]{1,3}\$?[0-9]+")
# Titles Google leaves unquoted: letters, digits and underscore, not starting with a digit.
_PLAIN_TITLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# R1C1-style words (`R1C1`, `RC`, `R2`, `C`, ...); quoted because they could read as references.
_R1C1_LIKE = re.compile(r"(?:[Rr][0-9]*)?(?:[Cc][0-9]*)?")


class A1Error(ValueError):
    """A range text that is not valid A1 notation; the message is the text itself."""


@dataclass(frozen=True)
class A1Range:
    """A parsed range: an optional sheet title and half-open, possibly open-ended, grid bounds."""

    sheet: str | None  # unquoted sheet title, None if the text named no sheet
    start_row: int | None  # 0-based inclusive; None = open (from the top)
    start_col: int | None  # 0-based inclusive; None = open (from column A)
    end_row: int | None  # 0-based exclusive; None = open (to the bottom of the grid)
    end_col: int | None  # 0-based exclusive; None = open (to the last column)

    @property
    def is_whole_sheet(self) -> bool:
        """Whether the range names a sheet and no cells (every bound open)."""
        return (
            self.start_row is None
            and self.start_col is None
            and self.end_row is None
            and self.end_col is None
        )


def col_letters(index: int) -> str:
    """The column letters for a 0-based column index: 0 -> "A", 25 -> "Z", 26 -> "AA"."""
    if index < 0:
        raise ValueError(f"column index must be >= 0, got {index}")
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def col_index(letters: str) -> int:
    """The 0-based column index for column letters, case-insensitive: "A" -> 0, "aa" -> 26."""
    if not letters or not letters.isascii() or not letters.isalpha():
        raise A1Error(letters)
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - ord("A") + 1)
    return n - 1


def cell_name(row: int, col: int) -> str:
    """The A1 name of a 0-based cell: (0, 0) -> "A1"."""
    if row < 0:
        raise ValueError(f"row index must be >= 0, got {row}")
    return f"{col_letters(col)}{row + 1}"


def quote_sheet(title: str) -> str:
    """A sheet title as it appears in a range: bare if unambiguous, else single-quoted.

    Google leaves a title bare when it is letters, digits and underscore, does not start with a
    digit and cannot be read as an A1 or R1C1 reference; anything else is quoted, with embedded
    single quotes doubled. Quoting is always accepted, so any doubt is resolved by quoting.
    """
    if (
        _PLAIN_TITLE.fullmatch(title)
        and not _CELL_LIKE.fullmatch(title)
        and not _R1C1_LIKE.fullmatch(title)
    ):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_range(sheet: str, start_row: int, start_col: int, end_row: int, end_col: int) -> str:
    """Google's normalised echo of a bounded range: "Sheet1!A1:C10", or "Sheet1!B2" for one cell."""
    first = cell_name(start_row, start_col)
    if end_row - start_row == 1 and end_col - start_col == 1:
        return f"{quote_sheet(sheet)}!{first}"
    return f"{quote_sheet(sheet)}!{first}:{cell_name(end_row - 1, end_col - 1)}"


def parse_range(text: str) -> A1Range:
    """Parse A1 notation with an optional sheet; raise A1Error (message: the text) if malformed."""
    sheet, body = _split_sheet(text)
    if body is None:
        return A1Range(sheet, None, None, None, None)
    return _parse_body(text, sheet, body)


def _split_sheet(text: str) -> tuple[str | None, str | None]:
    """Split the text into (sheet title, cell part); either may be absent, not both."""
    if not text:
        raise A1Error(text)
    if text.startswith("'"):
        title, rest = _read_quoted(text)
        if rest == "":
            return title, None
        if rest.startswith("!") and len(rest) > 1:
            return title, rest[1:]
        raise A1Error(text)
    if "!" in text:
        title, _, body = text.partition("!")
        if not title or not body or "'" in title:
            raise A1Error(text)
        return title, body
    if ":" in text or _CELL_LIKE.fullmatch(text):
        # A bare `A1`, `A1:B2`, `A:C`, `2:5`: cells on the default (first) sheet. A sheet
        # literally titled like a cell has to be quoted to be named on its own.
        return None, text
    if "'" in text:
        raise A1Error(text)
    return text, None  # a bare word such as `Plan` names a whole sheet


def _read_quoted(text: str) -> tuple[str, str]:
    """Read a leading single-quoted title (`''` is an escaped quote); return it and the rest."""
    chars: list[str] = []
    i = 1
    while i < len(text):
        ch = text[i]
        if ch == "'":
            if text.startswith("''", i):
                chars.append("'")
                i += 2
                continue
            if not chars:
                raise A1Error(text)  # '' : a sheet title is never empty
            return "".join(chars), text[i + 1 :]
        chars.append(ch)
        i += 1
    raise A1Error(text)  # unterminated quote


def _parse_corner(text: str, part: str) -> tuple[int | None, int | None]:
    """One corner of a range as (0-based col, 0-based row); either may be None, not both."""
    m = _REF.fullmatch(part)
    if not m or (m.group(1) is None and m.group(2) is None):
        raise A1Error(text)
    col = row = None
    if m.group(1) is not None:
        col = col_index(m.group(1))
        if col >= MAX_COLUMNS:
            raise A1Error(text)
    if m.group(2) is not None:
        row = int(m.group(2)) - 1
        if not 0 <= row < MAX_ROWS:
            raise A1Error(text)
    return col, row


def _parse_body(text: str, sheet: str | None, body: str) -> A1Range:
    """The cell part of a range (`A1`, `A1:B2`, `A:C`, `2:5`, `A2:C`, `B3:4`), normalised."""
    parts = body.split(":")
    if len(parts) == 1:
        col, row = _parse_corner(text, parts[0])
        if col is None or row is None:
            raise A1Error(text)  # a lone `A` or `5` is not a range
        return A1Range(sheet, row, col, row + 1, col + 1)
    if len(parts) != 2:
        raise A1Error(text)
    c1, r1 = _parse_corner(text, parts[0])
    c2, r2 = _parse_corner(text, parts[1])
    if (c1 is None) == (c2 is None) and (r1 is None) == (r2 is None):
        # `A1:B2`, `A:C`, `2:5`; corners in any order (`B2:A1` is `A1:B2`).
        rs, rend = _span(r1, r2)
        cs, cend = _span(c1, c2)
        return A1Range(sheet, rs, cs, rend, cend)
    if c1 is not None and c2 is not None:
        # A cell and a bare column, `A2:C` (Google documents `A5:A`): rows run to the bottom.
        return A1Range(sheet, _first(r1, r2), min(c1, c2), None, max(c1, c2) + 1)
    if r1 is not None and r2 is not None:
        # A cell and a bare row, `B3:4` (the mirror image): columns run to the right edge.
        return A1Range(sheet, min(r1, r2), _first(c1, c2), max(r1, r2) + 1, None)
    raise A1Error(text)  # a bare column with a bare row, `A:5`


def _first(a: int | None, b: int | None) -> int:
    """The one of two values that is present."""
    value = a if a is not None else b
    assert value is not None
    return value


def _span(a: int | None, b: int | None) -> tuple[int | None, int | None]:
    """Half-open bounds covering indices a and b (either may be missing; both missing = open)."""
    present = [x for x in (a, b) if x is not None]
    if not present:
        return None, None
    return min(present), max(present) + 1
