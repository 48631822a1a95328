"""The review's cells as updateCells requests (pure): every table's values and deal links, the
whole grid or only the rows that changed since the last write.

Text is a stringValue, stored as it is and never read as a formula, as RAW input does
(DESIGN.md "Security"); dates are serial numbers shown by the column's format; each deal's name
is written with its plan's link. A write knows each row by a short digest of its cells; given
the digests of the rows last written (`CellWrite.rows`, kept by the caller), it sends only the
runs of rows that differ and clears the rows the table no longer has, so a review where ten
deals changed writes about their rows, not the whole pipeline.

https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatecellsrequest
"If the data in rows does not cover the entire requested range, the fields matching those set
in fields will be cleared."
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .review_formats import grid, link_cell, linked_column

if TYPE_CHECKING:
    from .review_layout import TabLayout

Row = list[dict[str, Any]]


def to_cell(value: object) -> str | int | float | bool:
    """A frame value as a JSON value: text, a number, a boolean ("" for a blank)."""
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return ""
        return number if math.isfinite(number) else str(number)  # JSON has no Infinity
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
        if value is pd.NaT:
            return ""
    if isinstance(value, datetime | date):  # pd.Timestamp is a datetime
        return serial(value)
    return str(value)


_EPOCH = datetime(1899, 12, 30)


def serial(value: date) -> int | float:
    """A date as Sheets' serial number (days since 1899-12-30): whole for a day, a fraction of a
    day for a time (a moment with a zone is taken in UTC).
    https://developers.google.com/sheets/api/guides/formats#about_date_time_values
    """
    if not isinstance(value, datetime):
        return (value - _EPOCH.date()).days
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    days = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86_400
    return int(days) if value.time() == datetime.min.time() else round(days, 8)


def cell_data(value: object) -> dict[str, Any]:
    """A frame value as CellData with its userEnteredValue (none for a blank)."""
    cell = to_cell(value)
    if isinstance(cell, bool):
        return {"userEnteredValue": {"boolValue": cell}}
    if isinstance(cell, int | float):
        return {"userEnteredValue": {"numberValue": cell}}
    return {"userEnteredValue": {"stringValue": cell}} if cell else {}


def table_cells(layout: TabLayout) -> list[Row]:
    """The table as CellData rows, header first; the Deal column's cells carry their links."""
    table, linked = layout.frame, linked_column(layout)
    header = [cell_data(str(c)) for c in table.columns]
    columns = [
        [link_cell(name, url) for name, url in zip(values, layout.links, strict=True)]
        if i == linked
        else [cell_data(v) for v in values]
        for i, values in enumerate(table.iloc[:, j].tolist() for j in range(table.shape[1]))
    ]
    return [header, *(list(row) for row in zip(*columns, strict=True))]


def row_digest(row: Row) -> str:
    """A short digest of a row's cells, to know it again in the next write."""
    text = json.dumps(row, sort_keys=True, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


@dataclass(frozen=True)
class CellWrite:
    """The updateCells requests of one write, and the digest of every row it leaves written
    (by tab title), for the next write to compare with."""

    requests: list[dict[str, Any]]
    rows: dict[str, list[str]]


def _runs(changed: Sequence[bool]) -> list[tuple[int, int]]:
    """The [start, end) runs of True."""
    runs: list[tuple[int, int]] = []
    for index, flag in enumerate(changed):
        if not flag:
            continue
        if runs and runs[-1][1] == index:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    return runs


def cell_requests(
    layouts: Sequence[TabLayout], written: Mapping[str, Sequence[str]] | None = None
) -> CellWrite:
    """Every table's cells. Without `written` (the digests of the rows the workbook holds, by
    tab), the tabs are taken to be new and empty (the structure was just written): one
    updateCells per tab with every row. With it, per tab only the runs of rows whose digest
    differs, and a clear of the rows the table no longer has; a tab missing from `written` is
    written whole."""
    requests: list[dict[str, Any]] = []
    digests: dict[str, list[str]] = {}
    for layout in layouts:
        width = len(layout.frame.columns)
        if not width:
            continue
        fields = "userEnteredValue"
        if linked_column(layout) is not None:
            fields += ",userEnteredFormat.textFormat.link"
        rows = table_cells(layout)
        digests[layout.title] = [row_digest(row) for row in rows]
        before = None if written is None else written.get(layout.title)
        if before is None:  # the tab is new and empty: every row, nothing to clear
            runs, cleared = [(0, len(rows))], None
        else:
            now = digests[layout.title]
            changed = [i >= len(before) or before[i] != d for i, d in enumerate(now)]
            runs = _runs(changed)
            cleared = (len(now), len(before)) if len(before) > len(now) else None
        for start, end in runs:
            area = grid(layout.sheet_id, (start, end), (0, width))
            chosen = [{"values": row} for row in rows[start:end]]
            requests.append({"updateCells": {"rows": chosen, "fields": fields, "range": area}})
        if cleared is not None:
            area = grid(layout.sheet_id, cleared, (0, width))
            requests.append({"updateCells": {"fields": fields, "range": area}})
    return CellWrite(requests, digests)
