"""Start the stand-in from the outside: the entry point the add-on's local stack loads."""

from __future__ import annotations

from pathlib import Path

from .knobs import Knobs
from .server import Running, serve_in_thread


def start(
    data_dir: Path,
    port: int = 0,
    *,
    host: str = "127.0.0.1",
    latency_ms: int = 0,
    fail_rate: float = 0.0,
    quota_per_minute: int = 0,
    seed: int | None = None,
) -> Running:
    """Serve the stand-in on `host:port` (0 = a free port) with its data in `data_dir`.

    Raises ValueError, with a message for the command line, on knobs out of range.
    """
    if not 0.0 <= fail_rate <= 1.0:
        raise ValueError(f"--fail-rate must be between 0 and 1, not {fail_rate}")
    if latency_ms < 0 or quota_per_minute < 0:
        raise ValueError("--latency-ms and --quota-per-minute must not be negative")
    knobs = Knobs(latency_ms, fail_rate, quota_per_minute, seed)
    return serve_in_thread(data_dir, port, knobs, host=host)
