"""`map-addon plan`, `templates` and `demo`: plans from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cli_args import email, existing_file, iso_date, whole_number
from .cli_progress import Progress, count_plan_reads
from .domain.plan_request import InvalidPlanRequest  # light: the CLI's input error

if TYPE_CHECKING:
    from .config import Config
    from .services.context import Services

# The commands import what they need when they run: `map-addon --help` stays instant.


JSON_HELP = "print one JSON object instead of text, e.g. {example} --json"


def add_commands(sub: Any) -> None:
    """Register the plan, templates and demo sub-commands on the CLI's subparsers."""
    plan = sub.add_parser("plan", help="create and list mutual action plans")
    plan_sub = plan.add_subparsers(dest="plan_command", required=True, metavar="ACTION")
    _add_plan_create(plan_sub)
    listing = plan_sub.add_parser("list", help="the plans in the store")
    listing.add_argument(
        "--owner",
        default=None,
        metavar="EMAIL",
        type=email,
        help="only this seller's plans, e.g. --owner sam@vendor.example",
    )
    listing.add_argument("--json", action="store_true", help=JSON_HELP.format(example="plan list"))
    _add_templates(sub)
    _add_demo(sub)


def _add_plan_create(plan_sub: Any) -> None:
    """plan create: its arguments."""
    create = plan_sub.add_parser("create", help="create a plan sheet for a deal and share it")
    create.add_argument("--deal", required=True, help="the deal's name, e.g. --deal 'Acme rollout'")
    create.add_argument(
        "--buyer-company", required=True, help="the buyer's company, e.g. --buyer-company Acme"
    )
    create.add_argument(
        "--buyer",
        action="append",
        required=True,
        metavar="EMAIL",
        type=email,
        help="a buyer to share the plan with; repeat for more, e.g. --buyer ann@acme.example",
    )
    create.add_argument(
        "--go-live",
        required=True,
        metavar="YYYY-MM-DD",
        type=iso_date,
        help="the buyer's go-live date, after today, e.g. --go-live 2027-06-01",
    )
    create.add_argument(
        "--template",
        required=True,
        help="the plan template (map-addon templates list), e.g. --template mid-market",
    )
    create.add_argument(
        "--owner",
        required=True,
        metavar="EMAIL",
        type=email,
        help="the selling owner, e.g. --owner sam@vendor.example",
    )
    create.add_argument(
        "--amount", default=None, help="deal amount, seller-internal, e.g. --amount 50000"
    )
    create.add_argument(
        "--request-key",
        default=None,
        help="makes retries safe: the same key creates one plan, e.g. --request-key crm-4411",
    )
    create.add_argument(
        "--message",
        default=None,
        help="invitation text for the buyers, e.g. --message 'Our plan to go live in June'",
    )
    create.add_argument("--json", action="store_true", help=JSON_HELP.format(example="plan create"))


def _add_templates(sub: Any) -> None:
    """templates list and templates check."""
    templates = sub.add_parser("templates", help="list or check plan templates")
    tsub = templates.add_subparsers(dest="templates_command", required=True, metavar="ACTION")
    tlist = tsub.add_parser("list", help="the available templates")
    tlist.add_argument(
        "--json", action="store_true", help=JSON_HELP.format(example="templates list")
    )
    tcheck = tsub.add_parser("check", help="validate template files (exit 2 if one is invalid)")
    tcheck.add_argument(
        "path",
        nargs="?",
        type=existing_file,
        default=None,
        help="one template file (default: all shipped), e.g. my-template.yaml",
    )


def _add_demo(sub: Any) -> None:
    """demo: its arguments."""
    demo = sub.add_parser("demo", help="fill the local stack with a realistic pipeline")
    demo.add_argument(
        "--deals",
        type=whole_number(1, 1000),
        default=12,
        help="how many demo plans, 1 to 1000, e.g. --deals 40 (default 12)",
    )
    demo.add_argument(
        "--seed", type=whole_number(0, 2**32 - 1), default=1, help="e.g. --seed 7 (default 1)"
    )
    demo.add_argument(
        "--weeks",
        type=whole_number(0, 12),
        default=3,
        help="simulated weeks of buyer edits, 0 to 12, e.g. --weeks 0 (default 3)",
    )
    demo.add_argument("--json", action="store_true", help=JSON_HELP.format(example="demo"))


def check_create(args: argparse.Namespace) -> None:
    """Every field of `plan create`, and its template, before a store or Google is touched."""
    from .config import Config
    from .domain.templates import TemplateError, find_template

    config = Config.from_env()
    args.request = _request(args, config)
    try:
        find_template(args.request.template, config.templates_dir)
    except TemplateError as exc:
        raise InvalidPlanRequest(str(exc)) from None


def _request(args: argparse.Namespace, config: Config) -> Any:
    """The plan request, checked as the sidebar's New plan form checks it
    (`domain/plan_checks.py`): every problem on one line. Buyers' roles are not asked here."""
    from .domain.plan_checks import BuyerEntry, PlanForm, check_plan_form, checked_request
    from .domain.templates import TemplateError, find_template
    from .services.context import today

    form = PlanForm(
        deal_name=args.deal,
        buyer_company=args.buyer_company,
        buyers=tuple(BuyerEntry(buyer) for buyer in args.buyer),
        go_live=args.go_live.isoformat(),
        template=args.template,
        amount=args.amount or "",
    )
    try:
        template = find_template(args.template.strip(), config.templates_dir)
    except TemplateError:
        template = None
    check = check_plan_form(
        form,
        owner=args.owner,
        template=template,
        today=today(),
        seller_domains=config.seller_domains,
        roles_required=False,
    )
    return checked_request(
        form,
        check,
        owner=args.owner,
        today=today(),
        request_key=args.request_key,
        invitation=args.message,
    )


def run_command(args: argparse.Namespace, services: Services) -> int:
    """Run a command registered by `add_commands`; raises InvalidPlanRequest for bad input."""
    if args.command == "templates":
        return _templates(args, services.templates_dir)
    if args.command == "plan" and args.plan_command == "list":
        return _plan_list(args, services)
    if args.command == "plan":
        return _plan_create(args, services)
    return run_demo(services, args.deals, args.seed, weeks=args.weeks, as_json=args.json)


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, default=str))


def _plan_create(args: argparse.Namespace, services: Services) -> int:
    request = getattr(args, "request", None) or _request(args, services.config)
    services.creator.template(request.template)  # an unknown template is a usage error
    services.require_backend()
    created = services.creator.create(request)
    counts = services.google.counter.snapshot().as_json()
    if args.json:
        _print_json(
            {
                "deal_id": created.deal_id,
                "spreadsheet_id": created.spreadsheet_id,
                "url": created.url,
                "shared_with": list(created.shared_with),
                "schedule_warnings": list(created.schedule_warnings),
                "requests": {"sheets": counts.get("sheets", 0), "drive": counts.get("drive", 0)},
            }
        )
        return 0
    verb = "Found existing" if created.reused else "Created"
    print(f"{verb} plan {created.deal_id}: {created.url}")
    print(f"  shared with: {', '.join(created.shared_with)}")
    for warning in created.schedule_warnings:
        print(f"  warning: {warning}")
    return 0


def _plan_list(args: argparse.Namespace, services: Services) -> int:
    owner = args.owner
    with services.store.transaction() as tx:
        deals = tx.deals.newest_first(owner_email=owner)
    rows = [
        {
            "deal_id": d.deal_id,
            "name": d.name,
            "buyer_company": d.buyer_company,
            "owner": d.owner_email,
            "template": d.template,
            "go_live": d.go_live.isoformat(),
            "signature_target": d.signature_target.isoformat() if d.signature_target else None,
            "status": d.status.value,
            "spreadsheet_id": d.spreadsheet_id,
            "url": d.url,
            "created_at": d.created_at.isoformat(),
        }
        for d in deals
    ]
    if args.json:
        _print_json({"deals": rows})
        return 0
    if not rows:
        print("no plans yet")
    for row in rows:
        print(f"{row['deal_id']}  {row['go_live']}  {row['status']:<10}  {row['name']}")
        print(f"    {row['owner']}  {row['url'] or '(no sheet yet)'}")
    return 0


def _templates(args: argparse.Namespace, directory: Path | None) -> int:
    from .domain.templates import TemplateError, check, check_all, load_templates, templates_dir

    if args.templates_command == "check":
        results = [check(args.path)] if args.path else check_all(directory)
        failed = False
        for result in results:
            for error in result.errors:
                print(f"error: {error}", file=sys.stderr)
            for warning in result.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            failed = failed or bool(result.errors)
            if not result.errors:
                print(f"ok: {result.path}")
        return 2 if failed else 0
    try:
        templates = load_templates(directory)
    except TemplateError as exc:
        raise InvalidPlanRequest(str(exc)) from None
    rows: list[dict[str, Any]] = [
        {
            "name": t.name,
            "title": t.title,
            "version": t.version,
            "steps": len(t.steps),
            "typical_weeks": list(t.typical_weeks) if t.typical_weeks else None,
            "description": t.description,
        }
        for t in templates
    ]
    if args.json:
        _print_json({"templates": rows, "directory": str(directory or templates_dir())})
        return 0
    for row in rows:
        weeks = "-".join(str(w) for w in row["typical_weeks"] or []) or "?"
        print(f"{row['name']:<22} {row['steps']:>3} steps  {weeks:>6} weeks  {row['title']}")
    return 0


def run_demo(
    services: Services, count: int, seed: int, *, weeks: int = 3, as_json: bool = False
) -> int:
    """Create `count` demo plans `weeks` weeks ago through the same service as `plan create`,
    then play each deal's story to today (addon/demo/pipeline.py): the buyers' and sellers'
    edits at their simulated times, the watch and the daily notification pass each day, and
    today's wins, losses and pauses.

    On a terminal a status line follows the plans and the weeks; the result goes to stdout.
    """
    from .demo.pipeline import play_demo

    if count < 1 or count > 1000:
        raise InvalidPlanRequest("--deals must be between 1 and 1000")
    if weeks < 0 or weeks > 12:
        raise InvalidPlanRequest("--weeks must be between 0 and 12")
    services.require_backend()
    progress = Progress(as_json=as_json)
    count_plan_reads(services, progress)
    run = play_demo(services, count, seed, weeks, say=progress.show)
    progress.clear()
    if as_json:
        counts = services.google.counter.snapshot().as_json()
        _print_json({**run.as_json(), "requests": counts})
        return 0
    fresh = sum(1 for deal in run.deals if deal.get("state") == "created")
    print(f"{count} demo plans: {fresh} created, {count - fresh} already there")
    for week in run.weeks:
        print(
            f"  week {week.week}: {week.edited_plans} plan(s) edited, {week.events} events, "
            f"{week.messages} message(s)"
        )
    for outcome in run.outcomes:
        print(f"  {outcome.get('name', outcome.get('deal_id'))}: {outcome.get('outcome')}")
    return 0
