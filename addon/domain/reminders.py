"""Who is owed a reminder today, and what it says (pure).

A step's owner gets one reminder a set number of business days before its due date (or on the
day) and one when it is overdue; never twice for the same step, due date and kind (the `key`),
never after the step is done, never to someone who opted out. A step the plan dated before it was
made is nobody's overdue work.

Recipients come only from the people the seller put on the deal (the store's, never the sheet's
Stakeholders tab, which the buyer edits: a hostile buyer must not make the seller's mailbox write
to strangers). A step's Owner cell names a person when it matches one of them by email or by
name; otherwise the reminder goes to that side's people.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .businessdays import business_days_between
from .model import PARTIES, Side
from .snapshot import snapshot_date

REMINDER, OVERDUE = "reminder", "overdue"
MAX_NAME = 120  # characters of a step name or person name shown in a message


@dataclass(frozen=True)
class Person:
    """Someone the seller put on the deal."""

    email: str
    name: str
    side: Side  # buyer or seller

    @property
    def display(self) -> str:
        """The name people read (the address only when no name is known)."""
        return _short(self.name) or self.email


DAYS_BEFORE = range(0, 6)  # business days before a due date the seller may choose (0: that day)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


@dataclass(frozen=True)
class ReminderSettings:
    """Per deal (and person, through opt-outs): on or off, how early to remind, and the day the
    deal's weekly digest goes to its buyers (0 = Monday)."""

    enabled: bool = True
    days_before: int = 2  # business days before the due date
    digest_weekday: int = 0

    def __post_init__(self) -> None:
        if self.days_before not in DAYS_BEFORE:
            raise ValueError(f"remind 0 to 5 business days before, not {self.days_before}")
        if self.digest_weekday not in range(len(WEEKDAYS)):
            raise ValueError("the digest goes out on a weekday, Monday to Friday")

    def describe(self) -> str:
        """The settings in a sentence, as the sidebar shows them."""
        if not self.enabled:
            return "Off: no reminders or digests go out for this deal."
        days = f"{self.days_before} business day{'s' if self.days_before != 1 else ''} before"
        when = "on the day" if self.days_before == 0 else days
        return (
            f"On: reminders {when} a step is due and when it is overdue; "
            f"the buyers' digest on {WEEKDAYS[self.digest_weekday]}s."
        )


@dataclass(frozen=True)
class Reminder:
    """One message to send: `key` makes it once-only."""

    key: str
    kind: str  # REMINDER or OVERDUE
    deal_id: str
    step_id: str
    step_name: str
    due: date
    to: Person
    days: int  # business days until due (reminder) or past due (overdue)


def _short(text: object) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= MAX_NAME else words[: MAX_NAME - 1] + "…"


def _sides(owner_side: object) -> tuple[Side, ...]:
    side = str(owner_side or "").strip().lower()
    if side in PARTIES:
        return (Side(side),)
    return PARTIES  # "Both", or unreadable: both sides own it


def owners_of(step: Mapping[str, Any], people: Sequence[Person]) -> list[Person]:
    """Who a step's reminder goes to: the person its Owner cell names, else its side's people."""
    named = str(step.get("owner") or "").strip().casefold()
    if named:
        match = [
            p for p in people if named in (p.email.casefold(), " ".join(p.name.split()).casefold())
        ]
        if match:
            return match[:1]
    sides = _sides(step.get("owner_side"))
    return [p for p in people if p.side in sides]


def due_reminders(
    deal_id: str,
    snapshot: Mapping[str, Any],
    people: Sequence[Person],
    *,
    today: date,
    created: date,
    holidays: Iterable[date] = (),
    settings: ReminderSettings = ReminderSettings(),
    opted_out: Iterable[str] = (),
) -> list[Reminder]:
    """The reminders a deal's open steps call for today (send each `key` once)."""
    if not settings.enabled:
        return []
    days_off = frozenset(holidays)
    stopped = {email.lower() for email in opted_out}
    found = []
    for step in snapshot.get("steps") or []:
        if not isinstance(step, Mapping) or str(step.get("status") or "").lower() == "done":
            continue
        due = snapshot_date(step.get("due"))
        step_id = str(step.get("id") or step.get("row") or "").strip()
        if due is None or not step_id:
            continue
        ahead = business_days_between(today, due, days_off)
        if due < today:
            if due < created:
                continue  # dated before the plan existed: nobody's overdue work
            kind, days = OVERDUE, -ahead
        elif ahead <= settings.days_before:
            kind, days = REMINDER, ahead
        else:
            continue
        for person in owners_of(step, people):
            if person.email.lower() in stopped:
                continue
            found.append(
                Reminder(
                    key=f"{deal_id}:{step_id}:{due.isoformat()}:{kind}:{person.email.lower()}",
                    kind=kind,
                    deal_id=deal_id,
                    step_id=step_id,
                    step_name=_short(step.get("name")) or "A step",
                    due=due,
                    to=person,
                    days=days,
                )
            )
    return found


@dataclass(frozen=True)
class Message:
    """A message ready to send: plain text and HTML of the same words."""

    subject: str
    text: str
    html: str


def render(
    reminder: Reminder,
    *,
    deal_name: str,
    plan_url: str | None,
    sender: str,
    stop_url: str,
) -> Message:
    """The reminder as a short message; every name escaped in the HTML part."""
    day = reminder.due
    step, due = reminder.step_name, f"{day:%A} {day.day} {day:%B %Y}"
    deal = _short(deal_name) or "your plan"
    if reminder.kind == OVERDUE:
        subject = f"Overdue: {step} ({deal})"
        lead = f"{step} was due on {due} and is not done yet."
    elif reminder.days == 0:
        subject = f"Due today: {step} ({deal})"
        lead = f"{step} is due today, {due}."
    else:
        when = "tomorrow" if reminder.days == 1 else f"in {reminder.days} business days"
        subject = f"Due {when}: {step} ({deal})"
        lead = f"{step} is due {when}, on {due}."
    ask = "If it is done, mark it Done in the plan; if the date must move, change it there."
    return _compose(subject, reminder.to, lead, [], ask, plan_url, sender, stop_url)


def _compose(
    subject: str,
    to: Person,
    lead: str,
    items: Sequence[str],
    ask: str,
    plan_url: str | None,
    sender: str,
    stop_url: str,
) -> Message:
    """A reminder's text and HTML parts from its words (every one escaped in the HTML)."""
    greeting = f"Hello {to.display},"
    listed = "\n".join(f"- {item}" for item in items)
    link = f"The plan: {plan_url}" if plan_url else ""
    stop = f"Stop these reminders: {stop_url}"
    parts = (greeting, lead, listed, ask, link, sender, stop)
    text = "\n\n".join(part for part in parts if part)
    e = html.escape
    bullets = "".join(f"<li>{e(item)}</li>" for item in items)
    anchor = f'<p><a href="{e(plan_url)}">Open the plan</a></p>' if plan_url else ""
    body = (
        f"<p>{e(greeting)}</p><p>{e(lead)}</p>{f'<ul>{bullets}</ul>' if items else ''}"
        f"<p>{e(ask)}</p>{anchor}<p>{e(sender)}</p>"
        f'<p style="color:#777;font-size:small"><a href="{e(stop_url)}">Stop these reminders</a>'
        "</p>"
    )
    return Message(subject=_one_line(subject), text=text, html=body)


def _when(reminder: Reminder) -> str:
    """When a step in a list of several was or is due, in words."""
    day = reminder.due
    due = f"{day:%A} {day.day} {day:%B}"
    if reminder.kind == OVERDUE:
        return f"overdue, was due {due}"
    if reminder.days == 0:
        return f"due today, {due}"
    return f"due tomorrow, {due}" if reminder.days == 1 else f"due {due}"


def render_reminders(
    reminders: Sequence[Reminder],
    *,
    deal_name: str,
    plan_url: str | None,
    sender: str,
    stop_url: str,
) -> Message:
    """One person's reminders of one deal on one day as one message: a single step reads as
    `render` writes it; several are listed, overdue first, then by due date."""
    if len(reminders) == 1:
        return render(
            reminders[0], deal_name=deal_name, plan_url=plan_url, sender=sender, stop_url=stop_url
        )
    if not reminders:
        raise ValueError("no reminder to render")
    ordered = sorted(reminders, key=lambda r: (r.kind != OVERDUE, r.due, r.step_name))
    late = sum(1 for r in ordered if r.kind == OVERDUE)
    deal = _short(deal_name) or "your plan"
    counts = [
        f"{late} overdue" if late else "",
        f"{len(ordered) - late} due soon" if late < len(ordered) else "",
    ]
    subject = f"{len(ordered)} steps need you: {', '.join(c for c in counts if c)} ({deal})"
    lead = f"These steps of {deal} are yours and not done yet:"
    items = [f"{r.step_name} ({_when(r)})" for r in ordered]
    ask = "When one is done, mark it Done in the plan; if a date must move, change it there."
    return _compose(subject, ordered[0].to, lead, items, ask, plan_url, sender, stop_url)


@dataclass(frozen=True)
class OutgoingMail:
    """A message as the mailer sends it."""

    sender: str
    sender_name: str
    to: str
    to_name: str
    subject: str
    text: str
    html: str
    headers: tuple[tuple[str, str], ...] = ()
    more_to: tuple[tuple[str, str], ...] = ()  # further (email, name) recipients


def _one_line(text: str) -> str:
    """A header value: no line breaks (no header injection), no control characters."""
    return "".join(c if c.isprintable() else " " for c in " ".join(text.split()))
