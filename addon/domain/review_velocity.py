"""Velocity: per template phase, the business days planned against the days actually taken (pure).

Actual days are measured from recorded events, never inferred from due dates: a phase of a deal
counts once every template step of that phase in the plan is Done, from the first day one of
its steps was seen started (moved to In progress, or done) to the last Done on date among them,
both days included. Planned days are the phase's span in the template's backward schedule (first
start to last due, both included). Each row says how many deals it averages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta

import pandas as pd

from .businessdays import add_business_days, business_days_between
from .model import Status, Template
from .review_base import rows_of, snapshot_of
from .review_input import EventFacts, ReviewInput
from .schedule import schedule
from .snapshot import snapshot_date

VELOCITY_COLUMNS = ["Template", "Phase", "Deals", "Planned days", "Actual days", "Ratio"]
_STARTED = {"step_done", "step_status_changed"}


def planned_phase_days(template: Template) -> dict[str, int]:
    """Business days each phase spans in the template's schedule (holidays counted out)."""
    holidays = frozenset(template.holidays)
    # any go-live serves: spans in business days do not depend on it (a far date, no warnings)
    go_live = add_business_days(date(2001, 1, 1), 2000, holidays)
    plan = schedule(template, go_live, date(2001, 1, 1), ready_now=False)
    spans: dict[str, tuple[date, date]] = {}
    for step in plan.steps:
        if step.spec.milestone is not None:
            continue
        first, last = spans.get(step.spec.phase, (step.start, step.due))
        spans[step.spec.phase] = (min(first, step.start), max(last, step.due))
    return {
        phase: business_days_between(first, last, holidays) + 1
        for phase, (first, last) in spans.items()
    }


def velocity_frame(data: ReviewInput, steps: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per template phase that at least one deal has finished (see module docstring)."""
    taken: dict[tuple[str, str], list[int]] = defaultdict(list)
    for deal in data.deals:
        template = data.templates.get(deal.template)
        if template is None:
            continue
        days = _phase_days(
            template, snapshot_of(data, deal.deal_id), data.events.get(deal.deal_id, ())
        )
        for phase, actual in days.items():
            taken[(template.name, phase)].append(actual)
    rows = []
    for name, template in data.templates.items():
        planned = planned_phase_days(template)
        order = list(dict.fromkeys(spec.phase for spec in template.steps))
        for phase in order:
            actuals = taken.get((name, phase))
            if not actuals or phase not in planned:
                continue
            mean = sum(actuals) / len(actuals)
            rows.append(
                {
                    "Template": template.title,
                    "Phase": phase,
                    "Deals": len(actuals),
                    "Planned days": planned[phase],
                    "Actual days": round(mean, 1),
                    "Ratio": round(mean / planned[phase], 2),
                }
            )
    frame = pd.DataFrame(rows, columns=VELOCITY_COLUMNS)
    return frame.astype(
        {
            "Template": object,
            "Phase": object,
            "Deals": int,
            "Planned days": int,
            "Actual days": float,
            "Ratio": float,
        }
    )


def _phase_days(
    template: Template, snapshot: Mapping[str, object], events: tuple[EventFacts, ...]
) -> dict[str, int]:
    """Business days each finished phase took in one deal, from its events."""
    phase_of = {spec.id: spec.phase for spec in template.steps if spec.milestone is None}
    rows = [row for row in rows_of(snapshot, "steps") if str(row.get("id") or "") in phase_of]
    done = {
        str(row["id"]): str(row.get("status") or "").strip().casefold()
        == Status.DONE.value.casefold()
        for row in rows
    }
    started: dict[str, date] = {}
    finished: dict[str, date] = {}
    for event in events:
        step = str(event.subject or "")
        if step not in phase_of or str(event.kind) not in _STARTED:
            continue
        day = _utc_day(event)
        if str(event.kind) == "step_status_changed" and str(
            event.after or ""
        ).strip().casefold() != (Status.IN_PROGRESS.value.casefold()):
            continue
        started[step] = min(started.get(step, day), day)
        if str(event.kind) == "step_done":
            done_on = snapshot_date(event.details.get("done_on")) or day
            finished[step] = max(finished.get(step, done_on), done_on)
            started[step] = min(started[step], done_on)
    holidays = frozenset(template.holidays)
    result = {}
    for phase in dict.fromkeys(phase_of.values()):
        ids = [key for key in done if phase_of[key] == phase]
        if not ids or not all(done[key] and key in finished for key in ids):
            continue
        first = min(started[key] for key in ids)
        last = max(finished[key] for key in ids)
        result[phase] = max(business_days_between(first, last, holidays) + 1, 1)
    return result


def _utc_day(event: EventFacts) -> date:
    moment = event.occurred_at
    offset = moment.utcoffset() or timedelta(0)
    return (moment - offset).date()
