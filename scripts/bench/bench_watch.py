"""Benchmark the watch: N plans, K of them edited by their buyers, at a given latency.

    .venv/bin/python scripts/bench/bench_watch.py --plans 1000 --edited 50 --latency-ms 100

Setup (creating the plans, the buyers' edits) runs with no added latency and is not measured;
then the latency is switched on and three ticks are measured: nothing changed, K plans changed,
and nothing changed again (the product's own Activity writes must not cost a read).
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from _common import bench_plan_request, local_stack, measure

from addon.google.clients import Backend, sheets_service
from addon.services.context import Services
from localgoogle.knobs import Knobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=1000)
    parser.add_argument("--edited", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=100)
    args = parser.parse_args()
    today = datetime.now(UTC).date()
    knobs = Knobs()
    with local_stack(knobs) as stack:
        services, url = stack.services, stack.url
        services.watcher.tick()  # the change feed starts before the plans exist

        def create(n: int) -> tuple[str, str]:
            owner = f"seller{n % 10}@vendor.example"
            request = bench_plan_request(n, today, owner=owner, buyers=1, amount=None)
            return services.creator.create(request).spreadsheet_id, request.buyer_emails[0]

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=4) as pool:
            plans = list(pool.map(create, range(args.plans)))
        setup_create = time.perf_counter() - started
        services.watcher.tick()  # the plans' creation: recognised, not read
        knobs.latency_ms = args.latency_ms
        rows = [_measure("nothing changed", services, url)]
        knobs.latency_ms = 0

        def edit(plan: tuple[str, str]) -> None:
            sid, buyer = plan
            sheets_service(Backend.local(url, buyer)).spreadsheets().values().update(
                spreadsheetId=sid,
                range="Plan!G2:H2",
                valueInputOption="USER_ENTERED",
                body={"values": [["Done", today.isoformat()]]},
            ).execute()

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(edit, plans[: args.edited]))

        knobs.latency_ms = args.latency_ms
        rows.append(_measure(f"{args.edited} plans changed", services, url))
        rows.append(_measure("nothing changed again", services, url))
    print(
        f"watch: {args.plans} plans, {args.edited} edited, stand-in latency {args.latency_ms} ms "
        f"(setup: {args.plans} plans created in {setup_create:.0f} s, not measured)"
    )
    print(f"{'tick':<26}{'plans read':>11}{'events':>8}{'sheets':>8}{'drive':>7}{'seconds':>9}")
    for label, read, events, sheets, drive, seconds in rows:
        print(f"{label:<26}{read:>11}{events:>8}{sheets:>8}{drive:>7}{seconds:>9.2f}")


def _measure(label: str, services: Services, url: str) -> tuple[str, int, int, int, int, float]:
    """One tick: plans read, events, Sheets and Drive requests served, seconds."""
    tick = measure(url, services.watcher.tick)
    result = tick.result
    changed = len(result.changed_plans)
    return label, changed, len(result.events), tick.sheets, tick.drive, tick.seconds


if __name__ == "__main__":
    main()
