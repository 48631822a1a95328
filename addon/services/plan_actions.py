"""The seller's actions on one plan from its card: read it now, add a buyer contact, agree it.

Each checks who may act and what was typed before any Google request, then does its requests
as the seller and reads the plan once more, so the card drawn next shows the result (a new
snapshot is a new card version, `services/plan_card.py`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..domain.agreement import ON, TICK
from ..domain.attribution import company_domain
from ..domain.layout_cells import serial
from ..domain.layout_deal import deal_fact
from ..domain.layout_tabs import STAKEHOLDERS_TAB
from ..domain.model import Role, Side
from ..domain.plan_request import InvalidPlanRequest, normalise_email
from ..google.gateway import GoogleGateway
from ..store import DealRecord, PersonRecord, Store
from .plan_card import NotYourPlan
from .plan_card_content import agreement_of, buyers_of
from .sign_off import add_sign_off_editor

MAX_NAME = 100  # characters of a contact's name
MAX_EMAIL = 254  # characters of an address (RFC 5321's path limit)
BUYER_ROLES = tuple(role.value for role in Role if role.side is Side.BUYER)


class ActionRefused(Exception):
    """The action cannot be done as asked; `problems` maps each form field to its message
    ("" for a message about the whole action)."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = dict(problems)


@dataclass(frozen=True)
class NewContact:
    """A buyer contact as the form gave it, checked."""

    email: str
    name: str
    role: str


def contact_problems(
    values: Mapping[str, str],
    deal: DealRecord,
    *,
    seller_domains: Collection[str],
    service_account: str,
) -> tuple[NewContact | None, dict[str, str]]:
    """The contact the form describes, or each field's problem: a valid address of someone not
    yet on the plan and not at the seller's company, a name, and a buyer role chosen."""
    problems: dict[str, str] = {}
    typed = values.get("email", "").strip()
    email = ""
    if not typed:
        problems["email"] = "Give the contact's email address."
    elif len(typed) > MAX_EMAIL:
        problems["email"] = f"An email address has at most {MAX_EMAIL} characters."
    else:
        try:
            email = normalise_email(typed, "the address")
        except InvalidPlanRequest as exc:
            problems["email"] = _sentence(str(exc)) + "."
    if email:
        problem = _who_problem(email, deal, seller_domains, service_account)
        if problem:
            problems["email"] = problem
    name = " ".join(values.get("name", "").split())
    if not name:
        problems["name"] = "Give the contact's name."
    elif len(name) > MAX_NAME:
        problems["name"] = f"A name has at most {MAX_NAME} characters (this one has {len(name)})."
    elif any(unicodedata.category(c) == "Cc" for c in name):
        problems["name"] = "A name cannot hold control characters."
    role = values.get("role", "").strip()
    if role not in BUYER_ROLES:
        problems["role"] = "Choose the contact's role."
    if problems:
        return None, problems
    return NewContact(email, name, role), {}


def _who_problem(
    email: str, deal: DealRecord, seller_domains: Collection[str], service_account: str
) -> str | None:
    """Why this address cannot be added as a buyer, if it cannot."""
    on_plan = deal.person(email)
    if on_plan is not None:
        role = f", {on_plan.role}" if on_plan.role else ""
        return f"{email} is already on this plan ({on_plan.side.label}{role})."
    if email == service_account.lower() or email == deal.owner_email.lower():
        return f"{email} is on the seller's side, not a buyer."
    ours = {d.strip().lower().lstrip("@") for d in seller_domains if d.strip()}
    ours |= {company_domain(deal.owner_email) or ""}
    ours |= {company_domain(p.email) or "" for p in deal.people if p.side is Side.SELLER}
    domain = company_domain(email)
    if domain and domain in ours:
        return f"{email} is at the seller's company ({domain}): add people from the buyer's side."
    return None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


class PlanActions:
    """Refresh, add a buyer contact, agree for the seller's side.

    Dependencies: the store, a gateway acting as a given user, one plan's read (the watch's
    refresh of one deal), the seller's domains, the service account and the day.
    """

    def __init__(
        self,
        store: Store,
        *,
        gateway_for: Callable[[str], GoogleGateway],
        read_plan: Callable[[str], Any],
        seller_domains: Collection[str],
        service_account: str,
        today: Callable[[], date],
    ) -> None:
        self.store = store
        self.gateway_for = gateway_for
        self.read_plan = read_plan
        self.seller_domains = tuple(seller_domains)
        self.service_account = service_account
        self.today = today

    def own_deal(self, user: str, deal_id: str) -> DealRecord:
        """The deal if `user` owns it and it has its sheet; NotYourPlan otherwise."""
        with self.store.transaction(read_only=True) as tx:
            deal = tx.deals.get(deal_id) if deal_id else None
        if deal is None or deal.owner_email.lower() != user.lower() or not deal.spreadsheet_id:
            raise NotYourPlan(deal_id)
        return deal

    def refresh(self, user: str, deal_id: str) -> DealRecord:
        """Read the seller's plan now (one plan, not a whole watch tick)."""
        deal = self.own_deal(user, deal_id)
        self.read_plan(deal.deal_id)
        return deal

    def add_contact(self, user: str, deal_id: str, values: Mapping[str, str]) -> NewContact:
        """Share the plan with a new buyer, list them on the Stakeholders tab (unless the buyer
        listed them), let them sign off for the buyer, remember them; ActionRefused with each
        field's problem first."""
        deal = self.own_deal(user, deal_id)
        contact, problems = contact_problems(
            values, deal, seller_domains=self.seller_domains, service_account=self.service_account
        )
        if contact is None:
            raise ActionRefused(problems)
        with self.store.transaction(read_only=True) as tx:
            snapshot = tx.snapshots.latest(deal.deal_id)
        listed = {b.email for b in buyers_of(deal, snapshot.payload if snapshot else None)}
        sheet = str(deal.spreadsheet_id)
        gateway = self.gateway_for(user)
        permission = gateway.share(sheet, contact.email, "writer", notify=True)
        if contact.email not in listed:  # the buyer may have listed them on the tab already
            row = [contact.name, contact.email, Side.BUYER.label, contact.role, ""]
            gateway.append_values(sheet, f"{STAKEHOLDERS_TAB}!A1", [row])
        # The contact may now tick "Plan agreed by buyer" (the sheet protects it for buyers).
        add_sign_off_editor(gateway, sheet, Side.BUYER, contact.email)
        person = PersonRecord(contact.email, Side.BUYER, contact.name, contact.role)
        with self.store.transaction() as tx:
            tx.deals.add_person(deal.deal_id, person)
            tx.deals.mark_shared(deal.deal_id, contact.email, permission_id=permission)
        return contact

    def agree_for_seller(self, user: str, deal_id: str) -> date:
        """Tick "Plan agreed by seller" and date it in the plan, as the seller (one write to the
        protected sign-off cells), then read the plan so the agreement is recorded as the watch
        records any: credited to the seller, stale again after a material change."""
        deal = self.own_deal(user, deal_id)
        with self.store.transaction(read_only=True) as tx:
            snapshot = tx.snapshots.latest(deal.deal_id)
            outcome = tx.outcomes.get(deal.deal_id)
        if outcome is not None and outcome.outcome == "lost":
            raise ActionRefused({"": "A lost deal's plan is not agreed any more."})
        agreement = agreement_of(snapshot.payload if snapshot else None)
        if agreement.seller_agreed:
            when = f" on {agreement.seller_on}" if agreement.seller_on else ""
            raise ActionRefused({"": f"Your side agreed this plan already{when}."})
        today = self.today()
        tick, on = deal_fact(TICK[Side.SELLER]), deal_fact(ON[Side.SELLER])
        cells = [
            {"range": tick.value_cell, "values": [[True]]},
            {"range": on.value_cell, "values": [[serial(today)]]},
        ]
        self.gateway_for(user).write_values(str(deal.spreadsheet_id), cells)  # one request
        self.read_plan(deal.deal_id)
        return today
