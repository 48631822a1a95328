"""Builders and thread helpers shared by the store tests."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from addon.domain.model import Side
from addon.store import DealRecord, EventRecord, PersonRecord

T = TypeVar("T")

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class SteppingClock:
    """A clock that moves one second further each time it is read."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def a_deal(
    deal_id: str = "d_acme0000001",
    *,
    owner_email: str = "ann@seller.com",
    created_at: datetime = T0,
    people: tuple[PersonRecord, ...] = (),
) -> DealRecord:
    """A deal as plan creation registers it, before its spreadsheet exists."""
    return DealRecord(
        deal_id=deal_id,
        name="Acme rollout",
        buyer_company="Acme",
        owner_email=owner_email,
        template="enterprise",
        template_version=3,
        go_live=date(2026, 6, 1),
        signature_target=date(2026, 4, 30),
        created_at=created_at,
        updated_at=created_at,
        missing=("sheet",),
        people=people,
    )


def a_buyer(email: str = "bob@acme.com", role: str | None = "Champion") -> PersonRecord:
    return PersonRecord(email=email, side=Side.BUYER, name="Bob Buyer", role=role)


def an_event(
    event_id: str = "e_1", deal_id: str = "d_acme0000001", occurred_at: datetime = T0
) -> EventRecord:
    """A buyer moving a due date by nine days."""
    return EventRecord(
        event_id=event_id,
        deal_id=deal_id,
        kind="date_slipped",
        occurred_at=occurred_at,
        recorded_at=occurred_at + timedelta(minutes=5),
        actor_side=Side.BUYER,
        actor_email="bob@acme.com",
        subject="security-review",
        before="2026-04-01",
        after="2026-04-14",
        payload={"slip_days": 9},
    )


def run_together(count: int, work: Callable[[int], T]) -> list[T]:
    """Run work(0) .. work(count - 1) on as many threads, released at the same moment."""
    start = threading.Barrier(count)

    def released(index: int) -> T:
        start.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(released, index) for index in range(count)]
        return [future.result() for future in futures]
