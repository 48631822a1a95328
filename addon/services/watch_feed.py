"""What the watch knows of Drive's change feed: one file's latest change, what a tick found,
and whether a change needs the plan read again.

A change is carried through the refresh queue as a `RefreshTask` (`task_of`, `change_of`); a
snapshot remembers the read that took it (`read_marker`), so that the next read asks Drive only
for the revisions made since (`unseen_since`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..domain.events import PlanEvent, event_json
from ..domain.outcome import Outcome
from ..domain.parse import DataIssue
from ..domain.refresh_task import RefreshTask
from ..store import DealRecord, Transaction
from .revisions import parse_rfc3339


@dataclass(frozen=True)
class FileChange:
    """The latest state Drive reports for one changed file."""

    file_id: str
    removed: bool
    version: str | None
    modified_time: str | None
    created_time: str | None
    modifier: str | None
    trashed: bool = False  # in the trash: still listed, but a plan no one works on
    time: str | None = None  # when Drive saw the change

    @classmethod
    def from_api(cls, change: dict[str, Any]) -> FileChange:
        file = change.get("file") or {}
        return cls(
            file_id=change["fileId"],
            removed=bool(change.get("removed")),
            version=file.get("version"),
            modified_time=file.get("modifiedTime"),
            created_time=file.get("createdTime"),
            modifier=(file.get("lastModifyingUser") or {}).get("emailAddress"),
            trashed=bool(file.get("trashed")),
            time=change.get("time"),
        )


@dataclass
class TickResult:
    """What one tick found: the plans it read, their new events and data issues."""

    changed_plans: list[str] = field(default_factory=list)
    events: list[PlanEvent] = field(default_factory=list)
    data_issues: list[tuple[str, DataIssue]] = field(default_factory=list)
    skipped: int = 0
    failed: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)  # locked by another process just now
    queued: list[str] = field(default_factory=list)  # handed to a durable queue
    cursor_advanced: bool = False

    @property
    def complete(self) -> bool:
        """Whether every change it covered is committed (or durably queued): the cursor may move."""
        return not self.failed and not self.deferred

    def as_json(self, requests: dict[str, int]) -> dict[str, Any]:
        return {
            "changed_plans": self.changed_plans,
            "events": [event_json(e) for e in self.events],
            "data_issues": [
                {
                    "deal_id": deal,
                    "tab": i.tab,
                    "cell": i.cell,
                    "kind": i.kind,
                    "message": i.message,
                }
                for deal, i in self.data_issues
            ],
            "failed": self.failed,
            "deferred": self.deferred,
            "queued": self.queued,
            "requests": {"sheets": requests.get("sheets", 0), "drive": requests.get("drive", 0)},
        }


def parse_change_time(text: str | None) -> datetime:
    """A time the change feed gave (RFC 3339); now, when it gave none."""
    if not text:
        return datetime.now(UTC)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def next_version(version: str) -> str:
    """The file version our own write will make of this one."""
    return str(int(version) + 1) if version.isdigit() else version


def read_marker(change: FileChange | None, previous: Mapping[str, Any] | None) -> dict[str, Any]:
    """What a snapshot remembers of the read that took it: the file's modified time as the
    change feed gave it before the read (every edit up to then is in what was read)."""
    if change is not None and change.modified_time:
        return {"modified_time": change.modified_time}
    earlier = (previous or {}).get("read")
    return dict(earlier) if isinstance(earlier, Mapping) else {}


def unseen_since(previous: Mapping[str, Any], change: FileChange | None) -> datetime | None:
    """After when revisions may hold edits the last read did not see: that read's marker; for a
    snapshot without one, the file's creation (or everything, when that is not known)."""
    marker = previous.get("read")
    if isinstance(marker, Mapping):
        found = parse_rfc3339(marker.get("modified_time"))
        if found is not None:
            return found
    return parse_rfc3339(change.created_time) if change is not None else None


def is_archived(tx: Transaction, deal: DealRecord) -> bool:
    """Whether the seller closed the deal as lost: the watch leaves its plan alone."""
    outcome = tx.outcomes.get(deal.deal_id)
    return outcome is not None and outcome.outcome == Outcome.LOST.value


def already_read(tx: Transaction, deal: DealRecord, change: FileChange) -> bool:
    """Whether a change needs no read: a version already read, our own write, or the sheet
    untouched since it was created. Never while events still wait to be shown: the plan must
    be read and written again."""
    if tx.events.unshown(deal.deal_id):
        return False
    snapshot = tx.snapshots.latest(deal.deal_id)
    if change.version is not None:
        if tx.own_writes.contains(change.file_id, change.version):
            return True
        if snapshot is not None and snapshot.file_version == change.version:
            return True
    return (
        snapshot is not None
        and snapshot.seq == 1
        and change.created_time is not None
        and change.created_time == change.modified_time
    )


def task_of(deal: DealRecord, change: FileChange | None) -> RefreshTask:
    """The refresh task for a deal's change (a catch-up read when there is none)."""
    if change is None:
        return RefreshTask(deal.deal_id)
    return RefreshTask(
        deal.deal_id, change.version, change.modified_time, change.created_time, change.modifier
    )


def change_of(task: RefreshTask, spreadsheet_id: str) -> FileChange | None:
    """The change a refresh task carries; None for a catch-up read."""
    if task.version is None and task.modified_time is None:
        return None  # a catch-up read
    return FileChange(
        spreadsheet_id, False, task.version, task.modified_time, task.created_time, task.modifier
    )


def snapshot_content(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot without row positions and read marker: moving rows, or reading again, is not
    a change worth a new snapshot."""
    steps = [{k: v for k, v in s.items() if k != "row"} for s in snapshot.get("steps", [])]
    return {**{k: v for k, v in snapshot.items() if k != "read"}, "steps": steps}
