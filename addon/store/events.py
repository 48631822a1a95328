"""Snapshots of each plan and the events found between them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from addon.domain.model import Side
from addon.store.dialect import insert_unless_present
from addon.store.errors import DealNotFound
from addon.store.records import EventRecord, SnapshotRecord
from addon.store.schema import deals, events, snapshots


class Snapshots:
    """Each deal's plan as parsed at each read, numbered 1, 2, 3, ..."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def insert(
        self,
        deal_id: str,
        payload: Mapping[str, Any],
        *,
        taken_at: datetime,
        file_version: str | None = None,
    ) -> SnapshotRecord:
        """Store the deal's next snapshot and return it with its number."""
        # Lock the deal row (PostgreSQL; SQLite already holds the write lock) so two watchers
        # of one deal number their snapshots one after the other instead of colliding.
        locked = self._connection.execute(
            sa.select(deals.c.deal_id).where(deals.c.deal_id == deal_id).with_for_update()
        ).first()
        if locked is None:
            raise DealNotFound(deal_id)
        last = self._connection.scalar(
            sa.select(sa.func.max(snapshots.c.seq)).where(snapshots.c.deal_id == deal_id)
        )
        snapshot = SnapshotRecord(
            deal_id=deal_id,
            seq=(last or 0) + 1,
            taken_at=taken_at,
            payload=dict(payload),
            file_version=file_version,
        )
        self._connection.execute(
            sa.insert(snapshots).values(
                deal_id=snapshot.deal_id,
                seq=snapshot.seq,
                taken_at=snapshot.taken_at,
                file_version=snapshot.file_version,
                payload=snapshot.payload,
            )
        )
        return snapshot

    def latest_of(self, deal_ids: Iterable[str]) -> dict[str, SnapshotRecord]:
        """The latest snapshot of each of these deals (those that have one), in one query."""
        ids = list(deal_ids)
        if not ids:
            return {}
        newest = (
            sa.select(snapshots.c.deal_id, sa.func.max(snapshots.c.seq).label("seq"))
            .where(snapshots.c.deal_id.in_(ids))
            .group_by(snapshots.c.deal_id)
            .subquery()
        )
        rows = self._connection.execute(
            sa.select(snapshots).join(
                newest,
                sa.and_(snapshots.c.deal_id == newest.c.deal_id, snapshots.c.seq == newest.c.seq),
            )
        ).mappings()
        return {row["deal_id"]: _snapshot_from_row(row) for row in rows}

    def latest(self, deal_id: str) -> SnapshotRecord | None:
        """The deal's snapshot with the highest number, if it has any."""
        row = (
            self._connection.execute(
                sa.select(snapshots)
                .where(snapshots.c.deal_id == deal_id)
                .order_by(snapshots.c.seq.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        return None if row is None else _snapshot_from_row(row)


class Events:
    """The append-only event log; an event id stored once is never stored again."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def insert_many(self, new_events: Iterable[EventRecord]) -> int:
        """Store the events whose ids are not stored yet; how many that was."""
        rows = [_event_row(event) for event in new_events]
        if not rows:
            return 0
        statement = insert_unless_present(self._connection, events).returning(events.c.event_id)
        # RETURNING lists only the rows actually inserted: conflicts are skipped silently.
        return len(self._connection.execute(statement, rows).all())

    def unshown(self, deal_id: str) -> list[EventRecord]:
        """The deal's events the plan's Activity tab does not show yet, oldest first."""
        rows = self._connection.execute(
            sa.select(events)
            .where(events.c.deal_id == deal_id, events.c.shown_at.is_(None))
            .order_by(events.c.occurred_at, events.c.event_id)
        ).mappings()
        return [_event_from_row(row) for row in rows]

    def mark_shown(self, event_ids: Iterable[str], at: datetime) -> None:
        """Record that the Activity tab now shows these events."""
        ids = list(event_ids)
        if ids:
            self._connection.execute(
                sa.update(events).where(events.c.event_id.in_(ids)).values(shown_at=at)
            )

    def for_deals(self, deal_ids: Iterable[str]) -> dict[str, list[EventRecord]]:
        """Each deal's events in the order they occurred, in one query."""
        ids = list(deal_ids)
        found: dict[str, list[EventRecord]] = {deal_id: [] for deal_id in ids}
        if not ids:
            return found
        rows = self._connection.execute(
            sa.select(events)
            .where(events.c.deal_id.in_(ids))
            .order_by(events.c.occurred_at, events.c.event_id)
        ).mappings()
        for row in rows:
            found[row["deal_id"]].append(_event_from_row(row))
        return found

    def for_deal(self, deal_id: str) -> list[EventRecord]:
        """The deal's events in the order they occurred."""
        rows = self._connection.execute(
            sa.select(events)
            .where(events.c.deal_id == deal_id)
            .order_by(events.c.occurred_at, events.c.event_id)
        ).mappings()
        return [_event_from_row(row) for row in rows]


def _snapshot_from_row(row: RowMapping) -> SnapshotRecord:
    return SnapshotRecord(
        deal_id=row["deal_id"],
        seq=row["seq"],
        taken_at=row["taken_at"],
        payload=row["payload"],
        file_version=row["file_version"],
    )


def _event_row(event: EventRecord) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "deal_id": event.deal_id,
        "kind": event.kind,
        "occurred_at": event.occurred_at,
        "recorded_at": event.recorded_at,
        "actor_email": event.actor_email,
        "actor_side": Side(event.actor_side).value,
        "subject": event.subject,
        "before": event.before,
        "after": event.after,
        "payload": event.payload,
    }


def _event_from_row(row: RowMapping) -> EventRecord:
    return EventRecord(
        event_id=row["event_id"],
        deal_id=row["deal_id"],
        kind=row["kind"],
        occurred_at=row["occurred_at"],
        recorded_at=row["recorded_at"],
        actor_side=Side(row["actor_side"]),
        actor_email=row["actor_email"],
        subject=row["subject"],
        before=row["before"],
        after=row["after"],
        payload=row["payload"],
    )
