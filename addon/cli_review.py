"""`map-addon consolidate`: the managers' pipeline review, written to their workbook."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from .cli_args import xlsx_file
from .cli_progress import Progress, count_plan_reads

if TYPE_CHECKING:
    from .config import Config
    from .services.context import Services


def add_commands(sub: Any) -> None:
    review = sub.add_parser("consolidate", help="build the pipeline review workbook(s)")
    review.add_argument(
        "--team", default=None, help="one team of teams.yaml (default: all), e.g. --team northwind"
    )
    review.add_argument(
        "--xlsx",
        type=xlsx_file,
        default=None,
        metavar="FILE",
        help="also export to this .xlsx file (one per team when several: FILE-TEAM.xlsx), "
        "e.g. --xlsx review.xlsx",
    )
    review.add_argument(
        "--json", action="store_true", help="print one JSON object, e.g. consolidate --json"
    )


def check_team(args: argparse.Namespace, config: Config) -> None:
    """An unknown --team (or a broken teams file) ends the command before anything is read."""
    from .domain.teams import find_team, load_teams

    find_team(load_teams(config.teams_file), args.team)


def run_consolidate(args: argparse.Namespace, services: Services) -> int:
    """Catch up the watch, then write each team's review; print where and at what cost."""
    services.require_backend()
    from .services.consolidate import Consolidator, review_json

    progress = Progress(as_json=args.json)
    count_plan_reads(services, progress)
    reviews, reads, writes = Consolidator(services, progress=progress.show).run(
        args.team, args.xlsx
    )
    progress.clear()
    if args.json:
        print(json.dumps(review_json(reviews, reads, writes), indent=2))
        return 0
    for review in reviews:
        made = {
            "nothing": " (unchanged since the last review: nothing written)",
            "cells": " (values updated)",
            "fit and cells": " (values and column widths, filters and charts updated)",
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
