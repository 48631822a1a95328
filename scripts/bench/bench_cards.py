"""Benchmark the add-on's card endpoints over real HTTP: latency under concurrent requests.

    .venv/bin/python scripts/bench/bench_cards.py --requests 200 [--concurrency 20] [--plans 5]

Starts the local Google stand-in and the add-on's Flask app on free ports on 127.0.0.1 (threaded
werkzeug servers), seeds a few plans for one seller through the app's own PlanCreator and reads
them once with a watch tick (so the plan cards have steps to show). It first shows each plan's
card once, one at a time, and prints those times: the card computed for that plan's version
(services/plan_card.py); later requests for the same version read it. Then, per endpoint, sends
N add-on events from C concurrent workers, each with its own HTTP session, and prints p50 / p95 /
max latency and throughput. Every call carries a real bearer ID token for the endpoint's URL and
a user ID token for the seller (minted once by the stand-in; they last an hour), so the figures
include both token verifications. A few warm-up calls per endpoint are not counted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from _common import bench_plan_request
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from addon import create_app
from addon.config import Config
from addon.services.context import Services
from localgoogle.server import serve_in_thread

CALLER = "service-addons@bench.example.com"
SELLER = "sam@vendor.example"
WARMUP = 3
ERROR_CARD = b'"Something went wrong"'  # the title of cards.error_card


@dataclass(frozen=True)
class Call:
    """One endpoint's request, ready to send: URL, headers and event body."""

    path: str
    url: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Measured:
    """One endpoint's results."""

    path: str
    latencies: list[float]  # seconds, one per request
    wall: float  # seconds from the first request sent to the last answer
    statuses: dict[int, int]
    error_cards: int  # 200 answers that carry the error card (the endpoint failed inside)


def mint(stand_in: str, audience: str, email: str) -> str:
    """A Google-style ID token from the stand-in."""
    body = json.dumps({"audience": audience, "email": email, "lifetime_seconds": 3600}).encode()
    request = urllib.request.Request(
        f"{stand_in}/_local/id-token", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return str(json.loads(response.read())["id_token"])


def seed(services: Services, plans: int) -> list[str]:
    """Create `plans` plans for SELLER, read them once, and return their deal IDs."""
    today = datetime.now(UTC).date()
    deal_ids = []
    for n in range(plans):
        request = bench_plan_request(n, today, owner=SELLER, key_prefix="bench-cards")
        deal_ids.append(services.creator.create(request).deal_id)
    services.watcher.tick()
    return deal_ids


def prepare(stand_in: str, base: str, path: str, parameters: dict[str, str]) -> Call:
    """The event Google would post to `path` for SELLER, with both tokens minted up front."""
    event: dict[str, Any] = {
        "commonEventObject": {"hostApp": "SHEETS", "parameters": parameters},
        "authorizationEventObject": {
            "userIdToken": mint(stand_in, base, SELLER),
            "userOAuthToken": "unused-locally",
        },
    }
    headers = {
        "Authorization": f"Bearer {mint(stand_in, base + path, CALLER)}",
        "Content-Type": "application/json",
    }
    return Call(path, base + path, headers, json.dumps(event).encode())


def run(call: Call, requests_n: int, concurrency: int, *, warmup: bool = True) -> Measured:
    """Send `requests_n` copies of `call` from `concurrency` workers; time each one."""
    local = threading.local()
    sessions: list[requests.Session] = []  # one per worker thread, closed at the end
    lock = threading.Lock()

    def one(_: int) -> tuple[float, int, bool]:
        session: requests.Session | None = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
            with lock:
                sessions.append(session)
        start = time.perf_counter()
        response = session.post(call.url, data=call.body, headers=call.headers, timeout=60)
        body = response.content  # read the whole answer inside the timing
        seconds = time.perf_counter() - start
        return seconds, response.status_code, ERROR_CARD in body

    with ThreadPoolExecutor(concurrency) as pool:
        if warmup:  # not counted
            list(pool.map(one, range(min(WARMUP * concurrency, requests_n))))
        start = time.perf_counter()
        results = list(pool.map(one, range(requests_n)))
        wall = time.perf_counter() - start
    for session in sessions:
        session.close()
    statuses: dict[int, int] = {}
    for _, status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    error_cards = sum(1 for _, _, error in results if error)
    return Measured(call.path, [seconds for seconds, _, _ in results], wall, statuses, error_cards)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100), interpolated between the closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def serve(app_for: Callable[[str], Flask]) -> tuple[BaseWSGIServer, threading.Thread, Flask]:
    """Serve the app built by `app_for(base URL)` on a free port (the port comes first)."""
    server = make_server("127.0.0.1", 0, lambda environ, start: [], threaded=True)
    app = app_for(f"http://127.0.0.1:{server.server_port}")
    server.app = app  # the handler reads server.app per request; nothing is served yet
    thread = threading.Thread(target=server.serve_forever, name="bench-addon", daemon=True)
    thread.start()
    return server, thread, app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=20, help="concurrent workers")
    parser.add_argument("--plans", type=int, default=5, help="plans seeded for the seller")
    args = parser.parse_args()
    if args.requests < 1 or args.concurrency < 1 or args.plans < 1:
        parser.error("--requests, --concurrency and --plans must be at least 1")

    with tempfile.TemporaryDirectory() as tmp:
        running = serve_in_thread(Path(tmp) / "lg")
        server: BaseWSGIServer | None = None
        thread: threading.Thread | None = None
        app: Flask | None = None
        try:

            def app_for(base: str) -> Flask:
                env = {
                    "MAP_LOCAL_GOOGLE_URL": running.url,
                    "MAP_DATA_DIR": tmp,
                    "MAP_ADDON_AUDIENCE": base,
                    "MAP_ADDON_CALLER": CALLER,
                }
                return create_app(Config.from_env(env))

            server, thread, app = serve(app_for)
            services: Services = app.extensions["map.services"]
            base = services.config.addon_audience
            deal_ids = seed(services, args.plans)
            firsts = [
                prepare(running.url, base, "/addon/plan/show", {"deal_id": deal_id})
                for deal_id in deal_ids
            ]
            cold = [run(call, 1, 1, warmup=False).latencies[0] for call in firsts]
            calls = [
                prepare(running.url, base, "/addon/home", {}),
                prepare(running.url, base, "/addon/plan/new", {}),
                prepare(running.url, base, "/addon/plan/show", {"deal_id": deal_ids[0]}),
            ]
            measured = [run(call, args.requests, args.concurrency) for call in calls]
        finally:
            if server is not None and thread is not None:
                server.shutdown()
                thread.join(timeout=10)
                server.server_close()
            if app is not None:
                app.extensions["map.services"].close()
            running.stop()

    print(
        f"add-on card endpoints: {args.requests} requests each, {args.concurrency} concurrent "
        f"workers, {args.plans} plans seeded (local stand-in, 127.0.0.1)"
    )
    print(
        f"{'endpoint':<20}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'req/s':>9}"
        f"{'mean ms':>9}"
    )
    ms_cold = ", ".join(f"{seconds * 1000:.1f}" for seconds in cold)
    print(f"first /addon/plan/show of each plan (its card computed), ms: {ms_cold}")
    failed = []
    for m in measured:
        ms = [s * 1000 for s in m.latencies]
        print(
            f"{m.path:<20}{len(ms):>9}{percentile(ms, 50):>9.1f}{percentile(ms, 95):>9.1f}"
            f"{max(ms):>9.1f}{len(ms) / m.wall:>9.1f}{statistics.mean(ms):>9.1f}"
        )
        if set(m.statuses) != {200} or m.error_cards:
            failed.append(f"{m.path}: statuses {m.statuses}, {m.error_cards} error cards")
    if failed:
        raise SystemExit("not every answer was a 200 card: " + "; ".join(failed))
    print("every answer was 200 with the expected card (no error cards)")


if __name__ == "__main__":
    main()
