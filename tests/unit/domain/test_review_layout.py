"""The review workbook as request bodies: cell values, tab shapes, charts, schema validity.

Contracts: issue 5 "Writing the workbook", issue 15 (a review write is one request; the structure
written only when it changes) and
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from addon.domain.layout_cells import column_letter
from addon.domain.review_cells import cell_data, cell_requests, to_cell
from addon.domain.review_layout import (
    MIN_GRID_ROWS,
    REVIEW_SHEET_IDS,
    REVIEW_TABS,
    SCRATCH_SHEET_ID,
    column_widths,
    fitted_requests,
    grid_capacity,
    new_workbook_body,
    quote_sheet,
    rewrite_requests,
    risk_summary,
    structure_requests,
    tab_layouts,
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
    # Every tab: its table's rows rounded up to a power of two, at least MIN_GRID_ROWS (so the
    # grid changes when a table doubles or halves, not with each deal), by the columns.
    assert {g["rowCount"] for g in grids.values()} == {MIN_GRID_ROWS}
    assert grids[ids["Steps"]]["columnCount"] == 3
    assert grids[ids["Velocity"]]["columnCount"] == 3
    assert grids[ids["Data issues"]]["columnCount"] == 4
    # Tabs with a chart: room for the chart to the right, anchored inside the grid.
    pipeline = grids[ids["Pipeline"]]
    assert pipeline["frozenColumnCount"] == 1
    assert pipeline["columnCount"] == 6 + 1 + 7  # deal_id and Plan are not written
    assert grids[ids["Risks"]]["columnCount"] == 4  # its rows and nothing beside them
    summary = grids[ids["Risk summary"]]
    assert summary["columnCount"] == 2 + 1 + 7  # data, gap, chart
    assert all(g["frozenRowCount"] == 1 for g in grids.values())
    assert all(g["frozenColumnCount"] == 0 for i, g in grids.items() if i != ids["Pipeline"])


def test_grid_capacity_is_a_power_of_two_at_least_the_minimum() -> None:
    assert [grid_capacity(n) for n in (0, 1, 2, 128, 129, 256, 257, 5000)] == [
        *[MIN_GRID_ROWS] * 4,
        *[256] * 2,
        512,
        8192,
    ]


def _chart_columns(spec: dict[str, Any]) -> tuple[list[int], list[int], set[int]]:
    basic = spec["basicChart"]
    ranges = [basic["domains"][0]["domain"]] + [s["series"] for s in basic["series"]]
    grids = [r["sourceRange"]["sources"][0] for r in ranges]
    return (
        [g["startColumnIndex"] for g in grids],
        [g["endRowIndex"] for g in grids],
        {g["sheetId"] for g in grids},
    )


def test_charts_are_added_over_the_grid_and_fitted_to_the_table() -> None:
    frames = sample_frames()
    requests = rewrite_requests(frames)
    added = {c["chart"]["chartId"]: c["chart"] for c in of_kind(requests, "addChart")}
    fitted = {c["chartId"]: c["spec"] for c in of_kind(requests, "updateChartSpec")}
    moved = {m["objectId"]: m for m in of_kind(requests, "updateEmbeddedObjectPosition")}
    assert set(added) == set(fitted) == set(moved) == {7001, 7002, 7003}
    titles = {chart_id: spec["title"] for chart_id, spec in fitted.items()}
    assert titles == {7001: "Forecast by month", 7002: "Risks by kind", 7003: "Progress by deal"}
    # added over the whole grid (the structure does not follow the rows), then fitted
    assert all(
        _chart_columns(chart["spec"])[1] == [MIN_GRID_ROWS] * len(_chart_columns(chart["spec"])[1])
        for chart in added.values()
    )
    forecast, risks, progress = fitted[7001], fitted[7002], fitted[7003]
    assert forecast["basicChart"]["chartType"] == "COLUMN"
    assert _chart_columns(forecast) == ([0, 1, 2], [3, 3, 3], {REVIEW_SHEET_IDS["Forecast"]})
    assert progress["basicChart"]["chartType"] == "BAR"
    assert _chart_columns(progress) == ([0, 3], [4, 4], {REVIEW_SHEET_IDS["Pipeline"]})
    # The Risk / Count table has a tab of its own; the chart floats right of it.
    assert _chart_columns(risks) == ([0, 1], [4, 4], {REVIEW_SHEET_IDS["Risk summary"]})
    anchor = added[7002]["position"]["overlayPosition"]["anchorCell"]
    assert anchor == {"sheetId": REVIEW_SHEET_IDS["Risk summary"], "rowIndex": 1, "columnIndex": 3}
    assert moved[7002]["fields"] == "heightPixels"
    assert moved[7002]["newPosition"]["overlayPosition"]["anchorCell"] == anchor


def test_a_bar_chart_grows_with_its_bars_within_bounds() -> None:
    def height(deals: int) -> int:
        pipeline = pd.DataFrame({"Deal": [f"d{i}" for i in range(deals)], "% done": [0.5] * deals})
        (move,) = of_kind(
            fitted_requests(tab_layouts({"Pipeline": pipeline})), "updateEmbeddedObjectPosition"
        )
        pixels: int = move["newPosition"]["overlayPosition"]["heightPixels"]
        return pixels

    assert [height(n) for n in (1, 20, 50, 500)] == [371, 480, 1080, 2000]


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
    # alternating colours under fixed ids: added over the grid, fitted to the table
    bands = {b["bandedRange"]["bandedRangeId"]: b for b in of_kind(requests, "addBanding")}
    fits = {b["bandedRange"]["bandedRangeId"]: b for b in of_kind(requests, "updateBanding")}
    assert set(bands) == set(fits) == {8000 + sheet_id for sheet_id in filters}
    assert bands[8000 + pipeline]["bandedRange"]["range"]["endRowIndex"] == MIN_GRID_ROWS
    assert fits[8000 + pipeline] == {
        "bandedRange": {"bandedRangeId": 8000, "range": filters[pipeline]},
        "fields": "range",
    }


def test_cells_write_each_table_with_the_deal_links() -> None:
    cells = {
        u["updateCells"]["range"]["sheetId"]: u["updateCells"]
        for u in cell_requests(tab_layouts(sample_frames())).requests
    }
    pipeline, risks = cells[REVIEW_SHEET_IDS["Pipeline"]], cells[REVIEW_SHEET_IDS["Risks"]]
    # the header and every row (the tab is new: nothing below to clear)
    assert pipeline["range"] == {
        "sheetId": REVIEW_SHEET_IDS["Pipeline"],
        "startRowIndex": 0,
        "endRowIndex": 4,
        "startColumnIndex": 0,
        "endColumnIndex": 6,  # deal_id and Plan are not written
    }
    assert pipeline["fields"] == "userEnteredValue,userEnteredFormat.textFormat.link"
    assert risks["fields"] == "userEnteredValue"  # no plan addresses on this tab: no links
    rows = [r["values"] for r in pipeline["rows"]]
    assert rows[0][-1] == {"userEnteredValue": {"stringValue": "Risks"}}
    link = {"textFormat": {"link": {"uri": "https://docs.google.com/spreadsheets/d/a/edit"}}}
    # each deal's name and its link written together; a row without a plan has no link
    assert rows[1][0] == {"userEnteredValue": {"stringValue": "Acme"}, "userEnteredFormat": link}
    assert rows[2] == [
        {"userEnteredValue": {"stringValue": "Globex"}},
        {},  # blank amount: no value (cleared)
        {},
        {"userEnteredValue": {"numberValue": 10}},
        {"userEnteredValue": {"stringValue": "Slipping"}},
        {"userEnteredValue": {"numberValue": 3}},
    ]
    assert rows[1][2] == {"userEnteredValue": {"numberValue": 46055}}  # 2026-02-02, a serial
    question = risks["rows"][1]["values"][3]
    assert question == {"userEnteredValue": {"stringValue": '=IMPORTXML("http://x","//a")'}}
    summary = cells[REVIEW_SHEET_IDS["Risk summary"]]["rows"]
    assert [[cell["userEnteredValue"] for cell in row["values"]] for row in summary] == [
        [{"stringValue": "Risk"}, {"stringValue": "Count"}],
        [{"stringValue": "No champion"}, {"numberValue": 2}],
        [{"stringValue": "No economic buyer"}, {"numberValue": 1}],
        [{"stringValue": "Slipped"}, {"numberValue": 1}],
    ]
    issues = cells[REVIEW_SHEET_IDS["Data issues"]]["rows"]
    assert len(issues) == 1  # the header alone
    assert cell_data(True) == {"userEnteredValue": {"boolValue": True}}
    assert cell_data("") == {}


def test_the_structure_does_not_follow_the_rows_until_a_table_outgrows_its_grid() -> None:
    frames = sample_frames()
    steps = frames["Steps"]

    def parts(rows: int) -> tuple[Any, Any]:
        changed = {**frames, "Steps": pd.concat([steps] * rows, ignore_index=True)}
        layouts = tab_layouts(changed)
        return structure_requests(layouts), fitted_requests(layouts)

    one, few, full, past = parts(1), parts(5), parts(MIN_GRID_ROWS - 1), parts(MIN_GRID_ROWS)
    assert one[0] == few[0] == full[0] != past[0]
    assert one[1] != few[1]  # the filter and colours follow the table


def test_empty_and_missing_frames_still_make_a_valid_rewrite() -> None:
    requests = rewrite_requests({"Pipeline": pd.DataFrame(columns=["Deal", "% done", "deal_id"])})
    validate_body("sheets.spreadsheets.batchUpdate", {"requests": requests})
    assert len(of_kind(requests, "updateSheetProperties")) == len(REVIEW_TABS)
    assert [c["chart"]["spec"]["title"] for c in of_kind(requests, "addChart")] == [
        "Progress by deal"
    ]
    assert cell_requests(tab_layouts({})).requests == []


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


def _apply(grid: dict[int, list[Any]], requests: list[dict[str, Any]]) -> None:
    """updateCells on one tab's rows as Sheets applies them: the rows given, the rest of the
    range cleared (values only: each cell's userEnteredValue, or None)."""
    for request in requests:
        update = request["updateCells"]
        area = update["range"]
        given = [row["values"] for row in update.get("rows", [])]
        for index in range(area["startRowIndex"], area["endRowIndex"]):
            offset = index - area["startRowIndex"]
            row = given[offset] if offset < len(given) else []
            grid[index] = [cell.get("userEnteredValue") for cell in row]
        for index in [i for i, row in grid.items() if not any(row)]:
            del grid[index]


def _steps(names: list[str]) -> dict[str, pd.DataFrame]:
    return {"Steps": pd.DataFrame({"Deal": names, "Step": [n.upper() for n in names]})}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from("abcdef"), max_size=40),
    st.lists(st.sampled_from("abcdef"), max_size=40),
)
def test_a_write_of_the_changed_rows_leaves_what_a_whole_write_leaves(
    before: list[str], after: list[str]
) -> None:
    old = cell_requests(tab_layouts(_steps(before)))
    new_layouts = tab_layouts(_steps(after))
    whole, changed = {}, {}  # type: ignore[var-annotated]
    _apply(whole, cell_requests(new_layouts).requests)
    _apply(changed, old.requests)
    diff = cell_requests(new_layouts, old.rows)
    _apply(changed, diff.requests)
    assert changed == whole
    assert diff.rows == cell_requests(new_layouts).rows
    rows_sent = sum(len(r["updateCells"].get("rows", [])) for r in diff.requests)
    assert rows_sent <= sum(a != b for a, b in zip(before, after, strict=False)) + max(
        0, len(after) - len(before)
    )
