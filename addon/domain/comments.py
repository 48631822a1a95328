"""Comments on a plan read as events: who wrote them, on which side, on which step (pure).

Drive's `comments.list` gives each comment with its replies
(https://developers.google.com/drive/api/reference/rest/v3/comments/list). What it says, and what
this module makes of it:

- **Author**: a display name (and `me`), never an email ("The author's email address and
  permission ID will not be populated"). The author is matched by that name: first to the deal's
  people (the names the seller gave them, the account names Google gives the people the plan is
  shared with, which the caller may add, and their emails' local part, which is how a Google
  account without a name shows), then to the names on the Stakeholders tab. Only a name that
  leads to exactly one email is taken; the side is then that email's side from the facts
  (`attribution.Parties`), never the side a row claims, and a Stakeholders-tab match whose row
  claims another side than the facts is not taken. Otherwise the comment is recorded with its
  display name on an "unknown" side. A display name is weaker evidence than an email: a person
  can name their Google account anything, so a name says who wrote a comment, not what they may
  do; nothing a comment says or who it names decides anything in the product.
- **Step**: a Sheets comment's `anchor` is opaque (Google documents anchors for text documents
  only: https://developers.google.com/drive/api/guides/manage-comments), so it is not read. A
  comment's `quotedFileContent.value` that is exactly one step's name (spaces and case aside)
  anchors the comment to that step; anything else anchors it to none.
- **Text**: what a person typed, kept as plain text on one line and cut to
  `COMMENT_TEXT_LIMIT` characters; written RAW and escaped wherever shown, never live HTML
  (Drive's `htmlContent` is not read).

Each comment and each reply is one event with an id made from its Drive id, so reading a
comment again records nothing new; the `CommentCursor` keeps the latest `modifiedTime` read, for
the next `comments.list` to ask only for comments changed since (`startModifiedTime`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .attribution import Actor, Parties
from .event_model import EventKind, PlanEvent, event_id
from .model import Side

COMMENT_TEXT_LIMIT = 1000  # characters of a comment kept in its event
NAME_LIMIT = 100  # characters of an author's display name kept
MATCHED_BY_PEOPLE = "deal people"  # how the author was found: the deal's people (facts)
MATCHED_BY_STAKEHOLDERS = "stakeholders tab"  # ... or a name on the Stakeholders tab (a claim)


@dataclass(frozen=True)
class CommentCursor:
    """The latest comment `modifiedTime` read, and the comments and replies created at exactly
    that time (already recorded: `startModifiedTime` is inclusive)."""

    since: str | None = None
    ids: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_text(cls, text: str | None) -> CommentCursor:
        """The cursor as stored; the start (every comment is new) if there is none or it is bad."""
        try:
            data = json.loads(text or "{}")
            since = data.get("since")
            ids = frozenset(str(i) for i in data.get("ids") or [])
        except (ValueError, AttributeError, TypeError):
            return cls()
        return cls(since if isinstance(since, str) and _time(since) else None, ids)

    def as_text(self) -> str:
        return json.dumps({"since": self.since, "ids": sorted(self.ids)}, separators=(",", ":"))

    def is_new(self, item_id: str, created: datetime) -> bool:
        """Whether a comment or reply created then was not read before."""
        since = _time(self.since)
        if since is None or created > since:
            return True
        return created == since and item_id not in self.ids


@dataclass(frozen=True)
class CommentRead:
    """What one `comments.list` read yields: the new events, and the cursor after them."""

    events: list[PlanEvent]
    cursor: CommentCursor


@dataclass(frozen=True)
class Author:
    """Who wrote a comment or reply as the events carry it."""

    actor: Actor
    name: str
    matched_by: str | None


Names = tuple[dict[str, set[str]], dict[str, set[tuple[str, str]]]]


def people_by_name(people: Iterable[tuple[str, str]], stakeholders: Any) -> Names:
    """Name -> emails, from the deal's (name, email) people (facts: their names and their
    emails' local parts); name -> (email, side listed) from the Stakeholders tab (a claim)."""
    facts: dict[str, set[str]] = {}
    for name, email in people:
        if not email:
            continue
        for key in (_key(name), _key(email.partition("@")[0])):
            if key:
                facts.setdefault(key, set()).add(email.strip().lower())
    claims: dict[str, set[tuple[str, str]]] = {}
    for row in stakeholders if isinstance(stakeholders, list) else []:
        if isinstance(row, Mapping) and isinstance(row.get("email"), str) and row.get("name"):
            claim = (row["email"].strip().lower(), str(row.get("side") or "").strip().lower())
            claims.setdefault(_key(str(row["name"])), set()).add(claim)
    return facts, claims


def author_of(user: Any, parties: Parties, names: Names) -> Author:
    """The author of a comment or reply from Drive's User resource (see the module's note)."""
    user = user if isinstance(user, Mapping) else {}
    name = _one_line(str(user.get("displayName") or ""))[:NAME_LIMIT] or "someone"
    facts, claims = names
    found = facts.get(_key(name), set())
    if len(found) == 1:
        (email,) = found
        return Author(parties.actor(email), name, MATCHED_BY_PEOPLE)
    if not found:
        claimed = claims.get(_key(name), set())
        if len(claimed) == 1:
            ((email, listed),) = claimed
            side = parties.side_of(email)
            if side != Side.UNKNOWN and (not listed or listed == side):
                return Author(Actor(email, side), name, MATCHED_BY_STAKEHOLDERS)
    return Author(Actor(None, Side.UNKNOWN), name, None)


@dataclass(frozen=True)
class _Context:
    deal_id: str
    parties: Parties
    names: Names
    steps: Mapping[str, tuple[str, str]]  # step name key -> (step id or name, step name)


def comment_events(
    comments: Iterable[Any],
    *,
    deal_id: str,
    cursor: CommentCursor,
    parties: Parties,
    people: Iterable[tuple[str, str]],
    snapshot: Mapping[str, Any],
) -> CommentRead:
    """The events of the comments and replies not read before, oldest first, and the cursor
    after them. `comments` are Drive's Comment resources, as hostile as any buyer input."""
    names = people_by_name(people, snapshot.get("stakeholders"))
    context = _Context(deal_id, parties, names, _step_names(snapshot))
    events: list[PlanEvent] = []
    latest = _time(cursor.since)
    for comment in comments:
        if not isinstance(comment, Mapping) or not comment.get("id"):
            continue
        events += _thread_events(comment, cursor, context)
        for when in _times_of(comment):
            if latest is None or when > latest:
                latest = when
    # A comment listed twice (a page boundary moving while paging) is one event.
    unique = list({e.event_id: e for e in reversed(events)}.values())
    unique.sort(key=lambda e: (e.occurred_at, e.event_id))
    return CommentRead(unique, _cursor_after(cursor, latest, comments))


def _thread_events(
    comment: Mapping[str, Any], cursor: CommentCursor, context: _Context
) -> list[PlanEvent]:
    """The new events of one comment and its replies."""
    comment_id = str(comment["id"])
    step = _anchored_step(comment, context.steps)
    resolved = comment.get("resolved") is True
    events = []
    created = _time(comment.get("createdTime"))
    if created is not None and not comment.get("deleted") and cursor.is_new(comment_id, created):
        extra: dict[str, Any] = {"resolved": resolved}
        quoted = _quoted(comment)
        if quoted:
            extra["quoted"] = quoted
        events.append(_event(EventKind.COMMENT_ADDED, comment, created, step, context, extra))
    for reply in _replies(comment):
        if not isinstance(reply, Mapping) or not reply.get("id") or reply.get("deleted"):
            continue
        made = _time(reply.get("createdTime"))
        if made is None or not cursor.is_new(str(reply["id"]), made):
            continue
        action = reply.get("action") if reply.get("action") in ("resolve", "reopen") else None
        reply_extra: dict[str, Any] = {"reply_id": str(reply["id"]), "action": action}
        events.append(_event(EventKind.COMMENT_REPLIED, reply, made, step, context, reply_extra))
    for event in events:
        event.details["comment_id"] = comment_id
    return events


def _event(
    kind: EventKind,
    item: Mapping[str, Any],
    when: datetime,
    step: tuple[str, str] | None,
    context: _Context,
    extra: dict[str, Any],
) -> PlanEvent:
    author = author_of(item.get("author"), context.parties, context.names)
    text = comment_text(item.get("content"))
    item_id = str(extra.get("reply_id") or item["id"])
    return PlanEvent(
        event_id=event_id(context.deal_id, 0, kind, item_id, None, "comment"),
        deal_id=context.deal_id,
        kind=kind,
        occurred_at=when,
        subject=step[0] if step else None,
        subject_label=step[1] if step else "",
        before=None,
        after=text or None,
        actor=author.actor,
        details={
            "author_name": author.name,
            "matched_by": author.matched_by,
            "question": "?" in text,
            **extra,
        },
    )


def comment_text(content: Any) -> str:
    """A comment's text on one line, cut to COMMENT_TEXT_LIMIT characters."""
    text = _one_line(content if isinstance(content, str) else "")
    return text if len(text) <= COMMENT_TEXT_LIMIT else text[: COMMENT_TEXT_LIMIT - 1] + "…"


def first_words(text: str, count: int = 12) -> str:
    """The first `count` words of a text, with "…" when there were more."""
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def _quoted(comment: Mapping[str, Any]) -> str:
    quoted = comment.get("quotedFileContent")
    value = quoted.get("value") if isinstance(quoted, Mapping) else None
    return comment_text(value) if isinstance(value, str) else ""


def _anchored_step(
    comment: Mapping[str, Any], steps: Mapping[str, tuple[str, str]]
) -> tuple[str, str] | None:
    """The step whose name the comment quotes, if it quotes exactly one step's name."""
    return steps.get(_key(_quoted(comment))) if _quoted(comment) else None


def _step_names(snapshot: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Step name key -> (step id, or the name for a row without one; the name); a name two
    steps share anchors nothing."""
    found: dict[str, tuple[str, str]] = {}
    repeated: set[str] = set()
    rows = snapshot.get("steps")
    for step in rows if isinstance(rows, list) else []:
        if not isinstance(step, Mapping) or not isinstance(step.get("name"), str):
            continue
        name = _one_line(step["name"])
        key = _key(name)
        if not key:
            continue
        if key in found:
            repeated.add(key)
        found[key] = (str(step.get("id") or name), name)
    return {k: v for k, v in found.items() if k not in repeated}


def _times_of(comment: Mapping[str, Any]) -> list[datetime]:
    """The comment's modifiedTime and the creation times of it and its replies (a comment
    Drive gave no modifiedTime still moves the cursor past what was read)."""
    items = [comment, *_replies(comment)]
    times = [_time(comment.get("modifiedTime"))]
    times += [_time(i.get("createdTime")) for i in items if isinstance(i, Mapping)]
    return [t for t in times if t is not None]


def _cursor_after(
    cursor: CommentCursor, latest: datetime | None, comments: Iterable[Any]
) -> CommentCursor:
    """The cursor after a read: its latest modifiedTime, and what was created right then."""
    if latest is None:
        return cursor
    at_latest = {
        str(item["id"])
        for comment in comments
        if isinstance(comment, Mapping)
        for item in [comment, *_replies(comment)]
        if isinstance(item, Mapping) and item.get("id") and _time(item.get("createdTime")) == latest
    }
    if _time(cursor.since) == latest:
        at_latest |= cursor.ids
    return CommentCursor(_rfc3339(latest), frozenset(at_latest))


def _replies(comment: Mapping[str, Any]) -> list[Any]:
    replies = comment.get("replies")
    return replies if isinstance(replies, list) else []


def _time(text: Any) -> datetime | None:
    """An RFC 3339 time Drive gave, in UTC; None for anything else."""
    if not isinstance(text, str) or not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else None


def _rfc3339(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _one_line(text: str) -> str:
    return " ".join(text.split())
