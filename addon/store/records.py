"""What the store hands back: plain frozen dataclasses (of the domain, only its side enum)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from addon.domain.model import Side

JsonObject = dict[str, Any]


class DealStatus(StrEnum):
    """How far plan creation got for a deal."""

    CREATING = "creating"  # registered; the spreadsheet may not exist yet
    READY = "ready"  # the sheet exists and is shared with everyone it should be
    INCOMPLETE = "incomplete"  # the sheet exists; `missing` lists what is still to do


@dataclass(frozen=True)
class PersonRecord:
    """A person a plan is (to be) shared with; emails are stored lower-case."""

    email: str
    side: Side  # one of PEOPLE_SIDES
    name: str = ""
    role: str | None = None
    shared: bool = False
    permission_id: str | None = None


@dataclass(frozen=True)
class DealRecord:
    """A deal as registered by plan creation, with its people (ordered by email)."""

    deal_id: str
    name: str
    buyer_company: str
    owner_email: str
    template: str
    template_version: int
    go_live: date
    created_at: datetime
    updated_at: datetime
    signature_target: date | None = None
    amount: Decimal | None = None  # seller-internal: never written to the plan sheet
    team: str | None = None
    spreadsheet_id: str | None = None
    url: str | None = None
    status: DealStatus = DealStatus.CREATING
    missing: tuple[str, ...] = ()  # what is still to do, e.g. "share:bob@buyer.com"
    people: tuple[PersonRecord, ...] = ()

    def person(self, email: str) -> PersonRecord | None:
        """The person with this email (any case), if on the deal."""
        wanted = email.lower()
        return next((p for p in self.people if p.email == wanted), None)


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
