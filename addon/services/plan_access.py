"""Losing and regaining access to a plan, stored: one row while it lasts, one event each way.

The watch calls these when Drive's change feed says a plan is gone or in the trash, when a read
or a write of a plan is refused, and when a read (or a write, after a refused one) works again.
"""

from __future__ import annotations

from datetime import datetime

from ..domain.events import PlanEvent
from ..domain.plan_access import (
    AccessLoss,
    access_lost_event,
    access_restored_event,
    what_happened,
)
from ..google.errors import GoogleApiError, NotFound, PermissionDenied
from ..store import Store
from .plan_writes import event_record


def loss_of(error: BaseException | None, *, writing: bool = False) -> AccessLoss | None:
    """The loss of access a failed request shows (None: a failure that may pass, or none).

    403 (not a rate limit) and 404 mean the service account may not see the plan (Drive answers
    404 for a file that is not shared with the caller); a write refused while the read before it
    worked means the account is no longer an editor.
    """
    if not isinstance(error, PermissionDenied | NotFound):
        return None
    if writing:
        return AccessLoss.READ_ONLY
    return AccessLoss.NOT_FOUND if isinstance(error, NotFound) else AccessLoss.FORBIDDEN


def lose_access(
    store: Store, deal_id: str, loss: AccessLoss, detail: str, *, since: datetime, now: datetime
) -> PlanEvent | None:
    """Record that the plan cannot be read (or written); the access_lost event if it is news.

    A loss already recorded keeps its start and its one event; its reason becomes the latest.
    """
    with store.transaction() as tx:
        if not tx.access.lose(deal_id, since=since, reason=loss.value, detail=detail):
            return None
        latest = tx.snapshots.latest(deal_id)
        event = access_lost_event(
            deal_id, base_seq=latest.seq if latest else 0, since=since, loss=loss, detail=detail
        )
        tx.events.insert_many([event_record(event, now)])
    return event


def regain_access(
    store: Store, deal_id: str, *, now: datetime, written: bool = False
) -> PlanEvent | None:
    """Record that the plan can be read again (`written`: and written); the access_restored
    event if it had been lost. A plan that only could not be written stays lost until a write
    works."""
    with store.transaction() as tx:
        lost = tx.access.get(deal_id)
        if lost is None:
            return None
        loss = AccessLoss.of(lost.reason)
        if loss is AccessLoss.READ_ONLY and not written:
            return None
        tx.access.regain(deal_id)
        latest = tx.snapshots.latest(deal_id)
        event = access_restored_event(
            deal_id,
            base_seq=latest.seq if latest else 0,
            since=lost.lost_since,
            loss=loss,
            now=now,
        )
        tx.events.insert_many([event_record(event, now)])
    return event


def describe_loss(error: GoogleApiError | None, loss: AccessLoss) -> str:
    """The detail stored with a loss: what happened and what Google said."""
    said = f" (Google said: {error})" if error is not None else ""
    return what_happened(loss) + said
