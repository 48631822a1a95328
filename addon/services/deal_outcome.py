"""The seller closes a deal as won or lost, puts it on hold, or reopens it (domain/outcome.py).

Each move is stored (the deal's outcome row and one event, in one transaction) and then shown in
the plan: one batchUpdate writes the Deal tab's "Deal status" line and the event's Activity row.
A plan that cannot be written keeps the outcome stored; the result says the plan does not show
it. Ending a lost deal's sharing with the buyers removes their Drive permissions, as the owner.

A lost deal is archived: the watch reads its plan no more (services/watch.py). Reopening asks
for one catch-up read, so edits made while it was archived are recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from ..domain.layout import DEAL_TAB
from ..domain.layout_deal import DEAL_STATUS_INITIAL, deal_status_row
from ..domain.model import Side
from ..domain.outcome import (
    DealOutcome,
    InvalidOutcome,
    Outcome,
    close,
    hold,
    outcome_event,
    reopen,
)
from ..google.errors import GoogleApiError
from ..google.gateway import GoogleFactory
from ..store import DealRecord, OutcomeRecord, Store
from .plan_writes import PlanWrites, event_record, write_back


class UnknownDeal(LookupError):
    """No deal has this id or spreadsheet id."""

    def __init__(self, ref: str) -> None:
        super().__init__(
            f"no deal {ref!r}: give the deal id `plan create` printed, or the plan's sheet id"
        )


class NotYourDeal(PermissionError):
    """The person is not the deal's owner."""


@dataclass(frozen=True)
class OutcomeChange:
    """What a move did: the deal, its outcome now (None: open), whether the plan shows it."""

    deal: DealRecord
    outcome: DealOutcome | None
    event_id: str
    shown_in_plan: bool
    warning: str | None = None

    def as_json(self) -> dict[str, Any]:
        o = self.outcome
        return {
            "deal_id": self.deal.deal_id,
            "name": self.deal.name,
            "outcome": o.outcome.value if o else Outcome.OPEN.value,
            "on": o.on.isoformat() if o else None,
            "reason": o.reason if o else None,
            "detail": (o.detail or None) if o else None,
            "competitor": o.competitor if o else None,
            "revisit_on": o.revisit_on.isoformat() if o and o.revisit_on else None,
            "success_owner": o.success_owner if o else None,
            "set_by": o.by if o else None,
            "describe": o.describe() if o else "Open",
            "event_id": self.event_id,
            "shown_in_plan": self.shown_in_plan,
            "warning": self.warning,
        }


def outcome_of(record: OutcomeRecord | None) -> DealOutcome | None:
    """The stored row as the domain's value."""
    if record is None:
        return None
    return DealOutcome(
        outcome=Outcome(record.outcome),
        on=record.outcome_on,
        by=record.set_by,
        reason=record.reason,
        detail=record.detail,
        competitor=record.competitor,
        revisit_on=record.revisit_on,
        success_owner=record.success_owner,
    )


def _record_of(deal_id: str, outcome: DealOutcome, at: datetime) -> OutcomeRecord:
    return OutcomeRecord(
        deal_id=deal_id,
        outcome=outcome.outcome.value,
        outcome_on=outcome.on,
        set_by=outcome.by,
        set_at=at,
        reason=outcome.reason,
        detail=outcome.detail,
        competitor=outcome.competitor,
        revisit_on=outcome.revisit_on,
        success_owner=outcome.success_owner,
    )


@dataclass
class DealLifecycle:
    """The outcome moves. `owner_only`: refuse a person who is not the deal's owner (the card);
    the CLI is an operator's tool and may act for anyone."""

    store: Store
    google: GoogleFactory
    service_account: str
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    catch_up: Callable[[str], object] | None = None  # read a reopened plan once (the watch)

    def find(self, ref: str) -> DealRecord:
        """The deal with this id, or whose plan has this spreadsheet id."""
        ref = ref.strip()
        with self.store.transaction(read_only=True) as tx:
            deal = tx.deals.get(ref) or tx.deals.get_by_spreadsheet_id(ref)
        if deal is None:
            raise UnknownDeal(ref)
        return deal

    def current(self, deal_id: str) -> DealOutcome | None:
        with self.store.transaction(read_only=True) as tx:
            return outcome_of(tx.outcomes.get(deal_id))

    def close(
        self,
        ref: str,
        *,
        won: bool,
        by: str,
        reason: str | None = None,
        competitor: str | None = None,
        success_owner: str | None = None,
        owner_only: bool = False,
    ) -> OutcomeChange:
        deal = self._deal(ref, by, owner_only)
        return self._move(
            deal,
            by,
            lambda now, was: close(
                was,
                won=won,
                on=now.date(),
                by=by,
                reason=reason,
                competitor=competitor,
                success_owner=success_owner,
            ),
        )

    def hold(self, ref: str, *, until: date, by: str, owner_only: bool = False) -> OutcomeChange:
        deal = self._deal(ref, by, owner_only)
        return self._move(deal, by, lambda now, was: hold(was, until=until, on=now.date(), by=by))

    def reopen(self, ref: str, *, by: str, owner_only: bool = False) -> OutcomeChange:
        deal = self._deal(ref, by, owner_only)

        def back(now: datetime, was: DealOutcome | None) -> None:
            reopen(was)
            return None

        change = self._move(deal, by, back)
        if self.catch_up is not None:
            self.catch_up(deal.deal_id)
        return change

    def end_sharing(self, ref: str, *, by: str, owner_only: bool = False) -> list[str]:
        """A lost deal's plan is no longer shared with its buyers; the emails unshared."""
        deal = self._deal(ref, by, owner_only)
        outcome = self.current(deal.deal_id)
        if outcome is None or not outcome.archived:
            raise InvalidOutcome("sharing with the buyers can be ended for a lost deal only")
        if deal.spreadsheet_id is None:
            return []
        gateway = self.google.as_user(deal.owner_email)
        ended: list[str] = []
        for person in deal.people:
            if person.side is not Side.BUYER or not person.shared:
                continue
            if person.permission_id:
                gateway.unshare(deal.spreadsheet_id, person.permission_id)
            with self.store.transaction() as tx:
                tx.deals.mark_unshared(deal.deal_id, person.email)
            ended.append(person.email)
        return ended

    # ------------------------------------------------------------------------------------------

    def _deal(self, ref: str, by: str, owner_only: bool) -> DealRecord:
        deal = self.find(ref)
        if owner_only and deal.owner_email.lower() != by.lower():
            raise NotYourDeal(f"only the deal's owner ({deal.owner_email}) can change its outcome")
        return deal

    def _move(
        self,
        deal: DealRecord,
        by: str,
        decide: Callable[[datetime, DealOutcome | None], DealOutcome | None],
    ) -> OutcomeChange:
        now = self.clock()
        with self.store.transaction() as tx:
            was = outcome_of(tx.outcomes.get(deal.deal_id))
            after = decide(now, was)  # InvalidOutcome: nothing is stored
            if after is None:
                tx.outcomes.clear(deal.deal_id)
            else:
                tx.outcomes.record(_record_of(deal.deal_id, after, now))
            latest = tx.snapshots.latest(deal.deal_id)
            event = outcome_event(
                deal.deal_id,
                base_seq=latest.seq if latest else 0,
                before=was,
                after=after,
                at=now,
                by=by,
            )
            record = event_record(event, now)
            tx.events.insert_many([record])
        shown, warning = self._show(deal, after, record, now)
        return OutcomeChange(deal, after, event.event_id, shown, warning)

    def _show(
        self, deal: DealRecord, after: DealOutcome | None, record: Any, now: datetime
    ) -> tuple[bool, str | None]:
        """Write the Deal status line and the Activity row (one batchUpdate)."""
        if deal.spreadsheet_id is None:
            return False, "the plan's sheet was never created"
        text = after.describe() if after else DEAL_STATUS_INITIAL
        writes = PlanWrites(
            events=[record], step_ids=(), deal_cells=[(f"{DEAL_TAB}!B{deal_status_row()}", text)]
        )
        try:
            write_back(
                self.google.as_service(),
                deal.spreadsheet_id,
                writes,
                service_account=self.service_account,
                owner=deal.owner_email,
            )
        except GoogleApiError as exc:
            return False, f"the outcome is recorded, but the plan could not show it: {exc}"
        with self.store.transaction() as tx:
            tx.events.mark_shown([record.event_id], now)
        return True, None
