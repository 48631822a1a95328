"""Benchmark the watch: N plans, K of them edited by their buyers, at a given latency.

    .venv/bin/python scripts/bench/bench_watch.py --plans 1000 --edited 50 --latency-ms 100

Setup (creating the plans, the buyers' edits) runs with no added latency and is not measured;
then the latency is switched on and three ticks are measured: nothing changed, K plans changed,
and nothing changed again (the product's own Activity writes must not cost a read).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from addon.config import Config
from addon.domain.plan_request import build_plan_request
from addon.google.clients import Backend, sheets_service
from addon.localgoogle.knobs import Knobs
from addon.localgoogle.server import serve_in_thread
from addon.services.context import Services

TEMPLATES = ("enterprise-saas", "mid-market", "regulated-security", "expansion-renewal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--edited", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=100)
    args = parser.parse_args()
    today = datetime.now(UTC).date()
    with tempfile.TemporaryDirectory() as tmp:
        knobs = Knobs()
        running = serve_in_thread(Path(tmp) / "lg", knobs=knobs)
        config = Config.from_env({"MAP_LOCAL_GOOGLE_URL": running.url, "MAP_DATA_DIR": tmp})
        services = Services(config)
        services.watcher.tick()  # the change feed starts before the plans exist

        def create(n: int) -> tuple[str, str]:
            request = build_plan_request(
                deal_name=f"Bench deal {n}",
                buyer_company=f"Buyer {n}",
                buyer_emails=[f"ann{n}@buyer{n}.example"],
                go_live=today.replace(year=today.year + 1).isoformat(),
                template=TEMPLATES[n % len(TEMPLATES)],
                owner=f"seller{n % 10}@vendor.example",
                request_key=f"bench-{n}",
                today=today,
            )
            return services.creator.create(request).spreadsheet_id, request.buyer_emails[0]

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=4) as pool:
            plans = list(pool.map(create, range(args.plans)))
        setup_create = time.perf_counter() - started
        services.watcher.tick()  # the plans' creation: recognised, not read
        knobs.latency_ms = args.latency_ms
        rows = [_measure("nothing changed", services, running.url)]
        knobs.latency_ms = 0

        def edit(plan: tuple[str, str]) -> None:
            sid, buyer = plan
            sheets_service(Backend.local(running.url, buyer)).spreadsheets().values().update(
                spreadsheetId=sid,
                range="Plan!G2:H2",
                valueInputOption="USER_ENTERED",
                body={"values": [["Done", today.isoformat()]]},
            ).execute()

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(edit, plans[: args.edited]))

        knobs.latency_ms = args.latency_ms
        rows.append(_measure(f"{args.edited} plans changed", services, running.url))
        rows.append(_measure("nothing changed again", services, running.url))
        services.close()
        running.stop()
    print(
        f"watch: {args.plans} plans, {args.edited} edited, stand-in latency {args.latency_ms} ms "
        f"(setup: {args.plans} plans created in {setup_create:.0f} s, not measured)"
    )
    print(f"{'tick':<26}{'plans read':>11}{'events':>8}{'sheets':>8}{'drive':>7}{'seconds':>9}")
    for label, read, events, sheets, drive, seconds in rows:
        print(f"{label:<26}{read:>11}{events:>8}{sheets:>8}{drive:>7}{seconds:>9.2f}")


def _measure(label: str, services: Services, url: str) -> tuple[str, int, int, int, int, float]:
    """One tick: plans read, events, Sheets and Drive requests served, seconds."""
    before = _served(url)
    start = time.perf_counter()
    result = services.watcher.tick()
    seconds = time.perf_counter() - start
    after = _served(url)

    def spent(api: str) -> int:
        return sum(n - before.get(m, 0) for m, n in after.items() if m.startswith(api + "."))

    changed = len(result.changed_plans)
    return label, changed, len(result.events), spent("sheets"), spent("drive"), seconds


def _served(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/_local/stats") as response:
        return dict(json.loads(response.read())["by_method"])


if __name__ == "__main__":
    main()
