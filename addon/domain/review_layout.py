"""The pipeline-review workbook as Sheets API request bodies (pure: no HTTP, no Google import).

Rewriting the workbook costs two writes whatever it held before (DESIGN.md "Request budgets";
issue 5 "Writing the workbook"):

1. one `spreadsheets.batchUpdate` with `rewrite_requests(frames, chart_ids)`: it adds a scratch
   sheet, deletes and re-adds every review tab under the same sheetId and title (which drops old
   values, formats, conditional formats and charts, since a sheet takes those with it), removes
   the scratch sheet, then shapes, formats and charts the fresh tabs;
2. one `spreadsheets.values.batchUpdate` with `valueInputOption=RAW` and `value_data(frames)`,
   so text copied from buyer sheets (`=IMPORTXML(...)`) stays text (DESIGN.md "Security").

Reference: https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import pandas as pd

from .review_formats import (
    LINK_COLUMN,
    URL_COLUMN,
    format_requests,
    grid,
    link_requests,
    linked_column,
    number_format,
    rule_requests,
    table_requests,
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
CHART_WIDTH_PX = 600
CHART_COLUMNS = 7  # default-width (100 px) columns that hold a chart's anchor and width
ROW_PX = 21  # Sheets' default row height
CHART_ROW = 1  # charts are anchored below the frozen header row


@dataclass(frozen=True)
class ChartDef:
    """One review chart: where its table lives and which columns it plots."""

    chart_id: int
    title: str
    tab: str
    chart_type: str  # BasicChartType: "COLUMN" (vertical) or "BAR" (horizontal)
    domain: str
    series: tuple[str, ...]
    value_title: str  # the value axis, in words


REVIEW_CHARTS = (
    ChartDef(
        7001,
        "Forecast by month",
        "Forecast",
        "COLUMN",
        "Month",
        ("Committed", "Projected"),
        "Amount",
    ),
    ChartDef(7002, "Risks by kind", "Risk summary", "BAR", "Risk", ("Count",), "Deals flagged"),
    ChartDef(7003, "Progress by deal", "Pipeline", "BAR", "Deal", ("% done",), "Steps done"),
)


@dataclass(frozen=True)
class TabLayout:
    """Where things go on one tab: its one table at A1, then the chart to its right.

    `frame` is the table as written (HIDDEN_COLUMNS left out); `links` each row's plan address
    for its Deal cell (empty when the tab has none).
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


def to_cell(value: object) -> str | int | float | bool:
    """A frame value as a JSON value for values.batchUpdate with RAW input (ExtendedValue-like)."""
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
            tail = column.astype(str).str.len().quantile(0.9) if len(column) else 0
            longest = int(tail) if pd.notna(tail) else 0
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
        rows = max(len(frame) + 1, 2)
        chart_col, height = None, 0
        if chart is not None:
            bars = len(frame)
            height = 371 if chart.chart_type == "COLUMN" else min(max(371, 80 + 20 * bars), 2000)
            chart_col = len(frame.columns) + 1  # one blank column between table and chart
            width = chart_col + CHART_COLUMNS
            rows = max(rows, CHART_ROW + math.ceil(height / ROW_PX))
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


def _add_chart(layout: TabLayout) -> dict[str, Any]:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#addchartrequest"""
    chart = layout.chart
    assert chart is not None and layout.chart_col is not None
    table = layout.frame
    names = [str(c) for c in table.columns]
    rows = (0, len(table) + 1)

    def source(name: str) -> dict[str, Any]:
        col = names.index(name)
        return {"sourceRange": {"sources": [grid(layout.sheet_id, rows, (col, col + 1))]}}

    bottom, left = "BOTTOM_AXIS", "LEFT_AXIS"
    domain_axis, value_axis = (bottom, left) if chart.chart_type == "COLUMN" else (left, bottom)
    basic = {
        "chartType": chart.chart_type,
        "legendPosition": "BOTTOM_LEGEND" if len(chart.series) > 1 else "NO_LEGEND",
        "axis": [
            {"position": domain_axis, "title": chart.domain},
            {"position": value_axis, "title": chart.value_title},
        ],
        "domains": [{"domain": source(chart.domain)}],
        "series": [{"series": source(name), "targetAxis": value_axis} for name in chart.series],
        "headerCount": 1,
    }
    anchor = {"sheetId": layout.sheet_id, "rowIndex": CHART_ROW, "columnIndex": layout.chart_col}
    size = {"widthPixels": CHART_WIDTH_PX, "heightPixels": layout.chart_height}
    position = {"overlayPosition": {"anchorCell": anchor, **size}}
    spec = {"title": chart.title, "basicChart": basic}
    return {"addChart": {"chart": {"chartId": chart.chart_id, "spec": spec, "position": position}}}


def rewrite_requests(
    frames: Mapping[str, pd.DataFrame],
    existing_chart_ids: Iterable[int] = (),
    existing_sheets: Iterable[tuple[int, str]] | None = None,
    with_links: bool = True,
) -> list[dict[str, Any]]:
    """The requests of the one spreadsheets.batchUpdate that resets every tab for `frames`.

    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/batchUpdate
    `existing_chart_ids` must be charts that exist now (Sheets rejects the batch otherwise);
    `existing_sheets` the workbook's (sheetId, title) pairs (None: every review tab, no other).
    `with_links` False leaves out the deal links (`links_requests`), which follow the rows.
    """
    layouts = tab_layouts(frames)
    requests = _reset(layouts, existing_chart_ids, existing_sheets)
    for layout in layouts:
        requests.append(_shape(layout))
        requests += format_requests(layout, column_widths(layout.frame))
        requests += table_requests(layout)
        requests += rule_requests(layout)
        if layout.chart is not None:
            requests.append(_add_chart(layout))
        if with_links:
            requests += link_requests(layout)
    return requests


def links_requests(frames: Mapping[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Every tab's deal links alone: what to write when only the order of deals changed."""
    return [request for layout in tab_layouts(frames) for request in link_requests(layout)]


Cell = str | int | float | bool | None


def _rows(layout: TabLayout) -> list[list[Cell]]:
    table, linked = layout.frame, linked_column(layout)
    header: list[Cell] = [str(c) for c in table.columns]
    columns: list[list[Cell]] = [
        [None] * len(table) if i == linked else [to_cell(v) for v in table.iloc[:, i].tolist()]
        for i in range(table.shape[1])
    ]
    return [header, *(list(row) for row in zip(*columns, strict=True))]


def value_data(frames: Mapping[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """The `data` of the one values.batchUpdate (RAW): one ValueRange per table, header first.

    A linked Deal column's cells are null, which the write skips ("Null values will be
    skipped"): `links_requests` writes them with their links.
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdate
    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values#ValueRange
    """
    data = []
    for layout in tab_layouts(frames):
        if len(layout.frame.columns):
            cell = f"{quote_sheet(layout.title)}!A1"
            data.append({"range": cell, "majorDimension": "ROWS", "values": _rows(layout)})
    return data
