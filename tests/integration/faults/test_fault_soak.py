"""Under injected 429/500/503 faults and a quota, the pipeline ends exactly as a clean run does.

The same script — create the plans, buyers' edits in batches, a watch catch-up after each batch,
the review — runs twice on stand-ins of their own: once clean, once with `fail_rate` 0.1, 3% of
the writes that succeed answered 500/503 all the same (as Google may), and a per-user quota.
Both must end with the same events, snapshots, review tables and number of spreadsheets: no
event lost or doubled, no sheet made twice, nothing left unshown in a plan's Activity tab. The
default run is scaled down (and its quota window with it); the issue's full size — 50 plans,
500 edits, the real one-minute quota window — runs with MAP_SLOW_TESTS=1.
Run with `-s` to see the counts compared.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pipeline import Pipeline, Scale, differences, run_script

from localgoogle.knobs import Knobs

DEFAULT = Scale(plans=6, edits=60, batches=3)
FULL = Scale(plans=50, edits=500, batches=10)
# 12 requests per user per second: a per-minute quota with its window compressed 60 times.
COMPRESSED_QUOTA = Knobs(
    fail_rate=0.1,
    fail_after_write_rate=0.03,
    quota_per_minute=12,
    quota_window_seconds=1,
    seed=11,
)
REAL_QUOTA = Knobs(fail_rate=0.1, fail_after_write_rate=0.03, quota_per_minute=300, seed=11)


def _soak(tmp_path: Path, new_database: Callable[[str], str], scale: Scale, faults: Knobs) -> None:
    clean = Pipeline(tmp_path / "clean", new_database("clean"))
    faulty = Pipeline(tmp_path / "faulty", new_database("faulty"), faults)
    try:
        expected, batches = run_script(clean, scale)
        got, _ = run_script(faulty, scale)
        refused = faulty.stats()["refused"]
        sent = {"clean": clean.stats()["total"], "faulty": faulty.stats()["total"]}
    finally:
        clean.close()
        faulty.close()

    edits = sum(map(len, batches))
    print(f"\nscript: {scale.plans} plans, {edits} buyer edits in {len(batches)} batches")
    print(f"faults answered by the stand-in: {refused}")
    print(f"steps done again (a create, an edit, a tick): {faulty.retried_steps}")
    print(f"requests served: {sent}")
    for name, count in expected.counts.items():
        print(f"  {name}: clean {count}, faulty {got.counts[name]}")

    assert not differences(expected, got), differences(expected, got)
    assert sum(refused.values()) > 0.05 * sent["faulty"]  # the faults really happened
    assert "429 quota" in refused
    assert any(kind.endswith("after applying") for kind in refused)
    assert got.activity_duplicates == expected.activity_duplicates == 0
    assert got.unshown_events == expected.unshown_events == 0
    assert got.spreadsheets == expected.spreadsheets == scale.plans + 1  # plans + one review
    assert got.counts == expected.counts
    assert got.events == expected.events
    assert got.snapshots == expected.snapshots
    assert got.review == expected.review


def test_faults_and_quota_change_nothing_in_the_end(
    tmp_path: Path, new_database: Callable[[str], str]
) -> None:
    _soak(tmp_path, new_database, DEFAULT, COMPRESSED_QUOTA)


@pytest.mark.slow
def test_the_full_soak_50_plans_500_edits_real_quota_window(
    tmp_path: Path, new_database: Callable[[str], str]
) -> None:
    _soak(tmp_path, new_database, FULL, REAL_QUOTA)
