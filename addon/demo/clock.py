"""The demo's simulated time: one clock for the add-on's use cases and the local stand-in's Drive.

The watch stamps each event with the time Drive says the plan was modified (the change feed's
`modifiedTime`), and the use cases stamp deals, snapshots and outcomes with their injected
clock. To play past weeks in a minute, the demo moves both: its use cases get `DemoClock.now`
(never a patched global time), and the stand-in's clock is set over its `/_local/clock`
control before each move, then put back on the wall clock. Google's own clock cannot be set,
so simulated weeks need the stand-in.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from ..config import Config


@dataclass
class DemoClock:
    """The demo's now, moved forward by `at` (and the stand-in's with it, when it has one)."""

    current: datetime
    control_url: str | None = None  # the stand-in's /_local/clock

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.current.date()

    def at(self, moment: datetime) -> None:
        """Move to `moment` (timezone-aware), here and in the stand-in."""
        self.current = moment.astimezone(UTC)
        if self.control_url:
            _post(self.control_url, {"now": self.current.isoformat().replace("+00:00", "Z")})


def _post(url: str, body: dict[str, object]) -> None:
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10):
        return


@contextmanager
def demo_clock(config: Config, start: datetime) -> Iterator[DemoClock]:
    """A clock at `start`; the stand-in's clock follows it until the block ends."""
    control = f"{config.local_google_url}/_local/clock" if config.is_local else None
    clock = DemoClock(start.astimezone(UTC), control)
    try:
        clock.at(start)
        yield clock
    finally:
        if control:
            _post(control, {"now": None})
