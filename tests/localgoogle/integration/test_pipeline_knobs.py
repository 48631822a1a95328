"""The request pipeline: counting by method and user, and the latency/fault/quota knobs.

Each test runs its own stand-in so counters and knobs are its own.

Contracts:
- /work/shared/DESIGN.md, "The local Google stand-in" (`/_local/stats`, `--latency-ms`,
  `--fail-rate` with Google's 429/500/503 bodies, `--quota-per-minute`)
- https://developers.google.com/sheets/api/limits ("If you exceed a quota, you'll get a 429: Too
  many requests HTTP status code response"; quotas are per minute per user per project)
- https://cloud.google.com/apis/design/errors (RESOURCE_EXHAUSTED, INTERNAL, UNAVAILABLE)
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gspread
import pytest
import requests
from googleapiclient.errors import HttpError

from addon.google.clients import Backend, drive_service, gspread_client, sheets_service
from localgoogle.knobs import Knobs
from localgoogle.server import Running, serve_in_thread

ANN = "ann@acme.test"
BOB = "bob@acme.test"
STATUS_NAMES = {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Any]:
    """start(knobs) -> a stand-in of its own, stopped after the test."""
    started: list[Running] = []

    def run(knobs: Knobs | None = None) -> Running:
        running = serve_in_thread(tmp_path / f"lg{len(started)}", knobs=knobs)
        started.append(running)
        return running

    yield run
    for running in started:
        running.stop()


def api(running: Running, email: str) -> Any:
    return sheets_service(Backend.local(running.url, email)).spreadsheets()


def stats(running: Running) -> dict[str, Any]:
    result: dict[str, Any] = requests.get(f"{running.url}/_local/stats", timeout=10).json()
    return result


def test_stats_count_requests_by_discovery_method_and_by_user(start: Any) -> None:
    running = start()
    sid = api(running, ANN).create(body={}).execute()["spreadsheetId"]
    for _ in range(2):
        api(running, ANN).values().batchGet(spreadsheetId=sid, ranges=["Sheet1!A1"]).execute()
    api(running, ANN).values().update(
        spreadsheetId=sid, range="Sheet1!A1", valueInputOption="RAW", body={"values": [[1]]}
    ).execute()
    with pytest.raises(HttpError):  # a refused request is a request all the same
        api(running, BOB).get(spreadsheetId=sid).execute()
    drive_service(Backend.local(running.url, BOB)).files().list().execute()
    unauthenticated = requests.get(f"{running.url}/v4/spreadsheets/{sid}", timeout=10)
    assert unauthenticated.status_code == 401  # no user to count it against: not counted
    assert stats(running) == {
        "total": 6,
        "by_method": {
            "drive.files.list": 1,
            "sheets.spreadsheets.create": 1,
            "sheets.spreadsheets.get": 1,
            "sheets.spreadsheets.values.batchGet": 2,
            "sheets.spreadsheets.values.update": 1,
        },
        "by_user": {ANN: 4, BOB: 2},
        "by_user_method": {
            ANN: {
                "sheets.spreadsheets.create": 1,
                "sheets.spreadsheets.values.batchGet": 2,
                "sheets.spreadsheets.values.update": 1,
            },
            BOB: {"drive.files.list": 1, "sheets.spreadsheets.get": 1},
        },
        "refused": {},
    }


def test_gspread_requests_are_counted_under_the_same_method_ids(start: Any) -> None:
    running = start()
    sid = api(running, ANN).create(body={}).execute()["spreadsheetId"]
    worksheet = gspread_client(Backend.local(running.url, ANN)).open_by_key(sid).sheet1
    requests.post(f"{running.url}/_local/stats/reset", timeout=10)
    worksheet.get_all_values()
    worksheet.update([["a"]], "A1")
    assert stats(running)["by_method"] == {
        "sheets.spreadsheets.values.get": 1,
        "sheets.spreadsheets.values.update": 1,
    }


def test_stats_reset_starts_counting_from_zero(start: Any) -> None:
    running = start()
    api(running, ANN).create(body={}).execute()
    reset = requests.post(f"{running.url}/_local/stats/reset", timeout=10)
    assert reset.status_code == 200
    assert stats(running) == {
        "total": 0,
        "by_method": {},
        "by_user": {},
        "by_user_method": {},
        "refused": {},
    }


def test_latency_knob_delays_every_call(start: Any) -> None:
    running = start(Knobs(latency_ms=100))
    service = api(running, ANN)
    began = time.perf_counter()
    sid = service.create(body={}).execute()["spreadsheetId"]
    middle = time.perf_counter()
    service.values().get(spreadsheetId=sid, range="Sheet1!A1").execute()
    ended = time.perf_counter()
    assert middle - began >= 0.1
    assert ended - middle >= 0.1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fail_rate_one_fails_every_call_with_googles_error_bodies(start: Any, seed: int) -> None:
    running = start(Knobs(fail_rate=1.0, seed=seed))
    seen = set()
    for _ in range(8):
        with pytest.raises(HttpError) as caught:
            api(running, ANN).create(body={}).execute()
        status = caught.value.resp.status
        error = json.loads(caught.value.content)["error"]
        assert status in STATUS_NAMES
        assert error["code"] == status
        assert error["status"] == STATUS_NAMES[status]
        assert error["message"]
        seen.add(status)
    assert len(seen) > 1  # the faults vary
    assert stats(running)["total"] == 8
    assert sum(stats(running)["refused"].values()) == 8  # each one counted by its status


def test_fail_rate_reaches_gspread_as_api_error(start: Any) -> None:
    running = start(Knobs(fail_rate=1.0, seed=7))
    client = gspread_client(Backend.local(running.url, ANN))
    with pytest.raises(gspread.exceptions.APIError) as caught:
        client.open_by_key("1" + "a" * 43)
    assert caught.value.code in STATUS_NAMES


def test_quota_refuses_the_fourth_call_in_a_minute_for_that_user_only(start: Any) -> None:
    running = start(Knobs(quota_per_minute=3))
    sid = api(running, ANN).create(body={}).execute()["spreadsheetId"]
    for _ in range(2):
        api(running, ANN).get(spreadsheetId=sid).execute()
    with pytest.raises(HttpError) as caught:
        api(running, ANN).get(spreadsheetId=sid).execute()
    assert caught.value.resp.status == 429
    error = json.loads(caught.value.content)["error"]
    assert (error["code"], error["status"]) == (429, "RESOURCE_EXHAUSTED")
    assert error["message"].startswith("Quota exceeded for quota metric")
    # Another user has a quota of their own (Bob is not shared with: 403, not 429).
    with pytest.raises(HttpError) as other:
        api(running, BOB).get(spreadsheetId=sid).execute()
    assert other.value.resp.status == 403
    assert api(running, BOB).create(body={}).execute()["spreadsheetId"]
    assert stats(running)["refused"] == {"429 quota": 1}


def test_a_shorter_quota_window_frees_the_quota_sooner(start: Any) -> None:
    running = start(Knobs(quota_per_minute=2, quota_window_seconds=3))
    sid = api(running, ANN).create(body={}).execute()["spreadsheetId"]
    api(running, ANN).get(spreadsheetId=sid).execute()
    with pytest.raises(HttpError) as caught:
        api(running, ANN).get(spreadsheetId=sid).execute()
    assert caught.value.resp.status == 429
    time.sleep(3.1)
    assert api(running, ANN).get(spreadsheetId=sid).execute()["spreadsheetId"] == sid


def test_a_write_failed_after_applying_is_applied_all_the_same(start: Any) -> None:
    running = start(Knobs(fail_after_write_rate=1.0, seed=3))
    with pytest.raises(HttpError) as caught:
        api(running, ANN).create(body={"properties": {"title": "Landed"}}).execute()
    assert caught.value.resp.status in (500, 503)
    listed = drive_service(Backend.local(running.url, ANN)).files().list().execute()
    assert [f["name"] for f in listed["files"]] == ["Landed"]  # the 5xx came after the create
    assert stats(running)["refused"] == {f"{caught.value.resp.status} after applying": 1}
    # Reads are never failed this way.
    assert drive_service(Backend.local(running.url, ANN)).files().list().execute()["files"]
