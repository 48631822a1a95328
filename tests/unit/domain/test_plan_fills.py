"""The dates the watch fills when a person leaves them blank: "Done on" of a step just marked
done (`plan_fills`) and "agreed on" of a side that just ticked (`agreement.review`)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from test_agreement import ANN, PLAN, WHEN, edited, read

from addon.domain.attribution import Actor
from addon.domain.event_model import EventKind, PlanEvent
from addon.domain.layout import PLAN_HEADERS
from addon.domain.plan_fills import done_on_fills, with_done_on

HEADER = list(PLAN_HEADERS)


def _done(step_id: str, on: str = "2027-01-14", kind: EventKind = EventKind.STEP_DONE) -> Any:
    return PlanEvent(
        event_id=f"e-{step_id}",
        deal_id="d",
        kind=kind,
        occurred_at=datetime(2027, 1, 14, tzinfo=UTC),
        subject=step_id,
        subject_label=step_id,
        before="In progress",
        after="Done",
        actor=ANN,
        details={"done_on": on},
    )


STEPS = [
    {"id": "kickoff", "row": 2, "status": "Done", "done_on": None},
    {"id": "security", "row": 3, "status": "Done", "done_on": "2027-01-10"},
    {"id": "legal", "row": 5, "status": "Not started", "done_on": None},
]


def test_a_step_done_with_a_blank_done_on_is_filled_at_its_row() -> None:
    fills = done_on_fills([_done("kickoff")], STEPS, [HEADER])
    assert fills == [("Plan!H2", date(2027, 1, 14))]
    steps = with_done_on({"steps": STEPS}, fills)["steps"]
    assert [s["done_on"] for s in steps] == ["2027-01-14", "2027-01-10", None]


def test_a_date_a_person_typed_and_other_changes_are_left_alone() -> None:
    events = [_done("security"), _done("legal", kind=EventKind.STEP_STATUS_CHANGED)]
    assert done_on_fills(events, STEPS, [HEADER]) == []


def test_the_done_on_column_is_found_by_its_header_or_nothing_is_filled() -> None:
    moved = ["Done on", *[h for h in HEADER if h != "Done on"]]
    assert done_on_fills([_done("kickoff")], STEPS, [moved]) == [("Plan!A2", date(2027, 1, 14))]
    without = [h for h in HEADER if h != "Done on"]
    assert done_on_fills([_done("kickoff")], STEPS, [without]) == []
    assert done_on_fills([_done("kickoff")], STEPS, None) == []


def test_a_tick_without_agreed_on_is_dated_the_day_it_was_seen() -> None:
    ticked = edited(PLAN, deal={"plan_agreed_buyer": True})
    outcome = read(PLAN, ticked, ANN)
    day = WHEN.date().isoformat()
    assert outcome.deal["plan_agreed_buyer_on"] == day
    assert outcome.cells == {"plan_agreed_buyer_on": day}  # written with the read's writes
    (agreed,) = [e for e in outcome.events if e.kind is EventKind.PLAN_AGREED]
    assert agreed.details["agreed_on"] == day


def test_a_tick_with_its_date_keeps_the_date_typed() -> None:
    ticked = edited(PLAN, deal={"plan_agreed_buyer": True, "plan_agreed_buyer_on": "2027-01-02"})
    outcome = read(PLAN, ticked, ANN)
    assert outcome.deal["plan_agreed_buyer_on"] == "2027-01-02" and outcome.cells == {}


def test_a_refused_tick_gets_no_date() -> None:
    ticked = edited(PLAN, deal={"plan_agreed_seller": True})
    outcome = read(PLAN, ticked, Actor("ann@acme.com", "buyer"))
    assert outcome.deal["plan_agreed_seller_on"] is None
    assert outcome.cells == {"plan_agreed_seller": False}  # put back, not dated
