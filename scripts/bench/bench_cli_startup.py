"""How long `map-addon --help` (and each command's --help) takes to start, in a fresh process.

    .venv/bin/python scripts/bench/bench_cli_startup.py [--runs 10]

Prints the median and worst wall time per command line; the target is under 0.3 s (issue:
heavy imports happen inside the commands that need them).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

LINES = (
    ["--help"],
    ["plan", "create", "--help"],
    ["deal", "close", "--help"],
    ["watch", "--help"],
    ["consolidate", "--help"],
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    for line in LINES:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "addon.cli", *line], check=True, capture_output=True
            )
            times.append(time.perf_counter() - start)
        label = "map-addon " + " ".join(line)
        print(f"{label:<36} median {statistics.median(times):.3f} s  max {max(times):.3f} s")


if __name__ == "__main__":
    main()
