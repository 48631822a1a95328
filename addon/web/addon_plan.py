"""The plan card's routes under /addon: show, refresh, agree, and adding a buyer contact.

A blueprint nested in the add-on's (`addon.bp`): its caller verification and error card apply
here too. Each handler reads the event, calls one use case (`services/plan_card.py`,
`services/plan_actions.py`) and draws the answer; a refused action comes back on its card with
each message beside the field it is about.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ..domain.refresh_task import RefreshTask
from ..google.gateway import GoogleGateway, UserTokenFactory
from ..services.plan_actions import BUYER_ROLES, ActionRefused, PlanActions
from ..services.plan_card import NotYourPlan
from ..store import DealRecord
from . import cards
from .addon_events import event, inputs, parameters, url, user
from .plan_card_view import ALL, card_titles, render_plan_card
from .resources import plan_cards, services

bp = Blueprint("plan", __name__)

NOT_YOURS = "That plan is not one of yours."


def _not_yours() -> ResponseReturnValue:
    return jsonify(cards.push(cards.error_card(NOT_YOURS)))


def _card(seller: str, deal_id: str, **shown: Any) -> cards.Json:
    """The plan card of the seller's deal, as it stands now (a fresh read of the store)."""
    view = plan_cards().show(seller, deal_id)
    return render_plan_card(view, viewer=seller, **shown)


@bp.post("/plan/show")
def show_plan() -> ResponseReturnValue:
    """A plan's card: the owner's, or read only for a teammate or manager of the owner's team."""
    found = event()
    seller = user(found)
    params = parameters(found)
    try:
        card = _card(seller, params.get("deal_id", ""), all_risks=params.get("risks") == ALL)
    except NotYourPlan:
        return _not_yours()
    return jsonify(cards.push(card))


def _actions(seller: str, found: Mapping[str, Any]) -> PlanActions:
    """The plan actions use case, acting as the seller: with the event's OAuth token on Google,
    as that user on the local stand-in (where tokens name the user)."""
    shared = services()
    token = (found.get("authorizationEventObject") or {}).get("userOAuthToken", "")

    def gateway_for(email: str) -> GoogleGateway:
        if shared.config.is_local or not token:
            return shared.google.as_user(email)
        factory = UserTokenFactory(shared.config, shared.google.counter, user=email, token=token)
        return factory.as_user(email)

    return PlanActions(
        shared.store,
        gateway_for=gateway_for,
        read_plan=lambda deal_id: shared.watcher.refresh(RefreshTask(deal_id)),
        seller_domains=shared.config.seller_domains,
        service_account=shared.config.service_account,
        today=plan_cards().today,
    )


@bp.post("/plan/refresh")
def refresh_plan() -> ResponseReturnValue:
    """Read the plan now (this plan only), then show its card again."""
    found = event()
    seller = user(found)
    deal_id = parameters(found).get("deal_id", "")
    try:
        _actions(seller, found).refresh(seller, deal_id)
    except NotYourPlan:
        return _not_yours()
    return jsonify(cards.notify("Plan refreshed", _card(seller, deal_id)))


@bp.post("/plan/agree")
def agree_plan() -> ResponseReturnValue:
    """Agree the plan for the seller's side: the seller's tick and date, written as them."""
    found = event()
    seller = user(found)
    deal_id = parameters(found).get("deal_id", "")
    try:
        day = _actions(seller, found).agree_for_seller(seller, deal_id)
    except NotYourPlan:
        return _not_yours()
    except ActionRefused as exc:
        return jsonify(cards.update(_card(seller, deal_id, message=str(exc))))
    note = f"Agreed for your side on {day.isoformat()}"
    return jsonify(cards.notify(note, _card(seller, deal_id)))


def contact_form(
    deal: DealRecord, values: Mapping[str, str], problems: Mapping[str, str] | None = None
) -> cards.Json:
    """Add a buyer contact: address, name and role (none chosen until the seller picks one),
    each field's problem right above it."""
    problems = problems or {}

    def beside(field: str) -> list[cards.Json]:
        return [cards.warning(problems[field])] if problems.get(field) else []

    roles = [("Choose a role", ""), *((role, role) for role in BUYER_ROLES)]
    widgets = [
        *beside(""),
        *beside("email"),
        cards.text_input("email", "Email", values.get("email", "")[:300]),
        *beside("name"),
        cards.text_input("name", "Name", values.get("name", "")[:300]),
        *beside("role"),
        cards.dropdown("role", "Role", roles, values.get("role", "")),
        cards.buttons(
            cards.action_button(
                "Add and share", url("/addon/contact/add"), {"deal_id": deal.deal_id}
            )
        ),
    ]
    title, _ = card_titles(deal)
    return cards.card("Add buyer contact", [cards.section(widgets)], subtitle=title)


@bp.post("/contact/new")
def new_contact() -> ResponseReturnValue:
    """The form to add a buyer contact to one of the seller's plans."""
    found = event()
    seller = user(found)
    try:
        deal = _actions(seller, found).own_deal(seller, parameters(found).get("deal_id", ""))
    except NotYourPlan:
        return _not_yours()
    return jsonify(cards.push(contact_form(deal, {})))


@bp.post("/contact/add")
def add_contact() -> ResponseReturnValue:
    """Share the plan with the contact, list them on the Stakeholders tab, and remember them."""
    found = event()
    seller = user(found)
    deal_id = parameters(found).get("deal_id", "")
    values = inputs(found)
    actions = _actions(seller, found)
    try:
        contact = actions.add_contact(seller, deal_id, values)
    except NotYourPlan:
        return _not_yours()
    except ActionRefused as exc:
        deal = actions.own_deal(seller, deal_id)
        return jsonify(cards.update(contact_form(deal, values, exc.problems)))
    return jsonify(cards.notify(f"Shared with {contact.email}", _card(seller, deal_id)))
