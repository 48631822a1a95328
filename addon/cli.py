"""The `map-addon` command (see README: the CLI contract)."""

from __future__ import annotations

import argparse
import errno
import signal
import sys
import threading
import time
from collections.abc import Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlparse

from . import cli_deals, cli_notify, cli_plans, cli_review, cli_watch
from .cli_args import CliParser, data_folder, port, share, whole_number
from .cli_deals import DealUsageError
from .config import Config, ConfigError

if TYPE_CHECKING:
    from .services.context import Services

# Only the parser is built before the arguments are read: each command imports what it needs
# (pandas, the Google clients, the store) when it runs, so `map-addon --help` is instant.

DEMO_DEALS = 12  # the demo pipeline `run` makes on a first start


class UsageError(Exception):
    """Bad input from the command line: exit status 2 with a one-line message."""


def _parser() -> argparse.ArgumentParser:
    parser = CliParser(
        prog="map-addon",
        description="Mutual action plans that stay alive in Google Sheets.",
        epilog="Each command explains its options: map-addon COMMAND --help",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="the whole local stack: local Google + add-on app")
    run.add_argument(
        "--port", type=port, default=8080, help="add-on app port, e.g. --port 8081 (default 8080)"
    )
    demo = run.add_mutually_exclusive_group()
    demo.add_argument(
        "--no-demo", action="store_true", help="start without demo data, e.g. run --no-demo"
    )
    demo.add_argument(
        "--demo-deals",
        metavar="N",
        type=whole_number(1, 1000),
        default=DEMO_DEALS,
        help=f"demo plans made on a first start, 1 to 1000, e.g. --demo-deals 3 "
        f"(default {DEMO_DEALS})",
    )

    _add_local_google(sub)

    serve = sub.add_parser("serve", help="the add-on web app alone, on the configured backend")
    serve.add_argument(
        "--port", type=port, default=8080, help="port, e.g. --port 8081 (default 8080)"
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address, e.g. --host 0.0.0.0 (default 127.0.0.1)"
    )
    cli_plans.add_commands(sub)
    cli_deals.add_commands(sub)
    cli_notify.add_commands(sub)
    cli_watch.add_commands(sub)
    cli_review.add_commands(sub)
    return parser


def _add_local_google(sub: Any) -> None:
    """local-google: the stand-in's port, address, data folder and knobs."""
    lg = sub.add_parser("local-google", help="the local Google stand-in (Sheets, Drive, Gmail)")
    lg.add_argument(
        "--port",
        type=port,
        default=8765,
        help="port, e.g. --port 8766; 0 = any free (default 8765)",
    )
    lg.add_argument("--host", default="127.0.0.1", help="address, e.g. --host 127.0.0.1 (default)")
    lg.add_argument(
        "--data",
        type=data_folder,
        default=None,
        metavar="DIR",
        help="data folder, e.g. --data /tmp/lg (default: MAP_DATA_DIR/local-google)",
    )
    lg.add_argument(
        "--latency-ms",
        type=whole_number(0, 60_000),
        default=0,
        metavar="N",
        help="added latency per request in ms, e.g. --latency-ms 100 (default 0)",
    )
    lg.add_argument(
        "--fail-rate",
        type=share,
        default=0.0,
        metavar="F",
        help="share of requests failing 429/5xx, e.g. --fail-rate 0.1 (default 0)",
    )
    lg.add_argument(
        "--quota-per-minute",
        type=whole_number(0, 1_000_000),
        default=0,
        metavar="N",
        help="requests per user per minute, e.g. --quota-per-minute 60 (default 0 = no quota)",
    )
    lg.add_argument(
        "--seed",
        type=whole_number(0, 2**32 - 1),
        default=None,
        metavar="N",
        help="random seed for --fail-rate, e.g. --seed 7 (default: random)",
    )


def _check_before_work(args: argparse.Namespace, config: Config) -> None:
    """Checks that need the configuration but no store or Google: before anything is written."""
    if args.command == "plan" and args.plan_command == "create":
        cli_plans.check_create(args)
    elif args.command == "consolidate":
        cli_review.check_team(args, config)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a refused value (2, one line already printed)
        return exc.code if isinstance(exc.code, int) else 0
    from .domain.plan_request import InvalidPlanRequest
    from .domain.teams import TeamsError
    from .google.errors import GoogleApiError
    from .services.context import BackendUnavailable, Services
    from .services.create_plan import PlanIncomplete
    from .store import StoreError

    services: Services | None = None
    try:
        config = Config.from_env()
        _check_before_work(args, config)
        if args.command == "local-google":
            return _local_google(args, config)
        if args.command == "serve":
            return _serve(args, config)
        if args.command == "run":
            return _run(args, config)
        services = Services(config)
        if args.command == "watch":
            return cli_watch.run_watch(args, services)
        if args.command == "consolidate":
            return cli_review.run_consolidate(args, services)
        if args.command == "deal":
            return cli_deals.run_command(args, services)
        if args.command == "notify":
            return cli_notify.run_notify(args, services)
        return cli_plans.run_command(args, services)
    except (ConfigError, UsageError, InvalidPlanRequest, TeamsError, DealUsageError) as exc:
        print(f"map-addon: {exc}", file=sys.stderr)
        return 2
    except (PlanIncomplete, BackendUnavailable, GoogleApiError, StoreError) as exc:
        print(f"map-addon: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a file or folder that went away or filled up while working
        print(
            f"map-addon: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        if services is not None:
            services.close()


LOCAL_BACKENDS = "map_addon.local_backends"


class LocalBackend(Protocol):
    url: str

    def stop(self) -> None: ...


def _local_backend(data_dir: Path, port: int, **knobs: Any) -> LocalBackend:
    """Start the local Google stand-in, found through its entry point (a development install).

    The add-on never imports the stand-in: production has no entry point of that group.
    """
    found = entry_points(group=LOCAL_BACKENDS, name="google")
    if not found:
        raise UsageError(
            "the local Google stand-in is not installed: it comes with the development install "
            "(make run, or pip install -e .)"
        )
    start = next(iter(found)).load()
    try:
        running: LocalBackend = start(data_dir, port, **knobs)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    return running


def _local_google(args: argparse.Namespace, config: Config) -> int:
    data_dir = args.data or config.data_dir / "local-google"
    knobs = {
        "host": args.host,
        "latency_ms": args.latency_ms,
        "fail_rate": args.fail_rate,
        "quota_per_minute": args.quota_per_minute,
        "seed": args.seed,
    }
    _require_free_port(args.host, args.port)
    running = _local_backend(data_dir, args.port, **knobs)
    _stop_on_signals()  # before announcing: a stop may come right after the first line
    print(f"local Google serving on {running.url} (data in {data_dir})", flush=True)
    _wait_forever()
    running.stop()
    return 0


def _serve(args: argparse.Namespace, config: Config) -> int:
    from werkzeug.serving import make_server

    from . import create_app

    _require_free_port(args.host, args.port)
    _stop_on_signals()
    server = make_server(args.host, args.port, create_app(config), threaded=True)
    print(f"add-on app serving on http://{args.host}:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        server.server_close()
    return 0


def _run(args: argparse.Namespace, config: Config) -> int:
    from werkzeug.serving import make_server

    from . import create_app

    _stop_on_signals()
    port = urlparse(config.local_google_url).port or 8765
    _require_free_port("127.0.0.1", args.port)
    _require_free_port("127.0.0.1", port, "MAP_LOCAL_GOOGLE_URL")
    local = _local_backend(config.data_dir / "local-google", port)
    config = config.with_local_google(local.url)
    app_server = make_server("127.0.0.1", args.port, create_app(config), threaded=True)
    threading.Thread(target=app_server.serve_forever, daemon=True).start()
    print("MAP add-on local stack is up:", flush=True)
    print(f"  local Google (Sheets, Drive, Gmail): {local.url}", flush=True)
    print(f"  sent mail (the local outbox):        {local.url}/_local/outbox", flush=True)
    print(f"  add-on app:                          http://127.0.0.1:{app_server.server_port}")
    print(
        f"  health:                              http://127.0.0.1:{app_server.server_port}/healthz"
    )
    print(
        f"  add-on preview (the Sheets sidebar): http://127.0.0.1:{app_server.server_port}/preview/"
    )
    print(f"  data:                                {config.data_dir}", flush=True)
    if not args.no_demo:
        _seed_demo(config, args.demo_deals)
    _show_review(config, local.url)
    _start_live_watch(config, app_server)
    print("Press Ctrl-C to stop.", flush=True)
    try:
        _wait_forever()
    finally:
        app_server.shutdown()
        local.stop()
    return 0


def _seed_demo(config: Config, count: int) -> None:
    """On a first start (no plans stored), create the demo pipeline; later starts keep data."""
    from .demo.deals import SELLERS
    from .services.context import Services

    services = Services(config)
    try:
        with services.store.transaction() as tx:
            if tx.deals.newest_first():
                print("  demo pipeline: already there (plans kept from the last run)")
                return
        print(f"  demo pipeline: creating {count} plans ...", flush=True)
        cli_plans.run_demo(services, count, seed=1)
        print(f"  sellers: {', '.join(SELLERS)}", flush=True)
    finally:
        services.close()


def _show_review(config: Config, local_url: str) -> None:
    """Build each team's pipeline review and say where a manager opens it in the stand-in."""
    from .domain.teams import TeamsError, load_teams
    from .services.consolidate import Consolidator
    from .services.context import Services

    services = Services(config)
    try:
        with services.store.transaction(read_only=True) as tx:
            if not tx.deals.newest_first():
                return  # nothing to review yet (--no-demo on an empty store)
        print("  pipeline review: building ...", flush=True)
        reviews, _, _ = Consolidator(services).run()
        teams = {team.name: team for team in load_teams(config.teams_file)}
        for review in reviews:
            managers = teams[review.team].managers if review.team in teams else ()
            who = managers[0] if managers else config.service_account
            link = f"{local_url}/_local/ui/s/{review.workbook_id}?as={who}"
            print(
                f"  pipeline review ({review.team}, {review.deals} deals, {review.risks} risks): "
                f"{link}",
                flush=True,
            )
    except TeamsError as exc:
        print(f"  pipeline review: not built ({exc})", flush=True)
    finally:
        services.close()


FALLBACK_TICK_SECONDS = 60.0


def _start_live_watch(config: Config, app_server: Any) -> None:
    """Catch up on edits made while stopped, then let Drive push changes to the app's hook.

    A tick also runs every minute in case a notification is lost.
    """
    from .services.context import Services

    hook = f"http://127.0.0.1:{app_server.server_port}/hooks/drive"
    services = Services(config)
    try:
        result = services.watcher.tick()
        services.channels.ensure(hook)
    finally:
        services.close()
    print(
        f"  live watch:                          on ({len(result.events)} event(s) caught up); "
        f"Drive pushes to {hook}",
        flush=True,
    )
    ticker = app_server.app.extensions["map.services"].ticker

    def fallback() -> None:
        while True:
            time.sleep(FALLBACK_TICK_SECONDS)
            ticker.trigger()

    threading.Thread(target=fallback, name="fallback-tick", daemon=True).start()


def _require_free_port(host: str, port: int, setting: str = "--port") -> None:
    """A port another program holds, or a host that is not this machine's: one line, exit 2."""
    import socket

    if port == 0:
        return
    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on {host} is in use: choose another with {setting}"
            ) from None
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None


def _stop_on_signals() -> None:
    """Ctrl-C and SIGTERM both stop the servers cleanly (SIGINT even where it was ignored).

    Installed before anything is printed: a process started in the background inherits an
    ignored SIGINT, and a stop sent right after the first line must not be lost.
    """

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)


def _wait_forever() -> None:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
