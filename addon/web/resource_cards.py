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
from ..services.share_resource import NotTheOwner, ResourceSharing
from ..store import DealRecord
from . import cards
from .addon_events import event, inputs, url, user
from .deal_ref import owned_deal
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


@bp.post("/new")
def new_resource() -> ResponseReturnValue:
    """The empty form, pushed over the plan card."""
    found = owned_deal(user(event()), NOT_YOURS)
    if isinstance(found, str):
        return jsonify(cards.notify(found))
    return jsonify(cards.push(resource_form(found)))


@bp.post("/share")
def share_resource() -> ResponseReturnValue:
    """Add the row; a refused field is shown beside it, with what was typed kept."""
    seller = user(event())
    found = owned_deal(seller, NOT_YOURS)
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
