"""The stand-in's clock (`/_local/clock`): a stand-in control, not a Google API.

Drive stamps a file's `modifiedTime` and each revision's `modifiedTime` when a write lands
(https://developers.google.com/drive/api/reference/rest/v3/files: modifiedTime "The last time the
file was modified by anyone"; https://developers.google.com/drive/api/reference/rest/v3/revisions:
modifiedTime "The last time the revision was modified"). With the clock set, those stamps follow
it, so a demo can play past weeks; reset, they follow the wall clock again.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import requests

from addon.google.clients import Backend, drive_service, sheets_service
from localgoogle.server import Running


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_set_clock_stamps_modified_times_and_revisions_then_resets(local_google: Running) -> None:
    ann = f"ann-{uuid.uuid4().hex[:8]}@acme.test"
    sheets = sheets_service(Backend.local(local_google.url, ann)).spreadsheets()
    drive = drive_service(Backend.local(local_google.url, ann))
    sheet_id = sheets.create(body={"properties": {"title": "Clock"}}).execute()["spreadsheetId"]
    then = datetime(2026, 11, 13, 9, 30, tzinfo=UTC)
    clock = f"{local_google.url}/_local/clock"
    try:
        set_to = requests.post(clock, json={"now": "2026-11-13T09:30:00Z"}, timeout=10).json()
        assert abs(_stamp(set_to["now"]) - then) < timedelta(seconds=5)
        sheets.values().update(
            spreadsheetId=sheet_id, range="A1", valueInputOption="RAW", body={"values": [["x"]]}
        ).execute()
        meta = drive.files().get(fileId=sheet_id, fields="modifiedTime").execute()
        assert abs(_stamp(meta["modifiedTime"]) - then) < timedelta(seconds=5)
        revisions = drive.revisions().list(fileId=sheet_id).execute()["revisions"]
        assert abs(_stamp(revisions[-1]["modifiedTime"]) - then) < timedelta(seconds=5)
    finally:
        reset = requests.post(clock, json={"now": None}, timeout=10).json()
    assert reset["offset_seconds"] == 0.0
    assert abs(_stamp(reset["now"]) - datetime.now(UTC)) < timedelta(seconds=5)


def test_a_clock_without_a_zone_is_refused(local_google: Running) -> None:
    answer = requests.post(
        f"{local_google.url}/_local/clock", json={"now": "2026-11-13T09:30:00"}, timeout=10
    )
    assert answer.status_code == 400
    clock = requests.get(f"{local_google.url}/_local/clock", timeout=10).json()
    assert clock["offset_seconds"] == 0
