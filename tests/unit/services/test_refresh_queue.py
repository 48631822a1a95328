"""Refresh tasks travel as JSON; the thread pool runs them in order, within the rate."""

from __future__ import annotations

import threading

import pytest

from addon.config import Config
from addon.domain.refresh_task import RefreshTask
from addon.services.rate_limit import RateLimiter
from addon.services.refresh_queue import ThreadPoolQueue, refresh_queue


def test_a_task_survives_a_json_round_trip() -> None:
    task = RefreshTask("d_1", "17", "2026-11-26T10:00:00Z", "2026-11-01T09:00:00Z", "ann@acme.com")
    assert RefreshTask.from_json(task.as_json()) == task
    assert RefreshTask.from_json({"deal_id": "d_1"}) == RefreshTask("d_1")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "deal_id"),
        ({"deal": "d_1"}, "deal_id"),
        ({"deal_id": 7}, "deal_id"),
        ({"deal_id": "d_1", "version": 17}, "'version'"),
    ],
)
def test_a_malformed_task_is_refused_with_what_is_wrong(body: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RefreshTask.from_json(body)


def test_the_same_change_gives_the_same_task_name() -> None:
    assert RefreshTask("d_1", "17").name == RefreshTask("d_1", "17", "t").name == "d_1-v17"
    assert RefreshTask("d_1").name == "d_1-vcatchup"


def test_the_pool_returns_results_in_task_order_and_runs_them_concurrently() -> None:
    started = threading.Barrier(3, timeout=10)

    def refresh(task: RefreshTask) -> str:
        started.wait()  # would time out if the pool ran the tasks one by one
        return task.deal_id

    tasks = [RefreshTask(f"d_{i}") for i in range(3)]
    assert ThreadPoolQueue(workers=3).submit(tasks, refresh) == ["d_0", "d_1", "d_2"]


def test_the_pool_asks_the_limiter_before_each_refresh() -> None:
    class CountingLimiter(RateLimiter):
        def __init__(self) -> None:
            super().__init__(60)
            self.calls = 0

        def acquire(self) -> float:
            self.calls += 1
            return 0.0

    limiter = CountingLimiter()
    queue = ThreadPoolQueue(workers=2, limiter=limiter)
    assert queue.submit([RefreshTask("a"), RefreshTask("b")], lambda t: t.deal_id) == ["a", "b"]
    assert limiter.calls == 2
    assert queue.submit([], lambda t: t) == []


def test_the_configured_read_quota_caps_the_pool() -> None:
    capped = refresh_queue(Config.from_env({"MAP_SHEETS_READS_PER_MINUTE": "120"}))
    assert isinstance(capped, ThreadPoolQueue) and capped.limiter is not None
    assert capped.limiter.per_minute == 120
    local = refresh_queue(Config.from_env({}))
    assert isinstance(local, ThreadPoolQueue) and local.limiter is None
    on_google = Config.from_env({"MAP_BACKEND": "google"})
    assert on_google.sheets_reads_per_minute == 60
