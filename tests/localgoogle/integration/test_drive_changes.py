"""Drive v3 change feed, revisions and comments, through google-api-python-client."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests
from googleapiclient.errors import HttpError

SHEET = "application/vnd.google-apps.spreadsheet"


def email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}@acme.test"


def new_sheet(drive: Any, owner: str, name: str = "Plan") -> str:
    body = {"name": name, "mimeType": SHEET}
    return str(drive(owner).files().create(body=body).execute()["id"])


def share(drive: Any, owner: str, file_id: str, who: str, role: str) -> str:
    body = {"type": "user", "role": role, "emailAddress": who}
    return str(drive(owner).permissions().create(fileId=file_id, body=body).execute()["id"])


def start_token(drive: Any, who: str) -> str:
    got = drive(who).changes().getStartPageToken().execute()
    assert set(got) == {"kind", "startPageToken"} and got["kind"] == "drive#startPageToken"
    return str(got["startPageToken"])


def all_changes(drive: Any, who: str, token: str, **kw: Any) -> tuple[list[dict[str, Any]], str]:
    """Follow nextPageToken to the end; the changes and the newStartPageToken."""
    out: list[dict[str, Any]] = []
    while True:
        page = drive(who).changes().list(pageToken=token, **kw).execute()
        out += page["changes"]
        if "newStartPageToken" in page:
            assert "nextPageToken" not in page
            return out, page["newStartPageToken"]
        token = page["nextPageToken"]


def failure(exc: pytest.ExceptionInfo[HttpError]) -> tuple[int, str, str]:
    body = json.loads(exc.value.content)["error"]
    return exc.value.resp.status, body["errors"][0]["reason"], body["message"]


def test_changes_list_reports_own_new_file_in_default_shape(drive: Any) -> None:
    ann = email("ann")
    token = start_token(drive, ann)
    file_id = new_sheet(drive, ann)
    page = drive(ann).changes().list(pageToken=token).execute()
    assert page["kind"] == "drive#changeList"
    assert int(page["newStartPageToken"]) > int(token)
    assert page["changes"] == [
        {
            "kind": "drive#change",
            "type": "file",
            "changeType": "file",
            "time": page["changes"][0]["time"],
            "removed": False,
            "fileId": file_id,
            "file": {"kind": "drive#file", "id": file_id, "name": "Plan", "mimeType": SHEET},
        }
    ]


def test_changes_list_shows_files_shared_with_the_caller(drive: Any, sheets: Any) -> None:
    ann, bob, eve = email("ann"), email("bob"), email("eve")
    token_bob, token_eve = start_token(drive, bob), start_token(drive, eve)
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, bob, "reader")
    sheets(ann).spreadsheets().values().update(
        spreadsheetId=file_id, range="A1", valueInputOption="RAW", body={"values": [["x"]]}
    ).execute()
    changes, _ = all_changes(drive, bob, token_bob, fields="*")
    assert [c["fileId"] for c in changes] == [file_id]
    assert changes[0]["file"]["owners"][0]["emailAddress"] == ann
    assert all_changes(drive, eve, token_eve)[0] == []


def test_several_changes_to_one_file_collapse_to_its_latest_state(drive: Any) -> None:
    ann = email("ann")
    token = start_token(drive, ann)
    file_id = new_sheet(drive, ann, "First")
    for name in ("Second", "Third"):
        drive(ann).files().update(fileId=file_id, body={"name": name}).execute()
    changes, _ = all_changes(drive, ann, token, fields="*")
    assert len(changes) == 1
    assert changes[0]["file"]["name"] == "Third"


def test_new_start_page_token_yields_only_later_changes(drive: Any) -> None:
    ann = email("ann")
    first = new_sheet(drive, ann, "One")
    _, token = all_changes(drive, ann, start_token(drive, ann))
    second = new_sheet(drive, ann, "Two")
    changes, _ = all_changes(drive, ann, token)
    assert [c["fileId"] for c in changes] == [second]
    assert first != second


def test_changes_page_with_next_page_token(drive: Any) -> None:
    ann = email("ann")
    token = start_token(drive, ann)
    ids = [new_sheet(drive, ann, f"F{i}") for i in range(5)]
    first = drive(ann).changes().list(pageToken=token, pageSize=2).execute()
    assert len(first["changes"]) == 2 and "nextPageToken" in first
    assert "newStartPageToken" not in first
    changes, _ = all_changes(drive, ann, token, pageSize=2)
    assert [c["fileId"] for c in changes] == ids


def test_losing_access_shows_a_removed_change(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    perm = share(drive, ann, file_id, bob, "writer")
    _, token = all_changes(drive, bob, start_token(drive, bob))
    drive(ann).permissions().delete(fileId=file_id, permissionId=perm).execute()
    drive(ann).files().update(fileId=file_id, body={"name": "After"}).execute()
    changes, _ = all_changes(drive, bob, token)
    assert len(changes) == 1
    assert changes[0]["removed"] is True and changes[0]["fileId"] == file_id
    assert "file" not in changes[0]
    assert all_changes(drive, bob, token, includeRemoved=False)[0] == []


def test_deleting_a_file_shows_removed_to_everyone_who_saw_it(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, bob, "reader")
    tokens = {who: all_changes(drive, who, start_token(drive, who))[1] for who in (ann, bob)}
    drive(ann).files().delete(fileId=file_id).execute()
    for who, token in tokens.items():
        changes, _ = all_changes(drive, who, token)
        assert [(c["fileId"], c["removed"]) for c in changes] == [(file_id, True)]


def test_changes_list_requires_a_page_token(local_google: Any) -> None:
    # The client library refuses to send this request, so it goes out by hand.
    resp = requests.get(
        f"{local_google.url}/drive/v3/changes",
        headers={"Authorization": f"Bearer local:{email('ann')}"},
        timeout=10,
    )
    assert resp.status_code == 400
    assert resp.json()["error"]["errors"][0] == {
        "message": "Required parameter: pageToken",
        "domain": "global",
        "reason": "required",
        "location": "pageToken",
        "locationType": "parameter",
    }


def test_changes_list_rejects_an_invalid_page_token(drive: Any) -> None:
    with pytest.raises(HttpError) as exc:
        drive(email("ann")).changes().list(pageToken="not-a-token").execute()
    status, reason, _ = failure(exc)
    assert (status, reason) == (400, "invalid")


def test_revisions_list_and_get_for_writers(drive: Any, sheets: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, bob, "writer")
    sheets(bob).spreadsheets().values().update(
        spreadsheetId=file_id, range="A1", valueInputOption="RAW", body={"values": [["x"]]}
    ).execute()
    listed = drive(ann).revisions().list(fileId=file_id).execute()
    assert listed["kind"] == "drive#revisionList"
    assert [r["id"] for r in listed["revisions"]] == ["1", "2"]
    assert set(listed["revisions"][0]) == {"kind", "id", "mimeType", "modifiedTime"}
    last = drive(bob).revisions().get(fileId=file_id, revisionId="2", fields="*").execute()
    assert last["lastModifyingUser"]["emailAddress"] == bob and last["lastModifyingUser"]["me"]
    assert last["mimeType"] == SHEET
    with pytest.raises(HttpError) as exc:
        drive(ann).revisions().get(fileId=file_id, revisionId="99").execute()
    assert failure(exc) == (404, "notFound", "Revision not found: 99.")


def test_readers_cannot_read_revisions(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, bob, "reader")
    with pytest.raises(HttpError) as exc:
        drive(bob).revisions().list(fileId=file_id).execute()
    assert failure(exc)[:2] == (403, "insufficientFilePermissions")


def test_comments_require_fields(drive: Any) -> None:
    ann = email("ann")
    file_id = new_sheet(drive, ann)
    with pytest.raises(HttpError) as exc:
        drive(ann).comments().list(fileId=file_id).execute()
    assert failure(exc) == (400, "required", "The 'fields' parameter is required for this method.")
    with pytest.raises(HttpError) as exc:
        drive(ann).comments().create(fileId=file_id, body={"content": "x"}).execute()
    assert failure(exc)[0] == 400


def test_comments_create_list_get_hide_author_email(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, bob, "commenter")
    created = (
        drive(bob)
        .comments()
        .create(fileId=file_id, body={"content": "Can we move <kickoff>?"}, fields="*")
        .execute()
    )
    assert created["author"] == {
        "kind": "drive#user",
        "displayName": bob.split("@")[0],
        "me": True,
    }
    assert created["htmlContent"] == "Can we move &lt;kickoff&gt;?"
    assert created["resolved"] is False and created["replies"] == []
    listed = (
        drive(ann).comments().list(fileId=file_id, fields="comments(id,content,author)").execute()
    )
    assert listed == {
        "comments": [
            {
                "id": created["id"],
                "content": "Can we move <kickoff>?",
                "author": {"kind": "drive#user", "displayName": bob.split("@")[0], "me": False},
            }
        ]
    }
    got = drive(ann).comments().get(fileId=file_id, commentId=created["id"], fields="id").execute()
    assert got == {"id": created["id"]}
    with pytest.raises(HttpError) as exc:
        drive(ann).comments().get(fileId=file_id, commentId="nope", fields="id").execute()
    assert failure(exc) == (404, "notFound", "Comment not found: nope.")


def test_readers_cannot_comment(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, bob, "reader")
    with pytest.raises(HttpError) as exc:
        drive(bob).comments().create(fileId=file_id, body={"content": "hi"}, fields="id").execute()
    assert failure(exc)[:2] == (403, "insufficientFilePermissions")


def test_gspread_copy_carries_comments(gspread_as: Any, drive: Any) -> None:
    ann = email("ann")
    client = gspread_as(ann)
    original = client.create("With comments")
    drive(ann).comments().create(
        fileId=original.id, body={"content": "Note"}, fields="id"
    ).execute()
    duplicate = client.copy(original.id, title="Dup")
    listed = drive(ann).comments().list(fileId=duplicate.id, fields="comments(content)").execute()
    assert listed == {"comments": [{"content": "Note"}]}
