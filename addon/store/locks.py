"""Per-plan locks shared by every process on one database, released when the holder dies.

Two watch processes (or two queue workers) may see the same change; only the one holding the
plan's lock refreshes it, and it re-checks under the lock whether the change is already done.
A holder killed mid-refresh leaves no stale lock behind:
- PostgreSQL: a session-level advisory lock on a connection of its own; the server drops it
  when that connection ends.
- SQLite (processes on one machine): an exclusive flock on a file beside the database; the
  kernel drops it when the holding process exits.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for a name (PostgreSQL advisory locks take a bigint)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PlanLocks:
    """Non-blocking exclusive locks by name: `with locks.hold(deal_id) as held: ...`."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        database = engine.url.database or ""
        self._folder = Path(f"{database}.locks") if engine.dialect.name == "sqlite" else None

    @contextmanager
    def hold(self, name: str) -> Iterator[bool]:
        """Try to take the lock; yields whether it is held, and releases it on leaving."""
        if self._folder is None:
            with self._advisory(name) as held:
                yield held
        else:
            with self._flock(name) as held:
                yield held

    @contextmanager
    def _advisory(self, name: str) -> Iterator[bool]:
        key = lock_key(name)
        with self._engine.connect() as connection:
            held = bool(connection.scalar(sa.select(sa.func.pg_try_advisory_lock(key))))
            connection.commit()
            try:
                yield held
            finally:
                if held:
                    # A pooled connection must not keep the lock; if unlocking fails, the
                    # connection is discarded, which ends the session and its locks.
                    try:
                        connection.scalar(sa.select(sa.func.pg_advisory_unlock(key)))
                        connection.commit()
                    except sa.exc.DBAPIError:
                        connection.invalidate()
                        raise

    @contextmanager
    def _flock(self, name: str) -> Iterator[bool]:
        assert self._folder is not None
        self._folder.mkdir(parents=True, exist_ok=True)
        path = self._folder / f"{hashlib.sha256(name.encode('utf-8')).hexdigest()[:32]}.lock"
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            os.close(descriptor)
