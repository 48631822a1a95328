"""The review's end of the funnel, on plans made from the shipped templates.

Checked by hand: a mid-market plan created Monday 2027-03-01 and won Monday 2027-05-24 took the
weekdays in (03-01, 05-24], 12 weeks or 60 business days (Memorial Day, 05-31, comes after): 20
business days longer than the template's typical 6-8 weeks (30-40 business days).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pandas as pd
from shipped_plans import PLAN_DAY, fresh_steps, shipped_review

from addon.domain.outcome import DealOutcome, Outcome
from addon.domain.review import steps_frame
from addon.domain.review_all import review_frames
from addon.domain.review_closed import (
    closed_frame,
    onboarding_frame,
    split_by_outcome,
    win_loss_frame,
)
from addon.domain.review_input import ReviewInput

SELLER = "seller@seller.example"
WON_ON = date(2027, 5, 24)


def _with(data: ReviewInput, *outcomes: DealOutcome | None) -> ReviewInput:
    """The one deal of `data` copied once per outcome (deal-1, deal-2, ...), same plan."""
    base = data.deals[0]
    deals = tuple(
        replace(base, deal_id=f"deal-{n}", name=f"Deal {n}") for n in range(1, len(outcomes) + 1)
    )
    snapshot = data.snapshots["deal-1"]
    return replace(
        data,
        deals=deals,
        snapshots={d.deal_id: snapshot for d in deals},
        events={d.deal_id: () for d in deals},
        outcomes={
            deal.deal_id: outcome
            for deal, outcome in zip(deals, outcomes, strict=True)
            if outcome is not None
        },
    )


def _review(today: date = WON_ON) -> ReviewInput:
    template, steps = fresh_steps("mid-market")
    return shipped_review(template, steps, today=today)


def test_closed_deals_leave_the_live_tabs() -> None:
    won = DealOutcome(Outcome.WON, WON_ON, SELLER)
    lost = DealOutcome(Outcome.LOST, WON_ON, SELLER, reason="Price", competitor="Rival")
    held = DealOutcome(Outcome.ON_HOLD, WON_ON, SELLER, revisit_on=WON_ON + timedelta(days=30))
    data = _with(_review(), None, won, lost, held)

    live, closed, only_won = split_by_outcome(data)
    assert [d.deal_id for d in live.deals] == ["deal-1", "deal-4"]
    assert [d.deal_id for d in closed.deals] == ["deal-2", "deal-3"]
    assert [d.deal_id for d in only_won.deals] == ["deal-2"]

    frames, risks = review_frames(data)
    assert set(frames["Pipeline"]["deal_id"]) == {"deal-1", "deal-4"}
    assert {r.deal_id for r in risks} <= {"deal-1", "deal-4"}
    held_row = frames["Pipeline"].set_index("deal_id").loc["deal-4"]
    assert held_row["Forecast"] == "On hold"
    assert held_row["Forecast reason"] == "On hold since 2027-05-24, revisit on 2027-06-23"
    assert list(frames)[-4:] == ["Onboarding", "Closed", "Win-loss", "Forecast accuracy"]


def test_an_on_hold_deal_raises_no_date_risk_until_its_revisit_date() -> None:
    template, steps = fresh_steps("mid-market")
    late = PLAN_DAY + timedelta(days=120)  # everything overdue by then
    open_risks = review_frames(shipped_review(template, steps, today=late))[1]
    assert {"overdue_buyer", "overdue_seller"} & {r.kind.value for r in open_risks}
    held = DealOutcome(Outcome.ON_HOLD, late, SELLER, revisit_on=late + timedelta(days=14))
    paused = _with(shipped_review(template, steps, today=late), held)
    kinds = {r.kind.value for r in review_frames(paused)[1]}
    assert not kinds & {"overdue_buyer", "overdue_seller", "cannot_fit", "buyer_silent"}
    back = _with(shipped_review(template, steps, today=late + timedelta(days=14)), held)
    assert {"overdue_buyer", "overdue_seller"} & {r.kind.value for r in review_frames(back)[1]}


def test_closed_rows_measure_the_cycle_against_the_template() -> None:
    won = DealOutcome(Outcome.WON, WON_ON, SELLER)
    lost = DealOutcome(
        Outcome.LOST, date(2027, 9, 1), SELLER, reason="Competitor", competitor="Rival"
    )
    frame = closed_frame(_with(_review(), won, lost)).set_index("deal_id")
    assert list(frame.index) == ["deal-2", "deal-1"]  # most recent first
    assert frame.loc["deal-1", "Cycle (business days)"] == 60
    assert frame.loc["deal-1", "Typical (business days)"] == "30-40"
    assert frame.loc["deal-1", "Cycle vs typical"] == "20 business days longer"
    # 2027-03-01 to 2027-09-01: 132 weekdays, less Memorial Day, Juneteenth (a Saturday in
    # 2027: observed Friday 06-18), Independence Day (observed Monday 07-05): 129
    assert frame.loc["deal-2", "Cycle (business days)"] == 129
    assert frame.loc["deal-2", "Cycle vs typical"] == "89 business days longer"
    assert (frame.loc["deal-2", "Outcome"], frame.loc["deal-2", "Competitor"]) == ("Lost", "Rival")


def test_win_loss_counts_by_template_and_owner() -> None:
    outcomes = [
        DealOutcome(Outcome.WON, WON_ON, SELLER),
        DealOutcome(Outcome.LOST, WON_ON, SELLER, reason="Price", competitor="Rival"),
        DealOutcome(Outcome.LOST, WON_ON, SELLER, reason="Price"),
        DealOutcome(Outcome.LOST, WON_ON, SELLER, reason="Timing", competitor="Other Co"),
    ]
    frame = win_loss_frame(_with(_review(), *outcomes))
    assert frame.to_dict("records") == [
        {
            "By": "Template",
            "Name": "mid-market",
            "Won": 1,
            "Lost": 3,
            "Win rate": 0.25,
            "Top loss reason": "Price (2)",
            "Lost to": "Other Co, Rival (1)",
        },
        {
            "By": "Owner",
            "Name": SELLER,
            "Won": 1,
            "Lost": 3,
            "Win rate": 0.25,
            "Top loss reason": "Price (2)",
            "Lost to": "Other Co, Rival (1)",
        },
    ]


def test_onboarding_follows_the_steps_after_signature() -> None:
    early = PLAN_DAY + timedelta(days=1)  # won the day after the plan was made
    won = DealOutcome(Outcome.WON, early, SELLER, success_owner="cas@seller.example")
    data = _with(_review(today=early), won)
    frame = onboarding_frame(data, steps_frame(data))
    signature = pd.Timestamp(
        next(s["due"] for s in data.snapshots["deal-1"]["steps"] if s["id"] == "signature")
    )
    assert not frame.empty and (frame["Due"] > signature).all()
    assert "Go-live" in set(frame["Step"])
    assert set(frame["On track"]) == {"yes"}  # a fresh plan, nothing late yet
    assert set(frame["Customer success"]) == {"cas@seller.example"}

    late = _with(_review(today=WON_ON), won)  # 12 weeks on, nothing done: behind
    behind = onboarding_frame(late, steps_frame(late))
    assert set(behind["On track"]) == {"no"}
    assert behind["Why"].iloc[0].startswith("the remaining steps end ")
