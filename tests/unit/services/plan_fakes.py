"""In-memory fakes for the plan card use cases: a store with the repositories they read and
write, a gateway that records its requests, and a plan made from a shipped template."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from addon.domain.businessdays import add_business_days
from addon.domain.model import PlanDocument, Role, Side, Stakeholder
from addon.domain.schedule import schedule
from addon.domain.snapshot import initial_snapshot
from addon.domain.templates import load_templates
from addon.store import (
    AccessRecord,
    DealRecord,
    DealStatus,
    EventRecord,
    OutcomeRecord,
    PersonRecord,
    SnapshotRecord,
)

TEMPLATES = {template.name: template for template in load_templates()}
MADE = date(2027, 3, 1)  # a Monday: the day the plan is made
OWNER = "sam@vendor.example"


@dataclass
class FakeDeals:
    rows: dict[str, DealRecord] = field(default_factory=dict)

    def get(self, deal_id: str, *, for_update: bool = False) -> DealRecord | None:
        return self.rows.get(deal_id)

    def add_person(self, deal_id: str, person: PersonRecord) -> None:
        deal = self.rows[deal_id]
        people = tuple(sorted((*deal.people, person), key=lambda p: p.email))
        self.rows[deal_id] = replace(deal, people=people)

    def mark_shared(self, deal_id: str, email: str, *, permission_id: str | None) -> None:
        deal = self.rows[deal_id]
        people = tuple(
            replace(p, shared=True, permission_id=permission_id) if p.email == email else p
            for p in deal.people
        )
        self.rows[deal_id] = replace(deal, people=people)


@dataclass
class FakeSnapshots:
    rows: dict[str, list[SnapshotRecord]] = field(default_factory=dict)

    def latest(self, deal_id: str) -> SnapshotRecord | None:
        found = self.rows.get(deal_id)
        return found[-1] if found else None

    def add(self, deal_id: str, payload: dict[str, Any]) -> None:
        found = self.rows.setdefault(deal_id, [])
        at = datetime(2027, 3, 1, 9, tzinfo=UTC)
        found.append(SnapshotRecord(deal_id, len(found) + 1, at, payload))


@dataclass
class FakeEvents:
    rows: dict[str, list[EventRecord]] = field(default_factory=dict)

    def for_deal(self, deal_id: str) -> list[EventRecord]:
        return list(self.rows.get(deal_id, []))


@dataclass
class FakeKeyed:
    """Outcomes and lost access: one record per deal."""

    rows: dict[str, Any] = field(default_factory=dict)

    def get(self, deal_id: str) -> Any:
        return self.rows.get(deal_id)


@dataclass
class FakeTransaction:
    deals: FakeDeals
    snapshots: FakeSnapshots
    events: FakeEvents
    outcomes: FakeKeyed
    access: FakeKeyed


class FakeStore:
    """The store's repositories the plan card reads and the contact action writes."""

    def __init__(self) -> None:
        self.tx = FakeTransaction(
            FakeDeals(), FakeSnapshots(), FakeEvents(), FakeKeyed(), FakeKeyed()
        )
        self.reads = 0

    @contextmanager
    def transaction(self, *, read_only: bool = False) -> Iterator[FakeTransaction]:
        self.reads += 1
        yield self.tx

    def lose_access(self, deal_id: str) -> None:
        at = datetime(2027, 3, 2, tzinfo=UTC)
        self.tx.access.rows[deal_id] = AccessRecord(deal_id, at, "unshared", "", at)

    def set_outcome(self, deal_id: str, outcome: str) -> None:
        at = datetime(2027, 3, 3, tzinfo=UTC)
        self.tx.outcomes.rows[deal_id] = OutcomeRecord(deal_id, outcome, at.date(), OWNER, at)


@dataclass
class FakeGateway:
    """Records each request the use case makes, as one user."""

    user: str
    requests: list[tuple[str, Any]] = field(default_factory=list)

    def share(self, file_id: str, email: str, role: str = "writer", **_: Any) -> str:
        self.requests.append(("share", email))
        return f"perm-{email}"

    def append_values(self, spreadsheet_id: str, range_: str, rows: list[list[Any]]) -> None:
        self.requests.append(("append", (range_, rows)))

    def protected_ranges(self, spreadsheet_id: str) -> list[dict[str, Any]]:
        self.requests.append(("protected_ranges", spreadsheet_id))
        return []

    def write_values(self, spreadsheet_id: str, data: list[dict[str, Any]], *_: Any) -> Any:
        self.requests.append(("write_values", data))
        return {}


def a_deal(
    deal_id: str = "d_1",
    *,
    name: str = "Globex pilot",
    company: str = "Globex",
    buyers: tuple[tuple[str, str, str | None], ...] = (("ann@globex.example", "Ann Lee", None),),
) -> DealRecord:
    template = TEMPLATES["mid-market"]
    go_live = add_business_days(MADE, 60, frozenset(template.holidays))
    people = [PersonRecord(OWNER, Side.SELLER, "Sam Seller", "Account executive", True)]
    people += [PersonRecord(e, Side.BUYER, n, r, True) for e, n, r in buyers]
    return DealRecord(
        deal_id=deal_id,
        name=name,
        buyer_company=company,
        owner_email=OWNER,
        template="mid-market",
        template_version=template.version,
        go_live=go_live,
        created_at=datetime(2027, 3, 1, 9, tzinfo=UTC),
        updated_at=datetime(2027, 3, 1, 9, tzinfo=UTC),
        spreadsheet_id=f"sheet-{deal_id}",
        url=f"https://docs.google.com/spreadsheets/d/sheet-{deal_id}/edit",
        status=DealStatus.READY,
        people=tuple(sorted(people, key=lambda p: p.email)),
    )


def first_snapshot(deal: DealRecord) -> dict[str, Any]:
    """The plan's snapshot as creation stores it."""
    template = TEMPLATES[deal.template]
    stakeholders = [
        Stakeholder(p.name, p.email, p.side, Role(p.role) if p.role else None) for p in deal.people
    ]
    document = PlanDocument(
        deal.deal_id,
        deal.name,
        deal.buyer_company,
        template,
        schedule(template, deal.go_live, MADE),
        tuple(stakeholders),
    )
    return initial_snapshot(document, deal.owner_email)
