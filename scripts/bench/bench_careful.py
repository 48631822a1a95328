"""The product's consolidate against the CAREFUL SCRIPT (careful_script.py), side by side.

    .venv/bin/python scripts/bench/bench_careful.py --latency-ms 100 --plans 10 100

For each pipeline size N, on a fresh stand-in (latency on from the start, quota knob off, no
injected failures) and a fresh store, in one run:
1. set-up, not measured: N plans of the demo pipeline created with the product's PlanCreator and
   recognised by a watch tick; the product's first consolidate (creates the review workbook);
   the careful script's set-up (start token, summary sheet, every plan read once); then one more
   consolidate and one more script run, so that each has seen the other's set-up writes;
2. nothing changed: the product's consolidate, then the careful script, each `--repeat` times
   (the median is reported, the spread in the notes);
3. buyers edit K = 10% of N plans (at least 1) through the Sheets API as themselves (a demo week
   of edits each, as in report.py); then the product's consolidate (catches up the watch and
   writes the review) and then the careful script.
Both act as the service account and run alone, one after the other, so each one's requests are
the stand-in's counts before and after it (`GET /_local/stats`). With `--profile`, after the
measurements, one more of each product case runs under cProfile (main thread) and its biggest
costs go to stderr. Progress goes to stderr; the tables (markdown) to stdout.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from _common import local_stack, stand_in_stats
from careful_script import LABEL, CarefulScript, RunResult
from report import Pipeline, buyers_edit, create_plans, log, plans

from addon.demo.deals import demo_deals
from addon.domain.templates import load_templates
from addon.services.consolidate import Consolidator
from localgoogle.knobs import Knobs

T = TypeVar("T")
RATIO_TARGET = 1.25


@dataclass(frozen=True)
class Spent:
    """One measured operation: requests by stand-in method, wall seconds, what it returned."""

    result: Any
    methods: Counter[str]
    seconds: float

    def api(self, name: str) -> int:
        return sum(n for m, n in self.methods.items() if m.startswith(name + "."))

    @property
    def requests(self) -> int:
        return sum(self.methods.values())

    def detail(self) -> str:
        return ", ".join(f"{m} {n}" for m, n in sorted(self.methods.items()))


def spend(url: str, operation: Callable[[], T]) -> Spent:
    """Run `operation` alone against the stand-in: its requests by method and wall time."""
    before = stand_in_stats(url)["by_method"]
    start = time.perf_counter()
    result = operation()
    seconds = time.perf_counter() - start
    after = stand_in_stats(url)["by_method"]
    methods = Counter({m: n - before.get(m, 0) for m, n in after.items() if n > before.get(m, 0)})
    return Spent(result, methods, seconds)


@dataclass(frozen=True)
class Case:
    """One side-by-side case: the product's cost and the script's, on the same stand-in."""

    plans: int
    name: str
    product: Spent
    script: Spent
    product_seconds: list[float]
    script_seconds: list[float]

    @property
    def ratio(self) -> float:
        return statistics.median(self.product_seconds) / statistics.median(self.script_seconds)


def written(spent: Spent) -> str:
    reviews, _, _ = spent.result
    return "/".join(r.written for r in reviews)


def profile(operation: Callable[[], Any], title: str, lines: int = 18) -> None:
    """Run `operation` under cProfile and log its biggest cumulative costs."""
    profiler = cProfile.Profile()
    profiler.enable()
    operation()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
    stats.print_stats(lines)
    log(f"cProfile, {title}:\n{out.getvalue()}")


def run_size(
    count: int, latency_ms: int, seed: int, repeat: int, do_profile: bool, notes: list[str]
) -> list[Case]:
    today = datetime.now(UTC).date()
    edited = max(1, count // 10)
    chosen = list(range(0, count, count // edited))[:edited]
    cases: list[Case] = []
    with local_stack(Knobs(latency_ms=latency_ms)) as stack:
        services = stack.services
        services.watcher.tick()  # the change feed starts before the plans exist
        deals = demo_deals(count, seed, today, [t.name for t in load_templates()])
        log(f"N={count}: set-up: creating plans")
        pipeline = Pipeline(list(deals), create_plans(stack, deals, today))
        services.watcher.tick()

        def consolidate() -> Any:
            return Consolidator(services).run()

        log(f"N={count}: set-up: first consolidate and the careful script's set-up")
        consolidate()
        keys = [plan.spreadsheet_id for plan in pipeline.plans]
        script = CarefulScript.connect(stack.url, services.config.service_account, keys, today)
        script.set_up()
        settle = [written(spend(stack.url, consolidate)), script.run().wrote]
        log(f"N={count}: settled (product wrote {settle[0]}, script wrote {settle[1]})")

        log(f"N={count}: nothing changed, {repeat} time(s) each")
        quiet_product = [spend(stack.url, consolidate) for _ in range(repeat)]
        quiet_script = [spend(stack.url, script.run) for _ in range(repeat)]
        cases.append(_case(count, "nothing changed", quiet_product, quiet_script))
        notes.append(
            f"N={count}, nothing changed: the product wrote "
            f"{', '.join(written(s) for s in quiet_product)}; the script read "
            f"{', '.join(str(len(s.result.plans_read)) for s in quiet_script)} plans"
        )

        log(f"N={count}: buyers edit {plans(edited)}")
        buyers_edit(stack, pipeline, chosen, today)
        product = spend(stack.url, consolidate)
        script_run = spend(stack.url, script.run)
        name = f"{plans(edited)} of {count} edited by buyers"
        cases.append(_case(count, name, [product], [script_run]))
        result: RunResult = script_run.result
        notes.append(
            f"N={count}, {name}: the product's review write: {written(product)}; "
            f"the script read "
            f"{len(result.plans_read)} plans ({result.changes} changes in its feed) and "
            f"{'wrote' if result.wrote else 'did not write'} its summary"
        )
        notes.append(_agreement(count, product.result, script, pipeline))
        for case in cases[-2:]:
            notes.append(
                f"N={count}, {case.name}: product {case.product.detail()}; "
                f"script {case.script.detail()}"
            )
        if do_profile:
            profile(consolidate, f"N={count}, product consolidate, nothing changed", 60)
            buyers_edit(stack, pipeline, [(i + 1) % count for i in chosen], today)
            profile(consolidate, f"N={count}, product consolidate, {plans(edited)} edited")
    return cases


def _case(count: int, name: str, product: Sequence[Spent], script: Sequence[Spent]) -> Case:
    def median_of(runs: Sequence[Spent]) -> Spent:
        return sorted(runs, key=lambda s: s.seconds)[len(runs) // 2]

    return Case(
        count,
        name,
        median_of(product),
        median_of(script),
        [s.seconds for s in product],
        [s.seconds for s in script],
    )


def _agreement(count: int, ours: Any, script: CarefulScript, pipeline: Pipeline) -> str:
    """How many plans' % done the product's review and the script's summary agree on."""
    reviews, _, _ = ours
    # the review writes % done as a fraction (a percentage-formatted number), the script as 0-100
    product = reviews[0].frames["Pipeline"].set_index("deal_id")["% done"]
    same = sum(
        round(100 * float(product.get(plan.deal_id, -1)))
        == int(script.rows[plan.spreadsheet_id][2])
        for plan in pipeline.plans
    )
    return (
        f"N={count}: the product's review and the script's summary agree on % done for "
        f"{same}/{count} plans"
    )


def table(cases: Sequence[Case]) -> str:
    lines = [
        "| plans | case | who | requests | Sheets | Drive | seconds | time product / script |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case in cases:
        for who, spent, runs in (
            ("product consolidate", case.product, case.product_seconds),
            ("careful script", case.script, case.script_seconds),
        ):
            spread = f" ({min(runs):.2f}-{max(runs):.2f})" if len(runs) > 1 else ""
            verdict = ""
            if who == "careful script":
                met = "met" if case.ratio <= RATIO_TARGET else "**not met**"
                verdict = f"**{case.ratio:.2f}x** ({RATIO_TARGET}x {met})"
            lines.append(
                f"| {case.plans:,} | {case.name} | {who} | {spent.requests} | "
                f"{spent.api('sheets')} | {spent.api('drive')} | "
                f"{statistics.median(runs):.2f}{spread} | {verdict} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1, help="the demo pipeline's seed")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the nothing-changed case")
    parser.add_argument("--profile", action="store_true", help="cProfile the product after")
    args = parser.parse_args()
    if any(n < 1 or n > 1000 for n in args.plans):
        parser.error("--plans sizes must be between 1 and 1000 (the demo pipeline's limit)")
    started = time.perf_counter()
    cases: list[Case] = []
    notes: list[str] = []
    for count in args.plans:
        cases.extend(run_size(count, args.latency_ms, args.seed, args.repeat, args.profile, notes))
    print(
        f"Stand-in latency {args.latency_ms} ms per request; quota knob off, no injected "
        f"failures. Both act as the service account, one after the other. {LABEL}. "
        f"Nothing-changed seconds: median of {args.repeat} runs (min-max). "
        f"{os.cpu_count()} CPU(s); {datetime.now(UTC):%Y-%m-%d}.\n"
    )
    print(table(cases))
    print()
    for note in notes:
        print(f"- {note}.")
    print(f"- Total run time: {(time.perf_counter() - started) / 60:.1f} min.")


if __name__ == "__main__":
    main()
