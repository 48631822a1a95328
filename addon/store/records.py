"""What the store hands back: plain frozen dataclasses; a deal is the domain's `DealRecord`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from addon.domain.deal import DealRecord, DealStatus, PersonRecord
from addon.domain.model import ACTOR_SIDES, Side, side_among

JsonObject = dict[str, Any]

__all__ = [
    "AccessRecord",
    "DealRecord",
    "DealStatus",
    "EventRecord",
    "ForecastRecord",
    "JsonObject",
    "OutcomeRecord",
    "PersonRecord",
    "SnapshotRecord",
]


@dataclass(frozen=True)
class SnapshotRecord:
    """The parsed plan as read at one moment; `seq` counts up from 1 per deal."""

    deal_id: str
    seq: int
    taken_at: datetime
    payload: JsonObject
    file_version: str | None = None


@dataclass(frozen=True)
class EventRecord:
    """One change found in a plan; `event_id` is computed by the domain so re-runs match."""

    event_id: str
    deal_id: str
    kind: str
    occurred_at: datetime
    recorded_at: datetime
    actor_side: Side = Side.UNKNOWN  # one of ACTOR_SIDES
    actor_email: str | None = None
    subject: str | None = None  # a step id or a Deal-tab field
    before: Any = None  # JSON values
    after: Any = None
    payload: JsonObject = field(default_factory=dict)

    def __post_init__(self) -> None:
        side = side_among(self.actor_side, ACTOR_SIDES, "a change's side")
        object.__setattr__(self, "actor_side", side)


@dataclass(frozen=True)
class AccessRecord:
    """A plan the add-on cannot read (or cannot write) now: since when, why, last seen so."""

    deal_id: str
    lost_since: datetime
    reason: str  # domain/access.py: AccessLoss
    detail: str
    checked_at: datetime


@dataclass(frozen=True)
class OutcomeRecord:
    """A deal the seller marked won, lost or on hold (domain/outcome.py: DealOutcome)."""

    deal_id: str
    outcome: str
    outcome_on: date
    set_by: str
    set_at: datetime
    reason: str | None = None
    detail: str = ""
    competitor: str | None = None
    revisit_on: date | None = None
    success_owner: str | None = None


@dataclass(frozen=True)
class ForecastRecord:
    """The close one review projected for a deal, and the date the deal was committed to."""

    deal_id: str
    reviewed_on: date
    committed: date | None
    projected: date | None
