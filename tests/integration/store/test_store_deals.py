"""Deals, their people and request keys, as plan creation records them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from store_helpers import T0, SteppingClock, a_buyer, a_deal, run_together

from addon.domain.model import Side
from addon.store import (
    DealNotFound,
    DealStatus,
    PersonNotFound,
    PersonRecord,
    RequestKeyConflict,
    Store,
    request_fingerprint,
)
from addon.store.schema import request_keys


def test_a_deal_is_stored_with_its_people(store: Store) -> None:
    service = PersonRecord("map-addon@x.iam.gserviceaccount.com", Side.SERVICE, "MAP")
    deal = a_deal(people=(a_buyer("Bob@Acme.com"), a_buyer("ada@acme.com", role=None), service))
    with store.transaction() as tx:
        tx.deals.insert(deal)
    with store.transaction() as tx:
        stored = tx.deals.get(deal.deal_id)

    assert stored is not None
    assert [p.email for p in stored.people] == [
        "ada@acme.com",
        "bob@acme.com",
        "map-addon@x.iam.gserviceaccount.com",
    ]
    assert stored.person("BOB@acme.com") == a_buyer("bob@acme.com")
    assert replace(stored, people=()) == replace(deal, people=())
    assert stored.status is DealStatus.CREATING and stored.missing == ("sheet",)


def test_plan_creation_progress_is_recorded(store: Store, clock: SteppingClock) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal(people=(a_buyer(), a_buyer("cy@acme.com"))))
    with store.transaction() as tx:
        tx.deals.set_spreadsheet("d_acme0000001", spreadsheet_id="s1", url="https://sheet/s1")
        tx.deals.mark_shared("d_acme0000001", "Bob@acme.com", permission_id="perm-9")
        tx.deals.set_status("d_acme0000001", DealStatus.INCOMPLETE, missing=["share:cy@acme.com"])

    with store.transaction() as tx:
        deal = tx.deals.get("d_acme0000001")
    assert deal is not None
    assert (deal.spreadsheet_id, deal.url) == ("s1", "https://sheet/s1")
    assert deal.status is DealStatus.INCOMPLETE and deal.missing == ("share:cy@acme.com",)
    bob, cy = deal.person("bob@acme.com"), deal.person("cy@acme.com")
    assert bob is not None and (bob.shared, bob.permission_id) == (True, "perm-9")
    assert cy is not None and (cy.shared, cy.permission_id) == (False, None)
    assert deal.updated_at == clock.now and deal.created_at == T0


def test_updating_an_unknown_deal_or_person_raises(store: Store) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal())
        with pytest.raises(DealNotFound):
            tx.deals.set_status("d_nobody", DealStatus.READY)
        with pytest.raises(DealNotFound):
            tx.deals.mark_shared("d_nobody", "bob@acme.com", permission_id=None)
        with pytest.raises(PersonNotFound):
            tx.deals.mark_shared("d_acme0000001", "eve@acme.com", permission_id=None)


def test_a_deal_is_found_by_spreadsheet_id_and_by_request_key(store: Store) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal())
        tx.deals.set_spreadsheet("d_acme0000001", spreadsheet_id="s1", url="u")
        tx.request_keys.claim("req-1", deal_id="d_acme0000001", fingerprint="f1")

    with store.transaction() as tx:
        by_sheet = tx.deals.get_by_spreadsheet_id("s1")
        by_key = tx.deals.get_by_request_key("req-1")
        assert tx.deals.get_by_spreadsheet_id("s2") is None
        assert tx.deals.get_by_request_key("req-2") is None
    assert by_sheet is not None and by_key is not None
    assert by_sheet.deal_id == by_key.deal_id == "d_acme0000001"


def test_a_spreadsheet_belongs_to_one_deal(store: Store) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal("d_one", created_at=T0))
        tx.deals.insert(a_deal("d_two", created_at=T0))
        tx.deals.set_spreadsheet("d_one", spreadsheet_id="s1", url="u")
    with pytest.raises(sa.exc.IntegrityError), store.transaction() as tx:
        tx.deals.set_spreadsheet("d_two", spreadsheet_id="s1", url="u")


def test_deals_list_by_owner_newest_first(store: Store) -> None:
    with store.transaction() as tx:
        for number, owner in enumerate(["ann@s.com", "ben@s.com", "Ann@S.com", "ann@s.com"]):
            created = T0 + timedelta(days=number)
            tx.deals.insert(a_deal(f"d_{number}", owner_email=owner, created_at=created))

    with store.transaction() as tx:
        anns = tx.deals.newest_first(owner_email="ANN@s.com")
        everyone = tx.deals.newest_first()
    assert [d.deal_id for d in anns] == ["d_3", "d_2", "d_0"]
    assert {d.owner_email for d in anns} == {"ann@s.com"}
    assert [d.deal_id for d in everyone] == ["d_3", "d_2", "d_1", "d_0"]


def test_an_amount_keeps_its_exact_digits(store: Store) -> None:
    amounts = {"d_cents": Decimal("1234567890123.10"), "d_none": None, "d_round": Decimal("90000")}
    with store.transaction() as tx:
        for deal_id, amount in amounts.items():
            tx.deals.insert(replace(a_deal(deal_id), amount=amount))
    with store.transaction() as tx:
        stored = {deal_id: tx.deals.get(deal_id) for deal_id in amounts}
    assert {deal_id: d.amount for deal_id, d in stored.items() if d} == amounts
    assert str(amounts["d_cents"]) == "1234567890123.10"


def test_request_key_reuse_with_other_parameters_conflicts(store: Store) -> None:
    first = request_fingerprint({"deal": "Acme rollout", "go_live": "2026-06-01"})
    same = request_fingerprint({"go_live": "2026-06-01", "deal": "Acme rollout"})
    other = request_fingerprint({"deal": "Acme rollout", "go_live": "2026-07-01"})
    assert first == same != other
    with store.transaction() as tx:
        tx.deals.insert(a_deal("d_first"))
        assert tx.request_keys.claim("req-1", deal_id="d_first", fingerprint=first) == "d_first"

    with store.transaction() as tx:
        assert tx.request_keys.lookup("req-1", fingerprint=same) == "d_first"
        tx.deals.insert(a_deal("d_retry"))
        assert tx.request_keys.claim("req-1", deal_id="d_retry", fingerprint=same) == "d_first"
        with pytest.raises(RequestKeyConflict) as conflict:
            tx.request_keys.lookup("req-1", fingerprint=other)
        assert conflict.value.deal_id == "d_first"
        with pytest.raises(RequestKeyConflict):
            tx.request_keys.claim("req-1", deal_id="d_retry", fingerprint=other)


def test_concurrent_claims_of_one_request_key_agree_on_one_deal(store: Store) -> None:
    def create(index: int) -> str:
        deal_id = f"d_attempt{index}"
        with store.transaction() as tx:
            tx.deals.insert(a_deal(deal_id))
            return tx.request_keys.claim("req-1", deal_id=deal_id, fingerprint="f1")

    owners = run_together(4, create)

    assert len(set(owners)) == 1
    with store.engine.connect() as connection:
        assert connection.scalar(sa.select(sa.func.count()).select_from(request_keys)) == 1


def test_adding_a_person_twice_keeps_one_entry(store: Store) -> None:
    from addon.store import PersonRecord

    with store.transaction() as tx:
        tx.deals.insert(a_deal())
        tx.deals.add_person("d_acme0000001", PersonRecord("Dana@Acme.com", Side.BUYER, "Dana"))
        tx.deals.add_person("d_acme0000001", PersonRecord("dana@acme.com", Side.BUYER))
        deal = tx.deals.get("d_acme0000001")
    assert deal is not None
    assert [p.name for p in deal.people if p.email == "dana@acme.com"] == ["Dana"]
