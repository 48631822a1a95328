"""The seller's plan list (the homepage card); one plan's card is in `plan_card_view`.

Both read the store only: no Google request is made to draw them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ..domain.plan_access import AccessLoss
from ..services.deal_outcome import outcome_of
from ..services.plan_health import access_notice
from ..store import DealRecord
from . import cards
from .addon_events import url
from .outcome_cards import status_of
from .plan_card_view import plan_card, render_plan_card, reviews_managed_by
from .resources import plan_cards, services

LISTED = 20  # deals on the plan list, per group (live, closed)


def home_card(user: str, *, show_closed: bool = False, message: str | None = None) -> cards.Json:
    """The seller's deals, newest first: live ones, and the closed ones on request."""
    with services().store.transaction(read_only=True) as tx:
        deals = tx.deals.newest_first(owner_email=user)
        outcomes = tx.outcomes.all()
        latest = tx.snapshots.latest_of([d.deal_id for d in deals])
        lost = tx.access.all_lost()
    today = datetime.now(UTC).date()
    state = {d.deal_id: outcome_of(outcomes.get(d.deal_id)) for d in deals}
    ended = {deal_id for deal_id, o in state.items() if o is not None and o.closed}
    closed = [d for d in deals if d.deal_id in ended]
    live = [d for d in deals if d.deal_id not in ended][:LISTED]
    shown_closed = closed[:LISTED] if show_closed else []
    following = plan_cards().next_steps([*live, *shown_closed], latest)

    def rows(group: list[DealRecord]) -> list[cards.Json]:
        widgets = []
        for deal in group:
            outcome = state.get(deal.deal_id)
            below = status_of(outcome, today)
            if outcome is None or not outcome.archived:  # a lost deal has no next step
                known = "none" if deal.deal_id in latest else "not read yet"
                below += f" · next: {following.get(deal.deal_id) or known}"
            widgets.append(cards.fact(deal.buyer_company, deal.name, below))
            if deal.deal_id in lost:  # never silent: the seller sees it on their list too
                since = lost[deal.deal_id].lost_since
                loss = AccessLoss.of(lost[deal.deal_id].reason)
                notice = access_notice(services(), loss, since)
                widgets.append(cards.warning(f"{notice.headline}: {notice.what}. {notice.todo}"))
            widgets.append(
                cards.buttons(
                    cards.action_button(
                        "Plan card", url("/addon/plan/show"), {"deal_id": deal.deal_id}
                    ),
                    *([cards.link_button("Open sheet", deal.url)] if deal.url else []),
                )
            )
        return widgets

    widgets = [cards.warning(message)] if message else []
    widgets += rows(live) or [
        cards.text(
            "No live plans. Create one for a deal you are working on."
            if closed
            else "No plans yet. Create one for a deal you are working on."
        )
    ]
    if closed:
        toggle = "Hide closed deals" if show_closed else f"Show closed deals ({len(closed)})"
        widgets.append(
            cards.buttons(
                cards.action_button(
                    toggle, url("/addon/home"), {"closed": "hide" if show_closed else "show"}
                )
            )
        )
    sections = [cards.section(widgets, header="My plans")]
    if shown_closed:
        sections.append(cards.section(rows(shown_closed), header="Closed deals"))
    sections.append(
        cards.section([cards.buttons(cards.action_button("New plan", url("/addon/plan/new")))])
    )
    reviews = reviews_managed_by(user)
    if reviews:
        links = [
            cards.link_button(f"Open pipeline review ({team})", link) for team, link in reviews
        ]
        sections.append(cards.section([cards.buttons(*links)], header="For managers"))
    return cards.card("Mutual action plans", sections, subtitle=user)


__all__ = ["home_card", "plan_card", "render_plan_card", "reviews_managed_by"]
