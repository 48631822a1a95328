"""The store: an engine on SQLite or PostgreSQL, migrated on open, and its transactions."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url

from addon.store.access import PlanAccess
from addon.store.clock import Clock, utc_now
from addon.store.cursors import Cursors, OwnWrites
from addon.store.deals import Deals, RequestKeys
from addon.store.errors import StoreError
from addon.store.events import Events, Snapshots
from addon.store.locks import PlanLocks
from addon.store.migrations import current_version, migrate
from addon.store.notifications import Notifications, NotifySettings, OptOuts
from addon.store.outcomes import DealOutcomes, ForecastHistory

READ_ONLY = "map_read_only"  # execution option of a read-only transaction
DEFAULT_BUSY_TIMEOUT = 30.0  # seconds a SQLite writer waits for another before giving up


class Transaction:
    """One database transaction and the repositories that work inside it."""

    def __init__(self, connection: Connection, clock: Clock) -> None:
        self.connection = connection
        self.deals = Deals(connection, clock)
        self.request_keys = RequestKeys(connection, clock)
        self.snapshots = Snapshots(connection)
        self.events = Events(connection)
        self.cursors = Cursors(connection, clock)
        self.own_writes = OwnWrites(connection, clock)
        self.access = PlanAccess(connection)
        self.outcomes = DealOutcomes(connection)
        self.forecasts = ForecastHistory(connection, clock)
        self.notifications = Notifications(connection, clock)
        self.opt_outs = OptOuts(connection, clock)
        self.notify_settings = NotifySettings(connection, clock)


class Store:
    """The backend's state; open with `Store.open(url)`, work in `with store.transaction()`."""

    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock
        self._local = threading.local()
        self._read_only_engine = engine.execution_options(**{READ_ONLY: True})
        self.locks = PlanLocks(engine)

    @classmethod
    def open(
        cls, url: str, *, clock: Clock = utc_now, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    ) -> Store:
        """Connect to `url` (sqlite:///PATH or postgresql+psycopg://...) and migrate the schema."""
        engine = create_store_engine(url, busy_timeout=busy_timeout)
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, clock)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, for migrations and tests."""
        return self._engine

    @property
    def dialect(self) -> str:
        """The kind of database: "sqlite" or "postgresql"."""
        return self._engine.dialect.name

    def schema_version(self) -> int:
        """The highest migration applied to the database."""
        with self._engine.connect() as connection:
            return current_version(connection)

    @contextmanager
    def transaction(self, *, read_only: bool = False) -> Iterator[Transaction]:
        """One transaction: committed if the block ends normally, rolled back if it raises.

        Transactions do not nest: pass `tx` to the code that needs it. (A second one on the same
        thread would wait for the first on SQLite until the busy timeout.) A `read_only` one
        takes no write lock on SQLite and is READ ONLY on PostgreSQL: it must not write.
        """
        if getattr(self._local, "open", False):
            raise StoreError("a transaction is already open on this thread; pass it along")
        self._local.open = True
        engine = self._read_only_engine if read_only else self._engine
        try:
            with engine.begin() as connection:
                if read_only and self.dialect == "postgresql":
                    connection.exec_driver_sql("SET TRANSACTION READ ONLY")
                yield Transaction(connection, self._clock)
        finally:
            self._local.open = False

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def create_store_engine(url: str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> Engine:
    """An engine for a SQLite file or a PostgreSQL database (through psycopg 3)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        return _sqlite_engine(parsed, busy_timeout)
    if parsed.drivername == "postgresql+psycopg":
        return _postgresql_engine(parsed)
    raise ValueError(
        f"unsupported database URL {parsed.render_as_string(hide_password=True)!r}: "
        "use sqlite:///PATH or postgresql+psycopg://..."
    )


def _sqlite_engine(url: URL, busy_timeout: float) -> Engine:
    """SQLite in WAL mode with foreign keys on; every transaction begins IMMEDIATE."""
    database = url.database or ""
    if database in ("", ":memory:") or url.query.get("mode") == "memory":
        raise ValueError("the store needs a SQLite file: an in-memory database is one per thread")
    if not url.query.get("uri"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    connect_args: dict[str, Any] = {} if "timeout" in url.query else {"timeout": busy_timeout}
    engine = sa.create_engine(url, connect_args=connect_args)

    def configure(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        """WAL (readers do not block the writer), foreign keys, and our own BEGIN."""
        # sqlite3's legacy mode would BEGIN lazily, only before DML: a transaction that reads
        # first could then fail to upgrade to a write. SQLAlchemy emits BEGIN instead (below).
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=ON")
        _switch_to_wal(dbapi_connection, busy_timeout)

    sa.event.listen(engine, "connect", configure)
    sa.event.listen(engine, "begin", _begin_immediate)
    return engine


def _switch_to_wal(dbapi_connection: sqlite3.Connection, busy_timeout: float) -> None:
    """Put the database in WAL mode (a no-op once it is), waiting out other connections."""
    # Switching a new database's journal mode needs an exclusive lock, and SQLite reports
    # "database is locked" at once, without its busy handler, when two connections switch it
    # together; so retry until the busy timeout has passed.
    deadline = time.monotonic() + busy_timeout
    while True:
        try:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _begin_immediate(connection: Connection) -> None:
    """Take the write lock up front: writers queue on the busy timeout instead of failing.

    A read-only transaction begins DEFERRED: in WAL mode it reads a snapshot beside the writer
    and never waits for the write lock.
    """
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _postgresql_engine(url: URL) -> Engine:
    """PostgreSQL through psycopg 3; dead pooled connections are replaced before use."""
    connect_args: dict[str, Any] = {} if "connect_timeout" in url.query else {"connect_timeout": 10}
    return sa.create_engine(url, pool_pre_ping=True, connect_args=connect_args)
