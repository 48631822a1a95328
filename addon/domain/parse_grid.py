"""The shape of a buyer-edited tab: its header row, its rows, its cells, its data issues (pure).

Rows arrive as `values.batchGet` gives them with `majorDimension=ROWS`: ragged (trailing empty
cells left out), an empty row in the middle as `[]`, trailing empty rows left out, and an empty
cell between two filled ones as "".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, TypeVar

from .layout_cells import column_letter
from .parse_values import (
    MAX_TEXT,
    DateOutOfRange,
    FormulaError,
    cell_text,
    has_content,
    lookup,
    parse_date,
    quoted,
    vocab_key,
)

MAX_ISSUES_PER_TAB = 50  # issues about single cells; issues about a whole tab are always kept
HEADER_SCAN_ROWS = 10  # non-empty rows searched for the header row (a buyer may add a title)
MAX_HEADER_COLUMNS = 200
MAX_HEADER_TEXT = 100

_T = TypeVar("_T")


class _Unread(Enum):
    """A cell that gives no value: its column is missing, or it holds what no cell can."""

    UNREAD = "unread"


_UNREAD = _Unread.UNREAD
Row = list[object]


@dataclass(frozen=True)
class DataIssue:
    """Something in the sheet the parser could not take as it is, in words a seller understands."""

    tab: str  # "Plan", "Deal", "Stakeholders"
    cell: str | None  # A1 address like "Plan!F7" when one cell is at fault
    kind: str  # "missing_tab", "unreadable_date", "unknown_status", ...
    message: str  # one plain sentence, e.g. "Plan!F7: due date 'next Tuesday' is not a date; ..."


class Issues:
    """The data issues of one parse; past MAX_ISSUES_PER_TAB cell issues a tab, only a count."""

    def __init__(self) -> None:
        self._kept: list[DataIssue] = []
        self._cell_issues: Counter[str] = Counter()

    def add(self, tab: str, kind: str, text: str, cell: str | None = None) -> None:
        """Record an issue; `text` is prefixed with the cell address when there is one."""
        if cell is not None:
            self._cell_issues[tab] += 1
            if self._cell_issues[tab] > MAX_ISSUES_PER_TAB:
                return
        self._kept.append(DataIssue(tab, cell, kind, f"{cell}: {text}" if cell else text))

    def all(self) -> tuple[DataIssue, ...]:
        """The issues recorded, then one per tab that had more than could be listed."""
        more = [
            DataIssue(
                tab,
                None,
                "more_issues",
                f"{tab}: {count - MAX_ISSUES_PER_TAB} more cell issues like these are not listed.",
            )
            for tab, count in self._cell_issues.items()
            if count > MAX_ISSUES_PER_TAB
        ]
        return (*self._kept, *more)


def kept(value: object) -> str:
    """How an issue message says what was kept instead of a cell's value."""
    if isinstance(value, bool):
        return "kept it ticked" if value else "kept it unticked"
    return "left it empty" if value is None else f"kept {quoted(str(value))}"


def shown(value: object) -> str:
    """A cell value as an issue message shows it: as Sheets shows it, quoted ('FALSE')."""
    try:
        text = cell_text(value)
    except ValueError:
        return f"a {type(value).__name__}"
    return quoted(text or "")


@dataclass(frozen=True)
class Header:
    """Where a tab's header row is (0-based, None on an empty tab) and each field's column."""

    row: int | None
    columns: Mapping[str, int]

    def without(self, fields: Sequence[str]) -> Header:
        """The header read as if these fields' columns were missing."""
        return Header(self.row, {k: v for k, v in self.columns.items() if k not in fields})


def emptied_columns(
    header: Header, rows: Sequence[Row], had: Mapping[str, int], total: int
) -> list[str]:
    """The fields whose column is empty on every row, though most of the `total` entries read
    before (and two or more) had a value there (`had` counts them): a slip of the hand, such as
    a column cleared or a paste of blanks, more likely than news."""
    return [
        field
        for field, count in had.items()
        if field in header.columns
        and count >= 2
        and 2 * count > total
        and not any(has_content(cell_at(row, header.columns[field])) for row in rows)
    ]


def cell_at(row: Row, column: int) -> object:
    """A row's cell, None past its last value (rows arrive ragged)."""
    return row[column] if column < len(row) else None


def find_header(
    tab: str, rows: Sequence[object], names: Mapping[str, tuple[str, ...]], issues: Issues
) -> Header:
    """The header row: the first of the first non-empty rows naming two known fields, else the
    first non-empty row. `names` gives each field's header names, the one to show first."""
    by_key = {vocab_key(name): field for field, options in names.items() for name in options}
    wanted = min(2, len(names))
    first: tuple[int, dict[str, int], list[tuple[str, int]]] | None = None
    seen = 0
    for index, row in enumerate(rows):
        if not isinstance(row, list) or not any(has_content(cell) for cell in row):
            continue
        columns, repeats = _header_columns(row, by_key)
        if len(columns) >= wanted:
            first = (index, columns, repeats)
            break
        if first is None:
            first = (index, columns, repeats)
        seen += 1
        if seen == HEADER_SCAN_ROWS:
            break
    if first is None:
        return Header(None, {})
    index, columns, repeats = first
    for field, column in repeats:
        issues.add(
            tab,
            "duplicate_column",
            f"a second {names[field][0]!r} column; only column "
            f"{column_letter(columns[field])} is read.",
            cell=f"{tab}!{column_letter(column)}{index + 1}",
        )
    return Header(index, columns)


def _header_columns(
    row: Row, by_key: Mapping[str, str]
) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """The known fields a row names, first column wins, and the later repeats."""
    columns: dict[str, int] = {}
    repeats: list[tuple[str, int]] = []
    for column, cell in enumerate(row[:MAX_HEADER_COLUMNS]):
        if not isinstance(cell, str) or len(cell) > MAX_HEADER_TEXT:
            continue
        field = by_key.get(vocab_key(cell))
        if field is None:
            continue
        if field in columns:
            repeats.append((field, column))
        else:
            columns[field] = column
    return columns, repeats


def content_rows(
    tab: str, rows: Sequence[object], start: int, limit: int, what: str, issues: Issues
) -> list[tuple[int, Row]]:
    """The rows from `start` on that hold something, at most `limit` (more are reported)."""
    found: list[tuple[int, Row]] = []
    for index in range(start, len(rows)):
        row = rows[index]
        if not isinstance(row, list):
            issues.add(
                tab,
                "unreadable_row",
                "not a row of cells; skipped.",
                f"{tab}!{index + 1}:{index + 1}",
            )
            continue
        if not any(has_content(cell) for cell in row):
            continue
        if len(found) == limit:
            issues.add(
                tab,
                "too_many_rows",
                f"{tab}: more than {limit} {what}; only the first {limit} "
                f"(through row {found[-1][0] + 1}) are read.",
            )
            break
        found.append((index, row))
    return found


@dataclass(frozen=True)
class RowCells:
    """The cells of one row, read by field, each problem reported against its cell address.

    Every reader takes `keep`, the value to use when the cell cannot be taken as it is (or its
    column is missing, which the tab reports once): previous values are never destroyed.
    """

    tab: str
    index: int  # 0-based
    row: Row
    header: Header
    issues: Issues

    def address(self, field: str) -> str:
        """The A1 address of a field's cell in this row: "Plan!F7"."""
        return f"{self.tab}!{column_letter(self.header.columns[field])}{self.index + 1}"

    def row_address(self) -> str:
        """The A1 address of the whole row: "Plan!7:7"."""
        return f"{self.tab}!{self.index + 1}:{self.index + 1}"

    def has(self, field: str) -> bool:
        """Whether the tab has a column for this field."""
        return field in self.header.columns

    def raw(self, field: str) -> object:
        """The cell's value as it arrived; None when empty or when the column is missing."""
        column = self.header.columns.get(field)
        return self.row[column] if column is not None and column < len(self.row) else None

    def text(self, field: str, label: str, keep: str | None) -> str | None:
        """The cell as text (None when empty), cut to MAX_TEXT characters."""
        text = self._text(field, label, keep)
        return keep if text is _UNREAD else text

    def word(
        self, field: str, label: str, words: Mapping[str, _T], empty: _T | None, keep: Any
    ) -> Any:
        """The vocabulary word a cell holds (`empty` when blank); unknown text is reported
        as "unknown_<field>"."""
        text = self._text(field, label, keep)
        if text is _UNREAD:
            return keep
        if text is None:
            return empty
        meaning = lookup(words, text)
        if meaning is None:
            choices = ", ".join(dict.fromkeys(str(value) for value in words.values()))
            self._report(
                field,
                f"unknown_{field}",
                f"{label} {quoted(text)} is not one of {choices}; {kept(keep)}.",
            )
            return keep
        return meaning

    def date(self, field: str, label: str, keep: str | None) -> str | None:
        """The cell as an ISO date (None when empty)."""
        if not self.has(field):
            return keep
        value = self.raw(field)
        try:
            day: date | None = parse_date(value)
        except DateOutOfRange as error:
            self._report(field, "date_out_of_range", f"{label}: {error}; {kept(keep)}.")
            return keep
        except FormulaError as error:
            self._report(field, "formula_error", f"{label}: {error}; {kept(keep)}.")
            return keep
        except ValueError:
            text = f"{label} {shown(value)} is not a date; {kept(keep)}."
            self._report(field, "unreadable_date", text)
            return keep
        return day.isoformat() if day else None

    def _text(self, field: str, label: str, keep: object) -> str | None | _Unread:
        """The cell as text, or _UNREAD when the column is missing or the value unreadable."""
        if not self.has(field):
            return _UNREAD
        try:
            text = cell_text(self.raw(field))
        except FormulaError as error:
            self._report(field, "formula_error", f"{label}: {error}; {kept(keep)}.")
            return _UNREAD
        except ValueError as error:
            self._report(
                field, "unreadable_cell", f"{label} is unreadable ({error}); {kept(keep)}."
            )
            return _UNREAD
        if text is not None and len(text) > MAX_TEXT:
            self._report(
                field,
                "text_truncated",
                f"{label}: {len(text):,} characters; only the first {MAX_TEXT:,} are kept.",
            )
            text = text[:MAX_TEXT]
        return text

    def _report(self, field: str, kind: str, text: str) -> None:
        self.issues.add(self.tab, kind, text, self.address(field))
