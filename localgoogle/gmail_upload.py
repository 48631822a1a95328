"""The media upload form of Gmail's `messages.send`, `drafts.create` and `drafts.send`:
`POST /upload/gmail/v1/users/{userId}/...` with `uploadType=media` (the body is the RFC 2822
message, `message/rfc822`) or `uploadType=multipart` (`multipart/related`: the JSON metadata,
then the message). https://developers.google.com/gmail/api/guides/uploads; the discovery
document's `mediaUpload` gives the paths, `accept: message/*` and `maxSize` 36700160.
`uploadType=resumable` answers 501. Counted under the method id of the metadata form.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from email.message import Message
from typing import Any

from flask import Blueprint, Response, request

from . import gmail_api
from . import gmail_mime as mime
from .context import caller_email, error_response, json_response, local_google
from .errors import ApiError, bad_request, not_implemented

bp = Blueprint("gmail_upload", __name__)
PREFIX = "/upload/gmail/v1/users/<user_id>"


def _split_multipart() -> tuple[dict[str, Any], bytes]:
    """(metadata, message bytes) of a multipart/related body."""
    head = f"Content-Type: {request.headers.get('Content-Type', '')}\r\n\r\n".encode()
    container = mime.parse(head + request.get_data())
    parts = container.get_payload() if container.is_multipart() else None
    if not isinstance(parts, list) or len(parts) != 2:
        raise bad_request("A multipart upload needs a metadata part and a media part.")
    first, second = parts
    if not isinstance(first, Message) or not isinstance(second, Message):
        raise bad_request("A multipart upload needs a metadata part and a media part.")
    meta_bytes = first.get_payload(decode=True)
    media = second.get_payload(decode=True)
    try:
        metadata = json.loads(meta_bytes if isinstance(meta_bytes, bytes) else b"{}")
    except ValueError as exc:
        raise bad_request(f"Invalid JSON payload received. {exc}") from exc
    if not isinstance(metadata, dict):
        raise bad_request("Invalid JSON payload received. Root element must be a message.")
    return metadata, media if isinstance(media, bytes) else b""


Action = Callable[[str, bytes, dict[str, Any]], Any]


def _serve(method_id: str, user_id: str, act: Action) -> Response:
    lg = local_google()
    try:
        email = caller_email()
        lg.accounting.count(method_id, email)
        lg.accounting.delay()
        lg.accounting.check_quota(email, "gmail")
        lg.accounting.maybe_fail()
        kind = request.args.get("uploadType")
        if kind == "media":
            metadata: dict[str, Any] = {}
            data = request.get_data()
        elif kind == "multipart":
            metadata, data = _split_multipart()
        else:
            raise not_implemented(f"Gmail uploads with uploadType={kind}")
        content_type = (request.content_type or "").split(";", 1)[0].strip().lower()
        if kind == "media" and not content_type.startswith("message/"):
            raise bad_request(  # approximate wording
                f"Media type '{content_type}' is not supported. Valid media types: [message/*]"
            )
        owner = gmail_api.mailbox_of(email, user_id)
        result = act(owner, data, metadata)
        lg.accounting.maybe_fail_after_write()
        return json_response(result)
    except ApiError as error:
        return error_response(error, "gmail")


@bp.post(f"{PREFIX}/messages/send")
def send(user_id: str) -> Response:
    return _serve("gmail.users.messages.send", user_id, gmail_api.send_bytes)


@bp.post(f"{PREFIX}/drafts")
def create_draft(user_id: str) -> Response:
    return _serve(
        "gmail.users.drafts.create",
        user_id,
        lambda owner, data, meta: gmail_api.create_draft(owner, data, meta.get("message")),
    )


@bp.post(f"{PREFIX}/drafts/send")
def send_draft(user_id: str) -> Response:
    return _serve(
        "gmail.users.drafts.send",
        user_id,
        lambda owner, data, meta: gmail_api.send_draft(owner, meta.get("id"), data),
    )
