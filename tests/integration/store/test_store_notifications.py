"""Notifications are claimed once per key; opt-outs hold per deal or for every deal."""

from __future__ import annotations

from store_helpers import a_deal

from addon.store import Store


def test_a_key_is_claimed_once_and_a_released_claim_can_be_taken_again(store: Store) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal())
        assert tx.notifications.claim(
            "k1", deal_id="d_acme0000001", kind="reminder", recipient="A@x.example"
        )
        assert not tx.notifications.claim(
            "k1", deal_id="d_acme0000001", kind="reminder", recipient="a@x.example"
        )
    with store.transaction() as tx:
        assert tx.notifications.status("k1") == "claimed"
        tx.notifications.done("k1", status="sent", message_id="m-1")
        assert tx.notifications.status("k1") == "sent"
        assert tx.notifications.claim(
            "k2", deal_id="d_acme0000001", kind="overdue", recipient="a@x.example"
        )
        tx.notifications.release("k2")
        assert tx.notifications.status("k2") is None
        assert tx.notifications.claim(
            "k2", deal_id="d_acme0000001", kind="overdue", recipient="a@x.example"
        )


def test_opt_outs_for_one_deal_or_all(store: Store) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal())
        tx.deals.insert(a_deal("d_bolt0000002"))
        tx.opt_outs.add("Ann@Acme.example", "d_acme0000001")
        tx.opt_outs.add("bob@acme.example")
        tx.opt_outs.add("bob@acme.example")  # again: harmless
    with store.transaction() as tx:
        assert tx.opt_outs.for_deal("d_acme0000001") == {"ann@acme.example", "bob@acme.example"}
        assert tx.opt_outs.for_deal("d_bolt0000002") == {"bob@acme.example"}
        tx.opt_outs.remove("bob@acme.example")
        assert tx.opt_outs.for_deal("d_bolt0000002") == set()


def test_a_seller_turns_a_person_off_and_on_but_never_undoes_their_own_stop(store: Store) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal())
        tx.opt_outs.add("cy@acme.example", "d_acme0000001", set_by="Sam@Vendor.example")
        tx.opt_outs.add("ann@acme.example", "d_acme0000001")  # Ann's own stop link
        tx.opt_outs.add("bob@acme.example")  # Bob stopped everything
    with store.transaction() as tx:
        assert tx.opt_outs.turned_off("d_acme0000001") == {
            "cy@acme.example": "sam@vendor.example",
            "ann@acme.example": None,
            "bob@acme.example": None,
        }
        assert tx.opt_outs.turn_back_on("cy@acme.example", "d_acme0000001")
        assert not tx.opt_outs.turn_back_on("ann@acme.example", "d_acme0000001")
        assert not tx.opt_outs.turn_back_on("bob@acme.example", "d_acme0000001")
        assert tx.opt_outs.for_deal("d_acme0000001") == {"ann@acme.example", "bob@acme.example"}


def test_a_deals_settings_are_stored_and_replaced(store: Store) -> None:
    with store.transaction() as tx:
        tx.deals.insert(a_deal())
        assert tx.notify_settings.get("d_acme0000001") is None
        tx.notify_settings.set(
            "d_acme0000001", enabled=False, days_before=3, digest_weekday=2, by="sam@v.example"
        )
    with store.transaction() as tx:
        assert tx.notify_settings.get("d_acme0000001") == (False, 3, 2)
        tx.notify_settings.set(
            "d_acme0000001", enabled=True, days_before=1, digest_weekday=4, by="sam@v.example"
        )
        assert tx.notify_settings.all() == {"d_acme0000001": (True, 1, 4)}
