"""Run watch ticks in the background, one at a time, however many triggers arrive."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class TickRunner:
    """Deduplicates triggers: a trigger during a tick asks for exactly one more tick after it."""

    def __init__(self, tick: Callable[[], object]) -> None:
        self._tick = tick
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self._idle = threading.Event()
        self._idle.set()
        self.ticks = 0

    def trigger(self) -> bool:
        """Ask for a tick; True if one was started now, False if it was folded into another."""
        with self._lock:
            if self._running:
                self._again = True
                return False
            self._running = True
            self._idle.clear()
        threading.Thread(target=self._loop, name="watch-tick", daemon=True).start()
        return True

    def _loop(self) -> None:
        while True:
            try:
                self._tick()
            except Exception:  # a failed tick is logged; the next trigger tries again
                log.exception("watch tick failed")
            with self._lock:
                self.ticks += 1
                if not self._again:
                    self._running = False
                    self._idle.set()
                    return
                self._again = False

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no tick runs or is due (tests, shutdown)."""
        return self._idle.wait(timeout)
