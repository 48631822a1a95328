"""`map-addon watch`: turn buyer edits into events, once or every few seconds."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TYPE_CHECKING, Any

from .cli_args import seconds
from .cli_progress import Progress, count_plan_reads

if TYPE_CHECKING:
    from .services.context import Services


def add_commands(sub: Any) -> None:
    watch = sub.add_parser("watch", help="read changed plans and record their events")
    watch.add_argument("--once", action="store_true", help="one tick, then exit, e.g. watch --once")
    watch.add_argument(
        "--interval",
        type=seconds,
        default=30.0,
        metavar="SECONDS",
        help="seconds between ticks, e.g. --interval 10 (default 30)",
    )
    watch.add_argument(
        "--json", action="store_true", help="print each tick as one JSON object, e.g. --once --json"
    )


def run_watch(args: argparse.Namespace, services: Services) -> int:
    """Tick once (--once) or until Ctrl-C, printing what each tick found."""
    services.require_backend()
    progress = Progress(as_json=args.json)
    count_plan_reads(services, progress)
    while True:
        before = services.google.counter.snapshot()
        result = services.watcher.tick()
        progress.clear()
        requests = (services.google.counter.snapshot() - before).as_json()
        if args.json:
            print(json.dumps(result.as_json(requests), default=str), flush=True)
        else:
            _print_human(result, requests)
        if args.once:
            return 1 if result.failed else 0
        time.sleep(args.interval)


def _print_human(result: Any, requests: dict[str, int]) -> None:
    from .domain.events import describe

    cost = f"{requests.get('sheets', 0)} Sheets + {requests.get('drive', 0)} Drive requests"
    print(
        f"{len(result.changed_plans)} plan(s) read, {len(result.events)} new event(s), "
        f"{len(result.data_issues)} data issue(s) ({cost})",
        flush=True,
    )
    for event in result.events:
        who = event.actor.email or "someone"
        print(f"  {event.deal_id}  {who} ({event.actor.side}): {describe(event)}")
    for deal_id, issue in result.data_issues:
        print(f"  {deal_id}  data issue: {issue.message}", file=sys.stderr)
