"""Backward scheduling: a template's steps dated back from the buyer's go-live, in business days.

Rules:

1. Business days are Monday to Friday, except the holidays: the template's holidays together
   with the ``holidays`` argument.
2. The go-live milestone step (``milestone is Milestone.GO_LIVE``) is due on the go-live date,
   rolled back to the last business day on or before it when go-live falls on a weekend or a
   holiday; its start is its due date. Its own ``before`` and ``lag_days`` are ignored.
3. Every other step ends before its anchor (``before``) starts: its due date is the business day
   before the anchor's start, moved back ``lag_days`` further business days. The anchor
   ``GO_LIVE`` starts on the go-live milestone's due date (the rolled-back go-live date), whether
   or not the template has a go-live milestone step.
4. A step starts ``duration_days - 1`` business days before its due date (a 1-day step starts
   and ends on the same day); a step of duration 0 (a milestone) starts on its due date. So every
   step, milestones included, occupies at least one business day of its chain.
5. Steps come out in plan order: by due date, then start date, then template order.
6. Anchors are resolved once each (memoised, walking each chain iteratively so long chains cannot
   hit the recursion limit). A cycle, a missing anchor, a duplicate step id or a negative duration
   or lag raises ValueError; the template loader should have rejected them already.
7. Nothing is squeezed to fit: steps keep their dates and the schedule carries warnings, in plan
   order, at most one per step:
   - ``due_in_past`` when due < today; ``days`` = business days from the due date to today
     (``business_days_between(due, today)``, at least 1).
   - ``starts_in_past`` when start < today <= due; ``days`` = business days short: the step's
     business days minus those left from today through its due date.
   A go-live date in the past is the caller's to reject; here it only yields warnings.
8. Spare time sits where the template says (``Template.slack_before``, a step id or GO_LIVE):
   when the go-live leaves more time than the steps need and ``ready_now`` holds (the buyer is
   ready now, the default), the steps that end before that step move earlier together, so the
   first of them starts on the first business day from today; that step and those after it keep
   their dates back from go-live, and the spare business days sit just before it. The moved
   steps keep their order, durations and lags. Without ``slack_before`` (or with ``ready_now``
   false) every step is dated as late as possible.

``Schedule.go_live`` is the go-live date as requested (not rolled back). For reports,
``critical_path`` gives the longest chain of critical steps ending at go-live, and
``total_business_days`` the business days from the first start to go-live.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from addon.domain.businessdays import (
    add_business_days,
    business_days_between,
    is_business_day,
    roll_back,
    roll_forward,
)
from addon.domain.model import (
    GO_LIVE,
    Milestone,
    Schedule,
    ScheduledStep,
    ScheduleWarning,
    StepSpec,
    Template,
)

DUE_IN_PAST = "due_in_past"
STARTS_IN_PAST = "starts_in_past"


def schedule(
    template: Template,
    go_live: date,
    today: date,
    holidays: Iterable[date] = (),
    *,
    ready_now: bool = True,
) -> Schedule:
    """Date every step back from go-live; warn about the steps it leaves no room for."""
    days_off = frozenset(template.holidays) | frozenset(holidays)
    specs = _index(template)
    dates = _resolve(template, specs, roll_back(go_live, days_off), days_off)
    if ready_now and template.slack_before is not None:
        dates = _start_now(specs, dates, template.slack_before, today, days_off)
    order = {spec.id: position for position, spec in enumerate(template.steps)}
    steps = sorted(
        (
            ScheduledStep(spec=spec, start=dates[spec.id][0], due=dates[spec.id][1])
            for spec in template.steps
        ),
        key=lambda step: (step.due, step.start, order[step.spec.id]),
    )
    warnings = tuple(
        warning for step in steps if (warning := _warning(step, today, days_off)) is not None
    )
    return Schedule(go_live=go_live, steps=tuple(steps), warnings=warnings)


def critical_path(template: Template) -> list[StepSpec]:
    """The longest unbroken chain of critical steps that ends at go-live, earliest step first.

    A chain follows ``before`` links; it ends at go-live when its last step is anchored to
    GO_LIVE or to the go-live milestone step (or is that milestone); an anchor GO_LIVE leads to
    the go-live milestone, which joins the chain when it is critical. Its length is the business
    days it occupies in a schedule: ``max(duration_days, 1) + lag_days`` per step, 0 for the
    go-live milestone. Ties go to the chain with more steps, then to the earlier first step in
    template order. An empty list when no critical chain reaches go-live.
    """
    specs = _index(template)
    go_live = next((s for s in template.steps if s.milestone is Milestone.GO_LIVE), None)
    best: list[StepSpec] = []
    best_key = (-1, 0)
    for spec in template.steps:
        if not spec.critical:
            continue
        chain = _critical_chain(template, specs, spec, go_live)
        if chain is None:
            continue
        key = (sum(_span(step) for step in chain), len(chain))
        if key > best_key:
            best, best_key = chain, key
    return best


def total_business_days(plan: Schedule, holidays: Iterable[date] = ()) -> int:
    """Business days in (first start, go-live]: 0 without steps; pass the schedule's holidays.

    A Schedule does not record the holidays it was built with, so a caller wanting an exact count
    passes the same ones (template holidays and extra ones) as it gave to ``schedule``.
    """
    if not plan.steps:
        return 0
    return max(0, business_days_between(plan.first_start, plan.go_live, frozenset(holidays)))


def _critical_chain(
    template: Template, specs: dict[str, StepSpec], first: StepSpec, go_live: StepSpec | None
) -> list[StepSpec] | None:
    """The critical chain from `first` to go-live; None if a non-critical step breaks it."""
    chain = [first]
    seen = {first.id}
    current = first
    while current.milestone is not Milestone.GO_LIVE:
        if current.before == GO_LIVE:  # the go-live milestone joins the chain if it is critical
            if go_live is None or not go_live.critical:
                return chain
            anchor = go_live
        else:
            found = specs.get(current.before)
            if found is None:
                raise ValueError(
                    f"step {current.id!r} of template {template.name!r} is scheduled before"
                    f" {current.before!r}, which is not a step of the template"
                )
            if not found.critical:
                return chain if found.milestone is Milestone.GO_LIVE else None
            anchor = found
        if anchor.id in seen:
            raise ValueError(
                f"template {template.name!r} has a cycle of steps through {anchor.id!r}"
            )
        chain.append(anchor)
        seen.add(anchor.id)
        current = anchor
    return chain


def _span(spec: StepSpec) -> int:
    """Business days a step occupies in its chain: 0 for go-live, else max(duration, 1) + lag."""
    if spec.milestone is Milestone.GO_LIVE:
        return 0
    return max(spec.duration_days, 1) + spec.lag_days


def _index(template: Template) -> dict[str, StepSpec]:
    """The template's steps by id; ValueError on a duplicate id."""
    specs: dict[str, StepSpec] = {}
    for spec in template.steps:
        if spec.id in specs:
            raise ValueError(f"template {template.name!r} has two steps with id {spec.id!r}")
        specs[spec.id] = spec
    return specs


def _resolve(
    template: Template, specs: dict[str, StepSpec], go_live_day: date, days_off: frozenset[date]
) -> dict[str, tuple[date, date]]:
    """(start, due) of every step, each chain walked forward to a dated anchor then dated back."""
    dated: dict[str, tuple[date, date]] = {}
    for step_id in specs:
        chain: list[StepSpec] = []
        on_chain: set[str] = set()
        current = step_id
        while True:
            if current in dated:
                anchor_start = dated[current][0]
                break
            spec = specs.get(current)
            if spec is None:
                raise ValueError(
                    f"step {chain[-1].id!r} of template {template.name!r} is scheduled before"
                    f" {current!r}, which is not a step of the template"
                )
            if spec.milestone is Milestone.GO_LIVE:
                dated[spec.id] = (go_live_day, go_live_day)
                anchor_start = go_live_day
                break
            if current in on_chain:
                loop = [step.id for step in chain[[s.id for s in chain].index(current) :]]
                raise ValueError(
                    f"template {template.name!r} has a cycle of steps: "
                    + " -> ".join([*loop, current])
                )
            chain.append(spec)
            on_chain.add(current)
            if spec.before == GO_LIVE:
                anchor_start = go_live_day
                break
            current = spec.before
        for spec in reversed(chain):
            start, due = _dates(template, spec, anchor_start, days_off)
            dated[spec.id] = (start, due)
            anchor_start = start
    return dated


def _start_now(
    specs: dict[str, StepSpec],
    dates: dict[str, tuple[date, date]],
    slack_before: str,
    today: date,
    days_off: frozenset[date],
) -> dict[str, tuple[date, date]]:
    """Rule 8: the steps that end before `slack_before` moved to start from today."""
    early = [step_id for step_id in specs if _ends_before(specs, step_id, slack_before)]
    if not early:
        return dates
    first = roll_forward(today, days_off)
    spare = business_days_between(first, min(dates[step_id][0] for step_id in early), days_off)
    if spare <= 0:
        return dates
    moved = dict(dates)
    for step_id in early:
        start, due = dates[step_id]
        moved[step_id] = (
            add_business_days(start, -spare, days_off),
            add_business_days(due, -spare, days_off),
        )
    return moved


def _ends_before(specs: dict[str, StepSpec], step_id: str, anchor: str) -> bool:
    """Whether a step's `before` chain passes through `anchor` (GO_LIVE: any step but go-live)."""
    spec = specs[step_id]
    if spec.milestone is Milestone.GO_LIVE:
        return False
    if anchor == GO_LIVE:
        return True
    seen = {step_id}
    current = spec.before
    while current != GO_LIVE and current not in seen:
        if current == anchor:
            return True
        following = specs.get(current)
        if following is None or following.milestone is Milestone.GO_LIVE:
            return False
        seen.add(current)
        current = following.before
    return False


def _dates(
    template: Template, spec: StepSpec, anchor_start: date, days_off: frozenset[date]
) -> tuple[date, date]:
    """(start, due) of a step that ends before an anchor starting on anchor_start."""
    if spec.duration_days < 0 or spec.lag_days < 0:
        raise ValueError(
            f"step {spec.id!r} of template {template.name!r} has a negative duration or lag"
        )
    due = add_business_days(anchor_start, -(1 + spec.lag_days), days_off)
    if spec.duration_days <= 1:
        return due, due
    return add_business_days(due, -(spec.duration_days - 1), days_off), due


def _warning(step: ScheduledStep, today: date, days_off: frozenset[date]) -> ScheduleWarning | None:
    """The warning for a step the schedule leaves no (or too little) time for, if any."""
    name, step_id = step.spec.name, step.spec.id
    if step.due < today:
        late = max(1, business_days_between(step.due, today, days_off))
        return ScheduleWarning(
            step_id=step_id,
            kind=DUE_IN_PAST,
            days=late,
            message=(
                f"{name} would have been due {step.due.isoformat()}, {_business_days(late)} ago:"
                " the go-live date leaves no time for it"
            ),
        )
    if step.start < today:
        total = business_days_between(step.start, step.due, days_off) + 1
        left = business_days_between(today, step.due, days_off) + (
            1 if is_business_day(today, days_off) else 0
        )
        verb = "remains" if left == 1 else "remain"
        return ScheduleWarning(
            step_id=step_id,
            kind=STARTS_IN_PAST,
            days=total - left,
            message=(
                f"{name} should have started {step.start.isoformat()};"
                f" only {left} of its {_business_days(total)} {verb}"
            ),
        )
    return None


def _business_days(n: int) -> str:
    """'1 business day' or 'n business days'."""
    return f"{n} business day" if n == 1 else f"{n} business days"
