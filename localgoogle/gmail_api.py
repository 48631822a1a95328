"""Gmail v1: `users.messages` send, get and list, `users.drafts` create, get, list, send and
delete, and `users.getProfile`, served under `gmail/v1/` as the bundled discovery document
(rootUrl https://gmail.googleapis.com/, servicePath "") lays them out.

https://developers.google.com/gmail/api/reference/rest/v1/users.messages
https://developers.google.com/gmail/api/reference/rest/v1/users.drafts
Each caller has one mailbox: what they sent (label SENT; also INBOX and UNREAD when they are
among the recipients, as Gmail files a message to oneself) and their drafts (label DRAFT).
Messages are not delivered to other people's mailboxes; the outbox page of the UI shows them.
`userId` is "me" or the caller's own address; anyone else's is 403 "Delegation denied for
<caller>" (Gmail's answer, googleapis/google-api-nodejs-client issue 2510). The media upload
form of the three methods that take a message is served by `gmail_upload`.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from flask import Response

from . import gmail_mime as mime
from .context import Caller, local_google
from .errors import bad_request, not_found, not_implemented, permission_denied
from .routing import Router
from .storage import Tx

_router = Router("gmail", "")

NOT_FOUND = "Requested entity was not found."
DEFAULT_MAX_RESULTS = 100
MAX_RESULTS = 500
FORMATS = ("full", "raw", "metadata", "minimal")


def mailbox_of(caller_email: str, user_id: str) -> str:
    """The mailbox `userId` names: "me" or the caller's address; 403 for anyone else's."""
    if user_id == "me" or user_id.lower() == caller_email:
        return caller_email
    raise permission_denied(f"Delegation denied for {caller_email}", reason="forbidden")


def _message_id(tx: Tx) -> str:
    """A Gmail-like id: 16 hex digits that grow with time (ms, then random low bits)."""
    while True:
        candidate = f"{(int(time.time() * 1000) << 20 | secrets.randbits(20)):016x}"
        if tx.conn.execute("SELECT 1 FROM mail WHERE id = ?", (candidate,)).fetchone() is None:
            return candidate


def _draft_id() -> str:
    return "r" + str(secrets.randbelow(9 * 10**18) + 10**18)


def _raw_of(body: object, field: str, required_message: str) -> bytes:
    """The decoded `raw` of a Message body (or 400 with Gmail's wording when it is missing)."""
    raw = body.get("raw") if isinstance(body, dict) else None
    if not raw:
        raise bad_request(required_message)
    return mime.decode_raw(raw, field)


# Gmail's answer to messages.send without a message (no `raw` and no upload).
RAW_REQUIRED = "'raw' RFC822 payload message string or uploading message via /upload/* URL required"


def store_message(
    tx: Tx,
    owner: str,
    data: bytes,
    labels: list[str],
    thread_id: object = None,
    reuse: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Complete, check and store a message of `owner`'s mailbox; its stored entry."""
    mime.check_size(data)
    data = mime.complete(data, owner)
    message = mime.parse(data)
    if "SENT" in labels:
        mime.require_recipients(message)
        if owner in mime.recipients(message):
            labels = [*labels, "INBOX", "UNREAD"]
    else:
        mime.recipients(message)  # a draft may lack recipients, not have malformed ones
    message_id = reuse["id"] if reuse else _message_id(tx)
    thread = reuse["threadId"] if reuse else None
    if thread is None and isinstance(thread_id, str) and thread_id:
        if any(m["threadId"] == thread_id for m in tx.mailbox(owner)):
            thread = thread_id
    entry: dict[str, Any] = {
        "id": message_id,
        "owner": owner,
        "threadId": thread or message_id,
        "labelIds": labels,
        "internalDate": str(int(time.time() * 1000)),
        "historyId": str(tx.next_mail_history()),
        "raw": mime.encode(data),
    }
    tx.put_mail(entry)
    return entry


def render(
    entry: dict[str, Any], fmt: str = "full", only: list[str] | None = None
) -> dict[str, Any]:
    """The Message resource of a stored entry in one of the four formats."""
    data = mime.decode_raw(entry["raw"], "raw")
    message = mime.parse(data)
    out: dict[str, Any] = {
        "id": entry["id"],
        "threadId": entry["threadId"],
        "labelIds": list(entry["labelIds"]),
    }
    out["snippet"] = mime.snippet(message)
    out["sizeEstimate"] = len(data)
    out["historyId"] = entry["historyId"]
    out["internalDate"] = entry["internalDate"]
    if fmt == "metadata":
        out["payload"] = {
            "mimeType": message.get_content_type(),
            "headers": mime.headers(message, only or None),
        }
    elif fmt == "full":
        out["payload"] = mime.payload(message)
    elif fmt == "raw":
        out["raw"] = entry["raw"]
    return out


def _format(caller: Caller) -> str:
    fmt = caller.arg("format") or "full"
    if fmt not in FORMATS:  # the discovery enum is checked first; kept for direct callers
        raise bad_request(f"Invalid format: {fmt}")
    return fmt


def _page(caller: Caller) -> tuple[int, int]:
    """(offset, size) from pageToken and maxResults (default 100, at most 500)."""
    size = int(caller.arg("maxResults") or DEFAULT_MAX_RESULTS)
    size = min(max(size, 1), MAX_RESULTS)
    token = caller.arg("pageToken") or "0"
    if not token.isdigit():
        raise bad_request("Invalid pageToken")  # approximate
    return int(token), size


def _no_query(caller: Caller) -> None:
    if caller.arg("q"):
        raise not_implemented("Gmail search queries (the `q` parameter)")


# -------------------------------------------------------------------- messages


@_router.add("POST", "gmail.users.messages.send")
def messages_send(caller: Caller, userId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/gmail/api/reference/rest/v1/users.messages/send"""
    owner = mailbox_of(caller.email, userId)
    data = _raw_of(caller.body, "message.raw", RAW_REQUIRED)
    return send_bytes(owner, data, caller.body)


def send_bytes(owner: str, data: bytes, metadata: object) -> dict[str, Any]:
    """Send `data` from `owner`'s mailbox; the Message as messages.send answers it."""
    thread = metadata.get("threadId") if isinstance(metadata, dict) else None
    with local_google().storage.transaction() as tx:
        entry = store_message(tx, owner, data, ["SENT"], thread)
    return {"id": entry["id"], "threadId": entry["threadId"], "labelIds": entry["labelIds"]}


@_router.add("GET", "gmail.users.messages.get")
def messages_get(caller: Caller, userId: str, id: str) -> dict[str, Any]:  # noqa: A002, N803
    """https://developers.google.com/gmail/api/reference/rest/v1/users.messages/get"""
    owner = mailbox_of(caller.email, userId)
    fmt = _format(caller)
    with local_google().storage.transaction() as tx:
        entry = tx.mail(owner, id)
    if entry is None:
        raise not_found(NOT_FOUND)
    return render(entry, fmt, caller.arg_list("metadataHeaders"))


@_router.add("GET", "gmail.users.messages.list")
def messages_list(caller: Caller, userId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/gmail/api/reference/rest/v1/users.messages/list

    Newest first; `labelIds` keeps messages carrying every label named; `q` answers 501.
    """
    owner = mailbox_of(caller.email, userId)
    _no_query(caller)
    offset, size = _page(caller)
    labels = set(caller.arg_list("labelIds"))
    with local_google().storage.transaction() as tx:
        entries = [e for e in tx.mailbox(owner) if labels <= set(e["labelIds"])]
    page = entries[offset : offset + size]
    out: dict[str, Any] = {}
    if page:
        out["messages"] = [{"id": e["id"], "threadId": e["threadId"]} for e in page]
    if offset + size < len(entries):
        out["nextPageToken"] = str(offset + size)
    out["resultSizeEstimate"] = len(page)
    return out


# -------------------------------------------------------------------- drafts


def _draft(entry: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    return {"id": entry["draftId"], "message": message}


def _short(entry: dict[str, Any]) -> dict[str, Any]:
    return {"id": entry["id"], "threadId": entry["threadId"], "labelIds": entry["labelIds"]}


@_router.add("POST", "gmail.users.drafts.create")
def drafts_create(caller: Caller, userId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/gmail/api/reference/rest/v1/users.drafts/create"""
    owner = mailbox_of(caller.email, userId)
    message = caller.body.get("message") if isinstance(caller.body, dict) else None
    data = _raw_of(message, "draft.message.raw", RAW_REQUIRED)
    return create_draft(owner, data, message)


def create_draft(owner: str, data: bytes, message: object) -> dict[str, Any]:
    thread = message.get("threadId") if isinstance(message, dict) else None
    with local_google().storage.transaction() as tx:
        entry = store_message(tx, owner, data, ["DRAFT"], thread)
        entry["draftId"] = _draft_id()
        tx.put_mail(entry)
    return _draft(entry, _short(entry))


@_router.add("GET", "gmail.users.drafts.get")
def drafts_get(caller: Caller, userId: str, id: str) -> dict[str, Any]:  # noqa: A002, N803
    """https://developers.google.com/gmail/api/reference/rest/v1/users.drafts/get"""
    owner = mailbox_of(caller.email, userId)
    fmt = _format(caller)
    with local_google().storage.transaction() as tx:
        entry = tx.mail_by_draft(owner, id)
    if entry is None:
        raise not_found(NOT_FOUND)
    return _draft(entry, render(entry, fmt))


@_router.add("GET", "gmail.users.drafts.list")
def drafts_list(caller: Caller, userId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/gmail/api/reference/rest/v1/users.drafts/list"""
    owner = mailbox_of(caller.email, userId)
    _no_query(caller)
    offset, size = _page(caller)
    with local_google().storage.transaction() as tx:
        entries = [e for e in tx.mailbox(owner) if e.get("draftId")]
    page = entries[offset : offset + size]
    out: dict[str, Any] = {}
    if page:
        out["drafts"] = [_draft(e, {"id": e["id"], "threadId": e["threadId"]}) for e in page]
    if offset + size < len(entries):
        out["nextPageToken"] = str(offset + size)
    out["resultSizeEstimate"] = len(page)
    return out


@_router.add("POST", "gmail.users.drafts.send")
def drafts_send(caller: Caller, userId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/gmail/api/reference/rest/v1/users.drafts/send: "Sends the
    specified, existing draft to the recipients in the To, Cc, and Bcc headers." A `message`
    with `raw` in the body replaces the draft's content first."""
    owner = mailbox_of(caller.email, userId)
    body = caller.body if isinstance(caller.body, dict) else {}
    message = body.get("message")
    data = None
    if isinstance(message, dict) and message.get("raw"):
        data = mime.decode_raw(message["raw"], "draft.message.raw")
    return send_draft(owner, body.get("id"), data)


def send_draft(owner: str, draft_id: object, data: bytes | None) -> dict[str, Any]:
    if not isinstance(draft_id, str) or not draft_id:
        raise bad_request("Invalid draft")  # approximate
    with local_google().storage.transaction() as tx:
        entry = tx.mail_by_draft(owner, draft_id)
        if entry is None:
            raise not_found(NOT_FOUND)
        content = data if data is not None else mime.decode_raw(entry["raw"], "raw")
        sent = store_message(tx, owner, content, ["SENT"], reuse=entry)
    return _short(sent)


@_router.add("DELETE", "gmail.users.drafts.delete")
def drafts_delete(caller: Caller, userId: str, id: str) -> Response:  # noqa: A002, N803
    """https://developers.google.com/gmail/api/reference/rest/v1/users.drafts/delete:
    "Immediately and permanently deletes the specified draft. Does not simply trash it." """
    owner = mailbox_of(caller.email, userId)
    with local_google().storage.transaction() as tx:
        entry = tx.mail_by_draft(owner, id)
        if entry is None:
            raise not_found(NOT_FOUND)
        tx.delete_mail(entry["id"])
    return Response(status=204)


# -------------------------------------------------------------------- profile


@_router.add("GET", "gmail.users.getProfile")
def get_profile(caller: Caller, userId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/gmail/api/reference/rest/v1/users/getProfile"""
    owner = mailbox_of(caller.email, userId)
    with local_google().storage.transaction() as tx:
        entries = tx.mailbox(owner)
        history = tx.next_mail_history() - 1
    return {
        "emailAddress": owner,
        "messagesTotal": len(entries),
        "threadsTotal": len({e["threadId"] for e in entries}),
        "historyId": str(history),
    }


def router() -> Router:
    """The Gmail router: the methods above, 501 for every other method of Gmail v1."""
    if not any(r.handler is None for r in _router.routes):
        _router.finish()
    return _router
