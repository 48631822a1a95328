"""The seller's plan list (the homepage card); one plan's card is in `plan_card_view`.

Both read the store only: no Google request is made to draw them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

from ..domain.outcome import DealOutcome
from ..domain.plan_access import AccessLoss
from ..services.deal_outcome import outcome_of
from ..services.plan_health import access_notice
from ..store import AccessRecord, DealRecord, SnapshotRecord
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
    live_rows = _deal_rows(live, state, latest, following, lost, today)
    sections = [_my_plans_section(live_rows, len(closed), show_closed=show_closed, message=message)]
    if shown_closed:
        closed_rows = _deal_rows(shown_closed, state, latest, following, lost, today)
        sections.append(cards.section(closed_rows, header="Closed deals"))
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


def _deal_rows(
    group: list[DealRecord],
    state: Mapping[str, DealOutcome | None],
    latest: Mapping[str, SnapshotRecord],
    following: Mapping[str, str],
    lost: Mapping[str, AccessRecord],
    today: date,
) -> list[cards.Json]:
    """The plan list's rows of these deals: each one's status and next step, a warning when
    the plan's access is lost, and its buttons (the plan card, the sheet)."""
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


def _my_plans_section(
    live_rows: list[cards.Json], closed: int, *, show_closed: bool, message: str | None
) -> cards.Json:
    """The "My plans" section: the message, the live deals' rows (or a line saying there are
    none) and, when `closed` deals exist, the button that shows or hides them."""
    widgets = [cards.warning(message)] if message else []
    widgets += live_rows or [
        cards.text(
            "No live plans. Create one for a deal you are working on."
            if closed
            else "No plans yet. Create one for a deal you are working on."
        )
    ]
    if closed:
        toggle = "Hide closed deals" if show_closed else f"Show closed deals ({closed})"
        widgets.append(
            cards.buttons(
                cards.action_button(
                    toggle, url("/addon/home"), {"closed": "hide" if show_closed else "show"}
                )
            )
        )
    return cards.section(widgets, header="My plans")


__all__ = ["home_card", "plan_card", "render_plan_card", "reviews_managed_by"]
