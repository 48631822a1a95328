"""Reading one buyer-edited cell: dates, text, checkboxes and the plan's vocabularies (pure).

Cells arrive as `values.batchGet` gives them with `valueRenderOption=UNFORMATTED_VALUE` and
`dateTimeRenderOption=SERIAL_NUMBER`: numbers (dates are serial days since 1899-12-30, with a
fraction for the time of day), str, bool. A formula arrives as its computed value; a formula
that fails arrives as its error value ("#NAME?", "#REF!"), which is refused as `FormulaError`, so
that a broken formula never replaces what a cell said before. Anything else (None, lists, NaN)
is not a cell value and is refused.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar

from .layout_cells import SERIAL_EPOCH, serial
from .model import PARTIES, STEP_OWNERS, Role, Side, Status

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)
MAX_TEXT = 2000  # characters kept of one cell's text; the rest is cut with an issue
_MAX_DATE_TEXT = 60  # longer text is never a date, whatever it says


class DateOutOfRange(ValueError):
    """A date that reads, but before 2000 or after 2100: a typo or a stray number."""


class FormulaError(ValueError):
    """A cell whose formula fails: Sheets gives its error value ("#REF!") instead of a value."""


# The error values Sheets renders for a failing formula, whatever the render option.
FORMULA_ERRORS = frozenset(
    ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#ERROR!")
)


def formula_error(value: object) -> str | None:
    """The error value a cell holds ("#REF!"), or None when it holds no formula error."""
    if isinstance(value, str) and value.strip().upper() in FORMULA_ERRORS:
        return value.strip().upper()
    return None


def vocab_key(text: str) -> str:
    """The letters, digits and '#' of a text, case-folded, bracketed notes dropped:
    " Due-Date (yyyy-mm-dd) " -> "duedate"."""
    text = _BRACKETED.sub(" ", text.casefold())
    return "".join(char for char in text if char.isalnum() or char == "#")


_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


# ---------------------------------------------------------------- text


def cell_text(value: object) -> str | None:
    """A cell as the text Sheets shows: stripped str, numbers, TRUE/FALSE; None when empty.

    Raises FormulaError for a formula's error value, ValueError for what no cell holds (None
    aside): lists, dicts, NaN, infinities.
    """
    if value is None:
        return None
    if error := formula_error(value):
        raise FormulaError(f"its formula gives {error}")
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)  # ValueError past Python's 4,300-digit limit: not a cell value either
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a number a cell can hold")
        return str(int(value)) if value.is_integer() else repr(value)
    raise ValueError(f"a {type(value).__name__} is not a cell value")


def has_content(value: object) -> bool:
    """Whether a cell holds something: not empty, blank text or an unticked checkbox."""
    if value is None or value is False:
        return False
    return not (isinstance(value, str) and not value.strip())


def quoted(text: str, limit: int = 60) -> str:
    """Text quoted for an issue message, shortened when long."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# ---------------------------------------------------------------- dates


def parse_date(value: object) -> date | None:
    """A date cell: a serial number or date text (ISO, US m/d/y, "5 Mar 2027"); None when empty.

    Raises ValueError for what is not a date, DateOutOfRange for a date before 2000 or after 2100,
    FormulaError for a formula's error value.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if error := formula_error(value):
        raise FormulaError(f"its formula gives {error}")
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a date")
        whole = math.floor(value)  # the fraction is the time of day
        if not serial(MIN_DATE) <= whole <= serial(MAX_DATE):
            raise DateOutOfRange(f"serial number {value!r} is before 2000 or after 2100")
        return SERIAL_EPOCH + timedelta(days=whole)
    if not isinstance(value, str):
        raise ValueError(f"a {type(value).__name__} is not a date")
    day = _date_from_text(value.strip())
    if not MIN_DATE <= day <= MAX_DATE:
        raise DateOutOfRange(f"{day.isoformat()} is before 2000 or after 2100")
    return day


_ISO = re.compile(
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_NUMERIC = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})")
_WRITTEN = re.compile(r"[\w\s,.\-/]+")
_WORD = re.compile(r"[^\W\d_]+|\d+")

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS |= {name[:3]: number for name, number in list(_MONTHS.items())}
_MONTHS |= {"sept": 9}
_FILLER = set("monday tuesday wednesday thursday friday saturday sunday".split())
_FILLER |= {name[:3] for name in _FILLER} | {"tues", "thur", "thurs", "of", "st", "nd", "rd", "th"}


def _date_from_text(text: str) -> date:
    """The date a text names; ValueError when it names none."""
    if len(text) > _MAX_DATE_TEXT:
        raise ValueError("text too long to be a date")
    if match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        return date(year, month, day)
    if match := _NUMERIC.fullmatch(text):
        first, separator, second, year_text = match.groups()
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        a, b = int(first), int(second)
        if separator == ".":  # 5.3.2027 is day-first wherever dots are used
            a, b = b, a
        if a > 12 >= b:  # 13/5/2027 can only be day-first
            a, b = b, a
        return date(year, a, b)
    if _WRITTEN.fullmatch(text):
        return _written_date(_WORD.findall(text.casefold()))
    raise ValueError(f"{text!r} is not a date")


def _written_date(words: list[str]) -> date:
    """ "5 Mar 2027", "March 5, 2027", "Tue 5th of March 27": one month name, a day, a year."""
    months = [_MONTHS[word] for word in words if word in _MONTHS]
    numbers = [word for word in words if word.isdigit()]
    others = [w for w in words if w not in _MONTHS and w not in _FILLER and not w.isdigit()]
    if len(months) != 1 or len(numbers) != 2 or others:
        raise ValueError("not a written date")
    long_years = [number for number in numbers if len(number) == 4]
    if len(long_years) == 1:
        year_text = long_years[0]
        day_text = next(number for number in numbers if number is not year_text)
    else:
        day_text, year_text = numbers  # "5 Mar 27", "Mar 5 27": the day comes first
    if len(day_text) > 2 or len(year_text) not in (2, 4):
        raise ValueError("not a written date")
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    return date(year, months[0], int(day_text))


# ---------------------------------------------------------------- vocabularies


_T = TypeVar("_T")
_E = TypeVar("_E", bound=StrEnum)


def word_key(text: str) -> str:
    """The key a vocabulary word is looked up by: its `vocab_key`, or the text itself for
    symbols such as "✓" that have no letters."""
    return vocab_key(text) or text


def _words(entries: Iterable[tuple[str, _T]]) -> dict[str, _T]:
    return {word_key(text): meaning for text, meaning in entries}


def _own(enum: type[_E]) -> list[tuple[str, _E]]:
    return [(member.value, member) for member in enum]


def lookup(words: Mapping[str, _T], text: str) -> _T | None:
    """What a cell's text means in a vocabulary, or None when it is not one of its words."""
    return words.get(word_key(text)) if len(text) <= _MAX_DATE_TEXT else None


STATUS_WORDS: Mapping[str, Status] = _words(
    _own(Status)
    + [(text, Status.DONE) for text in ("done", "complete", "completed", "finished")]
    + [(text, Status.IN_PROGRESS) for text in ("wip", "in progress", "started", "ongoing")]
    + [(text, Status.BLOCKED) for text in ("blocked", "stuck", "on hold")]
    + [(text, Status.NOT_STARTED) for text in ("todo", "to do", "not started", "not yet started")]
)
# A side is kept in a snapshot as the sheet shows it ("Buyer"), so the words map to labels.
OWNER_SIDE_WORDS: Mapping[str, str] = _words(
    [(side.label, side.label) for side in STEP_OWNERS]
    + [(text, Side.BUYER.label) for text in ("customer", "client")]
    + [(text, Side.SELLER.label) for text in ("vendor", "supplier")]
    + [(text, Side.BOTH.label) for text in ("joint", "mutual", "buyer & seller", "seller & buyer")]
)
# "us", "we" and "them" are left out on purpose: who they mean depends on who typed them.
SIDE_WORDS: Mapping[str, str] = _words(
    [(side.label, side.label) for side in PARTIES]
    + [(text, Side.BUYER.label) for text in ("customer", "client")]
    + [(text, Side.SELLER.label) for text in ("vendor", "supplier")]
)
ROLE_WORDS: Mapping[str, Role] = _words(_own(Role))
CHECKBOX_WORDS: Mapping[str, bool] = _words(
    [(text, True) for text in ("true", "yes", "y", "x", "✓", "✔", "checked", "ticked", "1")]
    + [(text, False) for text in ("false", "no", "n", "unchecked", "0")]
)


def parse_checkbox(value: object) -> bool:
    """A checkbox cell: bools, TRUE/FALSE, yes/no, "x"; empty is unticked. ValueError otherwise."""
    if isinstance(value, bool):
        return value
    if value in (0, 1):  # a checkbox replaced by a number, 1 or 0 (bools handled above)
        return value == 1
    text = cell_text(value)
    if text is None:
        return False
    meaning = lookup(CHECKBOX_WORDS, text)
    if meaning is None:
        raise ValueError(f"{text!r} is not a tick or an untick")
    return meaning
