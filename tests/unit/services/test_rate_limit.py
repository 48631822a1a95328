"""The token bucket lets a burst through, then spaces operations to the per-minute rate."""

from __future__ import annotations

import pytest

from addon.services.rate_limit import RateLimiter


class FakeTime:
    """A clock that only moves when the limiter sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_full_bucket_lets_a_minute_of_operations_through_at_once() -> None:
    time = FakeTime()
    limiter = RateLimiter(60, clock=time.clock, sleep=time.sleep)
    assert [limiter.acquire() for _ in range(60)] == [0.0] * 60
    assert time.slept == []


def test_past_the_burst_each_operation_waits_its_share_of_the_minute() -> None:
    time = FakeTime()
    limiter = RateLimiter(60, clock=time.clock, sleep=time.sleep)
    for _ in range(60):
        limiter.acquire()
    waits = [limiter.acquire() for _ in range(3)]
    assert waits == pytest.approx([1.0, 1.0, 1.0])
    assert time.now == pytest.approx(3.0)


def test_idle_time_refills_the_bucket_up_to_its_capacity_only() -> None:
    time = FakeTime()
    limiter = RateLimiter(30, clock=time.clock, sleep=time.sleep)
    for _ in range(30):
        limiter.acquire()
    time.now += 3600  # an idle hour earns no more than one minute's burst
    assert [limiter.acquire() for _ in range(30)] == [0.0] * 30
    assert limiter.acquire() == pytest.approx(2.0)


@pytest.mark.parametrize("rate", [0, -5])
def test_a_rate_that_is_not_positive_is_refused(rate: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        RateLimiter(rate)
