"""Drive v3 `comments` (list, get, create) and `replies` (list, create).

https://developers.google.com/drive/api/guides/manage-comments

Like Drive, every comments and replies method requires an explicit `fields` selector, and an
author comes without email address or permission id. Anyone who can read the file reads its
comments; commenters and up may add them and reply. A comment's `modifiedTime` is "the last time
the comment or any of its replies was modified", so a reply moves it, and a reply whose `action`
is `resolve` or `reopen` sets the comment's `resolved`
(https://developers.google.com/drive/api/reference/rest/v3/comments,
https://developers.google.com/drive/api/reference/rest/v3/replies).

A new comment or reply is a change of the file: it bumps the file's `version` ("every change
made to the file on the server, even those not visible to the user",
https://developers.google.com/drive/api/reference/rest/v3/files#File.FIELDS.version) and enters
the change feed, without touching the file's `modifiedTime` (the content did not change).
"""

from __future__ import annotations

import html
import secrets
import string
from typing import Any

from . import access
from . import drive_common as dc
from .context import Caller, local_google
from .drive_query import parse_time
from .drive_routes import route
from .errors import ApiError
from .storage import Tx

WRITABLE = frozenset(
    {"kind", "content", "anchor", "quotedFileContent", "createdTime", "modifiedTime"}
)
REPLY_WRITABLE = frozenset({"kind", "content", "action", "createdTime", "modifiedTime"})
ACTIONS = {"resolve": True, "reopen": False}  # a reply's action -> the comment's `resolved`
_ID_CHARS = string.ascii_letters + string.digits


def render_comment(comment: dict[str, Any], caller: str) -> dict[str, Any]:
    """The Comment resource as `caller` sees it."""
    author = dc.user(comment["authorEmail"], caller)
    out: dict[str, Any] = {
        "kind": "drive#comment",
        "id": comment["id"],
        "createdTime": comment["createdTime"],
        "modifiedTime": comment["modifiedTime"],
        "author": {k: author[k] for k in ("kind", "displayName", "me")},
        "deleted": bool(comment.get("deleted")),
        "resolved": bool(comment.get("resolved")),
        "replies": [
            render_reply(r, caller) for r in comment.get("replies") or [] if not r.get("deleted")
        ],
    }
    if not comment.get("deleted"):
        out.update(_content(comment))
        for key in ("anchor", "quotedFileContent"):
            if comment.get(key) is not None:
                out[key] = comment[key]
    return out


def render_reply(reply: dict[str, Any], caller: str) -> dict[str, Any]:
    """The Reply resource as `caller` sees it."""
    author = dc.user(reply["authorEmail"], caller)
    out: dict[str, Any] = {
        "kind": "drive#reply",
        "id": reply["id"],
        "createdTime": reply["createdTime"],
        "modifiedTime": reply["modifiedTime"],
        "author": {k: author[k] for k in ("kind", "displayName", "me")},
        "deleted": bool(reply.get("deleted")),
    }
    if reply.get("action"):
        out["action"] = reply["action"]
    if not reply.get("deleted") and reply.get("content"):
        out.update(_content(reply))
    return out


def _content(item: dict[str, Any]) -> dict[str, str]:
    """Plain `content` as written, and `htmlContent` escaped: typed text is never live HTML."""
    text = str(item["content"])
    return {"content": text, "htmlContent": html.escape(text).replace("\n", "<br>")}


def _new_id() -> str:
    return "AAAB" + "".join(secrets.choice(_ID_CHARS) for _ in range(7))


def _required(field: str) -> ApiError:
    return ApiError(
        400, f"Required field: {field}", reason="required", location=field, location_type="other"
    )


def _not_found(comment_id: str) -> ApiError:
    return ApiError(
        404,
        f"Comment not found: {comment_id}.",
        reason="notFound",
        location="commentId",
        location_type="parameter",
    )


@route("GET", "drive.comments.list")
def list_comments(caller: Caller, fileId: str) -> dict[str, Any]:  # noqa: N803 - path parameter
    """https://developers.google.com/drive/api/reference/rest/v3/comments/list"""
    dc.require_fields(caller)
    size = dc.page_size(caller, 20, 100)
    include_deleted = caller.flag("includeDeleted")
    since_text = caller.arg("startModifiedTime")
    since = parse_time(since_text) if since_text else None
    with local_google().storage.transaction() as tx:
        access.open_file(tx, fileId, caller.email, "reader", "drive")
        stored = tx.comments(fileId)
    shown = [
        render_comment(c, caller.email)
        for c in stored
        if (include_deleted or not c.get("deleted"))
        and (since is None or parse_time(c["modifiedTime"]) >= since)
    ]
    page, token = dc.paged(shown, caller, "comments", size)
    out: dict[str, Any] = {"kind": "drive#commentList", "comments": page}
    if token:
        out["nextPageToken"] = token
    return out


@route("GET", "drive.comments.get")
def get_comment(caller: Caller, fileId: str, commentId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/drive/api/reference/rest/v3/comments/get"""
    dc.require_fields(caller)
    with local_google().storage.transaction() as tx:
        access.open_file(tx, fileId, caller.email, "reader", "drive")
        for comment in tx.comments(fileId):
            if comment["id"] == commentId:
                if comment.get("deleted") and not caller.flag("includeDeleted"):
                    break
                return render_comment(comment, caller.email)
    raise _not_found(commentId)


@route("POST", "drive.comments.create")
def create_comment(caller: Caller, fileId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/drive/api/reference/rest/v3/comments/create"""
    dc.require_fields(caller)
    body = caller.body or {}
    if any(v is not None and k not in WRITABLE for k, v in body.items()):
        raise dc.not_writable()
    if not body.get("content"):
        raise _required("content")
    now = access.now_rfc3339()
    comment: dict[str, Any] = {
        "id": _new_id(),
        "content": body["content"],
        "authorEmail": caller.email,
        "createdTime": body.get("createdTime") or now,
        "modifiedTime": body.get("modifiedTime") or now,
        "resolved": False,
        "deleted": False,
    }
    for key in ("anchor", "quotedFileContent"):
        if body.get(key) is not None:
            comment[key] = body[key]
    with local_google().storage.transaction() as tx:
        meta = access.open_file(tx, fileId, caller.email, "commenter", "drive")
        tx.put_comment(fileId, comment)
        dc.touch(tx, meta)
    return render_comment(comment, caller.email)


def _find(tx: Tx, file_id: str, comment_id: str) -> dict[str, Any]:
    """The stored comment (deleted ones included); 404 when the file has no such comment."""
    for comment in tx.comments(file_id):
        if comment["id"] == comment_id:
            return dict(comment)
    raise _not_found(comment_id)


@route("GET", "drive.replies.list")
def list_replies(caller: Caller, fileId: str, commentId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/drive/api/reference/rest/v3/replies/list"""
    dc.require_fields(caller)
    size = dc.page_size(caller, 20, 100)
    include_deleted = caller.flag("includeDeleted")
    with local_google().storage.transaction() as tx:
        access.open_file(tx, fileId, caller.email, "reader", "drive")
        comment = _find(tx, fileId, commentId)
    shown = [
        render_reply(r, caller.email)
        for r in comment.get("replies") or []
        if include_deleted or not r.get("deleted")
    ]
    page, token = dc.paged(shown, caller, "replies", size)
    out: dict[str, Any] = {"kind": "drive#replyList", "replies": page}
    if token:
        out["nextPageToken"] = token
    return out


@route("POST", "drive.replies.create")
def create_reply(caller: Caller, fileId: str, commentId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/drive/api/reference/rest/v3/replies/create

    `content` is required unless `action` is set; `resolve` and `reopen` set the comment's
    `resolved`, and the reply moves the comment's `modifiedTime`.
    """
    dc.require_fields(caller)
    body = caller.body or {}
    if any(v is not None and k not in REPLY_WRITABLE for k, v in body.items()):
        raise dc.not_writable()
    action = body.get("action")
    if action is not None and action not in ACTIONS:
        raise dc.invalid_param("action")
    if not body.get("content") and action is None:
        raise _required("content")
    now = access.now_rfc3339()
    reply: dict[str, Any] = {
        "id": _new_id(),
        "authorEmail": caller.email,
        "createdTime": body.get("createdTime") or now,
        "modifiedTime": body.get("modifiedTime") or now,
        "deleted": False,
    }
    if body.get("content"):
        reply["content"] = body["content"]
    if action is not None:
        reply["action"] = action
    with local_google().storage.transaction() as tx:
        meta = access.open_file(tx, fileId, caller.email, "commenter", "drive")
        comment = _find(tx, fileId, commentId)
        if comment.get("deleted"):
            raise _not_found(commentId)
        comment["replies"] = [*(comment.get("replies") or []), reply]
        comment["modifiedTime"] = max(comment["modifiedTime"], reply["modifiedTime"])
        if action is not None:
            comment["resolved"] = ACTIONS[action]
        tx.put_comment(fileId, comment)
        dc.touch(tx, meta)
    return render_reply(reply, caller.email)
