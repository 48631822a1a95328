"""The New plan form and what creating a plan answers, as Card v1 JSON (no Flask, no I/O).

The form is one card: the deal's fields, one row per buyer (address and a role the seller
picks: none is chosen until they do), each field's problem right above it, and for a go-live
that will not do, a button that fills in the date proposed. The Create button carries the
form's request key and its number of buyer rows as action parameters: Card v1 has no hidden
input, and Google sends an action's parameters back with every widget's value
(https://developers.google.com/workspace/add-ons/concepts/event-objects#common-event-object).
Date pickers take and give milliseconds since the epoch (`dateTimePicker`, `type: DATE_ONLY`;
https://developers.google.com/workspace/add-ons/reference/rpc/google.apps.card.v1#datetimepicker).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..domain.plan_checks import (
    AMOUNT,
    BUYER_ROLES,
    COMPANY,
    DEAL,
    GO_LIVE,
    TEMPLATE,
    buyer_email_field,
    buyer_role_field,
)
from ..store import DealRecord
from . import cards

FIRST_ROWS = 2  # buyer rows on a new form
MAX_ROWS = 10  # buyer rows a card shows; more buyers are added from the plan card
MAX_SHOWN = 300  # characters of a typed value drawn back into a field
FORM, CREATE, SHOW = "/addon/plan/form", "/addon/plan/create", "/addon/plan/show"


@dataclass(frozen=True)
class FormState:
    """The form as drawn: what was typed, its request key and buyer rows, and what to say."""

    values: Mapping[str, str]
    request_key: str
    rows: int = FIRST_ROWS
    problems: Mapping[str, str] = field(default_factory=dict)
    proposal: date | None = None
    same_deal: DealRecord | None = None  # a plan of this deal exists: ask before another
    notice: str | None = None  # a message about the whole form


def plan_form(
    state: FormState, templates: Sequence[tuple[str, str]], url: Callable[[str], str]
) -> cards.Json:
    """The New plan card for `state`; `templates` are (title, name), `url` names an endpoint."""
    keep = {"request_key": state.request_key, "rows": str(state.rows)}
    sections = []
    if state.same_deal is not None or state.notice:
        sections.append(cards.section(_asked(state, keep, url)))
    sections.append(cards.section(_deal_widgets(state, templates, keep, url), "Deal"))
    sections.append(cards.section(_buyer_widgets(state, keep, url), "Buyers"))
    create = cards.action_button("Create plan", url(CREATE), keep)
    sections.append(cards.section([cards.buttons(create)]))
    return cards.card("New mutual action plan", sections)


def _value(state: FormState, name: str) -> str:
    return state.values.get(name, "")[:MAX_SHOWN]


def _beside(state: FormState, name: str) -> list[cards.Json]:
    problem = state.problems.get(name)
    return [cards.warning(problem)] if problem else []


def _asked(
    state: FormState, keep: Mapping[str, str], url: Callable[[str], str]
) -> list[cards.Json]:
    """The question about a deal that has a plan already, or a notice about the form."""
    widgets: list[cards.Json] = []
    if state.notice:
        widgets.append(cards.warning(state.notice))
    deal = state.same_deal
    if deal is not None:
        made = deal.created_at.date().isoformat()
        widgets += [
            cards.warning(f"A plan for {deal.name} ({deal.buyer_company}) already exists."),
            cards.text(f"You made it on {made}. Open it, or create another plan for this deal."),
            cards.buttons(
                cards.action_button("Open it", url(SHOW), {"deal_id": deal.deal_id}),
                cards.action_button("Create another", url(CREATE), {**keep, "another": "yes"}),
            ),
        ]
    return widgets


def _deal_widgets(
    state: FormState,
    templates: Sequence[tuple[str, str]],
    keep: Mapping[str, str],
    url: Callable[[str], str],
) -> list[cards.Json]:
    chosen = state.values.get(TEMPLATE) or (templates[0][1] if templates else "")
    widgets = [
        *_beside(state, DEAL),
        cards.text_input(DEAL, "Deal name", _value(state, DEAL)),
        *_beside(state, COMPANY),
        cards.text_input(COMPANY, "Buyer company", _value(state, COMPANY)),
        *_beside(state, TEMPLATE),
        cards.dropdown(TEMPLATE, "Template", templates, chosen),
        *_beside(state, GO_LIVE),
        cards.date_input(GO_LIVE, "Buyer's go-live date", _date(state.values.get(GO_LIVE, ""))),
    ]
    if state.proposal is not None:  # one click fills the proposed date in
        use = f"Use {state.proposal:%a} {state.proposal.day} {state.proposal:%b %Y}"
        proposed = {**keep, GO_LIVE: state.proposal.isoformat()}
        widgets.append(cards.buttons(cards.action_button(use, url(FORM), proposed)))
    widgets += [
        *_beside(state, AMOUNT),
        cards.text_input(
            AMOUNT, "Amount (only you and your managers see it)", _value(state, AMOUNT)
        ),
    ]
    return widgets


def _buyer_widgets(
    state: FormState, keep: Mapping[str, str], url: Callable[[str], str]
) -> list[cards.Json]:
    roles = [("Choose a role", ""), *((role.value, role.value) for role in BUYER_ROLES)]
    widgets: list[cards.Json] = []
    for index in range(state.rows):
        email, role = buyer_email_field(index), buyer_role_field(index)
        chosen = state.values.get(role, "")
        widgets += [
            *_beside(state, email),
            cards.text_input(email, f"Buyer {index + 1}: email", _value(state, email)),
            *_beside(state, role),
            cards.dropdown(role, f"Buyer {index + 1}: role", roles, chosen),
        ]
    if state.rows < MAX_ROWS:
        more = {**keep, "rows": str(state.rows + 1)}
        widgets.append(cards.buttons(cards.action_button("Add another buyer", url(FORM), more)))
    return widgets


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def created_card(
    deal_name: str,
    url: str,
    shared_with: Sequence[str],
    warnings: Sequence[str],
    *,
    reused: bool,
    open_card: cards.Json | None = None,
) -> cards.Json:
    """The answer to a plan created (or found again for the same request key)."""
    widgets = []
    if reused:
        widgets.append(cards.text("This form had created the plan already; here it is."))
    if shared_with:
        widgets.append(cards.text(f"Shared with {', '.join(shared_with)}."))
    widgets += [cards.text(f"⚠ {warning}") for warning in warnings]
    buttons = [cards.link_button("Open the plan", url)]
    if open_card is not None:
        buttons.append(open_card)
    widgets.append(cards.buttons(*buttons))
    return cards.card("Plan created", [cards.section(widgets)], subtitle=deal_name)
