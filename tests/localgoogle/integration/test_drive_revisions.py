"""Drive v3 revisions as Google keeps them for a Google Sheet, through google-api-python-client.

One person per revision; a person's consecutive edits merged into their latest revision within
a short window (Google merges close edits of Docs editors files and documents no window: the
stand-in's `revision_merge_seconds` knob); each revision's content offered through
`exportLinks` (xlsx), downloaded with the caller's credentials.

Contracts:
- https://developers.google.com/drive/api/reference/rest/v3/revisions (Revision.exportLinks:
  "Links for exporting Docs Editors files to specific formats"; lastModifyingUser)
- https://developers.google.com/drive/api/reference/rest/v3/revisions/list ("might be incomplete
  for files with a large revision history, including frequently edited Google Docs, Sheets")
- the Revision schema of the Drive v3 discovery document bundled with google-api-python-client
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from openpyxl import load_workbook

from addon.google.clients import Backend, drive_service, sheets_service
from localgoogle.knobs import Knobs
from localgoogle.schema import validate_value
from localgoogle.server import Running, serve_in_thread

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}@acme.test"


class Sheet:
    """A spreadsheet Ann owns and shares with Bob (writer) and Cy (reader), on one stand-in."""

    def __init__(self, running: Running) -> None:
        self.running = running
        self.ann, self.bob, self.cy = email("ann"), email("bob"), email("cy")
        created = self.sheets(self.ann).create(body={"properties": {"title": "Plan"}}).execute()
        self.id = str(created["spreadsheetId"])
        for who, role in ((self.bob, "writer"), (self.cy, "reader")):
            body = {"type": "user", "role": role, "emailAddress": who}
            self.drive(self.ann).permissions().create(fileId=self.id, body=body).execute()

    def sheets(self, who: str) -> Any:
        return sheets_service(Backend.local(self.running.url, who)).spreadsheets()

    def drive(self, who: str) -> Any:
        return drive_service(Backend.local(self.running.url, who))

    def write(self, who: str, a1: str, value: Any) -> None:
        self.sheets(who).values().update(
            spreadsheetId=self.id,
            range=a1,
            valueInputOption="USER_ENTERED",
            body={"values": [[value]]},
        ).execute()

    def revisions(self, who: str | None = None, fields: str = "*") -> list[dict[str, Any]]:
        listed = self.drive(who or self.ann).revisions().list(fileId=self.id, fields=fields)
        return list(listed.execute()["revisions"])

    def authors(self) -> list[str]:
        return [r["lastModifyingUser"]["emailAddress"] for r in self.revisions()]

    def download(self, who: str, url: str) -> requests.Response:
        return requests.get(url, headers={"Authorization": f"Bearer local:{who}"}, timeout=10)


@pytest.fixture
def sheet(local_google: Running) -> Sheet:
    return Sheet(local_google)


@pytest.fixture
def unmerged(tmp_path: Path) -> Iterator[Sheet]:
    """A sheet on a stand-in of its own that merges no edits (a zero-second window)."""
    running = serve_in_thread(tmp_path / "lg", knobs=Knobs(revision_merge_seconds=0.0))
    yield Sheet(running)
    running.stop()


def test_each_person_gets_revisions_of_their_own_and_close_edits_merge(sheet: Sheet) -> None:
    sheet.write(sheet.bob, "A1", "first")
    sheet.write(sheet.bob, "A2", "second")  # merged into Bob's revision
    sheet.write(sheet.ann, "A3", "third")
    sheet.write(sheet.bob, "A4", "fourth")  # Ann's edit came between: a new revision

    assert sheet.authors() == [sheet.ann, sheet.bob, sheet.ann, sheet.bob]
    listed = sheet.revisions()
    times = [datetime.fromisoformat(r["modifiedTime"].replace("Z", "+00:00")) for r in listed]
    assert times == sorted(times)
    assert [r["id"] for r in listed] == sorted((r["id"] for r in listed), key=int)


def test_edits_after_the_merge_window_start_a_new_revision(unmerged: Sheet) -> None:
    unmerged.write(unmerged.bob, "A1", "first")
    unmerged.write(unmerged.bob, "A2", "second")

    assert unmerged.authors() == [unmerged.ann, unmerged.bob, unmerged.bob]


def test_revisions_carry_export_links_in_the_discovery_shape(sheet: Sheet) -> None:
    sheet.write(sheet.bob, "A1", "hello")
    listed = sheet.drive(sheet.ann).revisions().list(fileId=sheet.id, fields="*").execute()
    validate_value("drive", {"$ref": "RevisionList"}, listed, "revisionList")
    for revision in listed["revisions"]:
        assert set(revision["exportLinks"]) == {XLSX}
    got = (
        sheet.drive(sheet.bob)
        .revisions()
        .get(fileId=sheet.id, revisionId=listed["revisions"][-1]["id"], fields="*")
    )
    validate_value("drive", {"$ref": "Revision"}, got.execute(), "revision")
    default = sheet.revisions(fields="revisions(id,modifiedTime)")
    assert all(set(r) == {"id", "modifiedTime"} for r in default)


def test_a_revisions_export_holds_the_values_that_revision_left(sheet: Sheet) -> None:
    sheet.write(sheet.bob, "A1", "before")
    sheet.write(sheet.bob, "B1", "2027-03-19")
    sheet.write(sheet.bob, "C1", "TRUE")
    sheet.write(sheet.ann, "A1", "after")
    bobs, anns = sheet.revisions()[-2:]

    def values(revision: dict[str, Any], who: str) -> list[Any]:
        answer = sheet.download(who, revision["exportLinks"][XLSX])
        assert answer.status_code == 200 and answer.headers["Content-Type"] == XLSX
        book = load_workbook(io.BytesIO(answer.content), data_only=True)
        return [cell.value for cell in book["Sheet1"][1]]

    day = datetime(2027, 3, 19)
    assert values(bobs, sheet.bob) == ["before", day, True]
    assert values(anns, sheet.ann) == ["after", day, True]


def test_only_writers_download_a_revision(sheet: Sheet) -> None:
    sheet.write(sheet.bob, "A1", "=1+1")
    link = sheet.revisions()[-1]["exportLinks"][XLSX]
    refused = sheet.download(sheet.cy, link)
    assert refused.status_code == 403
    assert refused.json()["error"]["errors"][0]["reason"] == "insufficientFilePermissions"
    assert sheet.download(email("stranger"), link).status_code == 404
    missing = sheet.download(sheet.ann, link.replace("revision=", "revision=99"))
    assert missing.status_code == 404
    assert requests.get(link, timeout=10).status_code == 401


def test_downloads_are_counted_as_drive_requests(sheet: Sheet) -> None:
    sheet.write(sheet.bob, "A1", "x")
    link = sheet.revisions()[-1]["exportLinks"][XLSX]
    before = requests.get(f"{sheet.running.url}/_local/stats", timeout=10).json()
    sheet.download(sheet.bob, link)
    after = requests.get(f"{sheet.running.url}/_local/stats", timeout=10).json()
    counted = after["by_user_method"][sheet.bob].get("drive.revisions.export", 0)
    assert counted - before["by_user_method"][sheet.bob].get("drive.revisions.export", 0) == 1
