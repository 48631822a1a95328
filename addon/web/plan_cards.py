"""The seller's two main cards: the plan list (homepage) and one plan's card (health, outcome).

Both read the store only: no Google request is made to draw them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from ..domain.plan_access import AccessLoss
from ..domain.review import steps_frame
from ..domain.review_input import ReviewInput
from ..domain.templates import load_templates
from ..services.consolidate import deal_facts
from ..services.deal_outcome import outcome_of
from ..services.plan_health import access_notice, plan_health
from ..store import DealRecord, SnapshotRecord
from . import cards
from .addon_events import url
from .outcome_cards import OutcomePanel, outcome_sections, status_of
from .resources import services

SHOWN = 6  # risks shown on the plan card, most severe first
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
    following = next_steps([*live, *shown_closed], latest, today)

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


def next_steps(
    deals: list[DealRecord], latest: dict[str, SnapshotRecord], today: date
) -> dict[str, str]:
    """Each deal's next open step as its latest snapshot has it (the review's rule: the
    earliest due, then the sheet's order; `domain/review.py`), named with its side."""
    read = [d for d in deals if d.deal_id in latest]
    if not read:
        return {}
    data = ReviewInput(
        today=today,
        deals=tuple(deal_facts(d) for d in read),
        snapshots={d.deal_id: latest[d.deal_id].payload for d in read},
        events={},
        templates={t.name: t for t in load_templates()},
    )
    steps = steps_frame(data)
    done = steps["status"].fillna("").astype(str).str.strip().str.casefold().eq("done")
    following = (
        steps[~done]
        .sort_values(["deal_id", "due", "row"], na_position="last")
        .drop_duplicates("deal_id")
    )
    found = {}
    for row in following.itertuples(index=False):
        name = row.name if isinstance(row.name, str) else str(row.step_id or "a step")
        side = f" ({row.owner_side.lower()})" if isinstance(row.owner_side, str) else ""
        found[str(row.deal_id)] = name + side
    return found


def reviews_managed_by(user: str) -> list[tuple[str, str]]:
    """(team, workbook URL) for each team this user manages whose review has been built."""
    from ..domain.teams import load_teams
    from ..services.consolidate import WORKBOOK

    found = []
    for team in load_teams(services().config.teams_file):
        if user in team.managers:
            with services().store.transaction() as tx:
                workbook = tx.cursors.get(WORKBOOK + team.name)
            if workbook:
                found.append((team.name, f"https://docs.google.com/spreadsheets/d/{workbook}/edit"))
    return found


def plan_card(
    deal: DealRecord, panel: OutcomePanel | None = None, *, read_only: bool = False
) -> cards.Json:
    """One plan: its outcome, health, latest changes, risks, and what the seller can do.

    `read_only`: for a teammate or manager of the owner's team: no action changes anything.
    """
    health = plan_health(services(), deal)
    if panel is None:
        panel = OutcomePanel(services().lifecycle.current(deal.deal_id))
    row = health.figures
    facts = [
        cards.fact("Progress", f"{row['% done']}% of steps done"),
        cards.fact(
            "Next step", str(row.get("Next step") or "none"), str(row.get("Next step side") or "")
        ),
        cards.fact("Overdue", f"buyer {row['Overdue (buyer)']} · seller {row['Overdue (seller)']}"),
        cards.fact("Slips", f"{row['Slips']} ({row['Slip days']} business days)"),
        cards.fact(
            "Projected close", str(row.get("Projected close") or "")[:10], str(row["Forecast"])
        ),
    ]
    risks = [cards.fact(title, question) for title, question in health.risks[:SHOWN]] or [
        cards.text("No risks flagged.")
    ]
    if len(health.risks) > SHOWN:
        more = len(health.risks) - SHOWN
        risks.append(cards.text(f"and {more} more in the team's pipeline review"))
    checklist = [cards.fact(title, evidence) for title, evidence in health.checklist]
    # Buyer text is escaped by the card builders: card text renders a small HTML subset.
    latest = [cards.text(line) for line in health.latest] or [cards.text("No changes yet.")]
    opener = [cards.link_button("Open sheet", deal.url)] if deal.url else []
    actions = cards.buttons(
        cards.action_button("Refresh now", url("/addon/plan/refresh"), {"deal_id": deal.deal_id}),
        cards.action_button(
            "Add buyer contact", url("/addon/contact/new"), {"deal_id": deal.deal_id}
        ),
        *opener,
    )
    if read_only:
        actions = cards.buttons(*opener) if opener else cards.text("")
    notice = health.access
    access = (
        [
            cards.section(
                [cards.warning(f"{notice.what.capitalize()}."), cards.text(notice.todo)],
                header=notice.headline,
            )
        ]
        if notice is not None
        else []
    )
    outcome, forms = outcome_sections(deal, panel, read_only=read_only)
    return cards.card(
        deal.name,
        [
            *access,
            outcome,
            cards.section(facts, header="Health"),
            cards.section(latest, header="Latest changes"),
            cards.section(risks, header="Risks"),
            *([cards.section(checklist, header="Set-up checklist")] if checklist else []),
            cards.section([actions]),
            *forms,
        ],
        subtitle=(
            f"{deal.buyer_company} · read only: {deal.owner_email}'s plan"
            if read_only
            else deal.buyer_company
        ),
    )
