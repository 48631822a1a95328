"""The weekly digest each person on a deal gets, and the escalation a seller may send (pure).

A buyer contact's digest says what their side owes this week (open buyer steps due within five
business days, and those overdue), what either side finished in the last seven days, and what
changed (the week's events, in the Activity tab's words). A seller's digest says the same of each
of their live deals. Keys: one digest per person, deal and ISO week.

An escalation is drafted, never sent, in the seller's mailbox when a critical step is overdue by
`escalate_after` business days or a milestone slipped in the last seven days; it is addressed to
the executive sponsors and economic buyers the seller put on the deal (their stored roles), and
states the consequence. The seller decides whether to send it. Key: one per deal, cause and date.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from .businessdays import business_days_between
from .model import Side
from .reminders import Message, Person, _one_line, _short
from .snapshot import snapshot_date

WEEK_AHEAD = 5  # business days ahead a digest looks
SPONSOR_ROLES = frozenset({"economic buyer", "executive sponsor", "seller executive sponsor"})


@dataclass(frozen=True)
class Change:
    """One recorded event of the week, as the Activity tab says it."""

    when: datetime
    what: str
    side: str  # who made it: buyer, seller or unknown
    kind: str


@dataclass(frozen=True)
class DealWeek:
    """What a deal's week looks like for a digest or an escalation."""

    deal_id: str
    name: str
    url: str | None
    owes: tuple[tuple[str, date, bool], ...]  # (step, due, overdue) open on the reader's side
    delivered: tuple[str, ...]  # steps done in the last seven days, by either side
    changes: tuple[Change, ...]


def deal_week(
    deal_id: str,
    name: str,
    url: str | None,
    snapshot: Mapping[str, Any],
    changes: Sequence[Change],
    *,
    side: str,
    today: date,
    holidays: frozenset[date] = frozenset(),
) -> DealWeek:
    """A deal's week as `side` reads it."""
    owes: list[tuple[str, date, bool]] = []
    delivered: list[str] = []
    week_ago = today - timedelta(days=7)
    for step in snapshot.get("steps") or []:
        if not isinstance(step, Mapping):
            continue
        owner = str(step.get("owner_side") or "").strip().lower()
        done = str(step.get("status") or "").strip().lower() == "done"
        due = snapshot_date(step.get("due"))
        name_of = _short(step.get("name")) or "A step"
        if done:
            finished = snapshot_date(step.get("done_on"))
            if finished is not None and week_ago < finished <= today:
                delivered.append(name_of)
            continue
        if due is None or owner not in (side, Side.BOTH):
            continue
        if due < today or business_days_between(today, due, holidays) <= WEEK_AHEAD:
            owes.append((name_of, due, due < today))
    recent = tuple(c for c in changes if week_ago < c.when.date() <= today)
    return DealWeek(
        deal_id, name, url, tuple(sorted(owes, key=lambda o: o[1])), tuple(delivered), recent
    )


def digest_key(person: Person, deal_id: str, today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"{deal_id}:digest:{year}-W{week:02d}:{person.email.lower()}"


def _sections(week: DealWeek) -> list[tuple[str, list[str]]]:
    """(heading, items) of one deal's part of a digest."""
    sections = []
    if week.owes:
        owed = [
            f"{step}, {'was due' if late else 'due'} {_day(due)}" for step, due, late in week.owes
        ]
        sections.append(("Yours to do", owed))
    if week.delivered:
        sections.append(("Done this week", list(week.delivered)))
    if week.changes:
        changed = [change.what for change in week.changes[:10]]
        if len(week.changes) > 10:
            changed.append(f"and {len(week.changes) - 10} more in the plan's Activity tab")
        sections.append(("What changed", changed))
    return sections


def render_digest(
    person: Person, weeks: Sequence[DealWeek], *, sender: str, stop_url: str
) -> Message | None:
    """The digest for one reader over their deals; None when there is nothing to say."""
    weeks = [w for w in weeks if w.owes or w.delivered or w.changes]
    if not weeks:
        return None
    e = html.escape
    hello, lead = f"Hello {person.display},", "Here is where your plans stand this week."
    text = [hello, lead]
    body = [f"<p>{e(hello)}</p><p>{e(lead)}</p>"]
    for week in weeks:
        title = _short(week.name)
        part = [title]
        body.append(f"<h3>{e(title)}</h3>")
        for heading, items in _sections(week):
            part.append(f"{heading}:")
            part += [f"- {item}" for item in items]
            listed = "".join(f"<li>{e(item)}</li>" for item in items)
            body.append(f"<p><b>{e(heading)}</b></p><ul>{listed}</ul>")
        if week.url:
            part.append(f"The plan: {week.url}")
            body.append(f'<p><a href="{e(week.url)}">Open the plan</a></p>')
        text.append("\n".join(part))
    text += [sender, f"Stop these messages: {stop_url}"]
    body.append(
        f'<p>{e(sender)}</p><p style="color:#777;font-size:small">'
        f'<a href="{e(stop_url)}">Stop these messages</a></p>'
    )
    names = ", ".join(_short(w.name) for w in weeks[:2]) + (" and more" if len(weeks) > 2 else "")
    return Message(
        subject=_one_line(f"This week: {names}"), text="\n\n".join(text), html="".join(body)
    )


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


@dataclass(frozen=True)
class Escalation:
    """A draft for the seller: why, to whom, and its once-only key."""

    key: str
    deal_id: str
    cause: str
    to: tuple[Person, ...]


def escalations(
    deal_id: str,
    snapshot: Mapping[str, Any],
    changes: Sequence[Change],
    people: Sequence[tuple[Person, str | None]],
    *,
    today: date,
    critical: frozenset[str],
    escalate_after: int = 5,
    holidays: frozenset[date] = frozenset(),
) -> list[Escalation]:
    """The escalations a deal calls for today, addressed to its sponsors (stored roles)."""
    sponsors = tuple(p for p, role in people if (role or "").strip().lower() in SPONSOR_ROLES)
    if not sponsors:
        return []
    found = []
    for step in snapshot.get("steps") or []:
        if not isinstance(step, Mapping) or str(step.get("id") or "") not in critical:
            continue
        if str(step.get("status") or "").strip().lower() == "done":
            continue
        due = snapshot_date(step.get("due"))
        if due is None or due >= today:
            continue
        late = business_days_between(due, today, holidays)
        if late >= escalate_after:
            name = _short(step.get("name")) or "A critical step"
            cause = f"{name} is {late} business days overdue (it was due {_day(due)})"
            found.append(
                Escalation(f"{deal_id}:escalation:{step.get('id')}:{due}", deal_id, cause, sponsors)
            )
    week_ago = today - timedelta(days=7)
    for change in changes:
        if (
            change.kind in ("signature_slipped", "go_live_slipped")
            and week_ago < change.when.date() <= today
        ):
            found.append(
                Escalation(
                    f"{deal_id}:escalation:{change.kind}:{change.when.date()}",
                    deal_id,
                    change.what,
                    sponsors,
                )
            )
    return found


def render_escalation(
    escalation: Escalation, *, deal_name: str, plan_url: str | None, sender: str
) -> Message:
    """A short, plain draft the seller can edit before sending."""
    names = ", ".join(p.display for p in escalation.to)
    deal = _short(deal_name)
    text = "\n\n".join(
        part
        for part in (
            f"Hello {names},",
            f"A heads-up on {deal}: {escalation.cause}.",
            "This puts the dates we agreed in the plan at risk. Could we find 15 minutes this week "
            "to agree how to get back on track?",
            f"The plan: {plan_url}" if plan_url else "",
            sender,
        )
        if part
    )
    e = html.escape
    link = f'<p><a href="{e(plan_url)}">Open the plan</a></p>' if plan_url else ""
    hello, heads_up = f"Hello {names},", f"A heads-up on {deal}: {escalation.cause}."
    body = (
        f"<p>{e(hello)}</p><p>{e(heads_up)}</p>"
        "<p>This puts the dates we agreed in the plan at risk. Could we find 15 minutes this week "
        f"to agree how to get back on track?</p>{link}<p>{e(sender)}</p>"
    )
    return Message(subject=_one_line(f"{deal}: the plan's dates are at risk"), text=text, html=body)


__all__ = [
    "Change",
    "DealWeek",
    "Escalation",
    "deal_week",
    "digest_key",
    "escalations",
    "render_digest",
    "render_escalation",
]
