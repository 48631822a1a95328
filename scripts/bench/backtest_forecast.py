"""Backtest of the projected close: synthetic deal histories with known slips, read as they ran.

    .venv/bin/python scripts/bench/backtest_forecast.py --deals 300 --seed 7

Each deal is a plan made from a shipped template (go-live at its typical length), then lived out
step by step on the template's tree with a hidden pace of its own (most deals a little slower than
planned, some much slower, a few faster), noise per step, and now and then a blocked step that
stalls for days (a slip the plan's dates never announced). That gives each deal its actual
signature day. The deal is then read as the product reads a plan, at 30, 14 and 7 calendar days
before that day: the steps finished by then are Done with their Done on date, the step under way
is In progress, the rest keep the dates the plan committed to. The product's forecast
(`addon.domain.review.forecast`, the code the review runs) projects the close from that snapshot;
the committed date is the signature the plan was made with.

Printed: per horizon, the mean and median absolute error in business days of the projection and
of the committed date against the actual close, and how often the projection was the closer of
the two. Progress goes to stderr, the table (markdown) to stdout.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from addon.domain.businessdays import add_business_days, business_days_between
from addon.domain.deal import DealRecord
from addon.domain.model import Milestone, PlanDocument, Template
from addon.domain.plan_schedule import plan_schedule
from addon.domain.review import forecast, steps_frame
from addon.domain.review_input import ReviewInput
from addon.domain.schedule import schedule
from addon.domain.snapshot import initial_snapshot
from addon.domain.templates import load_templates

HORIZONS = (30, 14, 7)  # calendar days before the actual close


@dataclass(frozen=True)
class Lived:
    """One step as it actually ran."""

    start: date
    finish: date


def live_out(
    template: Template, steps: list[dict[str, Any]], first: date, rng: random.Random
) -> tuple[dict[str, Lived], float]:
    """Run the plan's steps on its tree from `first` with a hidden pace; each step's real dates."""
    holidays = frozenset(template.holidays)
    plan = plan_schedule(template, steps)
    before = plan.predecessors()
    pace = rng.choice([0.9, 1.0, 1.1, 1.2, 1.3, 1.5, 1.8, 2.2])
    lived: dict[str, Lived] = {}
    pending = [step.key for step in plan.steps]
    while pending:
        for key in list(pending):
            if any(previous not in lived for previous in before[key]):
                continue
            step = plan.by_key()[key]
            ready = first
            for previous in before[key]:
                lag = plan.by_key()[previous].lag
                ready = max(ready, add_business_days(lived[previous].finish, 1 + lag, holidays))
            if step.milestone is not None:
                days = 1
            else:
                days = max(1, round(step.days * pace * rng.uniform(0.8, 1.3)))
                if rng.random() < 0.12:  # a blocked step: stalls for days nobody announced
                    days += rng.randint(3, 15)
            lived[key] = Lived(ready, add_business_days(ready, days - 1, holidays))
            pending.remove(key)
    return lived, pace


def observed(
    steps: list[dict[str, Any]], lived: dict[str, Lived], on: date
) -> list[dict[str, Any]]:
    """The Plan tab as it reads on day `on`: done, under way or as committed."""
    rows = []
    for row in steps:
        ran = lived.get(row["id"])
        if ran is not None and ran.finish < on:
            rows.append({**row, "status": "Done", "done_on": ran.finish.isoformat()})
        elif ran is not None and ran.start <= on:
            rows.append({**row, "status": "In progress"})
        else:
            rows.append(row)
    return rows


def simulate(deals: int, seed: int) -> list[tuple[int, int, int]]:
    """(horizon, projection error, committed error) in business days, per deal and horizon."""
    rng = random.Random(seed)
    templates = load_templates()
    results = []
    for number in range(deals):
        template = rng.choice(templates)
        holidays = frozenset(template.holidays)
        created = date(2027, 1, 4) + timedelta(days=rng.randint(0, 300))
        made = datetime.combine(created, datetime.min.time(), tzinfo=UTC)
        weeks = template.typical_weeks[1] if template.typical_weeks else 8
        go_live = add_business_days(created, weeks * 5, holidays)
        plan = schedule(template, go_live, created)
        document = PlanDocument(f"d{number}", "Deal", "Buyer", template, plan)
        steps = initial_snapshot(document, "seller@seller.example")["steps"]
        committed = plan.signature_date
        if committed is None:
            continue
        lived, _ = live_out(template, steps, created, rng)
        signature = next(s.spec.id for s in plan.steps if s.spec.milestone is Milestone.SIGNATURE)
        actual = lived[signature].start
        for horizon in HORIZONS:
            on = actual - timedelta(days=horizon)
            if on <= created:
                continue
            data = ReviewInput(
                today=on,
                deals=(
                    DealRecord(
                        deal_id=f"d{number}",
                        name="Deal",
                        buyer_company="Buyer",
                        owner_email="seller@seller.example",
                        template=template.name,
                        template_version=template.version,
                        created_at=made,
                        updated_at=made,
                        go_live=go_live,
                        signature_target=committed,
                    ),
                ),
                snapshots={
                    f"d{number}": {
                        "steps": observed(steps, lived, on),
                        "deal": {},
                        "stakeholders": [],
                    }
                },
                events={},
                templates={template.name: template},
            )
            projected = forecast(data, steps_frame(data)).iloc[0]["projected_close"].date()
            results.append(
                (
                    horizon,
                    abs(business_days_between(actual, projected, holidays)),
                    abs(business_days_between(actual, committed, holidays)),
                )
            )
        if (number + 1) % 50 == 0:
            print(f"  {number + 1}/{deals} deals", file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    began = time.monotonic()
    results = simulate(args.deals, args.seed)
    print(
        f"Backtest: {args.deals} synthetic deals from the shipped templates, seed {args.seed}"
        f" ({time.monotonic() - began:.1f} s)\n"
    )
    print(
        "| days before close | deals | projection error, mean / median | "
        "committed date error, mean / median | projection closer | tied | committed closer |"
    )
    print("|---:|---:|---|---|---:|---:|---:|")
    for horizon in HORIZONS:
        rows = [(p, c) for h, p, c in results if h == horizon]
        if not rows:
            continue
        projected = [p for p, _ in rows]
        committed = [c for _, c in rows]
        closer = sum(p < c for p, c in rows)
        tied = sum(p == c for p, c in rows)
        print(
            f"| {horizon} | {len(rows)} | {statistics.mean(projected):.1f} / "
            f"{statistics.median(projected):g} | {statistics.mean(committed):.1f} / "
            f"{statistics.median(committed):g} | {closer} | {tied} | {len(rows) - closer - tied} |"
        )


if __name__ == "__main__":
    main()
