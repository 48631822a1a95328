"""Benchmark the local Google stand-in through google-api-python-client.

Creates N plan-sized spreadsheets (5 tabs, 15 step rows), reads each with one values.batchGet,
appends one row to each, and prints requests and time per operation as the stand-in counted them.

    .venv/bin/python scripts/bench/bench_localgoogle.py --plans 50 [--latency-ms 0]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import stand_in_stats as stats

from addon.google.clients import Backend, sheets_service
from localgoogle.knobs import Knobs
from localgoogle.server import serve_in_thread

TABS = ("Plan", "Deal", "Stakeholders", "Timeline", "Activity")


def plan_body(n: int) -> dict[str, Any]:
    header = ["Step ID", "Phase", "Step", "Owner side", "Owner", "Due date", "Status", "Done on"]
    rows = [header] + [
        [f"S{i}", "Evaluate", f"Step {i}", "Buyer", "ann@buyer.test", 46000 + i, "Not started", ""]
        for i in range(15)
    ]

    def cell(value: object) -> dict[str, Any]:
        key = "numberValue" if isinstance(value, int) else "stringValue"
        return {"userEnteredValue": {key: value}}

    sheets: list[dict[str, Any]] = [{"properties": {"title": t}} for t in TABS]
    sheets[0]["data"] = [{"rowData": [{"values": [cell(v) for v in r]} for r in rows]}]
    return {"properties": {"title": f"Plan {n}"}, "sheets": sheets}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        running = serve_in_thread(Path(tmp), knobs=Knobs(latency_ms=args.latency_ms))
        service = sheets_service(Backend.local(running.url, "bench@seller.test"))
        rows: list[tuple[str, int, float]] = []
        ids: list[str] = []

        def measure(name: str, fn: Any) -> None:
            before = stats(running.url)["total"]
            start = time.perf_counter()
            fn()
            rows.append((name, stats(running.url)["total"] - before, time.perf_counter() - start))

        measure(
            "spreadsheets.create",
            lambda: ids.extend(
                service.spreadsheets().create(body=plan_body(i)).execute()["spreadsheetId"]
                for i in range(args.plans)
            ),
        )
        values = service.spreadsheets().values()
        measure(
            "values.batchGet (5 tabs)",
            lambda: [values.batchGet(spreadsheetId=s, ranges=list(TABS)).execute() for s in ids],
        )
        measure(
            "values.append (1 row)",
            lambda: [
                values.append(
                    spreadsheetId=s,
                    range="Activity!A1",
                    valueInputOption="RAW",
                    body={"values": [["2026-11-26", "bench", "=IMPORTXML(x)"]]},
                ).execute()
                for s in ids
            ],
        )
        running.stop()
    print(f"local Google stand-in, {args.plans} plans, latency {args.latency_ms} ms")
    print(f"{'operation':<28}{'requests':>10}{'total s':>10}{'ms/request':>12}")
    for name, count, seconds in rows:
        per = seconds * 1000 / count if count else 0.0
        print(f"{name:<28}{count:>10}{seconds:>10.2f}{per:>12.1f}")


if __name__ == "__main__":
    main()
