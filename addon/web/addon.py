"""The Workspace add-on's card endpoints under /addon (Sheets homepage and the seller's flows).

Every call is verified before anything else: the bearer token must be Google's ID token for
this endpoint's URL under MAP_ADDON_AUDIENCE, issued to MAP_ADDON_CALLER (the add-ons service
account); the user is the verified email of the event's `userIdToken`. Anything else is 401.
The seller's Google calls use the event's `userOAuthToken` (on Google) or act as that user on
the local stand-in. Failures answer an error card, never an error page.
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from ..config import Config
from ..services.create_plan import PlanIncomplete
from ..services.plan_card import NotYourPlan
from . import addon_create, addon_outcomes, addon_plan, cards, reminder_cards, resource_cards
from .addon_events import event as _event
from .addon_events import parameters as _parameters
from .addon_events import url as _url
from .addon_events import user as _user
from .auth import verify_bearer
from .plan_card_view import render_plan_card
from .plan_cards import home_card
from .resources import plan_cards, services

log = logging.getLogger(__name__)
bp = Blueprint("addon", __name__, url_prefix="/addon")
bp.register_blueprint(addon_outcomes.bp)  # /addon/deal/...: verified and answered as below
bp.register_blueprint(addon_plan.bp)  # /addon/plan/show|refresh|agree, /addon/contact/...
bp.register_blueprint(resource_cards.bp)  # /addon/resource/new|share
bp.register_blueprint(reminder_cards.bp)  # /addon/reminders/show|save
bp.register_blueprint(addon_create.bp)  # /addon/plan/new|form|create: the New plan form


@bp.before_request
def verify_caller() -> None:
    """Refuse any call not signed by Google for this endpoint (401 before any work)."""
    config: Config = current_app.config["MAP"]
    verify_bearer(config, request, (config.addon_caller.lower(),), refused=401)


@bp.errorhandler(Exception)
def error_card(error: Exception) -> ResponseReturnValue:
    """Domain and Google failures become an error card; refusals stay 401/403."""
    if isinstance(error, HTTPException):
        return error
    log.exception("add-on request failed")
    message = (
        str(error)
        if isinstance(error, PlanIncomplete)
        else (
            "The add-on could not finish this. Try again in a minute; if it keeps happening, "
            "tell your admin."
        )
    )
    return jsonify(cards.push(cards.error_card(message)))


@bp.post("/home")
def home() -> ResponseReturnValue:
    """Homepage: inside a plan, its card; elsewhere, the seller's plans and New plan.

    The plan list's "Show closed deals" toggle comes back here with a `closed` parameter
    (show or hide): the list is drawn again in place, wherever the seller is.
    """
    event = _event()
    user = _user(event)
    toggled = _parameters(event).get("closed")
    sheet = event.get("sheets") or {}
    spreadsheet_id = sheet.get("id")
    if spreadsheet_id and toggled is None:
        with services().store.transaction(read_only=True) as tx:
            deal = tx.deals.get_by_spreadsheet_id(spreadsheet_id)
        if deal is not None:
            try:  # the owner's card, or read only for a teammate or manager of their team
                view = plan_cards().show(user, deal.deal_id)
            except NotYourPlan:
                view = None
            if view is not None:
                viewer = None if view.read_only else deal.owner_email
                return jsonify(cards.push(render_plan_card(view, viewer=viewer)))
    card = home_card(user, show_closed=toggled == "show")
    if toggled is not None:
        return jsonify(cards.update(card))
    if spreadsheet_id and sheet.get("addonHasFileScopePermission") is False:
        ask = cards.section(
            [
                cards.text("To show a plan's health here, the add-on needs to read this file."),
                cards.buttons(cards.action_button("Allow access", _url("/addon/file-scope"))),
            ]
        )
        card["sections"].insert(0, ask)
    return jsonify(cards.push(card))


@bp.post("/file-scope")
def file_scope() -> ResponseReturnValue:
    """Ask Sheets for access to the open spreadsheet (drive.file scope, for this file only).

    https://developers.google.com/workspace/add-ons/editors/gsao/editor-actions
    """
    _user(_event())
    return jsonify(
        {
            "renderActions": {
                "hostAppAction": {"editorAction": {"requestFileScopeForActiveDocument": {}}}
            }
        }
    )
