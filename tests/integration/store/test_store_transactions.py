"""A transaction commits everything or nothing; instants come back as UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from store_helpers import T0, a_buyer, a_deal, an_event

from addon.store import Store, StoreError


def test_transaction_rolls_back_everything_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError, match="Sheets"), store.transaction() as tx:
        tx.deals.insert(a_deal(people=(a_buyer(),)))
        tx.request_keys.claim("req-1", deal_id="d_acme0000001", fingerprint="f1")
        tx.snapshots.insert("d_acme0000001", {"steps": []}, taken_at=T0)
        tx.events.insert_many([an_event()])
        tx.cursors.set("drive", "page-7")
        tx.own_writes.record("sheet-1", "12")
        raise RuntimeError("the Sheets call failed")

    with store.transaction() as tx:
        assert tx.deals.get("d_acme0000001") is None
        assert tx.request_keys.lookup("req-1", fingerprint="f1") is None
        assert tx.snapshots.latest("d_acme0000001") is None
        assert tx.events.for_deal("d_acme0000001") == []
        assert tx.cursors.get("drive") is None
        assert not tx.own_writes.contains("sheet-1", "12")


def test_a_failed_statement_rolls_back_the_statements_before_it(store: Store) -> None:
    with pytest.raises(sa.exc.IntegrityError), store.transaction() as tx:
        tx.cursors.set("drive", "page-7")
        tx.events.insert_many([an_event(deal_id="d_nobody")])  # no such deal

    with store.transaction() as tx:
        assert tx.cursors.get("drive") is None


def test_transactions_do_not_nest(store: Store) -> None:
    with store.transaction(), pytest.raises(StoreError, match="already open"):
        with store.transaction():
            pass
    with store.transaction() as tx:
        assert tx.deals.newest_first() == []


def test_timestamps_round_trip_as_utc(store: Store) -> None:
    new_york = timezone(timedelta(hours=-5))
    created = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=new_york)
    with store.transaction() as tx:
        tx.deals.insert(a_deal(created_at=created))
        tx.snapshots.insert("d_acme0000001", {"steps": []}, taken_at=created)
        later_in_utc = an_event("e_late", occurred_at=datetime(2026, 3, 1, 14, 31, tzinfo=UTC))
        earlier_in_tokyo = an_event(
            "e_early", occurred_at=datetime(2026, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=9)))
        )
        tx.events.insert_many([later_in_utc, earlier_in_tokyo])

    with store.transaction() as tx:
        deal = tx.deals.get("d_acme0000001")
        snapshot = tx.snapshots.latest("d_acme0000001")
        events = tx.events.for_deal("d_acme0000001")
    assert deal is not None and snapshot is not None
    expected = datetime(2026, 3, 1, 14, 30, 15, 123456, tzinfo=UTC)
    for instant in (deal.created_at, deal.updated_at, snapshot.taken_at):
        assert instant == expected
        assert instant.tzinfo is UTC
    assert [e.event_id for e in events] == ["e_early", "e_late"]
    assert events[0].occurred_at == datetime(2026, 3, 1, 14, 30, tzinfo=UTC)
    assert all(e.occurred_at.tzinfo is UTC for e in events)


def test_naive_timestamps_are_refused(store: Store) -> None:
    with pytest.raises(sa.exc.StatementError, match="timezone-aware"), store.transaction() as tx:
        tx.deals.insert(a_deal(created_at=datetime(2026, 3, 1, 9, 30)))


def test_a_read_only_transaction_reads_while_a_writer_holds_its_transaction(store: Store) -> None:
    import threading

    with store.transaction() as tx:
        tx.deals.insert(a_deal())
    writing, done = threading.Event(), threading.Event()

    def writer() -> None:
        with store.transaction() as tx:
            tx.cursors.set("drive", "page-8")
            writing.set()
            done.wait(timeout=30)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writing.wait(timeout=30)
        with store.transaction(read_only=True) as tx:  # would wait 30 s for the write lock
            assert tx.deals.get("d_acme0000001") is not None
            assert tx.cursors.get("drive") is None  # the writer has not committed
    finally:
        done.set()
        thread.join(timeout=30)
    with store.transaction(read_only=True) as tx:
        assert tx.cursors.get("drive") == "page-8"
