"""Digests and escalations on a plan made from the shipped mid-market template."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from shipped_plans import PLAN_DAY, TEMPLATES, fresh_steps

from addon.domain.digests import Change, deal_week, escalations, render_digest, render_escalation
from addon.domain.reminders import Person

ANN = Person("ann@acme.example", "Ann <Lee>", "buyer")
CFO = Person("cfo@acme.example", "Cy Fo", "buyer")
HOLIDAYS = frozenset(TEMPLATES["mid-market"].holidays)
CRITICAL = frozenset(s.id for s in TEMPLATES["mid-market"].steps if s.critical)


def _steps() -> list[dict]:  # type: ignore[type-arg]
    return fresh_steps("mid-market")[1]


def test_a_buyers_week_lists_what_they_owe_and_what_was_done() -> None:
    steps = _steps()
    done = next(s for s in steps if s["owner_side"] == "Both")
    owed = min((s for s in steps if s is not done), key=lambda s: s["due"])
    today = date.fromisoformat(owed["due"]) - timedelta(days=2)
    done.update(status="Done", done_on=(today - timedelta(days=1)).isoformat())
    when = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    changes = [Change(when, "Ann moved <b>Legal</b>", "buyer", "due_date_moved")]
    week = deal_week(
        "d",
        "Rollout",
        "https://x.example/p",
        {"steps": steps},
        changes,
        side="buyer",
        today=today,
        holidays=HOLIDAYS,
    )
    assert week.delivered == (done["name"],)
    assert owed["name"] in [step for step, _, _ in week.owes]
    message = render_digest(ANN, [week], sender="Maya Patel", stop_url="https://m.example/s?t=1")
    assert message is not None
    assert "Hello Ann <Lee>," in message.text and "Ann &lt;Lee&gt;" in message.html
    assert "<b>Legal</b>" not in message.html and "&lt;b&gt;Legal" in message.html
    assert message.subject == "This week: Rollout"


def test_nothing_to_say_is_no_digest() -> None:
    week = deal_week("d", "Rollout", None, {"steps": []}, [], side="buyer", today=PLAN_DAY)
    assert render_digest(ANN, [week], sender="S", stop_url="u") is None


def test_an_escalation_needs_a_sponsor_and_a_critical_step_late_enough() -> None:
    steps = _steps()
    first = min((s for s in steps if s["id"] in CRITICAL), key=lambda s: s["due"])
    due = date.fromisoformat(first["due"])
    people = [(ANN, "Champion"), (CFO, "Economic buyer")]
    four_late = due + timedelta(days=6)  # Monday+6: four or fewer business days
    found = escalations(
        "d",
        {"steps": steps},
        [],
        people,
        today=due + timedelta(days=14),
        critical=CRITICAL,
        holidays=HOLIDAYS,
    )
    assert [e.to for e in found][:1] == [(CFO,)]
    assert first["name"] in found[0].cause and "business days overdue" in found[0].cause
    assert (
        escalations(
            "d",
            {"steps": steps},
            [],
            [(ANN, "Champion")],
            today=due + timedelta(days=14),
            critical=CRITICAL,
        )
        == []
    )
    assert all(
        e.key != found[0].key
        for e in escalations(
            "d", {"steps": steps}, [], people, today=four_late, critical=CRITICAL, escalate_after=10
        )
    )
    draft = render_escalation(found[0], deal_name="Rollout", plan_url=None, sender="Maya Patel")
    assert draft.subject == "Rollout: the plan's dates are at risk" and "Hello Cy Fo," in draft.text
