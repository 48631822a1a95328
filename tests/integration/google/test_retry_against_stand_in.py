"""The retry executor rides out the stand-in's injected faults and stops at its quota."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from addon.google.accounting import RequestCounter
from addon.google.clients import Backend, sheets_service
from addon.google.errors import RateLimited, ServerError
from addon.google.retry import RetryPolicy, execute
from localgoogle.knobs import Knobs
from localgoogle.server import Running, serve_in_thread

OWNER = "ann@acme.test"
VALUES_GET = "sheets.spreadsheets.values.get"


def no_wait(seconds: float) -> None:
    assert 0 <= seconds <= 0.08


# Real backoff shape, scaled down so the test does not sleep. Twelve attempts, because the fault
# stream of seed 7 opens with ten faults in a row: a worst case worth showing we survive.
FAST = RetryPolicy(max_attempts=12, initial_delay=0.01, max_delay=0.08, sleep=no_wait)


class StandIns:
    """Stand-ins started one after another on the same data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.running: list[Running] = []

    def start(self, knobs: Knobs | None = None) -> Running:
        running = serve_in_thread(self.data_dir, knobs=knobs)
        self.running.append(running)
        return running

    def stop(self, running: Running) -> None:
        self.running.remove(running)
        running.stop()


@pytest.fixture
def stand_ins(tmp_path: Path) -> Iterator[StandIns]:
    started = StandIns(tmp_path)
    yield started
    for running in list(started.running):
        started.stop(running)


def make_plan_sheet(stand_ins: StandIns) -> str:
    """A spreadsheet holding "Kickoff" in A1, made on a fault-free stand-in over the data dir."""
    running = stand_ins.start()
    service = sheets_service(Backend.local(running.url, OWNER))
    created = service.spreadsheets().create(body={"properties": {"title": "Plan"}}).execute()
    sid: str = created["spreadsheetId"]
    service.spreadsheets().values().update(
        spreadsheetId=sid, range="Sheet1!A1", valueInputOption="RAW", body={"values": [["Kickoff"]]}
    ).execute()
    stand_ins.stop(running)
    return sid


def stats(running: Running) -> dict[str, Any]:
    body: dict[str, Any] = requests.get(f"{running.url}/_local/stats", timeout=10).json()
    return body


def test_reads_all_succeed_through_a_fifty_percent_fault_rate(stand_ins: StandIns) -> None:
    sid = make_plan_sheet(stand_ins)
    running = stand_ins.start(Knobs(fail_rate=0.5, seed=7))
    service = sheets_service(Backend.local(running.url, OWNER))
    counter = RequestCounter()

    results = [
        execute(
            service.spreadsheets().values().get(spreadsheetId=sid, range="Sheet1!A1"),
            policy=FAST,
            counter=counter,
        )
        for _ in range(20)
    ]

    assert all(r["values"] == [["Kickoff"]] for r in results)
    attempts = counter.snapshot().by_method[VALUES_GET]
    assert attempts > 20  # some failed and were retried
    assert stats(running)["by_method"] == {VALUES_GET: attempts}  # it saw every attempt


def test_without_retries_the_same_faults_reach_the_caller(stand_ins: StandIns) -> None:
    sid = make_plan_sheet(stand_ins)
    running = stand_ins.start(Knobs(fail_rate=0.5, seed=7))
    service = sheets_service(Backend.local(running.url, OWNER))
    failures = 0
    for _ in range(20):
        request = service.spreadsheets().values().get(spreadsheetId=sid, range="Sheet1!A1")
        try:
            execute(request, policy=RetryPolicy(max_attempts=1))
        except (RateLimited, ServerError):
            failures += 1
    assert failures > 0


def test_the_sixth_read_in_a_minute_is_rate_limited_when_retries_are_off(
    stand_ins: StandIns,
) -> None:
    sid = make_plan_sheet(stand_ins)
    running = stand_ins.start(Knobs(quota_per_minute=5))
    service = sheets_service(Backend.local(running.url, OWNER))
    once = RetryPolicy(max_attempts=1)

    def read() -> dict[str, Any]:
        request = service.spreadsheets().values().get(spreadsheetId=sid, range="Sheet1!A1")
        return execute(request, policy=once)

    for _ in range(5):
        assert read()["values"] == [["Kickoff"]]
    with pytest.raises(RateLimited) as caught:
        read()
    assert caught.value.status == 429
    assert caught.value.method == VALUES_GET
    assert "Quota exceeded" in caught.value.message
