"""The plan card's actions with in-memory fakes: what a new contact must be, and the seller's
agreement written in one request, then the plan read."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st
from plan_fakes import OWNER, FakeGateway, FakeStore, a_deal, first_snapshot

from addon.domain.layout_cells import serial
from addon.domain.layout_deal import deal_fact
from addon.domain.model import Side
from addon.google.gateway import GoogleGateway
from addon.services.plan_actions import (
    MAX_NAME,
    ActionRefused,
    PlanActions,
    contact_problems,
)
from addon.services.plan_card import NotYourPlan
from addon.store import Store

DEAL = a_deal()
GOOD = {"email": "dana@globex.example", "name": "Dana Ruiz", "role": "Legal"}


def _problems(**typed: str) -> dict[str, str]:
    _, problems = contact_problems(
        {**GOOD, **typed},
        DEAL,
        seller_domains=("vendor-group.example",),
        service_account="svc@map.example.com",
    )
    return problems


def test_a_good_contact_has_no_problem() -> None:
    contact, problems = contact_problems(
        GOOD, DEAL, seller_domains=(), service_account="svc@map.example.com"
    )
    assert problems == {} and contact is not None and contact.role == "Legal"


@pytest.mark.parametrize(
    ("field", "typed", "said"),
    [
        ("email", "", "Give the contact's email"),
        ("email", "dana", "is not an email address"),
        ("email", "a" * 300 + "@globex.example", "at most 254 characters"),
        ("email", "ANN@globex.example", "ann@globex.example is already on this plan (Buyer)"),
        ("email", "sam@vendor.example", "already on this plan (Seller"),
        ("email", "lee@vendor.example", "at the seller's company (vendor.example)"),
        ("email", "kim@vendor-group.example", "at the seller's company (vendor-group.example)"),
        ("email", "svc@map.example.com", "on the seller's side"),
        ("name", "  ", "Give the contact's name"),
        ("name", "x" * (MAX_NAME + 1), f"at most {MAX_NAME} characters"),
        ("name", "Dana\x07", "control characters"),
        ("role", "", "Choose the contact's role"),
        ("role", "Account executive", "Choose the contact's role"),  # a seller's role
        ("role", "Owner", "Choose the contact's role"),
    ],
)
def test_each_bad_field_gets_its_own_message(field: str, typed: str, said: str) -> None:
    problems = _problems(**{field: typed})
    assert list(problems) == [field] and said in problems[field]


@given(st.text(max_size=400), st.text(max_size=400), st.text(max_size=40))
def test_any_typed_contact_is_either_checked_good_or_refused_field_by_field(
    email: str, name: str, role: str
) -> None:
    contact, problems = contact_problems(
        {"email": email, "name": name, "role": role},
        DEAL,
        seller_domains=(),
        service_account="svc@map.example.com",
    )
    assert (contact is None) == bool(problems)
    assert set(problems) <= {"email", "name", "role"}
    assert all(len(message) < 400 for message in problems.values())  # never the whole input
    if contact is not None:
        assert DEAL.person(contact.email) is None and len(contact.name) <= MAX_NAME


class Reads:
    def __init__(self) -> None:
        self.deals: list[str] = []

    def __call__(self, deal_id: str) -> None:
        self.deals.append(deal_id)


def _actions(store: FakeStore, gateway: FakeGateway, reads: Reads) -> PlanActions:
    return PlanActions(
        cast(Store, store),
        gateway_for=lambda user: cast(GoogleGateway, gateway),
        read_plan=reads,
        seller_domains=(),
        service_account="svc@map.example.com",
        today=lambda: date(2027, 3, 4),
    )


@pytest.fixture
def store() -> FakeStore:
    fake = FakeStore()
    fake.tx.deals.rows[DEAL.deal_id] = DEAL
    fake.tx.snapshots.add(DEAL.deal_id, first_snapshot(DEAL))
    return fake


def test_agreeing_writes_the_sellers_tick_and_date_in_one_request_then_reads_the_plan(
    store: FakeStore,
) -> None:
    gateway, reads = FakeGateway(OWNER), Reads()
    day = _actions(store, gateway, reads).agree_for_seller(OWNER, DEAL.deal_id)
    assert day == date(2027, 3, 4)
    assert gateway.requests == [
        (
            "write_values",
            [
                {"range": deal_fact("plan_agreed_seller").value_cell, "values": [[True]]},
                {"range": deal_fact("plan_agreed_seller_on").value_cell, "values": [[serial(day)]]},
            ],
        )
    ]
    assert reads.deals == [DEAL.deal_id]


def test_agreeing_again_or_for_a_lost_deal_is_refused_before_any_request(
    store: FakeStore,
) -> None:
    gateway, reads = FakeGateway(OWNER), Reads()
    payload: dict[str, Any] = first_snapshot(DEAL)
    payload["deal"].update(plan_agreed_seller=True, plan_agreed_seller_on="2027-03-02")
    store.tx.snapshots.add(DEAL.deal_id, payload)
    with pytest.raises(ActionRefused, match="agreed this plan already on 2027-03-02"):
        _actions(store, gateway, reads).agree_for_seller(OWNER, DEAL.deal_id)
    store.tx.snapshots.add(DEAL.deal_id, first_snapshot(DEAL))
    store.set_outcome(DEAL.deal_id, "lost")
    with pytest.raises(ActionRefused, match="lost deal"):
        _actions(store, gateway, reads).agree_for_seller(OWNER, DEAL.deal_id)
    assert gateway.requests == [] and reads.deals == []


def test_only_the_owner_acts_on_a_plan(store: FakeStore) -> None:
    gateway, reads = FakeGateway("eve@vendor.example"), Reads()
    actions = _actions(store, gateway, reads)
    with pytest.raises(NotYourPlan):
        actions.agree_for_seller("eve@vendor.example", DEAL.deal_id)
    with pytest.raises(NotYourPlan):
        actions.add_contact("eve@vendor.example", DEAL.deal_id, GOOD)
    with pytest.raises(NotYourPlan):
        actions.refresh("eve@vendor.example", DEAL.deal_id)
    assert gateway.requests == [] and reads.deals == []


def test_a_contact_is_shared_listed_and_remembered(store: FakeStore) -> None:
    gateway, reads = FakeGateway(OWNER), Reads()
    contact = _actions(store, gateway, reads).add_contact(OWNER, DEAL.deal_id, GOOD)
    assert contact.email == "dana@globex.example"
    assert gateway.requests[:2] == [
        ("share", "dana@globex.example"),
        (
            "append",
            ("Stakeholders!A1", [["Dana Ruiz", "dana@globex.example", "Buyer", "Legal", ""]]),
        ),
    ]
    person = store.tx.deals.rows[DEAL.deal_id].person("dana@globex.example")
    assert person is not None and person.side is Side.BUYER and person.shared
    assert person.role == "Legal" and person.name == "Dana Ruiz"


def test_a_refused_contact_makes_no_request(store: FakeStore) -> None:
    gateway, reads = FakeGateway(OWNER), Reads()
    with pytest.raises(ActionRefused) as refused:
        _actions(store, gateway, reads).add_contact(
            OWNER, DEAL.deal_id, {"email": "ann@globex.example", "name": "Ann", "role": ""}
        )
    assert set(refused.value.problems) == {"email", "role"}
    assert gateway.requests == []


def test_refresh_reads_that_plan_only(store: FakeStore) -> None:
    reads = Reads()
    _actions(store, FakeGateway(OWNER), reads).refresh(OWNER, DEAL.deal_id)
    assert reads.deals == [DEAL.deal_id]


def test_a_contact_the_buyer_listed_already_is_shared_but_not_listed_twice(
    store: FakeStore,
) -> None:
    payload: dict[str, Any] = first_snapshot(DEAL)
    payload["stakeholders"].append(
        {"name": "Dana R.", "email": "dana@globex.example", "side": "Buyer", "role": "Legal"}
    )
    store.tx.snapshots.add(DEAL.deal_id, payload)
    gateway, reads = FakeGateway(OWNER), Reads()
    _actions(store, gateway, reads).add_contact(OWNER, DEAL.deal_id, GOOD)
    assert ("share", "dana@globex.example") in gateway.requests
    assert not [r for r in gateway.requests if r[0] == "append"]
