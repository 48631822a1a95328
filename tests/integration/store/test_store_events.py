"""Snapshots number up per deal; events are stored once, however often they are inserted."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from store_helpers import T0, a_deal, an_event, run_together

from addon.store import DealNotFound, Store


@pytest.fixture
def deal_id(store: Store) -> str:
    with store.transaction() as tx:
        tx.deals.insert(a_deal())
    return "d_acme0000001"


def test_inserting_an_event_twice_keeps_one(store: Store, deal_id: str) -> None:
    with store.transaction() as tx:
        assert tx.events.insert_many([an_event("e_1"), an_event("e_2")]) == 2
    with store.transaction() as tx:
        assert tx.events.insert_many([an_event("e_1"), an_event("e_3"), an_event("e_3")]) == 1
        assert tx.events.insert_many([]) == 0

    with store.transaction() as tx:
        events = tx.events.for_deal(deal_id)
    assert [e.event_id for e in events] == ["e_1", "e_2", "e_3"]
    assert events[0] == an_event("e_1")


def test_concurrent_inserts_of_the_same_event_id_keep_one(store: Store, deal_id: str) -> None:
    def insert(_: int) -> int:
        with store.transaction() as tx:
            inserted = tx.events.insert_many([an_event("e_1")])
            time.sleep(0.05)  # stay open, so that the others meet the uncommitted row
            return inserted

    assert sorted(run_together(4, insert)) == [0, 0, 0, 1]
    with store.transaction() as tx:
        assert [e.event_id for e in tx.events.for_deal(deal_id)] == ["e_1"]


def test_events_are_listed_in_the_order_they_occurred(store: Store, deal_id: str) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal("d_other"))
        tx.events.insert_many(
            [
                an_event("e_b", occurred_at=T0 + timedelta(hours=2)),
                an_event("e_a", occurred_at=T0 + timedelta(hours=1)),
                an_event("e_c", occurred_at=T0 + timedelta(hours=1)),
                an_event("e_x", deal_id="d_other"),
            ]
        )
    with store.transaction() as tx:
        assert [e.event_id for e in tx.events.for_deal(deal_id)] == ["e_a", "e_c", "e_b"]


def test_latest_snapshot_is_the_highest_seq(store: Store, deal_id: str) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal("d_other"))
        assert tx.snapshots.latest(deal_id) is None
        for number in range(1, 4):
            taken = T0 + timedelta(hours=number)
            stored = tx.snapshots.insert(
                deal_id, {"read": number}, taken_at=taken, file_version=str(10 + number)
            )
            assert stored.seq == number
        assert tx.snapshots.insert("d_other", {"read": 1}, taken_at=T0).seq == 1

    with store.transaction() as tx:
        latest = tx.snapshots.latest(deal_id)
    assert latest is not None
    assert (latest.seq, latest.payload, latest.file_version) == (3, {"read": 3}, "13")
    assert latest.taken_at == T0 + timedelta(hours=3)


def test_concurrent_snapshots_of_one_deal_take_consecutive_numbers(
    store: Store, deal_id: str
) -> None:
    def snapshot(index: int) -> int:
        with store.transaction() as tx:
            return tx.snapshots.insert(deal_id, {"by": index}, taken_at=T0).seq

    assert sorted(run_together(4, snapshot)) == [1, 2, 3, 4]


def test_a_snapshot_of_an_unknown_deal_is_refused(store: Store) -> None:
    with store.transaction() as tx, pytest.raises(DealNotFound):
        tx.snapshots.insert("d_nobody", {}, taken_at=T0)


def test_event_values_come_back_as_the_json_they_were(store: Store, deal_id: str) -> None:
    added = replace(
        an_event("e_added"),
        kind="step_added",
        before=None,
        after={"step": "Procurement review", "due": "2026-05-04", "owner": None, "n": [1, 2.5]},
    )
    with store.transaction() as tx:
        tx.events.insert_many([added])
    with store.transaction() as tx:
        assert tx.events.for_deal(deal_id) == [added]


def test_events_are_unshown_until_marked_shown(store: Store) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal())
        tx.events.insert_many([an_event("e_1"), an_event("e_2")])
        assert [e.event_id for e in tx.events.unshown("d_acme0000001")] == ["e_1", "e_2"]
        tx.events.mark_shown(["e_1"], at=datetime(2027, 1, 5, tzinfo=UTC))
        assert [e.event_id for e in tx.events.unshown("d_acme0000001")] == ["e_2"]


def test_latest_snapshots_and_events_of_many_deals_in_one_go(store: Store) -> None:
    first, second = a_deal(), replace(a_deal(), deal_id="d_other000001", spreadsheet_id=None)
    with store.transaction() as tx:
        tx.deals.insert(first)
        tx.deals.insert(second)
        for n in range(3):
            tx.snapshots.insert(first.deal_id, {"n": n}, taken_at=T0 + timedelta(minutes=n))
        tx.events.insert_many([an_event("e_1"), an_event("e_2", deal_id=second.deal_id)])
        latest = tx.snapshots.latest_of([first.deal_id, second.deal_id])
        by_deal = tx.events.for_deals([first.deal_id, second.deal_id, "d_nobody00000"])
    assert {k: v.payload for k, v in latest.items()} == {first.deal_id: {"n": 2}}
    assert {k: [e.event_id for e in v] for k, v in by_deal.items()} == {
        first.deal_id: ["e_1"],
        second.deal_id: ["e_2"],
        "d_nobody00000": [],
    }
