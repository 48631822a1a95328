"""Values, coercions and the built-in functions of the local formula evaluator.

The coercion rules and error wording follow what Google Sheets shows for the same formulas
(Sheets' `ErrorValue.type` and `ErrorValue.message`), as far as this small subset reaches.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .numberformat import ERROR_DISPLAY

# Sheets' serial dates count days from 1899-12-30 (documented for DATEVALUE and friends).
EPOCH = datetime.date(1899, 12, 30)
# Text that arithmetic accepts as a number: "3", " -1.5e3 ", "1,000", "50%".
_NUMERIC_TEXT = re.compile(
    r"\s*([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?(?:[eE][+-]?\d+)?)(%?)\s*"
)


@dataclass(frozen=True)
class CellError:
    """A formula error value, as Sheets' ErrorValue: a type and a message."""

    type: str  # "ERROR", "NULL_VALUE", "DIVIDE_BY_ZERO", "VALUE", "REF", "NAME", "NUM", "N_A"
    message: str

    @property
    def display(self) -> str:
        """The text a cell shows for this error, e.g. "#DIV/0!"."""
        return ERROR_DISPLAY.get(self.type, "#ERROR!")


Value = float | str | bool | CellError | None  # None = empty cell


@dataclass(frozen=True)
class Area:
    """The values of a reference (a single cell is a 1x1 area), rows of columns."""

    rows: list[list[Value]]

    def values(self) -> Iterator[Value]:
        """Every value, row by row."""
        for row in self.rows:
            yield from row


Operand = Value | Area
Thunk = Callable[[], Operand]  # a lazily evaluated argument (IF evaluates only one branch)
Function = Callable[[list[Thunk], datetime.date], Value]


def scalar(x: Operand, fn: str, pos: int) -> Value:
    """A single value from an operand; a multi-cell area where one value is expected is #VALUE!."""
    if not isinstance(x, Area):
        return x
    cells = [v for row in x.rows for v in row]
    if not cells:
        return None
    if len(cells) == 1:
        return cells[0]
    return CellError(
        "VALUE", f"Function {fn} parameter {pos} expects a single value but got a range."
    )


def to_number(v: Value, fn: str, pos: int) -> float | CellError:
    """Coerce for arithmetic: empty -> 0, TRUE -> 1, numeric text -> number, other text #VALUE!."""
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, float | int):
        return float(v)
    if isinstance(v, CellError):
        return v
    parsed = parse_numeric_text(v)
    if parsed is None:
        return CellError(
            "VALUE",
            f"Function {fn} parameter {pos} expects number values. "
            f"But '{v}' is a text and cannot be coerced to a number.",
        )
    return parsed


def parse_numeric_text(text: str) -> float | None:
    """The number a text reads as ("" reads as 0, as in Sheets), or None."""
    if text.strip() == "":
        return 0.0
    m = _NUMERIC_TEXT.fullmatch(text)
    if not m or not any(ch.isdigit() for ch in m.group(1).split("e")[0].split("E")[0]):
        return None
    number = float(m.group(1).replace(",", ""))
    return number / 100 if m.group(2) else number


def to_text(v: Value) -> str | CellError:
    """Coerce for concatenation: empty -> "", TRUE -> "TRUE", 3.0 -> "3"."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float | int):
        return format_number(float(v))
    return v


def format_number(x: float) -> str:
    """A number as Sheets writes it in text: 3 -> "3", 0.5 -> "0.5", 1e21 -> "1E+21"."""
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    text = format(x, ".15g")
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}E{sign}{abs(int(exponent)):02d}"
    return text


def to_bool(v: Value, fn: str, pos: int) -> bool | CellError:
    """Coerce for logic: empty -> FALSE, number -> nonzero, "true"/"false" text, else #VALUE!."""
    if v is None:
        return False
    if isinstance(v, bool | CellError):
        return v
    if isinstance(v, float | int):
        return v != 0
    word = v.strip().upper()
    if word in ("TRUE", "FALSE", ""):
        return word == "TRUE"
    return CellError(
        "VALUE",
        f"Function {fn} parameter {pos} expects boolean values. "
        f"But '{v}' is a text and cannot be coerced to a boolean.",
    )


def compare(a: Value, b: Value) -> int | CellError:
    """Order two values as Sheets does: numbers < text < booleans; text case-insensitively."""
    if isinstance(a, CellError):
        return a
    if isinstance(b, CellError):
        return b
    a, b = _fill_blank(a, b), _fill_blank(b, a)
    rank_a, rank_b = _rank(a), _rank(b)
    if rank_a != rank_b:
        return -1 if rank_a < rank_b else 1
    if isinstance(a, str) and isinstance(b, str):
        ka, kb = a.casefold(), b.casefold()
        return (ka > kb) - (ka < kb)
    fa, fb = to_number(a, "COMPARE", 1), to_number(b, "COMPARE", 2)
    if isinstance(fa, CellError) or isinstance(fb, CellError):  # unreachable: same-rank non-text
        return CellError("VALUE", "Values cannot be compared.")
    return (fa > fb) - (fa < fb)


def _fill_blank(v: Value, other: Value) -> Value:
    """An empty cell compares as the other side's blank: "", FALSE or 0."""
    if v is not None:
        return v
    if isinstance(other, str):
        return ""
    if isinstance(other, bool):
        return False
    return 0.0


def _rank(v: Value) -> int:
    """Sheets' cross-type order: numbers, then text, then booleans."""
    if isinstance(v, bool):
        return 2
    if isinstance(v, str):
        return 1
    return 0


def _arity(name: str, got: int, low: int, high: int | None) -> CellError | None:
    """Sheets' #N/A for a wrong argument count, or None if the count fits."""
    if low <= got and (high is None or got <= high):
        return None
    if high is None:
        expected = f"at least {low}"
    elif low == high:
        expected = f"{low}"
    else:
        expected = f"between {low} and {high}"
    return CellError(
        "N_A",
        f"Wrong number of arguments to {name}. "
        f"Expected {expected} arguments, but got {got} arguments.",
    )


def _numbers(name: str, args: list[Thunk]) -> list[float] | CellError:
    """Numbers for SUM-like functions: ranges give their numbers only; direct args are coerced."""
    out: list[float] = []
    for pos, arg in enumerate(args, start=1):
        x = arg()
        if isinstance(x, Area):
            for v in x.values():
                if isinstance(v, CellError):
                    return v
                if isinstance(v, float | int) and not isinstance(v, bool):
                    out.append(float(v))
            continue
        n = to_number(x, name, pos)
        if isinstance(n, CellError):
            return n
        out.append(n)
    return out


def _sum(args: list[Thunk], today: datetime.date) -> Value:
    nums = _numbers("SUM", args)
    return nums if isinstance(nums, CellError) else math.fsum(nums)


def _min(args: list[Thunk], today: datetime.date) -> Value:
    nums = _numbers("MIN", args)
    return nums if isinstance(nums, CellError) else min(nums, default=0.0)


def _max(args: list[Thunk], today: datetime.date) -> Value:
    nums = _numbers("MAX", args)
    return nums if isinstance(nums, CellError) else max(nums, default=0.0)


def _average(args: list[Thunk], today: datetime.date) -> Value:
    nums = _numbers("AVERAGE", args)
    if isinstance(nums, CellError):
        return nums
    if not nums:
        return CellError(
            "DIVIDE_BY_ZERO", "Evaluation of function AVERAGE caused a divide by zero error."
        )
    return math.fsum(nums) / len(nums)


def _count(args: list[Thunk], today: datetime.date) -> Value:
    """COUNT: numbers only, in ranges and as direct arguments; errors are skipped, not raised."""
    count = 0
    for arg in args:
        x = arg()
        values = x.values() if isinstance(x, Area) else iter([x])
        count += sum(1 for v in values if isinstance(v, float | int) and not isinstance(v, bool))
    return float(count)


def _counta(args: list[Thunk], today: datetime.date) -> Value:
    """COUNTA: every non-empty value, errors and "" included."""
    count = 0
    for arg in args:
        x = arg()
        values = x.values() if isinstance(x, Area) else iter([x])
        count += sum(1 for v in values if v is not None)
    return float(count)


def _logic(name: str, args: list[Thunk], combine: Callable[[list[bool]], bool]) -> Value:
    """AND / OR: ranges give their booleans and numbers (text and blanks skipped)."""
    flags: list[bool] = []
    for pos, arg in enumerate(args, start=1):
        x = arg()
        if isinstance(x, Area):
            for v in x.values():
                if isinstance(v, CellError):
                    return v
                if isinstance(v, bool | float | int):
                    flags.append(bool(v))
            continue
        if x is None:
            continue
        flag = to_bool(x, name, pos)
        if isinstance(flag, CellError):
            return flag
        flags.append(flag)
    if not flags:
        return CellError("VALUE", f"{name} has no valid input data.")
    return combine(flags)


def _and(args: list[Thunk], today: datetime.date) -> Value:
    return _logic("AND", args, all)


def _or(args: list[Thunk], today: datetime.date) -> Value:
    return _logic("OR", args, any)


def _not(args: list[Thunk], today: datetime.date) -> Value:
    flag = to_bool(scalar(args[0](), "NOT", 1), "NOT", 1)
    return flag if isinstance(flag, CellError) else not flag


def _if(args: list[Thunk], today: datetime.date) -> Value:
    """IF evaluates its condition, then only the branch it picks; no else branch gives FALSE."""
    flag = to_bool(scalar(args[0](), "IF", 1), "IF", 1)
    if isinstance(flag, CellError):
        return flag
    if flag:
        return scalar(args[1](), "IF", 2)
    return scalar(args[2](), "IF", 3) if len(args) > 2 else False


def _today(args: list[Thunk], today: datetime.date) -> Value:
    """TODAY as a serial number: days since 1899-12-30."""
    return float((today - EPOCH).days)


def _round(args: list[Thunk], today: datetime.date) -> Value:
    """ROUND half away from zero; negative places round left of the decimal point."""
    x = to_number(scalar(args[0](), "ROUND", 1), "ROUND", 1)
    if isinstance(x, CellError):
        return x
    places: float | CellError = 0.0
    if len(args) > 1:
        places = to_number(scalar(args[1](), "ROUND", 2), "ROUND", 2)
    if isinstance(places, CellError):
        return places
    digits = int(places)  # Sheets truncates the places argument
    if digits > 20 or not math.isfinite(x):
        return x
    if digits < -330:
        return 0.0
    with localcontext() as ctx:
        ctx.prec = 800
        quantum = Decimal(1).scaleb(-digits)
        return float(Decimal(repr(x)).quantize(quantum, rounding=ROUND_HALF_UP))


def _abs(args: list[Thunk], today: datetime.date) -> Value:
    x = to_number(scalar(args[0](), "ABS", 1), "ABS", 1)
    return x if isinstance(x, CellError) else abs(x)


def _len(args: list[Thunk], today: datetime.date) -> Value:
    text = to_text(scalar(args[0](), "LEN", 1))
    return text if isinstance(text, CellError) else float(len(text))


def _concatenate(args: list[Thunk], today: datetime.date) -> Value:
    """CONCATENATE joins its arguments as text; ranges contribute every cell, row by row."""
    parts: list[str] = []
    for arg in args:
        x = arg()
        for v in x.values() if isinstance(x, Area) else iter([x]):
            text = to_text(v)
            if isinstance(text, CellError):
                return text
            parts.append(text)
    return "".join(parts)


def _true(args: list[Thunk], today: datetime.date) -> Value:
    return True


def _false(args: list[Thunk], today: datetime.date) -> Value:
    return False


# name -> (implementation, fewest arguments, most arguments or None for no limit)
FUNCTIONS: dict[str, tuple[Function, int, int | None]] = {
    "SUM": (_sum, 1, None),
    "MIN": (_min, 1, None),
    "MAX": (_max, 1, None),
    "COUNT": (_count, 1, None),
    "COUNTA": (_counta, 1, None),
    "AVERAGE": (_average, 1, None),
    "IF": (_if, 2, 3),
    "AND": (_and, 1, None),
    "OR": (_or, 1, None),
    "NOT": (_not, 1, 1),
    "TODAY": (_today, 0, 0),
    "ROUND": (_round, 1, 2),
    "ABS": (_abs, 1, 1),
    "LEN": (_len, 1, 1),
    "CONCATENATE": (_concatenate, 1, None),
    "TRUE": (_true, 0, 0),
    "FALSE": (_false, 0, 0),
}


def call(name: str, args: list[Thunk], today: datetime.date) -> Value:
    """Call a function by name (any case): #NAME? if unknown, #N/A if the argument count is off."""
    entry = FUNCTIONS.get(name.upper())
    if entry is None:
        return CellError("NAME", f"Unknown function: '{name.lower()}'.")
    function, low, high = entry
    wrong = _arity(name.upper(), len(args), low, high)
    if wrong is not None:
        return wrong
    return function(args, today)
