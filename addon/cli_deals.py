"""`map-addon deal`: close a deal as won or lost, put it on hold, reopen it, end its sharing."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from .cli_args import email, iso_date

if TYPE_CHECKING:
    from .services.context import Services


class DealUsageError(ValueError):
    """Bad input or a move the rules refuse: exit status 2 with a one-line message."""


def add_commands(sub: Any) -> None:
    """Register `deal close|hold|reopen|end-sharing` on the CLI's subparsers."""
    deal = sub.add_parser("deal", help="won, lost, on hold or reopened: a deal's outcome")
    dsub = deal.add_subparsers(dest="deal_command", required=True, metavar="ACTION")
    ref_help = (
        "the deal id `plan create --json` prints, or the plan's spreadsheet id, e.g. d_4fQe1kZr9aBc"
    )

    close = _add_close(dsub, ref_help)

    hold = dsub.add_parser("hold", help="put the deal on hold until a date")
    hold.add_argument("deal_id", metavar="DEAL_ID", help=ref_help)
    hold.add_argument(
        "--until",
        required=True,
        metavar="YYYY-MM-DD",
        type=iso_date,
        help="when to revisit, e.g. --until 2027-01-15",
    )

    reopen = dsub.add_parser("reopen", help="open a won, lost or on-hold deal again")
    reopen.add_argument("deal_id", metavar="DEAL_ID", help=ref_help)

    end = dsub.add_parser("end-sharing", help="a lost deal: unshare its plan from the buyers")
    end.add_argument("deal_id", metavar="DEAL_ID", help=ref_help)

    for parser in (close, hold, reopen, end):
        parser.add_argument(
            "--by",
            default=None,
            metavar="EMAIL",
            type=email,
            help="who does it (default: the deal's owner), e.g. --by sam@vendor.example",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="print one JSON object, e.g. deal reopen DEAL_ID --json",
        )


def _add_close(dsub: Any, ref_help: str) -> argparse.ArgumentParser:
    """deal close: won or lost, and what goes with each."""
    close: argparse.ArgumentParser = dsub.add_parser("close", help="mark the deal won or lost")
    close.add_argument("deal_id", metavar="DEAL_ID", help=ref_help)
    outcome = close.add_mutually_exclusive_group(required=True)
    outcome.add_argument(
        "--won", action="store_true", help="the buyer signed, e.g. deal close DEAL_ID --won"
    )
    outcome.add_argument(
        "--lost", action="store_true", help="the deal is lost, e.g. deal close DEAL_ID --lost"
    )
    close.add_argument(
        "--reason",
        default=None,
        help="lost: Price, Competitor, No decision, Timing, Budget, Product fit or Other, "
        "optionally followed by ': your words' (other text counts as Other), "
        "e.g. --reason 'Timing: budget frozen'",
    )
    close.add_argument(
        "--competitor", default=None, metavar="NAME", help="lost: to whom, e.g. --competitor Rival"
    )
    close.add_argument(
        "--success-owner",
        default=None,
        metavar="EMAIL",
        type=email,
        help="won: the customer-success owner who takes onboarding on, "
        "e.g. --success-owner cas@vendor.example",
    )
    return close


def run_command(args: argparse.Namespace, services: Services) -> int:
    """Run a `deal` action; DealUsageError for an unknown deal or a refused move."""
    from .domain.outcome import InvalidOutcome
    from .services.deal_outcome import UnknownDeal

    lifecycle = services.lifecycle
    try:
        deal = lifecycle.find(args.deal_id)
        by = args.by or deal.owner_email
        if args.deal_command == "end-sharing":
            ended = lifecycle.end_sharing(deal.deal_id, by=by)
            return _print(args, {"deal_id": deal.deal_id, "unshared": ended}, _ended(ended))
        if args.deal_command == "close":
            if args.won and (args.reason or args.competitor):
                raise DealUsageError("--reason and --competitor go with --lost only")
            change = lifecycle.close(
                deal.deal_id,
                won=args.won,
                by=by,
                reason=args.reason,
                competitor=args.competitor,
                success_owner=args.success_owner,
            )
        elif args.deal_command == "hold":
            change = lifecycle.hold(deal.deal_id, until=args.until, by=by)
        else:
            change = lifecycle.reopen(deal.deal_id, by=by)
    except (UnknownDeal, InvalidOutcome) as exc:
        raise DealUsageError(str(exc)) from exc
    body = change.as_json()
    text = f"{deal.name} ({deal.deal_id}): {body['describe']}"
    if change.warning:
        text += f"\nwarning: {change.warning}"
    return _print(args, body, text)


def _ended(emails: list[str]) -> str:
    if not emails:
        return "no buyer had access to the plan"
    return "the plan is no longer shared with " + ", ".join(emails)


def _print(args: argparse.Namespace, body: dict[str, Any], text: str) -> int:
    print(json.dumps(body, indent=2) if args.json else text)
    return 0
