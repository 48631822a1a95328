"""The plan's schedule model on plans made from the shipped templates (and a few hostile rows)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shipped_plans import PLAN_DAY, TEMPLATES, fresh_steps

from addon.domain.businessdays import add_business_days, business_days_between
from addon.domain.model import Milestone
from addon.domain.plan_outlook import chain_names, move_costs, outlook
from addon.domain.plan_schedule import (
    BY_DUE_DATE,
    BY_PHASE,
    IN_TEMPLATE,
    from_today,
    plan_dates,
    plan_schedule,
)

TODAY = PLAN_DAY


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_fresh_plan_of_every_shipped_template_fits_and_projects_its_committed_dates(name):
    template, steps = fresh_steps(name)
    plan = plan_schedule(template, steps)
    for milestone, seen in outlook(plan, TODAY).items():
        assert seen.fits, (milestone, seen)
        assert seen.close == seen.committed, (milestone, seen)
        assert seen.set_by == ()


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_parallel_tracks_are_not_summed(name):
    """The work before signature is the longest chain, not the sum of every open step."""
    template, steps = fresh_steps(name)
    plan = plan_schedule(template, steps)
    signature = plan.milestone(Milestone.SIGNATURE)
    assert signature is not None and signature.due is not None
    needed = from_today(plan, TODAY)[signature.key]
    summed = sum(step.days for step in plan.steps if step.due and step.due < signature.due)
    chain_days = sum(plan.by_key()[key].days for key in needed.chain)
    assert chain_days < summed
    assert needed.day <= signature.due


def test_a_go_live_too_close_cannot_fit_and_names_the_chain():
    template, steps = fresh_steps("mid-market")
    plan = plan_schedule(template, steps)
    late = TODAY.replace(day=1).replace(month=4)  # a month on: the first steps are long gone
    seen = outlook(plan, late)[Milestone.GO_LIVE]
    assert not seen.fits
    names = chain_names(plan, seen.needed.chain if seen.needed else ())
    assert names[0].startswith("Discovery call")
    assert names[-1] == "Go-live"


def test_moving_a_before_signature_step_past_signature_moves_the_planned_close():
    template, steps = fresh_steps("mid-market")
    holidays = frozenset(template.holidays)
    signature = next(step for step in steps if step["id"] == "signature")
    committed = date.fromisoformat(signature["due"])
    moved_to = add_business_days(committed, 16, holidays)
    edited = [
        {**step, "due": moved_to.isoformat()} if step["id"] == "terms-review" else step
        for step in steps
    ]
    plan = plan_schedule(template, edited)
    seen = outlook(plan, TODAY)[Milestone.SIGNATURE]
    assert seen.close == add_business_days(moved_to, 1, holidays)
    assert chain_names(plan, seen.set_by) == ["Review of our standard terms"]
    costs = move_costs(template, steps, {"id": "terms-review", "due": moved_to.isoformat()})
    assert costs["signature"] == business_days_between(
        committed, add_business_days(moved_to, 1, holidays), holidays
    )
    assert costs["go-live"] == costs["signature"]  # no slack after signature in mid-market


def test_a_step_with_slack_moved_within_its_slack_costs_nothing():
    template, steps = fresh_steps("mid-market")
    by_id = {step["id"]: step for step in steps}
    # the security questionnaire runs alongside the trial and ends well before signature
    signature = date.fromisoformat(by_id["signature"]["due"])
    questionnaire = date.fromisoformat(by_id["security-questionnaire"]["due"])
    assert questionnaire < signature
    earlier = add_business_days(questionnaire, -2, frozenset(template.holidays))
    assert move_costs(template, steps, {"id": "security-questionnaire", "due": str(earlier)}) == {}


def test_done_steps_push_nothing_and_a_pace_slows_the_projection():
    template, steps = fresh_steps("enterprise-saas")
    plan = plan_schedule(template, steps)
    slow = outlook(plan, TODAY, pace=2.0)[Milestone.SIGNATURE]
    assert slow.projected and slow.needed and slow.projected.day > slow.needed.day
    done = [{**step, "status": "Done"} for step in steps if step["id"] != "go-live"]
    finished = plan_schedule(template, [*done, next(s for s in steps if s["id"] == "go-live")])
    assert plan_dates(finished).keys() == {"go-live"}


def test_buyer_added_steps_are_placed_by_phase_then_by_due_date():
    template, steps = fresh_steps("mid-market")
    by_id = {step["id"]: step for step in steps}
    rows = [
        *steps,
        {
            "id": None,
            "phase": "Contract",
            "name": "Vendor onboarding",
            "due": by_id["terms-review"]["due"],
        },
        {"id": None, "phase": "Ours", "name": "Board approval", "due": by_id["decision"]["due"]},
        {"id": None, "phase": "", "name": "Nothing known"},
    ]
    plan = plan_schedule(template, rows)
    placed = {step.name: step for step in plan.steps}
    assert placed["Order form signed"].placement == IN_TEMPLATE
    assert placed["Vendor onboarding"].placement == BY_PHASE
    assert placed["Vendor onboarding"].anchor == "signature"
    assert placed["Board approval"].placement == BY_DUE_DATE
    assert placed["Board approval"].anchor == "signature"
    assert placed["Nothing known"].anchor is None


def test_a_removed_template_step_hands_its_anchor_on():
    template, steps = fresh_steps("mid-market")
    without_decision = [step for step in steps if step["id"] != "decision"]
    plan = plan_schedule(template, without_decision)
    assert plan.by_key()["proposal"].anchor == "order-form"


rows = st.lists(
    st.one_of(
        st.none(),
        st.integers(),
        st.dictionaries(
            st.sampled_from(["id", "phase", "name", "due", "status", "done_on"]),
            st.one_of(
                st.none(),
                st.text(max_size=12),
                st.sampled_from(
                    [
                        "discovery",
                        "signature",
                        "go-live",
                        "trial",
                        "Done",
                        "In progress",
                        "2027-03-10",
                        "2027-02-30",
                        "Contract",
                    ]
                ),
                st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)).map(str),
            ),
        ),
    ),
    max_size=25,
)


@settings(max_examples=150, deadline=None)
@given(
    rows=rows,
    name=st.sampled_from(sorted(TEMPLATES)),
    today=st.dates(date(2026, 1, 1), date(2028, 1, 1)),
)
def test_any_rows_a_buyer_can_leave_are_scheduled_without_error(rows, name, today):
    template = TEMPLATES[name]
    plan = plan_schedule(template, rows)
    for seen in outlook(plan, today).values():
        if seen.needed is not None:
            assert seen.needed.day >= today
        if seen.close is not None and seen.committed is not None:
            assert seen.close >= seen.committed


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_the_tree_has_no_loop_and_ends_at_go_live(name):
    template, steps = fresh_steps(name)
    plan = plan_schedule(template, steps)
    for step in plan.steps:
        seen = {step.key}
        current = step.anchor
        while current is not None:
            assert current not in seen, (step.key, current)
            seen.add(current)
            current = plan.by_key()[current].anchor
        assert step.milestone is Milestone.GO_LIVE or "go-live" in seen
