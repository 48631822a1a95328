"""`map-addon notify`: one pass of reminders (or one every --interval seconds)."""

from __future__ import annotations

import argparse
import json
import time
from typing import TYPE_CHECKING, Any

from .cli_args import seconds
from .cli_progress import Progress, count_mail

if TYPE_CHECKING:
    from .services.context import Services


def add_commands(sub: Any) -> None:
    notify = sub.add_parser("notify", help="send the reminders due today, each once, as the seller")
    notify.add_argument(
        "--once", action="store_true", help="one pass, then exit, e.g. notify --once"
    )
    notify.add_argument(
        "--json", action="store_true", help="print each pass as JSON, e.g. notify --once --json"
    )
    notify.add_argument(
        "--interval",
        type=seconds,
        default=3600.0,
        metavar="SECONDS",
        help="seconds between passes, e.g. --interval 600 (default 3600)",
    )


def run_notify(args: argparse.Namespace, services: Services) -> int:
    progress = Progress(as_json=args.json)
    count_mail(services, progress)
    while True:
        progress.show("Looking for reminders due…")
        result = services.notifier.run_once()
        progress.clear()
        if args.json:
            print(json.dumps(result.as_json(), indent=2), flush=True)
        else:
            print(
                f"{len(result.sent)} sent, {len(result.drafted)} drafted, "
                f"{len(result.skipped)} skipped",
                flush=True,
            )
            for item in result.sent:  # a reminder names its steps, a team digest its team
                about = ", ".join(item.get("steps") or ()) or item.get("team") or ""
                print(f"  {item['kind']:<8} {item['to']}  {item['deal_id']}  {about}".rstrip())
            for item in result.skipped:
                print(f"  skipped  {item['to']}  {item['deal_id']}: {item['reason']}")
        if args.once:
            return 0
        time.sleep(args.interval)
