"""SQLite persistence for the stand-in: Drive files, permissions, changes, revisions, sheets,
push channels, Cloud Tasks and Gmail messages.

One process serves all requests; a process-wide lock serialises transactions so a request sees
and writes a consistent state, and SQLite makes every committed state survive a restart.
Work that must follow a commit (push notifications) registers as an after-commit callback or a
change listener; both run after COMMIT, outside the lock, and never fail the transaction.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger(__name__)

# Called after a commit with the sequence numbers of the changes that transaction recorded.
ChangeListener = Callable[[list[int]], None]

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY,
    meta TEXT NOT NULL            -- Drive File resource fields the stand-in keeps
);
CREATE TABLE IF NOT EXISTS permissions (
    file_id TEXT NOT NULL,
    id TEXT NOT NULL,
    meta TEXT NOT NULL,
    PRIMARY KEY (file_id, id)
);
CREATE TABLE IF NOT EXISTS spreadsheets (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL             -- the spreadsheet, see sheetmodel.py
);
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    file_id TEXT NOT NULL,
    time TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    audience TEXT NOT NULL        -- JSON list of emails who could see the file at that time
);
CREATE TABLE IF NOT EXISTS revisions (
    file_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    meta TEXT NOT NULL,
    PRIMARY KEY (file_id, seq)
);
CREATE TABLE IF NOT EXISTS revision_content (
    file_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    content TEXT NOT NULL,        -- the file's values when the revision was last written
    PRIMARY KEY (file_id, seq)
);
CREATE TABLE IF NOT EXISTS comments (
    file_id TEXT NOT NULL,
    id TEXT NOT NULL,
    meta TEXT NOT NULL,
    PRIMARY KEY (file_id, id)
);
CREATE TABLE IF NOT EXISTS channels (
    id TEXT PRIMARY KEY,
    meta TEXT NOT NULL            -- push notification channel, see drive_channels.py
);
CREATE TABLE IF NOT EXISTS tasks (
    name TEXT PRIMARY KEY,        -- projects/P/locations/L/queues/Q/tasks/T
    queue TEXT NOT NULL,          -- projects/P/locations/L/queues/Q
    due REAL NOT NULL,            -- next attempt, seconds since the epoch
    done_at REAL,                 -- delivered or deleted then; the name stays taken a while
    entry TEXT NOT NULL           -- the Task resource and delivery state, see tasks_api.py
);
CREATE INDEX IF NOT EXISTS tasks_by_due ON tasks (done_at, due);
CREATE TABLE IF NOT EXISTS mail (
    id TEXT PRIMARY KEY,          -- Gmail message id
    owner TEXT NOT NULL,          -- the mailbox (the sender's email)
    draft_id TEXT,                -- set while the message is a draft
    history INTEGER NOT NULL,     -- Gmail historyId: grows with every write to any mailbox
    entry TEXT NOT NULL           -- raw message and Gmail fields, see gmail_api.py
);
CREATE INDEX IF NOT EXISTS mail_by_owner ON mail (owner, id);
"""


class Tx:
    """One transaction's view of the store: plain get/put of JSON documents."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.new_changes: list[int] = []  # seqs of the changes this transaction recorded
        self.after_commit_callbacks: list[Callable[[], None]] = []

    # files -------------------------------------------------------------
    def file(self, file_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT meta FROM files WHERE id = ?", (file_id,)).fetchone()
        return orjson.loads(row[0]) if row else None

    def put_file(self, meta: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO files (id, meta) VALUES (?, ?) "
            "ON CONFLICT(id) DO UPDATE SET meta = excluded.meta",
            (meta["id"], _dumps(meta)),
        )

    def delete_file(self, file_id: str) -> None:
        for table in ("files", "spreadsheets"):
            self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (file_id,))
        for table in ("permissions", "revisions", "revision_content", "comments"):
            self.conn.execute(f"DELETE FROM {table} WHERE file_id = ?", (file_id,))

    def files(self) -> Iterator[dict[str, Any]]:
        for (meta,) in self.conn.execute("SELECT meta FROM files ORDER BY rowid"):
            yield orjson.loads(meta)

    # permissions -------------------------------------------------------
    def permissions(self, file_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT meta FROM permissions WHERE file_id = ? ORDER BY rowid", (file_id,)
        )
        return [orjson.loads(meta) for (meta,) in rows]

    def put_permission(self, file_id: str, perm: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO permissions (file_id, id, meta) VALUES (?, ?, ?) "
            "ON CONFLICT(file_id, id) DO UPDATE SET meta = excluded.meta",
            (file_id, perm["id"], _dumps(perm)),
        )

    def delete_permission(self, file_id: str, perm_id: str) -> None:
        self.conn.execute(
            "DELETE FROM permissions WHERE file_id = ? AND id = ?", (file_id, perm_id)
        )

    # spreadsheets -------------------------------------------------------
    def spreadsheet(self, sheet_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT doc FROM spreadsheets WHERE id = ?", (sheet_id,)).fetchone()
        return orjson.loads(row[0]) if row else None

    def put_spreadsheet(self, doc: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO spreadsheets (id, doc) VALUES (?, ?) "
            "ON CONFLICT(id) DO UPDATE SET doc = excluded.doc",
            (doc["spreadsheetId"], _dumps(doc)),
        )

    # changes -----------------------------------------------------------
    def add_change(self, file_id: str, time: str, audience: list[str], removed: bool) -> int:
        cur = self.conn.execute(
            "INSERT INTO changes (file_id, time, removed, audience) VALUES (?, ?, ?, ?)",
            (file_id, time, int(removed), _dumps(sorted(set(audience)))),
        )
        seq = int(cur.lastrowid or 0)
        self.new_changes.append(seq)  # change listeners hear of it after COMMIT
        return seq

    def last_change_seq(self) -> int:
        row = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM changes").fetchone()
        return int(row[0])

    def changes_after(self, seq: int, limit: int) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT seq, file_id, time, removed, audience FROM changes WHERE seq > ? "
            "ORDER BY seq LIMIT ?",
            (seq, limit),
        )
        return [
            {
                "seq": s,
                "file_id": f,
                "time": t,
                "removed": bool(r),
                "audience": orjson.loads(a),
            }
            for s, f, t, r, a in rows
        ]

    # revisions -----------------------------------------------------------
    def add_revision(
        self, file_id: str, meta: dict[str, Any], content: dict[str, Any] | None = None
    ) -> int:
        """Store a new revision (and the file's values then, if given); its sequence number."""
        row = self.conn.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM revisions WHERE file_id = ?", (file_id,)
        ).fetchone()
        seq = int(row[0]) + 1
        self.conn.execute(
            "INSERT INTO revisions (file_id, seq, meta) VALUES (?, ?, ?)",
            (file_id, seq, _dumps(meta)),
        )
        if content is not None:
            self.put_revision_content(file_id, seq, content)
        return seq

    def last_revision(self, file_id: str) -> tuple[int, dict[str, Any]] | None:
        row = self.conn.execute(
            "SELECT seq, meta FROM revisions WHERE file_id = ? ORDER BY seq DESC LIMIT 1",
            (file_id,),
        ).fetchone()
        return (int(row[0]), orjson.loads(row[1])) if row else None

    def update_revision(
        self, file_id: str, seq: int, meta: dict[str, Any], content: dict[str, Any] | None
    ) -> None:
        """Fold a later edit into revision `seq`: its metadata and, if given, its values."""
        self.conn.execute(
            "UPDATE revisions SET meta = ? WHERE file_id = ? AND seq = ?",
            (_dumps(meta), file_id, seq),
        )
        if content is not None:
            self.put_revision_content(file_id, seq, content)

    def put_revision_content(self, file_id: str, seq: int, content: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO revision_content (file_id, seq, content) VALUES (?, ?, ?) "
            "ON CONFLICT(file_id, seq) DO UPDATE SET content = excluded.content",
            (file_id, seq, _dumps(content)),
        )

    def revision_content(self, file_id: str, seq: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT content FROM revision_content WHERE file_id = ? AND seq = ?", (file_id, seq)
        ).fetchone()
        return orjson.loads(row[0]) if row else None

    def revisions(self, file_id: str) -> list[dict[str, Any]]:
        """The file's revisions, oldest first, each with its sequence number as "seq"."""
        rows = self.conn.execute(
            "SELECT seq, meta FROM revisions WHERE file_id = ? ORDER BY seq", (file_id,)
        )
        return [{**orjson.loads(meta), "seq": int(seq)} for (seq, meta) in rows]

    # comments -----------------------------------------------------------
    def comments(self, file_id: str) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            "SELECT meta FROM comments WHERE file_id = ? ORDER BY rowid", (file_id,)
        )
        return [orjson.loads(meta) for (meta,) in rows]

    def put_comment(self, file_id: str, comment: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO comments (file_id, id, meta) VALUES (?, ?, ?) "
            "ON CONFLICT(file_id, id) DO UPDATE SET meta = excluded.meta",
            (file_id, comment["id"], _dumps(comment)),
        )

    # channels -----------------------------------------------------------
    def channel(self, channel_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT meta FROM channels WHERE id = ?", (channel_id,)).fetchone()
        return orjson.loads(row[0]) if row else None

    def channels(self) -> list[dict[str, Any]]:
        """Every stored channel, oldest first."""
        rows = self.conn.execute("SELECT meta FROM channels ORDER BY rowid")
        return [orjson.loads(meta) for (meta,) in rows]

    def put_channel(self, meta: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO channels (id, meta) VALUES (?, ?) "
            "ON CONFLICT(id) DO UPDATE SET meta = excluded.meta",
            (meta["id"], _dumps(meta)),
        )

    def delete_channel(self, channel_id: str) -> None:
        self.conn.execute("DELETE FROM channels WHERE id = ?", (channel_id,))

    # Cloud Tasks --------------------------------------------------------
    def task(self, name: str) -> dict[str, Any] | None:
        """The task entry named `name`, live or done (`doneAt` set), or None."""
        row = self.conn.execute("SELECT entry FROM tasks WHERE name = ?", (name,)).fetchone()
        return orjson.loads(row[0]) if row else None

    def put_task(self, entry: dict[str, Any]) -> None:
        """Store an entry: {"task": Task resource, "queue", "due", "doneAt", ...}."""
        self.conn.execute(
            "INSERT INTO tasks (name, queue, due, done_at, entry) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET due = excluded.due, done_at = excluded.done_at, "
            "entry = excluded.entry",
            (
                entry["task"]["name"],
                entry["queue"],
                entry["due"],
                entry.get("doneAt"),
                _dumps(entry),
            ),
        )

    def live_tasks(self, queue: str, after: int, limit: int) -> list[tuple[int, dict[str, Any]]]:
        """(rowid, entry) of a queue's undelivered tasks after rowid `after`, oldest first."""
        rows = self.conn.execute(
            "SELECT rowid, entry FROM tasks WHERE queue = ? AND done_at IS NULL AND rowid > ? "
            "ORDER BY rowid LIMIT ?",
            (queue, after, limit),
        )
        return [(rowid, orjson.loads(entry)) for rowid, entry in rows]

    def due_tasks(self, limit: int) -> list[dict[str, Any]]:
        """Undelivered task entries of every queue, soonest due first."""
        rows = self.conn.execute(
            "SELECT entry FROM tasks WHERE done_at IS NULL ORDER BY due, rowid LIMIT ?", (limit,)
        )
        return [orjson.loads(entry) for (entry,) in rows]

    def forget_tasks(self, done_before: float) -> None:
        """Drop tasks done before `done_before`: their names may be used again."""
        self.conn.execute("DELETE FROM tasks WHERE done_at < ?", (done_before,))

    # Gmail ------------------------------------------------------------
    def mail(self, owner: str, message_id: str) -> dict[str, Any] | None:
        """The stored message `message_id` of `owner`'s mailbox, or None."""
        row = self.conn.execute(
            "SELECT entry FROM mail WHERE owner = ? AND id = ?", (owner, message_id)
        ).fetchone()
        return orjson.loads(row[0]) if row else None

    def mail_by_draft(self, owner: str, draft_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT entry FROM mail WHERE owner = ? AND draft_id = ?", (owner, draft_id)
        ).fetchone()
        return orjson.loads(row[0]) if row else None

    def mailbox(self, owner: str | None) -> list[dict[str, Any]]:
        """Every message of `owner` (of everyone when None), newest first."""
        if owner is None:
            rows = self.conn.execute("SELECT entry FROM mail ORDER BY history DESC")
        else:
            rows = self.conn.execute(
                "SELECT entry FROM mail WHERE owner = ? ORDER BY history DESC", (owner,)
            )
        return [orjson.loads(entry) for (entry,) in rows]

    def next_mail_history(self) -> int:
        row = self.conn.execute("SELECT COALESCE(MAX(history), 0) FROM mail").fetchone()
        return int(row[0]) + 1

    def put_mail(self, entry: dict[str, Any]) -> None:
        """Store {"id", "owner", "draftId"?, "historyId", ...}: a message and its Gmail fields."""
        self.conn.execute(
            "INSERT INTO mail (id, owner, draft_id, history, entry) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, draft_id = excluded.draft_id, "
            "history = excluded.history, entry = excluded.entry",
            (
                entry["id"],
                entry["owner"],
                entry.get("draftId"),
                int(entry["historyId"]),
                _dumps(entry),
            ),
        )

    def delete_mail(self, message_id: str) -> None:
        self.conn.execute("DELETE FROM mail WHERE id = ?", (message_id,))

    # after commit -------------------------------------------------------
    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once this transaction has committed (not at all if it rolls back)."""
        self.after_commit_callbacks.append(callback)


class Storage:
    """The stand-in's database file, with serialised transactions."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "localgoogle.sqlite3"
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(SCHEMA)
        self._change_listeners: list[ChangeListener] = []

    def add_change_listener(self, listener: ChangeListener) -> None:
        """Call `listener(seqs)` after every commit that recorded changes."""
        self._change_listeners.append(listener)

    def remove_change_listener(self, listener: ChangeListener) -> None:
        if listener in self._change_listeners:
            self._change_listeners.remove(listener)

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """All-or-nothing: an exception inside rolls every write back."""
        with self._lock:
            tx = Tx(self._conn)
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield tx
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        self._committed(tx)

    def _committed(self, tx: Tx) -> None:
        """Run what waits for this commit, outside the lock; a failure is logged, not raised."""
        callbacks = list(tx.after_commit_callbacks)
        if tx.new_changes:
            seqs = list(tx.new_changes)
            callbacks += [_bind(listener, seqs) for listener in list(self._change_listeners)]
        for callback in callbacks:
            try:
                callback()
            except Exception:
                log.exception("local Google: an after-commit callback failed")

    def close(self) -> None:
        with self._lock:
            self._conn.close()


def _dumps(value: Any) -> str:
    """`value` as compact JSON text. orjson: a plan's spreadsheet is about 400 KB of JSON, read
    and written on most requests; it falls back to `json` for what orjson refuses (an integer
    beyond 64 bits)."""
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, separators=(",", ":"))


def _bind(listener: ChangeListener, seqs: list[int]) -> Callable[[], None]:
    return lambda: listener(seqs)
