"""What changed in a plan's Deal facts and stakeholders: two snapshots in, changes out (pure).

Deal facts come in the layout's order (`layout_deal.DEAL_FACTS`); a moved go-live or signature
date is that milestone's slip, and a ticked or unticked "plan agreed" is one change with its
date folded in. People are matched by email (any case), else by name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from addon.domain.event_changes import Change, cell_text, json_value, keyed, slip_days
from addon.domain.event_model import EventKind
from addon.domain.layout_deal import DEAL_FACTS
from addon.domain.model import Milestone, Side

# --- deal facts --------------------------------------------------------------------------------

_SLIPS = {
    "go_live": (EventKind.GO_LIVE_SLIPPED, Milestone.GO_LIVE),
    "signature_target": (EventKind.SIGNATURE_SLIPPED, Milestone.SIGNATURE),
}
_AGREEMENTS = {"plan_agreed_buyer": Side.BUYER, "plan_agreed_seller": Side.SELLER}
_LABELS = {fact.key: fact.label for fact in DEAL_FACTS}


def fact_changes(
    previous: Mapping[str, Any], current: Mapping[str, Any], holidays: frozenset[date]
) -> Iterator[Change]:
    """Deal fact changes in DEAL_FACTS order, then facts this layout does not know, by key."""
    known = [fact.key for fact in DEAL_FACTS]
    extra = sorted((set(previous) | set(current)) - set(known))
    folded = {key + "_on" for key in _AGREEMENTS if _agreed(previous, key) != _agreed(current, key)}
    for key in known + extra:
        label = _LABELS.get(key, key)
        if key in _AGREEMENTS:
            yield from _agreement_change(previous, current, key, label)
            continue
        was, now = json_value(previous.get(key)), json_value(current.get(key))
        if was == now or key in folded:
            continue
        if key in _SLIPS:
            kind, milestone = _SLIPS[key]
            details = {
                "slip_business_days": slip_days(was, now, holidays),
                "milestone": milestone.value,
                "source": "deal",
            }
            yield Change(kind, key, label, was, now, details)
        else:
            yield Change(EventKind.DEAL_FACT_CHANGED, key, label, was, now)


def _agreement_change(
    previous: Mapping[str, Any], current: Mapping[str, Any], key: str, label: str
) -> Iterator[Change]:
    """A side ticking or unticking "plan agreed", with its "agreed on" date folded in."""
    was, now = _agreed(previous, key), _agreed(current, key)
    if was == now:
        return
    details: dict[str, Any] = {
        "side": _AGREEMENTS[key],
        "agreed_on": cell_text(current.get(key + "_on")),
    }
    earlier = cell_text(previous.get(key + "_on"))
    if earlier != details["agreed_on"]:
        details["agreed_on_before"] = earlier
    kind = EventKind.PLAN_AGREED if now else EventKind.PLAN_WITHDRAWN
    yield Change(kind, key, label, was, now, details)


def _agreed(deal: Mapping[str, Any], key: str) -> bool:
    """Whether a "plan agreed" checkbox is ticked; anything but True (None, "yes") is not."""
    return deal.get(key) is True


# --- stakeholders ------------------------------------------------------------------------------


def stakeholder_changes(previous: Any, current: Any) -> Iterator[Change]:
    """Added and re-roled people in current order, then removed people in previous order."""
    before = keyed(previous, _person_key)
    after = keyed(current, _person_key)
    for key, person in after.items():
        old = before.get(key)
        if old is None:
            summary = _person_summary(person)
            yield Change(
                EventKind.STAKEHOLDER_ADDED,
                _person_subject(person),
                _person_label(person),
                after=summary,
            )
        elif cell_text(old.get("role")) != cell_text(person.get("role")):
            yield Change(
                EventKind.STAKEHOLDER_ROLE_CHANGED,
                _person_subject(person),
                _person_label(person),
                cell_text(old.get("role")),
                cell_text(person.get("role")),
                {"email": _email(person)},
            )
    for key, person in before.items():
        if key not in after:
            yield Change(
                EventKind.STAKEHOLDER_REMOVED,
                _person_subject(person),
                _person_label(person),
                before=_person_summary(person),
            )


def _person_key(person: Mapping[str, Any]) -> str | None:
    """A person's email (any case), else their name (None for an empty row)."""
    email = _email(person)
    if email:
        return "email:" + email
    name = cell_text(person.get("name"))
    return "name:" + name.casefold() if name else None


def _email(person: Mapping[str, Any]) -> str | None:
    email = cell_text(person.get("email"))
    return email.lower() if email else None


def _person_subject(person: Mapping[str, Any]) -> str | None:
    return _email(person) or cell_text(person.get("name"))


def _person_label(person: Mapping[str, Any]) -> str:
    return cell_text(person.get("name")) or _email(person) or "(unnamed person)"


def _person_summary(person: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": cell_text(person.get("name")),
        "email": _email(person),
        "side": cell_text(person.get("side")),
        "role": cell_text(person.get("role")),
    }
