"""Plans made from the shipped templates, as the product creates them, for the domain tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from addon.domain.businessdays import add_business_days
from addon.domain.deal import DealRecord
from addon.domain.model import PlanDocument, Template
from addon.domain.review_input import EventFacts, ReviewInput
from addon.domain.schedule import schedule
from addon.domain.snapshot import initial_snapshot
from addon.domain.templates import load_templates

TEMPLATES = {template.name: template for template in load_templates()}
PLAN_DAY = date(2027, 3, 1)  # a Monday: the day the plans below are created


def fresh_steps(
    name: str, weeks: int | None = None, today: date = PLAN_DAY
) -> tuple[Template, list[dict[str, Any]]]:
    """The steps of a plan just made from a shipped template, go-live at its typical length."""
    template = TEMPLATES[name]
    assert template.typical_weeks is not None
    span = weeks if weeks is not None else template.typical_weeks[1]
    go_live = add_business_days(today, span * 5, frozenset(template.holidays))
    plan = schedule(template, go_live, today)
    document = PlanDocument("deal-1", "Deal", "Buyer Co", template, plan)
    return template, initial_snapshot(document, "seller@seller.example")["steps"]


def shipped_review(
    template: Template,
    steps: list[dict[str, Any]],
    *,
    today: date,
    events: tuple[EventFacts, ...] = (),
    deal: dict[str, Any] | None = None,
) -> ReviewInput:
    """A one-deal review of a plan with these steps, created on PLAN_DAY."""
    go_live = next((s["due"] for s in steps if s["id"] == "go-live"), None)
    signature = next((s["due"] for s in steps if s["id"] == "signature"), None)
    created = datetime.combine(PLAN_DAY, datetime.min.time(), tzinfo=UTC)
    facts = DealRecord(
        deal_id="deal-1",
        name="Rollout",
        buyer_company="Buyer Co",
        owner_email="seller@seller.example",
        template=template.name,
        template_version=template.version,
        created_at=created,
        updated_at=created,
        go_live=date.fromisoformat(go_live) if go_live else PLAN_DAY,
        signature_target=date.fromisoformat(signature) if signature else None,
        amount=Decimal(80_000),
        **(deal or {}),
    )
    snapshot = {
        "layout_version": 1,
        "steps": steps,
        "deal": {"go_live": go_live, "signature_target": signature},
        "stakeholders": [],
    }
    return ReviewInput(
        today=today,
        deals=(facts,),
        snapshots={"deal-1": snapshot},
        events={"deal-1": events},
        templates={template.name: template},
    )
