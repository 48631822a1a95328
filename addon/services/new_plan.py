"""Creating a plan from the seller's form: checked first, asked about a second plan for the
same deal, created once per request key.

The order: the form is checked (`domain/plan_checks.py`) before anything is read or written;
a request key the store already knows is a retry or a double click and goes straight to the
create use case, which finishes or returns that plan; otherwise a plan of this seller with
the same deal name and buyer company is named, and a second one made only when asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..domain.model import Template
from ..domain.plan_checks import FormCheck, PlanForm, check_plan_form, checked_request
from ..domain.plan_request import InvalidPlanRequest
from ..domain.templates import TemplateError, find_template
from ..store import DealRecord
from .create_plan import PlanCreated, PlanCreator


class SamePlanExists(Exception):
    """This seller has a plan for a deal of this name and buyer company already."""

    def __init__(self, deal: DealRecord) -> None:
        super().__init__(f"a plan for {deal.name} ({deal.buyer_company}) already exists")
        self.deal = deal


class FormAlreadyUsed(Exception):
    """The form's request key created a plan with other details: the form was changed after."""

    def __init__(self, deal: DealRecord) -> None:
        super().__init__(f"this form already created the plan for {deal.name}")
        self.deal = deal


def template_named(name: str, templates_dir: Path | None = None) -> Template | None:
    """The template of that name, None when there is none (the form's check says so)."""
    try:
        return find_template(name.strip(), templates_dir) if name.strip() else None
    except TemplateError:
        return None


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class NewPlan:
    """The seller's New plan form: check, ask, create (PlanCreator does the creating)."""

    creator: PlanCreator
    seller_domains: Collection[str]
    today: Callable[[], date]

    def check(self, form: PlanForm, owner: str, *, roles_required: bool = True) -> FormCheck:
        """Every problem of the form, with the go-live to propose (reads template files only)."""
        return check_plan_form(
            form,
            owner=owner,
            template=template_named(form.template, self.creator.templates_dir),
            today=self.today(),
            seller_domains=self.seller_domains,
            roles_required=roles_required,
        )

    def same_deal(self, owner: str, deal_name: str, buyer_company: str) -> DealRecord | None:
        """The owner's newest plan for a deal of this name and buyer company, if any."""
        name, company = _folded(deal_name), _folded(buyer_company)
        with self.creator.store.transaction(read_only=True) as tx:
            deals = tx.deals.newest_first(owner_email=owner)
        return next(
            (d for d in deals if _folded(d.name) == name and _folded(d.buyer_company) == company),
            None,
        )

    def create(
        self, form: PlanForm, owner: str, *, request_key: str, another: bool = False
    ) -> PlanCreated:
        """Create the plan the form describes. PlanFormRefused (nothing read or written) when
        a field is wrong; SamePlanExists unless `another` when the deal has a plan already;
        FormAlreadyUsed when the key made a plan of other details."""
        check = self.check(form, owner)
        request = checked_request(
            form, check, owner=owner, today=self.today(), request_key=request_key
        )
        with self.creator.store.transaction(read_only=True) as tx:
            earlier = tx.deals.get_by_request_key(request_key)
        if earlier is None and not another:
            existing = self.same_deal(request.owner, request.deal_name, request.buyer_company)
            if existing is not None:
                raise SamePlanExists(existing)
        try:
            return self.creator.create(request)
        except InvalidPlanRequest:
            if earlier is not None and earlier.owner_email == request.owner:  # other details
                raise FormAlreadyUsed(earlier) from None
            raise
