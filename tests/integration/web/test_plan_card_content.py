"""The seller's plan card through Flask's test client and the stand-in: what it shows, that it is
computed once per version of the plan, and its actions (agree, add a contact, refresh)."""

from __future__ import annotations

import html
import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import test_addon_cards
from flask import Flask
from test_addon_cards import Sidebar, _card, _texts

from addon.domain.layout_deal import deal_fact
from addon.domain.model import Side
from addon.domain.plan_request import build_plan_request
from addon.store import DealRecord
from addon.web.resources import plan_cards, services

app = test_addon_cards.app  # the same app and sidebar fixtures
sidebar = test_addon_cards.sidebar
TODAY = datetime.now(UTC).date()


def _text(value: str) -> dict[str, Any]:
    return {"stringInputs": {"value": [value]}}


def _sections(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(section.get("header")).split(" (")[0]: section for section in card["sections"]}


def _buttons(card: dict[str, Any]) -> list[str]:
    return [
        button["text"]
        for section in card["sections"]
        for widget in section["widgets"]
        for button in widget.get("buttonList", {}).get("buttons", [])
    ]


def _facts(section: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        w["decoratedText"]["topLabel"]: w["decoratedText"]
        for w in section["widgets"]
        if "decoratedText" in w
    }


def _created(
    sidebar: Sidebar, app: Flask, *, name: str = "Globex pilot", company: str = "Globex"
) -> DealRecord:
    """A plan made for the sidebar's seller by the create use case (not through the form)."""
    with app.app_context():
        created = services().creator.create(
            build_plan_request(
                deal_name=name,
                buyer_company=company,
                buyer_emails=[f"ann-{uuid.uuid4().hex[:6]}@globex.example"],
                go_live=(TODAY + timedelta(days=120)).isoformat(),
                template="mid-market",
                owner=sidebar.seller,
                today=TODAY,
            )
        )
        with services().store.transaction() as tx:
            deal = tx.deals.get(created.deal_id)
    assert deal is not None
    return deal


def _show(sidebar: Sidebar, deal_id: str, **params: str) -> dict[str, Any]:
    return _card(
        sidebar.post("/addon/plan/show", common={"parameters": {"deal_id": deal_id, **params}})
    )


def _post(sidebar: Sidebar, path: str, deal_id: str, inputs: dict[str, Any] | None = None) -> Any:
    return sidebar.post(path, inputs=inputs, common={"parameters": {"deal_id": deal_id}})


def test_the_card_is_computed_once_per_plan_version_then_only_read(
    sidebar: Sidebar, app: Flask
) -> None:
    deal = _created(sidebar, app)
    with app.app_context():
        before = plan_cards().computed
    first = _show(sidebar, deal.deal_id)
    assert _show(sidebar, deal.deal_id) == first
    with app.app_context():
        assert plan_cards().computed == before + 1
    typed = {"email": _text("bo@globex.example"), "name": _text("Bo Chen"), "role": _text("Legal")}
    added = _post(sidebar, "/addon/contact/add", deal.deal_id, typed)
    fresh = added["renderActions"]["action"]["navigations"][0]["updateCard"]
    assert "Bo Chen" in _texts(_sections(fresh)["Buyers"])  # a fresh card after the action
    with app.app_context():
        assert plan_cards().computed == before + 2


def test_the_card_names_the_next_steps_owner_the_buyers_and_their_roles(
    sidebar: Sidebar, app: Flask
) -> None:
    deal = _created(sidebar, app)
    card = _show(sidebar, deal.deal_id)
    following = _facts(_sections(card)["Health"])["Next step"]
    assert "due " in following["bottomLabel"]
    assert "@" not in following["bottomLabel"]  # a name (or "you"), never an address
    buyer = next(p for p in deal.people if p.side is Side.BUYER)
    typed = {
        "email": _text("cy@globex.example"),
        "name": _text("Cy Park"),
        "role": _text("Champion"),
    }
    _post(sidebar, "/addon/contact/add", deal.deal_id, typed)
    buyers = _facts(_sections(_show(sidebar, deal.deal_id))["Buyers"])
    assert buyers["Champion"]["text"] == "Cy Park"
    assert any(buyer.email in f.get("bottomLabel", "") for f in buyers.values())


def test_titles_read_well_and_show_no_step_ids(sidebar: Sidebar, app: Flask) -> None:
    deal = _created(sidebar, app, name="Contoso Pharma", company="Contoso Pharma")
    card = _show(sidebar, deal.deal_id)
    assert card["header"]["title"] == "Contoso Pharma" and "subtitle" not in card["header"]
    with app.app_context(), services().store.transaction() as tx:
        snapshot = tx.snapshots.latest(deal.deal_id)
    assert snapshot is not None
    ids = {str(step["id"]) for step in snapshot.payload["steps"] if step.get("id")}
    shown = json.dumps(card)
    assert ids and not [i for i in ids if f'"{i}"' in shown or f" {i} " in shown]


def test_the_seller_agrees_the_plan_for_their_side_in_one_write_and_sees_it(
    sidebar: Sidebar, app: Flask, sheets: Any
) -> None:
    deal = _created(sidebar, app)
    card = _show(sidebar, deal.deal_id)
    assert "Agree the plan for our side" in _buttons(card)
    assert _facts(_sections(card)["Agreement"])["Seller's side"]["text"] == "not yet"
    answer = _post(sidebar, "/addon/plan/agree", deal.deal_id)
    assert answer["renderActions"]["action"]["notification"]["text"] == (
        f"Agreed for your side on {TODAY.isoformat()}"
    )
    fresh = answer["renderActions"]["action"]["navigations"][0]["updateCard"]
    agreement = _facts(_sections(fresh)["Agreement"])
    assert agreement["Seller's side"]["text"] == f"agreed on {TODAY.isoformat()}"
    assert "Agree the plan for our side" not in _buttons(fresh)
    cells = (
        sheets(sidebar.seller)
        .spreadsheets()
        .values()
        .batchGet(
            spreadsheetId=deal.spreadsheet_id,
            ranges=[deal_fact("plan_agreed_seller").value_cell],
        )
        .execute()["valueRanges"][0]["values"]
    )
    assert cells == [["TRUE"]]
    again = _post(sidebar, "/addon/plan/agree", deal.deal_id)
    refused = again["renderActions"]["action"]["navigations"][0]["updateCard"]
    assert "agreed this plan already" in _texts(refused)
    assert refused["header"]["title"] != "Something went wrong"


def _field_messages(form: dict[str, Any]) -> dict[str, str]:
    """Each input's name -> the warning right above it in the form."""
    widgets = form["sections"][0]["widgets"]
    found = {}
    for before, widget in zip(widgets, widgets[1:], strict=False):
        field = widget.get("textInput") or widget.get("selectionInput")
        if field and "textParagraph" in before:
            found[field["name"]] = html.unescape(before["textParagraph"]["text"])
    return found


def test_add_contact_refuses_duplicates_the_sellers_company_and_an_unchosen_role(
    sidebar: Sidebar, app: Flask
) -> None:
    deal = _created(sidebar, app)
    form = _card(_post(sidebar, "/addon/contact/new", deal.deal_id))
    roles = form["sections"][0]["widgets"][2]["selectionInput"]["items"]
    assert [r["value"] for r in roles if r["selected"]] == [""]  # no role chosen for the seller
    buyer = next(p for p in deal.people if p.side is Side.BUYER)
    cases = {
        buyer.email: ("email", "already on this plan"),
        "lee@vendor.example": ("email", "at the seller's company (vendor.example)"),
    }
    for email, (field, said) in cases.items():
        typed = {"email": _text(email), "name": _text("Lee"), "role": _text("Legal")}
        refused = _card(_post(sidebar, "/addon/contact/add", deal.deal_id, typed))
        assert said in _field_messages(refused)[field]
    typed = {"email": _text("dee@globex.example"), "name": _text("Dee")}
    refused = _card(_post(sidebar, "/addon/contact/add", deal.deal_id, typed))
    assert "Choose the contact's role" in _field_messages(refused)["role"]
    with app.app_context(), services().store.transaction() as tx:
        stored = tx.deals.get(deal.deal_id)
    assert stored is not None and stored.people == deal.people  # nothing was added


def test_oversized_and_malformed_fields_get_a_message_beside_them(
    sidebar: Sidebar, app: Flask
) -> None:
    deal = _created(sidebar, app)
    typed = {
        "email": _text("x" * 5000 + "@globex.example"),
        "name": _text("N" * 5000),
        "role": _text("Legal"),
    }
    refused = _card(_post(sidebar, "/addon/contact/add", deal.deal_id, typed))
    messages = _field_messages(refused)
    assert "at most 254 characters" in messages["email"]
    assert "at most 100 characters" in messages["name"]
    assert len(json.dumps(refused)) < 5000  # what was typed is not echoed whole
    # the plan card's date picker with a value that is not a date
    bad_date = {"revisit_on": {"dateInput": {"msSinceEpoch": "next tuesday"}}}
    held = sidebar.post(
        "/addon/deal/hold", inputs=bad_date, common={"parameters": {"deal_id": deal.deal_id}}
    )
    card = held["renderActions"]["action"]["navigations"][0]["updateCard"]
    assert card["header"]["title"] != "Something went wrong"
    assert "must be a date" in _texts(_sections(card)["Put on hold"])
    words = {"loss_reason": _text("Price"), "loss_words": _text("w" * 20000)}
    lost = sidebar.post(
        "/addon/deal/lost", inputs=words, common={"parameters": {"deal_id": deal.deal_id}}
    )
    card = lost["renderActions"]["action"]["navigations"][0]["updateCard"]
    assert card["header"]["title"] != "Something went wrong"
    assert "characters" in _texts(_sections(card)["Mark lost"])


def test_names_with_markup_or_direction_overrides_are_shown_escaped(
    sidebar: Sidebar, app: Flask
) -> None:
    deal = _created(sidebar, app)
    hostile = "<b>Eve</b> \u202egnp.exe"
    typed = {"email": _text("eve@globex.example"), "name": _text(hostile), "role": _text("Legal")}
    added = _post(sidebar, "/addon/contact/add", deal.deal_id, typed)
    fresh = added["renderActions"]["action"]["navigations"][0]["updateCard"]
    legal = _facts(_sections(fresh)["Buyers"])["Legal"]["text"]
    assert legal == "&lt;b&gt;Eve&lt;/b&gt; [U+202E]gnp.exe"
    assert "\u202e" not in json.dumps(fresh, ensure_ascii=False)


def _risky(app: Flask, seller: str) -> DealRecord:
    """A plan made 90 days ago whose every step is overdue, with no buyer named."""
    made = datetime.now(UTC) - timedelta(days=90)
    deal = replace(_template_deal(seller), created_at=made, updated_at=made)
    with app.app_context(), services().store.transaction() as tx:
        tx.deals.insert(deal)
        tx.snapshots.insert(deal.deal_id, _payload(deal, made.date()), taken_at=made)
    return deal


def _template_deal(seller: str) -> DealRecord:
    from addon.store import DealStatus, new_deal_id

    now = datetime.now(UTC)
    return DealRecord(
        deal_id=new_deal_id(),
        name="Initech renewal",
        buyer_company="Initech",
        owner_email=seller,
        template="mid-market",
        template_version=1,
        go_live=TODAY + timedelta(days=10),
        created_at=now,
        updated_at=now,
        spreadsheet_id=f"sheet-{uuid.uuid4().hex[:8]}",
        status=DealStatus.READY,
    )


def _payload(deal: DealRecord, made: Any) -> dict[str, Any]:
    from addon.domain.model import PlanDocument
    from addon.domain.schedule import schedule
    from addon.domain.snapshot import initial_snapshot
    from addon.domain.templates import find_template

    template = find_template("mid-market")
    plan = schedule(template, made + timedelta(days=100), made)
    document = PlanDocument(deal.deal_id, deal.name, deal.buyer_company, template, plan)
    payload = initial_snapshot(document, deal.owner_email)
    for step in payload["steps"]:
        step["due"] = (made + timedelta(days=5)).isoformat()
    payload["deal"]["alternatives"] = "Doing nothing"
    return payload


def test_every_risk_or_and_n_more_with_a_way_to_see_them_all(sidebar: Sidebar, app: Flask) -> None:
    deal = _risky(app, sidebar.seller)
    card = _show(sidebar, deal.deal_id)
    risks = _sections(card)["Risks"]
    shown = _facts(risks)
    assert len(shown) == 6
    more = next(w["textParagraph"]["text"] for w in risks["widgets"] if "textParagraph" in w)
    hidden = int(more.split()[1])
    assert more == f"and {hidden} more" and hidden >= 1
    assert f"Show all {6 + hidden} risks" in _buttons(card)
    every = _show(sidebar, deal.deal_id, risks="all")
    assert len(_facts(_sections(every)["Risks"])) == 6 + hidden
    assert "more" not in _texts(_sections(every)["Risks"]).replace("furthermore", "")
    warnings = _sections(card)["Schedule warnings"]
    late = [w for w in warnings["widgets"] if " was due " in json.dumps(w)]
    assert len(late) == len(_payload(deal, TODAY)["steps"])  # every late step, not the first 5


def test_refresh_reads_the_plan_and_answers_a_fresh_card(sidebar: Sidebar, app: Flask) -> None:
    deal = _created(sidebar, app)
    answer = _post(sidebar, "/addon/plan/refresh", deal.deal_id)
    assert answer["renderActions"]["action"]["notification"]["text"] == "Plan refreshed"
    other = Sidebar(sidebar.client, sidebar.local_google)
    refused = _card(_post(other, "/addon/plan/refresh", deal.deal_id))
    assert refused["header"]["title"] == "Something went wrong"
    assert "not one of yours" in _texts(refused)


def test_refresh_shows_a_buyers_edit_credited_to_them(
    sidebar: Sidebar, app: Flask, sheets: Any
) -> None:
    deal = _created(sidebar, app)
    buyer = next(p.email for p in deal.people if p.side is Side.BUYER)
    with app.app_context():
        services().watcher.tick()  # the change feed starts here
    moved = (TODAY + timedelta(days=60)).isoformat()
    sheets(buyer).spreadsheets().values().update(
        spreadsheetId=deal.spreadsheet_id,
        range="Plan!F2",
        valueInputOption="USER_ENTERED",
        body={"values": [[moved]]},
    ).execute()
    answer = _post(sidebar, "/addon/plan/refresh", deal.deal_id)
    fresh = answer["renderActions"]["action"]["navigations"][0]["updateCard"]
    latest = _texts(_sections(fresh)["Latest changes"])
    assert f"{buyer}: Moved" in latest and f"to {moved}" in latest
