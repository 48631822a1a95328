"""Benchmark plan creation against the stand-in: requests and time per plan.

    .venv/bin/python scripts/bench/bench_create.py --plans 100 --latency-ms 100

Each plan goes through the same PlanCreator as `map-addon plan create`: one spreadsheets.create
and one permissions.create per person shared with (two buyers + the service account here).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from addon.config import Config
from addon.domain.plan_request import build_plan_request
from addon.google.gateway import GoogleFactory
from addon.localgoogle.knobs import Knobs
from addon.localgoogle.server import serve_in_thread
from addon.services.create_plan import PlanCreator
from addon.store import Store

TEMPLATES = ("enterprise-saas", "mid-market", "regulated-security", "expansion-renewal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--latency-ms", type=int, default=100)
    args = parser.parse_args()
    today = datetime.now(UTC).date()
    with tempfile.TemporaryDirectory() as tmp:
        running = serve_in_thread(Path(tmp) / "lg", knobs=Knobs(latency_ms=args.latency_ms))
        config = Config.from_env({"MAP_LOCAL_GOOGLE_URL": running.url, "MAP_DATA_DIR": tmp})
        store = Store.open(config.database_url)
        factory = GoogleFactory(config)
        creator = PlanCreator(store, factory, config.service_account)
        seconds: list[float] = []
        for n in range(args.plans):
            request = build_plan_request(
                deal_name=f"Bench deal {n}",
                buyer_company=f"Buyer {n}",
                buyer_emails=[f"ann{n}@buyer{n}.example", f"bob{n}@buyer{n}.example"],
                go_live=today.replace(year=today.year + 1).isoformat(),
                template=TEMPLATES[n % len(TEMPLATES)],
                owner=f"seller{n % 5}@vendor.example",
                amount="100000",
                request_key=f"bench-{n}",
                today=today,
            )
            start = time.perf_counter()
            creator.create(request)
            seconds.append(time.perf_counter() - start)
        counts = factory.counter.snapshot().as_json()
        with urllib.request.urlopen(f"{running.url}/_local/stats") as response:
            served = json.loads(response.read())["total"]
        store.close()
        running.stop()
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
