"""Benchmark plan creation against the stand-in: requests and time per plan.

    .venv/bin/python scripts/bench/bench_create.py --plans 100 --latency-ms 100

Each plan goes through the same PlanCreator as `map-addon plan create`: one spreadsheets.create
and one permissions.create per person shared with (two buyers + the service account here).
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime

from _common import bench_plan_request, local_stack, stand_in_stats

from localgoogle.knobs import Knobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=100)
    args = parser.parse_args()
    today = datetime.now(UTC).date()
    with local_stack(Knobs(latency_ms=args.latency_ms)) as stack:
        seconds: list[float] = []
        for n in range(args.plans):
            request = bench_plan_request(n, today, owner=f"seller{n % 5}@vendor.example")
            start = time.perf_counter()
            stack.services.creator.create(request)
            seconds.append(time.perf_counter() - start)
        counts = stack.services.google.counter.snapshot().as_json()
        served = stand_in_stats(stack.url)["total"]
    plans = args.plans
    print(f"plan creation: {plans} plans, stand-in latency {args.latency_ms} ms per request")
    print(
        f"  requests per plan: sheets {counts.get('sheets', 0) / plans:.2f}, "
        f"drive {counts.get('drive', 0) / plans:.2f} (stand-in served {served / plans:.2f})"
    )
    print(
        f"  time per plan: mean {statistics.mean(seconds) * 1000:.0f} ms, "
        f"p50 {statistics.median(seconds) * 1000:.0f} ms, "
        f"p95 {sorted(seconds)[int(0.95 * (plans - 1))] * 1000:.0f} ms"
    )
    print(f"  total: {sum(seconds):.1f} s")


if __name__ == "__main__":
    main()
