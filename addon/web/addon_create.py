"""The New plan form's routes under /addon: draw it, draw it again, create the plan.

A blueprint nested in the add-on's (`addon.bp`): its caller verification and error card apply
here too. Every answer to a form that cannot be created yet is the form again, in place, with
what was typed, each problem beside its field, and a proposed go-live one click away; nothing
is read from Google or written before the form is good (`services/new_plan.py`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ..domain.plan_checks import (
    AMOUNT,
    COMPANY,
    DEAL,
    GO_LIVE,
    TEMPLATE,
    BuyerEntry,
    PlanForm,
    PlanFormRefused,
    buyer_email_field,
    buyer_role_field,
)
from ..domain.plan_request import InvalidPlanRequest
from ..domain.templates import load_templates
from ..google.gateway import UserTokenFactory
from ..services.context import today
from ..services.create_plan import PlanCreator
from ..services.new_plan import FormAlreadyUsed, NewPlan, SamePlanExists
from . import cards
from .addon_events import event, inputs, parameters, url, user
from .create_cards import FIRST_ROWS, MAX_ROWS, SHOW, FormState, created_card, plan_form
from .resources import services

bp = Blueprint("create", __name__)

_KEY = re.compile(r"card-[0-9a-f]{32}")


def _new_key() -> str:
    """A request key for one form: a double click or a retry of it creates one plan."""
    return f"card-{uuid.uuid4().hex}"


def _key(params: Mapping[str, str]) -> str:
    """The form's key as the button carried it; a fresh one if it is not one of ours."""
    key = str(params.get("request_key", ""))
    return key if _KEY.fullmatch(key) else _new_key()


def _rows(params: Mapping[str, str], values: Mapping[str, str]) -> int:
    """Buyer rows to draw: as the button asked, and at least as many as hold something."""
    try:
        asked = int(str(params.get("rows", FIRST_ROWS))[:3])
    except ValueError:
        asked = FIRST_ROWS
    fields = (buyer_email_field(i) for i in range(MAX_ROWS))
    typed = max((i + 1 for i, name in enumerate(fields) if values.get(name)), default=0)
    roles = (buyer_role_field(i) for i in range(MAX_ROWS))
    chosen = max((i + 1 for i, name in enumerate(roles) if values.get(name)), default=0)
    return min(MAX_ROWS, max(1, asked, typed, chosen))


def _form(values: Mapping[str, str], rows: int) -> PlanForm:
    return PlanForm(
        deal_name=values.get(DEAL, ""),
        buyer_company=values.get(COMPANY, ""),
        buyers=tuple(
            BuyerEntry(values.get(buyer_email_field(i), ""), values.get(buyer_role_field(i), ""))
            for i in range(rows)
        ),
        go_live=values.get(GO_LIVE, ""),
        template=values.get(TEMPLATE, ""),
        amount=values.get(AMOUNT, ""),
    )


def _drawn(state: FormState) -> cards.Json:
    templates = [(t.title, t.name) for t in load_templates(services().templates_dir)]
    return plan_form(state, templates, url)


@bp.post("/plan/new")
def new_plan() -> ResponseReturnValue:
    """The New plan form, empty, with a fresh request key."""
    user(event())
    return jsonify(cards.push(_drawn(FormState({}, _new_key()))))


@bp.post("/plan/form")
def redraw_form() -> ResponseReturnValue:
    """The form again in place: one more buyer row, or the proposed go-live filled in."""
    found = event()
    user(found)
    params, values = parameters(found), dict(inputs(found))
    if params.get(GO_LIVE):
        values[GO_LIVE] = str(params[GO_LIVE])[:10]
    state = FormState(values, _key(params), _rows(params, values))
    return jsonify(cards.update(_drawn(state)))


@bp.post("/plan/create")
def create_plan() -> ResponseReturnValue:
    """Create the plan from the form; a form that cannot be created yet comes back with why."""
    found = event()
    seller = user(found)
    params, values = parameters(found), inputs(found)
    rows, key = _rows(params, values), _key(params)
    plans = NewPlan(_creator_for(seller, found), services().config.seller_domains, today)
    try:
        created = plans.create(
            _form(values, rows), seller, request_key=key, another=params.get("another") == "yes"
        )
    except PlanFormRefused as refused:
        check = refused.check
        state = FormState(values, key, rows, check.problems, check.proposal)
        return jsonify(cards.update(_drawn(state)))
    except SamePlanExists as asked:
        return jsonify(cards.update(_drawn(FormState(values, key, rows, same_deal=asked.deal))))
    except FormAlreadyUsed as used:
        notice = (
            f"This form created the plan for {used.deal.name} before it was changed. "
            "Press Create plan to create another plan from what it holds now."
        )
        state = FormState(values, _new_key(), rows, notice=notice)
        return jsonify(cards.update(_drawn(state)))
    except InvalidPlanRequest as exc:  # what the form's check does not cover (the owner)
        return jsonify(cards.update(_drawn(FormState(values, key, rows, notice=str(exc)))))
    with services().store.transaction(read_only=True) as tx:
        deal = tx.deals.get(created.deal_id)
    card = created_card(
        deal.name if deal else values.get(DEAL, ""),
        created.url,
        [
            email
            for email in created.shared_with
            if email != services().config.service_account.lower()
        ],
        created.schedule_warnings,
        reused=created.reused,
        open_card=cards.action_button("Show its card", url(SHOW), {"deal_id": created.deal_id}),
    )
    return jsonify(cards.update(card))


def _creator_for(seller: str, event: dict[str, Any]) -> PlanCreator:
    """The create-plan use case acting as the seller with the event's OAuth token."""
    shared = services()
    token = (event.get("authorizationEventObject") or {}).get("userOAuthToken", "")
    if shared.config.is_local or not token:
        return shared.creator  # no per-request token to honour: reuse the cached clients
    factory = UserTokenFactory(shared.config, shared.google.counter, user=seller, token=token)
    return PlanCreator(
        shared.store, factory, shared.config.service_account, templates_dir=shared.templates_dir
    )
