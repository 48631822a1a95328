"""What a notification pass works with: the deals it reads (a batch, in one transaction), each
deal as the pass sees it, its people by name, and what the pass reports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol
from urllib.parse import quote

from ..domain.activity import describe
from ..domain.digests import Change
from ..domain.model import Side
from ..domain.reminders import OutgoingMail, Person
from ..store import DealRecord, DealStatus, EventRecord
from .plan_writes import plan_event_of
from .stop_links import STOP_PATH, stop_token


class Mailer(Protocol):
    """Sends as one person (the Gmail API as the seller, or a fake)."""

    def send(self, mail: OutgoingMail) -> str:
        """Send now; the sent message's id."""
        ...

    def draft(self, mail: OutgoingMail) -> str:
        """Leave it in the sender's drafts; the draft's id."""
        ...


@dataclass
class NotifyResult:
    sent: list[dict[str, Any]] = field(default_factory=list)
    drafted: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    refused: int = 0  # messages Google refused (quota included): their claims were released

    def as_json(self) -> dict[str, Any]:
        return {"sent": self.sent, "drafted": self.drafted, "skipped": self.skipped}


def display_name(email: str, name: str | None = None) -> str:
    """A person's name for a message: the known name, else one made from the address."""
    if name and name.strip():
        return " ".join(name.split())
    local = email.split("@")[0]
    return " ".join(part.capitalize() for part in local.replace("_", ".").split(".") if part)


def people_of(deal: DealRecord, success_owner: str | None = None) -> list[Person]:
    """The deal's people as the seller registered them (never the sheet's Stakeholders)."""
    found: dict[str, Person] = {}
    owner = deal.owner_email.lower()
    found[owner] = Person(owner, display_name(owner, name_of(deal, owner)), Side.SELLER)
    for person in deal.people:
        if person.side is Side.SERVICE:
            continue
        side = Side.BUYER if person.side is Side.BUYER else Side.SELLER
        found.setdefault(
            person.email, Person(person.email, display_name(person.email, person.name), side)
        )
    if success_owner:
        email = success_owner.lower()
        found.setdefault(email, Person(email, display_name(email), Side.SELLER))
    return list(found.values())


def name_of(deal: DealRecord, email: str) -> str | None:
    person = deal.person(email)
    return person.name if person else None


@dataclass(frozen=True)
class Batch:
    """What a pass reads of the deals it covers, in one transaction."""

    deals: list[DealRecord]  # newest first
    outcomes: Mapping[str, Any]
    snapshots: Mapping[str, Any]
    records: Mapping[str, list[EventRecord]]
    stopped: Mapping[str, set[str]]
    chosen: Mapping[str, Any]

    def by_id(self) -> dict[str, DealRecord]:
        return {d.deal_id: d for d in self.deals}


def live_deals(deals: Iterable[DealRecord]) -> list[DealRecord]:
    """The deals whose plan exists (created and shared)."""
    return [d for d in deals if d.status is DealStatus.READY and d.spreadsheet_id]


@dataclass(frozen=True)
class PlanView:
    """One deal as a pass sees it."""

    deal: DealRecord
    snapshot: Mapping[str, Any]
    people: list[Person]
    quiet: set[str]
    holidays: frozenset[date]
    secret: str
    base_url: str
    critical: frozenset[str] = frozenset()  # the template's critical steps (escalations)

    @property
    def sender(self) -> str:
        return display_name(self.deal.owner_email, name_of(self.deal, self.deal.owner_email))

    def stop_url(self, person: Person, deal_id: str | None = None) -> str:
        token = stop_token(
            self.secret, person.email, self.deal.deal_id if deal_id is None else deal_id
        )
        return f"{self.base_url}{STOP_PATH}?token={quote(token)}"


def change_of(record: EventRecord) -> Change:
    event = plan_event_of(record)
    return Change(record.occurred_at, describe(event), record.actor_side.value, record.kind)


def role_of(deal: DealRecord, email: str) -> str | None:
    person = deal.person(email)
    return person.role if person else None
