"""The review as .xlsx: tabs, headers, native charts, formula-looking text kept as text.

Contract: issue 5 "Writing the workbook" (`--xlsx PATH` exports the same tabs with native charts).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from addon.domain.review_layout import REVIEW_TABS
from addon.reports.xlsx import write_xlsx

FORMULA_TEXT = '=IMPORTXML("http://x","//a")'


def sample_frames() -> dict[str, pd.DataFrame]:
    return {
        "Pipeline": pd.DataFrame(
            {
                "Deal": ["Acme", "Globex"],
                "Amount": [120_000.0, np.nan],
                "Go-live": pd.to_datetime(pd.Series(["2026-03-02", None])),
                "% done": [50, 25],
                "Notes": [FORMULA_TEXT, "bell\x07 inside"],
                "Forecast": ["Commit", "Slipping"],
                "Plan": ["https://docs.google.com/spreadsheets/d/a/edit", None],
                "deal_id": ["d1", "d2"],
            }
        ),
        "Steps": pd.DataFrame({"Deal": ["Acme"], "Due": [date(2026, 1, 7)]}),
        "Risks": pd.DataFrame(
            {"Deal": ["Globex"] * 3, "Risk": ["No champion", "No champion", "Slipped"]}
        ),
        "Risk summary": pd.DataFrame({"Risk": ["No champion", "Slipped"], "Count": [2, 1]}),
        "Activity": pd.DataFrame(
            {"When": [pd.Timestamp("2026-02-02 13:45", tz="UTC")], "What": ["Moved a step"]}
        ),
        "Forecast": pd.DataFrame(
            {"Month": ["2026-02", "2026-03"], "Committed": [1, 2], "Projected": [0, 3]}
        ),
        "Velocity": pd.DataFrame({"Template": ["saas"], "Planned": [10], "Actual": [12]}),
        # "Data issues" missing: still a tab, empty.
    }


def test_write_xlsx_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "review.xlsx"
    write_xlsx(sample_frames(), path)

    workbook = load_workbook(path)
    assert workbook.sheetnames == list(REVIEW_TABS)
    pipeline = workbook["Pipeline"]
    assert [c.value for c in pipeline[1]] == [
        "Deal",
        "Amount",
        "Go-live",
        "% done",
        "Notes",
        "Forecast",
    ]  # deal_id and Plan are not written: the deal's name links to its plan
    assert pipeline.freeze_panes == "B2"
    assert workbook["Risks"].freeze_panes == "A2"
    assert pipeline.column_dimensions["E"].width > 10
    assert pipeline["A2"].hyperlink.target == "https://docs.google.com/spreadsheets/d/a/edit"
    assert pipeline["A3"].hyperlink is None
    assert pipeline.auto_filter.ref == "A1:F3"
    assert pipeline.print_title_rows in ("1:1", "$1:$1")
    assert pipeline.page_setup.orientation == "landscape" and pipeline.page_setup.fitToWidth == 1
    assert pipeline.sheet_properties.pageSetUpPr.fitToPage
    rules = {
        str(area.sqref): [(r.operator, r.formula) for r in area.rules]
        for area in pipeline.conditional_formatting
    }
    assert ("equal", ['"Slipping"']) in rules["F2:F3"]  # a colour per forecast category
    assert rules["A2:F3"] == [(None, ["MOD(ROW(),2)=1"])]  # alternating rows
    when = workbook["Activity"]["A2"]
    assert when.value == datetime(2026, 2, 2, 13, 45) and when.number_format == "yyyy-mm-dd hh:mm"

    formula_cell = pipeline["E2"]
    assert formula_cell.value == FORMULA_TEXT
    assert formula_cell.data_type == "s"
    assert pipeline["E3"].value == "bell inside"  # control characters are not allowed in xlsx
    assert pipeline["B2"].number_format == "$#,##0"
    assert pipeline["B3"].value is None
    assert pipeline["C2"].value.date() == date(2026, 3, 2)

    assert workbook["Risks"].max_column == 2  # its rows, nothing beside them
    risks = workbook["Risk summary"]
    assert [[c.value for c in row] for row in risks["A1:B3"]] == [
        ["Risk", "Count"],
        ["No champion", 2],
        ["Slipped", 1],
    ]
    assert pipeline["D2"].number_format == "0%" and pipeline["D2"].value == 50
    charts = {title: len(workbook[title]._charts) for title in REVIEW_TABS}
    assert charts == {
        "Pipeline": 1,
        "Steps": 0,
        "Risks": 0,
        "Risk summary": 1,
        "Activity": 0,
        "Forecast": 1,
        "Velocity": 0,
        "Data issues": 0,
        "Onboarding": 0,
        "Closed": 0,
        "Win-loss": 0,
        "Forecast accuracy": 0,
        "This week": 0,
        "Forecast totals": 0,
    }
    forecast_chart = workbook["Forecast"]._charts[0]
    assert forecast_chart.type == "col" and len(forecast_chart.series) == 2
    assert risks._charts[0].type == "bar"

    read = pd.read_excel(path, sheet_name=None)
    assert list(read) == list(REVIEW_TABS)
    assert read["Pipeline"]["Notes"].tolist() == [FORMULA_TEXT, "bell inside"]
    assert read["Forecast"]["Projected"].tolist() == [0, 3]
