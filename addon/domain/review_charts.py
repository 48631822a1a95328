"""The review's charts as Sheets API request bodies (pure): what each plots, its size, and the
requests that add one and fit it to its table.

A chart is added when its tab's structure is written, over the tab's whole grid, and fitted to
the table (its source rows and, for a bar chart, its height) by `fit_chart_requests` in every
write whose table changed size: both are updates of the chart with its fixed id, so a chart is
never deleted and added again only because the number of deals changed.

https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#addchartrequest
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updatechartspecrequest
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updateembeddedobjectpositionrequest
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .review_formats import grid

if TYPE_CHECKING:
    from .review_layout import TabLayout

CHART_WIDTH_PX = 600
CHART_COLUMNS = 7  # default-width (100 px) columns that hold a chart's anchor and width
ROW_PX = 21  # Sheets' default row height
CHART_ROW = 1  # charts are anchored below the frozen header row
COLUMN_CHART_PX = 371  # a column chart's height; a bar chart grows with its bars
MAX_CHART_PX = 2000


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


def chart_height(chart: ChartDef, bars: int) -> int:
    """Pixels: a column chart's fixed height; a bar chart's room for its bars, within bounds."""
    if chart.chart_type == "COLUMN":
        return COLUMN_CHART_PX
    return min(max(COLUMN_CHART_PX, 80 + 20 * bars), MAX_CHART_PX)


def max_chart_rows() -> int:
    """The rows the tallest chart covers from its anchor (a tab's grid holds at least these)."""
    return CHART_ROW + -(-MAX_CHART_PX // ROW_PX)


def _spec(layout: TabLayout, rows: int) -> dict[str, Any]:
    """The chart's spec over the first `rows` rows of its columns (the header included)."""
    chart = layout.chart
    assert chart is not None
    names = [str(c) for c in layout.frame.columns]

    def source(name: str) -> dict[str, Any]:
        col = names.index(name)
        return {"sourceRange": {"sources": [grid(layout.sheet_id, (0, rows), (col, col + 1))]}}

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
    return {"title": chart.title, "basicChart": basic}


def _overlay(layout: TabLayout, height: int) -> dict[str, Any]:
    assert layout.chart_col is not None
    anchor = {"sheetId": layout.sheet_id, "rowIndex": CHART_ROW, "columnIndex": layout.chart_col}
    return {"anchorCell": anchor, "widthPixels": CHART_WIDTH_PX, "heightPixels": height}


def add_chart_request(layout: TabLayout) -> dict[str, Any]:
    """The chart over its columns' whole grid, at a column chart's height (fitted after)."""
    chart = layout.chart
    assert chart is not None
    position = {"overlayPosition": _overlay(layout, COLUMN_CHART_PX)}
    spec = _spec(layout, layout.grid_rows)
    return {"addChart": {"chart": {"chartId": chart.chart_id, "spec": spec, "position": position}}}


def fit_chart_requests(layout: TabLayout) -> list[dict[str, Any]]:
    """The chart fitted to its table: its rows as sources, its height for its bars."""
    chart = layout.chart
    if chart is None:
        return []
    spec = {"chartId": chart.chart_id, "spec": _spec(layout, layout.table_rows)}
    position = {
        "objectId": chart.chart_id,
        "newPosition": {"overlayPosition": _overlay(layout, layout.chart_height)},
        "fields": "heightPixels",
    }
    return [{"updateChartSpec": spec}, {"updateEmbeddedObjectPosition": position}]
