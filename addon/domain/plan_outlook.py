"""What a plan's schedule says about its milestones: feasibility, projection, slip costs (pure).

Built on `plan_schedule`: the same tree and the same two datings serve the "cannot fit" flag,
the projected close of the forecast, the cost of a moved step and the card's warnings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .businessdays import business_days_between
from .model import Milestone, Template
from .plan_schedule import Finish, PlanSchedule, from_today, plan_dates, plan_schedule

MILESTONES = (Milestone.SIGNATURE, Milestone.GO_LIVE)


@dataclass(frozen=True)
class MilestoneOutlook:
    """One milestone: the date the plan commits to, and the dates its work leads to."""

    milestone: Milestone
    committed: date | None  # the milestone row's due date
    planned: Finish | None  # as the plan now dates its steps (a late step pushes it)
    needed: Finish | None  # the remaining work from today at the planned pace
    projected: Finish | None  # the remaining work from today at the pace the deal has kept

    @property
    def fits(self) -> bool:
        """False only when the longest chain of open work, from today, ends after the date."""
        if self.committed is None or self.needed is None:
            return True
        return self.needed.day <= self.committed

    @property
    def close(self) -> date | None:
        """The latest of the committed date, the planned date and the projected finish."""
        days = [
            day
            for day in (
                self.committed,
                self.planned.day if self.planned else None,
                self.projected.day if self.projected else None,
            )
            if day is not None
        ]
        return max(days) if days else None

    @property
    def set_by(self) -> tuple[str, ...]:
        """The chain that sets `close` (step keys), empty when the committed date holds."""
        close = self.close
        if close is None or close == self.committed:
            return ()
        for found in (self.planned, self.projected):
            if found is not None and found.day == close:
                return found.chain[:-1] if len(found.chain) > 1 else found.chain
        return ()


def outlook(
    plan: PlanSchedule, today: date, pace: float = 1.0
) -> dict[Milestone, MilestoneOutlook]:
    """Each milestone the plan has, dated three ways (see MilestoneOutlook)."""
    planned = plan_dates(plan)
    needed = from_today(plan, today, 1.0)
    projected = needed if pace == 1.0 else from_today(plan, today, pace)
    result = {}
    for which in MILESTONES:
        step = plan.milestone(which)
        if step is None:
            continue
        result[which] = MilestoneOutlook(
            milestone=which,
            committed=step.due,
            planned=planned.get(step.key),
            needed=needed.get(step.key),
            projected=projected.get(step.key),
        )
    return result


def chain_names(plan: PlanSchedule, chain: Sequence[str]) -> list[str]:
    """The names of a chain's steps, in order."""
    names = {step.key: step.name for step in plan.steps}
    return [names.get(key, key) for key in chain]


def planned_milestones(plan: PlanSchedule) -> dict[Milestone, date]:
    """Each milestone's date as the plan now dates its steps (open milestones only)."""
    planned = plan_dates(plan)
    result = {}
    for which in MILESTONES:
        step = plan.milestone(which)
        if step is not None and step.key in planned:
            result[which] = planned[step.key].day
    return result


def move_costs(
    template: Template | None,
    previous: Sequence[Mapping[str, Any]] | Any,
    moved: Mapping[str, Any],
    holidays: Iterable[date] = (),
) -> dict[str, int]:
    """Business days each milestone moves when one step of `previous` takes `moved`'s due date.

    `moved` is the step's new row (matched by its Step ID). Only milestones that move are
    listed, keyed by the milestone's value ("signature", "go-live"); negative when pulled in.
    """
    rows = (
        [row for row in previous if isinstance(row, Mapping)] if isinstance(previous, list) else []
    )
    key = moved.get("id")
    changed = [({**row, "due": moved.get("due")} if row.get("id") == key else row) for row in rows]
    before = plan_schedule(template, rows, holidays)
    after = plan_schedule(template, changed, holidays)
    was, now = planned_milestones(before), planned_milestones(after)
    costs = {}
    for which in MILESTONES:
        if which in was and which in now and was[which] != now[which]:
            costs[which.value] = business_days_between(was[which], now[which], before.holidays)
    return costs
