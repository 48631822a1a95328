"""Losing and regaining access to a plan: why, what it means, what to do, and its events (pure).

The watch learns of a loss from Drive: the change feed marks a file `removed` when the service
account can no longer see it, whether it was deleted, unshared or moved where the account has no
access (https://developers.google.com/drive/api/reference/rest/v3/changes: "removed: Whether the
file or shared drive has been removed from this list of changes, for example by deletion or loss
of access"), reports `file.trashed` for a plan put in the trash, and a read of the plan answers
404 (not found, or not shared) or 403 (refused). A write refused while reads work means the
account was made a viewer. Access comes back when a read succeeds again; the feed reports the
file again when it is shared back or taken out of the trash.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from addon.domain.attribution import Actor
from addon.domain.event_model import EventKind, PlanEvent, event_id
from addon.domain.model import Side


class AccessLoss(StrEnum):
    """Why the add-on cannot read (or write) a plan."""

    REMOVED = "removed"  # the change feed: unshared, deleted, or moved out of reach
    TRASHED = "trashed"  # the plan is in the Drive trash
    NOT_FOUND = "not_found"  # a read answered 404
    FORBIDDEN = "forbidden"  # a read answered 403
    READ_ONLY = "read_only"  # reads work, writes answer 403/404: no longer an editor

    @classmethod
    def of(cls, text: str) -> AccessLoss:
        """The loss a stored reason names (an unknown one reads as refused)."""
        try:
            return cls(text)
        except ValueError:
            return cls.FORBIDDEN

    @property
    def unreadable(self) -> bool:
        """Whether the plan cannot be read at all (its review figures are then stale)."""
        return self is not AccessLoss.READ_ONLY


_WHAT_HAPPENED = {
    AccessLoss.REMOVED: "the add-on's access to the plan was removed (unshared, deleted, "
    "or moved where the add-on cannot see it)",
    AccessLoss.TRASHED: "the plan was put in the Drive trash",
    AccessLoss.NOT_FOUND: "Drive answers that the plan does not exist for the add-on (deleted, "
    "or no longer shared with it)",
    AccessLoss.FORBIDDEN: "Drive refuses the add-on access to the plan",
    AccessLoss.READ_ONLY: "the add-on can read the plan but not write to it (it is no longer "
    "an editor), so the plan's Activity tab is not kept up to date",
}


def what_happened(loss: AccessLoss) -> str:
    """The loss as a clause a person reads."""
    return _WHAT_HAPPENED[loss]


def what_to_do(loss: AccessLoss, service_account: str) -> str:
    """What the seller can do to give the add-on its access back."""
    if loss is AccessLoss.TRASHED:
        return "Restore the plan from the Drive trash."
    if loss is AccessLoss.READ_ONLY:
        return f"Make {service_account} an editor of the plan again (Share in the sheet)."
    return (
        f"Share the plan with {service_account} as an editor again (Share in the sheet); if it "
        "was deleted, restore it from the owner's trash."
    )


def unreadable_reason(loss: AccessLoss, since: date) -> str:
    """The review's text for a plan it cannot read: since when and why."""
    return f"Unreadable since {since.isoformat()}: {what_happened(loss)}"


def access_lost_event(
    deal_id: str, *, base_seq: int, since: datetime, loss: AccessLoss, detail: str
) -> PlanEvent:
    """The event that records the start of a loss of access (who caused it is not known)."""
    when = since.astimezone(UTC)
    after = {"reason": loss.value, "since": when.date().isoformat()}
    return PlanEvent(
        event_id=event_id(deal_id, base_seq, EventKind.ACCESS_LOST, None, None, after),
        deal_id=deal_id,
        kind=EventKind.ACCESS_LOST,
        occurred_at=when,
        subject=None,
        subject_label="Plan access",
        before=None,
        after=after,
        actor=Actor(None, Side.UNKNOWN),
        details={**after, "detail": detail, "what": what_happened(loss)},
    )


def access_restored_event(
    deal_id: str, *, base_seq: int, since: datetime, loss: AccessLoss, now: datetime
) -> PlanEvent:
    """The event that records access coming back, and how long the plan was out of sight."""
    when = now.astimezone(UTC)
    started = since.astimezone(UTC)
    before = {"reason": loss.value, "since": started.date().isoformat()}
    details: dict[str, Any] = {
        **before,
        "until": when.date().isoformat(),
        "days": max((when.date() - started.date()).days, 0),
    }
    return PlanEvent(
        event_id=event_id(deal_id, base_seq, EventKind.ACCESS_RESTORED, None, before, None),
        deal_id=deal_id,
        kind=EventKind.ACCESS_RESTORED,
        occurred_at=when,
        subject=None,
        subject_label="Plan access",
        before=before,
        after=None,
        actor=Actor(None, Side.UNKNOWN),
        details=details,
    )
