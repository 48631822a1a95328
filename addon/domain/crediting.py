"""Who made each change found between two reads of a plan, from Drive's revisions (pure).

Between two reads, Drive lists the plan's revisions: each names the one person whose edits it
holds (Google merges a person's consecutive edits into one revision; see docs/LOCAL_GOOGLE.md).
The service account's own revisions are the product's writes and name no one. A revision
Drive names no one for (an anonymous editor) is someone else: never folded into another person.

- One person edited since the last read: every change is theirs.
- Several did: when every revision's content could be had (the watch parses each revision's
  export as it parses the sheet), each change is credited to the people whose revisions made
  that same change, one after the other from the last read; a change one revision alone made is
  that revision's author's. When content is missing, or no revision explains a change, the
  change is "one of" everyone who edited: never a guess.

A Stakeholders row is a claim: it never sets a side, but where it names a side the facts do not
give, the actor and stakeholder events say so (`claimed_side`, `listed_side`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .attribution import Actor, Parties
from .event_model import EventKind, PlanEvent
from .model import PARTIES, Side

_K = EventKind
_STATUS = (_K.STEP_STATUS_CHANGED, _K.STEP_DONE, _K.STEP_REOPENED)
_STEP_FIELD = {
    _K.DUE_DATE_MOVED: "due",
    _K.OWNER_CHANGED: "owner",
    _K.OWNER_SIDE_CHANGED: "owner_side",
    _K.STEP_RENAMED: "name",
    _K.STEP_ADDED: "row",
    _K.STEP_REMOVED: "row",
}
_FACTS = (
    _K.SIGNATURE_SLIPPED,
    _K.DEAL_FACT_CHANGED,
    _K.PLAN_AGREED,
    _K.PLAN_WITHDRAWN,
    _K.AGREEMENT_REFUSED,
)
_PEOPLE = {
    _K.STAKEHOLDER_ADDED: "row",
    _K.STAKEHOLDER_REMOVED: "row",
    _K.STAKEHOLDER_ROLE_CHANGED: "role",
}


@dataclass(frozen=True)
class Revision:
    """One revision made since the last read: who made it and, when it could be had, the plan
    as parsed from its content."""

    author: str | None
    content: Mapping[str, Any] | None = None


# events.diff with the deal's context bound: (before, after) -> the events between them
Differ = Callable[[Mapping[str, Any], Mapping[str, Any]], list[PlanEvent]]


UNNAMED = "someone Drive does not name"  # a revision without a lastModifyingUser email


def editors(revisions: Iterable[Revision], parties: Parties) -> list[str]:
    """The people (not the service account) who made these revisions, in order, each once; a
    revision that names no one (an anonymous editor) counts as someone else (`UNNAMED`)."""
    found: dict[str, str] = {}
    for revision in revisions:
        author = (revision.author or "").strip() or UNNAMED
        if not parties.is_service(author):
            found.setdefault(author.lower(), author)
    return list(found.values())


def _actor(people: Sequence[str], parties: Parties, claims: dict[str, Side]) -> Actor:
    """The actor for a change one of `people` made; no one named when Drive named no one."""
    if list(people) == [UNNAMED]:
        return Actor(None, Side.UNKNOWN)
    return parties.one_of(people, claims)


def credit(
    events: Sequence[PlanEvent],
    *,
    previous: Mapping[str, Any],
    revisions: Sequence[Revision],
    parties: Parties,
    claims: Mapping[str, Side],
    differ: Differ,
) -> list[PlanEvent]:
    """The events with their actors, from the revisions made since `previous` was read."""
    people = editors(revisions, parties)
    claim_map = dict(claims)
    if len(people) <= 1:
        actor = _actor(people, parties, claim_map)
        return [replace(e, actor=actor) for e in events]
    everyone = _actor(people, parties, claim_map)
    if any(r.content is None for r in revisions):
        return [replace(e, actor=everyone) for e in events]
    made: list[tuple[str | None, set[tuple[Any, ...]]]] = []
    before: Mapping[str, Any] = previous
    for revision in revisions:
        assert revision.content is not None
        made.append((revision.author, {change_key(e) for e in differ(before, revision.content)}))
        before = revision.content
    credited = []
    for event in events:
        key = change_key(event)
        authors = [
            author or UNNAMED
            for author, keys in made
            if key in keys and not parties.is_service(author or UNNAMED)
        ]
        actor = _actor(list(dict.fromkeys(authors)), parties, claim_map) if authors else everyone
        credited.append(replace(event, actor=actor))
    return credited


def change_key(event: PlanEvent) -> tuple[Any, ...]:
    """What an event changed, so that the same change found in two diffs matches: a step's
    field, a Deal fact, a person's row or role."""
    kind = event.kind
    if kind in _STATUS:
        return ("step", event.subject, "status")
    if kind is _K.GO_LIVE_SLIPPED:
        if event.details.get("source") == "step":
            return ("step", event.subject, "due")
        return ("fact", event.subject)
    if kind is _K.DUE_DATE_MOVED and event.details.get("source") == "deal":
        return ("fact", event.details.get("fact"))  # a milestone row moved by its Deal copy
    if kind in _STEP_FIELD:
        return ("step", event.subject or event.subject_label, _STEP_FIELD[kind])
    if kind in _FACTS:
        return ("fact", event.subject)
    if kind in _PEOPLE:
        return ("person", (event.subject or "").lower(), _PEOPLE[kind])
    return (kind.value, event.subject)


def stakeholder_claims(snapshot: Mapping[str, Any]) -> dict[str, Side]:
    """The side each person's Stakeholders row claims (buyer or seller), by lower-case email."""
    claims: dict[str, Side] = {}
    people = snapshot.get("stakeholders")
    for person in people if isinstance(people, list) else ():
        if not isinstance(person, Mapping):
            continue
        email, side = person.get("email"), str(person.get("side") or "").strip().lower()
        if isinstance(email, str) and email.strip() and side in PARTIES:
            claims.setdefault(email.strip().lower(), Side(side))
    return claims


def with_listed_sides(events: Sequence[PlanEvent], parties: Parties) -> list[PlanEvent]:
    """Stakeholder events that say so when a row lists a person on a side the facts do not give
    them (a buyer's colleague listed as Seller stays on the buyer side)."""
    out = []
    for event in events:
        person = event.after if isinstance(event.after, Mapping) else None
        if event.kind is _K.STAKEHOLDER_ADDED and person is not None:
            listed = str(person.get("side") or "").strip()
            email = person.get("email")
            known = parties.side_of(email) if isinstance(email, str) else Side.UNKNOWN
            if listed.lower() in PARTIES and listed.lower() != known:
                details = {**event.details, "listed_side": listed, "known_side": known}
                event = replace(event, details=details)
        out.append(event)
    return out
