"""Delivering Drive push notifications: one daemon worker per store POSTs channels' messages.

A channel (registered by `drive_channels`) watches its creator's change feed: a `sync` message
first, then a `change` message after each commit recording changes the creator's `changes.list`
would show (close commits may share one). Messages are empty POSTs with Google's `X-Goog-*`
headers, sent after COMMIT, retried with exponential backoff, then dropped; they never delay an
API request. Channels live in SQLite, so delivery resumes after a restart. Only loopback addresses
are called.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

from . import loopback
from .storage import ChangeListener, Storage, Tx

log = logging.getLogger(__name__)

USER_AGENT = "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)"
RETRY_STATUSES = frozenset({500, 502, 503, 504})  # the guide: retried with exponential backoff
ATTEMPTS = 5  # first try + 4 retries, 0.5 s apart doubling: gives up after about 7.5 s
BACKOFF_S = 0.5
TIMEOUT_S = 5.0  # per POST; a hung receiver holds the worker this long at most
_SCAN = 500


def now_ms() -> int:
    """Now, in milliseconds since the epoch (the unit of a channel's expiration)."""
    return int(time.time() * 1000)


# ---------------------------------------------------------------- which changes notify


def visible(tx: Tx, row: dict[str, Any], channel: dict[str, Any]) -> bool:
    """Whether `changes.list` with the channel's options would show the change `row`.

    The same filters as drive_changes.list_changes: the file was in the creator's corpus at the
    time, removed changes count unless includeRemoved=false, restrictToMyDrive keeps own files.
    """
    email = channel["email"]
    if "drive" not in channel["spaces"] or email not in row["audience"]:
        return False
    if row["removed"] and not channel["includeRemoved"]:
        return False
    if channel["restrictToMyDrive"]:
        meta = tx.file(row["file_id"])
        return meta is None or meta["ownerEmail"] == email
    return True


def _sees_any(tx: Tx, channel: dict[str, Any], upto: int) -> bool:
    cursor = int(channel["cursor"])
    while cursor < upto:
        rows = tx.changes_after(cursor, _SCAN)
        if not rows:
            return False
        for row in rows:
            if row["seq"] > upto:
                return False
            if visible(tx, row, channel):
                return True
            cursor = row["seq"]
    return False


# ---------------------------------------------------------------- delivery


@dataclass(order=True)
class Message:
    """One notification to POST, due at `due` (time.monotonic)."""

    due: float
    order: int
    channel_id: str = field(compare=False)
    address: str = field(compare=False)
    headers: dict[str, str] = field(compare=False)
    attempt: int = field(default=0, compare=False)

    @property
    def state(self) -> str:
        return self.headers["X-Goog-Resource-State"]


def headers(channel: dict[str, Any], state: str, number: int) -> dict[str, str]:
    """The headers of a notification, as the push guide shows Google sending them."""
    out = {
        "Content-Type": "application/json; utf-8",
        "Content-Length": "0",
        "User-Agent": USER_AGENT,
        "X-Goog-Channel-ID": channel["id"],
        "X-Goog-Channel-Token": channel.get("token") or "",  # only if one was registered
        "X-Goog-Channel-Expiration": formatdate(int(channel["expiration"]) / 1000, usegmt=True),
        "X-Goog-Resource-ID": channel["resourceId"],
        "X-Goog-Resource-URI": channel["resourceUri"],
        "X-Goog-Resource-State": state,
        "X-Goog-Message-Number": str(number),
    }
    return {name: value for name, value in out.items() if value}


class Notifier:
    """One store's delivery worker: scans channels after commits and POSTs their messages.

    A channel's messages go out in order: while its first is being retried the others wait
    behind it, and a waiting `change` absorbs later ones (the receiver lists changes anyway).
    """

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._cond = threading.Condition()
        self._pending: list[Message] = []  # a heap of each channel's first message
        self._queues: dict[str, deque[Message]] = {}  # channel id -> its messages, first first
        self._order = itertools.count()
        self._dirty = True  # scan once at start: resumes channels after a restart
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="local-google-push", daemon=True)
        self._on_changes: ChangeListener = lambda seqs: self.wake()

    def start(self) -> None:
        self._storage.add_change_listener(self._on_changes)
        self._thread.start()

    def stop(self, timeout: float = TIMEOUT_S + 2) -> None:
        """Stop the worker; undelivered messages are dropped."""
        self._storage.remove_change_listener(self._on_changes)
        with self._cond:
            self._stopping = True
            self._cond.notify()
        self._thread.join(timeout)

    def wake(self) -> None:
        """Look for messages to send (called after a commit; only sets a flag)."""
        with self._cond:
            self._dirty = True
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stopping and not self._dirty and not self._ready():
                    due = self._pending[0].due - time.monotonic() if self._pending else None
                    self._cond.wait(due)
                if self._stopping:
                    return
                scan, self._dirty = self._dirty, False
                ready = []
                while self._ready():
                    ready.append(heapq.heappop(self._pending))
            try:
                if scan:
                    self._enqueue(self._scan())
                for message in ready:
                    self._attempt(message)
            except Exception:  # never let the worker die; the next commit wakes it again
                log.exception("local Google: push notification delivery failed")

    def _ready(self) -> bool:
        return bool(self._pending) and self._pending[0].due <= time.monotonic()

    def _enqueue(self, messages: list[Message]) -> None:
        with self._cond:
            for message in messages:
                queue = self._queues.setdefault(message.channel_id, deque())
                if len(queue) > 1 and queue[-1].state == message.state == "change":
                    continue  # coalesced into the change already waiting
                queue.append(message)
                if len(queue) == 1:
                    heapq.heappush(self._pending, message)

    def _done(self, message: Message) -> None:
        """The channel's first message is delivered or dropped: its next one may go."""
        with self._cond:
            queue = self._queues.pop(message.channel_id, deque())
            if queue and queue[0] is message:
                queue.popleft()
            if queue:
                self._queues[message.channel_id] = queue
                queue[0].due, queue[0].order = time.monotonic(), next(self._order)
                heapq.heappush(self._pending, queue[0])

    def _scan(self) -> list[Message]:
        """Number the messages every live channel is owed; forget expired channels."""
        out: list[Message] = []
        now, due = now_ms(), time.monotonic()
        with self._storage.transaction() as tx:
            last = tx.last_change_seq()
            for channel in tx.channels():
                if int(channel["expiration"]) <= now:
                    tx.delete_channel(channel["id"])
                    continue
                cursor = int(channel["cursor"])
                states = [] if channel["synced"] else ["sync"]
                if cursor < last and _sees_any(tx, channel, last):
                    states.append("change")
                if not states and cursor >= last:
                    continue
                channel["synced"], channel["cursor"] = True, max(cursor, last)
                for state in states:
                    channel["messageNumber"] += 1
                    hdrs = headers(channel, state, channel["messageNumber"])
                    order = next(self._order)
                    out.append(Message(due, order, channel["id"], channel["address"], hdrs))
                tx.put_channel(channel)
        return out

    def _attempt(self, message: Message) -> None:
        """POST one message; retry later on a network error or a 5xx Google retries."""
        if self._live(message):
            try:
                status: int | None = post(message.address, message.headers)
            except OSError as exc:
                log.debug("local Google: %s unreachable: %s", message.address, exc)
                status = None
            if (status is None or status in RETRY_STATUSES) and message.attempt + 1 < ATTEMPTS:
                message.due = time.monotonic() + BACKOFF_S * 2**message.attempt
                message.attempt, message.order = message.attempt + 1, next(self._order)
                with self._cond:
                    heapq.heappush(self._pending, message)
                return
            if status is None or not (200 <= status < 300 or status == 102):
                log.warning("local Google: dropped push to %s (%s)", message.address, status)
        self._done(message)

    def _live(self, message: Message) -> bool:
        """The channel still exists (not stopped) and has not expired."""
        with self._storage.transaction() as tx:
            channel = tx.channel(message.channel_id) or {"resourceId": None, "expiration": 0}
        same = channel["resourceId"] == message.headers["X-Goog-Resource-ID"]
        return same and int(channel["expiration"]) > now_ms()


def post(address: str, hdrs: dict[str, str]) -> int:
    """POST an empty body to a loopback `address`; the HTTP status (OSError if unreachable)."""
    return loopback.send("POST", address, hdrs, b"", TIMEOUT_S)


# ---------------------------------------------------------------- one worker per store

_notifiers: dict[Storage, Notifier] = {}
_notifiers_lock = threading.Lock()


def start_delivery(storage: Storage) -> Notifier:
    """The store's delivery worker, started on first use."""
    with _notifiers_lock:
        notifier = _notifiers.get(storage)
        if notifier is None:
            notifier = _notifiers[storage] = Notifier(storage)
            notifier.start()
        return notifier


def stop_delivery(storage: Storage) -> None:
    """Stop the store's delivery worker, if it runs (before the store closes)."""
    with _notifiers_lock:
        notifier = _notifiers.pop(storage, None)
    if notifier is not None:
        notifier.stop()
