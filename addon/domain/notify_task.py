"""The message that asks for one part of a notification pass (the notify queue's task body).

A pass over the whole pipeline is split by who the messages are about, so a queue can run the
parts apart and retry one without the others: a deal's reminders, buyer digests and escalation
drafts; a seller's weekly digest over their deals; a team's digest to its managers. `day` is the
day the pass was planned for, so a task delivered late still sends that day's messages (and
their keys, which make a second delivery send nothing).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

DEAL, SELLER, TEAM = "deal", "seller", "team"
SCOPES = (DEAL, SELLER, TEAM)


@dataclass(frozen=True)
class NotifyTask:
    """One part of a pass: `scope` names what `subject` is (a deal id, a seller, a team)."""

    scope: str
    subject: str
    day: date

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "day": self.day.isoformat()}

    @classmethod
    def from_json(cls, body: object) -> NotifyTask:
        """The task from a queue message; ValueError names what is wrong."""
        if not isinstance(body, dict):
            raise ValueError("a notify task needs a JSON object with scope, subject and day")
        scope, subject, day = body.get("scope"), body.get("subject"), body.get("day")
        if scope not in SCOPES:
            raise ValueError(f"notify task scope must be one of {', '.join(SCOPES)}")
        if not isinstance(subject, str) or not subject.strip():
            raise ValueError("notify task subject must be a non-empty string")
        try:
            when = date.fromisoformat(day) if isinstance(day, str) else None
        except ValueError:
            when = None
        if when is None:
            raise ValueError("notify task day must be a date as YYYY-MM-DD")
        return cls(scope=scope, subject=subject, day=when)

    @property
    def name(self) -> str:
        """A stable name: the same part of the same day's pass enqueued twice is one task."""
        return f"notify-{self.scope}-{self.subject}-{self.day.isoformat()}"
