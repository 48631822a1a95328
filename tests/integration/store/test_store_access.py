"""Plans the add-on lost access to: kept with their start until access comes back."""

from __future__ import annotations

from datetime import timedelta

from store_helpers import T0, a_deal

from addon.store import Store


def test_a_loss_keeps_its_start_and_takes_the_latest_reason(store: Store) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal())
        assert tx.access.lose("d_acme0000001", since=T0, reason="removed", detail="unshared")
    later = T0 + timedelta(days=2)
    with store.transaction() as tx:
        again = tx.access.lose("d_acme0000001", since=later, reason="not_found", detail="404")
        found = tx.access.get("d_acme0000001")
    assert not again
    assert found is not None
    assert (found.lost_since, found.reason, found.detail, found.checked_at) == (
        T0,
        "not_found",
        "404",
        later,
    )


def test_regaining_access_forgets_the_loss_and_says_what_it_was(store: Store) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal())
        tx.deals.insert(a_deal("d_bolt0000002"))
        tx.access.lose("d_acme0000001", since=T0, reason="trashed", detail="in the trash")
        tx.access.lose("d_bolt0000002", since=T0, reason="removed", detail="unshared")
    with store.transaction() as tx:
        regained = tx.access.regain("d_acme0000001")
        nothing = tx.access.regain("d_acme0000001")
        left = tx.access.all_lost()
    assert regained is not None and regained.reason == "trashed"
    assert nothing is None
    assert list(left) == ["d_bolt0000002"]
