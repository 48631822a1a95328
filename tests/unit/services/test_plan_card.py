"""The plan card use case with in-memory fakes: computed once per version of the plan, computed
again on every change it shows, and its content (warnings, next step, buyers, agreement)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

import pytest
from plan_fakes import MADE, OWNER, TEMPLATES, FakeStore, a_deal, first_snapshot

from addon.domain.model import Side
from addon.domain.teams import Team
from addon.services.plan_card import NotYourPlan, PlanCards
from addon.store import EventRecord, PersonRecord, Store


class Clock:
    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day


def _cards(store: FakeStore, clock: Clock, teams: list[Team] | None = None) -> PlanCards:
    return PlanCards(
        cast(Store, store),
        service_account="svc@map.example.com",
        template=TEMPLATES.get,
        teams=lambda: teams or [],
        today=clock,
    )


@pytest.fixture
def store() -> FakeStore:
    fake = FakeStore()
    deal = a_deal()
    fake.tx.deals.rows[deal.deal_id] = deal
    fake.tx.snapshots.add(deal.deal_id, first_snapshot(deal))
    return fake


def test_a_card_is_computed_once_per_version_and_then_only_read(store: FakeStore) -> None:
    cards = _cards(store, Clock(MADE + timedelta(days=3)))
    first = cards.show(OWNER, "d_1")
    again = [cards.show(OWNER, "d_1") for _ in range(50)]
    assert cards.computed == 1  # a read and a look-up each time, no review computation
    assert all(view.data is first.data for view in again)


def _changed(store: FakeStore, what: str) -> None:
    tx = store.tx
    if what == "snapshot":
        payload = first_snapshot(tx.deals.rows["d_1"])
        payload["steps"][0]["status"] = "Done"
        tx.snapshots.add("d_1", payload)
    elif what == "contact":
        tx.deals.add_person("d_1", PersonRecord("bo@globex.example", Side.BUYER, "Bo", "Legal"))
    elif what == "outcome":
        store.set_outcome("d_1", "on_hold")
    elif what == "event":
        at = datetime(2027, 3, 3, tzinfo=UTC)
        tx.events.rows["d_1"] = [EventRecord("e1", "d_1", "plan_agreed", at, at)]
    elif what == "access":
        store.lose_access("d_1")


@pytest.mark.parametrize("what", ["snapshot", "contact", "outcome", "event", "access"])
def test_each_change_the_card_shows_computes_it_again(store: FakeStore, what: str) -> None:
    cards = _cards(store, Clock(MADE + timedelta(days=3)))
    before = cards.show(OWNER, "d_1").data
    _changed(store, what)
    after = cards.show(OWNER, "d_1").data
    assert cards.computed == 2 and after.version != before.version
    cards.show(OWNER, "d_1")
    assert cards.computed == 2


def test_a_new_day_computes_the_card_again(store: FakeStore) -> None:
    clock = Clock(MADE + timedelta(days=3))
    cards = _cards(store, clock)
    cards.show(OWNER, "d_1")
    clock.day += timedelta(days=1)
    cards.show(OWNER, "d_1")
    assert cards.computed == 2


def test_a_stranger_is_refused_and_a_teammate_reads_only(store: FakeStore) -> None:
    team = Team("west", managers=("mo@vendor.example",))
    cards = _cards(store, Clock(MADE), [team])
    with pytest.raises(NotYourPlan):
        cards.show("eve@other.example", "d_1")
    with pytest.raises(NotYourPlan):
        cards.show(OWNER, "d_missing")
    assert cards.show("mo@vendor.example", "d_1").read_only
    assert not cards.show(OWNER, "d_1").read_only


def _late_plan(store: FakeStore, open_late: int) -> None:
    """The first `open_late` steps still open and dated before the day the card is drawn."""
    payload: dict[str, Any] = first_snapshot(store.tx.deals.rows["d_1"])
    for index, step in enumerate(payload["steps"]):
        if index < open_late:
            step["due"] = (MADE + timedelta(days=1 + index % 5)).isoformat()
        else:
            step["status"] = "Done"
    store.tx.snapshots.add("d_1", payload)


def test_every_overdue_step_is_a_warning_not_the_first_five(store: FakeStore) -> None:
    _late_plan(store, 8)
    data = _cards(store, Clock(MADE + timedelta(days=20))).show(OWNER, "d_1").data
    late = [w for w in data.warnings if " was due " in w]
    assert len(late) == 8
    assert all("@" not in w for w in late)  # owners by name, never by address


def test_the_next_step_has_its_due_date_and_its_owners_name(store: FakeStore) -> None:
    payload = first_snapshot(store.tx.deals.rows["d_1"])
    first = payload["steps"][0]
    first["owner"] = "ann@globex.example"
    store.tx.snapshots.add("d_1", payload)
    data = _cards(store, Clock(MADE)).show(OWNER, "d_1").data
    step = data.next_step
    assert step is not None
    assert step.name == first["name"] and step.due == date.fromisoformat(first["due"])
    assert step.owner_name == "Ann Lee" and step.owner_email == "ann@globex.example"


def test_buyers_are_listed_by_name_and_role_with_the_sheets_own(store: FakeStore) -> None:
    store.tx.deals.rows["d_1"] = a_deal(buyers=(("ann@globex.example", "Ann Lee", "Champion"),))
    payload = first_snapshot(store.tx.deals.rows["d_1"])
    payload["stakeholders"].append(
        {"name": "Raj Patel", "email": "raj@globex.example", "side": "Buyer", "role": "Legal"}
    )
    store.tx.snapshots.add("d_1", payload)
    buyers = _cards(store, Clock(MADE)).show(OWNER, "d_1").data.buyers
    assert [(b.name, b.role, b.in_sheet_only) for b in buyers] == [
        ("Ann Lee", "Champion", False),
        ("Raj Patel", "Legal", True),
    ]


def test_the_agreement_is_read_from_the_accepted_deal_facts(store: FakeStore) -> None:
    cards = _cards(store, Clock(MADE))
    assert not cards.show(OWNER, "d_1").data.agreement.seller_agreed
    payload = first_snapshot(store.tx.deals.rows["d_1"])
    payload["deal"].update(plan_agreed_seller=True, plan_agreed_seller_on="2027-03-02")
    store.tx.snapshots.add("d_1", payload)
    agreement = cards.show(OWNER, "d_1").data.agreement
    assert agreement.seller_on == "2027-03-02" and not agreement.buyer_agreed


def test_a_plan_not_read_yet_says_so(store: FakeStore) -> None:
    store.tx.snapshots.rows.clear()
    data = _cards(store, Clock(MADE)).show(OWNER, "d_1").data
    assert not data.read and data.warnings == () and data.next_step is None


def test_the_memo_keeps_the_newest_deals_only(store: FakeStore) -> None:
    for n in range(2, 6):
        deal = replace(a_deal(f"d_{n}"))
        store.tx.deals.rows[deal.deal_id] = deal
        store.tx.snapshots.add(deal.deal_id, first_snapshot(deal))
    cards = PlanCards(
        cast(Store, store),
        service_account="svc@map.example.com",
        template=TEMPLATES.get,
        teams=list,
        today=lambda: MADE,
        memo_size=2,
    )
    for n in (1, 2, 3, 1):
        cards.show(OWNER, f"d_{n}")
    assert cards.computed == 4  # d_1 was forgotten when d_3 came in
    cards.show(OWNER, "d_3")
    assert cards.computed == 4


def test_the_plan_lists_next_steps_are_computed_once_per_snapshot_and_day(
    store: FakeStore,
) -> None:
    clock = Clock(MADE)
    cards = _cards(store, clock)
    deal = store.tx.deals.rows["d_1"]
    latest = {"d_1": store.tx.snapshots.rows["d_1"][-1]}
    first = cards.next_steps([deal], latest)
    payload = latest["d_1"].payload
    assert first == {"d_1": f"{payload['steps'][0]['name']} (both)"}
    store.tx.snapshots.rows["d_1"][-1].payload["steps"][0]["status"] = "Done"  # same snapshot
    assert cards.next_steps([deal], latest) == first  # read from the memo
    store.tx.snapshots.add("d_1", payload)  # a new snapshot: computed again
    latest = {"d_1": store.tx.snapshots.rows["d_1"][-1]}
    assert cards.next_steps([deal], latest) == {"d_1": f"{payload['steps'][1]['name']} (both)"}
    assert cards.next_steps([deal], {}) == {}  # a plan not read yet has no line
