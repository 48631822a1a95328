"""What changed in a plan: two snapshots in, events out (pure).

This module is the entry point for events: it also offers the event types, attribution and the
ways an event is shown (a sentence, an Activity row, JSON), which live in their own modules. The
diff of steps is `step_changes`, of Deal facts and stakeholders `deal_changes`; this module makes
one slip of each milestone move, costs moved dates, and gives each change its id.

Steps are matched by their Step ID; a row without one (a step the buyer added) is matched by its
name, so renaming such a row reads as one step removed and another added. Phase and notes edits
are not events: notes change too often to be news. Every event of one diff carries the time and
the actor the caller passes in (it knows them from Drive), and an id that the same diff always
reproduces, so a re-run stores and shows nothing twice. Within one diff the ids differ because
rows are matched by a key that repeats nowhere (a repeated Step ID or email counts once, at its
first row), so no two events share kind, subject, before and after.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from addon.domain.activity import activity_row, describe, event_json
from addon.domain.attribution import Actor, attribute
from addon.domain.deal_changes import fact_changes, stakeholder_changes
from addon.domain.event_changes import Change, as_mapping
from addon.domain.event_model import EventKind, PlanEvent, event_id
from addon.domain.milestones import milestone_steps
from addon.domain.model import Template
from addon.domain.plan_outlook import move_costs
from addon.domain.step_changes import MILESTONE_SLIPS, step_changes

__all__ = [
    "Actor",
    "EventKind",
    "PlanEvent",
    "activity_row",
    "attribute",
    "describe",
    "diff",
    "event_id",
    "event_json",
]


def diff(
    previous: Mapping[str, Any],
    current: Mapping[str, Any],
    *,
    deal_id: str,
    base_seq: int,
    occurred_at: datetime,
    actor: Actor,
    holidays: Iterable[date] = (),
    template: Template | None = None,
    milestone_moves: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[PlanEvent]:
    """The events that turn `previous` into `current`: steps in current row order, then removed
    steps, then Deal facts in DEAL_FACTS order, then stakeholders.

    With the deal's template, a moved due date carries what it cost each milestone (see
    `_with_costs`), and a milestone row's move is that milestone's slip. A milestone's move is
    one slip event: `milestone_moves` (`milestones.reconcile`'s, by milestone) says where it was
    edited; without it, a row and Deal fact moved to one date are taken as the Deal's edit.
    """
    if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
        raise ValueError("occurred_at must be timezone-aware")
    days_off = frozenset(holidays)
    milestones = milestone_steps(template)
    changes = _one_slip_per_move(
        [
            *step_changes(
                previous.get("steps"), current.get("steps"), days_off, occurred_at, milestones
            ),
            *fact_changes(
                as_mapping(previous.get("deal")), as_mapping(current.get("deal")), days_off
            ),
            *stakeholder_changes(previous.get("stakeholders"), current.get("stakeholders")),
        ],
        milestone_moves or {},
    )
    if template is not None:
        changes = _with_costs(changes, template, previous.get("steps"), days_off)
    when = occurred_at.astimezone(UTC)
    return [
        PlanEvent(
            event_id=event_id(
                deal_id, base_seq, change.kind, change.subject, change.before, change.after
            ),
            deal_id=deal_id,
            kind=change.kind,
            occurred_at=when,
            subject=change.subject,
            subject_label=change.subject_label,
            before=change.before,
            after=change.after,
            actor=actor,
            details=change.details,
        )
        for change in changes
    ]


def _one_slip_per_move(
    changes: list[Change], moves: Mapping[str, Mapping[str, Any]]
) -> list[Change]:
    """One slip event per milestone move, whichever place was edited.

    A move `moves` knows keeps the slip of the place it was edited (the Deal fact's for an edit
    there or of both places to one date, else the row's), with `moves`' details. Otherwise a
    row's slip is dropped when the Deal fact moved to the same date too."""
    slips = [c for c in changes if c.kind in MILESTONE_SLIPS.values()]
    kept: set[int] = set()
    for milestone, move in moves.items():
        found = {
            c.details.get("source"): c for c in slips if c.details.get("milestone") == milestone
        }
        wanted = "deal" if move.get("source") in ("deal", "both") else "step"
        chosen = found.get(wanted) or next(iter(found.values()), None)
        if chosen is not None:
            kept.add(id(chosen))
            chosen.details.update(move)
        row, fact = found.get("step"), found.get("deal")
        if move.get("source") == "deal" and row is not None and fact is not None:
            # The row's due moved because the Deal fact was edited: the same change, credited
            # like it (`crediting.change_key`).
            for change in changes:
                if change.kind is EventKind.DUE_DATE_MOVED and change.subject == row.subject:
                    change.details.update(source="deal", fact=fact.subject)
    by_fact = {(c.kind, c.after) for c in slips if c.details.get("source") == "deal"}
    return [
        change
        for change in changes
        if change.kind not in MILESTONE_SLIPS.values()
        or id(change) in kept
        or (
            change.details.get("milestone") not in moves
            and not (
                change.details.get("source") == "step" and (change.kind, change.after) in by_fact
            )
        )
    ]


def _with_costs(
    changes: list[Change], template: Template, previous: Any, holidays: frozenset[date]
) -> list[Change]:
    """Each moved due date with the business days it cost each milestone, and whether it is a slip.

    The cost of one move is measured alone: the previous plan with only that step re-dated,
    against the previous plan (`plan_outlook.move_costs`). A move is a slip when it pushes a
    milestone later, or moves a critical step of the template later.
    """
    critical = {spec.id for spec in template.steps if spec.critical}
    milestones = milestone_steps(template)  # their own slip event counts the move, not this one
    result = []
    for change in changes:
        if change.kind is EventKind.DUE_DATE_MOVED and change.subject:
            costs = move_costs(
                template, previous, {"id": change.subject, "due": change.after}, holidays
            )
            moved = change.details.get("slip_business_days")
            later = isinstance(moved, int) and moved > 0
            details = {
                **change.details,
                "milestone_cost": costs,
                "critical": change.subject in critical,
                "slip": change.subject not in milestones
                and (
                    any(days > 0 for days in costs.values())
                    or (later and change.subject in critical)
                ),
            }
            change = Change(
                change.kind,
                change.subject,
                change.subject_label,
                change.before,
                change.after,
                details,
            )
        result.append(change)
    return result
