"""The plan-based forecast: projected close, pace, and the category with its reason."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import pytest
from review_examples import event, pipeline, snapshot, step

from addon.domain.review import forecast, steps_frame
from addon.domain.review_forecast import FORECAST_COLUMNS
from addon.domain.review_input import ReviewInput


def _forecast(data: ReviewInput) -> dict[str, dict[str, Any]]:
    table = forecast(data, steps_frame(data))
    assert list(table.columns) == FORECAST_COLUMNS
    return {
        str(row["deal_id"]): {str(k): v for k, v in row.items()} for row in table.to_dict("records")
    }


@pytest.fixture(scope="module")
def rows() -> dict[str, dict[str, Any]]:
    return _forecast(pipeline())


def test_commit_when_on_time_agreed_and_nothing_overdue_on_the_buyer_side(
    rows: dict[str, dict[str, Any]],
) -> None:
    acme = rows["a"]
    assert acme["category"] == "Commit"
    # the signature row's date: the Deal tab's 2027-02-16 is only a copy of it
    assert acme["committed_signature"] == pd.Timestamp("2027-02-15")
    assert acme["projected_close"] == pd.Timestamp("2027-02-15")
    assert (acme["remaining_critical_days"], acme["pace"], acme["slip_business_days"]) == (5, 1, 0)
    assert acme["reason"] == (
        "Projected on the committed 2027-02-15: 1 step left on the longest chain (5 business days)"
        " at 1.0x the planned time per step; the plan is agreed by both sides and no buyer critical"
        " step is overdue"
    )


def test_probable_when_on_time_at_the_pace_kept_so_far_but_not_agreed(
    rows: dict[str, dict[str, Any]],
) -> None:
    bolt = rows["b"]
    # eval done 4 business days late on 5 planned: pace 1.8; legal, in progress, counts half
    # its 5 days: 2.5 x 1.8 = 4.5, so 5 business days from Mon 1 Feb to Fri 5 Feb; signature
    # Mon 8 Feb, within the committed Tue 9 Feb
    assert bolt["pace"] == 1.8
    assert bolt["projected_close"] == pd.Timestamp("2027-02-09")
    assert (bolt["slip_business_days"], bolt["category"]) == (0, "Probable")
    assert bolt["reason"] == (
        "Projected on the committed 2027-02-09:"
        " 1 step left on the longest chain (5 business days) at 1.8x the planned time per step;"
        " the plan is not agreed by both sides; 1 buyer critical step overdue"
    )


def test_at_risk_when_the_buyer_is_silent_even_on_time(rows: dict[str, dict[str, Any]]) -> None:
    cobalt = rows["c"]
    assert cobalt["pace"] == 0.8  # eval done 1 business day early: (5 - 1) / 5
    assert (cobalt["slip_business_days"], cobalt["category"]) == (0, "At risk")
    assert cobalt["reason"] == (
        "Projected on the committed 2027-03-01: 1 step left on the longest chain (5 business days)"
        " at 0.8x the planned time per step; the buyer has not edited the plan for 62 days"
    )


def test_slipping_when_go_live_already_slipped_the_threshold_number_of_times(
    rows: dict[str, dict[str, Any]],
) -> None:
    delta = rows["d"]
    # kickoff is after signature: the chain is eval (in progress: half its 5 days, Mon 1 to
    # Wed 3 Feb) then legal (5 days, Thu 4 to Wed 10 Feb): signature Thu 11 Feb
    assert (delta["remaining_critical_steps"], delta["remaining_critical_days"]) == (2, 10)
    assert delta["projected_close"] == pd.Timestamp("2027-02-11")
    assert delta["category"] == "Slipping"
    assert delta["reason"] == (
        "Projected 2027-02-11, 1 business day after the committed 2027-02-10:"
        " 2 steps left on the longest chain (10 business days) at 1.0x the planned time per step;"
        " the plan already slipped 2 times (12 business days in all);"
        " the plan is not agreed by both sides; 1 buyer critical step overdue;"
        " set by the longest chain of open work, Evaluation to Legal review"
    )


def test_an_unreadable_deal_is_at_risk_on_its_go_live_date(
    rows: dict[str, dict[str, Any]],
) -> None:
    echo = rows["e"]
    assert echo["committed_signature"] == pd.Timestamp("2027-04-30")  # no target: go-live
    assert echo["category"] == "At risk"
    assert echo["reason"] == (
        "Projected on the committed 2027-04-30: no open step left before signature;"
        " the plan could not be read (access removed)"
    )


def _delta_with(**changes: Any) -> dict[str, Any]:
    """Delta's forecast with one recent buyer edit as its only event and `changes` as its plan."""
    data = pipeline()
    snapshots = dict(data.snapshots) | {"d": snapshot(**changes)}
    events = dict(data.events) | {"d": (event("d", 9, "step_done", "2027-01-29", "buyer"),)}
    return _forecast(dataclasses.replace(data, snapshots=snapshots, events=events))["d"]


def test_at_risk_when_projected_6_to_20_business_days_late() -> None:
    delta = _delta_with(
        steps=[
            step("eval", "Evaluation", "Buyer", "2027-01-11", "Done", "2027-01-25"),
            step("legal", "Legal review", "Buyer", "2027-02-05"),
            step("signature", "Signature", "Both", "2027-02-10"),
        ],
        signature="2027-02-10",
        agreed=(True, True),
    )
    # eval 10 business days late on 5: pace 3; legal's 5 days take 15, to Mon 22 Feb
    assert (delta["pace"], delta["category"]) == (3.0, "At risk")
    assert delta["reason"] == (
        "Projected 2027-02-22, 8 business days after the committed 2027-02-10:"
        " 1 step left on the longest chain (5 business days) at 3.0x the planned time per step;"
        " set by Legal review, the open work left before it"
    )


def test_slipping_when_projected_more_than_20_business_days_late_at_a_clipped_pace() -> None:
    delta = _delta_with(
        steps=[
            step("eval", "Evaluation", "Buyer", "2027-02-05"),
            step("legal", "Legal review", "Buyer", "2027-02-08"),
            step("signature", "Signature", "Both", "2027-02-10"),
            step("kickoff", "Kickoff", "Seller", "2027-01-04", "Done", "2027-01-15"),
        ],
        signature="2027-02-10",
        agreed=(True, True),
    )
    # kickoff 9 business days late on 3: (9 + 3) / 3 = 4, clipped to 3; 10 days take 30,
    # Mon 1 Feb to Fri 12 Mar; signature (its own day) Mon 15 Mar
    assert delta["pace"] == 3.0
    assert delta["projected_close"] == pd.Timestamp("2027-03-15")
    assert (delta["slip_business_days"], delta["category"]) == (23, "Slipping")
    assert delta["reason"] == (
        "Projected 2027-03-15, 23 business days after the committed 2027-02-10:"
        " 2 steps left on the longest chain (10 business days) at 3.0x the planned time per step;"
        " set by the longest chain of open work, Evaluation to Legal review"
    )


def test_a_plan_without_done_steps_keeps_the_planned_pace() -> None:
    delta = _delta_with(
        steps=[
            step("eval", "Evaluation", "Buyer", "2027-02-05"),
            step("legal", "Legal review", "Buyer", "2027-02-19"),
            step("signature", "Signature", "Both", "2027-02-22"),
        ],
        signature="2027-02-04",
        agreed=(True, True),
    )
    # the signature row (Mon 22 Feb) is the commitment, the Deal tab's Thu 4 Feb a stale copy;
    # 10 days at 1x from Mon 1 Feb end Fri 12 Feb: on time at the planned pace
    assert (delta["pace"], delta["slip_business_days"], delta["category"]) == (1.0, 0, "Commit")
    assert delta["committed_signature"] == pd.Timestamp("2027-02-22")


def test_probable_when_on_time_but_not_agreed_by_both_sides() -> None:
    delta = _delta_with(
        steps=[step("legal", "Legal review", "Buyer", "2027-02-19")],
        signature="2027-03-01",
        agreed=(True, False),
    )
    assert (delta["slip_business_days"], delta["category"]) == (0, "Probable")
