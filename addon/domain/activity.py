"""How an event reads: a sentence, a row of the plan's Activity tab, a JSON object (pure).

Names and values in these texts come from the buyer's sheet, so they are squeezed onto one line
and cut short where a person reads them; the Before and After cells keep more of the text, up to
a bound well under the 50,000 characters a Sheets cell holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC
from typing import Any

from addon.domain.event_model import EventKind, PlanEvent
from addon.domain.model import Side

EMPTY = "(empty)"
SENTENCE_VALUE_LIMIT = 80  # characters of a value quoted inside a sentence
CELL_LIMIT = 2000  # characters of a Before / After cell

# How the fields of an added or removed step or person read in a Before / After cell, in this
# order; None means the value stands alone (a name needs no "Name:" before it).
_FIELD_LABELS: dict[str, str | None] = {
    "name": None,
    "email": None,
    "id": "ID",
    "phase": "Phase",
    "owner_side": "Owner side",
    "owner": "Owner",
    "due": "Due",
    "status": "Status",
    "side": "Side",
    "role": "Role",
}


def describe(event: PlanEvent) -> str:
    """One plain sentence saying what happened, for the Activity tab's What column."""
    return _one_line(_SENTENCES[event.kind](event))


def activity_row(event: PlanEvent) -> list[str]:
    """The event as the eight text cells of an Activity row, in ACTIVITY_HEADERS order."""
    return [
        event.occurred_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        who(event),
        event.actor.side.capitalize(),
        describe(event),
        _cut(_one_line(event.subject_label), CELL_LIMIT),
        _cell(event.before),
        _cell(event.after),
        event.event_id,
    ]


def who(event: PlanEvent) -> str:
    """The Activity tab's Who cell: the person, "one of" the people it may have been, and the
    side the Stakeholders tab claims for them when the facts say otherwise."""
    text = _one_line(event.actor.label)
    if event.actor.claimed_side:
        text += f" (listed as {event.actor.claimed_side.capitalize()} on the Stakeholders tab)"
    return _cut(text, CELL_LIMIT)


def event_json(event: PlanEvent) -> dict[str, Any]:
    """The event as the JSON object `map-addon watch --json` prints."""
    return {
        "event_id": event.event_id,
        "kind": event.kind.value,
        "deal_id": event.deal_id,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(),
        "subject": event.subject,
        "subject_label": event.subject_label,
        "before": event.before,
        "after": event.after,
        "actor": _actor_json(event),
        "details": dict(event.details),
    }


def _actor_json(event: PlanEvent) -> dict[str, Any]:
    """Email and side; who it may have been and the side claimed for them, when there are."""
    actor: dict[str, Any] = {"email": event.actor.email, "side": event.actor.side}
    if event.actor.candidates:
        actor["candidates"] = list(event.actor.candidates)
    if event.actor.claimed_side:
        actor["claimed_side"] = event.actor.claimed_side
    return actor


# --- sentences ---------------------------------------------------------------------------------


def _status_changed(event: PlanEvent) -> str:
    return f"Changed {_name(event)} status from {_said(event.before)} to {_said(event.after)}"


def _done(event: PlanEvent) -> str:
    done_on = event.details.get("done_on")
    sentence = f"Marked {_name(event)} done" + (f" on {done_on}" if done_on else "")
    late = event.details.get("late_business_days")
    if isinstance(late, int) and late > 0:
        sentence += f" ({_business_days(late)} after it was due)"
    return sentence


def _reopened(event: PlanEvent) -> str:
    return f"Reopened {_name(event)} (now {_said(event.after)})"


def _due_moved(event: PlanEvent) -> str:
    return _moved(_name(event), event, what_date="due date")


def _go_live_slipped(event: PlanEvent) -> str:
    return _moved("go-live", event)


def _signature_slipped(event: PlanEvent) -> str:
    return _moved("the signature target", event)


def _moved(thing: str, event: PlanEvent, *, what_date: str = "") -> str:
    """ "Moved X from A to B (N business days later)", or the date being set or cleared."""
    date_of = f"{thing} {what_date}".strip()
    if event.before is None:
        return f"Set {date_of} to {_said(event.after)}"
    if event.after is None:
        return f"Cleared {date_of} (was {_said(event.before)})"
    sentence = f"Moved {thing} from {_said(event.before)} to {_said(event.after)}"
    slip = event.details.get("slip_business_days")
    if isinstance(slip, int):
        if slip == 0:
            sentence += " (no change in business days)"
        else:
            sentence += f" ({_business_days(abs(slip))} {'later' if slip > 0 else 'earlier'})"
    return sentence


def _owner_changed(event: PlanEvent) -> str:
    return f"Changed {_name(event)} owner from {_said(event.before)} to {_said(event.after)}"


def _owner_side_changed(event: PlanEvent) -> str:
    return f"Changed {_name(event)} owner side from {_said(event.before)} to {_said(event.after)}"


def _step_added(event: PlanEvent) -> str:
    return f"Added step {_name(event)}"


def _step_removed(event: PlanEvent) -> str:
    return f"Removed step {_name(event)}"


def _step_renamed(event: PlanEvent) -> str:
    return f"Renamed step {_said(event.before)} to {_said(event.after)}"


def _person(event: PlanEvent) -> str:
    """A person as a sentence names them: their email when known, else their name."""
    person = event.after if isinstance(event.after, Mapping) else event.before
    email = person.get("email") if isinstance(person, Mapping) else None
    email = email or event.details.get("email")
    return str(email) if email else _name(event)


def _stakeholder_added(event: PlanEvent) -> str:
    role = event.after.get("role") if isinstance(event.after, Mapping) else None
    sentence = f"Added stakeholder {_person(event)}" + (f" as {_said(role)}" if role else "")
    return sentence + _claim(event)


def _claim(event: PlanEvent) -> str:
    """What a Stakeholders row claims about a person's side when the facts say otherwise."""
    listed, known = event.details.get("listed_side"), event.details.get("known_side")
    if not listed or not known:
        return ""
    by = f" by the {event.actor.side}" if event.actor.side is not Side.UNKNOWN else ""
    counted = "on an unknown side" if known == Side.UNKNOWN else f"on the {known} side"
    return (
        f", listed as {_said(listed)}{by}: a claim, not one of the {str(listed).lower()}'s "
        f"people (counted {counted})"
    )


def _stakeholder_removed(event: PlanEvent) -> str:
    return f"Removed stakeholder {_person(event)}"


def _role_changed(event: PlanEvent) -> str:
    return (
        f"Changed the role of {_person(event)} from {_said(event.before)} to {_said(event.after)}"
    ) + _claim(event)


def _fact_changed(event: PlanEvent) -> str:
    return f"Changed {_name(event)} from {_said(event.before)} to {_said(event.after)}"


def _agreed(event: PlanEvent) -> str:
    on = event.details.get("agreed_on")
    return f"{_side(event)} agreed the plan" + (f" on {on}" if on else "")


def _withdrawn(event: PlanEvent) -> str:
    return f"{_side(event)} withdrew their agreement to the plan"


def _refused(event: PlanEvent) -> str:
    side = str(event.details.get("side") or "other")
    change = f"{_said(event.before)} to {_said(event.after)}"
    return (
        f"Not counted: {_name(event)} changed from {change} by someone not on the {side} side; "
        f"only the {side}'s people can sign for the {side}, so the cell was put back"
    )


def _stale(event: PlanEvent) -> str:
    sides = [str(s) for s in event.details.get("sides") or []]
    whose = "The plan agreement" if len(sides) != 1 else f"The {sides[0]}'s agreement to the plan"
    changes = [str(c) for c in event.details.get("changes") or []]
    shown = "; ".join(_cut(_one_line(c), SENTENCE_VALUE_LIMIT * 2) for c in changes[:3])
    more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
    since = event.details.get("since")
    return (
        f"{whose} is stale"
        + (f" since {since}" if since else "")
        + (f": {shown}{more}" if shown else "")
        + ". Not agreed until both sides tick Plan agreed again"
    )


def _side(event: PlanEvent) -> str:
    return str(event.details.get("side") or "unknown side").capitalize()


def _access_lost(event: PlanEvent) -> str:
    since = event.details.get("since")
    what = event.details.get("what") or "the add-on lost access to the plan"
    return "The add-on lost access to the plan" + (f" on {since}" if since else "") + f": {what}"


def _access_restored(event: PlanEvent) -> str:
    days = event.details.get("days")
    since = event.details.get("since")
    gap = f" (out of sight since {since}" + (f", {days} days)" if days else ")") if since else ""
    return f"The add-on can read the plan again{gap}; changes made meanwhile are read now"


def _mass_change(event: PlanEvent) -> str:
    added, removed = event.details.get("added") or 0, event.details.get("removed") or 0
    tab = event.details.get("tab") or "a"
    parts = [f"added {added} rows"] if added else []
    parts += [f"removed {removed} rows"] if removed else []
    sample = event.details.get("sample")
    names = [
        _cut(_one_line(str(name)), 40)
        for key in ("added", "removed")
        for name in ((sample or {}).get(key) or [] if isinstance(sample, Mapping) else [])
    ]
    example = f" (e.g. {', '.join(names[:3])})" if names else ""
    return f"Changed many rows at once on the {tab} tab: {' and '.join(parts)}{example}"


def _outcome_set(event: PlanEvent) -> str:
    return f"The seller marked the deal: {event.details.get('describe') or 'outcome set'}"


def _reopened_deal(event: PlanEvent) -> str:
    was = (event.before or {}).get("outcome") if isinstance(event.before, Mapping) else None
    label = {"won": "won", "lost": "lost", "on_hold": "on hold"}.get(str(was), "closed")
    return f"The seller reopened the deal (it was {label})"


def _commented(event: PlanEvent) -> str:
    return f"{_author(event)} commented{_on(event)}: {_quote(event.after)}"


def _replied(event: PlanEvent) -> str:
    action = event.details.get("action")
    done = {"resolve": "resolved", "reopen": "reopened"}.get(str(action))
    if done is None:
        return f"{_author(event)} replied to a comment{_on(event)}: {_quote(event.after)}"
    said = f": {_quote(event.after)}" if event.after else ""
    return f"{_author(event)} {done} a comment{_on(event)}{said}"


def _author(event: PlanEvent) -> str:
    """A comment's author as Drive names them (a display name, never an address)."""
    return _cut(_one_line(str(event.details.get("author_name") or "Someone")), 60)


def _on(event: PlanEvent) -> str:
    return f" on {_name(event)}" if event.subject_label else ""


def _quote(text: Any) -> str:
    """A comment's text inside a sentence: quoted, on one line, cut short."""
    return '"' + _cut(_one_line(str(text or "")), SENTENCE_VALUE_LIMIT) + '"'


_SENTENCES: dict[EventKind, Callable[[PlanEvent], str]] = {
    EventKind.STEP_STATUS_CHANGED: _status_changed,
    EventKind.STEP_DONE: _done,
    EventKind.STEP_REOPENED: _reopened,
    EventKind.DUE_DATE_MOVED: _due_moved,
    EventKind.GO_LIVE_SLIPPED: _go_live_slipped,
    EventKind.SIGNATURE_SLIPPED: _signature_slipped,
    EventKind.OWNER_CHANGED: _owner_changed,
    EventKind.OWNER_SIDE_CHANGED: _owner_side_changed,
    EventKind.STEP_ADDED: _step_added,
    EventKind.STEP_REMOVED: _step_removed,
    EventKind.STEP_RENAMED: _step_renamed,
    EventKind.STAKEHOLDER_ADDED: _stakeholder_added,
    EventKind.STAKEHOLDER_REMOVED: _stakeholder_removed,
    EventKind.STAKEHOLDER_ROLE_CHANGED: _role_changed,
    EventKind.DEAL_FACT_CHANGED: _fact_changed,
    EventKind.PLAN_AGREED: _agreed,
    EventKind.PLAN_WITHDRAWN: _withdrawn,
    EventKind.ACCESS_LOST: _access_lost,
    EventKind.ACCESS_RESTORED: _access_restored,
    EventKind.MASS_CHANGE: _mass_change,
    EventKind.AGREEMENT_REFUSED: _refused,
    EventKind.AGREEMENT_STALE: _stale,
    EventKind.OUTCOME_SET: _outcome_set,
    EventKind.DEAL_REOPENED: _reopened_deal,
    EventKind.COMMENT_ADDED: _commented,
    EventKind.COMMENT_REPLIED: _replied,
}


# --- values ------------------------------------------------------------------------------------


def _name(event: PlanEvent) -> str:
    """The event's step, fact or person as a sentence names it: cut short if long."""
    return _cut(_one_line(event.subject_label), SENTENCE_VALUE_LIMIT)


def _business_days(count: int) -> str:
    return f"{count} business day" + ("" if count == 1 else "s")


def _said(value: Any) -> str:
    """A value inside a sentence: "(empty)" for nothing, yes/no, text cut short."""
    text = _cell(value) or EMPTY
    return _cut(_one_line(text), SENTENCE_VALUE_LIMIT)


def _cell(value: Any) -> str:
    """A Before / After value as cell text: dates stay ISO, booleans yes/no, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return _cut(_summary(value), CELL_LIMIT)
    return _cut(str(value), CELL_LIMIT)


def _summary(fields: Mapping[str, Any]) -> str:
    """An added or removed step or person on one line: "Legal review; Owner side: Buyer; ..."."""
    # Known fields in a fixed order: a JSON store may hand the keys back sorted (jsonb does).
    order = [key for key in _FIELD_LABELS if key in fields] + sorted(
        key for key in fields if key not in _FIELD_LABELS
    )
    parts = []
    for key in order:
        value = fields[key]
        if value is None or value == "":
            continue
        label = _FIELD_LABELS.get(key, key.replace("_", " ").capitalize())
        parts.append(f"{label}: {_cell(value)}" if label else _cell(value))
    return "; ".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
