"""The evidence a manager reads, on a plan made from a shipped template: a buyer's slip end to end.

A buyer moves "Review of our standard terms" (which must end before signature) 16 business days
past the signature date: the diff carries what that cost signature and go-live and credits the
buyer; the forecast projects the close after that step and worsens; the Pipeline counts the slip.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from shipped_plans import PLAN_DAY, fresh_steps, shipped_review

from addon.domain.attribution import Actor
from addon.domain.businessdays import add_business_days
from addon.domain.events import diff
from addon.domain.review import forecast, pipeline_frame, steps_frame
from addon.domain.review_input import EventFacts

CATEGORIES = ["Commit", "Probable", "At risk", "Slipping"]
TODAY = PLAN_DAY  # the plan is read the day it is made


def _moved():
    template, steps = fresh_steps("mid-market")
    holidays = frozenset(template.holidays)
    signature = date.fromisoformat(next(s["due"] for s in steps if s["id"] == "signature"))
    moved_to = add_business_days(signature, 16, holidays)
    edited = [{**s, "due": moved_to.isoformat()} if s["id"] == "terms-review" else s for s in steps]
    snapshot = {"steps": steps, "deal": {}, "stakeholders": []}
    events = diff(
        snapshot,
        {**snapshot, "steps": edited},
        deal_id="deal-1",
        base_seq=1,
        occurred_at=datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC),
        actor=Actor("pat@buyer.example", "buyer"),
        holidays=holidays,
        template=template,
    )
    return template, steps, edited, signature, moved_to, events


def test_the_move_is_a_slip_with_its_cost_to_each_milestone_credited_to_the_buyer():
    *_, signature, moved_to, events = _moved()
    [moved] = events
    assert (moved.kind, moved.subject, moved.actor.side) == (
        "due_date_moved",
        "terms-review",
        "buyer",
    )
    # signature can come only the business day after the review: 17 business days later
    assert moved.details["milestone_cost"] == {"signature": 17, "go-live": 17}
    assert moved.details["slip"] is True
    assert (
        moved.details["critical"] is False
    )  # not critical in the template: its cost makes it a slip


def test_the_forecast_projects_after_the_step_and_worsens_and_the_pipeline_counts_the_slip():
    template, steps, edited, signature, moved_to, events = _moved()
    before = shipped_review(template, steps, today=TODAY)
    facts = tuple(
        EventFacts(
            event_id=e.event_id,
            deal_id=e.deal_id,
            kind=str(e.kind),
            occurred_at=e.occurred_at,
            actor_side=e.actor.side,
            actor_email=e.actor.email,
            subject=e.subject,
            subject_label=e.subject_label,
            before=e.before,
            after=e.after,
            details=e.details,
        )
        for e in events
    )
    after = shipped_review(template, edited, today=TODAY, events=facts)
    was = forecast(before, steps_frame(before)).iloc[0]
    now = forecast(after, steps_frame(after)).iloc[0]
    assert was["projected_close"].date() == signature
    assert now["projected_close"].date() >= moved_to
    assert now["projected_close"].date() == add_business_days(
        moved_to, 1, frozenset(template.holidays)
    )
    assert now["slip_business_days"] == 17
    assert CATEGORIES.index(now["category"]) > CATEGORIES.index(was["category"])
    assert "set by Review of our standard terms" in now["reason"]
    row = pipeline_frame(after, steps_frame(after), forecast(after, steps_frame(after))).iloc[0]
    assert (row["Slips"], row["Slip days"]) == (1, 17)
