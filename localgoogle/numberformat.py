"""Serial date numbers and the Sheets number-format pattern language behind `formattedValue`.

Pattern syntax follows https://developers.google.com/sheets/api/guides/formats (date/time tokens,
digit placeholders, sections separated by ";", quoted and escaped literals).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

# Serial numbers count days since 1899-12-30 and the fraction is the time of day, so 1900 is
# (correctly) not a leap year: https://developers.google.com/sheets/api/reference/rest/v4/DateTimeRenderOption
SERIAL_EPOCH = date(1899, 12, 30)
_EPOCH_DT = datetime.combine(SERIAL_EPOCH, time())
_DAY_SECONDS = 86400

# ErrorValue.type -> what a cell shows:
# https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#ErrorType
ERROR_DISPLAY: dict[str, str] = {
    "ERROR_TYPE_UNSPECIFIED": "#ERROR!",
    "ERROR": "#ERROR!",
    "NULL_VALUE": "#NULL!",
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "N_A": "#N/A",
    "LOADING": "Loading...",
}

# NumberFormat.pattern: "If not set, a default pattern based on the user's locale will be used if
# necessary for the given type" (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells#NumberFormat).
# These are the en_US defaults of the Format > Number menu.
DEFAULT_PATTERNS: dict[str, str] = {
    "NUMBER": "#,##0.00",
    "PERCENT": "0.00%",
    "CURRENCY": "$#,##0.00",
    "SCIENTIFIC": "0.00E+00",
    "DATE": "M/d/yyyy",
    "TIME": "h:mm:ss am/pm",
    "DATE_TIME": "M/d/yyyy H:mm:ss",
    "TEXT": "@",
}
DATE_TIME_TYPES = frozenset({"DATE", "TIME", "DATE_TIME"})

_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_DATE_KINDS = frozenset({"y", "m", "d", "h", "s", "ampm", "ap", "eh", "em", "es"})
_ELAPSED_RE = re.compile(r"h+|m+|s+", re.IGNORECASE)

Token = tuple[str, str]  # (kind, text)


def date_to_serial(d: date | datetime) -> float:
    """The serial number of a date or (naive or aware, wall-clock) datetime."""
    if isinstance(d, datetime):
        delta = d.replace(tzinfo=None) - _EPOCH_DT
        return delta.days + (delta.seconds + delta.microseconds / 1e6) / _DAY_SECONDS
    return float((d - SERIAL_EPOCH).days)


def serial_to_datetime(serial: float) -> datetime:
    """The naive datetime of a serial number, rounded to the microsecond."""
    days = math.floor(serial)
    micros = round((serial - days) * _DAY_SECONDS * 1_000_000)
    return _EPOCH_DT + timedelta(days=days, microseconds=micros)


def error_display(error: dict[str, Any]) -> str:
    """The text a cell shows for an ErrorValue, e.g. "#NAME?"."""
    return ERROR_DISPLAY.get(str(error.get("type", "ERROR")), "#ERROR!")


def pattern_for(number_format: dict[str, Any] | None) -> str:
    """The effective pattern of a NumberFormat: its own, else the locale default for its type."""
    if not number_format:
        return ""
    return str(
        number_format.get("pattern") or DEFAULT_PATTERNS.get(number_format.get("type", ""), "")
    )


def format_value(effective: dict[str, Any], number_format: dict[str, Any] | None) -> str:
    """The formattedValue Sheets shows for an effective ExtendedValue under a NumberFormat."""
    if not effective:
        return ""
    if "numberValue" in effective:
        return format_number(float(effective["numberValue"]), number_format)
    if "boolValue" in effective:
        return "TRUE" if effective["boolValue"] else "FALSE"
    if "errorValue" in effective:
        return error_display(effective["errorValue"])
    if "stringValue" in effective:
        return format_text(str(effective["stringValue"]), number_format)
    return str(effective.get("formulaValue", ""))


def format_number(value: float, number_format: dict[str, Any] | None) -> str:
    """A number as shown under a NumberFormat (automatic format when there is none)."""
    pattern, value = pattern_for(number_format), float(value)
    if not math.isfinite(value):
        return "#NUM!"
    if not pattern.strip() or pattern.strip().lower() == "general":
        return automatic_number(value)
    try:
        return _format_with_pattern(value, pattern)
    except (OverflowError, ValueError, ArithmeticError):  # e.g. a date beyond year 9999
        return automatic_number(value)


def format_text(text: str, number_format: dict[str, Any] | None) -> str:
    """A string as shown under a NumberFormat: as-is unless the pattern has a text section."""
    sections = _tokenize(pattern_for(number_format))
    if len(sections) >= 4:
        tokens = sections[3]
    elif len(sections) == 1 and any(kind == "at" for kind, _ in sections[0]):
        tokens = sections[0]
    else:
        return text
    return "".join(text if kind == "at" else tok for kind, tok in tokens)


def automatic_number(value: float) -> str:
    """Sheets' automatic format: plain integers, ~10 significant digits, scientific at extremes."""
    value = float(value)
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1e15 or magnitude < 1e-9:
        mantissa, exponent = f"{value:.2E}".split("E")
        return f"{mantissa.rstrip('0').rstrip('.')}E{exponent}"
    if value.is_integer():
        return str(int(value))
    number = Decimal(repr(value))
    decimals = max(0, 10 - (number.adjusted() + 1))
    text = f"{number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _tokenize(pattern: str) -> list[list[Token]]:
    """Split a pattern into sections of tokens; colours and conditions are dropped."""
    sections: list[list[Token]] = [[]]
    toks = sections[0]
    i, n = 0, len(pattern)
    while i < n:
        c, low = pattern[i], pattern[i].lower()
        step = 1
        if c == ";":
            toks = []
            sections.append(toks)
        elif c == '"':
            end = pattern.find('"', i + 1)
            end = n if end < 0 else end
            toks.append(("lit", pattern[i + 1 : end]))
            step = end + 1 - i
        elif c == "\\":
            toks.append(("lit", pattern[i + 1 : i + 2]))
            step = 2
        elif c in "_*":  # "_x" pads the width of x (a space here); "*x" fills, which we skip
            toks.append(("lit", " " if c == "_" else ""))
            step = 2
        elif c == "[":
            end = pattern.find("]", i)
            end = n if end < 0 else end
            inner = pattern[i + 1 : end]
            if _ELAPSED_RE.fullmatch(inner):
                toks.append(("e" + inner[0].lower(), inner))
            elif inner.startswith("$"):  # locale currency such as [$€-407]
                toks.append(("lit", inner[1:].split("-")[0]))
            step = end + 1 - i
        elif pattern[i : i + 5].lower() == "am/pm":
            toks.append(("ampm", pattern[i : i + 5]))
            step = 5
        elif pattern[i : i + 3].lower() == "a/p":
            toks.append(("ap", pattern[i : i + 3]))
            step = 3
        elif low in "ymdhs":
            j = i
            while j < n and pattern[j].lower() == low:
                j += 1
            toks.append((low, pattern[i:j]))
            step = j - i
        elif low == "e" and pattern[i + 1 : i + 2] in ("+", "-"):
            toks.append(("exp", pattern[i : i + 2]))
            step = 2
        else:
            kinds = {".": "point", ",": "comma", "%": "percent", "@": "at"}
            toks.append(("digit" if c in "0#?" else kinds.get(c, "lit"), c))
        i += step
    return sections


def _format_with_pattern(value: float, pattern: str) -> str:
    """Format a number with a pattern, choosing the positive, negative or zero section."""
    sections = _tokenize(pattern)
    tokens = sections[0]
    if value < 0 and len(sections) >= 2:
        tokens, value = sections[1], -value  # the negative section shows no minus of its own
    elif value == 0 and len(sections) >= 3:
        tokens = sections[2]
    if any(kind in _DATE_KINDS for kind, _ in tokens):
        return _format_date(value, tokens)
    text = _format_plain(abs(value), tokens)
    return "-" + text if value < 0 else text


def _format_date(serial: float, tokens: list[Token]) -> str:
    """Render date/time tokens for a serial number."""
    toks: list[Token] = []
    for kind, text in tokens:  # "ss.000": a point and zeros after seconds are fractional seconds
        prev = toks[-1][0] if toks else ""
        after_seconds = len(toks) > 1 and toks[-2][0] in ("s", "es")
        if kind == "digit" and text == "0" and (prev == "f" or (prev == "point" and after_seconds)):
            toks[-1] = ("f", toks[-1][1] + "0")
        else:
            toks.append((kind, text))
    toks = [(k, t) if k in _DATE_KINDS or k == "f" else ("lit", t) for k, t in toks]
    precision = min(3, max((len(t) - 1 for k, t in toks if k == "f"), default=0))
    units = 10**precision
    day_units = _DAY_SECONDS * units
    whole = math.floor(serial)
    total = whole * day_units + round((serial - whole) * day_units)
    days, rem = divmod(total, day_units)
    day = SERIAL_EPOCH + timedelta(days=days)
    hour, minute, second = rem // (3600 * units), rem // (60 * units) % 60, rem // units % 60
    twelve = any(k in ("ampm", "ap") for k, _ in toks)
    core = [i for i, (k, _) in enumerate(toks) if k != "lit"]
    out: list[str] = []
    for pos, (kind, text) in enumerate(toks):
        width = len(text)
        if kind == "m" and width <= 2:
            at = core.index(pos)
            prev_kind = toks[core[at - 1]][0] if at > 0 else ""
            next_kind = toks[core[at + 1]][0] if at + 1 < len(core) else ""
            # "Minute if the previous non-literal item was hours or the subsequent is seconds."
            if prev_kind in ("h", "eh") or next_kind in ("s", "es"):
                kind = "minute"
        if kind == "y":
            out.append(f"{day.year % 100:02d}" if width <= 2 else f"{day.year:04d}")
        elif kind == "m":
            names = {3: _MONTHS[day.month - 1][:3], 4: _MONTHS[day.month - 1]}
            num = str(day.month).zfill(width)
            out.append(num if width <= 2 else names.get(width, _MONTHS[day.month - 1][0]))
        elif kind == "d":
            name = _WEEKDAYS[day.weekday()]
            out.append(
                str(day.day).zfill(width) if width <= 2 else name[:3] if width == 3 else name
            )
        elif kind == "h":
            shown = (hour % 12 or 12) if twelve else hour
            out.append(str(shown).zfill(min(width, 2)))
        elif kind in ("minute", "s"):
            out.append(str(minute if kind == "minute" else second).zfill(min(width, 2)))
        elif kind in ("eh", "em", "es"):
            per = {"eh": 3600, "em": 60, "es": 1}[kind] * units
            out.append(str(total // per).zfill(width))
        elif kind == "f":
            out.append("." + f"{rem % units:0{precision}d}"[: width - 1] if precision else "")
        elif kind == "ampm":
            out.append("AM" if hour < 12 else "PM")  # "always capitalized"
        elif kind == "ap":
            letter = "a" if hour < 12 else "p"
            out.append(letter.upper() if text[0].isupper() else letter)
        else:
            out.append(text)
    return "".join(out)


def _format_plain(value: float, toks: list[Token]) -> str:
    """Render placeholders, grouping, scaling, percent and exponent for a number >= 0."""
    original = value
    value *= 100 ** sum(1 for k, _ in toks if k == "percent")
    digits = [i for i, (k, _) in enumerate(toks) if k == "digit"]
    point = next((i for i, (k, _) in enumerate(toks) if k == "point"), None)
    exp = next((i for i, (k, _) in enumerate(toks) if k == "exp"), None)
    end = exp if exp is not None else len(toks)
    int_end = min(x for x in (point, exp, len(toks)) if x is not None)
    # "," between integer digits groups thousands; after the last digit it scales by 1000 each.
    grouping, scale, dropped = False, 0, set()
    for i, (kind, _) in enumerate(toks):
        if kind != "comma" or not any(d < i for d in digits):
            continue
        later = [d for d in digits if i < d < end]
        if i < int_end and any(d < int_end for d in later):
            grouping = True
        elif not later:
            scale += 1
        dropped.add(i)
    value /= 1000**scale
    int_idx = [d for d in digits if d < int_end]
    frac_idx = [d for d in digits if point is not None and point < d < end]
    exponent = 0
    with localcontext() as ctx:
        ctx.prec = 400
        number = Decimal(repr(value))
        if exp is not None and number:
            width = max(1, len(int_idx))
            engineering = width > 1 and any(toks[d][1] == "#" for d in int_idx)
            exponent = number.adjusted()
            exponent = exponent // width * width if engineering else exponent - (width - 1)
            rounded = _round(number.scaleb(-exponent), len(frac_idx))
            if rounded.adjusted() >= width:  # rounding carried into a new digit
                exponent += width if engineering else 1
            number = number.scaleb(-exponent)
        int_text, _, frac_text = f"{_round(number, len(frac_idx)):f}".partition(".")
    int_text = "" if int_text == "0" else int_text
    frac_chars = list(frac_text.ljust(len(frac_idx), "0"))
    for j in reversed(range(len(frac_chars))):  # trailing zeros vanish ("#") or become spaces ("?")
        holder = toks[frac_idx[j]][1]
        if holder == "0" or frac_chars[j] != "0":
            break
        frac_chars[j] = "" if holder == "#" else " "
    slots = _fill_integer(int_text, [toks[d][1] for d in int_idx])
    if grouping:
        body = "".join(slots)
        lead = body[: len(body) - len(body.lstrip(" "))]
        slots = [lead + _group(body.lstrip(" "))] + [""] * (len(slots) - 1)
    out: list[str] = []
    for i, (kind, text) in enumerate(toks):
        if kind == "digit":
            if i in int_idx:
                out.append(slots[int_idx.index(i)])
            elif i in frac_idx:
                out.append(frac_chars[frac_idx.index(i)])
        elif i in dropped or (grouping and int_idx and int_idx[0] < i < int_idx[-1]):
            continue
        elif kind == "point" and i == point:
            out.append(("" if int_idx else int_text) + ".")
        elif kind == "exp" and i == exp:
            sign = "-" if exponent < 0 else "+" if text[1] == "+" else ""
            places = sum(1 for d in digits if d > exp)
            out.append(f"{text[0]}{sign}{str(abs(exponent)).zfill(places)}")
        elif kind == "at":
            out.append(automatic_number(original))
        else:
            out.append(text)
    return "".join(out)


def _round(number: Decimal, places: int) -> Decimal:
    """Round half away from zero to `places` decimals."""
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _fill_integer(int_text: str, holders: list[str]) -> list[str]:
    """Place integer digits into placeholders from the right; the leftmost takes any overflow."""
    remaining = list(int_text)
    slots = [""] * len(holders)
    for j in reversed(range(len(holders))):
        if remaining:
            slots[j] = "".join(remaining) if j == 0 else remaining.pop()
            remaining = [] if j == 0 else remaining
        else:
            slots[j] = {"0": "0", "?": " "}.get(holders[j], "")
    return slots


def _group(digits: str) -> str:
    """Insert thousands separators into a digit string."""
    head = len(digits) % 3 or 3
    return ",".join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])
