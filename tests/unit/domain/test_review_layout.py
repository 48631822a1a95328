"""The review workbook as request bodies: cell values, tab shapes, charts, schema validity.

Contracts: issue 5 "Writing the workbook" (one batchUpdate for structure, formats and charts, one
values.batchUpdate with RAW input) and
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pytest

from addon.domain.layout_cells import column_letter
from addon.domain.review_layout import (
    REVIEW_SHEET_IDS,
    REVIEW_TABS,
    SCRATCH_SHEET_ID,
    column_widths,
    links_requests,
    new_workbook_body,
    quote_sheet,
    rewrite_requests,
    risk_summary,
    to_cell,
    value_data,
)
from localgoogle.schema import validate_body


def sample_frames() -> dict[str, pd.DataFrame]:
    pipeline = pd.DataFrame(
        {
            "Deal": ["Acme", "Globex", "Initech"],
            "Amount": [120_000.0, np.nan, 40_000.0],
            "Signature target": pd.to_datetime(pd.Series(["2026-02-02", None, "2026-03-31"])),
            "% done": [50, 10, 100],
            "Forecast": ["Commit", "Slipping", "At risk"],
            "Risks": [0, 3, 1],
            "Plan": ["https://docs.google.com/spreadsheets/d/a/edit", None, "https://x.example/c"],
            "deal_id": ["d1", "d2", "d3"],
        }
    )
    risks = pd.DataFrame(
        {
            "Deal": ["Globex", "Globex", "Initech", "Globex"],
            "Risk": ["No champion", "No economic buyer", "No champion", "Slipped"],
            "Severity": ["High", "Medium", "High", "Low"],
            "Question": ['=IMPORTXML("http://x","//a")', "Who signs?", "Who sells?", "Why?"],
        }
    )
    forecast = pd.DataFrame(
        {"Month": ["2026-02", "2026-03"], "Committed": [120_000, 40_000], "Projected": [0, 160_000]}
    )
    return {
        "Pipeline": pipeline,
        "Steps": pd.DataFrame({"Deal": ["Acme"], "Step": ["Kick-off"], "Due": [date(2026, 1, 7)]}),
        "Risks": risks,
        "Risk summary": risk_summary(risks),
        "Activity": pd.DataFrame({"When": [], "What": []}),
        "Forecast": forecast,
        "Velocity": pd.DataFrame({"Template": ["saas"], "Planned": [10], "Actual": [12.5]}),
        "Data issues": pd.DataFrame(columns=["Deal", "Tab", "Cell", "Issue"]),
        "Onboarding": pd.DataFrame({"Deal": ["Acme"], "Step": ["Kick-off"], "On track": ["yes"]}),
        "Closed": pd.DataFrame({"Deal": ["Hooli"], "Outcome": ["Lost"], "Reason": ["Price"]}),
        "Win-loss": pd.DataFrame({"By": ["Owner"], "Name": ["sam"], "Won": [1], "Lost": [1]}),
        "Forecast accuracy": pd.DataFrame({"Month": ["2026-11"], "Won deals": [1]}),
        "This week": pd.DataFrame({"Owner": ["amy"], "Deal": ["Globex"], "Severity": ["high"]}),
        "Forecast totals": pd.DataFrame({"Forecast": ["Commit"], "Deals": [1], "Amount": [9.0]}),
    }


def of_kind(requests: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r[kind] for r in requests if kind in r]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (np.nan, ""),
        (float("nan"), ""),
        (pd.NaT, ""),
        (pd.NA, ""),
        (np.datetime64("NaT"), ""),
        # dates as Sheets' serial numbers: days since 1899-12-30, a time as a fraction of a day
        (pd.Timestamp("2026-02-02 13:45"), 46055.57291667),
        (pd.Timestamp("2026-02-02 13:45", tz="Europe/Paris"), 46055.53125),  # in UTC
        (datetime(2026, 2, 2, 9), 46055.375),
        (date(2026, 2, 2), 46055),
        (date(1899, 12, 31), 1),
        (np.datetime64("2026-02-02"), 46055),
        (np.int64(7), 7),
        (np.float64(2.5), 2.5),
        (True, True),
        (np.bool_(False), False),
        (3, 3),
        ("=1+1", "=1+1"),
        ('=IMPORTXML("http://x","//a")', '=IMPORTXML("http://x","//a")'),
        (float("inf"), "inf"),
        (pd.Period("2026-02", freq="M"), "2026-02"),
    ],
)
def test_to_cell(value: object, expected: object) -> None:
    got = to_cell(value)
    assert got == expected
    assert type(got) is type(expected)


def test_a1_helpers() -> None:
    assert quote_sheet("Pipeline") == "Pipeline"
    assert quote_sheet("Data issues") == "'Data issues'"
    assert quote_sheet("Bob's") == "'Bob''s'"
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def test_new_workbook_body_validates_and_has_fixed_ids() -> None:
    body = new_workbook_body("Pipeline review")
    validate_body("sheets.spreadsheets.create", body)
    props = [s["properties"] for s in body["sheets"]]
    assert [p["title"] for p in props] == list(REVIEW_TABS)
    assert [p["sheetId"] for p in props] == [REVIEW_SHEET_IDS[t] for t in REVIEW_TABS]
    assert sorted(REVIEW_SHEET_IDS.values()) == list(range(len(REVIEW_TABS)))
    # Tabs that existed before the Risk summary keep their ids, so old workbooks still match.
    assert [REVIEW_SHEET_IDS[t] for t in ("Pipeline", "Risks", "Activity", "Data issues")] == [
        0,
        2,
        3,
        6,
    ]
    assert all(p["gridProperties"]["frozenRowCount"] == 1 for p in props)
    assert body["developerMetadata"][0]["metadataKey"] == "map.review"


def test_requests_validate_against_the_discovery_schema() -> None:
    requests = rewrite_requests(sample_frames(), existing_chart_ids=[11, 12])
    validate_body("sheets.spreadsheets.batchUpdate", {"requests": requests})
    validate_body(
        "sheets.spreadsheets.values.batchUpdate",
        {"valueInputOption": "RAW", "data": value_data(sample_frames())},
    )


def test_reset_swaps_every_tab_through_a_scratch_sheet() -> None:
    requests = rewrite_requests(sample_frames(), existing_chart_ids=[11, 12, 11])
    kinds = [next(iter(r)) for r in requests]
    n = len(REVIEW_TABS)
    assert kinds[:2] == ["deleteEmbeddedObject"] * 2  # deduplicated
    assert kinds[2:][: 2 * n + 2] == ["addSheet"] + ["deleteSheet"] * n + ["addSheet"] * n + [
        "deleteSheet"
    ]
    assert requests[2]["addSheet"]["properties"]["sheetId"] == SCRATCH_SHEET_ID
    assert requests[2 * n + 3]["deleteSheet"]["sheetId"] == SCRATCH_SHEET_ID
    added = [r["properties"] for r in of_kind(requests, "addSheet")[1:]]
    assert [(p["sheetId"], p["title"], p["index"]) for p in added] == [
        (REVIEW_SHEET_IDS[t], t, i) for i, t in enumerate(REVIEW_TABS)
    ]


def test_a_workbook_from_an_older_release_gets_its_missing_tab_added_not_deleted() -> None:
    older = [(REVIEW_SHEET_IDS[t], t) for t in REVIEW_TABS if t != "Risk summary"]
    requests = rewrite_requests(sample_frames(), [], [*older, (42, "Notes"), (77, "Risk summary")])
    deleted = [r["sheetId"] for r in of_kind(requests, "deleteSheet")]
    added = [r["properties"]["title"] for r in of_kind(requests, "addSheet")[1:]]
    # The tab a person named like a review tab makes room; their other tabs stay.
    assert sorted(deleted) == sorted([i for i, _ in older] + [77, SCRATCH_SHEET_ID])
    assert REVIEW_SHEET_IDS["Risk summary"] not in deleted and 42 not in deleted
    assert added == list(REVIEW_TABS)


def test_one_update_sheet_properties_per_tab_with_the_sizes() -> None:
    frames = sample_frames()
    updates = of_kind(rewrite_requests(frames), "updateSheetProperties")
    grids = {u["properties"]["sheetId"]: u["properties"]["gridProperties"] for u in updates}
    assert len(updates) == len(REVIEW_TABS) == len(grids)
    ids = REVIEW_SHEET_IDS
    # Tabs without a chart: rows + 1 (at least 2) by columns (at least 1).
    assert grids[ids["Steps"]]["rowCount"] == 2 and grids[ids["Steps"]]["columnCount"] == 3
    assert grids[ids["Activity"]]["rowCount"] == 2
    assert grids[ids["Velocity"]]["columnCount"] == 3
    assert grids[ids["Data issues"]]["columnCount"] == 4
    # Tabs with a chart: room for the chart to the right, anchored inside the grid.
    pipeline = grids[ids["Pipeline"]]
    assert pipeline["frozenColumnCount"] == 1 and pipeline["rowCount"] >= 4
    assert pipeline["columnCount"] == 6 + 1 + 7  # deal_id and Plan are not written
    assert grids[ids["Risks"]]["columnCount"] == 4  # its rows and nothing beside them
    summary = grids[ids["Risk summary"]]
    assert summary["columnCount"] == 2 + 1 + 7  # data, gap, chart
    assert all(g["frozenRowCount"] == 1 for g in grids.values())
    assert all(g["frozenColumnCount"] == 0 for i, g in grids.items() if i != ids["Pipeline"])


def test_charts_plot_the_right_columns() -> None:
    frames = sample_frames()
    charts = {
        c["chart"]["spec"]["title"]: c["chart"]
        for c in of_kind(rewrite_requests(frames), "addChart")
    }
    assert set(charts) == {"Forecast by month", "Risks by kind", "Progress by deal"}

    def columns(chart: dict[str, Any]) -> tuple[int, list[int], list[int]]:
        basic = chart["spec"]["basicChart"]
        ranges = [basic["domains"][0]["domain"]] + [s["series"] for s in basic["series"]]
        grids = [r["sourceRange"]["sources"][0] for r in ranges]
        sheets = {g["sheetId"] for g in grids} | {
            chart["position"]["overlayPosition"]["anchorCell"]["sheetId"]
        }
        assert len(sheets) == 1
        return (
            sheets.pop(),
            [g["startColumnIndex"] for g in grids],
            [g["endRowIndex"] for g in grids],
        )

    forecast = charts["Forecast by month"]
    assert forecast["spec"]["basicChart"]["chartType"] == "COLUMN"
    assert columns(forecast) == (REVIEW_SHEET_IDS["Forecast"], [0, 1, 2], [3, 3, 3])
    progress = charts["Progress by deal"]
    assert progress["spec"]["basicChart"]["chartType"] == "BAR"
    assert columns(progress) == (REVIEW_SHEET_IDS["Pipeline"], [0, 3], [4, 4])
    risks = charts["Risks by kind"]
    # The Risk / Count table has a tab of its own; the chart floats right of it.
    assert columns(risks) == (REVIEW_SHEET_IDS["Risk summary"], [0, 1], [4, 4])
    anchor = risks["position"]["overlayPosition"]["anchorCell"]
    assert anchor["columnIndex"] == 3 and anchor["rowIndex"] == 1  # below the frozen header


def test_formats_rules_filters_bands_and_links() -> None:
    requests = rewrite_requests(sample_frames())
    pipeline = REVIEW_SHEET_IDS["Pipeline"]
    hidden = [
        u for u in of_kind(requests, "updateDimensionProperties") if "hiddenByUser" in u["fields"]
    ]
    assert hidden == []  # deal_id and Plan are left out, not hidden
    numbers = {
        (r["range"]["sheetId"], r["range"]["startColumnIndex"]): r["cell"]["userEnteredFormat"][
            "numberFormat"
        ]
        for r in of_kind(requests, "repeatCell")
        if r["fields"] == "userEnteredFormat(numberFormat)"
    }
    assert numbers[(pipeline, 1)] == {"type": "CURRENCY", "pattern": "$#,##0"}  # Amount
    assert numbers[(pipeline, 2)] == {"type": "DATE", "pattern": "yyyy-mm-dd"}
    assert numbers[(pipeline, 3)] == {"type": "PERCENT", "pattern": "0%"}  # % done
    assert numbers[(REVIEW_SHEET_IDS["Forecast"], 0)]["pattern"] == "mmm yyyy"  # Month
    assert numbers[(REVIEW_SHEET_IDS["Forecast"], 1)]["type"] == "CURRENCY"
    assert numbers[(REVIEW_SHEET_IDS["Steps"], 2)]["type"] == "DATE"  # a column of dates
    rules = [r["rule"] for r in of_kind(requests, "addConditionalFormatRule")]
    conditions = [
        (g["sheetId"], g["startColumnIndex"], r["booleanRule"]["condition"]["type"])
        for r in rules
        for g in r["ranges"]
    ]
    assert (pipeline, 5, "NUMBER_GREATER") in conditions  # Risks > 0
    assert conditions.count((pipeline, 4, "TEXT_EQ")) == 5  # one colour per forecast category
    severity = [r for r in rules if r["ranges"][0]["sheetId"] == REVIEW_SHEET_IDS["Risks"]]
    assert [r["booleanRule"]["condition"]["values"] for r in severity] == [
        [{"userEnteredValue": "High"}],
        [{"userEnteredValue": "Medium"}],
    ]
    headers = [r["range"] for r in of_kind(requests, "repeatCell") if "bold" in r["fields"]]
    assert all(h["startRowIndex"] == 0 and h["endRowIndex"] == 1 for h in headers)
    spans = sorted((h["sheetId"], h["startColumnIndex"], h["endColumnIndex"]) for h in headers)
    risks = REVIEW_SHEET_IDS["Risks"]
    assert [s for s in spans if s[0] == risks] == [(risks, 0, 4)]  # one table on the tab
    assert {s[0] for s in spans} == set(REVIEW_SHEET_IDS.values())
    filters = {
        f["filter"]["range"]["sheetId"]: f["filter"]["range"]
        for f in of_kind(requests, "setBasicFilter")
    }
    assert filters[pipeline]["endColumnIndex"] == 6 and filters[pipeline]["endRowIndex"] == 4
    bands = of_kind(requests, "addBanding")
    assert {b["bandedRange"]["range"]["sheetId"] for b in bands} == set(filters)
    (links,) = [u for u in of_kind(requests, "updateCells") if u["start"]["sheetId"] == pipeline]
    # each deal's name and its link written together; a row without a plan has no link
    assert links["fields"] == "userEnteredValue,userEnteredFormat.textFormat.link"
    assert links["start"] == {"sheetId": pipeline, "rowIndex": 1, "columnIndex": 0}
    link = {"textFormat": {"link": {"uri": "https://docs.google.com/spreadsheets/d/a/edit"}}}
    assert links["rows"] == [
        {"values": [{"userEnteredValue": {"stringValue": "Acme"}, "userEnteredFormat": link}]},
        {"values": [{"userEnteredValue": {"stringValue": "Globex"}}]},
        {
            "values": [
                {
                    "userEnteredValue": {"stringValue": "Initech"},
                    "userEnteredFormat": {"textFormat": {"link": {"uri": "https://x.example/c"}}},
                }
            ]
        },
    ]
    assert of_kind(rewrite_requests(sample_frames(), with_links=False), "updateCells") == []
    assert links_requests(sample_frames()) == [{"updateCells": links}]


def test_value_data_holds_one_table_per_tab() -> None:
    data = {d["range"]: d["values"] for d in value_data(sample_frames())}
    assert set(data) == {
        "Pipeline!A1",
        "Steps!A1",
        "Risks!A1",
        "'Risk summary'!A1",
        "Activity!A1",
        "Forecast!A1",
        "Velocity!A1",
        "'Data issues'!A1",
        "Onboarding!A1",
        "Closed!A1",
        "'Win-loss'!A1",
        "'Forecast accuracy'!A1",
        "'This week'!A1",
        "'Forecast totals'!A1",
    }
    assert data["Pipeline!A1"][0][-1] == "Risks"  # deal_id and Plan are not written
    # the linked Deal cells are null (skipped): the links' updateCells writes them
    assert data["Pipeline!A1"][2] == [None, "", "", 10, "Slipping", 3]
    assert data["Risks!A1"][1][0] == "Globex"  # no plan addresses on this tab: no links
    assert data["Pipeline!A1"][1][2] == 46055  # 2026-02-02 as a serial number
    assert data["Risks!A1"][1][3] == '=IMPORTXML("http://x","//a")'
    assert data["'Risk summary'!A1"] == [
        ["Risk", "Count"],
        ["No champion", 2],
        ["No economic buyer", 1],
        ["Slipped", 1],
    ]
    assert data["'Data issues'!A1"] == [["Deal", "Tab", "Cell", "Issue"]]


def test_empty_and_missing_frames_still_make_a_valid_rewrite() -> None:
    requests = rewrite_requests({"Pipeline": pd.DataFrame(columns=["Deal", "% done", "deal_id"])})
    validate_body("sheets.spreadsheets.batchUpdate", {"requests": requests})
    assert len(of_kind(requests, "updateSheetProperties")) == len(REVIEW_TABS)
    assert [c["chart"]["spec"]["title"] for c in of_kind(requests, "addChart")] == [
        "Progress by deal"
    ]
    assert value_data({}) == []


def test_unknown_tab_is_refused() -> None:
    with pytest.raises(ValueError, match="Data Issues"):
        rewrite_requests({"Data Issues": pd.DataFrame()})


def test_a_formatted_column_is_as_wide_as_its_format_whatever_its_values() -> None:
    one = pd.DataFrame(
        {
            "When": pd.to_datetime(["2026-01-05 10:00:00.123456+00:00"], utc=True),
            "Amount": [1.0],
            "Deal": ["Acme"],
        }
    )
    other = pd.DataFrame({"When": pd.to_datetime([], utc=True), "Amount": [], "Deal": []})
    assert column_widths(one)[:2] == column_widths(other)[:2]
    assert column_widths(one)[0] == 7 * len("yyyy-mm-dd hh:mm  ") + 16  # not the repr's length
