"""A deal: the one record of it, from plan creation to the review (plain frozen dataclasses).

Plan creation registers it, the store keeps it, the watch and the add-on read it, and the review
is computed from it. What the seller said of its end (won, lost, on hold) is kept apart, as the
review's `outcomes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from .model import PEOPLE_SIDES, Side, side_among


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

    def __post_init__(self) -> None:
        side = side_among(self.side, PEOPLE_SIDES, "a person's side")
        object.__setattr__(self, "side", side)


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

    @property
    def amount_value(self) -> float | None:
        """The amount as a number for tables and sums (the record keeps it exact)."""
        return None if self.amount is None else float(self.amount)

    def person(self, email: str) -> PersonRecord | None:
        """The person with this email (any case), if on the deal."""
        wanted = email.lower()
        return next((p for p in self.people if p.email == wanted), None)
