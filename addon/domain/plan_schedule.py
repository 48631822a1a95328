"""The plan's schedule as it stands: its steps on the template's tree, dated two ways (pure).

One computation serves feasibility, the projected close, slips and the warnings a seller sees:

- **The tree.** Each step of the plan ends before its anchor starts, as its template step says
  (`before`); a template step the plan no longer has is skipped over, so its successors anchor
  to what it anchored to, except a milestone, which stays in the tree undated (`MISSING`) so
  the work before it still leads to it. A step the buyer added (no Step ID, or one the
  template lacks) joins the tree by phase (beside the template step of the same phase whose
  due date is nearest) or, with no such phase, by due date (before the first milestone due on
  or after it); it is taken to last one business day. `PlanStep.placement` records how each
  step was placed.
- **As the plan dates it** (`plan_dates`): every open step finishes on its due date, or later when
  the steps before it push it: a step starts the business day after its latest open predecessor
  finishes (plus that predecessor's lag). A milestone's date is then the date its own row says,
  or later when open work before it is dated later. Done steps push nothing.
- **From today** (`from_today`): every open step starts no earlier than today (the next business
  day when today is not one) and takes its planned business days, times `pace`, rounded up; a
  step in progress is counted at half its duration (how far along it is, is not known). The
  milestone's finish is when the longest chain of open work before it can end (a milestone
  itself takes its one day, whatever the pace). This ignores
  the due dates the plan carries: it is what the remaining work needs, not what was promised.

A step occupies at least one business day (a milestone: its day), as in backward scheduling.
Business days skip weekends and the holidays passed in (the template's and its region's).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .businessdays import add_business_days, business_days_between, roll_forward
from .model import GO_LIVE, Milestone, Status, StepSpec, Template
from .snapshot import snapshot_date

IN_TEMPLATE = "template"
BY_PHASE = "phase"
BY_DUE_DATE = "due date"
UNPLACED = "unplaced"  # a buyer-added step with neither a known phase nor a due date
MISSING = "missing"  # a template milestone whose row the plan no longer has: kept, undated
PACE_RANGE = (0.5, 3.0)


@dataclass(frozen=True)
class PlanStep:
    """One row of the plan placed on the tree."""

    key: str  # the Step ID, or "row:<n>" for a row without one
    name: str
    anchor: str | None  # key of the step it must end before; None at the end of the tree
    days: int  # business days it occupies, at least 1
    lag: int
    due: date | None
    status: str
    critical: bool
    milestone: Milestone | None
    placement: str  # IN_TEMPLATE | BY_PHASE | BY_DUE_DATE | UNPLACED
    placed_beside: str | None = None  # the template step a buyer-added step was placed beside

    @property
    def done(self) -> bool:
        return self.status.casefold() == Status.DONE.value.casefold()

    @property
    def in_progress(self) -> bool:
        return self.status.casefold() == Status.IN_PROGRESS.value.casefold()


@dataclass(frozen=True)
class Finish:
    """When a step can finish, and the open steps that set it (earliest first, itself last)."""

    day: date
    chain: tuple[str, ...]  # step keys


@dataclass(frozen=True)
class PlanSchedule:
    """A plan's steps on its template's tree, with the holidays its dates skip."""

    steps: tuple[PlanStep, ...]
    holidays: frozenset[date] = field(default_factory=frozenset)

    def by_key(self) -> dict[str, PlanStep]:
        return {step.key: step for step in self.steps}

    def milestone(self, which: Milestone) -> PlanStep | None:
        return next((step for step in self.steps if step.milestone is which), None)

    def predecessors(self) -> dict[str, list[str]]:
        """Step key -> keys of the steps that must end before it starts, in plan order."""
        before: dict[str, list[str]] = {step.key: [] for step in self.steps}
        for step in self.steps:
            if step.anchor is not None and step.anchor in before:
                before[step.anchor].append(step.key)
        return before


def plan_schedule(
    template: Template | None,
    steps: Sequence[Mapping[str, Any]] | Any,
    holidays: Iterable[date] | None = None,
) -> PlanSchedule:
    """Place a snapshot's steps (``snapshot["steps"]``) on the template's tree.

    Hostile rows are tolerated: a row that is not a mapping is skipped, a repeated Step ID counts
    once (at its first row; later ones are placed as buyer-added), dates that are not dates are
    None. Without a template every step is placed by due date (no tree is known).
    """
    rows = [row for row in steps if isinstance(row, Mapping)] if isinstance(steps, list) else []
    specs = {spec.id: spec for spec in template.steps} if template else {}
    days_off = frozenset(template.holidays if template else ()) | frozenset(holidays or ())
    seen: set[str] = set()
    known: list[tuple[int, Mapping[str, Any]]] = []
    added: list[tuple[int, Mapping[str, Any]]] = []
    for index, row in enumerate(rows):
        step_id = _text(row.get("id"))
        if step_id in specs and step_id not in seen:
            seen.add(step_id)
            known.append((index, row))
        else:
            added.append((index, row))
    milestones = [
        spec
        for spec in (template.steps if template else ())
        if spec.milestone and spec.id not in seen
    ]
    seen.update(spec.id for spec in milestones)  # a missing milestone still joins the tree
    placed: dict[int, PlanStep] = {}
    for offset, spec in enumerate(milestones):
        placed[len(rows) + offset] = _missing_milestone(spec, specs, seen)
    for index, row in known:
        placed[index] = _template_step(row, specs, seen)
    template_steps = [placed[index] for index, _ in known] + [
        placed[len(rows) + offset] for offset in range(len(milestones))
    ]
    for index, row in added:
        placed[index] = _place_added(index, row, template_steps, specs)
    return PlanSchedule(tuple(placed[index] for index in sorted(placed)), days_off)


def _missing_milestone(
    spec: StepSpec, specs: Mapping[str, StepSpec], present: set[str]
) -> PlanStep:
    """A template milestone whose row the plan no longer has: kept on the tree, undated."""
    return PlanStep(
        key=spec.id,
        name=spec.name,
        anchor=_present_anchor(spec, specs, present),
        days=1,
        lag=0,
        due=None,
        status="",
        critical=spec.critical,
        milestone=spec.milestone,
        placement=MISSING,
    )


def _template_step(
    row: Mapping[str, Any], specs: Mapping[str, StepSpec], present: set[str]
) -> PlanStep:
    """A row that is a template step: its duration, lag and milestone from the template, its
    name (else the template's), due date and status from the row."""
    spec = specs[str(_text(row.get("id")))]
    return PlanStep(
        key=spec.id,
        name=_text(row.get("name")) or spec.name,
        anchor=_present_anchor(spec, specs, present),
        days=max(spec.duration_days, 1),
        lag=spec.lag_days,
        due=snapshot_date(row.get("due")),
        status=_text(row.get("status")) or "",
        critical=spec.critical,
        milestone=spec.milestone,
        placement=IN_TEMPLATE,
    )


def _present_anchor(spec: Any, specs: Mapping[str, Any], present: set[str]) -> str | None:
    """The nearest step on `spec`'s `before` chain that the plan still has (None past go-live).

    The go-live milestone ends the tree: it has no anchor.
    """
    if spec.milestone is Milestone.GO_LIVE:
        return None
    current, seen = spec.before, set()
    while current != GO_LIVE and current not in present:
        spec = specs.get(current)
        if spec is None or current in seen:
            return None
        seen.add(current)
        current = spec.before
    if current == GO_LIVE:
        go_live = next(
            (key for key, spec in specs.items() if spec.milestone is Milestone.GO_LIVE), None
        )
        return go_live if go_live in present else None
    return current


def _place_added(
    index: int, row: Mapping[str, Any], template_steps: list[PlanStep], specs: Mapping[str, Any]
) -> PlanStep:
    """A buyer-added row joined to the tree by its phase, else by its due date."""
    due = snapshot_date(row.get("due"))
    phase = (_text(row.get("phase")) or "").casefold()
    same_phase = [
        step
        for step in template_steps
        if phase and specs[step.key].phase.casefold() == phase and step.milestone is None
    ]
    anchor: str | None = None
    beside: str | None = None
    placement = UNPLACED
    if same_phase:
        nearest = min(
            same_phase,
            key=lambda step: (
                abs((step.due - due).days) if step.due and due else math.inf,
                template_steps.index(step),
            ),
        )
        anchor, beside, placement = nearest.anchor, nearest.key, BY_PHASE
    elif due is not None:
        milestones = sorted(
            (step for step in template_steps if step.milestone is not None and step.due),
            key=lambda step: step.due or date.max,
        )
        following = next((step for step in milestones if step.due and step.due >= due), None)
        if following is None and milestones:
            following = milestones[-1]
        if following is not None:
            anchor, placement = following.key, BY_DUE_DATE
    step_id = _text(row.get("id"))
    return PlanStep(
        key=step_id if step_id and step_id not in specs else f"row:{index + 1}",
        name=_text(row.get("name")) or step_id or "(unnamed step)",
        anchor=anchor,
        days=1,
        lag=0,
        due=due,
        status=_text(row.get("status")) or "",
        critical=False,
        milestone=None,
        placement=placement,
        placed_beside=beside,
    )


# --- dating ------------------------------------------------------------------------------------


def plan_dates(plan: PlanSchedule) -> dict[str, Finish]:
    """When each open step finishes as the plan now dates it (see the module docstring).

    An open step without a due date finishes when its predecessors let it; one with neither
    is left out (nothing is known of it). Done steps are left out.
    """
    return _forward(plan, origin=None, pace=1.0)


def from_today(plan: PlanSchedule, today: date, pace: float = 1.0) -> dict[str, Finish]:
    """When each open step can finish if the remaining work starts today (see module docstring)."""
    return _forward(plan, origin=today, pace=pace)


def _forward(plan: PlanSchedule, origin: date | None, pace: float) -> dict[str, Finish]:
    days_off = plan.holidays
    first = None
    if origin is not None:
        first = roll_forward(origin, days_off)
    steps = plan.by_key()
    before = plan.predecessors()
    state: dict[str, Finish | None] = {}
    for step in plan.steps:
        stack = [step.key]  # iterative depth-first: a buyer-made tree may be deep
        while stack:
            current = stack[-1]
            if current in state:
                stack.pop()
                continue
            pending = [key for key in before[current] if key not in state and key not in stack]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            state[current] = _finish(
                steps, current, before[current], state, (first, pace, days_off)
            )
    return {key: found for key, found in state.items() if found is not None}


def _finish(
    steps: Mapping[str, PlanStep],
    key: str,
    predecessors: list[str],
    state: Mapping[str, Finish | None],
    how: tuple[date | None, float, frozenset[date]],
) -> Finish | None:
    """One open step's finish: after its latest predecessor, from `first` or on its due date."""
    first, pace, days_off = how
    step = steps[key]
    if step.done:
        return None
    latest: tuple[date, tuple[str, ...]] | None = None
    for previous in predecessors:
        found = state.get(previous)
        if found is None:
            continue
        ready = add_business_days(found.day, 1 + steps[previous].lag, days_off)
        if latest is None or ready > latest[0]:
            latest = (ready, found.chain)
    if first is not None:  # from today: durations, not due dates
        start = max(first, latest[0]) if latest else first
        day = add_business_days(start, work_days(step, pace) - 1, days_off)
        return Finish(day, (*(latest[1] if latest and latest[0] >= first else ()), step.key))
    if latest is None:
        return Finish(step.due, (step.key,)) if step.due else None
    pushed = add_business_days(latest[0], step.days - 1, days_off)
    if step.due is not None and step.due >= pushed:
        return Finish(step.due, (step.key,))
    return Finish(pushed, (*latest[1], step.key))


# --- helpers -----------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def kept_pace(plan: PlanSchedule, done_on: Mapping[str, date]) -> float | None:
    """How fast this deal has kept its plan: business days taken per planned day (None if unknown).

    Over done template steps with a due date and a Done on date: the mean of
    (days late + duration) / duration, clipped to PACE_RANGE; early steps count below 1.
    """
    ratios = []
    for step in plan.steps:
        when = done_on.get(step.key)
        if step.placement != IN_TEMPLATE or step.milestone or not step.done or not when:
            continue
        if step.due is None:
            continue
        late = business_days_between(step.due, when, plan.holidays)
        ratios.append((late + step.days) / step.days)
    if not ratios:
        return None
    low, high = PACE_RANGE
    return min(max(sum(ratios) / len(ratios), low), high)


def work_days(step: PlanStep, pace: float) -> int:
    """Business days the rest of a step takes at a pace: at least 1; a milestone takes its day."""
    if step.milestone is not None:
        return 1
    days = step.days / 2 if step.in_progress else step.days
    return max(1, math.ceil(round(days * pace, 9)))
