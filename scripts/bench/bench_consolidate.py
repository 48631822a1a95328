"""Benchmark the review computation on N deals from the store, against a row-by-row version.

    .venv/bin/python scripts/bench/bench_consolidate.py --deals 10000

Builds a SQLite store of N deals (their plans scheduled from the shipped templates, steps
finished and overdue at random, buyer events), loads it as `consolidate` does, then times the
vectorised review (every tab) and, as the baseline, a straightforward per-deal loop computing the
same Pipeline figures (% done, overdue steps by side, days since the buyer's last edit). Both are
run without and then with tracemalloc for peak memory; the figures are checked to agree.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from addon.domain.model import PlanDocument, Side
from addon.domain.review_all import review_frames
from addon.domain.review_input import ReviewInput
from addon.domain.schedule import schedule
from addon.domain.snapshot import initial_snapshot
from addon.domain.templates import load_templates
from addon.services.consolidate import load_review_input
from addon.store import (
    DealRecord,
    DealStatus,
    EventRecord,
    PersonRecord,
    Store,
)


def build_store(path: Path, count: int, today: date, seed: int) -> None:
    """N deals with a snapshot each and a few buyer events, written in large transactions."""
    rng = random.Random(seed)
    templates = load_templates()
    now = datetime.now(UTC)
    store = Store.open(f"sqlite:///{path}")
    for start in range(0, count, 1000):
        with store.transaction() as tx:
            for n in range(start, min(count, start + 1000)):
                template = templates[n % len(templates)]
                go_live = today + timedelta(days=rng.randint(20, 200))
                plan = schedule(template, go_live, today - timedelta(days=60))
                deal_id = f"d_bench{n:07d}"
                owner = f"seller{n % 40}@vendor.example"
                buyer = f"buyer{n}@buyer{n % 500}.example"
                created = now - timedelta(days=rng.randint(1, 90))
                tx.deals.insert(
                    DealRecord(
                        deal_id=deal_id,
                        name=f"Deal {n}",
                        buyer_company=f"Buyer {n % 500}",
                        owner_email=owner,
                        template=template.name,
                        template_version=template.version,
                        go_live=go_live,
                        signature_target=plan.signature_date,
                        amount=Decimal(rng.randint(10, 900) * 1000),
                        created_at=created,
                        updated_at=created,
                        spreadsheet_id=f"sheet{n}",
                        url=f"https://docs.google.com/spreadsheets/d/sheet{n}/edit",
                        status=DealStatus.READY,
                        people=(
                            PersonRecord(buyer, Side.BUYER, shared=True),
                            PersonRecord(owner, Side.SELLER, shared=True),
                        ),
                    )
                )
                document = PlanDocument(deal_id, f"Deal {n}", "Buyer", template, plan)
                snapshot = initial_snapshot(document, owner)
                for step in snapshot["steps"]:
                    if rng.random() < 0.35:
                        step["status"] = "Done"
                tx.snapshots.insert(deal_id, snapshot, taken_at=created)
                tx.events.insert_many(
                    EventRecord(
                        event_id=f"e_{n}_{k}",
                        deal_id=deal_id,
                        kind="step_done",
                        occurred_at=created + timedelta(days=rng.randint(0, 30)),
                        recorded_at=now,
                        actor_side=Side.BUYER if k % 2 == 0 else Side.SELLER,
                        actor_email=buyer,
                        subject="discovery",
                    )
                    for k in range(rng.randint(0, 4))
                )
    store.close()


def load(path: Path, today: date) -> ReviewInput:
    """What `consolidate` reads, loaded by the same function it uses."""
    with Store.open(f"sqlite:///{path}") as store:
        return load_review_input(store, today)


def row_by_row(data: ReviewInput) -> dict[str, tuple[int, int, int, int]]:
    """The baseline: per deal, (% done, overdue buyer, overdue seller, days since buyer edit)."""
    out = {}
    for deal in data.deals:
        steps = data.snapshots.get(deal.deal_id, {}).get("steps", [])
        done = overdue_buyer = overdue_seller = 0
        for step in steps:
            is_done = str(step.get("status") or "").strip().lower() == "done"
            done += is_done
            due = step.get("due")
            if due and not is_done and date.fromisoformat(due) < data.today:
                side = str(step.get("owner_side") or "").strip().lower()
                overdue_buyer += side in ("buyer", "both")
                overdue_seller += side in ("seller", "both")
        percent = round(done * 100 / len(steps)) if steps else 0
        buyer_times = [
            e.occurred_at for e in data.events.get(deal.deal_id, ()) if e.actor_side == "buyer"
        ]
        since = max(buyer_times) if buyer_times else deal.created_at
        silent = max(0, (data.today - since.astimezone(UTC).date()).days)
        out[deal.deal_id] = (percent, overdue_buyer, overdue_seller, silent)
    return out


def vectorised_figures(data: ReviewInput) -> Any:
    """The same four figures the vectorised way (the steps table, progress and silence)."""
    from addon.domain.review import _progress, steps_frame
    from addon.domain.review_base import buyer_silence, events_frame

    steps = steps_frame(data)
    return _progress(data, steps), buyer_silence(data, events_frame(data))


def measure(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, seconds without tracing, peak MiB with tracemalloc in a second run)."""
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    today = datetime.now(UTC).date()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "map.sqlite3"
        started = time.perf_counter()
        build_store(path, args.deals, today, args.seed)
        built = time.perf_counter() - started
        data, load_s, load_mib = measure(lambda: load(path, today))
    (frames, risks), pandas_s, pandas_mib = measure(lambda: review_frames(data))
    _, same_s, same_mib = measure(lambda: vectorised_figures(data))
    baseline, base_s, base_mib = measure(lambda: row_by_row(data))
    pipeline = frames["Pipeline"].set_index("deal_id")
    columns = ["% done", "Overdue (buyer)", "Overdue (seller)", "Days since buyer edit"]
    vectorised = {k: tuple(int(v) for v in row) for k, row in pipeline[columns].iterrows()}
    agree = sum(vectorised[k] == baseline[k] for k in baseline)
    steps = len(frames["Steps"])
    print(
        f"consolidate: {args.deals} deals, {steps} steps, {len(risks)} risks "
        f"(store built in {built:.0f} s, not measured)"
    )
    print(f"{'stage':<44}{'seconds':>9}{'peak MiB':>10}")
    print(f"{'load from the store (SQLite)':<44}{load_s:>9.2f}{load_mib:>10.0f}")
    print(f"{'review, every tab (vectorised pandas)':<44}{pandas_s:>9.2f}{pandas_mib:>10.0f}")
    print(f"{'4 pipeline figures, vectorised':<44}{same_s:>9.2f}{same_mib:>10.0f}")
    print(f"{'4 pipeline figures, row by row (baseline)':<44}{base_s:>9.2f}{base_mib:>10.0f}")
    print(f"the two agree on {agree} of {len(baseline)} deals' figures")


if __name__ == "__main__":
    main()
