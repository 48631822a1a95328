"""This week and Forecast totals, on plans made from the shipped templates."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pandas as pd
from shipped_plans import PLAN_DAY, fresh_steps, shipped_review

from addon.domain.review_all import pipeline_and_risks
from addon.domain.review_input import ReviewInput
from addon.domain.review_week import TOTALS_COLUMNS, WEEK_COLUMNS, forecast_totals, this_week


def _pipeline(today_offset: int) -> ReviewInput:
    """Three copies of a fresh mid-market plan with different owners and amounts."""
    template, steps = fresh_steps("mid-market")
    data = shipped_review(template, steps, today=PLAN_DAY + timedelta(days=today_offset))
    base = data.deals[0]
    deals = (
        replace(
            base,
            deal_id="a",
            name="Small",
            owner_email="zoe@seller.example",
            amount=Decimal(10_000),
        ),
        replace(
            base, deal_id="b", name="Big", owner_email="amy@seller.example", amount=Decimal(90_000)
        ),
        replace(
            base, deal_id="c", name="Mid", owner_email="amy@seller.example", amount=Decimal(50_000)
        ),
    )
    snapshot = data.snapshots["deal-1"]
    return replace(
        data,
        deals=deals,
        snapshots={d.deal_id: snapshot for d in deals},
        events={d.deal_id: () for d in deals},
    )


def test_this_week_lists_deals_needing_a_manager_grouped_by_owner_biggest_first() -> None:
    data = _pipeline(60)  # two months on and nothing done: every plan is late
    pipeline, risks, _, projected = pipeline_and_risks(data)
    week = this_week(data, pipeline, projected, risks)
    assert list(week.columns) == WEEK_COLUMNS
    assert list(zip(week["Owner"], week["Deal"], strict=True)) == [
        ("amy@seller.example", "Big"),
        ("amy@seller.example", "Mid"),
        ("zoe@seller.example", "Small"),
    ]
    assert set(week["Severity"]) == {"high"}
    top = next(r for r in risks if r.deal_id == "b")
    assert week.loc[0, "Why"] == f"{top.kind.label}: {top.evidence}"
    assert week.loc[0, "Ask"] == top.question
    assert week.loc[0, "Business days to signature"] < 0  # the committed signature has passed


def test_a_fresh_pipeline_needs_no_manager_yet() -> None:
    data = _pipeline(1)  # the day after the plans were made: set-up checklist items only
    pipeline, risks, _, projected = pipeline_and_risks(data)
    assert this_week(data, pipeline, projected, risks).empty


def test_totals_by_category_add_up() -> None:
    data = _pipeline(60)
    pipeline, _, _, _ = pipeline_and_risks(data)
    built = datetime(2027, 5, 1, 7, 30, 12, 999, tzinfo=UTC)
    totals = forecast_totals(pipeline, built)
    assert list(totals.columns) == TOTALS_COLUMNS
    last = totals.iloc[-1]
    assert (last["Forecast"], last["Deals"], last["Amount"]) == ("All live deals", 3, 150_000.0)
    assert totals.iloc[:-1]["Deals"].sum() == 3
    assert set(totals["As of"]) == {pd.Timestamp("2027-05-01 07:30:12")}
