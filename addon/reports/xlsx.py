"""The pipeline review as an .xlsx file with native charts, for people who work offline.

Same tabs, tables and charts as the Sheets workbook (addon/domain/review_layout.py lays out both);
https://openpyxl.readthedocs.io/en/stable/charts/bar.html for the charts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from addon.domain.review_layout import (
    CHART_ROW,
    CURRENCY_COLUMNS,
    DEAL_ID_COLUMN,
    INTEGER_COLUMNS,
    TabLayout,
    column_letter,
    column_widths,
    is_date_column,
    tab_layouts,
    to_cell,
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
CHART_WIDTH_CM = 16.0
ROW_CM = 0.53  # Excel's default row height (15 pt)


def _value(value: object) -> str | int | float | bool | date | None:
    """A frame value for a cell: dates stay dates (Excel dates), the rest as in Sheets."""
    if isinstance(value, datetime | date) and not pd.isna(value):
        return value.date() if isinstance(value, datetime) else value
    cell = to_cell(value)
    if cell == "":
        return None
    if isinstance(cell, str):
        return ILLEGAL_CHARACTERS_RE.sub("", cell)  # control characters are not allowed in xlsx
    return cell


def _write_table(ws: Worksheet, table: pd.DataFrame, first: int) -> None:
    """Header and rows from column `first` (0-based); text stays text, even "=..."."""
    for offset, name in enumerate(table.columns):
        col = first + offset + 1
        head = ws.cell(row=1, column=col, value=str(name))
        head.data_type = "s"
        head.font, head.fill = HEADER_FONT, HEADER_FILL
        column = table.iloc[:, offset]
        number_format = None
        if str(name) in CURRENCY_COLUMNS:
            number_format = "#,##0"
        elif str(name) in INTEGER_COLUMNS:
            number_format = "0"
        elif is_date_column(column):
            number_format = "yyyy-mm-dd"
        for row, value in enumerate(column.tolist(), start=2):
            cell = ws.cell(row=row, column=col, value=_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would take a str starting with "=" as a formula
            if number_format is not None:
                cell.number_format = number_format
    for offset, pixels in enumerate(column_widths(table)):
        ws.column_dimensions[column_letter(first + offset)].width = round(pixels / 7, 1)


def _add_chart(ws: Worksheet, layout: TabLayout) -> None:
    """A native bar (horizontal) or column (vertical) chart next to the data."""
    chart_def = layout.chart
    if chart_def is None or layout.chart_col is None:
        return
    table, first = layout.frame, 0
    names = [str(c) for c in table.columns]
    last_row = len(table) + 1
    chart = BarChart()
    chart.type = "col" if chart_def.chart_type == "COLUMN" else "bar"
    chart.title = chart_def.title
    chart.x_axis.title = chart_def.domain
    chart.y_axis.title = " / ".join(chart_def.series)
    for name in chart_def.series:
        col = first + names.index(name) + 1
        chart.add_data(
            Reference(ws, min_col=col, min_row=1, max_row=last_row), titles_from_data=True
        )
    domain = first + names.index(chart_def.domain) + 1
    chart.set_categories(Reference(ws, min_col=domain, min_row=2, max_row=max(last_row, 2)))
    if len(chart_def.series) == 1:
        chart.legend = None
    chart.width = CHART_WIDTH_CM
    chart.height = round(layout.chart_height / 21 * ROW_CM, 1)
    ws.add_chart(chart, f"{column_letter(layout.chart_col)}{CHART_ROW + 1}")


def write_xlsx(frames: Mapping[str, pd.DataFrame], path: Path) -> None:
    """Write the review tabs to `path`: headers frozen, readable widths, native charts."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for layout in tab_layouts(frames):
        ws = workbook.create_sheet(layout.title)
        _write_table(ws, layout.frame, 0)
        ws.freeze_panes = "B2" if layout.title == "Pipeline" else "A2"
        if DEAL_ID_COLUMN in layout.frame.columns:
            index = list(layout.frame.columns).index(DEAL_ID_COLUMN)
            ws.column_dimensions[column_letter(index)].hidden = True
        _add_chart(ws, layout)
    workbook.save(path)
