"""`map-addon consolidate`: the managers' pipeline review, written to their workbook."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .services.context import Services


def add_commands(sub: Any) -> None:
    review = sub.add_parser("consolidate", help="build the pipeline review workbook(s)")
    review.add_argument("--team", default=None, help="one team of teams.yaml (default: all)")
    review.add_argument("--xlsx", type=Path, default=None, help="also export to this .xlsx file")
    review.add_argument("--json", action="store_true")


def run_consolidate(args: argparse.Namespace, services: Services) -> int:
    """Catch up the watch, then write each team's review; print where and at what cost."""
    services.require_backend()
    from .services.consolidate import Consolidator, review_json, stderr_progress

    progress = stderr_progress(enabled=not args.json)
    reviews, reads, writes = Consolidator(services, progress=progress).run(args.team, args.xlsx)
    progress("")
    if args.json:
        print(json.dumps(review_json(reviews, reads, writes), indent=2))
        return 0
    for review in reviews:
        made = {
            "nothing": " (unchanged since the last review: nothing written)",
            "values": " (values updated)",
        }.get(review.written, "")
        if review.created:
            made = " (created and shared with the team's managers)"
        print(
            f"team {review.team}: {review.deals} deals, {review.risks} risks, "
            f"{review.data_issues} data issues -> {review.url}{made}"
        )
    print(f"requests: {reads.total} to catch up, {writes.total} to write")
    if args.xlsx:
        print(f"exported: {args.xlsx}")
    return 0
