"""The seller sets a deal's outcome from the plan card; the plan list shows where each deal is."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import test_addon_cards
from flask import Flask
from googleapiclient.errors import HttpError
from markupsafe import escape
from test_addon_cards import Sidebar, _card, _plan, _texts

from addon.domain.outcome import Outcome
from addon.domain.plan_request import build_plan_request
from addon.services.plan_health import plan_health
from addon.web.resources import services
from localgoogle.server import Running

app = test_addon_cards.app  # the same app and sidebar fixtures
sidebar = test_addon_cards.sidebar
TODAY = datetime.now(UTC).date()
BUYER = "ann@globex.example"  # the buyer `_plan` shares the plan with


def _text(value: str) -> dict[str, Any]:
    return {"stringInputs": {"value": [value]}}


def _day(day: date) -> dict[str, Any]:
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return {"dateInput": {"msSinceEpoch": str(int(midnight.timestamp() * 1000))}}


def _move(
    sidebar: Sidebar, path: str, deal_id: str, inputs: dict[str, Any] | None = None, **params: str
) -> dict[str, Any]:
    return sidebar.post(
        f"/addon/deal/{path}", inputs=inputs, common={"parameters": {"deal_id": deal_id, **params}}
    )


def _note(body: dict[str, Any]) -> str:
    return str(body["renderActions"]["action"]["notification"]["text"])


def _sections(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(section.get("header")): section for section in card["sections"]}


def _buttons(card: dict[str, Any]) -> list[str]:
    return [
        button["text"]
        for section in card["sections"]
        for widget in section["widgets"]
        for button in widget.get("buttonList", {}).get("buttons", [])
    ]


def _outcome(app: Flask, deal_id: str) -> Any:
    with app.app_context():
        return services().lifecycle.current(deal_id)


def test_the_plan_card_shows_the_outcome_and_the_moves_an_open_deal_allows(
    sidebar: Sidebar, app: Flask
) -> None:
    deal = _plan(sidebar, app)
    card = _card(sidebar.post("/addon/plan/show", common={"parameters": {"deal_id": deal.deal_id}}))
    outcome = _sections(card)["Outcome"]
    assert outcome["widgets"][0]["decoratedText"]["text"] == "Open"
    assert {"Mark won", "Mark lost", "Put on hold"} <= set(_buttons(card))
    assert not {"Reopen", "End sharing with buyers"} & set(_buttons(card))
    lost_form = _texts(_sections(card)["Mark lost"])
    assert all(reason in lost_form for reason in ("Price", "No decision", "Product fit"))
    assert "/addon/deal/lost" in lost_form and '"name": "competitor"' in lost_form


def test_marking_a_deal_lost_records_it_and_the_card_shows_the_outcome_line(
    sidebar: Sidebar, app: Flask, sheets: Any
) -> None:
    deal = _plan(sidebar, app)
    typed = {
        "loss_reason": _text("Competitor"),
        "loss_words": _text("cheaper bundle"),
        "competitor": _text("<b>Initrode</b>"),
    }
    body = _move(sidebar, "lost", deal.deal_id, typed)
    line = f"Lost on {TODAY.isoformat()}, reason: Competitor, to <b>Initrode</b>"
    assert _note(body) == line
    card = _card(body)
    assert card["header"]["title"] == "Globex pilot"
    shown = _sections(card)["Outcome"]["widgets"][0]["decoratedText"]
    assert shown["text"] == line.replace("<", "&lt;").replace(">", "&gt;")  # escaped
    assert shown["bottomLabel"] == f"set by {sidebar.seller}"
    assert {"Reopen", "End sharing with buyers"} <= set(_buttons(card))
    assert not {"Mark won", "Mark lost"} & set(_buttons(card))
    stored = _outcome(app, deal.deal_id)
    assert (stored.outcome, stored.reason, stored.detail, stored.competitor) == (
        Outcome.LOST,
        "Competitor",
        "cheaper bundle",
        "<b>Initrode</b>",
    )
    assert "could not show it" not in _texts(card)  # the plan's Deal tab shows it
    deal_tab = (
        sheets(sidebar.seller)
        .spreadsheets()
        .values()
        .get(spreadsheetId=deal.spreadsheet_id, range="Deal!A1:B40")
        .execute()["values"]
    )
    assert any(line in row for row in deal_tab)


def test_refused_moves_answer_the_plan_card_with_their_reason(sidebar: Sidebar, app: Flask) -> None:
    deal = _plan(sidebar, app)
    assert _note(_move(sidebar, "won", deal.deal_id)) == f"Won on {TODAY.isoformat()}"

    again = _card(_move(sidebar, "lost", deal.deal_id, {"loss_reason": _text("Price")}))
    assert again["header"]["title"] == "Globex pilot"  # the plan card, not the error card
    expected = f"The deal is already won (since {TODAY.isoformat()}); reopen it first"
    assert expected in _texts(_sections(again)["Outcome"])
    later = TODAY + timedelta(days=30)
    held = _card(_move(sidebar, "hold", deal.deal_id, {"revisit_on": _day(later)}))
    assert "reopen it before putting it on hold" in _texts(held)
    assert _outcome(app, deal.deal_id).outcome is Outcome.WON

    reopened = _move(sidebar, "reopen", deal.deal_id)
    assert _note(reopened) == "Reopened"
    assert _sections(_card(reopened))["Outcome"]["widgets"][0]["decoratedText"]["text"] == "Open"
    assert _outcome(app, deal.deal_id) is None
    refused = _card(_move(sidebar, "reopen", deal.deal_id))
    assert "The deal is open already" in _texts(_sections(refused)["Outcome"])


@pytest.mark.parametrize(
    ("revisit", "message"),
    [
        (None, "Choose the date to revisit the deal"),
        (_text("soon"), "The revisit date must be a date, not 'soon'"),
        ({"dateInput": {"msSinceEpoch": "soon"}}, "The revisit date must be a date, not 'soon'"),
        (_day(TODAY), f"The revisit date must be after today ({TODAY.isoformat()})"),
    ],
)
def test_a_hold_without_a_later_date_is_refused_beside_its_form(
    sidebar: Sidebar, app: Flask, revisit: dict[str, Any] | None, message: str
) -> None:
    deal = _plan(sidebar, app)
    typed = {"revisit_on": revisit} if revisit else {}
    card = _card(_move(sidebar, "hold", deal.deal_id, typed))
    form = _sections(card)["Put on hold"]
    assert str(escape(message)) in form["widgets"][0]["textParagraph"]["text"]
    assert "collapsible" not in form  # open, so the seller sees why
    assert str(escape(message)) not in _texts(_sections(card)["Outcome"])
    assert _outcome(app, deal.deal_id) is None


def test_putting_a_deal_on_hold_shows_the_revisit_date(sidebar: Sidebar, app: Flask) -> None:
    deal = _plan(sidebar, app)
    later = TODAY + timedelta(days=45)
    body = _move(sidebar, "hold", deal.deal_id, {"revisit_on": _day(later)})
    line = f"On hold since {TODAY.isoformat()}, revisit on {later.isoformat()}"
    assert _note(body) == line
    card = _card(body)
    assert {"Mark won", "Reopen", "Change the revisit date"} <= set(_buttons(card))
    assert _outcome(app, deal.deal_id).revisit_on == later


def test_ending_sharing_is_for_lost_deals_and_asks_first(
    sidebar: Sidebar, app: Flask, sheets: Any
) -> None:
    deal = _plan(sidebar, app)
    refused = _card(_move(sidebar, "end-sharing", deal.deal_id))
    assert "Sharing with the buyers ends for a lost deal only" in _texts(refused)
    _move(sidebar, "lost", deal.deal_id, {"loss_reason": _text("Timing")})

    asked = _card(_move(sidebar, "end-sharing", deal.deal_id))
    assert asked["header"]["title"] == "End sharing with buyers?"
    assert BUYER in _texts(asked) and {"End sharing", "Keep sharing"} == set(_buttons(asked))
    kept = _card(_move(sidebar, "end-sharing", deal.deal_id, confirmed="no"))
    assert kept["header"]["title"] == "Globex pilot"
    read = sheets(BUYER).spreadsheets().get(spreadsheetId=deal.spreadsheet_id)
    assert read.execute()["spreadsheetId"] == deal.spreadsheet_id  # still shared

    ended = _move(sidebar, "end-sharing", deal.deal_id, confirmed="yes")
    assert _note(ended) == f"The plan is no longer shared with {BUYER}"
    with pytest.raises(HttpError) as gone:
        sheets(BUYER).spreadsheets().get(spreadsheetId=deal.spreadsheet_id).execute()
    assert gone.value.resp.status in (403, 404)


def test_another_seller_cannot_change_a_deals_outcome(
    sidebar: Sidebar, app: Flask, local_google: Running
) -> None:
    deal = _plan(sidebar, app)
    other = Sidebar(app.test_client(), local_google)
    for path, params in [("won", {}), ("reopen", {}), ("end-sharing", {"confirmed": "yes"})]:
        card = _card(_move(other, path, deal.deal_id, **params))
        assert card["header"]["title"] == "Mutual action plans"  # their own plan list
        assert "That plan is not one of yours" in _texts(card)
    assert _outcome(app, deal.deal_id) is None


def test_an_unknown_deal_is_named_on_the_plan_list(sidebar: Sidebar) -> None:
    card = _card(_move(sidebar, "lost", "d_nosuchdeal0"))
    assert card["header"]["title"] == "Mutual action plans"
    assert "The add-on has no plan with the id &#39;d_nosuchdeal0&#39;." in _texts(card)


def test_a_stored_outcome_the_plan_cannot_show_says_so(
    sidebar: Sidebar, app: Flask, drive: Any
) -> None:
    deal = _plan(sidebar, app)
    with app.app_context():
        account = services().config.service_account
    permissions = drive(sidebar.seller).permissions()
    listed = permissions.list(
        fileId=deal.spreadsheet_id, fields="permissions(id,emailAddress)"
    ).execute()["permissions"]
    (mine,) = [p for p in listed if p.get("emailAddress") == account]
    permissions.delete(fileId=deal.spreadsheet_id, permissionId=mine["id"]).execute()
    card = _card(_move(sidebar, "won", deal.deal_id))
    assert "The outcome is recorded, but the plan could not show it" in _texts(card)
    assert _outcome(app, deal.deal_id).outcome is Outcome.WON


def test_the_plan_list_shows_each_deals_status_and_next_step_with_closed_deals_on_request(
    sidebar: Sidebar, app: Flask
) -> None:
    lost = _plan(sidebar, app)
    with app.app_context():
        held = services().creator.create(
            build_plan_request(
                deal_name="Hooli expansion",
                buyer_company="Hooli",
                buyer_emails=[f"gavin-{uuid.uuid4().hex[:6]}@hooli.example"],
                go_live=(TODAY + timedelta(days=150)).isoformat(),
                template="mid-market",
                owner=sidebar.seller,
                today=TODAY,
            )
        )
        with services().store.transaction() as tx:
            record = tx.deals.get(held.deal_id)
        assert record is not None
        figures = plan_health(services(), record).figures
    _move(sidebar, "lost", lost.deal_id, {"loss_reason": _text("Budget")})
    later = TODAY + timedelta(days=20)
    _move(sidebar, "hold", held.deal_id, {"revisit_on": _day(later)})

    home = _card(sidebar.post("/addon/home"))
    listed = _sections(home)["My plans"]
    (row,) = [w["decoratedText"] for w in listed["widgets"] if "decoratedText" in w]
    next_step = f"{figures['Next step']} ({str(figures['Next step side']).lower()})"
    assert row["topLabel"] == "Hooli" and row["text"] == "Hooli expansion"
    assert row["bottomLabel"] == f"On hold until {later.isoformat()} · next: {next_step}"
    assert "Globex pilot" not in _texts(home) and "Closed deals" not in _sections(home)
    assert "Show closed deals (1)" in _buttons(home)

    toggle = {"parameters": {"closed": "show"}}
    shown = sidebar.post("/addon/home", common=toggle)
    assert "updateCard" in shown["renderActions"]["action"]["navigations"][0]
    closed = _sections(_card(shown))["Closed deals"]
    assert "Globex pilot" in _texts(closed) and f"Lost on {TODAY.isoformat()}" in _texts(closed)
    assert "next:" not in _texts(closed)  # a lost deal has no next step
    assert "/addon/plan/show" in _texts(closed) and lost.deal_id in _texts(closed)
    assert "Hide closed deals" in _buttons(_card(shown))
    hidden = _card(sidebar.post("/addon/home", common={"parameters": {"closed": "hide"}}))
    assert "Closed deals" not in _sections(hidden)


def test_a_manager_of_the_owners_team_reads_the_plan_card_and_changes_nothing(
    sidebar: Sidebar, app: Flask, local_google: Running
) -> None:
    deal = _plan(sidebar, app)
    manager = Sidebar(app.test_client(), local_google)
    manager.seller = test_addon_cards.MANAGER  # teams.yaml: manages a team covering every deal
    card = _card(manager.post("/addon/plan/show", common={"parameters": {"deal_id": deal.deal_id}}))
    assert card["header"]["title"] == deal.name
    assert f"read only: {sidebar.seller}'s plan" in card["header"]["subtitle"]
    assert _sections(card)["Outcome"]["widgets"][0]["decoratedText"]["text"] == "Open"
    assert not {"Mark won", "Refresh now", "Add buyer contact", "Reopen"} & set(_buttons(card))
    assert "Mark lost" not in _sections(card)
    refused = _card(_move(manager, "won", deal.deal_id))
    assert "That plan is not one of yours" in _texts(refused)
    assert _outcome(app, deal.deal_id) is None
