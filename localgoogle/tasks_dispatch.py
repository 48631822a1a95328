"""Delivering Cloud Tasks: one worker per store POSTs due tasks to their targets.

As Google does (https://cloud.google.com/tasks/docs/creating-http-target-tasks#handler,
https://cloud.google.com/tasks/docs/creating-appengine-handlers#reading-headers): an HTTP task
goes to its URL with `X-CloudTasks-*` headers and, given an `oidcToken`, an
`Authorization: Bearer` ID token for its service account (audience: the token's `audience`, else
the URL), minted by the stand-in's issuer; an App Engine task goes to `Knobs.app_engine_url` plus
its `relativeUri` with `X-AppEngine-*` headers. A 2xx answer ends the task; anything else, or no
answer, is retried with exponential backoff (0.1 s doubling to 10 s, where Google's default goes
to an hour) until 100 attempts. Each queue dispatches at most `Knobs.tasks_per_second`, evenly
spaced. Tasks live in SQLite, so delivery resumes after a restart. Only loopback addresses are
called. Task execution counts follow Google's recorded answers: HTTP targets do not count 5xx
answers, App Engine targets do (aertje/cloud-tasks-emulator, conformance/DISPATCH_HEADERS_PLAN.md).
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from . import loopback
from .idtoken import issuer
from .storage import Storage

if TYPE_CHECKING:
    from .context import LocalGoogle

log = logging.getLogger(__name__)

MIN_BACKOFF_S = 0.1
MAX_BACKOFF_S = 10.0
MAX_ATTEMPTS = 100
TIMEOUT_S = 30.0  # per attempt; a hung target holds the worker this long at most
_SCAN = 500


def timestamp(seconds: float) -> str:
    """RFC 3339 in UTC with microseconds, as Google writes Timestamps."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def backoff(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failed attempt (1 = the first)."""
    return min(MAX_BACKOFF_S, MIN_BACKOFF_S * 2 ** (attempts - 1))


class Dispatcher:
    """One store's delivery worker: attempts due tasks one at a time, per-queue rate limited."""

    def __init__(self, lg: LocalGoogle) -> None:
        self._storage = lg.storage
        self._data_dir = lg.data_dir
        self._knobs = lg.accounting.knobs
        self._cond = threading.Condition()
        self._next_slot: dict[str, float] = {}  # queue -> earliest time of its next dispatch
        self._dirty = True  # look once at start: resumes tasks after a restart
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="local-google-tasks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = TIMEOUT_S + 2) -> None:
        """Stop the worker; undelivered tasks stay stored."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        self._thread.join(timeout)

    def wake(self) -> None:
        """Look for due tasks again (after a task was created)."""
        with self._cond:
            self._dirty = True
            self._cond.notify()

    def _run(self) -> None:
        wait: float | None = None
        while True:
            with self._cond:
                if not self._dirty and not self._stopping:
                    self._cond.wait(wait)
                if self._stopping:
                    return
                self._dirty = False
            try:
                entry, wait = self._next_due()
                if entry is not None:
                    self._attempt(entry)
            except Exception:  # never let the worker die; the next task wakes it again
                log.exception("local Google: Cloud Tasks delivery failed")
                wait = 1.0

    def _next_due(self) -> tuple[dict[str, Any] | None, float | None]:
        """The task to attempt now, else None and how long until one is due (None: none)."""
        with self._storage.transaction() as tx:
            entries = tx.due_tasks(_SCAN)
        now = time.time()
        soonest: float | None = None
        for entry in entries:
            start = max(entry["due"], self._next_slot.get(entry["queue"], 0.0))
            if start <= now:
                rate = self._knobs.tasks_per_second
                slot = max(now, self._next_slot.get(entry["queue"], now))
                self._next_slot[entry["queue"]] = slot + (1 / rate if rate > 0 else 0.0)
                return entry, 0.0
            soonest = start if soonest is None else min(soonest, start)
        return None, None if soonest is None else max(0.0, soonest - now)

    def _attempt(self, entry: dict[str, Any]) -> None:
        """Send the task once, then record the attempt: done, retried later, or given up."""
        task = entry["task"]
        dispatched = time.time()
        try:
            status: int | None = send(*self._request(entry))
        except OSError as exc:
            log.debug("local Google: task %s unreachable: %s", task["name"], exc)
            status = None
        answered = time.time()
        with self._storage.transaction() as tx:
            current = tx.task(task["name"])
            if current is None or current.get("doneAt") is not None:
                return  # deleted while it was being sent
            _record(current, status, dispatched, answered)
            tx.put_task(current)

    def _request(self, entry: dict[str, Any]) -> tuple[str, str, dict[str, str], bytes]:
        """Method, URL, headers and body of the task's next attempt."""
        task = entry["task"]
        is_http = "httpRequest" in task
        request = task["httpRequest"] if is_http else task["appEngineHttpRequest"]
        if not is_http and self._knobs.app_engine_url is None:
            raise OSError("no App Engine app to deliver to (Knobs.app_engine_url)")
        url = request["url"] if is_http else f"{self._knobs.app_engine_url}{request['relativeUri']}"
        prefix = "X-CloudTasks-" if is_http else "X-AppEngine-"
        headers = dict(request.get("headers") or {})
        headers.update(
            {
                f"{prefix}QueueName": entry["queue"].rsplit("/", 1)[-1],
                f"{prefix}TaskName": task["name"].rsplit("/", 1)[-1],
                f"{prefix}TaskRetryCount": str(task["dispatchCount"]),
                f"{prefix}TaskExecutionCount": str(entry["executions"]),
                f"{prefix}TaskETA": f"{entry['due']:.6f}",
            }
        )
        if entry.get("previousResponse"):
            headers[f"{prefix}TaskPreviousResponse"] = str(entry["previousResponse"])
        oidc = request.get("oidcToken") if is_http else None
        if oidc:
            audience = oidc.get("audience") or url
            token = issuer(self._data_dir).mint(audience, oidc["serviceAccountEmail"])
            headers["Authorization"] = f"Bearer {token}"
        body = base64.b64decode(request.get("body") or "")
        return request["httpMethod"], url, headers, body


def _record(entry: dict[str, Any], status: int | None, dispatched: float, answered: float) -> None:
    """Update a task entry after one attempt with HTTP `status` (None: no answer)."""
    task = entry["task"]
    task["dispatchCount"] += 1
    attempt: dict[str, Any] = {
        "scheduleTime": task["scheduleTime"],
        "dispatchTime": timestamp(dispatched),
    }
    task.setdefault("firstAttempt", {"dispatchTime": attempt["dispatchTime"]})
    if status is not None:
        task["responseCount"] += 1
        attempt["responseTime"] = timestamp(answered)
        attempt["responseStatus"] = {"code": _rpc_code(status), "message": f"HTTP {status}"}
        if "appEngineHttpRequest" in task or status < 500:
            entry["executions"] += 1
        entry["previousResponse"] = status
    task["lastAttempt"] = attempt
    if status is not None and 200 <= status < 300:
        entry["doneAt"] = answered
    elif task["dispatchCount"] >= MAX_ATTEMPTS:
        log.warning("local Google: gave up on task %s (%s)", task["name"], status)
        entry["doneAt"] = answered
    else:
        entry["due"] = answered + backoff(task["dispatchCount"])
        task["scheduleTime"] = timestamp(entry["due"])


# HTTP status -> google.rpc.Code, for Attempt.responseStatus (the rest map to UNKNOWN, 2).
_RPC_CODES = {400: 3, 401: 16, 403: 7, 404: 5, 409: 10, 429: 8, 499: 1, 501: 12, 503: 14, 504: 4}


def _rpc_code(status: int) -> int:
    if 200 <= status < 300:
        return 0
    return _RPC_CODES.get(status, 13 if status >= 500 else 2)


def send(method: str, url: str, headers: dict[str, str], body: bytes) -> int:
    """Send one request to a loopback `url`; the HTTP status (OSError if unreachable)."""
    return loopback.send(method, url, headers, body, TIMEOUT_S)


# ---------------------------------------------------------------- one worker per store

_dispatchers: dict[Storage, Dispatcher] = {}
_dispatchers_lock = threading.Lock()


def start(lg: LocalGoogle) -> Dispatcher:
    """The store's delivery worker, started on first use."""
    with _dispatchers_lock:
        dispatcher = _dispatchers.get(lg.storage)
        if dispatcher is None:
            dispatcher = _dispatchers[lg.storage] = Dispatcher(lg)
            dispatcher.start()
        return dispatcher


def stop(storage: Storage) -> None:
    """Stop the store's delivery worker, if it runs (before the store closes)."""
    with _dispatchers_lock:
        dispatcher = _dispatchers.pop(storage, None)
    if dispatcher is not None:
        dispatcher.stop()
