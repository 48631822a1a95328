"""Property-based tests: the review never falls over, and its tables keep their shape and types.

Pipelines come from review_strategies: empty teams, deals with no steps, plans never read,
unreadable, emptied or hostile, events of unknown kinds. Whatever the input, every tab is a
table with its agreed columns, the Pipeline and the forecast have one row per deal, and each
column's cells are of one kind (text, number, date or yes/no) on every run, as the workbook
writer writes them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from review_strategies import review_input, templates

from addon.domain.review import PIPELINE_COLUMNS, forecast, steps_frame
from addon.domain.review_accuracy import ACCURACY_COLUMNS
from addon.domain.review_all import review_frames
from addon.domain.review_cells import cell_requests, to_cell
from addon.domain.review_closed import CLOSED_COLUMNS, ONBOARDING_COLUMNS, WIN_LOSS_COLUMNS
from addon.domain.review_forecast import FORECAST_COLUMNS
from addon.domain.review_formats import NAMED_FORMATS, is_date_column
from addon.domain.review_input import ReviewInput
from addon.domain.review_layout import (
    HIDDEN_COLUMNS,
    REVIEW_TABS,
    rewrite_requests,
    tab_layouts,
)
from addon.domain.review_present import STEPS_TAB_COLUMNS
from addon.domain.review_tables import (
    ACTIVITY_COLUMNS,
    DATA_ISSUE_COLUMNS,
    MONTH_COLUMNS,
    VELOCITY_COLUMNS,
)
from addon.domain.review_week import TOTALS_COLUMNS, WEEK_COLUMNS
from addon.domain.risks import RISK_COLUMNS

# Hypothesis prints a failing pipeline in full; that is long, and wanted.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

COLUMNS = {
    "This week": WEEK_COLUMNS,
    "Forecast totals": TOTALS_COLUMNS,
    "Pipeline": PIPELINE_COLUMNS,
    "Steps": STEPS_TAB_COLUMNS,
    # tabs with deals gain their plan's address (the Deal cell's link; not written as a column)
    "Risks": [*RISK_COLUMNS, "Plan"],
    "Risk summary": ["Risk", "Count"],
    "Activity": [*ACTIVITY_COLUMNS, "Plan"],
    "Forecast": MONTH_COLUMNS,
    "Velocity": VELOCITY_COLUMNS,
    "Data issues": [*DATA_ISSUE_COLUMNS, "Plan"],
    "Onboarding": ONBOARDING_COLUMNS,
    "Closed": CLOSED_COLUMNS,
    "Win-loss": WIN_LOSS_COLUMNS,
    "Forecast accuracy": ACCURACY_COLUMNS,
}

TEXT, NUMBER, DATE, YES_NO, BOOL = "text", "number", "date", "yes/no", "bool"
# What every cell of a column is, as written to the workbook (blank cells aside).
PIPELINE_KINDS = {
    **dict.fromkeys(["Deal", "Buyer", "Owner", "Template", "Next step", "Next step side"], TEXT),
    **dict.fromkeys(["Forecast", "Forecast reason", "Plan", "deal_id"], TEXT),
    **dict.fromkeys(["Created", "Go-live", "Signature target", "Next step due"], DATE),
    **dict.fromkeys(["Last slip", "Projected close", "Unreadable since"], DATE),
    **dict.fromkeys(["Amount", "% done", "Overdue (buyer)", "Overdue (seller)", "Slips"], NUMBER),
    **dict.fromkeys(["Slip days", "Days since buyer edit", "Changed from template"], NUMBER),
    **dict.fromkeys(["Risks", "Data issues"], NUMBER),
    **dict.fromkeys(["Champion", "Economic buyer", "Technical evaluator", "Security"], YES_NO),
    **dict.fromkeys(["Legal", "Procurement", "Agreed (buyer)", "Agreed (seller)"], YES_NO),
}
KINDS = {
    "This week": {
        **dict.fromkeys(WEEK_COLUMNS, TEXT),
        "Amount": NUMBER,
        "Signature (committed)": DATE,
        **dict.fromkeys(["Business days to signature", "More risks"], NUMBER),
    },
    "Forecast totals": {"Forecast": TEXT, "Deals": NUMBER, "Amount": NUMBER, "As of": DATE},
    "Pipeline": PIPELINE_KINDS,
    "Steps": {
        **dict.fromkeys(["Deal", "Phase", "Step", "Side", "Owner", "Status", "Milestone"], TEXT),
        **dict.fromkeys(["Roles", "Plan", "deal_id"], TEXT),
        **dict.fromkeys(["Critical", "From template"], YES_NO),
        **dict.fromkeys(["Due", "Done on"], DATE),
        **dict.fromkeys(["Business days overdue", "Sheet row"], NUMBER),
    },
    "Risks": dict.fromkeys([*RISK_COLUMNS, "Plan"], TEXT),
    "Risk summary": {"Risk": TEXT, "Count": NUMBER},
    "Activity": {"When": DATE} | dict.fromkeys([*ACTIVITY_COLUMNS[1:], "Plan"], TEXT),
    "Forecast": {"Month": DATE, "Committed": NUMBER, "Projected": NUMBER},
    "Velocity": {"Template": TEXT, "Phase": TEXT} | dict.fromkeys(VELOCITY_COLUMNS[2:], NUMBER),
    "Data issues": dict.fromkeys([*DATA_ISSUE_COLUMNS, "Plan"], TEXT),
    "Onboarding": {
        **dict.fromkeys(["Won on", "Due", "Go-live (committed)", "Go-live (projected)"], DATE),
        **dict.fromkeys(
            [c for c in ONBOARDING_COLUMNS if c not in ("Won on", "Due") and "Go-live" not in c],
            TEXT,
        ),
    },
    "Closed": {
        **dict.fromkeys(CLOSED_COLUMNS, TEXT),
        "Amount": NUMBER,
        "Closed on": DATE,
        **dict.fromkeys(["Cycle (business days)", "Slips before close"], NUMBER),
        "Slip days before close": NUMBER,
    },
    "Win-loss": {
        **dict.fromkeys(["By", "Name", "Top loss reason", "Lost to"], TEXT),
        **dict.fromkeys(["Won", "Lost", "Win rate"], NUMBER),
    },
    "Forecast accuracy": {"Month": DATE} | dict.fromkeys(ACCURACY_COLUMNS[1:], NUMBER),
}


def _kind(value: object, column: pd.Series) -> str | None:
    """What a cell is once written: None for a blank cell."""
    cell = to_cell(value)
    if cell == "":
        return None
    if isinstance(cell, bool):
        return BOOL
    if pd.api.types.is_datetime64_any_dtype(column) or isinstance(value, date):
        return DATE if isinstance(cell, int | float) else TEXT  # a serial number, never text
    if isinstance(cell, int | float):
        return NUMBER
    if cell in ("yes", "no") and column.name in ("Critical", "From template", *PIPELINE_KINDS):
        yes_no = PIPELINE_KINDS.get(str(column.name), YES_NO) == YES_NO
        return YES_NO if yes_no else TEXT
    return TEXT


def _assert_kinds(tab: str, frame: pd.DataFrame) -> None:
    for name, expected in KINDS[tab].items():
        column = frame[name]
        found = {_kind(value, column) for value in column.tolist()} - {None}
        assert found <= {expected}, f"{tab}!{name}: {found} is not {expected}"


@SETTINGS
@given(review_input())
def test_every_pipeline_gets_every_tab_laid_out_with_its_columns_and_one_row_per_deal(
    data: ReviewInput,
) -> None:
    frames, risks = review_frames(data)

    assert list(frames) == list(REVIEW_TABS)
    for tab, frame in frames.items():
        assert list(frame.columns) == COLUMNS[tab], tab
        assert frame.index.equals(pd.RangeIndex(len(frame))), tab
        _assert_kinds(tab, frame)
    outcomes = {d.deal_id: o for d in data.deals if (o := data.outcome(d)) is not None}
    closed = [deal_id for deal_id, outcome in outcomes.items() if outcome.closed]
    won = [deal_id for deal_id, outcome in outcomes.items() if outcome.outcome.value == "won"]
    deal_ids = [deal.deal_id for deal in data.deals if deal.deal_id not in closed]
    assert sorted(frames["Closed"]["deal_id"]) == sorted(closed)
    assert set(frames["Onboarding"]["deal_id"]) <= set(won)
    assert frames["Win-loss"][["Won", "Lost"]].to_numpy().sum() == 2 * len(closed)
    pipeline = frames["Pipeline"]
    assert sorted(pipeline["deal_id"]) == sorted(deal_ids)  # one row per deal, in any order
    assert pipeline["% done"].between(0, 1).all()  # a share, shown as a percentage
    assert set(frames["Risks"]["deal_id"]) <= set(deal_ids)
    assert {risk.deal_id for risk in risks} <= set(deal_ids)
    assert frames["Risk summary"]["Count"].sum() == len(risks) == len(frames["Risks"])
    assert pipeline["Risks"].sum() == len(risks)
    unreadable_rows = frames["Data issues"][frames["Data issues"]["Kind"] == "Unreadable"]
    assert len(unreadable_rows) == len(set(deal_ids) & set(data.unreadable))
    since = pipeline.set_index("deal_id")["Unreadable since"]
    for deal_id in deal_ids:
        if deal_id in data.unreadable and deal_id in data.unreadable_since:
            assert since[deal_id] == pd.Timestamp(data.unreadable_since[deal_id])
        else:
            assert pd.isna(since[deal_id])

    # every column of dates has its format by name: an empty table formats it the same
    dates = [(t, c) for t, f in frames.items() for c in f.columns if is_date_column(f[c])]
    assert [(t, c) for t, c in dates if c not in NAMED_FORMATS] == []

    requests = rewrite_requests(frames, existing_chart_ids=[7001])
    layouts = tab_layouts(frames)
    written = [u["updateCells"] for u in cell_requests(layouts).requests]

    assert requests
    sheet_ids = [layout.sheet_id for layout in layouts if len(layout.frame.columns)]
    assert [u["range"]["sheetId"] for u in written] == sheet_ids
    for update in written:  # one table per tab, every row as wide as its header
        rows = [row["values"] for row in update["rows"]]
        assert {len(row) for row in rows} == {len(rows[0])} == {update["range"]["endColumnIndex"]}
        assert len(rows) <= update["range"]["endRowIndex"]  # inside the tab's grid
        header = [cell["userEnteredValue"]["stringValue"] for cell in rows[0]]
        # words people read: no join keys, no snake_case
        assert not [h for h in header if h in HIDDEN_COLUMNS or "_" in h], header


@settings(SETTINGS, max_examples=30)
@given(review_input())
def test_the_forecast_has_one_row_per_deal_with_a_category_and_a_reason(data: ReviewInput) -> None:
    steps = steps_frame(data)
    projected = forecast(data, steps)

    assert list(projected.columns) == FORECAST_COLUMNS
    assert projected["deal_id"].tolist() == [deal.deal_id for deal in data.deals]
    assert projected["category"].isin(["Commit", "Probable", "At risk", "Slipping"]).all()
    assert projected["reason"].map(lambda text: isinstance(text, str) and text != "").all()


def test_an_empty_team_gets_empty_tables_with_their_columns() -> None:
    data = ReviewInput(
        today=date(2027, 2, 1), deals=(), snapshots={}, events={}, templates=templates()
    )
    frames, risks = review_frames(data)

    assert risks == []
    assert {tab: len(frame) for tab, frame in frames.items()} == dict.fromkeys(REVIEW_TABS, 0)
    assert {tab: list(frame.columns) for tab, frame in frames.items()} == COLUMNS
