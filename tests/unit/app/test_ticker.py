"""Triggers that arrive while a tick runs fold into one more tick, never into parallel ticks."""

from __future__ import annotations

import threading

from addon.services.ticker import TickRunner


def test_triggers_during_a_tick_cause_exactly_one_more_tick() -> None:
    release = threading.Event()
    running = threading.Event()
    active = []
    overlaps = []

    def tick() -> None:
        active.append(1)
        if len(active) > 1:
            overlaps.append(1)
        running.set()
        release.wait(5)
        active.pop()

    runner = TickRunner(tick)
    assert runner.trigger() is True
    running.wait(5)
    assert [runner.trigger() for _ in range(5)] == [False] * 5
    release.set()
    assert runner.wait_idle(5)
    assert runner.ticks == 2
    assert overlaps == []


def test_a_failing_tick_does_not_stop_later_triggers() -> None:
    calls = []

    def tick() -> None:
        calls.append(1)
        raise RuntimeError("boom")

    runner = TickRunner(tick)
    runner.trigger()
    assert runner.wait_idle(5)
    runner.trigger()
    assert runner.wait_idle(5)
    assert len(calls) == 2
