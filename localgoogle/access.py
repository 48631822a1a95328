"""Who may see and edit a file, and the Drive bookkeeping every write leaves behind.

Roles rank reader < commenter < writer < owner (https://developers.google.com/drive/api/guides/ref-roles).
A caller who cannot see a file gets Drive's 404 `File not found` (Drive never reveals a file's
existence) and Sheets' 403 `The caller does not have permission`; a caller who sees it but lacks
the role gets 403 in both.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app, has_app_context

from . import revisions
from .errors import ApiError
from .storage import Tx

ROLE_RANK = {
    "reader": 1,
    "commenter": 2,
    "writer": 3,
    "fileOrganizer": 3,
    "organizer": 4,
    "owner": 5,
}

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
FOLDER_MIME = "application/vnd.google-apps.folder"


def utc_now() -> datetime:
    """The stand-in's now: the wall clock, moved by the offset set at /_local/clock (none by
    default, and outside a request)."""
    now = datetime.now(UTC)
    if not has_app_context():
        return now
    running = current_app.extensions.get("localgoogle")
    return now + timedelta(seconds=getattr(running, "clock_offset", 0.0))


def now_rfc3339() -> str:
    """Drive's timestamp format: RFC 3339 UTC with milliseconds, e.g. 2026-11-26T15:05:00.123Z."""
    now = utc_now()
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def permission_id(email: str) -> str:
    """A stable permission id per user, as Drive gives each user one id across files."""
    return str(int(hashlib.sha256(email.lower().encode()).hexdigest()[:15], 16))


def user_resource(email: str, caller: str | None = None) -> dict[str, Any]:
    """Drive's User resource for an email address."""
    return {
        "kind": "drive#user",
        "displayName": email.split("@")[0],
        "emailAddress": email,
        "me": caller is not None and email.lower() == caller.lower(),
        "permissionId": permission_id(email),
    }


def _lineage(tx: Tx, meta: dict[str, Any]) -> list[str]:
    """The file and every folder above it: Drive passes a folder's permissions to its contents
    (https://developers.google.com/drive/api/guides/manage-sharing#permission-propagation)."""
    seen: list[str] = []
    todo = [meta["id"]]
    while todo and len(seen) < 100:
        file_id = todo.pop()
        if file_id in seen:
            continue
        seen.append(file_id)
        current = meta if file_id == meta["id"] else tx.file(file_id)
        todo.extend((current or {}).get("parents") or [])
    return seen


def _permissions(tx: Tx, meta: dict[str, Any]) -> list[dict[str, Any]]:
    direct = tx.permissions(meta["id"])
    inherited = [
        {**perm, "role": "writer"} if perm["role"] == "owner" else perm
        for folder_id in _lineage(tx, meta)[1:]
        for perm in tx.permissions(folder_id)
    ]
    return direct + inherited


def role_of(tx: Tx, meta: dict[str, Any], email: str) -> str | None:
    """The best role `email` holds on a file, directly or through its folders, or None."""
    best: str | None = None
    domain = email.rsplit("@", 1)[-1].lower()
    for perm in _permissions(tx, meta):
        kind = perm.get("type")
        matches = (
            (kind == "user" or kind == "group")
            and perm.get("emailAddress", "").lower() == email.lower()
            or kind == "domain"
            and perm.get("domain", "").lower() == domain
            or kind == "anyone"
        )
        if matches and (best is None or ROLE_RANK[perm["role"]] > ROLE_RANK[best]):
            best = perm["role"]
    return best


def audience(tx: Tx, file_id: str) -> list[str]:
    """Everyone who can see the file now: emails, `@domain` and `*` for anyone."""
    meta = tx.file(file_id)
    out = []
    for perm in _permissions(tx, meta) if meta else tx.permissions(file_id):
        kind = perm.get("type")
        if kind in ("user", "group"):
            out.append(perm["emailAddress"].lower())
        elif kind == "domain":
            out.append("@" + perm["domain"].lower())
        elif kind == "anyone":
            out.append("*")
    return out


def in_audience(email: str, members: list[str]) -> bool:
    email = email.lower()
    return email in members or "*" in members or "@" + email.rsplit("@", 1)[-1] in members


def open_file(tx: Tx, file_id: str, email: str, need: str, api: str) -> dict[str, Any]:
    """The file's metadata if `email` holds at least role `need`; Google's error otherwise."""
    meta = tx.file(file_id)
    role = role_of(tx, meta, email) if meta else None
    if meta is None or role is None:
        if api == "drive":
            raise ApiError(
                404,
                f"File not found: {file_id}.",
                reason="notFound",
                location="fileId",
                location_type="parameter",
            )
        if meta is None:
            raise ApiError(404, "Requested entity was not found.")
        raise ApiError(403, "The caller does not have permission")
    if ROLE_RANK[role] < ROLE_RANK[need]:
        if api == "drive":
            raise ApiError(
                403,
                "The user does not have sufficient permissions for this file.",
                reason="insufficientFilePermissions",
            )
        raise ApiError(403, "The caller does not have permission")
    if api == "sheets" and meta.get("mimeType") != SPREADSHEET_MIME:
        raise ApiError(400, "This operation is not supported for this document")
    return meta


def new_file(
    tx: Tx, file_id: str, name: str, mime_type: str, owner: str, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Create a file owned by `owner` (who gets the owner permission) and log its change."""
    now = now_rfc3339()
    meta: dict[str, Any] = {
        "kind": "drive#file",
        "id": file_id,
        "name": name,
        "mimeType": mime_type,
        "createdTime": now,
        "modifiedTime": now,
        "version": "1",
        "trashed": False,
        "starred": False,
        "parents": [],
        "ownerEmail": owner.lower(),
        "lastModifyingEmail": owner.lower(),
    }
    meta.update(extra or {})
    tx.put_file(meta)
    tx.put_permission(
        file_id,
        {
            "kind": "drive#permission",
            "id": permission_id(owner),
            "type": "user",
            "role": "owner",
            "emailAddress": owner.lower(),
        },
    )
    doc = tx.spreadsheet(file_id) if mime_type == SPREADSHEET_MIME else None
    content = revisions.capture(doc) if doc is not None else None
    tx.add_revision(file_id, {"modifiedTime": now, "email": owner.lower()}, content)
    tx.add_change(file_id, now, audience(tx, file_id), removed=False)
    return meta


def record_write(
    tx: Tx,
    meta: dict[str, Any],
    email: str,
    content: bool = True,
    *,
    doc: dict[str, Any] | None = None,
    merge_seconds: float = revisions.MERGE_SECONDS,
) -> None:
    """A write to the file by `email`: new version, modified time, change entry, and for a
    content write a revision (a new one, or the writer's latest one folded in: revisions.py)
    keeping `doc`'s values."""
    now = now_rfc3339()
    meta["version"] = str(int(meta.get("version", "1")) + 1)
    meta["modifiedTime"] = now
    meta["lastModifyingEmail"] = email.lower()
    if content:
        values = revisions.capture(doc) if doc is not None else None
        revisions.record(tx, meta["id"], email, now, values, merge_seconds)
    tx.put_file(meta)
    tx.add_change(meta["id"], now, audience(tx, meta["id"]), removed=False)
