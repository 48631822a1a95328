"""What changed in a plan: two snapshots in, events out (pure).

This module is the entry point for events: it also offers the event types, attribution and the
ways an event is shown (a sentence, an Activity row, JSON), which live in their own modules.

Steps are matched by their Step ID; a row without one (a step the buyer added) is matched by its
name, so renaming such a row reads as one step removed and another added. Phase and notes edits
are not events: notes change too often to be news. Every event of one diff carries the time and
the actor the caller passes in (it knows them from Drive), and an id that the same diff always
reproduces, so a re-run stores and shows nothing twice. Within one diff the ids differ because
rows are matched by a key that repeats nowhere (a repeated Step ID or email counts once, at its
first row), so no two events share kind, subject, before and after.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from addon.domain.activity import activity_row, describe, event_json
from addon.domain.attribution import BUYER, SELLER, Actor, attribute
from addon.domain.businessdays import business_days_between
from addon.domain.event_model import EventKind, PlanEvent, event_id
from addon.domain.layout_deal import DEAL_FACTS
from addon.domain.milestones import milestone_steps
from addon.domain.model import Milestone, Status, Template
from addon.domain.plan_outlook import move_costs
from addon.domain.snapshot import snapshot_date

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
            *_step_changes(
                previous.get("steps"), current.get("steps"), days_off, occurred_at, milestones
            ),
            *_fact_changes(_mapping(previous.get("deal")), _mapping(current.get("deal")), days_off),
            *_stakeholder_changes(previous.get("stakeholders"), current.get("stakeholders")),
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


_MILESTONE_SLIPS = {
    Milestone.GO_LIVE: EventKind.GO_LIVE_SLIPPED,
    Milestone.SIGNATURE: EventKind.SIGNATURE_SLIPPED,
}


def _one_slip_per_move(
    changes: list[_Change], moves: Mapping[str, Mapping[str, Any]]
) -> list[_Change]:
    """One slip event per milestone move, whichever place was edited.

    A move `moves` knows keeps the slip of the place it was edited (the Deal fact's for an edit
    there or of both places to one date, else the row's), with `moves`' details. Otherwise a
    row's slip is dropped when the Deal fact moved to the same date too."""
    slips = [c for c in changes if c.kind in _MILESTONE_SLIPS.values()]
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
        if change.kind not in _MILESTONE_SLIPS.values()
        or id(change) in kept
        or (
            change.details.get("milestone") not in moves
            and not (
                change.details.get("source") == "step" and (change.kind, change.after) in by_fact
            )
        )
    ]


def _with_costs(
    changes: list[_Change], template: Template, previous: Any, holidays: frozenset[date]
) -> list[_Change]:
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
            change = _Change(
                change.kind,
                change.subject,
                change.subject_label,
                change.before,
                change.after,
                details,
            )
        result.append(change)
    return result


@dataclass(frozen=True)
class _Change:
    """An event before it has an id, a time and an actor."""

    kind: EventKind
    subject: str | None
    subject_label: str
    before: Any = None
    after: Any = None
    details: dict[str, Any] = field(default_factory=dict)


# --- steps -------------------------------------------------------------------------------------

_STEP_FIELDS_SHOWN = ("name", "id", "phase", "owner_side", "owner", "due", "status")


def _step_changes(
    previous: Any,
    current: Any,
    holidays: frozenset[date],
    occurred_at: datetime,
    milestones: Mapping[str, Milestone],
) -> Iterator[_Change]:
    """Added and changed steps in current row order, then removed steps in previous order."""
    before = _keyed(previous, _step_key)
    after = _keyed(current, _step_key)
    for key, step in after.items():
        old = before.get(key)
        if old is None:
            yield _Change(
                EventKind.STEP_ADDED,
                _text(step.get("id")),
                _step_label(step),
                after=_step_summary(step),
            )
        else:
            yield from _changed_step(old, step, holidays, occurred_at, milestones)
    for key, step in before.items():
        if key not in after:
            yield _Change(
                EventKind.STEP_REMOVED,
                _text(step.get("id")),
                _step_label(step),
                before=_step_summary(step),
            )


def _changed_step(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    holidays: frozenset[date],
    occurred_at: datetime,
    milestones: Mapping[str, Milestone],
) -> Iterator[_Change]:
    """A step's status, due date, owner, owner side and name changes, in that order."""
    subject, label = _text(new.get("id")), _step_label(new)
    was, now = _text(old.get("status")), _text(new.get("status"))
    if was != now:
        if _is_done(now):
            yield _Change(
                EventKind.STEP_DONE,
                subject,
                label,
                was,
                now,
                _done_details(new, holidays, occurred_at),
            )
        elif _is_done(was):
            yield _Change(EventKind.STEP_REOPENED, subject, label, was, now)
        else:
            yield _Change(EventKind.STEP_STATUS_CHANGED, subject, label, was, now)
    was, now = _text(old.get("due")), _text(new.get("due"))
    if was != now:
        slip = {"slip_business_days": _slip(was, now, holidays)}
        yield _Change(EventKind.DUE_DATE_MOVED, subject, label, was, now, slip)
        milestone = milestones.get(subject or "")
        if milestone is not None:
            details = {**slip, "milestone": milestone.value, "source": "step"}
            yield _Change(_MILESTONE_SLIPS[milestone], subject, label, was, now, details)
    for key, kind in (
        ("owner", EventKind.OWNER_CHANGED),
        ("owner_side", EventKind.OWNER_SIDE_CHANGED),
        ("name", EventKind.STEP_RENAMED),
    ):
        was, now = _text(old.get(key)), _text(new.get(key))
        if was != now:
            yield _Change(kind, subject, label, was, now)


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
    step_id = _text(step.get("id"))
    if step_id:
        return "id:" + step_id
    name = _text(step.get("name"))
    return "name:" + name.casefold() if name else None


def _step_label(step: Mapping[str, Any]) -> str:
    return _text(step.get("name")) or _text(step.get("id")) or "(unnamed step)"


def _step_summary(step: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of an added or removed step that the event keeps (notes left out)."""
    return {name: _text(step.get(name)) for name in _STEP_FIELDS_SHOWN}


def _is_done(status: str | None) -> bool:
    return status is not None and status.casefold() == Status.DONE.value.casefold()


# --- deal facts --------------------------------------------------------------------------------

_SLIPS = {
    "go_live": (EventKind.GO_LIVE_SLIPPED, Milestone.GO_LIVE),
    "signature_target": (EventKind.SIGNATURE_SLIPPED, Milestone.SIGNATURE),
}
_AGREEMENTS = {"plan_agreed_buyer": BUYER, "plan_agreed_seller": SELLER}
_LABELS = {fact.key: fact.label for fact in DEAL_FACTS}


def _fact_changes(
    previous: Mapping[str, Any], current: Mapping[str, Any], holidays: frozenset[date]
) -> Iterator[_Change]:
    """Deal fact changes in DEAL_FACTS order, then facts this layout does not know, by key."""
    known = [fact.key for fact in DEAL_FACTS]
    extra = sorted((set(previous) | set(current)) - set(known))
    folded = {key + "_on" for key in _AGREEMENTS if _agreed(previous, key) != _agreed(current, key)}
    for key in known + extra:
        label = _LABELS.get(key, key)
        if key in _AGREEMENTS:
            yield from _agreement_change(previous, current, key, label)
            continue
        was, now = _json_value(previous.get(key)), _json_value(current.get(key))
        if was == now or key in folded:
            continue
        if key in _SLIPS:
            kind, milestone = _SLIPS[key]
            details = {
                "slip_business_days": _slip(was, now, holidays),
                "milestone": milestone.value,
                "source": "deal",
            }
            yield _Change(kind, key, label, was, now, details)
        else:
            yield _Change(EventKind.DEAL_FACT_CHANGED, key, label, was, now)


def _agreement_change(
    previous: Mapping[str, Any], current: Mapping[str, Any], key: str, label: str
) -> Iterator[_Change]:
    """A side ticking or unticking "plan agreed", with its "agreed on" date folded in."""
    was, now = _agreed(previous, key), _agreed(current, key)
    if was == now:
        return
    details: dict[str, Any] = {
        "side": _AGREEMENTS[key],
        "agreed_on": _text(current.get(key + "_on")),
    }
    earlier = _text(previous.get(key + "_on"))
    if earlier != details["agreed_on"]:
        details["agreed_on_before"] = earlier
    kind = EventKind.PLAN_AGREED if now else EventKind.PLAN_WITHDRAWN
    yield _Change(kind, key, label, was, now, details)


def _agreed(deal: Mapping[str, Any], key: str) -> bool:
    """Whether a "plan agreed" checkbox is ticked; anything but True (None, "yes") is not."""
    return deal.get(key) is True


# --- stakeholders ------------------------------------------------------------------------------


def _stakeholder_changes(previous: Any, current: Any) -> Iterator[_Change]:
    """Added and re-roled people in current order, then removed people in previous order."""
    before = _keyed(previous, _person_key)
    after = _keyed(current, _person_key)
    for key, person in after.items():
        old = before.get(key)
        if old is None:
            summary = _person_summary(person)
            yield _Change(
                EventKind.STAKEHOLDER_ADDED,
                _person_subject(person),
                _person_label(person),
                after=summary,
            )
        elif _text(old.get("role")) != _text(person.get("role")):
            yield _Change(
                EventKind.STAKEHOLDER_ROLE_CHANGED,
                _person_subject(person),
                _person_label(person),
                _text(old.get("role")),
                _text(person.get("role")),
                {"email": _email(person)},
            )
    for key, person in before.items():
        if key not in after:
            yield _Change(
                EventKind.STAKEHOLDER_REMOVED,
                _person_subject(person),
                _person_label(person),
                before=_person_summary(person),
            )


def _person_key(person: Mapping[str, Any]) -> str | None:
    """A person's email (any case), else their name (None for an empty row)."""
    email = _email(person)
    if email:
        return "email:" + email
    name = _text(person.get("name"))
    return "name:" + name.casefold() if name else None


def _email(person: Mapping[str, Any]) -> str | None:
    email = _text(person.get("email"))
    return email.lower() if email else None


def _person_subject(person: Mapping[str, Any]) -> str | None:
    return _email(person) or _text(person.get("name"))


def _person_label(person: Mapping[str, Any]) -> str:
    return _text(person.get("name")) or _email(person) or "(unnamed person)"


def _person_summary(person: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": _text(person.get("name")),
        "email": _email(person),
        "side": _text(person.get("side")),
        "role": _text(person.get("role")),
    }


# --- values ------------------------------------------------------------------------------------


def _keyed(
    rows: Any, key_of: Callable[[Mapping[str, Any]], str | None]
) -> dict[str, Mapping[str, Any]]:
    """Rows by key in row order; the first row with a key wins, later repeats are ignored."""
    keyed: dict[str, Mapping[str, Any]] = {}
    for row in rows if isinstance(rows, list) else ():
        if isinstance(row, Mapping):
            key = key_of(row)
            if key is not None:
                keyed.setdefault(key, row)
    return keyed


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    """A cell's text, stripped; blank and missing are both None."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _json_value(value: Any) -> Any:
    """A Deal fact as JSON: booleans kept, everything else as stripped text or None."""
    return value if isinstance(value, bool) else _text(value)


def _slip(before: Any, after: Any, holidays: frozenset[date]) -> int | None:
    """Business days from the old date to the new one, None unless both are dates."""
    old, new = snapshot_date(before), snapshot_date(after)
    if old is None or new is None:
        return None
    return business_days_between(old, new, holidays)
