"""The deal a card button names (its `deal_id` parameter), for an action only its owner takes."""

from __future__ import annotations

from ..services.deal_outcome import UnknownDeal
from ..store import DealRecord
from .addon_events import event, parameters
from .resources import services


def owned_deal(seller: str, not_yours: str) -> DealRecord | str:
    """The named deal if `seller` owns it; else the sentence to show instead."""
    ref = parameters(event()).get("deal_id", "")
    try:
        deal = services().lifecycle.find(ref) if ref.strip() else None
    except UnknownDeal:
        deal = None
    if deal is None:
        return "The add-on has no plan with that id."
    if deal.owner_email.lower() != seller:
        return not_yours
    return deal
