"""Forecast accuracy from recorded projections, checked by hand on a shipped-template plan.

A mid-market deal (US holidays) won on Friday 2027-05-28. Reviews recorded:
- 2027-04-26 (32 days before): committed 2027-05-14, projected 2027-05-26;
- 2027-05-14 (14 days before): committed 2027-05-14, projected 2027-06-01;
- 2027-05-24 (4 days before): too late for the 7-day horizon, which takes 05-14's again.
Errors in business days: at 30 days the projection (05-26) is 2 short of 05-28 and the committed
date (05-14) 10 short; at 14 and 7 days the projection (06-01, after Memorial Day 05-31) is 1 past
and the committed date 10 short.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from shipped_plans import fresh_steps, shipped_review

from addon.domain.outcome import DealOutcome, Outcome
from addon.domain.review import forecast, steps_frame
from addon.domain.review_accuracy import ACCURACY_COLUMNS, accuracy_frame, projections
from addon.domain.review_input import RecordedForecast, ReviewInput

WON = date(2027, 5, 28)
HISTORY = (
    RecordedForecast(date(2027, 4, 26), date(2027, 5, 14), date(2027, 5, 26)),
    RecordedForecast(date(2027, 5, 14), date(2027, 5, 14), date(2027, 6, 1)),
    RecordedForecast(date(2027, 5, 24), date(2027, 5, 14), date(2027, 5, 28)),
)


def _data(
    outcome: DealOutcome | None, history: tuple[RecordedForecast, ...] = HISTORY
) -> ReviewInput:
    template, steps = fresh_steps("mid-market")
    data = shipped_review(template, steps, today=date(2027, 6, 1))
    deal = data.deals[0]
    outcomes = {deal.deal_id: outcome} if outcome is not None else {}
    return replace(data, outcomes=outcomes, forecast_history={deal.deal_id: history})


def test_errors_at_each_horizon_by_hand() -> None:
    frame = accuracy_frame(_data(DealOutcome(Outcome.WON, WON, "sam@seller.example")))
    assert list(frame.columns) == ACCURACY_COLUMNS
    row = frame.iloc[0].to_dict()
    assert row == {
        "Month": "2027-05",
        "Won deals": 1,
        "Measured 30 days before": 1,
        "Projection error 30 days before": 2.0,
        "Committed error 30 days before": 10.0,
        "Measured 14 days before": 1,
        "Projection error 14 days before": 1.0,
        "Committed error 14 days before": 10.0,
        "Measured 7 days before": 1,
        "Projection error 7 days before": 1.0,
        "Committed error 7 days before": 10.0,
    }


def test_a_deal_without_history_counts_but_is_not_measured() -> None:
    frame = accuracy_frame(_data(DealOutcome(Outcome.WON, WON, "s"), history=()))
    row = frame.iloc[0]
    assert (row["Won deals"], row["Measured 30 days before"]) == (1, 0)
    assert pd.isna(row["Projection error 30 days before"])


@pytest.mark.parametrize(
    "outcome", [None, DealOutcome(Outcome.LOST, WON, "s"), DealOutcome(Outcome.ON_HOLD, WON, "s")]
)
def test_only_won_deals_are_measured(outcome: DealOutcome | None) -> None:
    assert accuracy_frame(_data(outcome)).empty


def test_a_review_records_the_committed_and_projected_dates_it_shows() -> None:
    data = _data(None)
    table = forecast(data, steps_frame(data))
    said = projections(table, data.today)
    row = table.iloc[0]
    assert said == {
        "deal-1": RecordedForecast(
            data.today,
            pd.Timestamp(row["committed_signature"]).date(),
            pd.Timestamp(row["projected_close"]).date(),
        )
    }
