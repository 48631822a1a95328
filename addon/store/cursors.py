"""Named cursors (the Drive page token) and the file versions our own writes produced."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from addon.store.clock import Clock
from addon.store.dialect import insert_or_replace, insert_unless_present
from addon.store.schema import cursors, own_writes


class Cursors:
    """Where each job got to; advanced in the transaction that commits what it covers."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def get(self, name: str) -> str | None:
        """The cursor's value, or None if it was never set."""
        value = self._connection.scalar(sa.select(cursors.c.value).where(cursors.c.name == name))
        return None if value is None else str(value)

    def set(self, name: str, value: str) -> None:
        """Set the cursor, creating it if needed."""
        statement = insert_or_replace(self._connection, cursors, ["value", "updated_at"])
        self._connection.execute(statement.values(name=name, value=value, updated_at=self._clock()))


class OwnWrites:
    """Spreadsheet versions that the product's own writes produced, for the watch to skip."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self._connection = connection
        self._clock = clock

    def record(self, spreadsheet_id: str, file_version: str) -> None:
        """Remember that this version of the spreadsheet is our own doing (idempotent)."""
        self._connection.execute(
            insert_unless_present(self._connection, own_writes).values(
                spreadsheet_id=spreadsheet_id, file_version=file_version, recorded_at=self._clock()
            )
        )

    def contains(self, spreadsheet_id: str, file_version: str) -> bool:
        """Whether this version of the spreadsheet came from our own write."""
        found = self._connection.scalar(
            sa.select(sa.literal(1)).where(
                own_writes.c.spreadsheet_id == spreadsheet_id,
                own_writes.c.file_version == file_version,
            )
        )
        return found is not None
