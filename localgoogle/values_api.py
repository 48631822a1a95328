"""Sheets v4 `spreadsheets.values.*`: reading and writing cell values by A1 range.

Semantics follow https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values
and https://developers.google.com/sheets/api/guides/values: empty trailing rows and columns are
omitted; `null` in written values leaves a cell unchanged and `""` clears it; RAW stores input
as-is; writes beyond the grid fail with "exceeds grid limits" except append, which adds rows
and columns.
"""

from __future__ import annotations

from typing import Any

from . import cells, protection
from . import sheetmodel as sm
from .a1 import cell_name, col_letters
from .batch_shift import insert_band
from .cellvalues import parse_input, render
from .context import Caller
from .errors import ApiError, bad_request
from .sheets_common import ROUTER, Opened, opened

_SCALARS = (str, int, float, bool, type(None))


# ---------------------------------------------------------------- reading


def read(o: Opened, text: str, caller_args: Caller | dict[str, Any]) -> dict[str, Any]:
    """One ValueRange for an A1 range, rendered as the request asks."""
    opts = _options(caller_args)
    sheet, bounds = sm.resolve_a1(o.doc, text)
    rows: list[list[Any]] = []
    for r in range(bounds[0], min(bounds[2], len(sheet.get("grid", [])))):
        row = [
            render(sm.cell(sheet, r, c), opts["valueRenderOption"], opts["dateTimeRenderOption"])
            for c in range(bounds[1], bounds[3])
        ]
        rows.append(row)
    if opts["majorDimension"] == "COLUMNS":
        width = bounds.cols
        rows = [[row[c] if c < len(row) else "" for row in rows] for c in range(width)]
    for row in rows:
        while row and row[-1] == "":
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    out: dict[str, Any] = {
        "range": sm.a1_text(sheet, bounds),
        "majorDimension": opts["majorDimension"],
    }
    if rows:
        out["values"] = rows
    return out


def _options(source: Caller | dict[str, Any], prefix: str = "") -> dict[str, str]:
    def pick(name: str, default: str) -> str:
        key = prefix + name[0].upper() + name[1:] if prefix else name
        if isinstance(source, Caller):
            return source.arg(key) or default
        return str(source.get(key) or default)

    return {
        "valueRenderOption": pick("valueRenderOption", "FORMATTED_VALUE"),
        "dateTimeRenderOption": pick("dateTimeRenderOption", "SERIAL_NUMBER"),
        "majorDimension": pick("majorDimension", "ROWS"),
    }


@ROUTER.add("GET", "sheets.spreadsheets.values.get")
def values_get(caller: Caller, spreadsheetId: str, range: str) -> dict[str, Any]:  # noqa: A002,N803
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/get"""
    with opened(caller, spreadsheetId, "reader") as o:
        return read(o, range, caller)


@ROUTER.add("GET", "sheets.spreadsheets.values.batchGet")
def values_batch_get(caller: Caller, spreadsheetId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchGet"""
    with opened(caller, spreadsheetId, "reader") as o:
        value_ranges = [read(o, text, caller) for text in caller.arg_list("ranges")]
        out: dict[str, Any] = {"spreadsheetId": spreadsheetId}
        if value_ranges:
            out["valueRanges"] = value_ranges
        return out


# ---------------------------------------------------------------- writing


def _require_input_option(option: str | None) -> str:
    if not option or option == "INPUT_VALUE_OPTION_UNSPECIFIED":
        raise bad_request("'valueInputOption' is required but not specified")
    return option


def _matrix(value_range: dict[str, Any]) -> list[list[Any]]:
    values = value_range.get("values") or []
    for i, row in enumerate(values):
        if not isinstance(row, list):
            raise bad_request(f"Invalid values[{i}]: {row!r}")
        for j, item in enumerate(row):
            if not isinstance(item, _SCALARS):
                kind = "list_value" if isinstance(item, list) else "struct_value"
                raise bad_request(f"Invalid values[{i}][{j}]: {kind} {item!r}")
    if value_range.get("majorDimension") == "COLUMNS":
        height = max((len(col) for col in values), default=0)
        values = [[col[r] if r < len(col) else None for col in values] for r in range(height)]
    return values


def write(
    o: Opened,
    text: str,
    value_range: dict[str, Any],
    option: str,
    append_at: int | None = None,
    touched: set[tuple[int, int, int]] | None = None,
) -> dict[str, Any]:
    """Write a ValueRange at the top-left of `text` (or at row `append_at`); the update summary.

    Counts follow UpdateValuesResponse: updatedRows (updatedColumns) is "the number of rows
    (columns) where at least one cell in the row was updated"; a null is skipped, so a cell left
    by it is not counted (https://developers.google.com/sheets/api/reference/rest/v4/UpdateValuesResponse).
    The cells written are added to `touched` as (sheetId, row, column).
    """
    sheet, parsed = sm.requested_range(o.doc, text)
    body_range = value_range.get("range")
    if body_range and append_at is None and _normal(o, body_range) != _normal(o, text):
        raise bad_request(
            f"Requested writing within range [{text}], but tried writing to [{body_range}]"
        )
    values = _matrix(value_range)
    start_row = parsed.start_row or 0 if append_at is None else append_at
    start_col = parsed.start_col or 0
    height = len(values)
    width = max((len(row) for row in values), default=0)
    single_cell = (
        parsed.end_row is not None
        and parsed.end_col is not None
        and parsed.end_row - (parsed.start_row or 0) == 1
        and parsed.end_col - (parsed.start_col or 0) == 1
    )
    if append_at is None and not single_cell:  # a single cell is only the anchor to write from
        if parsed.end_row is not None and start_row + height > parsed.end_row:
            raise bad_request(
                f"Requested writing within range [{text}], but tried writing to row "
                f"[{start_row + height}]"
            )
        if parsed.end_col is not None and start_col + width > parsed.end_col:
            raise bad_request(
                f"Requested writing within range [{text}], but tried writing to column "
                f"[{col_letters(start_col + width - 1)}]"
            )
    rows, cols = sm.grid_size(sheet)
    if start_row + height > rows or start_col + width > cols:
        bad_row = min(start_row + height, rows + 1) if start_row + height > rows else start_row + 1
        bad_col = start_col + width - 1 if start_col + width > cols else start_col
        raise bad_request(
            f"Range ({sm.quote_sheet(sm.title(sheet))}!{cell_name(bad_row - 1, bad_col)}) exceeds "
            f"grid limits. Max rows: {rows}, max columns: {cols}"
        )
    bounds = sm.Bounds((start_row, start_col, start_row + height, start_col + width))
    protection.check_cells(o.doc, sheet, bounds, o.caller, o.owner)
    written: set[tuple[int, int]] = set()
    for i, row in enumerate(values):
        for j, raw in enumerate(row):
            parsed_input = parse_input(raw, option)
            if parsed_input is None:
                continue
            stored = dict(sm.cell(sheet, start_row + i, start_col + j) or {})
            if parsed_input.value:
                stored["userEnteredValue"] = parsed_input.value
            else:
                stored.pop("userEnteredValue", None)
            if parsed_input.number_format and not (
                stored.get("userEnteredFormat", {}).get("numberFormat")
            ):
                fmt = dict(stored.get("userEnteredFormat") or {})
                fmt["numberFormat"] = parsed_input.number_format
                stored["userEnteredFormat"] = fmt
            cells.refresh(stored)
            sm.set_cell(sheet, start_row + i, start_col + j, stored or None)
            written.add((start_row + i, start_col + j))
    if touched is not None:
        touched.update((sm.sheet_id(sheet), r, c) for r, c in written)
    out: dict[str, Any] = {"spreadsheetId": o.doc["spreadsheetId"]}
    if height and width:
        out["updatedRange"] = sm.a1_text(sheet, bounds)
        counts = {
            "updatedRows": len({r for r, _ in written}),
            "updatedColumns": len({c for _, c in written}),
            "updatedCells": len(written),
        }
        out.update({k: v for k, v in counts.items() if v})  # proto3 leaves zeros out
    return out


def _normal(o: Opened, text: str) -> str:
    sheet, bounds = sm.resolve_a1(o.doc, text)
    return sm.a1_text(sheet, bounds)


def _with_data(o: Opened, summary: dict[str, Any], options: Caller | dict[str, Any]) -> None:
    """Add `updatedData` when the request asked for the written values back."""
    include = (
        options.flag("includeValuesInResponse")
        if isinstance(options, Caller)
        else bool(options.get("includeValuesInResponse"))
    )
    if include and "updatedRange" in summary:
        cells.recalculate(o.doc)
        opts = _options(options, prefix="response")
        summary["updatedData"] = read(o, summary["updatedRange"], opts)


@ROUTER.add("PUT", "sheets.spreadsheets.values.update")
def values_update(caller: Caller, spreadsheetId: str, range: str) -> dict[str, Any]:  # noqa: A002,N803
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/update"""
    option = _require_input_option(caller.arg("valueInputOption"))
    with opened(caller, spreadsheetId, "writer") as o:
        summary = write(o, range, caller.body or {}, option)
        o.save()
        _with_data(o, summary, caller)
        return summary


@ROUTER.add("POST", "sheets.spreadsheets.values.batchUpdate")
def values_batch_update(caller: Caller, spreadsheetId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdate"""
    body = caller.body or {}
    option = _require_input_option(body.get("valueInputOption"))
    with opened(caller, spreadsheetId, "writer") as o:
        responses = []
        touched: set[tuple[int, int, int]] = set()
        for i, value_range in enumerate(body.get("data") or []):
            try:
                if not value_range.get("range"):
                    raise bad_request("Unable to parse range: ")
                responses.append(
                    write(o, value_range["range"], value_range, option, touched=touched)
                )
            except ApiError as exc:
                exc.message = f"Invalid data[{i}]: {exc.message}"
                raise
        o.save()
        for summary in responses:
            _with_data(o, summary, body)
        out: dict[str, Any] = {"spreadsheetId": spreadsheetId}
        # BatchUpdateValuesResponse: each total counts the rows, columns, cells and sheets
        # "where at least one cell ... was updated", each once however many writes touch it.
        totals = {
            "totalUpdatedRows": len({(s, r) for s, r, _ in touched}),
            "totalUpdatedColumns": len({(s, c) for s, _, c in touched}),
            "totalUpdatedCells": len(touched),
            "totalUpdatedSheets": len({s for s, _, _ in touched}),
        }
        out.update({k: v for k, v in totals.items() if v})
        if responses:  # proto3 JSON leaves empty repeated fields out, as Google answers
            out["responses"] = responses
        return out


def _find_table(sheet: sm.Sheet, bounds: sm.Bounds) -> sm.Bounds | None:
    """The table append writes after, or None when the range holds no value.

    Google documents only "a table within that range". Its recorded answers (gspread's test
    cassettes, e.g. WorksheetTest.test_append_row_with_empty_value*) show: an empty column splits
    a row into tables and the last one is used (`a,,c` -> tableRange `C1`, appended at `C2:E2`);
    a one-cell range `A1` confines the table to column A (tableRange `A1`). And `A1` as the range
    appends below a table of many rows, so the table reaches down past the range's last row.
    Model: the cells holding values that are connected (edge to edge) to the range's last such
    cell, within the range's columns and from its first row down.
    """
    grid_rows = len(sheet.get("grid", []))
    last = next(
        (
            (r, c)
            for r in reversed(range(bounds[0], min(bounds[2], grid_rows)))
            for c in reversed(range(bounds[1], bounds[3]))
            if _has_value(sm.cell(sheet, r, c))
        ),
        None,
    )
    if last is None:
        return None
    seen = {last}
    pending = [last]
    while pending:
        r, c = pending.pop()
        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if (
                (nr, nc) not in seen
                and bounds[0] <= nr < grid_rows
                and bounds[1] <= nc < bounds[3]
                and _has_value(sm.cell(sheet, nr, nc))
            ):
                seen.add((nr, nc))
                pending.append((nr, nc))
    rows = [r for r, _ in seen]
    cols = [c for _, c in seen]
    return sm.Bounds((min(rows), min(cols), max(rows) + 1, max(cols) + 1))


def _has_value(stored: sm.Cell | None) -> bool:
    return bool(stored and stored.get("userEnteredValue"))


@ROUTER.add("POST", "sheets.spreadsheets.values.append")
def values_append(caller: Caller, spreadsheetId: str, range: str) -> dict[str, Any]:  # noqa: A002,N803
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/append"""
    option = _require_input_option(caller.arg("valueInputOption"))
    body = caller.body or {}
    with opened(caller, spreadsheetId, "writer") as o:
        sheet, bounds = sm.resolve_a1(o.doc, range)
        table = _find_table(sheet, bounds)
        start, left = (bounds[0], bounds[1]) if table is None else (table[2], table[1])
        matrix = _matrix(body)
        height = len(matrix)
        width = max((len(row) for row in matrix), default=0)
        if caller.arg("insertDataOption") == "INSERT_ROWS" and height:
            # Inserted rows as insertDimension inserts them: formulas, protected ranges,
            # conditional formats and the rest below move along, not only the cells.
            insert_band(o.doc, sheet, "ROWS", start, start + height)
        rows, cols = sm.grid_size(sheet)
        # OVERWRITE: "adding data to the end of the sheet will still insert new rows or columns
        # so the data can be written" (InsertDataOption) - columns too, not only rows.
        sm.set_grid_size(sheet, max(rows, start + height), max(cols, left + width))
        target = sm.a1_text(sheet, sm.Bounds((start, left, start + 1, left + 1)))
        summary = write(o, target, {k: v for k, v in body.items() if k != "range"}, option, start)
        o.save()
        _with_data(o, summary, caller)
        out: dict[str, Any] = {"spreadsheetId": spreadsheetId}
        if table is not None:
            out["tableRange"] = sm.a1_text(sheet, table)
        out["updates"] = summary
        return out


def clear(o: Opened, text: str) -> str:
    """Clear values (formats stay) in a range; the normalised range cleared."""
    sheet, bounds = sm.resolve_a1(o.doc, text)
    protection.check_cells(o.doc, sheet, bounds, o.caller, o.owner)
    for r, c, stored in list(
        sm.cells_in(
            sheet,
            sm.Bounds(
                (bounds[0], bounds[1], min(bounds[2], len(sheet.get("grid", []))), bounds[3])
            ),
        )
    ):
        if stored and "userEnteredValue" in stored:
            kept = {
                k: v
                for k, v in stored.items()
                if k not in ("userEnteredValue", "effectiveValue", "formattedValue")
            }
            sm.set_cell(sheet, r, c, kept or None)
    return sm.a1_text(sheet, bounds)


@ROUTER.add("POST", "sheets.spreadsheets.values.clear")
def values_clear(caller: Caller, spreadsheetId: str, range: str) -> dict[str, Any]:  # noqa: A002,N803
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/clear"""
    with opened(caller, spreadsheetId, "writer") as o:
        cleared = clear(o, range)
        o.save()
        return {"spreadsheetId": spreadsheetId, "clearedRange": cleared}


@ROUTER.add("POST", "sheets.spreadsheets.values.batchClear")
def values_batch_clear(caller: Caller, spreadsheetId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchClear"""
    ranges = (caller.body or {}).get("ranges") or []
    with opened(caller, spreadsheetId, "writer") as o:
        cleared = [clear(o, text) for text in ranges]
        o.save()
        out: dict[str, Any] = {"spreadsheetId": spreadsheetId}
        if cleared:
            out["clearedRanges"] = cleared
        return out
