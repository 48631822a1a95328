"""One plan's health for the sidebar: the review's figures and risks, for that deal alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..domain.events import describe
from ..domain.review_all import pipeline_and_risks
from ..domain.review_input import ReviewInput
from ..domain.templates import load_templates
from ..store import DealRecord
from .consolidate import deal_facts, event_facts
from .context import Services
from .plan_writes import plan_event_of

LATEST = 3


@dataclass(frozen=True)
class PlanHealth:
    """What the plan card shows."""

    deal: DealRecord
    figures: dict[str, Any]  # the deal's Pipeline row (review column names)
    risks: list[tuple[str, str]]  # (title, coaching question)
    latest: list[str]  # the newest events, described, newest first


def plan_health(services: Services, deal: DealRecord) -> PlanHealth:
    """The deal's Pipeline row and risks, computed exactly as the team review does."""
    with services.store.transaction(read_only=True) as tx:
        snapshot = tx.snapshots.latest(deal.deal_id)
        events = tx.events.for_deal(deal.deal_id)
    data = ReviewInput(
        today=datetime.now(UTC).date(),
        deals=(deal_facts(deal),),
        snapshots={deal.deal_id: snapshot.payload} if snapshot else {},
        events={deal.deal_id: tuple(event_facts(e) for e in events)},
        templates={t.name: t for t in load_templates()},
    )
    pipeline, risks, _, _ = pipeline_and_risks(data)  # the card needs no other tab
    row = {str(k): v for k, v in pipeline.iloc[0].to_dict().items()}
    titles = {r.kind: r for r in risks}
    latest = [
        f"{e.actor_email or 'someone'}: {describe(plan_event_of(e))}"
        for e in sorted(events, key=lambda e: e.occurred_at, reverse=True)[:LATEST]
    ]
    return PlanHealth(
        deal,
        row,
        [(risk.kind.label, risk.question) for risk in titles.values()],
        latest,
    )
