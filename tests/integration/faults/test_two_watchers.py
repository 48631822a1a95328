"""Two watch processes on one database never read the same change twice, and lose none.

Each refresh holds its plan's lock (PostgreSQL advisory lock, or a flock beside the SQLite
file) and re-checks, under it, whether the change is already done. The watchers here are two
`Services` (each its own connection pool and Google clients, as two processes have) started
together on threads, and then two real `map-addon watch --once` processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline import SERVICE_ACCOUNT, Pipeline, Scale, run_script, script

from addon.config import Config
from addon.services.context import Services
from addon.services.watch import TickResult
from localgoogle.knobs import Knobs

SCALE = Scale(plans=6, edits=30, batches=2)
SLOW_GOOGLE = Knobs(latency_ms=30)  # refreshes overlap for long enough to collide


def _reads(pipeline: Pipeline) -> int:
    methods = pipeline.stats()["by_user_method"].get(SERVICE_ACCOUNT, {})
    return int(methods.get("sheets.spreadsheets.values.batchGet", 0))


def _changed_plans(edits: list[Any]) -> int:
    return len({edit.plan for edit in edits})


def _prepared(tmp_path: Path, new_database: Callable[[str], str]) -> tuple[Pipeline, Any]:
    """A pipeline with its plans made and watched once, and the edit batches to apply."""
    pipeline = Pipeline(tmp_path / "two", new_database("two"))
    pipeline.create_plans(SCALE.plans)
    pipeline.catch_up()
    pipeline.set_knobs(SLOW_GOOGLE)  # from here on, for the watchers
    return pipeline, script(SCALE, pipeline.first_snapshots())


def _together(*watchers: Services) -> list[TickResult]:
    """One tick of each watcher, all started at the same moment on threads of their own."""
    start = threading.Barrier(len(watchers))
    results: list[TickResult] = []

    def watch(services: Services) -> None:
        start.wait()
        results.append(services.watcher.tick())

    threads = [threading.Thread(target=watch, args=(s,)) for s in watchers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == len(watchers)
    return results


def test_two_watchers_started_together_read_each_changed_plan_once(
    tmp_path: Path, new_database: Callable[[str], str]
) -> None:
    reference = Pipeline(tmp_path / "reference", new_database("reference"))
    try:
        expected, _ = run_script(reference, SCALE)
    finally:
        reference.close()
    pipeline, batches = _prepared(tmp_path, new_database)
    second = Services(Config.from_env(pipeline.env))
    try:
        for batch in batches:
            for edit in batch:
                pipeline.apply(edit)
            reads_before = _reads(pipeline)
            results = _together(pipeline.services, second)
            read_by = [set(r.changed_plans) for r in results]
            print(
                f"\nwatcher A read {len(read_by[0])}, B read {len(read_by[1])}, "
                f"deferred {[len(r.deferred) for r in results]}, "
                f"skipped {[r.skipped for r in results]}"
            )
            assert not read_by[0] & read_by[1]
            assert _reads(pipeline) - reads_before == _changed_plans(batch)
            pipeline.catch_up()  # a deferred plan's watcher left the cursor: nothing is lost
        got = pipeline.outcome(pipeline.consolidate())
    finally:
        second.close()
        pipeline.close()
    assert got.events == expected.events
    assert got.snapshots == expected.snapshots
    assert got.activity_duplicates == got.unshown_events == 0


def test_two_watch_processes_never_read_one_change_twice(
    tmp_path: Path, new_database: Callable[[str], str]
) -> None:
    pipeline, batches = _prepared(tmp_path, new_database)
    env = {**os.environ, **pipeline.env}
    try:
        for edit in batches[0]:
            pipeline.apply(edit)
        reads_before = _reads(pipeline)
        command = [sys.executable, "-m", "addon.cli", "watch", "--once", "--json"]
        procs = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)
        ]
        outputs = [json.loads(proc.communicate(timeout=120)[0]) for proc in procs]
        read_by = [set(out["changed_plans"]) for out in outputs]
        print(f"\nprocess A read {len(read_by[0])} plans, B {len(read_by[1])}")
        assert not read_by[0] & read_by[1]
        assert _reads(pipeline) - reads_before == _changed_plans(batches[0])
        event_ids = [e["event_id"] for out in outputs for e in out["events"]]
        assert len(event_ids) == len(set(event_ids)) > 0
        pipeline.catch_up()
        assert _reads(pipeline) - reads_before == _changed_plans(batches[0])
    finally:
        pipeline.close()
