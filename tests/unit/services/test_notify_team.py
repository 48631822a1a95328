"""A manager's weekly team digest: the deals the last review says need them, sent once, as the
manager, to the manager; nothing when no deal needs them; nothing after they said stop."""

from __future__ import annotations

import json
from datetime import date, timedelta

import test_notify
from test_notify import MADE, OWNER, FakeMailer

from addon.domain.team_digest import NeedsManager
from addon.domain.teams import Team
from addon.services.notify import NEEDS, Notifier, read_stop_token
from addon.services.stop_links import notify_secret
from addon.store import Store

store = test_notify.store  # the same store fixture: one deal of Maya Patel's
MANAGER = "lena.ortiz@vendor.example"
MONDAY = MADE + timedelta(weeks=2)  # the digest day
TEAM = Team("emea", managers=(MANAGER,), sellers=(OWNER,))


def _needs(store: Store, rows: list[NeedsManager]) -> None:
    found = {"url": "https://docs.google.com/spreadsheets/d/review/edit", "rows": rows}
    with store.transaction() as tx:
        tx.cursors.set(NEEDS + TEAM.name, json.dumps(found, default=lambda r: r.as_json()))


def _pass(store: Store, mailer: FakeMailer, today: date) -> list[dict[str, object]]:
    notifier = Notifier(
        store, lambda email: mailer, "https://map.example", today=lambda: today,
        teams=lambda: [TEAM],
    )  # fmt: skip
    return [s for s in notifier.run_once().sent if s["kind"] == "team_digest"]


ROW = NeedsManager(
    deal_id="d_acme",
    owner=OWNER,
    deal="Acme rollout",
    buyer="Acme <b>Corp</b>",
    severity="high",
    why="Remaining work cannot fit: 30 business days of work, 12 left",
    ask="Which steps can run in parallel?",
    more=2,
    plan_url="https://docs.google.com/spreadsheets/d/sheet-1/edit",
    amount=80_000.0,
)


def test_the_manager_gets_one_digest_a_week_as_themselves(store: Store) -> None:
    _needs(store, [ROW])
    mailer = FakeMailer()
    sent = _pass(store, mailer, MONDAY)
    assert [(s["to"], s["team"], s["deals"]) for s in sent] == [(MANAGER, "emea", 1)]
    (mail,) = [m for m in mailer.sent if m.to == MANAGER]
    assert mail.sender == MANAGER  # sent as the manager, to the manager
    assert mail.subject == "This week in team emea: 1 deals need you"
    assert "Maya Patel:" in mail.text  # the seller by name, not address
    assert "Why: Remaining work cannot fit: 30 business days of work, 12 left (and 2 more)" in (
        mail.text
    )
    assert "Ask: Which steps can run in parallel?" in mail.text
    assert "Acme &lt;b&gt;Corp&lt;/b&gt;" in mail.html and "<b>Corp</b>" not in mail.html
    assert "https://docs.google.com/spreadsheets/d/review/edit" in mail.text
    assert _pass(store, mailer, MONDAY) == []  # once a week
    assert _pass(store, mailer, MONDAY + timedelta(days=1)) == []  # only on the digest day


def test_no_deal_needing_the_manager_sends_nothing(store: Store) -> None:
    _needs(store, [])
    assert _pass(store, FakeMailer(), MONDAY) == []


def test_a_deal_gone_from_the_store_is_left_out(store: Store) -> None:
    _needs(store, [NeedsManager(**{**ROW.as_json(), "deal_id": "d_deleted"})])
    assert _pass(store, FakeMailer(), MONDAY) == []


def test_a_manager_who_said_stop_gets_nothing(store: Store) -> None:
    _needs(store, [ROW])
    mailer = FakeMailer()
    _pass(store, mailer, MONDAY)
    (mail,) = [m for m in mailer.sent if m.to == MANAGER]
    link = dict(mail.headers)["List-Unsubscribe"].strip("<>")
    token = link.split("token=")[1].replace("%3D", "=")
    found = read_stop_token(notify_secret(store), token)
    assert found == (MANAGER, "")  # the link stops every message to the manager
    with store.transaction() as tx:
        tx.opt_outs.add(MANAGER)
    assert _pass(store, FakeMailer(), MONDAY + timedelta(weeks=1)) == []
