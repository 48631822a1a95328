"""The benchmark report: the product's requests and time per operation against the BASELINE.

    .venv/bin/python scripts/bench/report.py --latency-ms 100 --plans 10 100 1000

For each pipeline size N, on a fresh stand-in (latency on from the start, quota knob off, no
injected failures) and a fresh store, in one run:
1. create N plans of the demo pipeline (`map-addon demo`'s deals: 2-4 buyers each, shipped
   templates) with the product's PlanCreator, a few plans at a time from a thread pool;
2. a watch tick right after (the plans' creation is recognised, not read);
3. a watch tick with nothing changed;
4. buyers edit K plans (10% of N, at least 1) through the Sheets API as themselves, each acting
   one week of the demo's engaged / slipping / expanding buyers; then a watch tick;
5. a first consolidate creates the review workbook (set-up, not in the table); buyers edit K
   other plans; then consolidate, which catches up the watch and rewrites the review of N plans;
6. the BASELINE (baseline_gspread.py, a straightforward gspread + gspread-dataframe script)
   reads the same N plans and writes its summary to a review spreadsheet made in set-up.
Requests are counted by the stand-in (`GET /_local/stats`); times are wall-clock. The ratios
divide the baseline's figures by the product's for the operations that answer its question.
Progress goes to stderr; the table (markdown) to stdout.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Any

from _common import Cost, Stack, local_stack, measure
from baseline_gspread import LABEL, client_for, create_review_sheet, run_baseline

from addon.demo.buyers import buyer_week
from addon.demo.deals import DemoDeal, demo_deals
from addon.domain.plan_request import build_plan_request
from addon.domain.templates import load_templates
from addon.services.consolidate import Consolidator
from addon.services.create_plan import PlanCreated
from addon.services.watch import REFRESH_CONCURRENCY
from localgoogle.knobs import Knobs

CREATE_WORKERS = 4
EDITING_PERSONAS = ("engaged", "slipping", "expanding")  # the demo's buyers who edit in week 1


@dataclass(frozen=True)
class Row:
    """One line of the table: an operation's cost, or a ratio of two costs."""

    plans: int
    operation: str
    cost: Cost[Any] | None = None
    budget: Budget | None = None
    ratio: tuple[float, float] | None = None  # (requests, seconds), baseline / ours


@dataclass(frozen=True)
class Budget:
    """The most requests DESIGN.md allows an operation (drive None: one per 1,000 changes)."""

    sheets: int
    drive: int | None

    def verdict(self, cost: Cost[Any]) -> str:
        drive = "1 per 1,000 changes" if self.drive is None else f"<= {self.drive:,}"
        within = cost.sheets <= self.sheets and (self.drive is None or cost.drive <= self.drive)
        return f"{'yes' if within else '**NO**'} (Sheets <= {self.sheets:,}, Drive {drive})"


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def every_tenth(label: str) -> Callable[[int, int], None]:
    """A progress callback that logs at every 10% of `total`."""
    started = time.perf_counter()

    def show(done: int, total: int) -> None:
        if done == total or done % max(1, total // 10) == 0:
            log(f"{label}: {done}/{total} ({time.perf_counter() - started:.0f} s)")

    return show


@dataclass(frozen=True)
class Pipeline:
    """The N plans created for one size, in creation order, with the buyer who edits each."""

    deals: list[DemoDeal]
    plans: list[PlanCreated]

    def buyer(self, index: int) -> str:
        return self.deals[index].buyer_emails[0]


def create_plans(stack: Stack, deals: Sequence[DemoDeal], today: date) -> list[PlanCreated]:
    """Each deal through the product's PlanCreator, CREATE_WORKERS at a time."""
    progress = every_tenth(f"creating {len(deals)} plans")

    def create(deal: DemoDeal) -> PlanCreated:
        return stack.services.creator.create(build_plan_request(**asdict(deal), today=today))

    plans = []
    with ThreadPoolExecutor(max_workers=CREATE_WORKERS) as pool:
        for plan in pool.map(create, deals):
            plans.append(plan)
            progress(len(plans), len(deals))
    return plans


def buyers_edit(stack: Stack, pipeline: Pipeline, indexes: Sequence[int], today: date) -> None:
    """The first buyer of each chosen plan makes one demo week of edits, as themselves."""

    def edit(index: int) -> None:
        plan = pipeline.plans[index]
        with stack.services.store.transaction() as tx:
            snapshot = tx.snapshots.latest(plan.deal_id)
        assert snapshot is not None, f"plan {plan.deal_id} has no snapshot"
        persona = EDITING_PERSONAS[index % len(EDITING_PERSONAS)]
        edits = buyer_week(snapshot.payload, persona, 1, today, random.Random(index))
        ranges = [{"range": e.range, "values": e.values} for e in edits]
        buyer = stack.services.google.as_user(pipeline.buyer(index))
        buyer.write_values(plan.spreadsheet_id, ranges, "USER_ENTERED")

    with ThreadPoolExecutor(max_workers=CREATE_WORKERS) as pool:
        list(pool.map(edit, indexes))


def plans(n: int) -> str:
    return f"{n} plan" if n == 1 else f"{n} plans"


def run_size(count: int, latency_ms: int, seed: int, notes: list[str]) -> list[Row]:
    """Every measured operation for a pipeline of `count` plans, on a fresh stack."""
    today = datetime.now(UTC).date()
    edited = max(1, count // 10)
    first_round = list(range(0, count, count // edited))[:edited]
    second_round = [(i + max(1, count // edited // 2)) % count for i in first_round]
    rows: list[Row] = []
    with local_stack(Knobs(latency_ms=latency_ms)) as stack:
        services = stack.services
        services.watcher.tick()  # the change feed starts before the plans exist
        deals = demo_deals(count, seed, today, [t.name for t in load_templates()])
        log(f"N={count}: creating plans ({CREATE_WORKERS} at a time)")
        created = measure(stack.url, lambda: create_plans(stack, deals, today))
        pipeline = Pipeline(list(deals), created.result)
        people = sum(len(deal.buyer_emails) + 1 for deal in deals)  # + the service account
        label = f"create {count} plans ({CREATE_WORKERS} at a time)"
        rows.append(Row(count, label, created, Budget(count, people)))

        log(f"N={count}: watch ticks")
        tick = measure(stack.url, services.watcher.tick)
        label = "watch tick, plans just created (recognised, not read)"
        rows.append(Row(count, label, tick, Budget(0, None)))
        quiet = measure(stack.url, services.watcher.tick)
        rows.append(Row(count, "watch tick, nothing changed", quiet, Budget(0, 1)))

        buyers_edit(stack, pipeline, first_round, today)
        after_edits = measure(stack.url, services.watcher.tick)
        read = len(after_edits.result.changed_plans)
        label = f"watch tick, {plans(edited)} edited by buyers ({read} read)"
        # + per plan with changes: one revisions.list, to credit each change to its author, and
        # one comments.list (the comments made since the last read)
        rows.append(Row(count, label, after_edits, Budget(2 * edited, 1 + 2 * edited)))

        log(f"N={count}: consolidate")
        Consolidator(services).run()  # set-up: creates the review workbook
        baseline_client = client_for(stack.url, services.config.service_account)
        review_key = create_review_sheet(baseline_client)  # set-up for the baseline
        buyers_edit(stack, pipeline, second_round, today)
        consolidate = measure(stack.url, lambda: Consolidator(services).run())
        label = f"consolidate: catch up ({plans(edited)} edited since) + review of {count}"
        rows.append(Row(count, label, consolidate, Budget(2 * edited + 3, 1 + 2 * edited)))

        log(f"N={count}: {LABEL}")
        keys = [plan.spreadsheet_id for plan in pipeline.plans]
        progress = every_tenth(f"baseline reading {count} plans")
        baseline = measure(
            stack.url, lambda: run_baseline(baseline_client, keys, review_key, today, progress)
        )
        rows.append(Row(count, f"{LABEL}: read {count} plans, write summary", baseline))
        for name, ours in (("consolidate", consolidate), ("watch tick, edits", after_edits)):
            rows.append(Row(count, f"ratio BASELINE / {name}", ratio=_ratio(baseline, ours)))
        notes.append(_agreement(count, consolidate.result, baseline.result, pipeline))
    return rows


def _ratio(baseline: Cost[Any], ours: Cost[Any]) -> tuple[float, float]:
    return baseline.requests / max(1, ours.requests), baseline.seconds / ours.seconds


def _agreement(count: int, ours: Any, baseline: Any, pipeline: Pipeline) -> str:
    """How many plans' % done the product's review and the baseline's summary agree on."""
    reviews, _, _ = ours
    product = reviews[0].frames["Pipeline"].set_index("deal_id")["% done"]
    theirs = baseline.summary["% done"].tolist()
    same = sum(
        int(product.get(plan.deal_id, -1)) == int(pct)
        for plan, pct in zip(pipeline.plans, theirs, strict=True)
    )
    note = f"N={count}: the product's review and the BASELINE agree on % done for {same}/{count}"
    log(note)
    return note


def table(rows: Sequence[Row]) -> str:
    """The rows as one markdown table."""
    lines = [
        "| plans | operation | requests | Sheets | Drive | requests/plan | seconds | ms/plan "
        "| within budget (DESIGN.md) |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        if row.cost is not None:
            c = row.cost
            lines.append(
                f"| {row.plans:,} | {row.operation} | {c.requests:,} | {c.sheets:,} | "
                f"{c.drive:,} | {c.requests / row.plans:.2f} | {c.seconds:.2f} | "
                f"{c.seconds * 1000 / row.plans:.1f} | "
                f"{row.budget.verdict(c) if row.budget else 'no budget (not the product)'} |"
            )
        elif row.ratio is not None:
            requests, seconds = row.ratio
            lines.append(
                f"| {row.plans:,} | **{row.operation}** | **{requests:.1f}x** | | | | "
                f"**{seconds:.1f}x** | | |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1, help="the demo pipeline's seed")
    args = parser.parse_args()
    if any(n < 1 or n > 1000 for n in args.plans):
        parser.error("--plans sizes must be between 1 and 1000 (the demo pipeline's limit)")
    started = time.perf_counter()
    rows: list[Row] = []
    notes: list[str] = []
    for count in args.plans:
        rows.extend(run_size(count, args.latency_ms, args.seed, notes))
    minutes = (time.perf_counter() - started) / 60
    print(
        f"Stand-in latency {args.latency_ms} ms per request; its quota knob off, no injected "
        f"failures. Create runs {CREATE_WORKERS} plans at a time (a thread pool; PlanCreator "
        f"creates one plan per call); the watch reads up to {REFRESH_CONCURRENCY} changed plans "
        "at a time (its own setting); the BASELINE reads one plan after another. "
        f"{os.cpu_count()} CPU(s); {datetime.now(UTC):%Y-%m-%d}.\n"
    )
    print(table(rows))
    print()
    for note in notes:
        print(f"- {note} plans.")
    print(f"- Total run time: {minutes:.1f} min.")


if __name__ == "__main__":
    main()
