"""The message that asks for one plan to be read again (the refresh queue's task body)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class RefreshTask:
    """Read one plan again: its deal and the file state Drive reported (None: catch up)."""

    deal_id: str
    version: str | None = None
    modified_time: str | None = None
    created_time: str | None = None
    modifier: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, body: object) -> RefreshTask:
        """The task from a queue message; ValueError names what is wrong."""
        if not isinstance(body, dict) or not isinstance(body.get("deal_id"), str):
            raise ValueError("a refresh task needs a JSON object with a deal_id string")
        fields = {}
        for name in ("version", "modified_time", "created_time", "modifier"):
            value = body.get(name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"refresh task field {name!r} must be a string or null")
            fields[name] = value
        return cls(deal_id=body["deal_id"], **fields)

    @property
    def name(self) -> str:
        """A stable name for the task: the same change enqueued twice is one task."""
        return f"{self.deal_id}-v{self.version or 'catchup'}"
