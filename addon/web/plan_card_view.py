"""One plan's card: its outcome, health, schedule warnings, buyers, agreement, risks, actions.

Drawn from a `PlanCardView` (services/plan_card.py: read from the store, computed once per
version of the plan), so drawing it makes no Google request and runs no review computation.
Text from the sheet or a form is escaped by the card builders (`cards.py`).
"""

from __future__ import annotations

from collections.abc import Mapping

from ..domain.outcome import Outcome
from ..services.plan_card import PlanCardData, PlanCardView
from ..services.plan_card_content import names_of
from ..store import DealRecord
from . import cards
from .addon_events import url
from .outcome_cards import OutcomePanel, outcome_sections
from .resources import plan_cards, services

SHOWN = 6  # risks shown on the plan card before "and N more", most severe first
ALL = "all"  # the `risks` parameter that shows every risk


def plan_card(
    deal: DealRecord, panel: OutcomePanel | None = None, *, read_only: bool = False
) -> cards.Json:
    """The card of a deal the caller has checked the user may see (owner, or read only)."""
    view = plan_cards().of(deal, read_only=read_only)
    return render_plan_card(view, panel, viewer=None if read_only else deal.owner_email)


def render_plan_card(
    view: PlanCardView,
    panel: OutcomePanel | None = None,
    *,
    viewer: str | None = None,
    all_risks: bool = False,
    message: str | None = None,
) -> cards.Json:
    """The card: `message` is an action's refusal, shown at the top; `all_risks` lists every
    risk instead of the first SHOWN and "and N more"."""
    deal, data = view.deal, view.data
    panel = panel or OutcomePanel(view.outcome)
    notice = data.access
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
    top = [cards.section([cards.warning(message)])] if message else []
    outcome, forms = outcome_sections(deal, panel, read_only=view.read_only)
    checklist = [cards.fact(title, evidence) for title, evidence in data.health.checklist]
    latest = [cards.text(line) for line in data.health.latest] or [cards.text("No changes yet.")]
    title, subtitle = card_titles(deal)
    if view.read_only:
        # a manager tells the team's sellers apart by their address when no name is known
        owner = names_of(deal, None).get(deal.owner_email.lower()) or deal.owner_email
        subtitle = " · ".join(part for part in (subtitle, f"read only: {owner}'s plan") if part)
    return cards.card(
        title,
        [
            *top,
            *access,
            outcome,
            cards.section(_health(view, viewer), header="Health"),
            _warnings(data),
            cards.section(_buyers(data), header="Buyers"),
            cards.section(_agreement(view), header="Agreement"),
            cards.section(latest, header="Latest changes"),
            cards.section(_risks(view, viewer, all_risks), header="Risks"),
            *([cards.section(checklist, header="Set-up checklist")] if checklist else []),
            cards.section([_actions(view)]),
            *forms,
        ],
        subtitle=subtitle,
    )


def card_titles(deal: DealRecord) -> tuple[str, str | None]:
    """(title, subtitle): the deal's name, and the buyer's company unless the name says it."""
    name = " ".join(deal.name.split()) or "Unnamed deal"
    company = " ".join(deal.buyer_company.split())
    if not company or company.casefold() in name.casefold():
        return name, None
    return name, company


def _health(view: PlanCardView, viewer: str | None) -> list[cards.Json]:
    data, row = view.data, view.data.health.figures
    if not data.read:
        return [cards.text("The plan has not been read yet: its figures follow its first read.")]
    step = data.next_step
    if step is None:
        following = cards.fact("Next step", "none open")
    else:
        owner = step.owner_name
        if viewer and step.owner_email == viewer.lower():
            owner = "you"
        whose = ", ".join(part for part in (owner, step.side.lower()) if part)
        when = f"due {step.due:%a} {step.due.day} {step.due:%b %Y}" if step.due else "no due date"
        following = cards.fact("Next step", step.name, f"{when} · {whose}" if whose else when)
    projected = str(row.get("Projected close") or "")[:10]
    return [
        cards.fact("Progress", f"{row['% done']}% of steps done"),
        following,
        cards.fact("Overdue", f"buyer {row['Overdue (buyer)']} · seller {row['Overdue (seller)']}"),
        cards.fact("Slips", f"{row['Slips']} ({row['Slip days']} business days)"),
        cards.fact("Projected close", projected or "not known", str(row.get("Forecast") or "")),
    ]


def _warnings(data: PlanCardData) -> cards.Json:
    """Every schedule warning; the section folds when there are more than a few."""
    widgets = [cards.warning(line) for line in data.warnings] or [
        cards.text("No schedule warnings.")
    ]
    header = f"Schedule warnings ({len(data.warnings)})" if data.warnings else "Schedule"
    return cards.section(widgets, header=header, collapsed=len(data.warnings) > SHOWN)


def _buyers(data: PlanCardData) -> list[cards.Json]:
    widgets = []
    for buyer in data.buyers:
        below = buyer.email + (" · listed in the sheet, not invited" if buyer.in_sheet_only else "")
        widgets.append(cards.fact(buyer.role or "Role not given", buyer.name, below))
    return widgets or [cards.text("No buyer contacts yet.")]


def _signed(on: str | None) -> str:
    """A side's sign-off as the card says it: None is not agreed, "" agreed with no date."""
    if on is None:
        return "not yet"
    return f"agreed on {on}" if on else "agreed"


def _agreement(view: PlanCardView) -> list[cards.Json]:
    agreement, deal = view.data.agreement, view.deal
    buyer, seller = _signed(agreement.buyer_on), _signed(agreement.seller_on)
    widgets = [cards.fact("Buyer's side", buyer), cards.fact("Seller's side", seller)]
    if agreement.stale_since:
        widgets.append(
            cards.warning(
                f"A material change on {agreement.stale_since} withdrew the earlier agreement."
            )
        )
    lost = view.outcome is not None and view.outcome.outcome is Outcome.LOST
    if not view.read_only and view.data.read and not agreement.seller_agreed and not lost:
        agree = cards.action_button(
            "Agree the plan for our side", url("/addon/plan/agree"), {"deal_id": deal.deal_id}
        )
        widgets.append(cards.buttons(agree))
    return widgets


def _risks(view: PlanCardView, viewer: str | None, all_risks: bool) -> list[cards.Json]:
    risks = view.data.health.risks
    shown = risks if all_risks else risks[:SHOWN]
    widgets = [cards.fact(title, question) for title, question in shown] or [
        cards.text("No risks flagged.")
    ]
    if len(risks) > len(shown):
        more = len(risks) - len(shown)
        widgets.append(cards.text(f"and {more} more"))
        params = {"deal_id": view.deal.deal_id, "risks": ALL}
        links = [
            cards.action_button(f"Show all {len(risks)} risks", url("/addon/plan/show"), params)
        ]
        links += [
            cards.link_button(f"Open pipeline review ({team})", link)
            for team, link in reviews_managed_by(viewer or "")
        ]
        widgets.append(cards.buttons(*links))
    return widgets


def _actions(view: PlanCardView) -> cards.Json:
    deal = view.deal
    opener = [cards.link_button("Open sheet", deal.url)] if deal.url else []
    if view.read_only:
        return cards.buttons(*opener) if opener else cards.text("")
    ident: Mapping[str, str] = {"deal_id": deal.deal_id}
    return cards.buttons(
        cards.action_button("Refresh now", url("/addon/plan/refresh"), ident),
        cards.action_button("Add buyer contact", url("/addon/contact/new"), ident),
        cards.action_button("Share a resource", url("/addon/resource/new"), ident),
        cards.action_button("Reminder settings", url("/addon/reminders/show"), ident),
        *opener,
    )


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
