"""How the stand-in's UI shows one cell, as Sheets would, and which typed values it refuses.

A cell's data validation rule (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#DataValidationRule)
decides its widget: "If true [showCustomUi], 'List' conditions will show a dropdown", so a
ONE_OF_LIST rule with showCustomUi is a <select>; a BOOLEAN rule "renders as a cell checkbox"
(https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#ConditionType:
no values, checked is TRUE and unchecked FALSE; one value, checked is that value and unchecked
blank; two values, checked the first and unchecked the second); a DATE_IS_VALID rule offers a
date picker (<input type=date>) whose yyyy-mm-dd is typed into the cell as USER_ENTERED input,
which Sheets stores as a date: a serial number (days since 1899-12-30) with a date number format
(https://developers.google.com/sheets/api/reference/rest/v4/DateTimeRenderOption). A formula
cell shows its calculated value; its formula is what an edit starts from. A cell whose format
wraps (wrapStrategy WRAP) shows its whole text over several lines.

"strict: True if invalid data should be rejected" (DataValidationRule): a typed value a strict
rule does not accept is refused with the rule's inputMessage ("A message to show the user when
adding data to the cell") when it has one. Clearing a cell is always accepted. The API itself
does not check validation (a values.update writes what it is given), so only the UI refuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import sheetmodel as sm
from .cellvalues import parse_input
from .numberformat import serial_to_datetime

Format = dict[str, Any]

# The stand-in's own wording where a rule has no inputMessage (the API reference gives none).
DEFAULT_REFUSALS = {
    "ONE_OF_LIST": "Input must be an item on the specified list.",
    "BOOLEAN": "Input must be a checkbox value.",
    "DATE_IS_VALID": "Input must be a valid date.",
}
_DATE_TYPES = ("DATE", "DATE_TIME")


@dataclass(frozen=True)
class CellView:
    """One cell as the UI draws it."""

    row: int
    col: int
    kind: str  # "text", "wrap", "select", "checkbox", "date" or "formula"
    value: str  # what the input holds (for a checkbox: its checked value or "")
    shown: str = ""  # the formatted value, as the cell shows it
    choices: tuple[str, ...] = ()
    checked_value: str = "TRUE"
    unchecked_value: str = "FALSE"
    formula: str = ""
    style: str = ""
    note: str = ""
    hint: str = ""  # the validation rule's input message
    invalid: str = ""  # why the value breaks its validation rule (Sheets marks such a cell)


def cell_view(stored: sm.Cell | None, row: int, col: int, conditional: Format | None) -> CellView:
    """The view of a stored cell, its own format overlaid by the conditional format it takes."""
    stored = stored or {}
    rule = stored.get("dataValidation") or {}
    condition = rule.get("condition") or {}
    entered = stored.get("userEnteredValue") or {}
    fmt = stored.get("userEnteredFormat") or {}
    shown = str(stored.get("formattedValue", ""))
    common: dict[str, Any] = {
        "shown": shown,
        "style": css(fmt, conditional or {}),
        "note": str(stored.get("note", "")),
        "hint": str(rule.get("inputMessage", "")),
        "invalid": _breaks(rule, shown, entered),
    }
    kind = str(condition.get("type", ""))
    if "formulaValue" in entered:
        return CellView(row, col, "formula", shown, formula=entered["formulaValue"], **common)
    if kind == "BOOLEAN":
        checked, unchecked = checkbox_values(condition)
        value = checked if _same(shown, checked) else unchecked
        return CellView(row, col, "checkbox", value, checked_value=checked,
                        unchecked_value=unchecked, **common)  # fmt: skip
    if kind == "ONE_OF_LIST" and rule.get("showCustomUi"):
        choices = tuple(str(v.get("userEnteredValue", "")) for v in condition.get("values") or [])
        return CellView(row, col, "select", shown, choices=choices, **common)
    if kind == "DATE_IS_VALID" and (day := iso_day(stored)) is not None:
        return CellView(row, col, "date", day, **common)
    if fmt.get("wrapStrategy") == "WRAP":
        return CellView(row, col, "wrap", shown, **common)
    return CellView(row, col, "text", shown, **common)


def checkbox_values(condition: dict[str, Any]) -> tuple[str, str]:
    """The (checked, unchecked) values of a BOOLEAN condition, as the cell stores them typed."""
    values = [str(v.get("userEnteredValue", "")) for v in condition.get("values") or []]
    if not values:
        return "TRUE", "FALSE"
    return values[0], values[1] if len(values) > 1 else ""


def _same(shown: str, value: str) -> bool:
    return shown != "" and shown.casefold() == value.casefold()


def iso_day(stored: sm.Cell) -> str | None:
    """A date cell's day as yyyy-mm-dd (what a date picker holds); "" when blank; None when the
    cell holds something else (text typed over the date, shown as it is)."""
    effective = stored.get("effectiveValue") or {}
    if not effective:
        return ""
    number = effective.get("numberValue")
    if not isinstance(number, int | float):
        return None
    return serial_to_datetime(float(number)).date().isoformat()


def refusal(stored: sm.Cell | None, typed: str) -> str | None:
    """Why a strict validation rule refuses this typed value, or None when it is accepted."""
    rule = (stored or {}).get("dataValidation") or {}
    if not rule.get("strict") or typed == "":
        return None
    condition = rule.get("condition") or {}
    kind = str(condition.get("type", ""))
    if kind not in DEFAULT_REFUSALS or _accepted(kind, condition, typed):
        return None
    return str(rule.get("inputMessage") or DEFAULT_REFUSALS[kind])


def _breaks(rule: dict[str, Any], shown: str, entered: dict[str, Any]) -> str:
    """Why a cell's value breaks its rule, strict or not ("" when it does not): a value the API
    wrote, or one typed under a rule that only warns, is kept and marked invalid."""
    condition = rule.get("condition") or {}
    kind = str(condition.get("type", ""))
    if kind not in DEFAULT_REFUSALS or not entered or "formulaValue" in entered:
        return ""
    typed = "TRUE" if entered.get("boolValue") is True else shown
    if entered.get("boolValue") is False:
        typed = "FALSE"
    if kind == "DATE_IS_VALID":
        ok = isinstance(entered.get("numberValue"), int | float)
    else:
        ok = _accepted(kind, condition, typed)
    return "" if ok else str(rule.get("inputMessage") or DEFAULT_REFUSALS[kind])


def _accepted(kind: str, condition: dict[str, Any], typed: str) -> bool:
    values = [str(v.get("userEnteredValue", "")) for v in condition.get("values") or []]
    if kind == "ONE_OF_LIST":
        return typed in values
    if kind == "BOOLEAN":
        allowed = values or ["TRUE", "FALSE"]
        return any(typed.casefold() == value.casefold() for value in allowed)
    parsed = parse_input(typed, "USER_ENTERED")
    number_format = (parsed.number_format if parsed else None) or {}
    return number_format.get("type") in _DATE_TYPES


def _colour(style: Format | None, plain: Format | None) -> str | None:
    """A ColorStyle (or the deprecated Color) as CSS rgb(); theme colours are not resolved."""
    rgb = (style or {}).get("rgbColor") if style else plain
    if not rgb:
        return None
    red, green, blue = (round(float(rgb.get(k, 0)) * 255) for k in ("red", "green", "blue"))
    return f"rgb({red}, {green}, {blue})"


def css(fmt: Format, conditional: Format) -> str:
    """The inline style of a cell: its format's colours, weight and alignment, the conditional
    format's colours and text style laid over them."""
    text = {**(fmt.get("textFormat") or {}), **(conditional.get("textFormat") or {})}
    background = _colour(
        conditional.get("backgroundColorStyle"), conditional.get("backgroundColor")
    )
    if background is None and not conditional.get("backgroundColorStyle"):
        background = _colour(fmt.get("backgroundColorStyle"), fmt.get("backgroundColor"))
    rules = []
    if background:
        rules.append(f"background-color: {background}")
    foreground = _colour(text.get("foregroundColorStyle"), text.get("foregroundColor"))
    if foreground:
        rules.append(f"color: {foreground}")
    if text.get("bold"):
        rules.append("font-weight: 700")
    if text.get("italic"):
        rules.append("font-style: italic")
    if text.get("strikethrough"):
        rules.append("text-decoration: line-through")
    align = str(fmt.get("horizontalAlignment", "")).lower()
    if align in ("left", "center", "right"):
        rules.append(f"text-align: {align}")
    return "; ".join(rules)
