"""Drive v3 `comments`: list, get, create.

https://developers.google.com/drive/api/guides/manage-comments

Like Drive, every comments method requires an explicit `fields` selector, and a comment's author
comes without email address or permission id. Anyone who can read the file reads its comments;
commenters and up may add them.
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

WRITABLE = frozenset(
    {"kind", "content", "anchor", "quotedFileContent", "createdTime", "modifiedTime"}
)
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
        "replies": [],
    }
    if not comment.get("deleted"):
        out["content"] = comment["content"]
        out["htmlContent"] = html.escape(comment["content"]).replace("\n", "<br>")
        for key in ("anchor", "quotedFileContent"):
            if comment.get(key) is not None:
                out[key] = comment[key]
    return out


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
        raise ApiError(
            400,
            "Required field: content",
            reason="required",
            location="content",
            location_type="other",
        )
    now = access.now_rfc3339()
    comment: dict[str, Any] = {
        "id": "AAAB" + "".join(secrets.choice(_ID_CHARS) for _ in range(7)),
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
        access.open_file(tx, fileId, caller.email, "commenter", "drive")
        tx.put_comment(fileId, comment)
    return render_comment(comment, caller.email)
