"""What a slip costs, in the words both sides read on the plan's Deal tab (pure).

Two lines the add-on writes below the Deal facts, one per milestone: the date both sides
committed to when the plan was made (the store's, which the buyer cannot edit), the date the
plan now leads to (domain/plan_outlook.py: the latest of the milestone row, the plan's own dating
and the remaining work from today at the pace kept), the step that sets it, and by how many
business days it moved:

    Signing: on plan for Wednesday 3 February 2027.
    Signing moves from Wednesday 3 February to Thursday 25 February 2027 (16 business days
    later): Review of our standard terms now ends Wednesday 24 February.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .businessdays import add_business_days, business_days_between, roll_back
from .layout_deal import GO_LIVE_LABEL, SIGNING_LABEL, long_day, on_plan
from .model import Milestone, Template
from .review_schedule import DealSchedule, schedule_of

LINES = (
    (Milestone.SIGNATURE, SIGNING_LABEL, "Signing"),
    (Milestone.GO_LIVE, GO_LIVE_LABEL, "Go-live"),
)


def milestone_moves(
    schedule: DealSchedule,
    committed: Mapping[Milestone, date | None],
    holidays: frozenset[date],
) -> dict[Milestone, tuple[date, date, int]]:
    """Each milestone the plan now leads past its committed date: (committed, now, business
    days later). A go-live asked for on a weekend counts from the business day before it."""
    moves: dict[Milestone, tuple[date, date, int]] = {}
    for milestone, _label, _what in LINES:
        agreed = committed.get(milestone)
        outlook = schedule.milestones.get(milestone)
        close = outlook.close if outlook else None
        if agreed is None or close is None:
            continue
        agreed = roll_back(agreed, holidays)
        if close > agreed:
            moves[milestone] = (agreed, close, business_days_between(agreed, close, holidays))
    return moves


def status_lines(
    snapshot: Mapping[str, Any],
    template: Template | None,
    today: date,
    committed: Mapping[Milestone, date | None],
) -> dict[str, str]:
    """Label -> the line to show, for each milestone line."""
    schedule = schedule_of(snapshot, template, today)
    holidays = frozenset(template.holidays) if template else frozenset()
    moves = milestone_moves(schedule, committed, holidays)
    lines: dict[str, str] = {}
    for milestone, label, what in LINES:
        outlook = schedule.milestones.get(milestone)
        if milestone not in moves:
            agreed = committed.get(milestone)
            if agreed is not None:
                agreed = roll_back(agreed, holidays)
            lines[label] = on_plan(what, agreed or (outlook.committed if outlook else None))
            continue
        agreed, close, moved = moves[milestone]
        same_year = agreed.year == close.year
        line = (
            f"{what} moves from {long_day(agreed, year=not same_year)} to {long_day(close)} "
            f"({moved} business day{'s' if moved != 1 else ''} later)"
        )
        setter = schedule.names(outlook.set_by)[-1:] if outlook else []
        signing = moves.get(Milestone.SIGNATURE)
        if milestone is Milestone.GO_LIVE and signing is not None and signing[2] == moved:
            line += ": it follows signing"  # what moved signing moved go-live as far
        elif setter:
            ends = add_business_days(close, -1, holidays)
            line += f": {setter[0]} now ends {long_day(ends, year=False)}"
        lines[label] = line + "."
    return lines
