"""Request accounting: counts by method and API, deltas between snapshots, gspread URLs."""

from __future__ import annotations

import threading

import pytest

from addon.google.accounting import RequestCounter, method_id_for_url


def test_counts_are_kept_by_method_and_summed_by_api() -> None:
    counter = RequestCounter()
    counter.record("sheets.spreadsheets.values.batchGet")
    counter.record("sheets.spreadsheets.values.batchGet")
    counter.record("drive.changes.list")
    counts = counter.snapshot()
    assert dict(counts.by_method) == {
        "drive.changes.list": 1,
        "sheets.spreadsheets.values.batchGet": 2,
    }
    assert counts.by_api == {"drive": 1, "sheets": 2}
    assert counts.total == 3


def test_the_json_form_always_names_sheets_and_drive() -> None:
    assert RequestCounter().snapshot().as_json() == {"sheets": 0, "drive": 0}


def test_subtracting_snapshots_gives_the_cost_of_what_happened_between() -> None:
    counter = RequestCounter()
    counter.record("drive.changes.list")
    before = counter.snapshot()
    counter.record("sheets.spreadsheets.values.batchGet")
    counter.record("sheets.spreadsheets.values.append")
    cost = counter.snapshot() - before
    assert dict(cost.by_method) == {
        "sheets.spreadsheets.values.append": 1,
        "sheets.spreadsheets.values.batchGet": 1,
    }
    assert cost.as_json() == {"sheets": 2, "drive": 0}


def test_a_snapshot_does_not_change_when_counting_goes_on() -> None:
    counter = RequestCounter()
    counter.record("sheets.spreadsheets.get")
    snap = counter.snapshot()
    counter.record("sheets.spreadsheets.get")
    counter.reset()
    assert snap.total == 1


def test_counting_from_many_threads_loses_nothing() -> None:
    counter = RequestCounter()

    def work() -> None:
        for _ in range(2000):
            counter.record("sheets.spreadsheets.get")

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert counter.snapshot().total == 16000


@pytest.mark.parametrize(
    ("verb", "url", "method_id"),
    [
        ("POST", "https://sheets.googleapis.com/v4/spreadsheets", "sheets.spreadsheets.create"),
        ("GET", "https://sheets.googleapis.com/v4/spreadsheets/abc", "sheets.spreadsheets.get"),
        (
            "POST",
            "https://sheets.googleapis.com/v4/spreadsheets/abc:batchUpdate",
            "sheets.spreadsheets.batchUpdate",
        ),
        (
            "GET",
            "https://sheets.googleapis.com/v4/spreadsheets/abc/values/Plan%21A1%3AC9",
            "sheets.spreadsheets.values.get",
        ),
        (
            "PUT",
            "https://sheets.googleapis.com/v4/spreadsheets/abc/values/Plan%21A1",
            "sheets.spreadsheets.values.update",
        ),
        (
            "POST",
            "https://sheets.googleapis.com/v4/spreadsheets/abc/values/Activity%21A1:append",
            "sheets.spreadsheets.values.append",
        ),
        (
            "GET",
            "https://sheets.googleapis.com/v4/spreadsheets/abc/values:batchGet",
            "sheets.spreadsheets.values.batchGet",
        ),
        (
            "POST",
            "https://sheets.googleapis.com/v4/spreadsheets/abc/sheets/0:copyTo",
            "sheets.spreadsheets.sheets.copyTo",
        ),
        ("GET", "https://www.googleapis.com/drive/v3/files", "drive.files.list"),
        ("PATCH", "https://www.googleapis.com/drive/v3/files/abc", "drive.files.update"),
        ("DELETE", "https://www.googleapis.com/drive/v3/files/abc", "drive.files.delete"),
        ("POST", "https://www.googleapis.com/drive/v3/files/abc/copy", "drive.files.copy"),
        ("GET", "https://www.googleapis.com/drive/v3/files/abc/export", "drive.files.export"),
        (
            "POST",
            "https://www.googleapis.com/drive/v3/files/abc/permissions",
            "drive.permissions.create",
        ),
        (
            "DELETE",
            "https://www.googleapis.com/drive/v3/files/abc/permissions/p1",
            "drive.permissions.delete",
        ),
        (
            "GET",
            "https://www.googleapis.com/drive/v3/changes/startPageToken",
            "drive.changes.getStartPageToken",
        ),
        ("POST", "https://www.googleapis.com/drive/v3/changes/watch", "drive.changes.watch"),
        ("POST", "http://127.0.0.1:8765/drive/v3/channels/stop", "drive.channels.stop"),
        ("GET", "http://127.0.0.1:8765/v4/spreadsheets/abc", "sheets.spreadsheets.get"),
        ("GET", "https://example.com/elsewhere", "other.get"),
    ],
)
def test_gspread_urls_are_named_by_their_discovery_method_id(
    verb: str, url: str, method_id: str
) -> None:
    assert method_id_for_url(verb, url) == method_id
