"""The review workbook written at the stand-in in one request, and rewritten without leftovers.

Through google-api-python-client as the consolidate service does it. Contracts: issue 5
"Writing the workbook" (values as text so buyer text never becomes a formula), issue 15 (one
request a write),
/work/shared/DESIGN.md "Security", and
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import requests

from addon.domain.review_cells import cell_requests, to_cell
from addon.domain.review_layout import (
    HIDDEN_COLUMNS,
    REVIEW_SHEET_IDS,
    REVIEW_TABS,
    fitted_requests,
    new_workbook_body,
    quote_sheet,
    rewrite_requests,
    tab_layouts,
)
from localgoogle.server import Running

SA = "map-review@vendor-project.iam.gserviceaccount.com"
FORMULA_TEXT = '=IMPORTXML("http://x","//a")'


def first_frames() -> dict[str, pd.DataFrame]:
    return {
        "Pipeline": pd.DataFrame(
            {
                "Deal": ["Acme", "Globex", "Initech"],
                "Amount": [120_000.0, np.nan, 40_000.0],
                "Go-live": pd.to_datetime(pd.Series(["2026-03-02", None, "2026-04-01"])),
                "% done": [50, 10, 100],
                "Next step": [FORMULA_TEXT, "=1+1", "Sign"],
                "Forecast": ["Commit", "Slipping", "At risk"],
                "Risks": [0, 3, 1],
                "deal_id": ["d1", "d2", "d3"],
            }
        ),
        "Steps": pd.DataFrame({"Deal": ["Acme"] * 4, "Step": list("ABCD"), "Done": [True] * 4}),
        "Risks": pd.DataFrame(
            {
                "Deal": ["Globex", "Globex", "Initech"],
                "Risk": ["No champion", "Slipped", "No champion"],
                "Severity": ["high", "low", "high"],
            }
        ),
        "Risk summary": pd.DataFrame({"Risk": ["No champion", "Slipped"], "Count": [2, 1]}),
        "Activity": pd.DataFrame({"When": pd.to_datetime(["2026-01-05"]), "What": ["edit"]}),
        "Forecast": pd.DataFrame(
            {"Month": ["2026-03", "2026-04"], "Committed": [120_000, 40_000], "Projected": [0, 1]}
        ),
        "Velocity": pd.DataFrame({"Template": ["saas", "ent"], "Planned": [10, 20]}),
        "Data issues": pd.DataFrame({"Deal": ["Globex"], "Issue": ["bad date"]}),
        "Onboarding": pd.DataFrame({"Deal": ["Acme"], "Step": ["Kick-off"], "On track": ["yes"]}),
        "Closed": pd.DataFrame({"Deal": ["Hooli"], "Outcome": ["Lost"], "Reason": ["Price"]}),
        "Win-loss": pd.DataFrame({"By": ["Owner"], "Name": ["sam"], "Won": [1], "Lost": [1]}),
        "Forecast accuracy": pd.DataFrame({"Month": ["2026-11"], "Won deals": [1]}),
        "This week": pd.DataFrame({"Owner": ["amy"], "Deal": ["Globex"], "Severity": ["high"]}),
        "Forecast totals": pd.DataFrame({"Forecast": ["Commit"], "Deals": [1], "Amount": [9.0]}),
    }


def second_frames() -> dict[str, pd.DataFrame]:
    """Fewer rows and columns everywhere, no risks, no forecast columns for a chart."""
    return {
        "Pipeline": pd.DataFrame(
            {"Deal": ["Umbrella"], "% done": [75], "Risks": [0], "deal_id": ["d9"]}
        ),
        "Steps": pd.DataFrame({"Deal": ["Umbrella"], "Step": ["Z"]}),
        "Risks": pd.DataFrame(columns=["Deal", "Risk", "Severity"]),
        "Risk summary": pd.DataFrame(columns=["Risk", "Count"]),
        "Activity": pd.DataFrame(columns=["When", "What"]),
        "Forecast": pd.DataFrame({"Month": ["2026-05"], "Committed": [5]}),
        "Velocity": pd.DataFrame({"Template": ["saas"]}),
        "Data issues": pd.DataFrame(columns=["Deal", "Issue"]),
        "Onboarding": pd.DataFrame(columns=["Deal", "Step"]),
        "Closed": pd.DataFrame(columns=["Deal", "Outcome"]),
        "Win-loss": pd.DataFrame(columns=["By", "Name"]),
        "Forecast accuracy": pd.DataFrame(columns=["Month"]),
        "This week": pd.DataFrame(columns=["Owner", "Deal"]),
        "Forecast totals": pd.DataFrame(columns=["Forecast", "Deals"]),
    }


def sa_requests(local_google: Running) -> int:
    got: dict[str, Any] = requests.get(f"{local_google.url}/_local/stats", timeout=10).json()
    return int(got["by_user"].get(SA, 0))


def expected(frame: pd.DataFrame) -> list[list[Any]]:
    """Header and rows as the API returns them: trailing empty cells and rows left out."""
    frame = frame.drop(columns=[c for c in HIDDEN_COLUMNS if c in frame.columns])
    rows: list[list[Any]] = [[str(c) for c in frame.columns]]
    rows += [[to_cell(v) for v in row] for row in frame.itertuples(index=False)]
    trimmed = []
    for row in rows:
        while row and row[-1] == "":
            row = row[:-1]
        trimmed.append(row)
    while trimmed and not trimmed[-1]:
        trimmed.pop()
    return trimmed


def chart_ids(service: Any, sid: str) -> dict[str, list[int]]:
    got = (
        service.spreadsheets()
        .get(spreadsheetId=sid, fields="sheets(properties.title,charts.chartId)")
        .execute()
    )
    return {
        s["properties"]["title"]: [c["chartId"] for c in s.get("charts", [])] for s in got["sheets"]
    }


def write(service: Any, sid: str, frames: dict[str, pd.DataFrame], charts: list[int]) -> None:
    """The rewrite: one batchUpdate (structure, fit, cells)."""
    body = {"requests": rewrite_requests(frames, charts)}
    service.spreadsheets().batchUpdate(spreadsheetId=sid, body=body).execute()


def check_values(service: Any, sid: str, frames: dict[str, pd.DataFrame]) -> None:
    ranges = [quote_sheet(tab) for tab in REVIEW_TABS]
    got = (
        service.spreadsheets()
        .values()
        .batchGet(spreadsheetId=sid, ranges=ranges, valueRenderOption="UNFORMATTED_VALUE")
        .execute()
    )
    for tab, value_range in zip(REVIEW_TABS, got["valueRanges"], strict=True):
        rows = value_range.get("values", [])
        width = len([c for c in frames[tab].columns if c not in HIDDEN_COLUMNS])
        data_part = [row[:width] for row in rows]
        while data_part and not data_part[-1]:
            data_part.pop()
        assert data_part == expected(frames[tab]), tab
        assert all(len(row) <= width for row in rows), tab  # one table per tab


def test_rewrite_in_one_request_without_leftovers(sheets: Any, local_google: Running) -> None:
    service = sheets(SA)
    sid = (
        service.spreadsheets()
        .create(body=new_workbook_body("Pipeline review"))
        .execute()["spreadsheetId"]
    )

    before = sa_requests(local_google)
    write(service, sid, first_frames(), [])
    assert sa_requests(local_google) - before == 1

    check_values(service, sid, first_frames())
    formulas = (
        service.spreadsheets()
        .values()
        .get(spreadsheetId=sid, range="Pipeline!E2:E3", valueRenderOption="FORMULA")
        .execute()
    )
    assert formulas["values"] == [[FORMULA_TEXT], ["=1+1"]]  # RAW: text, never a formula
    summary = (
        service.spreadsheets().values().get(spreadsheetId=sid, range="'Risk summary'").execute()
    )
    assert summary["values"] == [["Risk", "Count"], ["No champion", "2"], ["Slipped", "1"]]
    charts = chart_ids(service, sid)
    assert [t for t, ids in charts.items() if ids] == ["Pipeline", "Risk summary", "Forecast"]
    shape = (
        service.spreadsheets()
        .get(
            spreadsheetId=sid,
            fields="sheets(properties(sheetId,title,index,gridProperties),conditionalFormats)",
        )
        .execute()
    )
    props = [s["properties"] for s in shape["sheets"]]
    assert [(p["sheetId"], p["title"], p["index"]) for p in props] == [
        (REVIEW_SHEET_IDS[t], t, i) for i, t in enumerate(REVIEW_TABS)
    ]
    rules = {
        s["properties"]["title"]: len(s.get("conditionalFormats", [])) for s in shape["sheets"]
    }
    # Pipeline: Risks > 0 and a colour per forecast category; Risks: High and Medium
    assert rules["Pipeline"] == 6 and rules["Risks"] == 2

    # Again with other data: read chart ids (1 request), rewrite (1 request).
    before = sa_requests(local_google)
    existing = [i for ids in chart_ids(service, sid).values() for i in ids]
    write(service, sid, second_frames(), existing)
    assert sa_requests(local_google) - before == 2

    check_values(service, sid, second_frames())
    risks = service.spreadsheets().values().get(spreadsheetId=sid, range="Risks").execute()
    assert risks["values"] == [["Deal", "Risk", "Severity"]]
    charts = chart_ids(service, sid)
    assert {t: len(ids) for t, ids in charts.items() if ids} == {"Pipeline": 1, "Risk summary": 1}
    shape = (
        service.spreadsheets()
        .get(
            spreadsheetId=sid, fields="sheets(properties(title,gridProperties),conditionalFormats)"
        )
        .execute()
    )
    rules = {
        s["properties"]["title"]: len(s.get("conditionalFormats", [])) for s in shape["sheets"]
    }
    # Pipeline: only "Risks > 0" is left (no Forecast column now); Risks: Severity is still there;
    # Closed its outcomes, Forecast totals its categories.
    assert rules == {t: 0 for t in REVIEW_TABS} | {
        "Pipeline": 1,
        "Risks": 2,
        "Closed": 2,
        "Forecast totals": 5,
    }
    grids = {s["properties"]["title"]: s["properties"]["gridProperties"] for s in shape["sheets"]}
    assert grids["Steps"]["rowCount"] == 128 and grids["Steps"]["columnCount"] == 2
    assert grids["Velocity"]["columnCount"] == 1
    assert [s["properties"]["title"] for s in shape["sheets"]] == list(REVIEW_TABS)

    # Charts go with their tabs even when the caller passes no chart ids.
    write(service, sid, first_frames(), [])
    check_values(service, sid, first_frames())
    charted = {tab for tab, ids in chart_ids(service, sid).items() if ids}
    assert charted == {"Pipeline", "Risk summary", "Forecast"}  # one chart each, no other tab
    assert sum(len(ids) for ids in chart_ids(service, sid).values()) == 3

    metadata = service.spreadsheets().get(spreadsheetId=sid, fields="developerMetadata").execute()
    assert [m["metadataKey"] for m in metadata["developerMetadata"]] == ["map.review"]


def test_a_shorter_table_is_refitted_in_place_in_one_request(
    sheets: Any, local_google: Running
) -> None:
    """Fewer rows, same structure: the fit and the changed cells in one batchUpdate leave no
    old row, and the header's format, the links, the colours and the chart follow the table."""
    service = sheets(SA)
    sid = (
        service.spreadsheets()
        .create(body=new_workbook_body("Pipeline review"))
        .execute()["spreadsheetId"]
    )
    frames = first_frames()
    plans = ["https://docs.google.com/spreadsheets/d/a/edit", None, "https://x.example/c"]
    frames["Pipeline"] = frames["Pipeline"].assign(Plan=plans)
    write(service, sid, frames, [])
    shorter = {**frames, "Pipeline": frames["Pipeline"].iloc[[2]].reset_index(drop=True)}
    layouts = tab_layouts(shorter)

    before = sa_requests(local_google)
    # the rows that changed since the first write, and a clear of those the table lost
    written = cell_requests(tab_layouts(frames)).rows
    changed = cell_requests(layouts, written).requests
    assert {u["updateCells"]["range"].get("sheetId", 0) for u in changed} == {
        REVIEW_SHEET_IDS["Pipeline"]
    }
    body = {"requests": [*fitted_requests(layouts), *changed]}
    service.spreadsheets().batchUpdate(spreadsheetId=sid, body=body).execute()
    assert sa_requests(local_google) - before == 1

    check_values(service, sid, shorter)
    got = (
        service.spreadsheets()
        .get(
            spreadsheetId=sid,
            ranges=["Pipeline!A1:A3"],
            includeGridData=True,
            fields="sheets(bandedRanges,basicFilter.range,charts(chartId,spec.basicChart.domains),"
            "data.rowData.values(userEnteredValue,userEnteredFormat.textFormat,hyperlink))",
        )
        .execute()["sheets"][0]
    )
    rows = [row.get("values", [{}])[0] for row in got["data"][0]["rowData"]]
    assert rows[0]["userEnteredFormat"]["textFormat"]["bold"] is True  # the header kept its bold
    assert rows[1]["userEnteredValue"] == {"stringValue": "Initech"}
    link = rows[1]["userEnteredFormat"]["textFormat"]["link"]
    assert link == {"uri": "https://x.example/c"}  # the name and its link moved together
    assert rows[1]["hyperlink"] == "https://x.example/c"  # and Sheets reports it as the cell's
    assert len(rows) == 2  # the old rows below are gone
    pipeline = REVIEW_SHEET_IDS["Pipeline"]
    table = {"sheetId": pipeline, "startRowIndex": 0, "endRowIndex": 2}
    table |= {"startColumnIndex": 0, "endColumnIndex": 7}
    # a GridRange's sheetId 0 is a default value, which proto3 JSON leaves out
    assert {"sheetId": 0, **got["basicFilter"]["range"]} == table
    (banded,) = got["bandedRanges"]
    assert banded["bandedRangeId"] == 8000 + pipeline
    assert {"sheetId": 0, **banded["range"]} == table
    (chart,) = got["charts"]
    domain = chart["spec"]["basicChart"]["domains"][0]["domain"]["sourceRange"]["sources"][0]
    assert domain["endRowIndex"] == 2
