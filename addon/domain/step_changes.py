"""What changed in a plan's steps: two snapshots' step rows in, changes out (pure).

Steps are matched by their Step ID; a row without one (a step the buyer added) is matched by its
name, so renaming such a row reads as one step removed and another added. Phase and notes edits
are not changes: notes change too often to be news. A milestone row's moved due date is also
that milestone's slip.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

from addon.domain.businessdays import business_days_between
from addon.domain.event_changes import Change, cell_text, keyed, slip_days
from addon.domain.event_model import EventKind
from addon.domain.model import Milestone, Status
from addon.domain.snapshot import snapshot_date

MILESTONE_SLIPS = {
    Milestone.GO_LIVE: EventKind.GO_LIVE_SLIPPED,
    Milestone.SIGNATURE: EventKind.SIGNATURE_SLIPPED,
}

_STEP_FIELDS_SHOWN = ("name", "id", "phase", "owner_side", "owner", "due", "status")


def step_changes(
    previous: Any,
    current: Any,
    holidays: frozenset[date],
    occurred_at: datetime,
    milestones: Mapping[str, Milestone],
) -> Iterator[Change]:
    """Added and changed steps in current row order, then removed steps in previous order."""
    before = keyed(previous, _step_key)
    after = keyed(current, _step_key)
    for key, step in after.items():
        old = before.get(key)
        if old is None:
            yield Change(
                EventKind.STEP_ADDED,
                cell_text(step.get("id")),
                _step_label(step),
                after=_step_summary(step),
            )
        else:
            yield from _changed_step(old, step, holidays, occurred_at, milestones)
    for key, step in before.items():
        if key not in after:
            yield Change(
                EventKind.STEP_REMOVED,
                cell_text(step.get("id")),
                _step_label(step),
                before=_step_summary(step),
            )


def _changed_step(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    holidays: frozenset[date],
    occurred_at: datetime,
    milestones: Mapping[str, Milestone],
) -> Iterator[Change]:
    """A step's status, due date, owner, owner side and name changes, in that order."""
    subject, label = cell_text(new.get("id")), _step_label(new)
    was, now = cell_text(old.get("status")), cell_text(new.get("status"))
    if was != now:
        if _is_done(now):
            yield Change(
                EventKind.STEP_DONE,
                subject,
                label,
                was,
                now,
                _done_details(new, holidays, occurred_at),
            )
        elif _is_done(was):
            yield Change(EventKind.STEP_REOPENED, subject, label, was, now)
        else:
            yield Change(EventKind.STEP_STATUS_CHANGED, subject, label, was, now)
    was, now = cell_text(old.get("due")), cell_text(new.get("due"))
    if was != now:
        slip = {"slip_business_days": slip_days(was, now, holidays)}
        yield Change(EventKind.DUE_DATE_MOVED, subject, label, was, now, slip)
        milestone = milestones.get(subject or "")
        if milestone is not None:
            details = {**slip, "milestone": milestone.value, "source": "step"}
            yield Change(MILESTONE_SLIPS[milestone], subject, label, was, now, details)
    for key, kind in (
        ("owner", EventKind.OWNER_CHANGED),
        ("owner_side", EventKind.OWNER_SIDE_CHANGED),
        ("name", EventKind.STEP_RENAMED),
    ):
        was, now = cell_text(old.get(key)), cell_text(new.get(key))
        if was != now:
            yield Change(kind, subject, label, was, now)


def _done_details(
    step: Mapping[str, Any], holidays: frozenset[date], occurred_at: datetime
) -> dict[str, Any]:
    """When a step was done (its Done on date, else the day the change was seen) and how late."""
    done = snapshot_date(step.get("done_on")) or occurred_at.astimezone(UTC).date()
    details: dict[str, Any] = {"done_on": done.isoformat()}
    due = snapshot_date(step.get("due"))
    if due is not None and done > due:
        details["late_business_days"] = business_days_between(due, done, holidays)
    return details


def _step_key(step: Mapping[str, Any]) -> str | None:
    """A step's Step ID, or for a row without one, its name (None for an empty row)."""
    step_id = cell_text(step.get("id"))
    if step_id:
        return "id:" + step_id
    name = cell_text(step.get("name"))
    return "name:" + name.casefold() if name else None


def _step_label(step: Mapping[str, Any]) -> str:
    return cell_text(step.get("name")) or cell_text(step.get("id")) or "(unnamed step)"


def _step_summary(step: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of an added or removed step that the event keeps (notes left out)."""
    return {name: cell_text(step.get(name)) for name in _STEP_FIELDS_SHOWN}


def _is_done(status: str | None) -> bool:
    return status is not None and status.casefold() == Status.DONE.value.casefold()
