"""Per-plan refreshes go through a queue: a thread pool here, Cloud Tasks in production.

The watch tick decides which plans changed and hands each one to the queue as a RefreshTask.
The thread pool runs them now and returns what they found; a durable queue (Cloud Tasks)
accepts them and its workers call the refresh job endpoint later. Either way a refresh is
idempotent (see Watcher.refresh), so a queue may deliver a task twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from ..config import Config
from ..domain.refresh_task import RefreshTask
from .rate_limit import RateLimiter

REFRESH_CONCURRENCY = 8  # plans read at once; each costs at most 2 Sheets requests


class RefreshQueue(Protocol):
    """Where a tick sends the plans to refresh."""

    durable: bool  # True: accepted tasks survive this process, so the cursor may move on

    def submit(
        self, tasks: Sequence[RefreshTask], refresh: Callable[[RefreshTask], Any]
    ) -> list[Any]:
        """Run or enqueue the tasks; the results of those run now, in order."""
        ...

    def close(self) -> None:
        """Release what the queue holds (threads, connections)."""
        ...


class ThreadPoolQueue:
    """Runs refreshes now, a few at a time, no faster than the Sheets quota allows.

    The worker threads live as long as the queue: each builds its Google clients once (a
    client is made per thread, and making one costs tenths of a second and megabytes).
    """

    durable = False

    def __init__(self, workers: int = 8, limiter: RateLimiter | None = None) -> None:
        self.workers = workers
        self.limiter = limiter
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="plan-refresh")
            return self._pool

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    def submit(
        self, tasks: Sequence[RefreshTask], refresh: Callable[[RefreshTask], Any]
    ) -> list[Any]:
        if not tasks:
            return []

        def run(task: RefreshTask) -> Any:
            if self.limiter is not None:
                self.limiter.acquire()
            return refresh(task)

        return list(self._executor().map(run, tasks))


def refresh_queue(config: Config) -> RefreshQueue:
    """The queue the configuration asks for (MAP_REFRESH_QUEUE)."""
    if config.refresh_queue == "cloud-tasks":
        from ..google.cloud_tasks import CloudTasksQueue

        return CloudTasksQueue.from_config(config)
    rate = config.sheets_reads_per_minute
    return ThreadPoolQueue(REFRESH_CONCURRENCY, RateLimiter(rate) if rate > 0 else None)
