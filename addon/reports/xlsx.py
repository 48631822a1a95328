"""The pipeline review as an .xlsx file with native charts, for people who work offline.

Same tabs, tables, number formats, colours and charts as the Sheets workbook
(addon/domain/review_layout.py lays out both, review_formats.py says how they look): each deal's
name links to its plan, the header row is frozen, filtered and repeated on every printed page,
pages print landscape and one page wide.
https://openpyxl.readthedocs.io/en/stable/charts/bar.html,
https://openpyxl.readthedocs.io/en/stable/formatting.html (conditional formats) and
https://openpyxl.readthedocs.io/en/stable/print_settings.html.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from addon.domain.layout_cells import column_letter
from addon.domain.review_cells import to_cell
from addon.domain.review_charts import CHART_ROW
from addon.domain.review_formats import (
    COLOURS,
    LINK_COLUMN,
    colour_rules,
    number_format,
)
from addon.domain.review_layout import (
    TabLayout,
    column_widths,
    tab_layouts,
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
LINK_FONT = Font(color="1155CC", underline="single")
CHART_WIDTH_CM = 16.0
ROW_CM = 0.53  # Excel's default row height (15 pt)


def _hex(colour: str) -> str:
    rgb = COLOURS[colour]
    return "".join(f"{round(rgb[part] * 255):02X}" for part in ("red", "green", "blue"))


def _value(value: object) -> str | int | float | bool | date | None:
    """A frame value for a cell: dates stay dates (Excel dates, times in UTC), the rest as in
    Sheets."""
    if isinstance(value, datetime) and not pd.isna(value):
        moment = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        return moment.date() if moment.time() == datetime.min.time() else moment
    if isinstance(value, date) and not pd.isna(value):
        return value
    cell = to_cell(value)
    if cell == "":
        return None
    if isinstance(cell, str):
        return ILLEGAL_CHARACTERS_RE.sub("", cell)  # control characters are not allowed in xlsx
    return cell


def _write_table(ws: Worksheet, layout: TabLayout) -> None:
    """Header and rows from A1; text stays text, even "=..."; deal names link to their plans."""
    table = layout.frame
    for offset, name in enumerate(table.columns):
        col = offset + 1
        head = ws.cell(row=1, column=col, value=str(name))
        head.data_type = "s"
        head.font, head.fill = HEADER_FONT, HEADER_FILL
        column = table.iloc[:, offset]
        found = number_format(str(name), column)
        links = layout.links if str(name) == LINK_COLUMN else ()
        for row, value in enumerate(column.tolist(), start=2):
            cell = ws.cell(row=row, column=col, value=_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would take a str starting with "=" as a formula
            if found is not None:
                cell.number_format = found[1]
            if row - 2 < len(links) and links[row - 2] and cell.value is not None:
                cell.hyperlink = links[row - 2]
                cell.font = LINK_FONT
    for offset, pixels in enumerate(column_widths(table)):
        ws.column_dimensions[column_letter(offset)].width = round(pixels / 7, 1)


def _colour(ws: Worksheet, layout: TabLayout) -> None:
    """The tab's colour rules, then alternating row colours beneath them."""
    columns = [str(c) for c in layout.frame.columns]
    last = max(len(layout.frame) + 1, 2)
    for rule in colour_rules(layout.title, columns):
        letter = column_letter(columns.index(rule.column))
        fill = PatternFill("solid", fgColor=_hex(rule.colour), bgColor=_hex(rule.colour))
        if rule.above:
            found = CellIsRule(operator="greaterThan", formula=[rule.value], fill=fill)
        else:
            text = rule.value.replace('"', '""')
            found = CellIsRule(operator="equal", formula=[f'"{text}"'], fill=fill)
        ws.conditional_formatting.add(f"{letter}2:{letter}{last}", found)
    if columns:
        band = PatternFill("solid", fgColor=_hex("band"), bgColor=_hex("band"))
        area = f"A2:{column_letter(len(columns) - 1)}{last}"
        ws.conditional_formatting.add(area, FormulaRule(formula=["MOD(ROW(),2)=1"], fill=band))


def _print_setup(ws: Worksheet, layout: TabLayout) -> None:
    """Frozen header (and deal column on Pipeline), a filter, landscape one page wide."""
    ws.freeze_panes = "B2" if layout.title == "Pipeline" else "A2"
    width = len(layout.frame.columns)
    if width:
        ws.auto_filter.ref = f"A1:{column_letter(width - 1)}{max(len(layout.frame) + 1, 2)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"


def _add_chart(ws: Worksheet, layout: TabLayout) -> None:
    """A native bar (horizontal) or column (vertical) chart next to the data."""
    chart_def = layout.chart
    if chart_def is None or layout.chart_col is None:
        return
    table = layout.frame
    names = [str(c) for c in table.columns]
    last_row = len(table) + 1
    chart = BarChart()
    chart.type = "col" if chart_def.chart_type == "COLUMN" else "bar"
    chart.title = chart_def.title
    chart.x_axis.title = chart_def.domain
    chart.y_axis.title = chart_def.value_title
    for name in chart_def.series:
        col = names.index(name) + 1
        chart.add_data(
            Reference(ws, min_col=col, min_row=1, max_row=last_row), titles_from_data=True
        )
        found = number_format(name, table[name])
        if found is not None:
            chart.y_axis.number_format = found[1]
    domain = names.index(chart_def.domain) + 1
    chart.set_categories(Reference(ws, min_col=domain, min_row=2, max_row=max(last_row, 2)))
    found = number_format(chart_def.domain, table[chart_def.domain])
    if found is not None:
        chart.x_axis.number_format = found[1]
    chart.x_axis.delete = False  # openpyxl 3.1 hides axes unless told otherwise
    chart.y_axis.delete = False
    if len(chart_def.series) == 1:
        chart.legend = None
    chart.width = CHART_WIDTH_CM
    chart.height = round(layout.chart_height / 21 * ROW_CM, 1)
    ws.add_chart(chart, f"{column_letter(layout.chart_col)}{CHART_ROW + 1}")


def write_xlsx(frames: Mapping[str, pd.DataFrame], path: Path) -> None:
    """Write the review tabs to `path` (see the module's docstring)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for layout in tab_layouts(frames):
        ws = workbook.create_sheet(layout.title)
        _write_table(ws, layout)
        _colour(ws, layout)
        _print_setup(ws, layout)
        _add_chart(ws, layout)
    workbook.save(path)
