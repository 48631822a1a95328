"""The seller shares a resource from the plan card: checked beside each field, then one row of
the plan's Resources tab that the buyer reads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import test_addon_cards
from flask import Flask
from test_addon_cards import Sidebar, _card, _plan, _texts

from addon.domain.layout_cells import serial
from addon.domain.resources import RESOURCES_TAB
from addon.web.resource_cards import NOT_YOURS

app = test_addon_cards.app  # the same app and sidebar fixtures
sidebar = test_addon_cards.sidebar
BUYER = "ann@globex.example"  # the buyer `_plan` shares the plan with


def _text(value: str) -> dict[str, Any]:
    return {"stringInputs": {"value": [value]}}


def _share(sidebar: Sidebar, deal_id: str, **typed: str) -> dict[str, Any]:
    return sidebar.post(
        "/addon/resource/share",
        inputs={k: _text(v) for k, v in typed.items()},
        common={"parameters": {"deal_id": deal_id}},
    )


def _rows(sheets: Any, sid: str) -> list[list[Any]]:
    got = (
        sheets(BUYER)
        .spreadsheets()
        .values()
        .get(
            spreadsheetId=sid, range=f"{RESOURCES_TAB}!A1:D5", valueRenderOption="UNFORMATTED_VALUE"
        )
        .execute()
    )
    return list(got.get("values", []))


def test_the_plan_card_opens_the_form_and_a_shared_link_lands_in_the_plan(
    sidebar: Sidebar, app: Flask, sheets: Any
) -> None:
    deal = _plan(sidebar, app)
    card = _card(sidebar.post("/addon/plan/show", common={"parameters": {"deal_id": deal.deal_id}}))
    assert "Share a resource" in _texts(card) and "/addon/resource/new" in _texts(card)
    form = _card(
        sidebar.post("/addon/resource/new", common={"parameters": {"deal_id": deal.deal_id}})
    )
    assert "Security documentation" in _texts(form) and "ROI calculator" in _texts(form)

    body = _share(
        sidebar,
        deal.deal_id,
        title="Northwind <b>case</b>",
        kind="Case study",
        url="https://example.com/northwind",
        note="Same ERP",
    )
    assert body["renderActions"]["action"]["notification"]["text"] == (
        "Shared: Northwind <b>case</b>"
    )
    fresh = _card(body)
    assert "Northwind &lt;b&gt;case&lt;/b&gt;" in _texts(fresh)  # escaped where Google renders HTML
    assert '"value": ""' in _texts(fresh)  # a fresh, empty form for the next one
    today = datetime.now(UTC).date()
    assert _rows(sheets, deal.spreadsheet_id)[1] == [
        "Northwind <b>case</b>",
        "Case study",
        serial(today),
        "Same ERP",
    ]


def test_a_bad_address_is_refused_beside_its_field_and_nothing_is_written(
    sidebar: Sidebar, app: Flask, sheets: Any
) -> None:
    deal = _plan(sidebar, app)
    body = _share(sidebar, deal.deal_id, title="Deck", kind="Case study", url="http://x.example")
    form = _card(body)
    widgets = form["sections"][0]["widgets"]
    names = [w.get("textInput", {}).get("name") for w in widgets]
    warning = widgets[names.index("url") + 1]["textParagraph"]["text"]
    assert "https://" in warning
    assert widgets[names.index("title")]["textInput"]["value"] == "Deck"  # what was typed is kept
    assert _rows(sheets, deal.spreadsheet_id) == [["Resource", "Kind", "Shared on", "Note"]]


def test_another_seller_cannot_share_on_the_plan(sidebar: Sidebar, app: Flask, sheets: Any) -> None:
    deal = _plan(sidebar, app)
    other = Sidebar(sidebar.client, sidebar.local_google)
    body = _share(other, deal.deal_id, title="Pay here", kind="Other", url="https://evil.example")
    assert body["renderActions"]["action"]["notification"]["text"] == NOT_YOURS
    assert len(_rows(sheets, deal.spreadsheet_id)) == 1
