"""A notification pass split into a queue's tasks: a deal's part, a seller's digest, a team's
digest. Run apart, in any order and twice, the tasks send what one whole pass sends, each
message once; a whole pass after them sends nothing (the claims are shared)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import test_notify
from test_notify import ANN, OWNER, FakeMailer, _first_due, made_store

from addon.domain.notify_task import NotifyTask
from addon.domain.team_digest import NeedsManager
from addon.domain.teams import Team
from addon.domain.templates import find_template
from addon.services.notify import NEEDS, Notifier
from addon.store import Store

store = test_notify.store
MANAGER = "lena.ortiz@vendor.example"
TEAM = Team("emea", managers=(MANAGER,), sellers=(OWNER,))


def _notifier(store: Store, mailer: FakeMailer, today: date) -> Notifier:
    return Notifier(
        store, lambda email: mailer, "https://map.example", today=lambda: today,
        template=find_template, teams=lambda: [TEAM],
    )  # fmt: skip


def _needs_manager(store: Store) -> None:
    row = NeedsManager(
        deal_id="d_acme", owner=OWNER, deal="Acme rollout", buyer="Acme", severity="high",
        why="Signature slipped 5 business days", ask="What moved it?", more=0,
        plan_url="https://docs.google.com/spreadsheets/d/sheet-1/edit", amount=80_000.0,
    )  # fmt: skip
    found = {"url": "https://docs.google.com/spreadsheets/d/review/edit", "rows": [row]}
    with store.transaction() as tx:
        tx.cursors.set(NEEDS + TEAM.name, json.dumps(found, default=lambda r: r.as_json()))


def _digest_monday(store: Store) -> date:
    """A Monday (the digest day) with the plan's first step a few days overdue."""
    day = _first_due(store) + timedelta(days=3)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _messages(mailer: FakeMailer) -> list[tuple[str, str, str]]:
    return sorted((m.sender, m.to, m.subject) for m in [*mailer.sent, *mailer.drafts])


def test_the_parts_of_a_digest_day_are_each_deal_each_seller_and_each_team(store: Store) -> None:
    monday = _digest_monday(store)
    notifier = _notifier(store, FakeMailer(), monday)
    assert [(t.scope, t.subject) for t in notifier.tasks()] == [
        ("deal", "d_acme"),
        ("seller", OWNER),
        ("team", "emea"),
    ]
    assert {t.day for t in notifier.tasks()} == {monday}
    tuesday = monday + timedelta(days=1)
    assert [t.scope for t in _notifier(store, FakeMailer(), tuesday).tasks()] == ["deal"]


def test_tasks_run_apart_in_any_order_and_twice_send_what_one_pass_sends(
    store: Store, tmp_path: Path
) -> None:
    monday = _digest_monday(store)
    _needs_manager(store)
    whole_store = made_store(tmp_path / "whole.sqlite3")
    _needs_manager(whole_store)
    try:
        whole = FakeMailer()
        _notifier(whole_store, whole, monday).run_once()
    finally:
        whole_store.close()
    assert {m.to for m in whole.sent} == {ANN, OWNER, MANAGER}  # reminders and three digests

    parts = FakeMailer()
    notifier = _notifier(store, parts, monday)
    tasks = notifier.tasks()
    for task in [*reversed(tasks), *tasks]:  # a queue may deliver late, out of order, twice
        notifier.run(NotifyTask.from_json(json.loads(json.dumps(task.as_json()))))
    assert _messages(parts) == _messages(whole)
    assert notifier.run_once().sent == []


def test_a_task_delivered_the_next_day_sends_its_own_days_digests(store: Store) -> None:
    monday = _digest_monday(store)
    mailer = FakeMailer()
    tasks = _notifier(store, mailer, monday).tasks()
    late = _notifier(store, mailer, monday + timedelta(days=1))  # the queue ran it on Tuesday
    sent = [s for task in tasks for s in late.run(task).sent]
    assert ("digest", ANN) in {(s["kind"], s["to"]) for s in sent}


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ([], "a notify task needs a JSON object"),
        ({"scope": "everyone", "subject": "x", "day": "2027-03-01"}, "scope must be one of"),
        ({"scope": "deal", "subject": " ", "day": "2027-03-01"}, "subject must be a non-empty"),
        ({"scope": "deal", "subject": "d_1", "day": "next monday"}, "day must be a date"),
        ({"scope": "deal", "subject": "d_1"}, "day must be a date"),
    ],
)
def test_a_body_that_is_no_notify_task_says_what_is_wrong(body: object, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        NotifyTask.from_json(body)


def test_a_task_is_named_by_its_part_and_day() -> None:
    task = NotifyTask("seller", OWNER, date(2027, 3, 1))
    assert task.name == f"notify-seller-{OWNER}-2027-03-01"
    assert NotifyTask.from_json(task.as_json()) == task
