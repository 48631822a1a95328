"""Watch and consolidate processes killed (SIGKILL) mid-work, again and again, lose nothing.

After each of five batches of buyer edits, `map-addon watch --once` and `map-addon consolidate` run
as real processes and are killed once their n-th request has reached Google, at a random moment
while it is in flight or just answered, and the pipeline then runs to the end. The kill points are
every request of a watch (1 to 8) and of a consolidate (1 to 5), each killed once, split between
the two databases (one takes every other point), so the two runs together kill the work at each
of its steps (reading the change feed and the plans, writing the Activity tab, the review). It
must end exactly as an uninterrupted run of the same script: the same events, snapshots and
review, one review workbook, every event shown once in its plan's Activity tab.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from pipeline import SERVICE_ACCOUNT, Pipeline, Scale, differences, run_script, script

from addon.services.watch import CURSOR
from localgoogle.knobs import Knobs

SCALE = Scale(plans=6, edits=20, batches=5)
# While a command that is to be killed runs, each request takes a little while, so that the kill
# lands while a request is in flight.
LATENCY = 0.1
SLOW_GOOGLE = Knobs(latency_ms=int(LATENCY * 1000))
# Each command, and the last of its requests a kill may wait for (about its work's span: a watch
# of two changed plans makes 7 requests; a consolidate, its catch-up's and 1 to 3 for the review,
# which writes only what changed).
WATCH, CONSOLIDATE = ("watch", "--once", "--json"), ("consolidate", "--json")
KILL_POINTS = [(WATCH, n) for n in range(1, 9)] + [(CONSOLIDATE, n) for n in range(1, 6)]


def kill_points(database: str) -> list[tuple[tuple[str, ...], int]]:
    """This database's half of the kill points, watch and consolidate interleaved."""
    mine = KILL_POINTS[database != "sqlite" :: 2]
    watches = [p for p in mine if p[0] == WATCH]
    consolidates = [p for p in mine if p[0] == CONSOLIDATE]
    out: list[tuple[tuple[str, ...], int]] = []
    while watches or consolidates:
        out += watches[:1] + consolidates[:1]
        watches, consolidates = watches[1:], consolidates[1:]
    return out


def _service_requests(pipeline: Pipeline) -> int:
    """Requests the service account has made so far (read in process: polling is cheap)."""
    return int(pipeline.accounting().by_user.get(SERVICE_ACCOUNT, 0))


def _kill_midway(pipeline: Pipeline, args: tuple[str, ...], nth: int, rng: random.Random) -> bool:
    """Start the command; SIGKILL it once its n-th request has reached Google, at a random
    moment while that request is in flight or just answered.

    True if it was killed while still running (False: it finished first).
    """
    before = _service_requests(pipeline)
    pipeline.set_knobs(SLOW_GOOGLE)
    proc = subprocess.Popen(
        [sys.executable, "-m", "addon.cli", *args],
        env={**os.environ, **pipeline.env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and _service_requests(pipeline) - before < nth:
            if time.monotonic() > deadline:
                raise AssertionError(f"{args[0]} made fewer than {nth} requests in 60 s")
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 1.5 * LATENCY))
        if proc.poll() is not None:
            return False
        proc.send_signal(signal.SIGKILL)
        return True
    finally:
        proc.wait(timeout=30)
        # A request the killed process had in flight still lands, as at Google, where it lands
        # long before a next process could start; then the script runs on at full speed.
        time.sleep(3 * LATENCY)
        pipeline.set_knobs(Knobs())


def _progress(pipeline: Pipeline) -> tuple[int, int, str | None]:
    """(events recorded, events not yet shown in Activity, the change-feed cursor)."""
    with pipeline.services.store.transaction() as tx:
        deals = [d.deal_id for d in tx.deals.newest_first()]
        unshown = sum(len(tx.events.unshown(deal_id)) for deal_id in deals)
        recorded = sum(len(v) for v in tx.events.for_deals(deals).values())
        return recorded, unshown, tx.cursors.get(CURSOR)


def test_kills_of_watch_and_consolidate_at_each_request_change_nothing_in_the_end(
    tmp_path: Path, new_database: Callable[[str], str], request: pytest.FixtureRequest
) -> None:
    uninterrupted = Pipeline(tmp_path / "uninterrupted", new_database("uninterrupted"))
    try:
        expected, _ = run_script(uninterrupted, SCALE)
    finally:
        uninterrupted.close()

    points = kill_points(request.node.callspec.params["new_database"])
    rng = random.Random(5)
    killed = finished = 0
    caught: Counter[str] = Counter()  # where the kills landed
    crashed = Pipeline(tmp_path / "crashed", new_database("crashed"))
    try:
        crashed.create_plans(SCALE.plans)
        crashed.catch_up()
        batches = script(SCALE, crashed.first_snapshots())
        for number, batch in enumerate(batches):
            for edit in batch:
                crashed.apply(edit)
            goal = len(points) * (number + 1) // len(batches)
            while killed + finished < goal:
                command, nth = points[killed + finished]
                before = _progress(crashed)
                if _kill_midway(crashed, command, nth, rng):
                    killed += 1
                    after = _progress(crashed)
                    if after[1]:
                        caught["between recording events and showing them"] += 1
                    elif after[2] != before[2]:
                        caught["after the tick (in the review, or exiting)"] += 1
                    elif after[0] != before[0]:
                        caught["after showing events, before the cursor moved"] += 1
                    else:
                        caught["before any event was recorded"] += 1
                else:
                    finished += 1
            crashed.catch_up()  # then run to the end
        got = crashed.outcome(crashed.consolidate())
    finally:
        crashed.close()

    print(f"\n{killed} processes killed mid-work, {finished} finished before their kill")
    print(f"  where the kills landed: {dict(caught)}")
    for name, count in expected.counts.items():
        print(f"  {name}: uninterrupted {count}, killed {got.counts[name]}")
    assert killed + finished == len(points)
    assert killed >= len(points) // 2, "most commands must still be running at their kill"
    assert not differences(expected, got), differences(expected, got)
    assert got.comparable() == expected.comparable()
