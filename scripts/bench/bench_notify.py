"""Benchmark a notification pass: N live deals, on a Monday, through the stand-in's Gmail.

    .venv/bin/python scripts/bench/bench_notify.py --deals 1000 --latency-ms 0

Setup is not measured: N deals of 2 buyers each, made from the shipped templates three weeks
before the pass (so some steps are overdue, some due this week), are written to the store with
the snapshot plan creation takes (the pass reads only the store; no plan spreadsheet is needed).
Then one pass is measured, and a second pass (nothing left to send). Prints messages by kind,
Gmail requests (users.messages.send and users.drafts.create) and seconds, as JSON.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from _common import TEMPLATES, local_stack, stand_in_stats

from addon.domain.model import PlanDocument, Side
from addon.domain.schedule import schedule
from addon.domain.snapshot import initial_snapshot
from addon.domain.templates import find_template
from addon.services.context import Services
from addon.store import DealRecord, DealStatus, PersonRecord
from localgoogle.knobs import Knobs


def _monday_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _store_deals(services: Services, count: int, made: date) -> None:
    store = services.store
    stamp = datetime.combine(made, datetime.min.time(), tzinfo=UTC)
    with store.transaction() as tx:
        for n in range(count):
            template = find_template(TEMPLATES[n % len(TEMPLATES)])
            assert template.typical_weeks is not None
            go_live = made + timedelta(weeks=template.typical_weeks[1])
            owner = f"seller{n % 10}@vendor.example"
            buyers = tuple(
                PersonRecord(f"{name}{n}@buyer{n}.example", Side.BUYER, name.title(), None, True)
                for name in ("ann", "bob")
            )
            deal_id = f"d_bench{n:07d}"
            tx.deals.insert(
                DealRecord(
                    deal_id=deal_id,
                    name=f"Bench deal {n}",
                    buyer_company=f"Buyer {n}",
                    owner_email=owner,
                    template=template.name,
                    template_version=template.version,
                    go_live=go_live,
                    created_at=stamp,
                    updated_at=stamp,
                    spreadsheet_id=f"sheet-{n}",
                    url=f"https://docs.google.com/spreadsheets/d/sheet-{n}/edit",
                    status=DealStatus.READY,
                    people=buyers,
                )
            )
            plan = schedule(template, go_live, made)
            document = PlanDocument(deal_id, f"Bench deal {n}", f"Buyer {n}", template, plan)
            tx.snapshots.insert(deal_id, initial_snapshot(document, owner), taken_at=stamp)


def _gmail_requests(url: str) -> int:
    methods = stand_in_stats(url)["by_method"]
    return sum(
        n
        for m, n in methods.items()
        if m.startswith("gmail.") and m.endswith(("messages.send", "drafts.create"))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=0)
    args = parser.parse_args()
    today = _monday_after(datetime.now(UTC).date())
    made = today - timedelta(weeks=3)
    knobs = Knobs()
    with local_stack(knobs) as stack:
        services = stack.services
        _store_deals(services, args.deals, made)
        notifier = services.notifier
        notifier.today = lambda: today
        knobs.latency_ms = args.latency_ms
        figures = {}
        for name in ("first pass", "second pass"):
            before = _gmail_requests(stack.url)
            start = time.perf_counter()
            result = notifier.run_once()
            seconds = time.perf_counter() - start
            kinds = Counter(item["kind"] for item in [*result.sent, *result.drafted])
            figures[name] = {
                "messages": dict(sorted(kinds.items())),
                "sent": len(result.sent),
                "drafted": len(result.drafted),
                "skipped": len(result.skipped),
                "gmail_requests": _gmail_requests(stack.url) - before,
                "seconds": round(seconds, 2),
            }
    print(json.dumps({"deals": args.deals, "latency_ms": args.latency_ms, **figures}, indent=2))


if __name__ == "__main__":
    main()
