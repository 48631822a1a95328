"""A token bucket: at most N operations per minute, with bursts up to N, shared by threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """`limiter.acquire()` blocks until one more operation fits in the per-minute budget."""

    def __init__(
        self,
        per_minute: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_minute <= 0:
            raise ValueError(f"a rate limit must be positive, not {per_minute}")
        self.per_minute = per_minute
        self._capacity = max(1.0, per_minute)
        self._rate = per_minute / 60.0  # tokens per second
        self._tokens = self._capacity
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, waiting if none is left; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._tokens = min(
                    self._capacity, self._tokens + (now - self._updated) * self._rate
                )
                self._updated = now
                if self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return waited
                wait = (1.0 - self._tokens) / self._rate
            self._sleep(wait)
            waited += wait
