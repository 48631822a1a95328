"""The Workspace add-on's card endpoints under /addon (Sheets homepage and the seller's flows).

Every call is verified before anything else: the bearer token must be Google's ID token for
this endpoint's URL under MAP_ADDON_AUDIENCE, issued to MAP_ADDON_CALLER (the add-ons service
account); the user is the verified email of the event's `userIdToken`. Anything else is 401.
The seller's Google calls use the event's `userOAuthToken` (on Google) or act as that user on
the local stand-in. Failures answer an error card, never an error page.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from ..config import Config
from ..domain.plan_request import InvalidPlanRequest, build_plan_request
from ..domain.templates import load_templates
from ..google.gateway import UserTokenFactory
from ..services.create_plan import PlanCreator, PlanIncomplete
from . import addon_outcomes, addon_plan, cards, reminder_cards, resource_cards
from .addon_events import event as _event
from .addon_events import inputs as _inputs
from .addon_events import parameters as _parameters
from .addon_events import url as _url
from .addon_events import user as _user
from .auth import verify_bearer
from .plan_cards import home_card, plan_card
from .resources import services

log = logging.getLogger(__name__)
bp = Blueprint("addon", __name__, url_prefix="/addon")
bp.register_blueprint(addon_outcomes.bp)  # /addon/deal/...: verified and answered as below
bp.register_blueprint(addon_plan.bp)  # /addon/plan/show|refresh|agree, /addon/contact/...
bp.register_blueprint(resource_cards.bp)  # /addon/resource/new|share
bp.register_blueprint(reminder_cards.bp)  # /addon/reminders/show|save


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
        if deal is not None and deal.owner_email == user:
            return jsonify(cards.push(plan_card(deal)))
        if deal is not None and _teammate(user, deal.owner_email):
            return jsonify(cards.push(plan_card(deal, read_only=True)))
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


def _teammate(user: str, owner: str) -> bool:
    """A manager of the owner's team, or a seller of a team that lists both (teams.yaml)."""
    from ..domain.teams import load_teams, may_read

    return may_read(user, owner, load_teams(services().config.teams_file))


def _form_card(values: dict[str, str], message: str | None = None) -> cards.Json:
    templates = [(f"{t.title}", t.name) for t in load_templates()]
    widgets = []
    if message:
        widgets.append(cards.warning(message))
    go_live = None
    if values.get("go_live"):
        try:
            go_live = datetime.fromisoformat(values["go_live"]).date()
        except ValueError:
            go_live = None
    widgets += [
        cards.text_input("deal", "Deal name", values.get("deal", "")),
        cards.text_input("buyer_company", "Buyer company", values.get("buyer_company", "")),
        cards.text_input(
            "buyers", "Buyer contacts", values.get("buyers", ""), hint="Emails, separated by commas"
        ),
        cards.date_input("go_live", "Buyer's go-live date", go_live),
        cards.dropdown("template", "Template", templates, values.get("template", templates[0][1])),
        cards.text_input(
            "amount", "Amount (only you and your managers see it)", values.get("amount", "")
        ),
        cards.buttons(cards.action_button("Create plan", _url("/addon/plan/create"))),
    ]
    return cards.card("New mutual action plan", [cards.section(widgets)])


@bp.post("/plan/new")
def new_plan() -> ResponseReturnValue:
    """The New plan form."""
    _user(_event())
    return jsonify(cards.push(_form_card({})))


@bp.post("/plan/create")
def create_plan() -> ResponseReturnValue:
    """Create the plan from the form; bad input comes back on the form with what was typed."""
    event = _event()
    user = _user(event)
    values = _inputs(event)
    try:
        plan_request = build_plan_request(
            deal_name=values.get("deal", ""),
            buyer_company=values.get("buyer_company", ""),
            buyer_emails=[
                e for e in values.get("buyers", "").replace(";", ",").split(",") if e.strip()
            ],
            go_live=values.get("go_live", ""),
            template=values.get("template", ""),
            owner=user,
            amount=values.get("amount") or None,
            today=datetime.now(UTC).date(),
        )
        creator = _creator_for(user, event)
        creator.template(plan_request.template)
        created = creator.create(plan_request)
    except InvalidPlanRequest as exc:
        return jsonify(cards.update(_form_card(values, str(exc))))
    widgets = [
        cards.text(f"Shared with {', '.join(created.shared_with)}."),
        *[cards.text(f"⚠ {w}") for w in created.schedule_warnings[:5]],
        cards.buttons(cards.link_button("Open the plan", created.url)),
    ]
    return jsonify(
        cards.update(
            cards.card("Plan created", [cards.section(widgets)], subtitle=plan_request.deal_name)
        )
    )


def _creator_for(user: str, event: dict[str, Any]) -> PlanCreator:
    """The create-plan use case acting as the seller with the event's OAuth token."""
    shared = services()
    token = (event.get("authorizationEventObject") or {}).get("userOAuthToken", "")
    if shared.config.is_local or not token:
        return shared.creator  # no per-request token to honour: reuse the cached clients
    factory = UserTokenFactory(shared.config, shared.google.counter, user=user, token=token)
    return PlanCreator(shared.store, factory, shared.config.service_account)
