"""Cursors keep the last value set; own writes are recognised once recorded."""

from __future__ import annotations

from addon.store import Store


def test_a_cursor_is_absent_until_set_and_keeps_the_last_value(store: Store) -> None:
    with store.transaction() as tx:
        assert tx.cursors.get("drive-changes") is None
        tx.cursors.set("drive-changes", "page-1")
    with store.transaction() as tx:
        tx.cursors.set("drive-changes", "page-2")
        tx.cursors.set("other", "x")
    with store.transaction() as tx:
        assert tx.cursors.get("drive-changes") == "page-2"
        assert tx.cursors.get("other") == "x"


def test_own_writes_are_recognised_once_recorded(store: Store) -> None:
    with store.transaction() as tx:
        tx.own_writes.record("sheet-1", "41")
        tx.own_writes.record("sheet-1", "41")
    with store.transaction() as tx:
        assert tx.own_writes.contains("sheet-1", "41")
        assert not tx.own_writes.contains("sheet-1", "42")
        assert not tx.own_writes.contains("sheet-2", "41")
