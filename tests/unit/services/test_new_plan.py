"""The New plan use case: a refused form creates nothing, a retry of the same request key is
never asked about, a second plan for the same deal is asked about first, roles travel."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest

from addon.domain.model import PlanRequest, Role
from addon.domain.plan_checks import BuyerEntry, PlanForm, PlanFormRefused
from addon.domain.plan_request import InvalidPlanRequest
from addon.services.create_plan import PlanCreated
from addon.services.new_plan import FormAlreadyUsed, NewPlan, SamePlanExists
from addon.store import DealRecord, DealStatus

TODAY = date(2026, 12, 4)
OWNER = "sam@vendor.example"


def deal(deal_id: str, name: str, company: str, owner: str = OWNER) -> DealRecord:
    at = datetime(2026, 12, 1, tzinfo=UTC)
    return DealRecord(
        deal_id=deal_id,
        name=name,
        buyer_company=company,
        owner_email=owner,
        template="mid-market",
        template_version=1,
        go_live=date(2027, 6, 1),
        signature_target=None,
        amount=None,
        created_at=at,
        updated_at=at,
        status=DealStatus.READY,
    )


@dataclass
class FakeDeals:
    rows: list[DealRecord] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)

    def newest_first(self, *, owner_email: str | None = None) -> list[DealRecord]:
        return [d for d in reversed(self.rows) if owner_email in (None, d.owner_email)]

    def get_by_request_key(self, key: str) -> DealRecord | None:
        return next((d for d in self.rows if self.keys.get(key) == d.deal_id), None)


@dataclass
class FakeTransaction:
    deals: FakeDeals


class FakeStore:
    def __init__(self) -> None:
        self.deals = FakeDeals()

    @contextmanager
    def transaction(self, *, read_only: bool = False) -> Iterator[FakeTransaction]:
        yield FakeTransaction(self.deals)


@dataclass
class FakeCreator:
    """Records the requests it is given; a key reused with other details is refused, as the
    real one refuses it."""

    store: FakeStore = field(default_factory=FakeStore)
    templates_dir: Any = None
    made: list[PlanRequest] = field(default_factory=list)

    def create(self, request: PlanRequest) -> PlanCreated:
        key = request.request_key or ""
        if key in self.store.deals.keys:
            first = next(r for r in self.made if r.request_key == key)
            if first != request:
                raise InvalidPlanRequest(f"request key {key} was already used for a different plan")
            reused = True
        else:
            self.made.append(request)
            new = deal(f"d_{len(self.made)}", request.deal_name, request.buyer_company)
            self.store.deals.rows.append(new)
            self.store.deals.keys[key] = new.deal_id
            reused = False
        deal_id = self.store.deals.keys[key]
        url = f"https://docs.google.com/spreadsheets/d/{deal_id}/edit"
        return PlanCreated(deal_id, deal_id, url, request.buyer_emails, (), reused)


def use_case() -> tuple[NewPlan, FakeCreator]:
    creator = FakeCreator()
    return NewPlan(creator, ("vendor.io",), lambda: TODAY), creator  # type: ignore[arg-type]


def form(**changes: Any) -> PlanForm:
    fields: dict[str, Any] = dict(
        deal_name="Acme rollout",
        buyer_company="Acme",
        buyers=(
            BuyerEntry("ann@acme.example", "Champion"),
            BuyerEntry("bob@acme.example", "Economic buyer"),
        ),
        go_live="2027-06-01",
        template="mid-market",
    )
    fields.update(changes)
    return PlanForm(**fields)


def test_a_good_form_creates_one_plan_with_the_buyers_roles() -> None:
    plans, creator = use_case()
    created = plans.create(form(), OWNER, request_key="card-1")
    assert not created.reused
    (request,) = creator.made
    assert request.request_key == "card-1" and request.owner == OWNER
    assert request.buyer_roles == (
        ("ann@acme.example", Role.CHAMPION),
        ("bob@acme.example", Role.ECONOMIC_BUYER),
    )


def test_a_refused_form_creates_nothing_and_says_every_problem() -> None:
    plans, creator = use_case()
    bad = form(buyers=(BuyerEntry("lee@vendor.io", ""),), go_live="2027-01-30")
    with pytest.raises(PlanFormRefused) as refused:
        plans.create(bad, OWNER, request_key="card-1")
    assert set(refused.value.check.problems) == {"buyer_email_0", "buyer_role_0", "go_live"}
    assert refused.value.check.proposal == date(2027, 2, 1)
    assert creator.made == []


def test_a_double_click_creates_one_plan_and_is_not_asked_about() -> None:
    plans, creator = use_case()
    first = plans.create(form(), OWNER, request_key="card-1")
    again = plans.create(form(), OWNER, request_key="card-1")
    assert again.reused and again.deal_id == first.deal_id
    assert len(creator.made) == 1


def test_a_second_plan_for_the_same_deal_is_asked_about_first() -> None:
    plans, creator = use_case()
    first = plans.create(form(), OWNER, request_key="card-1")
    with pytest.raises(SamePlanExists) as asked:
        plans.create(form(deal_name=" acme  ROLLOUT"), OWNER, request_key="card-2")
    assert asked.value.deal.deal_id == first.deal_id and len(creator.made) == 1
    another = plans.create(form(), OWNER, request_key="card-2", another=True)
    assert another.deal_id != first.deal_id and len(creator.made) == 2


def test_the_same_deal_of_another_seller_or_company_is_not_asked_about() -> None:
    plans, creator = use_case()
    creator.store.deals.rows.append(deal("d_theirs", "Acme rollout", "Acme", "kim@vendor.example"))
    creator.store.deals.rows.append(deal("d_other", "Acme rollout", "Acme Europe"))
    plans.create(form(), OWNER, request_key="card-1")
    assert len(creator.made) == 1


def test_a_form_changed_after_it_created_its_plan_names_that_plan() -> None:
    plans, creator = use_case()
    plans.create(form(), OWNER, request_key="card-1")
    with pytest.raises(FormAlreadyUsed) as used:
        plans.create(form(go_live="2027-06-02"), OWNER, request_key="card-1")
    assert used.value.deal.name == "Acme rollout" and len(creator.made) == 1
