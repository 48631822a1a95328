"""One plan's health for the sidebar: the review's figures and risks, for that deal alone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from ..domain.events import describe
from ..domain.model import Template
from ..domain.plan_access import AccessLoss, unreadable_reason, what_happened, what_to_do
from ..domain.review_all import pipeline_and_risks
from ..domain.review_input import ReviewInput
from ..domain.risk_model import SETUP
from ..domain.templates import load_templates
from ..store import DealRecord, EventRecord
from .consolidate import event_facts
from .plan_writes import actor_of, plan_event_of

if TYPE_CHECKING:  # the composition root builds the card use case: no import at run time
    from .context import Services

LATEST = 3


@dataclass(frozen=True)
class PlanHealth:
    """What the plan card shows."""

    deal: DealRecord
    figures: dict[str, Any]  # the deal's Pipeline row (review column names)
    risks: list[tuple[str, str]]  # (title, coaching question), most severe first
    latest: list[str]  # the newest events, described, newest first
    access: AccessNotice | None = None  # the add-on cannot read (or write) the plan now
    checklist: list[tuple[str, str]] = field(default_factory=list)  # set-up gaps of a new plan


@dataclass(frozen=True)
class AccessNotice:
    """What the seller is told when the add-on has lost access to their plan."""

    loss: AccessLoss
    since: date
    what: str  # what happened
    todo: str  # what the seller can do about it

    @property
    def headline(self) -> str:
        if self.loss.unreadable:
            return f"The add-on cannot read this plan since {self.since.isoformat()}"
        return f"The add-on cannot update this plan since {self.since.isoformat()}"


def access_notice(services: Services, loss: AccessLoss, since: datetime) -> AccessNotice:
    return notice_for(services.config.service_account, loss, since)


def notice_for(account: str, loss: AccessLoss, since: datetime) -> AccessNotice:
    """What the seller is told, `account` being the service account to share the plan with."""
    day = since.astimezone(UTC).date()
    return AccessNotice(loss, day, what_happened(loss), what_to_do(loss, account))


def _who(record: EventRecord) -> str:
    """Who made a change, as the card names them: "one of a, b" when Drive could not tell."""
    label = actor_of(record).label
    return "someone" if label == "unknown" else label


def plan_health(services: Services, deal: DealRecord) -> PlanHealth:
    """The deal's Pipeline row and risks, computed exactly as the team review does."""
    with services.store.transaction(read_only=True) as tx:
        snapshot = tx.snapshots.latest(deal.deal_id)
        events = tx.events.for_deal(deal.deal_id)
        lost = tx.access.get(deal.deal_id)
    templates = {t.name: t for t in load_templates(services.templates_dir)}
    return health_of(
        deal,
        snapshot.payload if snapshot else None,
        events,
        access_notice(services, AccessLoss.of(lost.reason), lost.lost_since) if lost else None,
        templates.get(deal.template),
        datetime.now(UTC).date(),
    )


def health_of(
    deal: DealRecord,
    snapshot: Mapping[str, Any] | None,
    events: Sequence[EventRecord],
    notice: AccessNotice | None,
    template: Template | None,
    today: date,
) -> PlanHealth:
    """The health from what was read: no store, no clock, no file (see `plan_health`)."""
    unreadable = notice is not None and notice.loss.unreadable
    data = ReviewInput(
        today=today,
        deals=(deal,),
        snapshots={deal.deal_id: dict(snapshot)} if snapshot is not None else {},
        events={deal.deal_id: tuple(event_facts(e) for e in events)},
        templates={template.name: template} if template is not None else {},
        unreadable={deal.deal_id: unreadable_reason(notice.loss, notice.since)}
        if notice is not None and unreadable
        else {},
        unreadable_since={deal.deal_id: notice.since} if notice is not None and unreadable else {},
    )
    pipeline, risks, _, _ = pipeline_and_risks(data)  # the card needs no other tab
    row = {str(k): v for k, v in pipeline.iloc[0].to_dict().items()}
    titles = {r.kind: r for r in risks}  # ranked by severity already (risks.evaluate)
    latest = [
        f"{_who(e)}: {describe(plan_event_of(e))}"
        for e in sorted(events, key=lambda e: e.occurred_at, reverse=True)[:LATEST]
    ]
    return PlanHealth(
        deal,
        row,
        [(r.kind.label, r.question) for r in titles.values() if r.severity != SETUP],
        latest,
        notice,
        [(r.kind.label, r.evidence) for r in titles.values() if r.severity == SETUP],
    )
