"""Sign-off each side owns: refused changes, stale agreements, the status line (pure)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from addon.domain.agreement import (
    NOT_AGREED,
    AgreementState,
    Materiality,
    Outcome,
    agreed,
    review,
    sheet_view,
    status_text,
)
from addon.domain.attribution import Actor
from addon.domain.events import PlanEvent, diff
from addon.domain.model import GO_LIVE, Milestone, Side, StepSpec, Template

ANN = Actor("ann@acme.com", "buyer")
SAM = Actor("sam@vendor.io", "seller")
EITHER = Actor(None, "unknown", candidates=("ann@acme.com", "sam@vendor.io"))
SERVICE = Actor("map@svc.example.com", "unknown")
WHEN = datetime(2027, 1, 14, 9, 30, tzinfo=UTC)

TEMPLATE = Template(
    "t",
    "T",
    1,
    "",
    (
        StepSpec("proposal", "Decide", "Proposal", Side.SELLER, 2, critical=True),
        StepSpec("legal", "Contract", "Legal review", Side.BUYER, 5),
        StepSpec(
            "sign",
            "Contract",
            "Signature",
            Side.BOTH,
            0,
            critical=True,
            milestone=Milestone.SIGNATURE,
        ),
        StepSpec(
            GO_LIVE,
            "Launch",
            "Go-live",
            Side.BOTH,
            0,
            critical=True,
            milestone=Milestone.GO_LIVE,
        ),
    ),
)

PLAN: dict[str, Any] = {
    "steps": [
        {"id": "proposal", "phase": "Decide", "name": "Proposal", "due": "2027-02-01"},
        {"id": "legal", "phase": "Contract", "name": "Legal review", "due": "2027-02-10"},
        {"id": "sign", "phase": "Contract", "name": "Signature", "due": "2027-02-15"},
        {"id": GO_LIVE, "phase": "Launch", "name": "Go-live", "due": "2027-04-01"},
    ],
    "deal": {
        "go_live": "2027-04-01",
        "plan_agreed_buyer": False,
        "plan_agreed_buyer_on": None,
        "plan_agreed_seller": False,
        "plan_agreed_seller_on": None,
    },
    "stakeholders": [],
}


def edited(plan: dict[str, Any], *, deal: dict[str, Any] | None = None, **due: str) -> Any:
    out = copy.deepcopy(plan)
    out["deal"].update(deal or {})
    for step in out["steps"]:
        if step["id"] in due:
            step["due"] = due[step["id"]]
    return out


def read(previous: dict[str, Any], sheet: dict[str, Any], actor: Actor) -> Outcome:
    """What the watch makes of a read of `sheet` after `previous`, every change by `actor`."""
    events = diff(
        sheet_view(previous), sheet, deal_id="d", base_seq=1, occurred_at=WHEN, actor=actor
    )
    return review(
        previous=previous,
        current_deal=sheet["deal"],
        events=events,
        materiality=Materiality.of(TEMPLATE, sheet["steps"]),
        deal_id="d",
        base_seq=1,
        occurred_at=WHEN,
        service_actor=SERVICE,
    )


def stored(plan: dict[str, Any], outcome: Outcome) -> dict[str, Any]:
    """The snapshot the watch stores, once its writes landed."""
    return {**plan, "deal": outcome.deal, "agreement": outcome.written().as_json()}


def kinds(outcome: Outcome) -> list[str]:
    return [e.kind.value for e in outcome.events]


def both_agreed() -> dict[str, Any]:
    ticked = edited(PLAN, deal={"plan_agreed_buyer": True, "plan_agreed_buyer_on": "2027-01-10"})
    after_ann = stored(ticked, read(PLAN, ticked, ANN))
    both = edited(ticked, deal={"plan_agreed_seller": True, "plan_agreed_seller_on": "2027-01-11"})
    return stored(both, read(after_ann, both, SAM))


def test_each_side_agrees_for_itself() -> None:
    plan = both_agreed()
    assert agreed(plan["deal"])
    assert plan["agreement"]["status"] == (
        "Agreed by both sides (buyer on 2027-01-10, seller on 2027-01-11)"
    )


@pytest.mark.parametrize("actor", [SAM, EITHER], ids=["the other side", "one of two sides"])
def test_a_sign_off_changed_by_anyone_but_its_side_is_refused_and_put_back(actor: Actor) -> None:
    sheet = edited(PLAN, deal={"plan_agreed_buyer": True, "plan_agreed_buyer_on": "2027-01-12"})
    outcome = read(PLAN, sheet, actor)

    (refused,) = outcome.events
    assert refused.kind.value == "agreement_refused"
    assert refused.details["side"] == "buyer" and refused.details["refused"] == "plan_agreed"
    assert refused.actor == actor
    assert outcome.deal["plan_agreed_buyer"] is False  # not counted
    assert outcome.cells == {"plan_agreed_buyer": False, "plan_agreed_buyer_on": None}
    assert outcome.status == NOT_AGREED


def test_a_refused_tick_left_in_the_sheet_is_not_news_again_but_put_back_again() -> None:
    sheet = edited(PLAN, deal={"plan_agreed_buyer": True})
    first = read(PLAN, sheet, SAM)
    # The write putting it back failed: the snapshot remembers the sheet as it was seen.
    unwritten = {**sheet, "deal": first.deal, "agreement": first.state.as_json()}
    again = read(unwritten, sheet, ANN)  # Ann edits something else meanwhile
    assert again.events == []
    assert again.deal["plan_agreed_buyer"] is False
    assert again.cells == {"plan_agreed_buyer": False}


def test_the_sides_own_withdrawal_counts_and_someone_elses_does_not() -> None:
    plan = both_agreed()
    unticked = edited(plan, deal={"plan_agreed_seller": False})
    assert kinds(read(plan, unticked, ANN)) == ["agreement_refused"]
    assert read(plan, unticked, ANN).deal["plan_agreed_seller"] is True
    withdrawn = read(plan, unticked, SAM)
    assert kinds(withdrawn) == ["plan_withdrawn"]
    assert withdrawn.deal["plan_agreed_seller"] is False
    assert withdrawn.status == "Agreed by the buyer only"


@pytest.mark.parametrize(
    ("change", "what"),
    [
        ({"proposal": "2027-02-05"}, "Moved Proposal"),  # a critical step re-dated
        ({"sign": "2027-02-22"}, "Moved Signature"),  # a milestone row moved
        ({}, "Moved go-live"),  # the Deal tab's go-live moved
    ],
)
def test_a_material_change_after_both_agreed_makes_the_agreement_stale(
    change: dict[str, str], what: str
) -> None:
    plan = both_agreed()
    deal = {} if change else {"go_live": "2027-04-15"}
    outcome = read(plan, edited(plan, deal=deal, **change), ANN)

    assert kinds(outcome)[-1] == "agreement_stale"
    stale = outcome.events[-1]
    assert stale.actor == SERVICE
    assert stale.details["sides"] == ["buyer", "seller"]
    assert stale.details["since"] == "2027-01-14"
    assert stale.details["changes"][0].startswith(what)
    assert not agreed(outcome.deal)
    assert outcome.cells == {
        "plan_agreed_buyer": False,
        "plan_agreed_buyer_on": None,
        "plan_agreed_seller": False,
        "plan_agreed_seller_on": None,
    }
    assert outcome.status.startswith(f"Stale since 2027-01-14: {what}")


def test_other_changes_leave_the_agreement_standing() -> None:
    plan = both_agreed()
    outcome = read(plan, edited(plan, legal="2027-02-12"), ANN)  # not a critical step
    assert kinds(outcome) == ["due_date_moved"]
    assert agreed(outcome.deal) and outcome.cells == {}


def test_a_step_added_among_the_critical_steps_is_material() -> None:
    plan = both_agreed()
    added = copy.deepcopy(plan)
    added["steps"].append(
        {"id": "b-x", "phase": "Contract", "name": "Board sign-off", "due": "2027-02-20"}
    )
    early = copy.deepcopy(plan)
    early["steps"].append({"id": "b-y", "phase": "Contract", "name": "Intro", "due": "2027-01-20"})
    assert kinds(read(plan, added, ANN))[-1] == "agreement_stale"
    assert kinds(read(plan, early, ANN)) == ["step_added"]


def test_stale_until_both_agree_again_and_a_fresh_tick_stands() -> None:
    plan = both_agreed()
    moved = edited(plan, proposal="2027-02-05")
    outcome = read(plan, moved, ANN)
    stale = stored({**moved, "deal": {**moved["deal"], **outcome.cells}}, outcome)
    assert stale["agreement"]["stale"]["sides"] == ["buyer", "seller"]

    # The buyer agrees again while moving another critical step: their new tick stands.
    again = edited(stale, deal={"plan_agreed_buyer": True}, proposal="2027-02-08")
    buyer_back = read(stale, again, ANN)
    assert buyer_back.deal["plan_agreed_buyer"] is True
    assert "agreement_stale" not in kinds(buyer_back)
    after = stored(again, buyer_back)
    assert after["agreement"]["stale"] is not None
    assert buyer_back.status.startswith("Stale since") and "Agreed by the buyer only" in (
        buyer_back.status
    )

    both = edited(after, deal={"plan_agreed_seller": True})
    done = read(after, both, SAM)
    assert agreed(done.deal) and done.state.stale is None
    # neither tick came with an "agreed on" date: each is the day the tick was seen
    assert done.status == "Agreed by both sides (buyer on 2027-01-14, seller on 2027-01-14)"


def test_a_snapshot_from_before_sign_off_was_kept_reads_as_its_deal_facts() -> None:
    state = AgreementState.of({"deal": {"plan_agreed_buyer": True}})
    assert state.sheet["plan_agreed_buyer"] is True and state.status == NOT_AGREED
    assert status_text({"plan_agreed_buyer": True}, None) == "Agreed by the buyer only"


def test_events_keep_their_order_and_ids_are_stable() -> None:
    sheet = edited(PLAN, deal={"plan_agreed_seller": True}, legal="2027-02-12")
    first, second = read(PLAN, sheet, ANN), read(PLAN, sheet, ANN)
    assert [e.event_id for e in first.events] == [e.event_id for e in second.events]
    assert kinds(first) == ["due_date_moved", "agreement_refused"]
    assert len({e.event_id for e in first.events}) == 2
    assert all(isinstance(e, PlanEvent) for e in first.events)
