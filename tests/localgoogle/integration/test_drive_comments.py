"""Drive v3 comments and replies at the stand-in, through google-api-python-client.

References:
- comments.list: https://developers.google.com/drive/api/reference/rest/v3/comments/list
  (`startModifiedTime`: "the minimum value of 'modifiedTime' for the result comments";
  `pageSize` at most 100; `nextPageToken` absent at the end of the list)
- Comment: https://developers.google.com/drive/api/reference/rest/v3/comments (`modifiedTime`:
  "the last time the comment or any of its replies was modified"; `replies`: "the full list of
  replies to the comment in chronological order"; `resolved`: "resolved by one of its replies")
- replies.create / replies.list:
  https://developers.google.com/drive/api/reference/rest/v3/replies/create,
  https://developers.google.com/drive/api/reference/rest/v3/replies/list (`content` "required
  ... if no `action` value is specified"; `action` is `resolve` or `reopen`)
- File.version: https://developers.google.com/drive/api/reference/rest/v3/files#File.FIELDS.version
  ("reflects every change made to the file on the server, even those not visible to the user")
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from test_drive_changes import all_changes, failure, new_sheet, share, start_token


def email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}@acme.test"


def _comment(drive: Any, who: str, file_id: str, text: str) -> dict[str, Any]:
    body = {"content": text}
    return dict(drive(who).comments().create(fileId=file_id, body=body, fields="*").execute())


def _reply(drive: Any, who: str, file_id: str, comment_id: str, **body: Any) -> dict[str, Any]:
    request = (
        drive(who).replies().create(fileId=file_id, commentId=comment_id, body=body, fields="*")
    )
    return dict(request.execute())


def test_a_reply_is_listed_with_its_comment_and_moves_the_comments_modified_time(
    drive: Any,
) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, bob, "commenter")
    asked = _comment(drive, bob, file_id, "Who signs <the> order form?")
    reply = _reply(drive, ann, file_id, asked["id"], content="Our CFO & legal")
    assert reply["kind"] == "drive#reply" and reply["content"] == "Our CFO & legal"
    assert reply["htmlContent"] == "Our CFO &amp; legal"  # never live HTML
    assert reply["author"] == {"kind": "drive#user", "displayName": ann.split("@")[0], "me": True}
    listed = (
        drive(bob)
        .comments()
        .list(fileId=file_id, fields="comments(id,modifiedTime,replies(id,content,author))")
        .execute()
    )
    (comment,) = listed["comments"]
    assert comment["replies"] == [
        {
            "id": reply["id"],
            "content": "Our CFO & legal",
            "author": {"kind": "drive#user", "displayName": ann.split("@")[0], "me": False},
        }
    ]
    assert comment["modifiedTime"] >= reply["createdTime"] >= asked["modifiedTime"]
    replies = (
        drive(bob)
        .replies()
        .list(fileId=file_id, commentId=asked["id"], fields="replies(id),nextPageToken")
        .execute()
    )
    assert replies == {"replies": [{"id": reply["id"]}]}


def test_start_modified_time_keeps_comments_modified_since_including_by_a_reply(
    drive: Any,
) -> None:
    ann = email("ann")
    file_id = new_sheet(drive, ann)
    old = _comment(drive, ann, file_id, "first")
    time.sleep(0.01)  # Drive's times have milliseconds: the two comments' times differ
    other = _comment(drive, ann, file_id, "second")
    since = other["modifiedTime"]
    fields = "comments(id)"
    listed = drive(ann).comments().list(fileId=file_id, startModifiedTime=since, fields=fields)
    assert [c["id"] for c in listed.execute()["comments"]] == [other["id"]]  # inclusive
    time.sleep(0.01)
    _reply(drive, ann, file_id, old["id"], content="later")
    later = (
        drive(ann)
        .comments()
        .list(fileId=file_id, startModifiedTime=since, fields="comments(id,modifiedTime)")
        .execute()["comments"]
    )
    assert old["id"] in {c["id"] for c in later}
    future = "2999-01-01T00:00:00.000Z"
    none = drive(ann).comments().list(fileId=file_id, startModifiedTime=future, fields=fields)
    assert none.execute() == {"comments": []}


def test_comments_come_in_pages_of_page_size(drive: Any) -> None:
    ann = email("ann")
    file_id = new_sheet(drive, ann)
    made = [_comment(drive, ann, file_id, f"note {n}")["id"] for n in range(3)]
    comments = drive(ann).comments()
    first = comments.list(fileId=file_id, pageSize=2, fields="comments(id),nextPageToken")
    page = first.execute()
    assert [c["id"] for c in page["comments"]] == made[:2] and page["nextPageToken"]
    rest = comments.list(
        fileId=file_id, pageSize=2, pageToken=page["nextPageToken"], fields="*"
    ).execute()
    assert [c["id"] for c in rest["comments"]] == made[2:] and "nextPageToken" not in rest


def test_resolve_and_reopen_are_replies_that_set_resolved(drive: Any) -> None:
    ann = email("ann")
    file_id = new_sheet(drive, ann)
    asked = _comment(drive, ann, file_id, "Is SSO in scope?")
    resolved = _reply(drive, ann, file_id, asked["id"], action="resolve")
    assert resolved["action"] == "resolve" and "content" not in resolved
    fields = "id,resolved,replies(action)"
    got = drive(ann).comments().get(fileId=file_id, commentId=asked["id"], fields=fields)
    assert got.execute() == {
        "id": asked["id"],
        "resolved": True,
        "replies": [{"action": "resolve"}],
    }
    _reply(drive, ann, file_id, asked["id"], action="reopen", content="Not yet")
    again = drive(ann).comments().get(fileId=file_id, commentId=asked["id"], fields="resolved")
    assert again.execute() == {"resolved": False}


def test_a_reply_needs_content_or_an_action_and_a_commenter(drive: Any) -> None:
    ann, rae = email("ann"), email("rae")
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, rae, "reader")
    asked = _comment(drive, ann, file_id, "Budget approved?")
    with pytest.raises(HttpError) as exc:
        _reply(drive, ann, file_id, asked["id"])
    assert failure(exc) == (400, "required", "Required field: content")
    with pytest.raises(HttpError) as exc:
        _reply(drive, rae, file_id, asked["id"], content="yes")
    assert failure(exc)[:2] == (403, "insufficientFilePermissions")
    with pytest.raises(HttpError) as exc:
        _reply(drive, ann, file_id, "nope", content="yes")
    assert failure(exc) == (404, "notFound", "Comment not found: nope.")
    with pytest.raises(HttpError) as exc:
        drive(ann).replies().list(fileId=file_id, commentId=asked["id"]).execute()
    assert failure(exc)[:2] == (400, "required")


def test_a_comment_or_reply_is_a_change_of_the_file_with_a_new_version(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, bob, "commenter")
    token = start_token(drive, ann)
    before = drive(ann).files().get(fileId=file_id, fields="version,modifiedTime").execute()
    asked = _comment(drive, bob, file_id, "Can we start earlier?")
    fields = "nextPageToken,newStartPageToken,changes(fileId,file(version,modifiedTime))"
    changes, token = all_changes(drive, ann, token, fields=fields)
    assert [c["fileId"] for c in changes] == [file_id]
    assert int(changes[0]["file"]["version"]) > int(before["version"])
    assert changes[0]["file"]["modifiedTime"] == before["modifiedTime"]  # content unchanged
    _reply(drive, ann, file_id, asked["id"], content="Yes")
    changes, _ = all_changes(drive, ann, token, fields=fields)
    assert [c["fileId"] for c in changes] == [file_id]
