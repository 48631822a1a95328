"""The Executive summary a champion can forward to their executives (pure).

A task list does not win a CTO over; one page that says why, by when, who, what is needed now and
what a slip has cost does. The page is built from what the plan says (the Deal tab's goal and
success criteria in the buyer's own words, the Plan's steps, the Stakeholders) and from the
schedule model (domain/plan_outlook.py, through plan_status): the same dates the Deal tab's
outlook lines and the manager's review show, so the three never disagree.

It is a list of (label, text) lines; `layout_summary` lays them out as the plan's "Executive
summary" tab, and the watch rewrites them when they change. Every text is a plain string: what a
buyer typed is quoted as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .businessdays import business_days_between
from .layout_deal import GO_LIVE_LABEL, SIGNING_LABEL, long_day
from .layout_summary import SECTION, Line
from .model import Milestone, Side, Status, Template
from .naming import deal_title
from .plan_status import milestone_moves
from .review_schedule import schedule_of
from .snapshot import snapshot_date

WINDOW = timedelta(weeks=4)  # "what is needed" looks this far ahead
MAX_NEEDED = 12  # steps listed under "needed"; the rest are counted
MAX_TEXT = 400  # characters of one line (a long goal is cut, with an ellipsis)
NOT_WRITTEN = "Not written yet: fill it in on the Deal tab."


@dataclass(frozen=True)
class SummaryFacts:
    """What the summary needs beyond the plan's own snapshot."""

    deal_name: str
    buyer_company: str
    committed: Mapping[Milestone, date | None]  # as both sides agreed at creation (the store's)
    today: date | None  # None: not yet read (a plan being created says what it starts with)


def summary_lines(
    snapshot: Mapping[str, Any],
    template: Template | None,
    facts: SummaryFacts,
    outlook: Mapping[str, str],
) -> list[Line]:
    """The summary, line by line: title, why, timeline and slips, who, what is needed."""
    steps = [s for s in snapshot.get("steps") or [] if isinstance(s, Mapping) and s.get("name")]
    people = [p for p in snapshot.get("stakeholders") or [] if isinstance(p, Mapping)]
    deal = snapshot.get("deal") if isinstance(snapshot.get("deal"), Mapping) else {}
    assert isinstance(deal, Mapping)
    lines: list[Line] = [
        ("Executive summary", _cut(deal_title(facts.deal_name, facts.buyer_company)))
    ]
    if facts.today is not None:
        lines.append(("As of", f"{long_day(facts.today)}. Kept current from the plan's tabs."))
    lines += [("", ""), ("Why", SECTION)]
    for key, label in (
        ("goal", "Goal"),
        ("success_criteria", "Success criteria"),
        ("decision_process", "Decision process"),
    ):
        text = str(deal.get(key) or "").strip()
        lines.append((label, _cut(text) if text else NOT_WRITTEN))
    lines += [("", ""), ("Timeline", SECTION)]
    lines += _timeline(snapshot, template, facts, outlook, steps)
    lines += [("", ""), ("Who is involved", SECTION)]
    lines += _people(people, facts.buyer_company)
    lines += [("", "")]
    lines += _needed(steps, people, facts)
    return lines


def _timeline(
    snapshot: Mapping[str, Any],
    template: Template | None,
    facts: SummaryFacts,
    outlook: Mapping[str, str],
    steps: Sequence[Mapping[str, Any]],
) -> list[Line]:
    lines = [
        ("Signing", _cut(outlook.get(SIGNING_LABEL, ""))),
        ("Go-live", _cut(outlook.get(GO_LIVE_LABEL, ""))),
    ]
    today = facts.today
    holidays = frozenset(template.holidays) if template else frozenset()
    schedule = schedule_of(snapshot, template, today or date.min)
    moves = milestone_moves(schedule, facts.committed, holidays)
    if today is not None:
        upcoming = [
            (close, what)
            for milestone, what in (
                (Milestone.SIGNATURE, "Signing"),
                (Milestone.GO_LIVE, "Go-live"),
            )
            if (seen := schedule.milestones.get(milestone)) and (close := seen.close) is not None
            if close >= today
        ]
        if upcoming:
            close, what = min(upcoming)
            away = business_days_between(today, close, holidays)
            lines.append(("Next milestone", f"{what} on {long_day(close)}: {_days(away)} away."))
    done = sum(1 for s in steps if s.get("status") == Status.DONE.value)
    overdue = len(_overdue(steps, today)) if today is not None else 0
    progress = f"{done} of {len(steps)} steps done"
    lines.append(("Progress", progress + (f", {overdue} overdue." if overdue else ".")))
    go_live = moves.get(Milestone.GO_LIVE)
    if go_live is None:
        committed = facts.committed.get(Milestone.GO_LIVE)
        cost = f"Nothing so far: go-live holds at {long_day(committed)}." if committed else ""
    else:
        agreed, close, moved = go_live
        cost = (
            f"Go-live has moved {_days(moved)}, from {long_day(agreed)} to {long_day(close)}: "
            "every business day a step on the path to it slips moves it again."
        )
    if cost:
        lines.append(("What slips have cost", cost))
    return lines


def _people(people: Sequence[Mapping[str, Any]], buyer_company: str) -> list[Line]:
    sides = ((Side.BUYER.label, buyer_company), (Side.SELLER.label, "Our team"))
    lines: list[Line] = []
    for side, label in sides:
        named = [_person(p) for p in people if p.get("side") == side]
        named = [n for n in named if n]
        lines.append((_cut(label, 60), _cut(", ".join(named)) if named else "No one named yet."))
    return lines


def _person(person: Mapping[str, Any]) -> str:
    name = str(person.get("name") or "").strip() or str(person.get("email") or "").strip()
    role = str(person.get("role") or "").strip()
    return f"{name} ({role})" if name and role else name


def _needed(
    steps: Sequence[Mapping[str, Any]], people: Sequence[Mapping[str, Any]], facts: SummaryFacts
) -> list[Line]:
    """Open steps due in the next four weeks (from today, or from the plan's first due date
    while the plan is being made), overdue ones first."""
    open_steps = [
        (day, step)
        for step in steps
        if step.get("status") != Status.DONE.value and (day := snapshot_date(step.get("due")))
    ]
    open_steps.sort(key=lambda pair: pair[0])
    if facts.today is not None:
        start, heading = facts.today, f"Needed by {long_day(facts.today + WINDOW)}"
    elif open_steps:
        start = open_steps[0][0]
        heading = f"Needed in the first four weeks, to {long_day(start + WINDOW)}"
    else:
        return [("Needed", "Nothing open in the plan.")]
    names = {
        str(p.get("email") or "").strip().lower(): str(p.get("name") or "").strip() for p in people
    }
    due = [(day, step) for day, step in open_steps if day <= start + WINDOW]
    lines: list[Line] = [(heading, SECTION)]
    for day, step in due[:MAX_NEEDED]:
        when = f"Overdue, was due {long_day(day)}" if day < start else long_day(day)
        lines.append((when, _cut(f"{step.get('name')}: {_owner(step, names, facts)}")))
    if len(due) > MAX_NEEDED:
        lines.append((f"and {len(due) - MAX_NEEDED} more", "on the Plan tab."))
    if not due:
        lines.append(("Nothing due", "No open step is due in these four weeks."))
    return lines


def _owner(step: Mapping[str, Any], names: Mapping[str, str], facts: SummaryFacts) -> str:
    """Who owes a step, by name where the Stakeholders tab gives one, and which side."""
    owner = str(step.get("owner") or "").strip()
    owner = names.get(owner.lower()) or owner
    side = step.get("owner_side")
    team = {
        Side.BUYER.label: facts.buyer_company,
        Side.SELLER.label: "our team",
        Side.BOTH.label: "both teams",
    }.get(str(side), "")
    if owner and team:
        return f"{owner} ({team})"
    return owner or team or "no owner yet"


def _overdue(steps: Sequence[Mapping[str, Any]], today: date | None) -> list[Mapping[str, Any]]:
    if today is None:
        return []
    return [
        s
        for s in steps
        if s.get("status") != Status.DONE.value
        and (day := snapshot_date(s.get("due"))) is not None
        and day < today
    ]


def _days(count: int) -> str:
    return f"{count} business day{'s' if count != 1 else ''}"


def _cut(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())  # one line: a pasted paragraph keeps its words, not its breaks
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
