"""Snapshot diff -> events: what counts as a change, how slips are counted, stable ids."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from addon.domain.events import Actor, EventKind, PlanEvent, diff, event_id

WHEN = datetime(2027, 1, 14, 9, 30, tzinfo=UTC)
DANA = Actor("dana@acme.com", "buyer")


def plan() -> dict[str, Any]:
    """A small plan in the snapshot format; 2027-01-01 is a Friday."""
    return {
        "layout_version": 1,
        "steps": [
            _step("security-review", "Security review", "Buyer", "2027-01-05"),
            _step("legal-review", "Legal review", "Both", "2027-01-15"),
            _step("signature", "Contract signed", "Both", "2027-02-01"),
            _step("go-live", "Go-live", "Both", "2027-03-01"),
        ],
        "deal": {
            "goal": None,
            "success_criteria": None,
            "go_live": "2027-03-01",
            "signature_target": "2027-02-01",
            "budget_status": None,
            "decision_process": None,
            "alternatives": None,
            "plan_agreed_buyer": False,
            "plan_agreed_buyer_on": None,
            "plan_agreed_seller": False,
            "plan_agreed_seller_on": None,
        },
        "stakeholders": [
            {
                "name": "Dana Smith",
                "email": "dana@acme.com",
                "side": "Buyer",
                "role": "Champion",
                "responsibility": None,
            },
            {
                "name": "Sam Seller",
                "email": "sam@vendor.io",
                "side": "Seller",
                "role": "Account executive",
                "responsibility": None,
            },
        ],
    }


def _step(step_id: str | None, name: str, side: str, due: str | None) -> dict[str, Any]:
    return {
        "id": step_id,
        "phase": "Evaluate",
        "name": name,
        "owner_side": side,
        "owner": None,
        "due": due,
        "status": "Not started",
        "done_on": None,
        "notes": None,
    }


def edited(snapshot: dict[str, Any], step_id: str, **fields: Any) -> dict[str, Any]:
    """A copy of the snapshot with one step's fields changed."""
    result = copy.deepcopy(snapshot)
    for step in result["steps"]:
        if step["id"] == step_id:
            step.update(fields)
    return result


def with_deal(snapshot: dict[str, Any], **facts: Any) -> dict[str, Any]:
    """A copy of the snapshot with some Deal facts changed."""
    result = copy.deepcopy(snapshot)
    result["deal"].update(facts)
    return result


def events_between(
    previous: dict[str, Any], current: dict[str, Any], **kwargs: Any
) -> list[PlanEvent]:
    options: dict[str, Any] = {
        "deal_id": "d_1",
        "base_seq": 3,
        "occurred_at": WHEN,
        "actor": DANA,
    }
    return diff(previous, current, **(options | kwargs))


def kinds(events: list[PlanEvent]) -> list[EventKind]:
    return [event.kind for event in events]


def test_no_change_no_events() -> None:
    assert events_between(plan(), plan()) == []


def test_phase_notes_and_done_on_edits_are_not_events() -> None:
    current = edited(plan(), "legal-review", phase="Contract", notes="Waiting for redlines")
    assert events_between(plan(), current) == []


def test_blank_text_and_missing_values_are_the_same() -> None:
    current = edited(plan(), "legal-review", owner="  ")
    current["deal"]["goal"] = ""
    assert events_between(plan(), current) == []


def test_status_to_done_is_one_step_done_event_with_lateness() -> None:
    current = edited(plan(), "legal-review", status="Done", done_on="2027-01-20")

    [event] = events_between(plan(), current)

    assert event.kind is EventKind.STEP_DONE
    assert (event.subject, event.subject_label) == ("legal-review", "Legal review")
    assert (event.before, event.after) == ("Not started", "Done")
    # Due Friday 15th, done Wednesday 20th: Mon 18, Tue 19, Wed 20.
    assert event.details == {"done_on": "2027-01-20", "late_business_days": 3}


def test_done_on_time_has_no_lateness_and_a_missing_done_date_is_the_day_it_was_seen() -> None:
    on_time = edited(plan(), "legal-review", status="Done", done_on="2027-01-15")
    undated = edited(plan(), "security-review", status="Done")

    assert events_between(plan(), on_time)[0].details == {"done_on": "2027-01-15"}
    # Due the 5th; seen done on the 14th (WHEN) with no Done on date: 7 business days late.
    assert events_between(plan(), undated)[0].details == {
        "done_on": "2027-01-14",
        "late_business_days": 7,
    }


def test_done_to_anything_else_is_a_reopening_and_other_moves_a_status_change() -> None:
    done = edited(plan(), "legal-review", status="Done", done_on="2027-01-15")
    reopened = edited(done, "legal-review", status="In progress")
    started = edited(plan(), "legal-review", status="In progress")

    assert kinds(events_between(done, reopened)) == [EventKind.STEP_REOPENED]
    assert kinds(events_between(plan(), started)) == [EventKind.STEP_STATUS_CHANGED]
    assert events_between(plan(), started)[0].after == "In progress"


def test_due_date_slip_counts_business_days_both_directions() -> None:
    later = edited(plan(), "security-review", due="2027-01-14")
    earlier = edited(plan(), "security-review", due="2027-01-04")

    [slipped] = events_between(plan(), later)
    [pulled_in] = events_between(plan(), earlier)

    assert slipped.kind is EventKind.DUE_DATE_MOVED
    assert (slipped.before, slipped.after) == ("2027-01-05", "2027-01-14")
    assert slipped.details == {"slip_business_days": 7}
    assert pulled_in.details == {"slip_business_days": -1}


def test_due_date_slip_skips_holidays() -> None:
    later = edited(plan(), "security-review", due="2027-01-14")

    [event] = events_between(plan(), later, holidays=[date(2027, 1, 11), date(2027, 1, 12)])

    assert event.details == {"slip_business_days": 5}


def test_due_date_set_or_cleared_is_a_move_without_a_slip() -> None:
    cleared = edited(plan(), "security-review", due=None)

    [event] = events_between(plan(), cleared)
    [back] = events_between(cleared, plan())

    assert (event.kind, event.before, event.after) == (
        EventKind.DUE_DATE_MOVED,
        "2027-01-05",
        None,
    )
    assert event.details == {"slip_business_days": None}
    assert (back.before, back.after, back.details) == (
        None,
        "2027-01-05",
        {"slip_business_days": None},
    )


def test_an_unreadable_date_moves_without_a_slip_instead_of_failing() -> None:
    current = edited(plan(), "security-review", due="next week")

    [event] = events_between(plan(), current)

    assert event.details == {"slip_business_days": None}


def test_owner_owner_side_and_name_changes() -> None:
    current = edited(
        plan(), "legal-review", owner="lee@acme.com", owner_side="Buyer", name="Legal and DPA"
    )

    events = events_between(plan(), current)

    assert kinds(events) == [
        EventKind.OWNER_CHANGED,
        EventKind.OWNER_SIDE_CHANGED,
        EventKind.STEP_RENAMED,
    ]
    assert [(e.before, e.after) for e in events] == [
        (None, "lee@acme.com"),
        ("Both", "Buyer"),
        ("Legal review", "Legal and DPA"),
    ]
    assert {e.subject_label for e in events} == {"Legal and DPA"}


def test_signature_target_change_is_a_signature_slip() -> None:
    current = with_deal(plan(), signature_target="2027-02-12")

    [event] = events_between(plan(), current)

    assert event.kind is EventKind.SIGNATURE_SLIPPED
    assert (event.subject, event.subject_label) == ("signature_target", "Signature target")
    assert (event.before, event.after) == ("2027-02-01", "2027-02-12")
    assert event.details == {"slip_business_days": 9, "milestone": "signature", "source": "deal"}


def test_go_live_fact_change_is_a_go_live_slip() -> None:
    current = with_deal(plan(), go_live="2027-02-26")

    [event] = events_between(plan(), current)

    assert event.kind is EventKind.GO_LIVE_SLIPPED
    assert event.details == {"slip_business_days": -1, "milestone": "go-live", "source": "deal"}


def test_moving_the_go_live_step_is_also_a_go_live_slip() -> None:
    current = edited(plan(), "go-live", due="2027-03-05")

    events = events_between(plan(), current)

    assert kinds(events) == [EventKind.DUE_DATE_MOVED, EventKind.GO_LIVE_SLIPPED]
    assert events[1].subject == "go-live"
    assert events[1].details == {"slip_business_days": 4, "milestone": "go-live", "source": "step"}


def test_go_live_moved_on_both_tabs_to_one_date_is_one_slip() -> None:
    both = with_deal(edited(plan(), "go-live", due="2027-03-05"), go_live="2027-03-05")
    apart = with_deal(edited(plan(), "go-live", due="2027-03-05"), go_live="2027-03-08")

    assert kinds(events_between(plan(), both)) == [
        EventKind.DUE_DATE_MOVED,
        EventKind.GO_LIVE_SLIPPED,
    ]
    assert events_between(plan(), both)[1].details["source"] == "deal"
    assert kinds(events_between(plan(), apart)).count(EventKind.GO_LIVE_SLIPPED) == 2


def test_other_deal_facts_are_fact_changes_with_their_labels() -> None:
    current = with_deal(plan(), budget_status="Budget approved")

    [event] = events_between(plan(), current)

    assert event.kind is EventKind.DEAL_FACT_CHANGED
    assert (event.subject, event.subject_label) == ("budget_status", "Budget status")
    assert (event.before, event.after) == (None, "Budget approved")


def test_plan_agreed_by_buyer_folds_the_date_in() -> None:
    current = with_deal(plan(), plan_agreed_buyer=True, plan_agreed_buyer_on="2027-01-14")

    [event] = events_between(plan(), current)

    assert event.kind is EventKind.PLAN_AGREED
    assert (event.subject, event.before, event.after) == ("plan_agreed_buyer", False, True)
    assert event.details == {"side": "buyer", "agreed_on": "2027-01-14", "agreed_on_before": None}


def test_unticking_plan_agreed_is_a_withdrawal() -> None:
    agreed = with_deal(plan(), plan_agreed_seller=True, plan_agreed_seller_on="2027-01-10")
    withdrawn = with_deal(agreed, plan_agreed_seller=False)

    [event] = events_between(agreed, withdrawn)

    assert event.kind is EventKind.PLAN_WITHDRAWN
    assert event.details == {"side": "seller", "agreed_on": "2027-01-10"}


def test_agreed_on_date_alone_is_a_fact_change_and_an_empty_checkbox_is_not_a_tick() -> None:
    agreed = with_deal(plan(), plan_agreed_buyer=True, plan_agreed_buyer_on="2027-01-10")
    redated = with_deal(agreed, plan_agreed_buyer_on="2027-01-11")
    emptied = with_deal(plan(), plan_agreed_buyer=None)

    assert kinds(events_between(agreed, redated)) == [EventKind.DEAL_FACT_CHANGED]
    assert events_between(plan(), emptied) == []


def test_added_and_removed_steps() -> None:
    current = copy.deepcopy(plan())
    removed = current["steps"].pop(0)
    current["steps"].insert(1, _step("b-7f3a", "Procurement onboarding", "Buyer", "2027-01-25"))

    events = events_between(plan(), current)

    assert kinds(events) == [EventKind.STEP_ADDED, EventKind.STEP_REMOVED]
    added, gone = events
    assert (added.subject, added.subject_label, added.before) == (
        "b-7f3a",
        "Procurement onboarding",
        None,
    )
    assert added.after["due"] == "2027-01-25" and "notes" not in added.after
    assert (gone.subject, gone.after) == ("security-review", None)
    assert gone.before["name"] == removed["name"]


def test_a_row_without_a_step_id_is_matched_by_name() -> None:
    with_row = copy.deepcopy(plan())
    with_row["steps"].append(_step(None, "Board approval", "Buyer", None))
    moved = copy.deepcopy(with_row)
    moved["steps"][-1]["due"] = "2027-01-28"

    [added] = events_between(plan(), with_row)
    [due] = events_between(with_row, moved)

    assert (added.kind, added.subject, added.subject_label) == (
        EventKind.STEP_ADDED,
        None,
        "Board approval",
    )
    assert (due.kind, due.after) == (EventKind.DUE_DATE_MOVED, "2027-01-28")


def test_moving_rows_is_not_a_change() -> None:
    current = copy.deepcopy(plan())
    current["steps"].reverse()

    assert events_between(plan(), current) == []


def test_events_come_in_row_then_removed_then_fact_then_stakeholder_order() -> None:
    current = edited(plan(), "go-live", status="In progress")
    current = edited(current, "security-review", status="Blocked")
    current["steps"].pop(1)  # legal-review
    current = with_deal(current, goal="Cut onboarding time", budget_status="Budget identified")
    current["stakeholders"].pop()

    assert [(e.kind, e.subject) for e in events_between(plan(), current)] == [
        (EventKind.STEP_STATUS_CHANGED, "security-review"),
        (EventKind.STEP_STATUS_CHANGED, "go-live"),
        (EventKind.STEP_REMOVED, "legal-review"),
        (EventKind.DEAL_FACT_CHANGED, "goal"),
        (EventKind.DEAL_FACT_CHANGED, "budget_status"),
        (EventKind.STAKEHOLDER_REMOVED, "sam@vendor.io"),
    ]


def test_stakeholder_role_change() -> None:
    current = copy.deepcopy(plan())
    current["stakeholders"][0].update(email="Dana@ACME.com", role="Economic buyer")

    [event] = events_between(plan(), current)

    assert event.kind is EventKind.STAKEHOLDER_ROLE_CHANGED
    assert (event.subject, event.subject_label) == ("dana@acme.com", "Dana Smith")
    assert (event.before, event.after) == ("Champion", "Economic buyer")


def test_stakeholders_added_and_removed_by_email_or_by_name() -> None:
    current = copy.deepcopy(plan())
    current["stakeholders"].pop(1)
    current["stakeholders"].append(
        {"name": None, "email": "lee@acme.com", "side": "Buyer", "role": "Legal"}
    )
    current["stakeholders"].append({"name": "Pat Jones", "email": None, "side": "Buyer"})

    events = events_between(plan(), current)

    assert [(e.kind, e.subject, e.subject_label) for e in events] == [
        (EventKind.STAKEHOLDER_ADDED, "lee@acme.com", "lee@acme.com"),
        (EventKind.STAKEHOLDER_ADDED, "Pat Jones", "Pat Jones"),
        (EventKind.STAKEHOLDER_REMOVED, "sam@vendor.io", "Sam Seller"),
    ]
    assert events[0].after == {
        "name": None,
        "email": "lee@acme.com",
        "side": "Buyer",
        "role": "Legal",
    }


def test_every_event_carries_the_given_time_in_utc_and_the_given_actor() -> None:
    current = with_deal(edited(plan(), "legal-review", status="Blocked"), goal="Faster close")
    paris = timezone(timedelta(hours=1))

    events = events_between(plan(), current, occurred_at=WHEN.astimezone(paris))

    assert {(e.occurred_at, e.occurred_at.utcoffset(), e.actor) for e in events} == {
        (WHEN, timedelta(0), DANA)
    }
    assert {e.deal_id for e in events} == {"d_1"}


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError):
        events_between(plan(), plan(), occurred_at=datetime(2027, 1, 14, 9, 30))


def test_event_ids_are_deterministic_and_distinct() -> None:
    current = copy.deepcopy(plan())
    for step in current["steps"]:
        step.update(status="Blocked", due="2027-01-29", owner="ops@acme.com")
    current["stakeholders"].reverse()
    current["stakeholders"][0]["role"] = "Seller legal"
    current = with_deal(current, goal="x", go_live="2027-03-02", plan_agreed_buyer=True)

    first = events_between(plan(), current)
    again = events_between(copy.deepcopy(plan()), copy.deepcopy(current))
    next_read = events_between(plan(), current, base_seq=4)

    ids = [e.event_id for e in first]
    assert len(first) > 10
    assert ids == [e.event_id for e in again]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("e_") and len(i) == 22 for i in ids)
    assert not set(ids) & {e.event_id for e in next_read}


def test_event_id_hashes_its_inputs_canonically() -> None:
    one = event_id("d_1", 3, "step_added", "s1", None, {"a": 1, "b": 2})

    assert one == event_id("d_1", 3, EventKind.STEP_ADDED, "s1", None, {"b": 2, "a": 1})
    assert one != event_id("d_2", 3, "step_added", "s1", None, {"a": 1, "b": 2})
    assert one != event_id("d_1", 3, "step_added", "s1", {"a": 1, "b": 2}, None)


def test_hostile_snapshots_do_not_crash_the_diff() -> None:
    junk: dict[str, Any] = {"steps": [None, "row", {"id": None, "name": None}], "deal": "x"}

    assert events_between(junk, {}) == []
    assert kinds(events_between({}, {"steps": [_step("a", "A", "Buyer", None)]})) == [
        EventKind.STEP_ADDED
    ]
