"""Drive v3 `files.list`: the caller's corpus filtered by `q`, sorted by `orderBy`, paged."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from . import access, drive_query
from . import drive_common as dc
from .context import Caller, local_google
from .drive_routes import route
from .errors import ApiError
from .storage import Tx

LIST_FIELDS = "kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)"


def _candidate(
    tx: Tx, meta: dict[str, Any], perms: list[dict[str, Any]], caller: str
) -> drive_query.Candidate:
    shared = (meta.get("sharedWith") or {}).get(caller)
    not_owner = meta["ownerEmail"] != caller
    return drive_query.Candidate(
        meta=meta,
        permissions=perms,
        caller=caller,
        parents=dc.visible_parents(tx, meta, caller),
        root=dc.root_id(caller),
        starred=caller in meta.get("starredBy", []),
        shared_with_me=not_owner and dc.direct_role(perms, caller) is not None,
        shared_with_me_time=shared["time"] if shared and not_owner else None,
    )


def _natural(text: str) -> list[Any]:
    return [
        (0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text.casefold())
    ]


_SORT_KEYS: dict[str, Callable[[drive_query.Candidate], Any]] = {
    "createdTime": lambda c: c.meta.get("createdTime", ""),
    "modifiedTime": lambda c: c.meta.get("modifiedTime", ""),
    "recency": lambda c: c.meta.get("modifiedTime", ""),
    "modifiedByMeTime": lambda c: c.meta.get("modifiedTime", ""),
    "viewedByMeTime": lambda c: c.meta.get("modifiedTime", ""),
    "sharedWithMeTime": lambda c: c.shared_with_me_time or "",
    "name": lambda c: str(c.meta.get("name", "")).casefold(),
    "name_natural": lambda c: _natural(str(c.meta.get("name", ""))),
    "folder": lambda c: c.meta.get("mimeType") != access.FOLDER_MIME,
    "starred": lambda c: not c.starred,
    "quotaBytesUsed": lambda c: 0,
}


def _sort(found: list[drive_query.Candidate], order_by: str | None) -> None:
    """Apply `orderBy` (keys ascending unless followed by `desc`); default: newest first."""
    keys: list[tuple[str, bool]] = []
    for part in (order_by or "modifiedTime desc").split(","):
        words = part.split()
        if not words or words[0] not in _SORT_KEYS or words[1:] not in ([], ["desc"], ["asc"]):
            raise dc.invalid_param("orderBy")
        keys.append((words[0], words[1:] == ["desc"]))
    for key, desc in reversed(keys):
        found.sort(key=_SORT_KEYS[key], reverse=desc)


@route("GET", "drive.files.list", default_fields=LIST_FIELDS)
def list_files(caller: Caller) -> dict[str, Any]:
    """https://developers.google.com/drive/api/reference/rest/v3/files/list

    Lists the caller's corpus: files they own or that were shared with them directly. A file
    reachable only through an anyone/domain link stays out (Drive lists it once the user has
    opened it; the stand-in does not track opening), except domain-discoverable files under
    `corpora=domain`.
    Trashed files are included unless the query says `trashed = false`.
    """
    predicate = drive_query.parse(caller.arg("q") or "")
    size = dc.page_size(caller, 100, 1000)
    spaces = (caller.arg("spaces") or "drive").split(",")
    if any(s not in ("drive", "appDataFolder", "photos") for s in spaces):
        raise dc.invalid_param("spaces")
    corpora = caller.arg("corpora") or caller.arg("corpus") or "user"
    drive_id = caller.arg("driveId")
    if (corpora == "drive") != bool(drive_id):
        raise ApiError(
            400,
            "The driveId parameter must be specified if and only if corpora is set to drive.",
            reason="invalid",
            location="driveId",
            location_type="parameter",
        )
    if drive_id:
        raise ApiError(
            404, f"Shared drive not found: {drive_id}", reason="notFound", location="driveId"
        )
    if corpora not in ("user", "domain", "allDrives"):
        raise dc.invalid_param("corpora")
    email = caller.email
    with local_google().storage.transaction() as tx:
        found: list[drive_query.Candidate] = []
        for meta in tx.files() if "drive" in spaces else []:
            perms = tx.permissions(meta["id"])
            if dc.direct_role(perms, email) is None and not (
                corpora == "domain" and _domain_discoverable(perms, email)
            ):
                continue
            candidate = _candidate(tx, meta, perms, email)
            if predicate(candidate):
                found.append(candidate)
        _sort(found, caller.arg("orderBy"))
        page, token = dc.paged(found, caller, "files", size)
        out: dict[str, Any] = {
            "kind": "drive#fileList",
            "incompleteSearch": False,
            "files": [dc.render_file(tx, c.meta, email) for c in page],
        }
    if token:
        out["nextPageToken"] = token
    return out


def _domain_discoverable(perms: list[dict[str, Any]], email: str) -> bool:
    domain = email.rsplit("@", 1)[-1]
    return any(
        p.get("type") == "domain"
        and p.get("domain", "").lower() == domain
        and p.get("allowFileDiscovery")
        for p in perms
    )
