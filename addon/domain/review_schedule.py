"""Each deal's schedule for the review: its plan on the template's tree, dated (pure).

The risks, the forecast and the card read the same `DealSchedule`, so "cannot fit", the projected
close and the step that sets it never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .model import Milestone
from .plan_outlook import MilestoneOutlook, chain_names, outlook
from .plan_schedule import PlanSchedule, kept_pace, plan_schedule
from .review_input import ReviewInput
from .snapshot import snapshot_date


@dataclass(frozen=True)
class DealSchedule:
    """One deal's plan as scheduled today."""

    plan: PlanSchedule
    pace: float  # business days taken per planned day (1.0 when not yet measured)
    pace_measured: bool
    milestones: Mapping[Milestone, MilestoneOutlook]

    def names(self, chain: tuple[str, ...]) -> list[str]:
        return chain_names(self.plan, chain)


def deal_schedules(data: ReviewInput) -> dict[str, DealSchedule]:
    """The schedule of every deal that has a snapshot."""
    result = {}
    for deal in data.deals:
        snapshot = data.snapshots.get(deal.deal_id)
        if not isinstance(snapshot, Mapping):
            continue
        result[deal.deal_id] = schedule_of(snapshot, data.templates.get(deal.template), data.today)
    return result


def schedule_of(snapshot: Mapping[str, Any], template: Any, today: date) -> DealSchedule:
    """One snapshot's schedule, with the pace its done steps show."""
    rows = snapshot.get("steps")
    plan = plan_schedule(template, rows if isinstance(rows, list) else [])
    done_on: dict[str, date] = {}
    for row in rows if isinstance(rows, list) else ():
        if isinstance(row, Mapping) and (day := snapshot_date(row.get("done_on"))):
            done_on.setdefault(str(row.get("id") or "").strip(), day)
    measured = kept_pace(plan, done_on)
    pace = measured if measured is not None else 1.0
    return DealSchedule(plan, pace, measured is not None, outlook(plan, today, pace))
