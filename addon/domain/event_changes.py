"""An event before it has an id, a time and an actor, and the cell values diffs compare (pure).

The step, Deal fact and stakeholder diffs (`step_changes`, `deal_changes`) yield `Change`s;
`events.diff` gives them ids, the time and the actor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from addon.domain.businessdays import business_days_between
from addon.domain.event_model import EventKind
from addon.domain.snapshot import snapshot_date


@dataclass(frozen=True)
class Change:
    """An event before it has an id, a time and an actor."""

    kind: EventKind
    subject: str | None
    subject_label: str
    before: Any = None
    after: Any = None
    details: dict[str, Any] = field(default_factory=dict)


def keyed(
    rows: Any, key_of: Callable[[Mapping[str, Any]], str | None]
) -> dict[str, Mapping[str, Any]]:
    """Rows by key in row order; the first row with a key wins, later repeats are ignored."""
    found: dict[str, Mapping[str, Any]] = {}
    for row in rows if isinstance(rows, list) else ():
        if isinstance(row, Mapping):
            key = key_of(row)
            if key is not None:
                found.setdefault(key, row)
    return found


def as_mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def cell_text(value: Any) -> str | None:
    """A cell's text, stripped; blank and missing are both None."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def json_value(value: Any) -> Any:
    """A Deal fact as JSON: booleans kept, everything else as stripped text or None."""
    return value if isinstance(value, bool) else cell_text(value)


def slip_days(before: Any, after: Any, holidays: frozenset[date]) -> int | None:
    """Business days from the old date to the new one, None unless both are dates."""
    old, new = snapshot_date(before), snapshot_date(after)
    if old is None or new is None:
        return None
    return business_days_between(old, new, holidays)
