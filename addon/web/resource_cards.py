"""The sidebar's Share a resource form, under /addon/resource: a row of the plan's Resources tab.

A blueprint nested in the add-on's (`addon.bp`): its caller verification and error card apply
here too. Only the deal's owner shares; a refused field shows its reason beside it, with what
was typed kept; a shared resource answers with a fresh form that says what was shared.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from ..domain.layout_deal import long_day
from ..domain.naming import deal_title
from ..domain.resources import InvalidResource, Resource, ResourceKind
from ..services.deal_outcome import UnknownDeal
from ..services.share_resource import NotTheOwner, ResourceSharing
from ..store import DealRecord
from . import cards
from .addon_events import event, inputs, parameters, url, user
from .resources import services

bp = Blueprint("resources", __name__, url_prefix="/resource")

FIELDS = (
    ("title", "Title", "What the buyer will see, e.g. Northwind case study"),
    ("url", "Address", "The full https:// address"),
    ("note", "Note (optional)", "Why it matters to them"),
)
NOT_YOURS = "Only the plan's owner shares resources on it."


def resource_form(
    deal: DealRecord,
    values: Mapping[str, str] | None = None,
    refused: InvalidResource | None = None,
    shared: Resource | None = None,
) -> cards.Json:
    """The form, with a refusal beside its field or a note of what was just shared."""
    values = values or {}
    widgets: list[cards.Json] = []
    if shared is not None:
        widgets.append(
            cards.text(
                f"Shared {shared.title} on {long_day(shared.shared_on)}: it is on "
                "the plan's Resources tab."  # text() escapes what the seller typed
            )
        )
    for name, label, hint in FIELDS[:1]:
        widgets += _field(name, label, hint, values, refused)
    kinds = [(k.value, k.value) for k in ResourceKind]
    widgets.append(
        cards.dropdown("kind", "Kind", [("Choose…", ""), *kinds], values.get("kind", ""))
    )
    if refused is not None and refused.field == "kind":
        widgets.append(cards.warning(str(refused)))
    for name, label, hint in FIELDS[1:]:
        widgets += _field(name, label, hint, values, refused)
    widgets.append(
        cards.buttons(
            cards.action_button("Share", url("/addon/resource/share"), {"deal_id": deal.deal_id})
        )
    )
    return cards.card(
        "Share a resource",
        [cards.section(widgets)],
        subtitle=deal_title(deal.name, deal.buyer_company),
    )


def _field(
    name: str,
    label: str,
    hint: str,
    values: Mapping[str, str],
    refused: InvalidResource | None,
) -> list[cards.Json]:
    widgets = [cards.text_input(name, label, values.get(name, ""), hint)]
    if refused is not None and refused.field == name:
        widgets.append(cards.warning(str(refused)))
    return widgets


def _owned_deal(seller: str) -> DealRecord | str:
    """The deal the button names, if the seller owns it; else the reason to show."""
    ref = parameters(event()).get("deal_id", "")
    try:
        deal = services().lifecycle.find(ref) if ref.strip() else None
    except UnknownDeal:
        deal = None
    if deal is None:
        return "The add-on has no plan with that id."
    if deal.owner_email.lower() != seller:
        return NOT_YOURS
    return deal


@bp.post("/new")
def new_resource() -> ResponseReturnValue:
    """The empty form, pushed over the plan card."""
    found = _owned_deal(user(event()))
    if isinstance(found, str):
        return jsonify(cards.notify(found))
    return jsonify(cards.push(resource_form(found)))


@bp.post("/share")
def share_resource() -> ResponseReturnValue:
    """Add the row; a refused field is shown beside it, with what was typed kept."""
    seller = user(event())
    found = _owned_deal(seller)
    if isinstance(found, str):
        return jsonify(cards.notify(found))
    values = inputs(event())
    app = services()
    sharing = ResourceSharing(app.google, app.config.service_account)
    try:
        shared = sharing.share(
            found,
            by=seller,
            title=values.get("title", ""),
            kind=values.get("kind", ""),
            url=values.get("url", ""),
            note=values.get("note", ""),
        )
    except InvalidResource as refused:
        return jsonify(cards.update(resource_form(found, values, refused)))
    except NotTheOwner:
        return jsonify(cards.notify(NOT_YOURS))
    return jsonify(cards.notify(f"Shared: {shared.title}", resource_form(found, shared=shared)))
