"""What the benchmarks share: the stand-in with the product wired to it, and request counting.

Import it from a script in this folder (`from _common import ...`): running a script puts the
folder on `sys.path`.
"""

from __future__ import annotations

import json
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, TypeVar

from addon.config import Config
from addon.domain.model import PlanRequest
from addon.domain.plan_request import build_plan_request
from addon.services.context import Services
from localgoogle.knobs import Knobs
from localgoogle.server import Running, serve_in_thread

TEMPLATES = ("enterprise-saas", "mid-market", "regulated-security", "expansion-renewal")

T = TypeVar("T")


@dataclass(frozen=True)
class Stack:
    """A stand-in on a free port and the product's services pointed at it."""

    running: Running
    knobs: Knobs
    services: Services
    data_dir: Path

    @property
    def url(self) -> str:
        return self.running.url


@contextmanager
def local_stack(knobs: Knobs, env: Mapping[str, str] | None = None) -> Iterator[Stack]:
    """A fresh stand-in and store in a temporary folder, removed on exit.

    The knobs object is the stand-in's own: change `knobs.latency_ms` to change its latency.
    No teams file unless `env` names one, so a review has one team of every deal.
    """
    with tempfile.TemporaryDirectory() as tmp:
        running = serve_in_thread(Path(tmp) / "lg", knobs=knobs)
        settings = {
            "MAP_LOCAL_GOOGLE_URL": running.url,
            "MAP_DATA_DIR": tmp,
            "MAP_TEAMS_FILE": str(Path(tmp) / "teams.yaml"),
            **(env or {}),
        }
        services = Services(Config.from_env(settings))
        try:
            yield Stack(running, knobs, services, Path(tmp))
        finally:
            services.close()
            running.stop()


def bench_plan_request(
    n: int,
    today: date,
    *,
    owner: str,
    buyers: int = 2,
    amount: str | None = "100000",
    key_prefix: str = "bench",
) -> PlanRequest:
    """The n-th benchmark plan: go-live a year out, templates in turn, `buyers` buyer contacts."""
    return build_plan_request(
        deal_name=f"Bench deal {n}",
        buyer_company=f"Buyer {n}",
        buyer_emails=[f"{name}{n}@buyer{n}.example" for name in ("ann", "bob", "cat")[:buyers]],
        go_live=today.replace(year=today.year + 1).isoformat(),
        template=TEMPLATES[n % len(TEMPLATES)],
        owner=owner,
        amount=amount,
        request_key=f"{key_prefix}-{n}",
        today=today,
    )


def stand_in_stats(url: str) -> dict[str, Any]:
    """The stand-in's request counts: `total`, `by_method`, `by_user`, `by_user_method`."""
    with urllib.request.urlopen(f"{url}/_local/stats") as response:
        return dict(json.loads(response.read()))


@dataclass(frozen=True)
class Cost(Generic[T]):
    """What one operation cost, as the stand-in served it, and what it returned."""

    result: T
    sheets: int
    drive: int
    seconds: float

    @property
    def requests(self) -> int:
        return self.sheets + self.drive


def measure(url: str, operation: Callable[[], T]) -> Cost[T]:
    """Run `operation` alone against the stand-in at `url`: its requests and wall time."""
    before = stand_in_stats(url)["by_method"]
    start = time.perf_counter()
    result = operation()
    seconds = time.perf_counter() - start
    after = stand_in_stats(url)["by_method"]

    def spent(api: str) -> int:
        return sum(n - before.get(m, 0) for m, n in after.items() if m.startswith(api + "."))

    return Cost(result, spent("sheets"), spent("drive"), seconds)
