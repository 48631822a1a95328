"""The few statements whose SQL differs between SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

# pg_advisory_xact_lock key held while migrating: the bytes "map-mig" as a number.
MIGRATION_LOCK_KEY = int.from_bytes(b"map-mig", "big")


def _insert(connection: Connection, table: sa.Table) -> sqlite.Insert | postgresql.Insert:
    """An INSERT with ON CONFLICT support, in the connection's dialect."""
    name = connection.dialect.name
    if name == "sqlite":
        return sqlite.insert(table)
    if name == "postgresql":
        return postgresql.insert(table)
    raise NotImplementedError(f"the store does not support {name}")


def insert_unless_present(connection: Connection, table: sa.Table) -> sa.Insert:
    """INSERT ... ON CONFLICT (primary key) DO NOTHING: an existing row wins, silently.

    Concurrent inserts of one key end with one row and no error: PostgreSQL makes the later
    insert wait for the earlier transaction and then skip; SQLite serialises writers.
    """
    return _insert(connection, table).on_conflict_do_nothing(
        index_elements=list(table.primary_key.columns)
    )


def insert_or_replace(connection: Connection, table: sa.Table, columns: Sequence[str]) -> sa.Insert:
    """INSERT ... ON CONFLICT (primary key) DO UPDATE SET these columns to the new values."""
    statement = _insert(connection, table)
    return statement.on_conflict_do_update(
        index_elements=list(table.primary_key.columns),
        set_={name: statement.excluded[name] for name in columns},
    )


def lock_for_migration(connection: Connection) -> None:
    """Hold the schema lock until this transaction ends, so one process migrates at a time.

    On SQLite the transaction already began with BEGIN IMMEDIATE, which excludes other writers.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK_KEY)))
