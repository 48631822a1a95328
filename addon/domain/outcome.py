"""How a deal ends, or pauses: won, lost or on hold, the moves between them, and their events.

A deal without an outcome is open. The seller sets the outcome (the card or `map-addon deal`);
nothing in the plan sheet sets it, so a buyer cannot close or reopen a deal by typing.

- open -> won, lost, or on hold (with a date to revisit)
- on hold -> won, lost, open again (reopen), or on hold to a new date
- won or lost -> open again (reopen); a closed deal is reopened before it is closed otherwise

A lost deal is archived: the watch stops reading its plan and it leaves the live pipeline. A won
deal carries on as onboarding (the steps after signature). An on-hold deal stays in the live
pipeline but raises no date risk until its revisit date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from addon.domain.attribution import Actor
from addon.domain.event_model import EventKind, PlanEvent, event_id
from addon.domain.model import Side


class Outcome(StrEnum):
    """Where a deal stands, as the seller says."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"
    ON_HOLD = "on_hold"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Outcome.OPEN: "Open",
    Outcome.WON: "Won",
    Outcome.LOST: "Lost",
    Outcome.ON_HOLD: "On hold",
}

# Why deals are lost: a short list the review counts, each with free text beside it.
LOSS_REASONS: tuple[str, ...] = (
    "Price",
    "Competitor",
    "No decision",
    "Timing",
    "Budget",
    "Product fit",
    "Other",
)

MAX_TEXT = 500  # characters of free text (reason detail, competitor)


class InvalidOutcome(ValueError):
    """A move the rules above refuse, or bad input; the message is one line for a person."""


@dataclass(frozen=True)
class DealOutcome:
    """The deal's current outcome, when it was set and by whom."""

    outcome: Outcome
    on: date
    by: str
    reason: str | None = None  # lost: one of LOSS_REASONS
    detail: str = ""  # lost: the seller's words
    competitor: str | None = None  # lost: to whom, if anyone
    revisit_on: date | None = None  # on hold: when to look again
    success_owner: str | None = None  # won: who runs onboarding on the seller's side

    @property
    def archived(self) -> bool:
        """Lost: the watch leaves the plan alone and the live pipeline leaves it out."""
        return self.outcome is Outcome.LOST

    @property
    def closed(self) -> bool:
        return self.outcome in (Outcome.WON, Outcome.LOST)

    def on_hold(self, today: date) -> bool:
        """Paused and not yet due for a look: no date risks until the revisit date."""
        return (
            self.outcome is Outcome.ON_HOLD
            and self.revisit_on is not None
            and today < self.revisit_on
        )

    def describe(self) -> str:
        """One line for the plan's Deal tab, the card and the review."""
        if self.outcome is Outcome.WON:
            owner = f", customer success: {self.success_owner}" if self.success_owner else ""
            return f"Won on {self.on.isoformat()}{owner}"
        if self.outcome is Outcome.LOST:
            parts = [f"Lost on {self.on.isoformat()}"]
            if self.reason:
                parts.append(f"reason: {self.reason}")
            if self.competitor:
                parts.append(f"to {self.competitor}")
            return ", ".join(parts)
        if self.outcome is Outcome.ON_HOLD and self.revisit_on is not None:
            return f"On hold since {self.on.isoformat()}, revisit on {self.revisit_on.isoformat()}"
        return "Open"


def _email(value: str | None) -> str | None:
    """A customer-success owner's address, lower-case; InvalidOutcome if it is not one."""
    text = (value or "").strip().lower()
    if not text:
        return None
    local, at, domain = text.partition("@")
    if not (at and local and "." in domain and len(text) <= 254) or any(c.isspace() for c in text):
        raise InvalidOutcome(f"the customer-success owner must be an email address, not {text!r}")
    return text


def _text(value: str | None, what: str) -> str:
    text = " ".join((value or "").split())
    if len(text) > MAX_TEXT:
        raise InvalidOutcome(f"{what} is longer than {MAX_TEXT} characters")
    return text


def loss_reason(text: str | None, competitor: str | None) -> tuple[str, str]:
    """(reason from LOSS_REASONS, free text): a known reason is matched in any case.

    Free text that names no reason counts as "Other" (or "Competitor" when one is named).
    """
    words = _text(text, "The reason")
    for reason in LOSS_REASONS:
        if words.lower() == reason.lower():
            return reason, ""
        prefix = reason.lower() + ":"
        if words.lower().startswith(prefix):
            return reason, words[len(prefix) :].strip()
    if not words:
        return ("Competitor" if competitor else "Other"), ""
    return ("Competitor" if competitor else "Other"), words


def close(
    current: DealOutcome | None,
    *,
    won: bool,
    on: date,
    by: str,
    reason: str | None = None,
    competitor: str | None = None,
    success_owner: str | None = None,
) -> DealOutcome:
    """The deal closed as won or lost; InvalidOutcome if it is closed already.

    A won deal may name its customer-success owner (an email address), who takes onboarding on.
    """
    if current is not None and current.closed:
        raise InvalidOutcome(
            f"the deal is already {current.outcome.label.lower()} "
            f"(since {current.on.isoformat()}); reopen it first"
        )
    if won:
        if reason or competitor:
            raise InvalidOutcome("a reason and a competitor are for lost deals only")
        return DealOutcome(Outcome.WON, on, by, success_owner=_email(success_owner))
    if success_owner:
        raise InvalidOutcome("a customer-success owner is for won deals only")
    rival = _text(competitor, "The competitor") or None
    category, detail = loss_reason(reason, rival)
    return DealOutcome(Outcome.LOST, on, by, reason=category, detail=detail, competitor=rival)


def hold(current: DealOutcome | None, *, until: date, on: date, by: str) -> DealOutcome:
    """The deal paused until `until` (after today); InvalidOutcome for a closed deal."""
    if current is not None and current.closed:
        raise InvalidOutcome(
            f"the deal is {current.outcome.label.lower()}; reopen it before putting it on hold"
        )
    if until <= on:
        raise InvalidOutcome(f"the revisit date must be after today ({on.isoformat()})")
    if current is not None and current.outcome is Outcome.ON_HOLD:
        return replace(current, revisit_on=until, by=by)
    return DealOutcome(Outcome.ON_HOLD, on, by, revisit_on=until)


def reopen(current: DealOutcome | None) -> None:
    """Back to open; InvalidOutcome if the deal is open already."""
    if current is None or current.outcome is Outcome.OPEN:
        raise InvalidOutcome("the deal is open already")


def outcome_event(
    deal_id: str,
    *,
    base_seq: int,
    before: DealOutcome | None,
    after: DealOutcome | None,
    at: datetime,
    by: str,
) -> PlanEvent:
    """The event recording the seller's move (`after` None: reopened)."""

    def state(o: DealOutcome | None) -> dict[str, Any] | None:
        if o is None:
            return None
        out: dict[str, Any] = {"outcome": o.outcome.value, "on": o.on.isoformat()}
        if o.reason:
            out["reason"] = o.reason
        if o.detail:
            out["detail"] = o.detail
        if o.competitor:
            out["competitor"] = o.competitor
        if o.revisit_on:
            out["revisit_on"] = o.revisit_on.isoformat()
        if o.success_owner:
            out["success_owner"] = o.success_owner
        return out

    when = at.astimezone(UTC)
    kind = EventKind.DEAL_REOPENED if after is None else EventKind.OUTCOME_SET
    b, a = state(before), state(after)
    return PlanEvent(
        event_id=event_id(deal_id, base_seq, kind, None, b, {**(a or {}), "at": when.isoformat()}),
        deal_id=deal_id,
        kind=kind,
        occurred_at=when,
        subject=None,
        subject_label="Deal outcome",
        before=b,
        after=a,
        actor=Actor(by.lower(), Side.SELLER),
        details={"describe": after.describe() if after else "Reopened"},
    )
