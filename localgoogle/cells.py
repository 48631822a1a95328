"""Cell contents: normalising CellData from requests, rendering it back, recalculating formulas."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any

from . import shape
from . import sheetmodel as sm
from .cellvalues import effective_from_user, format_value, to_python
from .formula import CellError, Value, evaluate

# CellData fields a request may set; the rest (effectiveValue, formattedValue, effectiveFormat,
# hyperlink) are computed by Sheets and ignored when sent.
WRITABLE = (
    "userEnteredValue",
    "userEnteredFormat",
    "note",
    "dataValidation",
    "textFormatRuns",
    "pivotTable",
)


def from_request(cell_data: dict[str, Any] | None) -> sm.Cell | None:
    """A stored cell from request CellData; None when it carries nothing."""
    if not cell_data:
        return None
    stored = {k: copy.deepcopy(v) for k, v in cell_data.items() if k in WRITABLE and v}
    refresh(stored)
    return stored or None


def refresh(stored: sm.Cell) -> None:
    """Recompute the derived fields of a non-formula cell (formulas wait for recalculate)."""
    value = stored.get("userEnteredValue")
    if not value:
        stored.pop("userEnteredValue", None)
        stored.pop("effectiveValue", None)
        stored.pop("formattedValue", None)
        return
    if "formulaValue" in value:
        return
    effective = effective_from_user(value)
    stored["effectiveValue"] = effective
    stored["formattedValue"] = format_value(effective, number_format(stored))


def number_format(stored: sm.Cell) -> dict[str, Any] | None:
    fmt = stored.get("userEnteredFormat") or {}
    return fmt.get("numberFormat")


def to_response(doc: sm.Doc, stored: sm.Cell | None) -> dict[str, Any]:
    """CellData as `spreadsheets.get` with grid data returns it."""
    if not stored:
        return {}
    out = copy.deepcopy(stored)
    if "userEnteredValue" in out or "userEnteredFormat" in out:
        out["effectiveFormat"] = _merged(
            doc["properties"].get("defaultFormat") or sm.DEFAULT_FORMAT,
            out.get("userEnteredFormat") or {},
        )
    link = hyperlink_of(out)
    if link:
        out["hyperlink"] = link
    return out


_HYPERLINK = re.compile(r'^=\s*HYPERLINK\(\s*"((?:[^"]|"")*)"', re.IGNORECASE)


def hyperlink_of(stored: sm.Cell) -> str | None:
    """The cell's one link, as CellData.hyperlink reports it: "To set it, use a =HYPERLINK
    formula in the userEnteredValue.formulaValue field. A cell-level link can also be set from
    the userEnteredFormat.textFormat field. Alternatively, set a hyperlink in the
    textFormatRun.format.linkUri field that covers the entire cell."
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/cells#CellData
    (A formula whose link is not a literal text is not followed here.)
    """
    formula = (stored.get("userEnteredValue") or {}).get("formulaValue")
    if isinstance(formula, str):
        found = _HYPERLINK.match(formula)
        if found:
            return found.group(1).replace('""', '"')
    link = ((stored.get("userEnteredFormat") or {}).get("textFormat") or {}).get("link") or {}
    if isinstance(link, dict) and link.get("uri"):
        return str(link["uri"])
    runs = stored.get("textFormatRuns") or []
    if len(runs) == 1 and int(runs[0].get("startIndex", 0)) == 0:
        run_link = ((runs[0].get("format") or {}).get("link")) or {}
        if isinstance(run_link, dict) and run_link.get("uri"):
            return str(run_link["uri"])
    return None


def _is_colour(key: str) -> bool:
    return key.lower().endswith(("color", "colorstyle"))


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` laid on `base`; a colour is one value (absent channels are 0, not inherited)."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        twin = shape.twin_of(key)
        if twin is not None and twin not in over:
            out.pop(twin, None)  # the base's colour twin would contradict this one
        if isinstance(value, dict) and isinstance(out.get(key), dict) and not _is_colour(key):
            out[key] = _merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


# ---------------------------------------------------------------- formulas


def recalculate(doc: sm.Doc) -> None:
    """Evaluate every formula cell in the spreadsheet (Sheets recalculates on change)."""
    calc = _Calculator(doc)
    for sheet in doc["sheets"]:
        for r, values in enumerate(sheet.get("grid", [])):
            for c, stored in enumerate(values or []):
                if stored and "formulaValue" in stored.get("userEnteredValue", {}):
                    calc.value_of(sheet, r, c)


def _as_extended(value: Value) -> dict[str, Any]:
    if isinstance(value, CellError):
        return {"errorValue": {"type": value.type, "message": value.message}}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": float(value)}
    if value is None:
        return {"numberValue": 0.0}
    return {"stringValue": value}


class _Calculator:
    """Evaluates formula cells on demand, each once, detecting circular references."""

    def __init__(self, doc: sm.Doc) -> None:
        self.doc = doc
        self.today = datetime.now(UTC).date()
        self.done: set[tuple[int, int, int]] = set()
        self.active: set[tuple[int, int, int]] = set()

    def value_of(self, sheet: sm.Sheet, row: int, col: int) -> Value:
        stored = sm.cell(sheet, row, col)
        if not stored or "userEnteredValue" not in stored:
            return None
        if "formulaValue" not in stored["userEnteredValue"]:
            return _plain(stored.get("effectiveValue") or {})
        key = (sm.sheet_id(sheet), row, col)
        if key in self.active:
            return CellError(
                "REF",
                "Circular dependency detected. To resolve with iterative "
                "calculation, see File > Settings.",
            )
        if key not in self.done:
            self.active.add(key)
            try:
                result = evaluate(
                    stored["userEnteredValue"]["formulaValue"], _Resolver(self, sheet), self.today
                )
            finally:
                self.active.discard(key)
            effective = _as_extended(result)
            stored["effectiveValue"] = effective
            fmt = number_format(stored)
            if fmt is None and _is_today(stored["userEnteredValue"]["formulaValue"]):
                fmt = {"type": "DATE", "pattern": "M/d/yyyy"}
            stored["formattedValue"] = format_value(effective, fmt)
            self.done.add(key)
        return _plain(stored.get("effectiveValue") or {})


def _is_today(formula: str) -> bool:
    return formula.replace(" ", "").upper() == "=TODAY()"


def _plain(effective: dict[str, Any]) -> Value:
    if "errorValue" in effective:
        err = effective["errorValue"]
        return CellError(err.get("type", "ERROR"), err.get("message", ""))
    value = to_python(effective)
    return value if not isinstance(value, dict) else None


class _Resolver:
    def __init__(self, calc: _Calculator, sheet: sm.Sheet) -> None:
        self.calc = calc
        self.sheet = sheet

    def _sheet(self, name: str | None) -> sm.Sheet | None:
        return self.sheet if name is None else sm.sheet_by_title(self.calc.doc, name)

    def has_sheet(self, sheet: str) -> bool:
        return sm.sheet_by_title(self.calc.doc, sheet) is not None

    def cell(self, sheet: str | None, row: int, col: int) -> Value:
        target = self._sheet(sheet)
        if target is None:
            return CellError("REF", f"Unresolved sheet name '{sheet}'.")
        return self.calc.value_of(target, row, col)

    def area(
        self,
        sheet: str | None,
        start_row: int,
        start_col: int,
        end_row: int | None,
        end_col: int | None,
    ) -> list[list[Value]]:
        target = self._sheet(sheet)
        if target is None:
            return [[CellError("REF", f"Unresolved sheet name '{sheet}'.")]]
        rows, cols = sm.grid_size(target)
        end_row = rows if end_row is None else min(end_row, rows)
        end_col = cols if end_col is None else min(end_col, cols)
        used_rows = min(end_row, len(target.get("grid", [])))
        return [
            [self.calc.value_of(target, r, c) for c in range(start_col, end_col)]
            for r in range(start_row, used_rows)
        ]
