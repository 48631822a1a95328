"""Reminders on a plan made from the shipped mid-market template (created Monday 2027-03-01)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from shipped_plans import PLAN_DAY, TEMPLATES, fresh_steps

from addon.domain.businessdays import add_business_days
from addon.domain.reminders import (
    DAYS_BEFORE,
    OVERDUE,
    REMINDER,
    Person,
    ReminderSettings,
    due_reminders,
    owners_of,
    render,
    render_reminders,
)

ANN = Person("ann@acme.example", "Ann Lee", "buyer")
BOB = Person("bob@acme.example", "Bob Ng", "buyer")
SAM = Person("sam@vendor.example", "Sam Seller", "seller")
PEOPLE = (ANN, BOB, SAM)
HOLIDAYS = TEMPLATES["mid-market"].holidays


def _plan() -> dict[str, Any]:
    _, steps = fresh_steps("mid-market")
    return {"steps": steps}


def _due(snapshot: dict[str, Any], today: date, **kw: Any) -> list[Any]:
    return due_reminders(
        "d_1", snapshot, PEOPLE, today=today, created=PLAN_DAY, holidays=HOLIDAYS, **kw
    )


def test_a_fresh_plan_reminds_the_first_steps_owners_two_business_days_ahead() -> None:
    snapshot = _plan()
    first = min(snapshot["steps"], key=lambda s: s["due"])
    due = date.fromisoformat(first["due"])
    assert _due(snapshot, add_business_days(due, -3, frozenset(HOLIDAYS))) == []
    two_before = add_business_days(due, -2, frozenset(HOLIDAYS))
    found = [r for r in _due(snapshot, two_before) if r.step_id == first["id"]]
    assert {(r.kind, r.days) for r in found} == {(REMINDER, 2)}
    assert {r.to for r in found} == set(owners_of(first, PEOPLE))
    # the same key the next day: the sender sends each key once
    next_day = [
        r for r in _due(snapshot, two_before + timedelta(days=1)) if r.step_id == first["id"]
    ]
    assert {r.key for r in next_day} == {r.key for r in found}


def test_an_overdue_step_gets_one_overdue_notice_and_a_done_step_none() -> None:
    snapshot = _plan()
    step = min(snapshot["steps"], key=lambda s: s["due"])
    late = date.fromisoformat(step["due"]) + timedelta(days=7)
    overdue = [r for r in _due(snapshot, late) if r.step_id == step["id"]]
    assert overdue and {r.kind for r in overdue} == {OVERDUE}
    assert all(r.days > 0 for r in overdue)
    step["status"] = "Done"
    assert [r for r in _due(snapshot, late) if r.step_id == step["id"]] == []


def test_a_moved_due_date_is_a_new_reminder() -> None:
    snapshot = _plan()
    step = min(snapshot["steps"], key=lambda s: s["due"])
    due = date.fromisoformat(step["due"])
    before = {r.key for r in _due(snapshot, due) if r.step_id == step["id"]}
    step["due"] = (due + timedelta(days=14)).isoformat()
    later = {r.key for r in _due(snapshot, due + timedelta(days=13)) if r.step_id == step["id"]}
    assert before and later and not before & later


def test_the_owner_cell_names_a_person_only_among_the_deals_people() -> None:
    step = {"owner": "  bob NG ", "owner_side": "Buyer"}
    assert owners_of(step, PEOPLE) == [BOB]
    # a name or address the seller never put on the deal: the side's people, not a stranger
    stranger = {"owner": "mallory@evil.example", "owner_side": "Buyer"}
    assert owners_of(stranger, PEOPLE) == [ANN, BOB]
    assert owners_of({"owner": "", "owner_side": "Both"}, PEOPLE) == [ANN, BOB, SAM]
    assert owners_of({"owner_side": "Seller"}, PEOPLE) == [SAM]


def test_opted_out_people_and_disabled_deals_get_nothing() -> None:
    snapshot = _plan()
    step = min(snapshot["steps"], key=lambda s: s["due"])
    late = date.fromisoformat(step["due"]) + timedelta(days=7)
    everyone = {r.to.email for r in _due(snapshot, late)}
    stopped = {r.to.email for r in _due(snapshot, late, opted_out=["ANN@acme.example"])}
    assert "ann@acme.example" in everyone and "ann@acme.example" not in stopped
    assert _due(snapshot, late, settings=ReminderSettings(enabled=False)) == []


def test_a_step_dated_before_the_plan_was_made_is_nobodys_overdue_work() -> None:
    snapshot = {"steps": [{"id": "old", "name": "Old", "owner_side": "Buyer", "due": "2027-02-01"}]}
    assert _due(snapshot, PLAN_DAY + timedelta(days=3)) == []


def test_the_message_escapes_what_the_buyer_typed_and_keeps_headers_on_one_line() -> None:
    snapshot = {
        "steps": [
            {
                "id": "x",
                "name": "<img src=x onerror=alert(1)>\r\nBcc: all@evil.example",
                "owner_side": "Buyer",
                "due": (PLAN_DAY + timedelta(days=1)).isoformat(),
            }
        ]
    }
    (reminder, _) = _due(snapshot, PLAN_DAY)
    message = render(
        reminder,
        deal_name="Acme <rollout>",
        plan_url="https://docs.google.com/spreadsheets/d/abc/edit",
        sender="Sam Seller",
        stop_url="https://map.example/notify/stop?t=1&u=2",
    )
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.subject.startswith("Due tomorrow: <img src=x onerror=alert(1)> Bcc:")
    assert "<img" not in message.html and "&lt;img src=x" in message.html
    assert "(Acme <rollout>)" in message.subject and "<rollout>" not in message.html
    assert "Hello Ann Lee," in message.text and "ann@acme.example" not in message.text
    assert "Tuesday 2 March 2027" in message.text
    assert 'href="https://map.example/notify/stop?t=1&amp;u=2"' in message.html


@given(st.dates(date(2027, 1, 1), date(2028, 12, 31)), st.sampled_from(DAYS_BEFORE))
def test_each_key_is_one_step_due_date_kind_and_person(today: date, days_before: int) -> None:
    reminders = _due(_plan(), today, settings=ReminderSettings(days_before=days_before))
    keys = [r.key for r in reminders]
    assert len(keys) == len(set(keys))
    for r in reminders:
        assert (r.kind == OVERDUE) == (r.due < today)
        assert r.kind == OVERDUE or 0 <= r.days <= days_before


@pytest.mark.parametrize(
    "settings", [{"days_before": 6}, {"days_before": -1}, {"digest_weekday": 5}]
)
def test_settings_outside_the_sidebars_choices_are_refused(settings: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        ReminderSettings(**settings)


def test_several_steps_for_one_person_are_one_message_overdue_first() -> None:
    def step(step_id: str, name: str, due: date) -> dict[str, Any]:
        return {"id": step_id, "name": name, "owner_side": "Buyer", "due": due.isoformat()}

    today = PLAN_DAY + timedelta(days=14)  # Monday 15 March 2027
    snapshot = {
        "steps": [
            step("c", "Order <form>", today + timedelta(days=1)),
            step("a", "Trial", today - timedelta(days=4)),
            step("b", "Security questionnaire", today - timedelta(days=2)),
        ]
    }
    mine = [r for r in _due(snapshot, today) if r.to == ANN]
    assert len(mine) == 3
    message = render_reminders(
        mine, deal_name="Acme rollout", plan_url=None, sender="Sam Seller", stop_url="https://s"
    )
    assert message.subject == "3 steps need you: 2 overdue, 1 due soon (Acme rollout)"
    lines = [line for line in message.text.splitlines() if line.startswith("- ")]
    assert lines == [
        "- Trial (overdue, was due Thursday 11 March)",
        "- Security questionnaire (overdue, was due Saturday 13 March)",
        "- Order <form> (due tomorrow, Tuesday 16 March)",
    ]
    assert "<li>Order &lt;form&gt; (due tomorrow" in message.html and "<form>" not in message.html
    single = render_reminders(
        mine[:1], deal_name="Acme rollout", plan_url=None, sender="Sam Seller", stop_url="s"
    )
    assert single == render(
        mine[0], deal_name="Acme rollout", plan_url=None, sender="Sam Seller", stop_url="s"
    )
