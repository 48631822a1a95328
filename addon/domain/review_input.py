"""What the pipeline review is computed from: plain facts the store and templates provide.

The review is pure: it takes a ReviewInput (deals, each plan's latest snapshot, events,
templates, today) and returns tables; nothing here reads a database or calls Google.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from .deal import DealRecord
from .model import Template
from .outcome import DealOutcome


@dataclass(frozen=True)
class EventFacts:
    """One recorded event (see addon/domain/events.py for kinds and details)."""

    event_id: str
    deal_id: str
    kind: str
    occurred_at: datetime
    actor_side: str  # a Side value: "buyer", "seller" or "unknown"
    actor_email: str | None = None
    subject: str | None = None
    subject_label: str = ""
    before: Any = None
    after: Any = None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordedForecast:
    """What one review said of a live deal: the date committed to and the close it projected."""

    reviewed_on: date
    committed: date | None
    projected: date | None


@dataclass(frozen=True)
class Thresholds:
    """The knobs of the risk rules and forecast; teams may override each."""

    buyer_silence_days: int = 14  # calendar days without a buyer edit
    procurement_amount: float = 100_000  # above this a procurement contact is expected
    validation_lead_days: int = 10  # business days before signature validation must be done
    max_steps: int = 30
    slip_count: int = 2  # this many slips of go-live/signature is a risk
    slip_days: int = 10  # or this many business days in total
    setup_days: int = 5  # business days a new plan's gaps are a set-up checklist, not risks
    question_unanswered_days: int = 2  # business days a buyer comment may wait for a reply


@dataclass(frozen=True)
class ReviewInput:
    """Everything one review is computed from."""

    today: date
    deals: tuple[DealRecord, ...]
    snapshots: Mapping[str, Mapping[str, Any]]  # deal_id -> latest snapshot (domain/snapshot.py)
    events: Mapping[str, tuple[EventFacts, ...]]  # deal_id -> events, oldest first
    templates: Mapping[str, Template]  # by name
    unreadable: Mapping[str, str] = field(default_factory=dict)  # deal_id -> why not readable
    # deal_id -> the day the add-on lost access to the plan (a deal in `unreadable` may lack it)
    unreadable_since: Mapping[str, date] = field(default_factory=dict)
    thresholds: Thresholds = field(default_factory=Thresholds)
    # deal_id -> the projections earlier reviews recorded, oldest first (forecast accuracy)
    forecast_history: Mapping[str, tuple[RecordedForecast, ...]] = field(default_factory=dict)
    built_at: datetime | None = None  # when the review is computed (None: at the day's start)
    # deal_id -> won, lost or on hold as the seller set it (absent: the deal is open)
    outcomes: Mapping[str, DealOutcome] = field(default_factory=dict)

    def outcome(self, deal: DealRecord) -> DealOutcome | None:
        """What the seller said of the deal's end; None while it is open."""
        return self.outcomes.get(deal.deal_id)
