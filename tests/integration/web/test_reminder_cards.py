"""The seller sets a deal's reminders from the plan card: on or off, how early, the digest's day,
who gets messages; a person who stopped messages themselves stays stopped."""

from __future__ import annotations

from typing import Any

import test_addon_cards
from flask import Flask
from test_addon_cards import Sidebar, _card, _plan, _texts

from addon.web.reminder_cards import NOT_YOURS
from addon.web.resources import services

app = test_addon_cards.app  # the same app and sidebar fixtures
sidebar = test_addon_cards.sidebar
BUYER = "ann@globex.example"  # the buyer `_plan` shares the plan with


def _save(sidebar: Sidebar, deal_id: str, receiving: list[str], **typed: str) -> dict[str, Any]:
    inputs: dict[str, Any] = {k: {"stringInputs": {"value": [v]}} for k, v in typed.items()}
    if receiving:
        inputs["receiving"] = {"stringInputs": {"value": receiving}}
    return sidebar.post(
        "/addon/reminders/save", inputs=inputs, common={"parameters": {"deal_id": deal_id}}
    )


def _stored(app: Flask, deal_id: str) -> tuple[Any, set[str]]:
    with app.app_context(), services().store.transaction(read_only=True) as tx:
        return tx.notify_settings.get(deal_id), tx.opt_outs.for_deal(deal_id)


def test_the_seller_turns_reminders_down_and_a_buyer_off(sidebar: Sidebar, app: Flask) -> None:
    deal = _plan(sidebar, app)
    card = _card(sidebar.post("/addon/plan/show", common={"parameters": {"deal_id": deal.deal_id}}))
    assert "/addon/reminders/show" in _texts(card)
    shown = _card(
        sidebar.post("/addon/reminders/show", common={"parameters": {"deal_id": deal.deal_id}})
    )
    assert "On: reminders 2 business days before a step is due" in _texts(shown)
    assert BUYER in _texts(shown) and '"type": "CHECK_BOX"' in _texts(shown)

    body = _save(
        sidebar, deal.deal_id, [sidebar.seller], enabled="on", days_before="1", digest_weekday="3"
    )
    assert body["renderActions"]["action"]["notification"]["text"] == "Reminder settings saved"
    assert "digest on Thursdays" in _texts(_card(body))
    settings, off = _stored(app, deal.deal_id)
    assert settings == (True, 1, 3) and off == {BUYER}

    _save(sidebar, deal.deal_id, [sidebar.seller, BUYER], enabled="off", days_before="1",
          digest_weekday="3")  # fmt: skip
    settings, off = _stored(app, deal.deal_id)
    assert settings == (False, 1, 3) and off == set()  # the seller turned Ann back on


def test_a_buyers_own_stop_is_not_undone_by_the_seller(sidebar: Sidebar, app: Flask) -> None:
    deal = _plan(sidebar, app)
    with app.app_context(), services().store.transaction() as tx:
        tx.opt_outs.add(BUYER, deal.deal_id)  # Ann used the stop link
    shown = _card(
        sidebar.post("/addon/reminders/show", common={"parameters": {"deal_id": deal.deal_id}})
    )
    assert "asked for no messages" in _texts(shown)
    _save(sidebar, deal.deal_id, [sidebar.seller, BUYER], enabled="on", days_before="2",
          digest_weekday="0")  # fmt: skip
    assert _stored(app, deal.deal_id)[1] == {BUYER}


def test_a_value_not_offered_is_refused_and_another_seller_is_turned_away(
    sidebar: Sidebar, app: Flask
) -> None:
    deal = _plan(sidebar, app)
    body = _save(sidebar, deal.deal_id, [], enabled="on", days_before="9", digest_weekday="0")
    assert "Remind 0 to 5 business days before, not 9." in _texts(_card(body))
    assert _stored(app, deal.deal_id)[0] is None
    other = Sidebar(sidebar.client, sidebar.local_google)
    body = _save(other, deal.deal_id, [], enabled="off", days_before="2", digest_weekday="0")
    assert body["renderActions"]["action"]["notification"]["text"] == NOT_YOURS
    assert _stored(app, deal.deal_id) == (None, set())
