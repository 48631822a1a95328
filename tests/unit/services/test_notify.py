"""The notification pass with a fake mailer and a SQLite store: each message once, whatever
happens (a pass run again, two at once, a send that failed or whose outcome is unknown)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from addon.domain.model import PlanDocument, Side
from addon.domain.reminders import OutgoingMail
from addon.domain.schedule import schedule
from addon.domain.snapshot import initial_snapshot
from addon.domain.templates import find_template
from addon.google.errors import InvalidRequest, ServerError
from addon.services.notify import Notifier, read_stop_token, stop_token
from addon.store import DealRecord, DealStatus, OutcomeRecord, PersonRecord, Store

MADE = date(2027, 3, 1)  # a Monday
OWNER = "maya.patel@vendor.example"
ANN = "ann@acme.example"


class FakeMailer:
    """Records what it is asked to send; can fail as Google would."""

    def __init__(self) -> None:
        self.sent: list[OutgoingMail] = []
        self.drafts: list[OutgoingMail] = []
        self.fail: Exception | None = None
        self.lock = threading.Lock()

    def send(self, mail: OutgoingMail) -> str:
        if self.fail is not None:
            raise self.fail
        with self.lock:
            self.sent.append(mail)
            return f"m{len(self.sent)}"

    def draft(self, mail: OutgoingMail) -> str:
        with self.lock:
            self.drafts.append(mail)
            return f"r{len(self.drafts)}"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = made_store(tmp_path / "map.sqlite3")
    yield opened
    opened.close()


def made_store(path: Path) -> Store:
    """A SQLite store with one live deal of Maya Patel's, Acme's mid-market plan."""
    opened = Store.open(f"sqlite:///{path}")
    template = find_template("mid-market")
    go_live = MADE + timedelta(weeks=8)
    plan = schedule(template, go_live, MADE)
    made = datetime.combine(MADE, datetime.min.time(), tzinfo=UTC)
    with opened.transaction() as tx:
        tx.deals.insert(
            DealRecord(
                deal_id="d_acme",
                name="Acme rollout",
                buyer_company="Acme",
                owner_email=OWNER,
                template=template.name,
                template_version=template.version,
                go_live=go_live,
                created_at=made,
                updated_at=made,
                spreadsheet_id="sheet-1",
                url="https://docs.google.com/spreadsheets/d/sheet-1/edit",
                status=DealStatus.READY,
                people=(PersonRecord(ANN, Side.BUYER, name="Ann Lee", shared=True),),
            )
        )
        document = PlanDocument("d_acme", "Acme rollout", "Acme", template, plan)
        tx.snapshots.insert("d_acme", initial_snapshot(document, OWNER), taken_at=made)
    return opened


def _first_due(store: Store) -> date:
    with store.transaction(read_only=True) as tx:
        snapshot = tx.snapshots.latest("d_acme")
    assert snapshot is not None
    return min(date.fromisoformat(s["due"]) for s in snapshot.payload["steps"])


def _notifier(store: Store, mailer: FakeMailer, today: date) -> Notifier:
    return Notifier(
        store,
        lambda email: mailer,
        "https://map.example",
        today=lambda: today,
        template=lambda name: find_template(name),
    )


def test_a_pass_sends_each_reminder_once_as_the_seller(store: Store) -> None:
    mailer = FakeMailer()
    late = _first_due(store) + timedelta(days=3)
    first = _notifier(store, mailer, late).run_once()
    assert first.sent and {s["kind"] for s in first.sent} <= {"reminder", "overdue", "digest"}
    assert {m.sender for m in mailer.sent} == {OWNER}
    assert {m.sender_name for m in mailer.sent} == {"Maya Patel"}
    assert all(m.to in (ANN, OWNER) for m in mailer.sent)
    assert all(
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click") in m.headers for m in mailer.sent
    )
    again = _notifier(store, mailer, late).run_once()
    assert again.sent == [] and len(mailer.sent) == len(first.sent)


def test_two_passes_at_once_send_each_message_once(store: Store) -> None:
    mailer = FakeMailer()
    late = _first_due(store) + timedelta(days=3)
    threads = [threading.Thread(target=_notifier(store, mailer, late).run_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    keys = [(m.to, m.subject) for m in mailer.sent]
    assert keys and len(keys) == len(set(keys))


def test_an_unknown_outcome_is_not_sent_again_and_a_refusal_is(store: Store) -> None:
    late = _first_due(store) + timedelta(days=3)
    unknown = FakeMailer()
    unknown.fail = ServerError(503, "backend unavailable")
    skipped = _notifier(store, unknown, late).run_once().skipped
    assert skipped and all("not known whether it was sent" in s["reason"] for s in skipped)
    assert _notifier(store, FakeMailer(), late).run_once().sent == []  # at most once


def test_a_refused_send_is_tried_again_next_pass(store: Store) -> None:
    late = _first_due(store) + timedelta(days=3)
    refused = FakeMailer()
    refused.fail = InvalidRequest(400, "Invalid To header")
    skipped = _notifier(store, refused, late).run_once().skipped
    assert skipped and all("tried again next pass" in s["reason"] for s in skipped)
    retry = FakeMailer()
    assert len(_notifier(store, retry, late).run_once().sent) == len(skipped)


def test_opted_out_people_lost_and_paused_deals_get_nothing(store: Store) -> None:
    late = _first_due(store) + timedelta(days=3)
    with store.transaction() as tx:
        tx.opt_outs.add(ANN, "d_acme")
    mailer = FakeMailer()
    _notifier(store, mailer, late).run_once()
    assert mailer.sent and ANN not in {m.to for m in mailer.sent}
    for outcome, revisit in (("lost", None), ("on_hold", late + timedelta(days=9))):
        with store.transaction() as tx:
            tx.outcomes.record(
                OutcomeRecord("d_acme", outcome, late, OWNER, datetime.now(UTC), revisit_on=revisit)
            )
        quiet = FakeMailer()
        _notifier(store, quiet, late + timedelta(days=7)).run_once()
        assert quiet.sent == [], outcome


def test_stop_tokens_cannot_be_forged() -> None:
    token = stop_token("s3cret", "Ann@Acme.example", "d_acme")
    assert read_stop_token("s3cret", token) == ("ann@acme.example", "d_acme")
    assert read_stop_token("other", token) is None
    data, _, signature = token.partition(".")
    forged = stop_token("guess", "bob@acme.example", "d_acme").split(".")[0] + "." + signature
    assert read_stop_token("s3cret", forged) is None
    assert read_stop_token("s3cret", "garbage") is None


def _monday_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 or 7)


def test_a_weekly_digest_for_each_buyer_and_one_for_the_seller_across_deals(store: Store) -> None:
    monday = _monday_after(_first_due(store) + timedelta(days=1))
    mailer = FakeMailer()
    result = _notifier(store, mailer, monday).run_once()
    digests = [m for m in mailer.sent if m.subject.startswith("This week: ")]
    assert sorted(m.to for m in digests) == [ANN, OWNER]
    ann = next(m for m in digests if m.to == ANN)
    assert "Yours to do:" in ann.text and "Hello Ann Lee," in ann.text
    assert "<li>" in ann.html and "Stop these messages" in ann.html
    assert {s["kind"] for s in result.sent if s["to"] in (ANN, OWNER)} >= {"digest"}
    later = FakeMailer()
    _notifier(store, later, monday + timedelta(days=2)).run_once()  # same week, not Monday
    assert not [m for m in later.sent if m.subject.startswith("This week: ")]
    again = FakeMailer()
    _notifier(store, again, monday).run_once()
    assert not [m for m in again.sent if m.subject.startswith("This week: ")]


def test_an_overdue_critical_step_drafts_one_escalation_to_the_sponsors(store: Store) -> None:
    with store.transaction() as tx:
        deal = tx.deals.get("d_acme")
        assert deal is not None
        tx.deals.add_person(
            "d_acme",
            PersonRecord("cfo@acme.example", Side.BUYER, name="Cy Fo", role="Economic buyer"),
        )
    late = _first_due(store) + timedelta(days=21)
    mailer = FakeMailer()
    result = _notifier(store, mailer, late).run_once()
    assert result.drafted and all(d["kind"] == "escalation" for d in result.drafted)
    assert all(m.to == "cfo@acme.example" for m in mailer.drafts)
    assert not [m for m in mailer.sent if "dates are at risk" in m.subject]  # drafted, never sent
    assert "business days overdue" in mailer.drafts[0].text
    again = FakeMailer()
    assert _notifier(store, again, late).run_once().drafted == []


def test_a_deal_turned_off_sends_nothing_and_days_before_and_digest_day_are_the_sellers(
    store: Store,
) -> None:
    first = _first_due(store)
    with store.transaction() as tx:
        tx.notify_settings.set("d_acme", enabled=False, days_before=2, digest_weekday=0, by=OWNER)
    mailer = FakeMailer()
    assert _notifier(store, mailer, first - timedelta(days=1)).run_once().sent == []
    assert mailer.sent == []

    with store.transaction() as tx:  # on again: remind on the day only, digest on Wednesdays
        tx.notify_settings.set("d_acme", enabled=True, days_before=0, digest_weekday=2, by=OWNER)
    ahead = _notifier(store, mailer, first - timedelta(days=1)).run_once().sent
    assert [s for s in ahead if s["kind"] == "reminder"] == []  # not yet: the day it is due
    on_the_day = _notifier(store, mailer, first).run_once().sent
    assert {s["kind"] for s in on_the_day} >= {"reminder"}
    monday = first + timedelta(days=(7 - first.weekday()) % 7 or 7)
    wednesday = monday + timedelta(days=2)
    assert "digest" not in {
        s["kind"] for s in _notifier(store, mailer, monday).run_once().sent if s["to"] == ANN
    }
    sent_wednesday = _notifier(store, mailer, wednesday).run_once().sent
    assert ("digest", ANN) in {(s["kind"], s["to"]) for s in sent_wednesday}


def test_a_person_the_seller_turned_off_gets_nothing(store: Store) -> None:
    with store.transaction() as tx:
        tx.opt_outs.add(ANN, "d_acme", set_by=OWNER)
    mailer = FakeMailer()
    late = _first_due(store) + timedelta(days=3)
    _notifier(store, mailer, late).run_once()
    assert mailer.sent and all(m.to != ANN for m in mailer.sent)


def test_one_message_a_day_per_person_and_deal_lists_each_step_once(store: Store) -> None:
    with store.transaction(read_only=True) as tx:
        snapshot = tx.snapshots.latest("d_acme")
    assert snapshot is not None
    dues = sorted({date.fromisoformat(s["due"]) for s in snapshot.payload["steps"]})
    late = dues[2] + timedelta(days=1)  # the first three due dates have passed
    mailer = FakeMailer()
    result = _notifier(store, mailer, late).run_once()
    to_ann = [s for s in result.sent if s["to"] == ANN and s["kind"] in ("reminder", "overdue")]
    assert len(to_ann) == 1 and len(to_ann[0]["steps"]) >= 3
    (message,) = [m for m in mailer.sent if m.to == ANN and "need you" in m.subject]
    assert all(f"- {name} (" in message.text for name in to_ann[0]["steps"])

    later = FakeMailer()  # the next due date passes: a message of that step alone
    next_day = dues[3] + timedelta(days=1)
    again = _notifier(store, later, next_day).run_once().sent
    newly = [s for s in again if s["to"] == ANN and s["kind"] == "overdue"]
    overdue_before = {
        s["name"]
        for s in snapshot.payload["steps"]
        if date.fromisoformat(s["due"]) < late and s["owner_side"] in ("Buyer", "Both")
    }
    assert overdue_before and newly
    assert all(not set(s["steps"]) & overdue_before for s in newly)
