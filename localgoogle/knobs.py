"""Request accounting and the knobs: latency, fail rate, per-user quota, Cloud Tasks delivery."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field

from .errors import ApiError


@dataclass
class Knobs:
    latency_ms: int = 0
    fail_rate: float = 0.0
    quota_per_minute: int = 0  # 0 = unlimited
    seed: int | None = None
    tasks_per_second: float = 5.0  # Cloud Tasks dispatches per queue and second
    app_engine_url: str | None = None  # where App Engine tasks go (a loopback base URL)
    # The quota's window. Google's is a minute; fault tests shrink it to compress time.
    quota_window_seconds: float = 60.0
    # Of the writes that succeeded, the share answered 500/503 all the same (Google may apply
    # a request and still fail it), so that clients must not assume a 5xx changed nothing.
    fail_after_write_rate: float = 0.0
    # A person's consecutive edits within this many seconds share one Drive revision, as Google
    # merges close edits of Docs editors files (the window is Google's to choose; revisions.py).
    revision_merge_seconds: float = 300.0


# Bodies Google sends with these statuses (Sheets wording; Drive adds errors[] via ApiError).
_FAULTS = (
    (429, "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user'."),
    (500, "Internal error encountered."),
    (503, "The service is currently unavailable."),
)


@dataclass
class Accounting:
    """Counts API requests by discovery method id and by user; enforces the knobs."""

    knobs: Knobs
    total: int = 0
    by_method: Counter[str] = field(default_factory=Counter)
    by_user: Counter[str] = field(default_factory=Counter)
    by_user_method: dict[str, Counter[str]] = field(default_factory=dict)
    refused: Counter[str] = field(default_factory=Counter)  # faults injected, by status
    _windows: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _random: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        if self.knobs.seed is not None:
            self._random.seed(self.knobs.seed)

    def count(self, method_id: str, user: str) -> None:
        with self._lock:
            self.total += 1
            self.by_method[method_id] += 1
            self.by_user[user] += 1
            self.by_user_method.setdefault(user, Counter())[method_id] += 1

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {
                "total": self.total,
                "by_method": dict(sorted(self.by_method.items())),
                "by_user": dict(sorted(self.by_user.items())),
                "by_user_method": {
                    user: dict(sorted(methods.items()))
                    for user, methods in sorted(self.by_user_method.items())
                },
                "refused": dict(sorted(self.refused.items())),
            }

    def reset(self) -> None:
        with self._lock:
            self.total = 0
            self.by_method.clear()
            self.by_user.clear()
            self.by_user_method.clear()
            self.refused.clear()
            self._windows.clear()

    def delay(self) -> None:
        if self.knobs.latency_ms > 0:
            time.sleep(self.knobs.latency_ms / 1000)

    def check_quota(self, user: str, api: str) -> None:
        """429 once `user` has made quota_per_minute requests in the last minute (window)."""
        limit = self.knobs.quota_per_minute
        if limit <= 0:
            return
        now = time.monotonic()
        with self._lock:
            window = self._windows.setdefault(user, deque())
            while window and now - window[0] >= self.knobs.quota_window_seconds:
                window.popleft()
            if len(window) >= limit:
                self.refused["429 quota"] += 1
                service = f"{api}.googleapis.com"
                raise ApiError(
                    429,
                    "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute "
                    f"per user' of service '{service}' for consumer 'project_number:0'.",
                    reason="rateLimitExceeded" if api == "drive" else None,
                )
            window.append(now)

    def maybe_fail_after_write(self) -> None:
        """With probability fail_after_write_rate, fail a write that has been applied."""
        if self.knobs.fail_after_write_rate <= 0:
            return
        with self._lock:
            roll = self._random.random()
            code, message = self._random.choice(_FAULTS[1:])  # a 429 means "not applied"
            if roll < self.knobs.fail_after_write_rate:
                self.refused[f"{code} after applying"] += 1
        if roll < self.knobs.fail_after_write_rate:
            raise ApiError(code, message)

    def maybe_fail(self) -> None:
        """With probability fail_rate, fail the request as Google sometimes does."""
        if self.knobs.fail_rate <= 0:
            return
        with self._lock:
            roll = self._random.random()
            code, message = self._random.choice(_FAULTS)
            if roll < self.knobs.fail_rate:
                self.refused[f"{code} injected"] += 1
        if roll < self.knobs.fail_rate:
            raise ApiError(code, message)
