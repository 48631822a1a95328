"""The pipeline-review workbook as Sheets API request bodies (pure: no HTTP, no Google import).

A review write is one `spreadsheets.batchUpdate` (DESIGN.md "Request budgets"), made of up to
three parts, each written only when it differs from the last write (`services.consolidate`):

1. the structure (`structure_requests`), which depends on the tables' columns and on their rows
   only through each tab's grid (`grid_capacity`: a power of two, so it changes when a table
   doubles or halves): a scratch sheet is added, every review tab deleted and added again under
   the same sheetId and title (a sheet takes its values, formats, rules and charts with it),
   the scratch sheet removed, then the fresh tabs shaped, formatted, coloured and charted;
2. the fit (`fitted_requests`): column widths, each table's filter and alternating colours, each
   chart's rows and height; each request replaces what was there (fixed ids);
3. the cells (`review_cells.cell_requests`): each tab's grid, or only the rows that changed
   since the last write; text is a stringValue, never read as a formula, as RAW input
   (DESIGN.md "Security").

Reference: https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .review_cells import cell_requests
from .review_charts import (
    CHART_COLUMNS,
    REVIEW_CHARTS,
    ChartDef,
    add_chart_request,
    chart_height,
    fit_chart_requests,
    max_chart_rows,
)
from .review_formats import (
    LINK_COLUMN,
    URL_COLUMN,
    add_banding_request,
    fit_table_requests,
    format_requests,
    number_format,
    rule_requests,
    width_requests,
)

REVIEW_TABS = (
    *("This week", "Forecast totals"),
    *("Pipeline", "Steps", "Risks", "Risk summary", "Activity", "Forecast", "Velocity"),
    *("Data issues", "Onboarding", "Closed", "Win-loss", "Forecast accuracy"),
)
# Each tab keeps its sheetId for good (tabs added later take the next free id), so a workbook
# written by an older release is rewritten in place.
REVIEW_SHEET_IDS = {
    "Pipeline": 0,
    "Steps": 1,
    "Risks": 2,
    "Activity": 3,
    "Forecast": 4,
    "Velocity": 5,
    "Data issues": 6,
    "Risk summary": 7,
    "Onboarding": 8,
    "Closed": 9,
    "Win-loss": 10,
    "Forecast accuracy": 11,
    "This week": 12,
    "Forecast totals": 13,
}
SCRATCH_SHEET_ID = 1_999_999_999  # lives only inside one batchUpdate, so a tab is never the last
SCRATCH_TITLE = "map-review-rewrite"
METADATA_KEY = "map.review"

DEAL_ID_COLUMN = "deal_id"
# Join keys and link targets: in the frames, never written (the deal's name links to its plan)
HIDDEN_COLUMNS = (DEAL_ID_COLUMN, URL_COLUMN)
SUMMARY_COLUMNS = ["Risk", "Count"]
# A tab's grid: the table's rows rounded up to a power of two, never fewer than this (which
# also holds the tallest chart), so the grid and what is sized by it change only when a table
# doubles or halves, not with every deal added or closed.
MIN_GRID_ROWS = 128
BANDING_ID_BASE = 8000  # + the tab's sheetId: its table's alternating colours, a fixed id


def grid_capacity(rows: int) -> int:
    """The grid rows for a table of `rows` rows (its header included)."""
    return max(MIN_GRID_ROWS, 1 << max(rows - 1, 0).bit_length())


@dataclass(frozen=True)
class TabLayout:
    """Where things go on one tab: its one table at A1, then the chart to its right.

    `frame` is the table as written (HIDDEN_COLUMNS left out); `links` each row's plan address
    for its Deal cell (empty when the tab has none). `grid_rows` are the tab's rows
    (`grid_capacity`), `table_rows` those the table fills (its header included, at least 2).
    """

    title: str
    frame: pd.DataFrame
    chart: ChartDef | None
    chart_col: int | None
    chart_height: int
    grid_rows: int
    grid_columns: int
    links: tuple[str | None, ...] = ()

    @property
    def sheet_id(self) -> int:
        return REVIEW_SHEET_IDS[self.title]

    @property
    def table_rows(self) -> int:
        return max(len(self.frame) + 1, 2)

    @property
    def banding_id(self) -> int:
        return BANDING_ID_BASE + self.sheet_id


def quote_sheet(title: str) -> str:
    """A sheet title as A1 notation needs it: quoted unless letters, digits and underscores."""
    if title.replace("_", "").isalnum() and title.isascii() and not title[0].isdigit():
        return title
    return "'" + title.replace("'", "''") + "'"


def risk_summary(risks: pd.DataFrame) -> pd.DataFrame:
    """Risk / Count: how many flags of each kind, most frequent first (the Risk summary tab)."""
    if "Risk" not in risks.columns or risks.empty:
        return pd.DataFrame({"Risk": pd.Series(dtype=object), "Count": pd.Series(dtype=int)})
    kinds = risks["Risk"].dropna().astype(str)
    counts = kinds.value_counts().rename_axis("Risk").reset_index(name="Count")
    counts["Risk"] = counts["Risk"].astype(object)
    counts["Count"] = counts["Count"].astype(int)
    ordered = counts.sort_values(["Count", "Risk"], ascending=[False, True], ignore_index=True)
    return ordered[SUMMARY_COLUMNS]


def column_widths(frame: pd.DataFrame) -> list[int]:
    """Readable widths in pixels: header or the 90th percentile of value lengths, clamped; a
    formatted column (dates, amounts, percentages) as wide as its format shows it."""
    widths = []
    for position, name in enumerate(frame.columns):
        column = frame.iloc[:, position]
        found = number_format(str(name), column)
        if found is not None:
            longest = len(found[1]) + 2 if found[0] != "CURRENCY" else 12
        else:
            # the lengths of the values as text (as Series.astype(str) writes them), without
            # building a Series of strings: this runs for every column of every review
            lengths = [len(str(value)) for value in column.tolist()]
            longest = int(np.quantile(lengths, 0.9)) if lengths else 0
        chars = max(len(str(name)), longest)
        widths.append(min(max(7 * chars + 16, 60), 360))
    return widths


def _chart_for(title: str, frame: pd.DataFrame) -> ChartDef | None:
    for chart in REVIEW_CHARTS:
        if chart.tab == title and {chart.domain, *chart.series} <= set(map(str, frame.columns)):
            return chart
    return None


def tab_layouts(frames: Mapping[str, pd.DataFrame]) -> list[TabLayout]:
    """The layout of every review tab, in tab order (a missing frame is an empty tab).

    Each tab holds one table from A1 and nothing else in its rows: a chart floats to its right,
    anchored below the header.
    """
    unknown = set(frames) - set(REVIEW_TABS)
    if unknown:
        raise ValueError(f"not review tabs: {sorted(unknown)}")
    layouts = []
    for title in REVIEW_TABS:
        given = frames.get(title, pd.DataFrame())
        links: tuple[str | None, ...] = ()
        if URL_COLUMN in given.columns and LINK_COLUMN in given.columns:
            links = tuple(
                url if isinstance(url, str) and url else None for url in given[URL_COLUMN]
            )
        frame = given.drop(columns=[c for c in HIDDEN_COLUMNS if c in given.columns])
        chart = _chart_for(title, frame)
        width = max(len(frame.columns), 2 if title == "Pipeline" else 1)
        rows = grid_capacity(max(len(frame) + 1, 2))
        chart_col, height = None, 0
        if chart is not None:
            height = chart_height(chart, len(frame))
            chart_col = len(frame.columns) + 1  # one blank column between table and chart
            width = chart_col + CHART_COLUMNS
            rows = max(rows, grid_capacity(max_chart_rows()))
        layouts.append(TabLayout(title, frame, chart, chart_col, height, rows, width, links))
    return layouts


def new_workbook_body(title: str, team: str = "1") -> dict[str, Any]:
    """A spreadsheets.create body: the seven tabs with fixed ids, frozen headers, and metadata
    naming the team (so a create whose answer was lost can be found again).

    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/create
    """
    sheets = []
    for index, tab in enumerate(REVIEW_TABS):
        grid = {"rowCount": 2, "columnCount": 2, "frozenRowCount": 1}
        if tab == "Pipeline":
            grid["frozenColumnCount"] = 1
        props = {"sheetId": REVIEW_SHEET_IDS[tab], "title": tab, "index": index}
        props["gridProperties"] = grid
        sheets.append({"properties": props})
    meta: dict[str, Any] = {"metadataKey": METADATA_KEY, "metadataValue": team}
    meta |= {"location": {"spreadsheet": True}, "visibility": "DOCUMENT"}
    return {"properties": {"title": title}, "sheets": sheets, "developerMetadata": [meta]}


def _reset(
    layouts: list[TabLayout],
    chart_ids: Iterable[int],
    existing_sheets: Iterable[tuple[int, str]] | None,
) -> list[dict[str, Any]]:
    """Delete old charts, then swap every tab for a fresh one with the same id and title.

    `existing_sheets` are the workbook's (sheetId, title) pairs; None means every review tab
    exists. A review tab missing (a workbook from an older release) is only added; a sheet in
    the way of a review tab (its id or title) is deleted first, since Sheets refuses both a
    delete of a sheet that is not there and two sheets with one id or title.
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#deletesheetrequest
    """
    out: list[dict[str, Any]] = [
        {"deleteEmbeddedObject": {"objectId": int(chart_id)}}
        for chart_id in dict.fromkeys(chart_ids)
    ]
    if existing_sheets is None:
        in_the_way = [layout.sheet_id for layout in layouts]
    else:
        ids = {layout.sheet_id for layout in layouts}
        titles = {layout.title for layout in layouts}
        in_the_way = [
            sheet_id
            for sheet_id, title in dict(existing_sheets).items()
            if (sheet_id in ids or title in titles) and sheet_id != SCRATCH_SHEET_ID
        ]
    scratch = {"sheetId": SCRATCH_SHEET_ID, "title": SCRATCH_TITLE}
    out.append({"addSheet": {"properties": scratch}})
    out += [{"deleteSheet": {"sheetId": sheet_id}} for sheet_id in dict.fromkeys(in_the_way)]
    out += [
        {"addSheet": {"properties": {"sheetId": lay.sheet_id, "title": lay.title, "index": i}}}
        for i, lay in enumerate(layouts)
    ]
    out.append({"deleteSheet": {"sheetId": SCRATCH_SHEET_ID}})
    return out


def _shape(layout: TabLayout) -> dict[str, Any]:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatesheetpropertiesrequest"""
    grid = {"rowCount": layout.grid_rows, "columnCount": layout.grid_columns, "frozenRowCount": 1}
    grid["frozenColumnCount"] = 1 if layout.title == "Pipeline" else 0
    fields = "gridProperties(rowCount,columnCount,frozenRowCount,frozenColumnCount)"
    props = {"sheetId": layout.sheet_id, "gridProperties": grid}
    return {"updateSheetProperties": {"properties": props, "fields": fields}}


def structure_requests(
    layouts: Sequence[TabLayout],
    existing_chart_ids: Iterable[int] = (),
    existing_sheets: Iterable[tuple[int, str]] | None = None,
) -> list[dict[str, Any]]:
    """Every tab reset and built for its table's columns, whatever its number of rows: grid,
    frozen header, header and number formats, colour rules, alternating colours and chart
    (those two under fixed ids, fitted to the rows by `fitted_requests`).

    `existing_chart_ids` must be charts that exist now (Sheets rejects the batch otherwise);
    `existing_sheets` the workbook's (sheetId, title) pairs (None: every review tab, no other).
    """
    requests = _reset(list(layouts), existing_chart_ids, existing_sheets)
    for layout in layouts:
        requests.append(_shape(layout))
        requests += format_requests(layout)
        requests += rule_requests(layout)
        requests += add_banding_request(layout)
        if layout.chart is not None:
            requests.append(add_chart_request(layout))
    return requests


def fitted_requests(layouts: Sequence[TabLayout]) -> list[dict[str, Any]]:
    """What follows each table's rows and contents: column widths, the filter and colours over
    the table, the chart's rows and height. Each replaces what was there, so a workbook whose
    structure stands is refitted in place."""
    requests = []
    for layout in layouts:
        requests += width_requests(layout, column_widths(layout.frame))
        requests += fit_table_requests(layout)
        requests += fit_chart_requests(layout)
    return requests


def rewrite_requests(
    frames: Mapping[str, pd.DataFrame],
    existing_chart_ids: Iterable[int] = (),
    existing_sheets: Iterable[tuple[int, str]] | None = None,
) -> list[dict[str, Any]]:
    """The whole workbook for `frames` in one spreadsheets.batchUpdate: structure, fit, cells.

    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/batchUpdate
    """
    layouts = tab_layouts(frames)
    return [
        *structure_requests(layouts, existing_chart_ids, existing_sheets),
        *fitted_requests(layouts),
        *cell_requests(layouts).requests,
    ]
