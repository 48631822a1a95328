"""The plan card's content, computed once per version of what it shows, then only read.

A card request reads the deal and what it shows from the store (one read transaction) and
renders. The costly part, the review's figures and risks for the deal (pandas), the schedule's
warnings and the names, is computed once per `version`: the latest snapshot's number, the
events recorded, the deal's people, its outcome, a lost access and the day. A new snapshot, an
outcome change, a contact added or an agreement read changes the version, so the next request
computes the card again; nothing needs to be told to forget it. Memoised per process (one
entry per deal, the newest version), so each instance computes a version at most once. The
plan list's line for each deal (its next step) is kept the same way, per snapshot and day.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..domain.model import Template
from ..domain.outcome import DealOutcome
from ..domain.plan_access import AccessLoss
from ..domain.teams import Team, may_read
from ..store import DealRecord, EventRecord, OutcomeRecord, SnapshotRecord, Store
from .deal_outcome import outcome_of
from .plan_card_content import (
    Agreement,
    Buyer,
    NextStep,
    agreement_of,
    buyers_of,
    listed_next_steps,
    next_step_of,
    schedule_warnings,
)
from .plan_health import AccessNotice, PlanHealth, health_of, notice_for

MEMO_SIZE = 512  # deals whose newest card a process keeps


class NotYourPlan(Exception):
    """The user may not open this plan's card (or there is no such plan)."""


@dataclass(frozen=True)
class PlanCardData:
    """Everything the plan card shows about one version of a deal's plan."""

    version: Hashable
    health: PlanHealth
    read: bool  # the watch has read the plan at least once
    warnings: tuple[str, ...]  # every schedule warning, worst first
    next_step: NextStep | None
    buyers: tuple[Buyer, ...]
    agreement: Agreement

    @property
    def access(self) -> AccessNotice | None:
        return self.health.access


@dataclass(frozen=True)
class PlanCardView:
    """One request's card: the deal as stored now, its card content, its outcome, and whether
    the user only reads it (a teammate or manager of the owner's team)."""

    deal: DealRecord
    data: PlanCardData
    outcome: DealOutcome | None
    read_only: bool


@dataclass(frozen=True)
class _Read:
    deal: DealRecord
    snapshot: SnapshotRecord | None
    events: list[EventRecord]
    outcome: OutcomeRecord | None
    notice: AccessNotice | None


class PlanCards:
    """The plan card use case: who may see a plan, and its content from the memo or computed.

    Dependencies are explicit: the store, the service account (for access notices), the
    template by name, the teams, and the day.
    """

    def __init__(
        self,
        store: Store,
        *,
        service_account: str,
        template: Callable[[str], Template | None],
        teams: Callable[[], list[Team]],
        today: Callable[[], date],
        memo_size: int = MEMO_SIZE,
    ) -> None:
        self.store = store
        self.service_account = service_account
        self.template = template
        self.teams = teams
        self.today = today
        self.computed = 0  # card contents computed (not read from the memo) in this process
        self._memo: OrderedDict[str, PlanCardData] = OrderedDict()
        self._following: OrderedDict[Hashable, str] = OrderedDict()  # the plan list's lines
        self._size = memo_size
        self._lock = threading.Lock()

    def show(self, user: str, deal_id: str) -> PlanCardView:
        """The card of the plan `deal_id` for `user`: its owner, or read only for a teammate
        or manager of the owner's team; NotYourPlan for anyone else."""
        read = self._read(deal_id)
        if read is None:
            raise NotYourPlan(deal_id)
        owner = read.deal.owner_email.lower()
        user = user.lower()
        if user != owner and not may_read(user, owner, self.teams()):
            raise NotYourPlan(deal_id)
        return self._view(read, read_only=user != owner)

    def of(self, deal: DealRecord, *, read_only: bool = False) -> PlanCardView:
        """The card of a deal the caller has already checked the user may see."""
        read = self._read(deal.deal_id)
        if read is None:
            raise NotYourPlan(deal.deal_id)
        return self._view(read, read_only=read_only)

    def next_steps(
        self, deals: Sequence[DealRecord], latest: Mapping[str, SnapshotRecord]
    ) -> dict[str, str]:
        """Each listed deal's next open step with its side (the plan list's line), computed
        once per deal and snapshot and day; a deal with no open step is left out."""
        today = self.today()
        keys = {
            d.deal_id: (d.deal_id, d.template, d.created_at, latest[d.deal_id].seq, today)
            for d in deals
            if d.deal_id in latest
        }
        with self._lock:
            known = {i: self._following[k] for i, k in keys.items() if k in self._following}
        missing = [d for d in deals if d.deal_id in keys and d.deal_id not in known]
        if missing:
            found = listed_next_steps(missing, latest, today, self.template)
            with self._lock:
                for deal in missing:
                    known[deal.deal_id] = self._following[keys[deal.deal_id]] = found.get(
                        deal.deal_id, ""
                    )
                while len(self._following) > self._size:
                    self._following.popitem(last=False)
        return {deal_id: step for deal_id, step in known.items() if step}

    def _read(self, deal_id: str) -> _Read | None:
        with self.store.transaction(read_only=True) as tx:
            deal = tx.deals.get(deal_id) if deal_id else None
            if deal is None:
                return None
            snapshot = tx.snapshots.latest(deal_id)
            events = tx.events.for_deal(deal_id)
            outcome = tx.outcomes.get(deal_id)
            lost = tx.access.get(deal_id)
        notice = (
            notice_for(self.service_account, AccessLoss.of(lost.reason), lost.lost_since)
            if lost is not None
            else None
        )
        return _Read(deal, snapshot, events, outcome, notice)

    def _view(self, read: _Read, *, read_only: bool) -> PlanCardView:
        today = self.today()
        version = _version(read, today)
        with self._lock:
            data = self._memo.get(read.deal.deal_id)
            if data is not None and data.version == version:
                self._memo.move_to_end(read.deal.deal_id)
        if data is None or data.version != version:
            data = self._compute(read, version, today)
            with self._lock:
                self.computed += 1
                self._memo[read.deal.deal_id] = data
                self._memo.move_to_end(read.deal.deal_id)
                while len(self._memo) > self._size:
                    self._memo.popitem(last=False)
        return PlanCardView(read.deal, data, outcome_of(read.outcome), read_only)

    def _compute(self, read: _Read, version: Hashable, today: date) -> PlanCardData:
        deal = read.deal
        template = self.template(deal.template)
        payload: dict[str, Any] | None = read.snapshot.payload if read.snapshot else None
        health = health_of(deal, payload, read.events, read.notice, template, today)
        return PlanCardData(
            version=version,
            health=health,
            read=read.snapshot is not None,
            warnings=tuple(schedule_warnings(deal, payload, template, today)),
            next_step=next_step_of(deal, payload, health.figures),
            buyers=tuple(buyers_of(deal, payload)),
            agreement=agreement_of(payload),
        )


def _version(read: _Read, today: date) -> Hashable:
    """What the card's content depends on; equal versions give equal cards."""
    deal = read.deal
    last = read.events[-1] if read.events else None
    return (
        deal.deal_id,
        deal.name,
        deal.buyer_company,
        deal.owner_email,
        deal.template,
        deal.go_live,
        deal.signature_target,
        deal.people,
        read.snapshot.seq if read.snapshot else 0,
        len(read.events),
        last.event_id if last else None,
        read.outcome,
        read.notice,
        today,
    )
