"""Cell values for the Sheets stand-in: parsing values.update input and rendering values.get output.

Cells are `CellData` dicts (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells#CellData);
values are `ExtendedValue` dicts with exactly one of numberValue, stringValue, boolValue,
formulaValue or errorValue. Number formatting lives in `numberformat`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from localgoogle.errors import bad_request
from localgoogle.numberformat import (
    DATE_TIME_TYPES,
    SERIAL_EPOCH,
    date_to_serial,
    error_display,
    format_value,
    serial_to_datetime,
)

__all__ = [
    "SERIAL_EPOCH",
    "ParsedInput",
    "date_to_serial",
    "effective_from_user",
    "format_value",
    "is_empty",
    "number_format_of",
    "parse_input",
    "render",
    "serial_to_datetime",
    "to_python",
]

# https://developers.google.com/sheets/api/reference/rest/v4/ValueInputOption
INPUT_OPTIONS = ("RAW", "USER_ENTERED")
# https://developers.google.com/sheets/api/reference/rest/v4/ValueRenderOption
VALUE_RENDER_OPTIONS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
# https://developers.google.com/sheets/api/reference/rest/v4/DateTimeRenderOption
DATETIME_RENDER_OPTIONS = ("SERIAL_NUMBER", "FORMATTED_STRING")

# JSON numbers beyond this are left as floats, as Google prints them in exponent form.
_INT_LIMIT = 1e15

_NUMBER_RE = re.compile(
    r"(?P<sign>[+-]?)(?P<int>\d{1,3}(?:,\d{3})+|\d*)(?:\.(?P<frac>\d*))?(?:[eE](?P<exp>[+-]?\d+))?"
)
_ISO_DATE_RE = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})")
_US_DATE_RE = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})")
_DAY_MONTH_RE = re.compile(r"(\d{1,2})([ -])([A-Za-z]+)\.?\2(\d{4})")
_MONTH_DAY_RE = re.compile(r"([A-Za-z]+)\.? (\d{1,2})(,?) (\d{4})")
_TIME_RE = re.compile(
    r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,3}))?)?"
    r"(?:\s*(?P<ap>[aApP])\.?[mM]\.?)?"
)
_HOUR_ONLY_RE = re.compile(r"(?P<h>\d{1,2})\s*(?P<ap>[aApP])\.?[mM]\.?")
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
_MONTH_NUMBERS = {
    name: number
    for number, full in enumerate(_MONTH_NAMES.split(), start=1)
    for name in (full, full[:3])
} | {"sept": 9}


@dataclass(frozen=True)
class ParsedInput:
    """A parsed values.update input: the userEnteredValue and the number format it implies."""

    value: dict[str, Any]
    number_format: dict[str, Any] | None = None


def parse_input(raw: object, option: str) -> ParsedInput | None:
    """Parse one values.update input value; None means leave the cell unchanged."""
    if option not in INPUT_OPTIONS:
        raise bad_request(
            "Invalid value at 'value_input_option' "
            f'(type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "{option}"'
        )
    # ValueRange.values: "Null values will be skipped. To set a cell to an empty value, set the
    # string value to an empty string." https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values#ValueRange
    if raw is None:
        return None
    if isinstance(raw, bool):
        return ParsedInput({"boolValue": raw})
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            raise bad_request(f"Invalid value: {raw!r} is not a finite number.")
        return ParsedInput({"numberValue": float(raw)})
    if not isinstance(raw, str):
        raise bad_request(f"Invalid value: {type(raw).__name__} values are not supported.")
    if raw == "":
        return ParsedInput({})
    if (
        option == "RAW"
    ):  # "The values the user has entered will not be parsed and will be stored as-is."
        return ParsedInput({"stringValue": raw})
    return _parse_user_entered(raw)


def _parse_user_entered(text: str) -> ParsedInput:
    """Parse a string as if typed into the Sheets UI (USER_ENTERED, en_US locale)."""
    if text.startswith("'"):  # a leading apostrophe forces text and is not part of the value
        return ParsedInput({"stringValue": text[1:]})
    if text.startswith("="):
        return ParsedInput({"formulaValue": text})
    stripped = text.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return ParsedInput({"boolValue": stripped.upper() == "TRUE"})
    parsed = _parse_number(stripped) or _parse_temporal(stripped)
    if parsed is not None:
        return parsed
    return ParsedInput({"stringValue": text})


def _parse_number(text: str) -> ParsedInput | None:
    """Plain, grouped, scientific, percent and dollar amounts."""
    if text.endswith("%"):
        number = _match_number(text[:-1].rstrip())
        if number is None:
            return None
        value, match = number
        pattern = "0.00%" if match["frac"] else "0%"
        return _number(float(Decimal(repr(value)) / 100), "PERCENT", pattern)
    currency = re.fullmatch(r"([+-]?)\$\s*([+-]?)(.*)", text)
    if currency:
        sign_before, sign_after, body = currency.groups()
        number = None if sign_before and sign_after else _match_number(sign_after + body)
        if number is None or number[1]["exp"]:
            return None
        value = -number[0] if sign_before == "-" else number[0]
        return _number(value, "CURRENCY", "$#,##0.00")
    number = _match_number(text)
    if number is None:
        return None
    value, match = number
    if match["exp"]:
        return _number(value, "SCIENTIFIC", "0.00E+00")
    if "," in match["int"]:
        return _number(value, "NUMBER", "#,##0.00" if match["frac"] else "#,##0")
    return ParsedInput({"numberValue": value})


def _match_number(text: str) -> tuple[float, re.Match[str]] | None:
    """A decimal number with optional sign, thousands separators and exponent."""
    match = _NUMBER_RE.fullmatch(text)
    if match is None or not (match["int"] or match["frac"]):
        return None
    return float(text.replace(",", "")), match


def _number(value: float, kind: str, pattern: str) -> ParsedInput:
    """A numberValue with the number format its input implied."""
    return ParsedInput({"numberValue": value}, {"type": kind, "pattern": pattern})


def _parse_temporal(text: str) -> ParsedInput | None:
    """Dates, times and date-times typed in the en_US locale, as serial numbers."""
    day = _parse_date(text)
    if day is not None:
        return _number(date_to_serial(day[0]), "DATE", day[1])
    clock = _parse_time(text)
    if clock is not None:
        return _number(clock[0], "TIME", clock[1])
    for split in re.finditer(r"\s+", text):
        day = _parse_date(text[: split.start()])
        clock = _parse_time(text[split.end() :])
        if day is not None and clock is not None and clock[0] < 1:
            serial = date_to_serial(day[0]) + clock[0]
            return _number(serial, "DATE_TIME", f"{day[1]} {clock[1]}")
    return None


def _parse_date(text: str) -> tuple[date, str] | None:
    """A date and the pattern mirroring how it was typed."""
    if m := _ISO_DATE_RE.fullmatch(text):
        sep = m[2]
        return _make_date(int(m[1]), int(m[3]), int(m[4]), f"yyyy{sep}mm{sep}dd")
    if m := _US_DATE_RE.fullmatch(text):  # en_US reads 3/15/2026 as month/day/year
        year, width = int(m[4]), len(m[4])
        if width == 2:  # two-digit years: 00-29 -> 2000s, 30-99 -> 1900s (as in Sheets and Excel)
            year += 2000 if year < 30 else 1900
        sep = m[2]
        return _make_date(year, int(m[1]), int(m[3]), f"m{sep}d{sep}{'y' * width}")
    if m := _DAY_MONTH_RE.fullmatch(text):
        month = _MONTH_NUMBERS.get(m[3].lower())
        months = "mmm" if len(m[3]) <= 4 else "mmmm"
        sep = m[2]
        return _make_date(int(m[4]), month, int(m[1]), f"d{sep}{months}{sep}yyyy")
    if m := _MONTH_DAY_RE.fullmatch(text):
        month = _MONTH_NUMBERS.get(m[1].lower())
        months = "mmm" if len(m[1]) <= 4 else "mmmm"
        return _make_date(int(m[4]), month, int(m[2]), f"{months} d{m[3]} yyyy")
    return None


def _make_date(year: int, month: int | None, day: int, pattern: str) -> tuple[date, str] | None:
    """A validated date, or None when the parts name no real day."""
    try:
        return (date(year, month, day), pattern) if month else None
    except ValueError:
        return None


def _parse_time(text: str) -> tuple[float, str] | None:
    """A time as a fraction of a day (hours past 23 are durations) and its pattern."""
    m = _TIME_RE.fullmatch(text) or _HOUR_ONLY_RE.fullmatch(text)
    if m is None:
        return None
    parts = m.groupdict()
    hour, minute, second = int(parts["h"]), int(parts.get("m") or 0), int(parts.get("s") or 0)
    fraction = int((parts.get("f") or "0").ljust(3, "0")) / 1000
    if minute > 59 or second > 59:
        return None
    hours = "hh" if len(parts["h"]) == 2 and parts["h"].startswith("0") else "h"
    if parts["ap"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if parts["ap"].lower() == "p" else 0)
    elif hour > 23:
        hours = "[h]"
    pattern = hours + (":mm" if parts.get("m") else "")
    pattern += (":ss" if parts.get("s") else "") + (
        "." + "0" * len(parts["f"]) if parts.get("f") else ""
    )
    pattern += " am/pm" if parts["ap"] else ""
    return (hour * 3600 + minute * 60 + second + fraction) / 86400, pattern


def json_copy(value: Any) -> Any:
    """A copy of JSON data (dicts, lists and scalars): copy.deepcopy without its bookkeeping,
    which cell values and request bodies do not need."""
    if isinstance(value, dict):
        return {k: json_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_copy(v) for v in value]
    return value


def effective_from_user(value: dict[str, Any]) -> dict[str, Any]:
    """The effectiveValue of a non-formula userEnteredValue (a copy of it)."""
    if "formulaValue" in value:
        raise ValueError("formulas are evaluated by the formula engine, not effective_from_user")
    copied: dict[str, Any] = json_copy(value)
    return copied


def to_python(value: dict[str, Any]) -> Any:
    """An ExtendedValue as a plain value: float, str, bool, None, or the ErrorValue dict."""
    if "numberValue" in value:
        return float(value["numberValue"])
    if "stringValue" in value:
        return str(value["stringValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "errorValue" in value:
        return value["errorValue"]
    if "formulaValue" in value:
        return str(value["formulaValue"])
    return None


def is_empty(cell: dict[str, Any] | None) -> bool:
    """True when a cell has no userEnteredValue (or an empty one)."""
    return not cell or not cell.get("userEnteredValue")


def number_format_of(cell: dict[str, Any]) -> dict[str, Any] | None:
    """The NumberFormat in effect for a cell: effectiveFormat's, else userEnteredFormat's."""
    for key in ("effectiveFormat", "userEnteredFormat"):
        number_format = (cell.get(key) or {}).get("numberFormat")
        if number_format:
            return dict(number_format)
    return None


def render(
    cell: dict[str, Any] | None,
    value_render: str = "FORMATTED_VALUE",
    datetime_render: str = "SERIAL_NUMBER",
) -> object:
    """What values.get returns for one cell under the given render options."""
    if value_render not in VALUE_RENDER_OPTIONS:
        raise bad_request(
            "Invalid value at 'value_render_option' "
            f'(type.googleapis.com/google.apps.sheets.v4.ValueRenderOption), "{value_render}"'
        )
    if datetime_render not in DATETIME_RENDER_OPTIONS:
        raise bad_request(
            "Invalid value at 'date_time_render_option' "
            f'(type.googleapis.com/google.apps.sheets.v4.DateTimeRenderOption), "{datetime_render}"'
        )
    if not cell:
        return ""
    user_value = cell.get("userEnteredValue") or {}
    # FORMULA: "Values will not be calculated. The reply will include the formulas."
    if value_render == "FORMULA" and "formulaValue" in user_value:
        return user_value["formulaValue"]
    effective = cell.get("effectiveValue")
    if effective is None:
        effective = {} if "formulaValue" in user_value else user_value
    if not effective:
        return ""
    number_format = number_format_of(cell)
    if value_render == "FORMATTED_VALUE":
        # "Formatting is based on the spreadsheet's locale"; dateTimeRenderOption "is ignored if
        # valueRenderOption is FORMATTED_VALUE" (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/get).
        formatted = cell.get("formattedValue")
        return formatted if isinstance(formatted, str) else format_value(effective, number_format)
    if "numberValue" in effective:
        is_temporal = number_format is not None and number_format.get("type") in DATE_TIME_TYPES
        if datetime_render == "FORMATTED_STRING" and is_temporal:
            # FORMATTED_STRING: dates and times "output as strings in their given number format".
            return format_value(effective, number_format)
        return json_number(float(effective["numberValue"]))
    if "errorValue" in effective:
        return error_display(effective["errorValue"])
    if "boolValue" in effective:
        return bool(effective["boolValue"])
    return str(effective.get("stringValue", ""))


def json_number(value: float) -> int | float:
    """A number as Google's JSON shows it: integral values without a fractional part."""
    if value.is_integer() and abs(value) < _INT_LIMIT:
        return int(value)
    return value
