"""The risk rule about comments: a buyer's question the seller side has not answered (pure).

A comment thread is the `comment_added` event of a comment and the `comment_replied` events of
its replies (`domain.comments`), in time order. The buyer's comments and replies after the last
one from the seller side wait for an answer when one of them asks something (contains "?") or
the thread is not resolved. They become a flag once they have waited
`question_unanswered_days` business days (a team threshold, 2 by default). A reply from the
seller side answers them; a reply on an unknown side (a display name matched to no one) does
not. Whether a thread is resolved is its latest resolve or reopen reply, else what Drive said of
the comment when it was first read. A comment deleted after it was read is not known to be gone
(the watch lists comments without `includeDeleted`), so its question stays open until answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from .businessdays import business_days_between
from .comments import first_words
from .event_model import EventKind
from .model import Side
from .review_input import EventFacts
from .risk_model import MEDIUM, DealView, Risk, RiskKind

_COMMENT_KINDS = (EventKind.COMMENT_ADDED.value, EventKind.COMMENT_REPLIED.value)


@dataclass(frozen=True)
class OpenQuestion:
    """A buyer's comment waiting for the seller side: since when, its text, who, on what step."""

    since: datetime
    text: str
    author: str
    step: str
    waited: int  # business days


def open_questions(
    events: Iterable[EventFacts], today: date, holidays: frozenset[date] = frozenset()
) -> list[OpenQuestion]:
    """Every thread's buyer question not answered by the seller side, oldest first."""
    threads: dict[str, list[EventFacts]] = {}
    for event in events:
        comment_id = event.details.get("comment_id") if str(event.kind) in _COMMENT_KINDS else None
        if isinstance(comment_id, str) and comment_id:
            threads.setdefault(comment_id, []).append(event)
    found = []
    for items in threads.values():
        items.sort(key=lambda e: (e.occurred_at, str(e.kind) != "comment_added"))
        waiting = _waiting(items)
        if waiting is not None:
            found.append(_open(waiting, today, holidays))
    return sorted(found, key=lambda q: q.since)


def _waiting(items: list[EventFacts]) -> EventFacts | None:
    """The buyer's comment or reply that waits for an answer in one thread, if any."""
    last_seller = max((n for n, e in enumerate(items) if e.actor_side == Side.SELLER), default=-1)
    pending = [e for e in items[last_seller + 1 :] if e.actor_side == Side.BUYER]
    if not pending:
        return None
    asked = [e for e in pending if "?" in _text(e)]
    if asked:
        return asked[0]
    return None if _resolved(items) else pending[0]


def _resolved(items: list[EventFacts]) -> bool:
    actions = [e.details.get("action") for e in items if str(e.kind) == "comment_replied"]
    actions = [a for a in actions if a in ("resolve", "reopen")]
    if actions:
        return actions[-1] == "resolve"
    first = next((e for e in items if str(e.kind) == "comment_added"), None)
    return first is not None and first.details.get("resolved") is True


def _open(event: EventFacts, today: date, holidays: frozenset[date]) -> OpenQuestion:
    waited = max(0, business_days_between(event.occurred_at.date(), today, holidays))
    author = str(event.details.get("author_name") or event.actor_email or "the buyer")
    return OpenQuestion(event.occurred_at, _text(event), author, event.subject_label, waited)


def _text(event: EventFacts) -> str:
    return " ".join(str(event.after).split()) if isinstance(event.after, str) else ""


def buyer_question_unanswered(view: DealView) -> Risk | None:
    """A buyer comment or question no one on the seller side has answered for
    question_unanswered_days business days."""
    limit = view.thresholds.question_unanswered_days
    late = [q for q in open_questions(view.events, view.today, view.holidays) if q.waited >= limit]
    if not late:
        return None
    oldest = late[0]
    where = f" on {oldest.step}" if oldest.step else ""
    more = f"; {len(late) - 1} more unanswered" if len(late) > 1 else ""
    days = f"{oldest.waited} business day" + ("" if oldest.waited == 1 else "s")
    evidence = (
        f"{oldest.author} asked{where} on {oldest.since.date().isoformat()}: "
        f'"{first_words(oldest.text) or "(no text)"}", unanswered for {days}{more}'
    )
    question = (
        f"{view.buyer} asked us something in the plan {days} ago and nobody on our side has "
        "replied. Who answers it, and by when?"
    )
    return view.risk(RiskKind.QUESTION_UNANSWERED, MEDIUM, evidence, question)
