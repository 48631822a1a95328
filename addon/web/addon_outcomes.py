"""The plan card's outcome moves under /addon/deal: won, lost, on hold, reopen, end sharing.

A blueprint nested in the add-on's (`addon.bp`): its caller verification and error card apply
here too. Each move is the seller's own (`DealLifecycle`, owner only) and answers the plan card
again; a refused move shows its one-line reason on the card, beside the form it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ..domain.model import Side
from ..domain.outcome import InvalidOutcome
from ..services.deal_outcome import DealLifecycle, NotYourDeal, OutcomeChange, UnknownDeal
from ..store import DealRecord
from . import cards
from .addon_events import event, inputs, parameters, user
from .outcome_cards import END_SHARING, HOLD, LOST, REOPEN, WON, OutcomePanel, end_sharing_card
from .plan_cards import home_card, plan_card
from .resources import services

bp = Blueprint("outcomes", __name__, url_prefix="/deal")

NOT_YOURS = "That plan is not one of yours: only its owner can change its outcome."

# (lifecycle, deal, the signed-in seller, the form) -> the change
Move = Callable[[DealLifecycle, DealRecord, str, dict[str, str]], OutcomeChange]


class Refused(Exception):
    """The move names no deal of this seller's: the plan list answers, with the reason."""


def _owned(lifecycle: DealLifecycle, ref: str, seller: str) -> DealRecord:
    try:
        deal = lifecycle.find(ref) if ref.strip() else None
    except UnknownDeal:
        deal = None
    if deal is None:
        raise Refused(f"The add-on has no plan with the id {ref!r}.")
    if deal.owner_email.lower() != seller:
        raise Refused(NOT_YOURS)
    return deal


def _answer(move: str, act: Move, done: Callable[[OutcomeChange], str]) -> ResponseReturnValue:
    """Run the move for the deal the button names; answer the plan card (or the plan list)."""
    found = event()
    seller = user(found)
    values = inputs(found)
    lifecycle = services().lifecycle
    try:
        deal = _owned(lifecycle, parameters(found).get("deal_id", ""), seller)
    except Refused as exc:
        return jsonify(cards.update(home_card(seller, message=str(exc))))
    try:
        change = act(lifecycle, deal, seller, values)
    except NotYourDeal:  # the owner changed since the check above
        return jsonify(cards.update(home_card(seller, message=NOT_YOURS)))
    except InvalidOutcome as exc:
        panel = OutcomePanel(
            lifecycle.current(deal.deal_id), refused=move, message=str(exc), values=values
        )
        return jsonify(cards.update(plan_card(deal, panel)))
    panel = OutcomePanel(change.outcome, warning=change.warning)
    return jsonify(cards.notify(done(change), plan_card(change.deal, panel)))


def _described(change: OutcomeChange) -> str:
    return change.outcome.describe() if change.outcome is not None else "Reopened"


@bp.post("/won")
def mark_won() -> ResponseReturnValue:
    """The deal is won."""
    return _answer(
        WON,
        lambda lifecycle, deal, seller, _: lifecycle.close(
            deal.deal_id, won=True, by=seller, owner_only=True
        ),
        _described,
    )


def loss_reason(values: dict[str, str]) -> str:
    """The reason as the use case reads it: "Reason: the seller's words" (domain/outcome.py)."""
    reason = values.get("loss_reason", "").strip()
    words = values.get("loss_words", "").strip()
    return f"{reason}: {words}" if reason and words else reason or words


@bp.post("/lost")
def mark_lost() -> ResponseReturnValue:
    """The deal is lost: a reason from the list, the seller's words, the competitor if any."""
    return _answer(
        LOST,
        lambda lifecycle, deal, seller, values: lifecycle.close(
            deal.deal_id,
            won=False,
            by=seller,
            reason=loss_reason(values) or None,
            competitor=values.get("competitor", "").strip() or None,
            owner_only=True,
        ),
        _described,
    )


def revisit_date(values: dict[str, str]) -> date:
    """The form's revisit date; InvalidOutcome if it is missing or not a date."""
    typed = values.get("revisit_on", "").strip()
    if not typed:
        raise InvalidOutcome("choose the date to revisit the deal")
    try:
        return date.fromisoformat(typed)
    except ValueError:
        raise InvalidOutcome(f"the revisit date must be a date, not {typed!r}") from None


@bp.post("/hold")
def put_on_hold() -> ResponseReturnValue:
    """The deal is paused until the revisit date."""
    return _answer(
        HOLD,
        lambda lifecycle, deal, seller, values: lifecycle.hold(
            deal.deal_id, until=revisit_date(values), by=seller, owner_only=True
        ),
        _described,
    )


@bp.post("/reopen")
def reopen() -> ResponseReturnValue:
    """A won, lost or on-hold deal is open again."""
    return _answer(
        REOPEN,
        lambda lifecycle, deal, seller, _: lifecycle.reopen(
            deal.deal_id, by=seller, owner_only=True
        ),
        lambda change: "Reopened",
    )


@bp.post("/end-sharing")
def end_sharing() -> ResponseReturnValue:
    """A lost deal's plan is unshared from its buyers, once the seller confirms it."""
    found = event()
    seller = user(found)
    params = parameters(found)
    lifecycle = services().lifecycle
    try:
        deal = _owned(lifecycle, params.get("deal_id", ""), seller)
    except Refused as exc:
        return jsonify(cards.update(home_card(seller, message=str(exc))))
    confirmed = params.get("confirmed")
    if confirmed == "no":
        return jsonify(cards.update(plan_card(deal)))
    if confirmed != "yes":
        outcome = lifecycle.current(deal.deal_id)
        if outcome is None or not outcome.archived:
            return _refused(lifecycle, deal, "sharing with the buyers ends for a lost deal only")
        buyers = [p.email for p in deal.people if p.side is Side.BUYER and p.shared]
        return jsonify(cards.push(end_sharing_card(deal, buyers)))
    try:
        ended = lifecycle.end_sharing(deal.deal_id, by=seller, owner_only=True)
    except NotYourDeal:
        return jsonify(cards.update(home_card(seller, message=NOT_YOURS)))
    except InvalidOutcome as exc:
        return _refused(lifecycle, deal, str(exc))
    note = (
        f"The plan is no longer shared with {', '.join(ended)}"
        if ended
        else "No buyer had access to the plan"
    )
    return jsonify(cards.notify(note, plan_card(deal)))


def _refused(lifecycle: DealLifecycle, deal: DealRecord, message: str) -> Any:
    panel = OutcomePanel(lifecycle.current(deal.deal_id), refused=END_SHARING, message=message)
    return jsonify(cards.update(plan_card(deal, panel)))
