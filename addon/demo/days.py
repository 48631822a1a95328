"""What a demo deal's buyer and seller type into its plan on one simulated day (pure).

The story (`demo.deals.Story`) says who does what and when; the plan as last read says where the
work stands. Work follows the plan's own dates: a step is put In progress from its start and
Done, dated that day, once its due date is reached, `lead` business days early (or late; never
before it started), so a fast deal takes fewer days over a step and a slow one more. The
buyer works their steps and the shared ones, the seller ours; milestones are not ticked off.
Every date typed is a business day of the template's calendar.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..domain.businessdays import add_business_days
from ..domain.layout_deal import deal_fact
from ..domain.model import Milestone, Template
from .buyers import BuyerEdit
from .deals import Story

BUYER_SIDES = ("Buyer", "Both")
GOAL = "Cut the time from request to answer in half before next budget year"


@dataclass
class DayEdits:
    """The edits of one day, by who makes them."""

    buyer: list[BuyerEdit] = field(default_factory=list)
    seller: list[BuyerEdit] = field(default_factory=list)


@dataclass(frozen=True)
class Day:
    """One simulated business day of a deal: its date and its number since the plan was made."""

    today: date
    number: int


def _fact(key: str, value: Any) -> BuyerEdit:
    return BuyerEdit(deal_fact(key).value_cell, [[value]])


def _sign_off(side: str, today: date) -> list[BuyerEdit]:
    return [_fact(f"plan_agreed_{side}", True), _fact(f"plan_agreed_{side}_on", today.isoformat())]


def _due(step: Mapping[str, Any]) -> date | None:
    try:
        return date.fromisoformat(str(step.get("due") or ""))
    except ValueError:
        return None


def _milestones(template: Template) -> dict[str, Milestone]:
    return {spec.id: spec.milestone for spec in template.steps if spec.milestone is not None}


def _work(
    steps: list[Mapping[str, Any]], template: Template, day: Day, lead: int, hold: str | None
) -> list[BuyerEdit]:
    """Start and finish the given steps as their dates come, `lead` business days early."""
    holidays = frozenset(template.holidays)
    duration = {spec.id: max(spec.duration_days, 1) for spec in template.steps}
    edits = []
    for step in steps:
        due, status, row = _due(step), str(step.get("status") or ""), step.get("row")
        if due is None or not row or status in ("Done", "Blocked") or step.get("id") == hold:
            continue
        start = add_business_days(due, -(duration.get(str(step.get("id")), 1) - 1), holidays)
        finish = add_business_days(due, -lead, holidays)
        if day.today >= finish and day.today >= start:
            edits.append(BuyerEdit(f"Plan!G{row}:H{row}", [["Done", day.today.isoformat()]]))
        elif status != "In progress" and day.today >= min(start, finish):
            edits.append(BuyerEdit(f"Plan!G{row}", [["In progress"]]))
    return edits


def _open(snapshot: Mapping[str, Any], template: Template, sides: tuple[str, ...]) -> list[Any]:
    milestones = _milestones(template)
    steps = [
        s
        for s in snapshot.get("steps") or []
        if s.get("owner_side") in sides
        and s.get("status") != "Done"
        and s.get("id") not in milestones
    ]
    return sorted(steps, key=lambda s: (str(s.get("due") or "9999"), int(s.get("row") or 0)))


def _roles(snapshot: Mapping[str, Any], story: Story) -> list[BuyerEdit]:
    """Each buyer the seller listed gets the story's next role (Stakeholders column D)."""
    people = list(snapshot.get("stakeholders") or [])
    buyers = [row for row, p in enumerate(people, start=2) if p.get("side") == "Buyer"]
    named = zip(buyers, story.roles, strict=False)  # fewer people than roles: fewer roles
    return [BuyerEdit(f"Stakeholders!D{row}", [[role]]) for row, role in named]


def _owners(snapshot: Mapping[str, Any], template: Template) -> list[BuyerEdit]:
    """The buyer puts the first buyer's name on their first two open steps (Plan column E)."""
    people = snapshot.get("stakeholders") or []
    name = next((p.get("name") for p in people if p.get("side") == "Buyer"), None)
    steps = _open(snapshot, template, ("Buyer",)) or _open(snapshot, template, BUYER_SIDES)
    return [BuyerEdit(f"Plan!E{s['row']}", [[name]]) for s in steps[:2] if name]


def _procurement(snapshot: Mapping[str, Any], template: Template, day: Day) -> list[BuyerEdit]:
    """A procurement contact on the Stakeholders tab and their onboarding step on the Plan."""
    people = list(snapshot.get("stakeholders") or [])
    company = next((p["email"].split("@")[1] for p in people if p.get("side") == "Buyer"), None)
    if company is None:
        return []
    steps = snapshot.get("steps") or []
    plan_row = max((int(s["row"]) for s in steps if s.get("row")), default=1) + 1
    due = add_business_days(day.today, 15, frozenset(template.holidays))
    person_row = len(people) + 2
    return [
        BuyerEdit(
            f"Stakeholders!A{person_row}:E{person_row}",
            [["Pat Okoro", f"procurement@{company}", "Buyer", "Procurement", "Purchase order"]],
        ),
        BuyerEdit(
            f"Plan!A{plan_row}:G{plan_row}",
            [
                [
                    "",
                    "Contract",
                    "Supplier onboarding in our procurement portal",
                    "Buyer",
                    "",
                    due.isoformat(),
                    "Not started",
                ]
            ],
        ),
    ]


def _move_go_live(snapshot: Mapping[str, Any], template: Template, days: int) -> list[BuyerEdit]:
    """The go-live row's date moved by `days` business days (later when positive)."""
    ids = {k for k, m in _milestones(template).items() if m is Milestone.GO_LIVE}
    for step in snapshot.get("steps") or []:
        due = _due(step)
        if step.get("id") in ids and due is not None and step.get("row"):
            moved = add_business_days(due, days, frozenset(template.holidays))
            return [BuyerEdit(f"Plan!F{step['row']}", [[moved.isoformat()]])]
    return []


def _buyer_day(
    snapshot: Mapping[str, Any], story: Story, template: Template, day: Day
) -> list[BuyerEdit]:
    edits: list[BuyerEdit] = []
    n = day.number
    if n == 1 and story.roles:
        edits += _roles(snapshot, story)
        edits += _owners(snapshot, template)
        edits.append(_fact("goal", GOAL))
    if n == story.adds_procurement:
        edits += _procurement(snapshot, template, day)
    for when, moved in story.go_live_moves:
        if n == when:
            edits += _move_go_live(snapshot, template, moved)
    if story.alternatives and n == story.alternatives[0]:
        edits.append(_fact("alternatives", story.alternatives[1]))
    if n == story.budget_approved:
        edits.append(_fact("budget_status", "Budget approved"))
    if n == story.buyer_agrees:
        edits += _sign_off("buyer", day.today)
    mine = _open(snapshot, template, BUYER_SIDES)
    hold = None
    if story.blocked and mine:
        blocked = [s for s in mine if s.get("status") == "Blocked"]
        if n == story.blocked[0] and not blocked:
            edits.append(BuyerEdit(f"Plan!G{mine[0]['row']}", [["Blocked"]]))
            hold = str(mine[0].get("id"))
        elif blocked and n < story.blocked[1]:
            hold = str(blocked[0].get("id"))
        elif blocked:
            edits.append(BuyerEdit(f"Plan!G{blocked[0]['row']}", [["In progress"]]))
            hold = str(blocked[0].get("id"))  # back in progress today, done from tomorrow
    return edits + _work(mine, template, day, story.lead, hold)


def day_edits(snapshot: Mapping[str, Any], story: Story, template: Template, day: Day) -> DayEdits:
    """What the deal's buyer and seller type into the plan on `day` (day 0: the plan is new)."""
    edits = DayEdits()
    if day.number <= 0:
        return edits
    if story.quiet_from is None or day.number < story.quiet_from:
        edits.buyer = _buyer_day(snapshot, story, template, day)
    if day.number == story.seller_agrees:
        edits.seller += _sign_off("seller", day.today)
    edits.seller += _work(_open(snapshot, template, ("Seller",)), template, day, 0, None)
    return edits
