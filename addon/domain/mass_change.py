"""Hundreds of rows added or cleared in one read become one event that says so (pure).

A buyer pasting 3,000 junk rows, or clearing the Plan tab, would otherwise make one event per row:
they would fill the plan's Activity tab and push every real change out of the review's Activity.
Past a threshold of rows added plus removed on one tab in one read, those row events are replaced
by one `mass_change` event carrying the counts and a sample of the names; every other event of
the read (a status, a date, an owner) is kept as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from addon.domain.attribution import Actor
from addon.domain.event_model import EventKind, PlanEvent, event_id
from addon.domain.model import Side

DEFAULT_MASS_CHANGE_ROWS = 50  # MAP_MASS_CHANGE_ROWS: more rows than this in one read is one event
SAMPLE_SIZE = 5


@dataclass(frozen=True)
class _Tab:
    name: str
    added: EventKind
    removed: EventKind


_TABS = (
    _Tab("Plan", EventKind.STEP_ADDED, EventKind.STEP_REMOVED),
    _Tab("Stakeholders", EventKind.STAKEHOLDER_ADDED, EventKind.STAKEHOLDER_REMOVED),
)


def collapse_mass_changes(
    events: Sequence[PlanEvent], *, threshold: int = DEFAULT_MASS_CHANGE_ROWS, base_seq: int = 0
) -> list[PlanEvent]:
    """The events with each tab's row additions and removals folded into one `mass_change`
    event when there are more than `threshold` of them (0 or less: never fold)."""
    result = list(events)
    if threshold <= 0:
        return result
    for tab in _TABS:
        rows = [e for e in result if e.kind in (tab.added, tab.removed)]
        if len(rows) <= threshold:
            continue
        folded = _mass_change(tab, rows, base_seq)
        first = result.index(rows[0])
        kept = [e for e in result if e.kind not in (tab.added, tab.removed)]
        result = [*kept[:first], folded, *kept[first:]]  # where its first row event stood
    return result


def _mass_change(tab: _Tab, rows: list[PlanEvent], base_seq: int) -> PlanEvent:
    added = [e for e in rows if e.kind is tab.added]
    removed = [e for e in rows if e.kind is tab.removed]
    sample = {
        "added": [e.subject_label for e in added[:SAMPLE_SIZE]],
        "removed": [e.subject_label for e in removed[:SAMPLE_SIZE]],
    }
    after = {"tab": tab.name, "added": len(added), "removed": len(removed)}
    first = rows[0]
    return PlanEvent(
        event_id=event_id(first.deal_id, base_seq, EventKind.MASS_CHANGE, tab.name, None, after),
        deal_id=first.deal_id,
        kind=EventKind.MASS_CHANGE,
        occurred_at=first.occurred_at,
        subject=tab.name,
        subject_label=f"{tab.name} tab",
        before=None,
        after=after,
        actor=_one_actor([e.actor for e in rows]),
        details={
            **after,
            "sample": sample,
            "people": sorted({e.actor.email or "unknown" for e in rows}),
        },
    )


def _one_actor(actors: list[Actor]) -> Actor:
    """The actor of all the folded events; when they differ, no one in particular (the
    event's details list who they were), on their side if they share one."""
    if len(set(actors)) == 1:
        return actors[0]
    sides = {a.side for a in actors}
    return Actor(None, sides.pop() if len(sides) == 1 else Side.UNKNOWN)
