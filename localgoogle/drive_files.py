"""Drive v3 `files` methods: get, list, create, copy, update, delete (metadata only, no media)."""

from __future__ import annotations

import copy
from typing import Any

from flask import Response

from . import access, build
from . import drive_common as dc
from . import sheetmodel as sm
from .context import Caller, local_google
from .drive_routes import route
from .errors import ApiError, not_implemented
from .storage import Tx

FILE_FIELDS = "kind,id,name,mimeType"


# Fields a request body may set (the rest of the File resource is output only).
CREATE_WRITABLE = frozenset(
    {
        "kind",
        "name",
        "mimeType",
        "parents",
        "description",
        "properties",
        "appProperties",
        "starred",
        "writersCanShare",
        "copyRequiresWriterPermission",
        "viewersCanCopyContent",
        "folderColorRgb",
        "createdTime",
        "modifiedTime",
        "originalFilename",
        "contentHints",
        "id",
    }
)
UPDATE_WRITABLE = (CREATE_WRITABLE - {"parents", "id", "createdTime"}) | {"trashed"}
OWNER_ONLY = ("trashed", "writersCanShare")
# Stored as-is when set, deleted when null.
PLAIN_KEYS = ("description", "copyRequiresWriterPermission", "folderColorRgb", "writersCanShare")


def _check_writable(body: dict[str, Any], allowed: frozenset[str], update: bool = False) -> None:
    if update and body.get("parents") is not None:
        raise ApiError(
            403,
            "The parents field is not directly writable in update requests. Use the addParents "
            "and removeParents parameters instead.",
            reason="fieldNotWritable",
        )
    if any(value is not None and key not in allowed for key, value in body.items()):
        raise dc.not_writable()


def _merge_map(current: dict[str, str] | None, patch: dict[str, Any] | None) -> dict[str, str]:
    """Properties patch semantics: given keys set, null values delete."""
    out = dict(current or {})
    for key, value in (patch or {}).items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


def _parent_folder(tx: Tx, parent: str, caller: str) -> str:
    """Resolve a parent id ('root' allowed) the caller may add children to."""
    mine = dc.root_id(caller)
    if parent in ("root", mine):
        return mine
    folder = access.open_file(tx, parent, caller, "writer", "drive")
    if folder.get("mimeType") != access.FOLDER_MIME:
        raise ApiError(400, "The specified parent is not a folder.", reason="badRequest")
    return parent


def _new_parents(tx: Tx, parents: list[str] | None, caller: str) -> list[str] | None:
    if not parents:
        return None
    if len(parents) > 1:
        raise ApiError(
            403, "Increasing the number of parents is not allowed.", reason="cannotAddParent"
        )
    return [_parent_folder(tx, parents[0], caller)]


# ---------------------------------------------------------------- get / list


@route("GET", "drive.files.get", default_fields=FILE_FIELDS)
def get(caller: Caller, fileId: str) -> dict[str, Any]:  # noqa: N803 - path parameter
    """https://developers.google.com/drive/api/reference/rest/v3/files/get"""
    with local_google().storage.transaction() as tx:
        meta = access.open_file(tx, fileId, caller.email, "reader", "drive")
        if caller.arg("alt") == "media":
            if str(meta.get("mimeType", "")).startswith(dc.GOOGLE_APPS_PREFIX):
                raise ApiError(
                    403,
                    "Only files with binary content can be downloaded. Use Export with Docs "
                    "Editors files.",
                    reason="fileNotDownloadable",
                    location="alt",
                    location_type="parameter",
                )
            raise not_implemented("downloading file content (alt=media)")
        return dc.render_file(tx, meta, caller.email)


# ---------------------------------------------------------------- create / copy


def _stored_extras(body: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stored keys a create/copy body sets, on top of those inherited from `base`."""
    extra: dict[str, Any] = {}
    for key in (*PLAIN_KEYS, "properties", "appProperties"):
        if base and base.get(key) is not None:
            extra[key] = copy.deepcopy(base[key])
    for key in PLAIN_KEYS:
        if key in body:
            if body[key] is None:
                extra.pop(key, None)
            else:
                extra[key] = body[key]
    if body.get("viewersCanCopyContent") is not None:
        extra["copyRequiresWriterPermission"] = not body["viewersCanCopyContent"]
    for key in ("properties", "appProperties"):
        merged = _merge_map(extra.get(key), body.get(key))
        if merged:
            extra[key] = merged
        else:
            extra.pop(key, None)
    return extra


def _finish_new(tx: Tx, meta: dict[str, Any], body: dict[str, Any], caller: str) -> None:
    for key in ("createdTime", "modifiedTime"):
        if body.get(key):
            meta[key] = body[key]
    if body.get("starred"):
        meta["starredBy"] = [caller]
    tx.put_file(meta)


@route("POST", "drive.files.create", default_fields=FILE_FIELDS)
def create(caller: Caller) -> dict[str, Any]:
    """https://developers.google.com/drive/api/reference/rest/v3/files/create (metadata only)"""
    if caller.arg("uploadType"):
        raise not_implemented("media uploads (files.create with uploadType)")
    body = caller.body or {}
    _check_writable(body, CREATE_WRITABLE)
    if body.get("id"):
        raise ApiError(400, "The provided file ID is not usable.", reason="fileIdNotUsable")
    mime = body.get("mimeType") or "application/octet-stream"
    if mime.startswith(dc.GOOGLE_APPS_PREFIX) and mime not in (
        access.SPREADSHEET_MIME,
        access.FOLDER_MIME,
    ):
        raise not_implemented(f"creating {mime} files")
    default_name = "Untitled spreadsheet" if mime == access.SPREADSHEET_MIME else "Untitled"
    name = body.get("name") or default_name
    file_id = sm.new_spreadsheet_id()
    with local_google().storage.transaction() as tx:
        extra = _stored_extras(body)
        extra["parents"] = _new_parents(tx, body.get("parents"), caller.email) or []
        if mime == access.SPREADSHEET_MIME:
            tx.put_spreadsheet(build.new_document({"properties": {"title": name}}, file_id))
        meta = access.new_file(tx, file_id, name, mime, caller.email, extra)
        _finish_new(tx, meta, body, caller.email)
        return dc.render_file(tx, meta, caller.email)


@route("POST", "drive.files.copy", default_fields=FILE_FIELDS)
def copy_file(caller: Caller, fileId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/drive/api/reference/rest/v3/files/copy

    The copy belongs to the caller, keeps the source's description and (app) properties unless
    the body overrides them, and lands in the source's parent when the caller can see it.
    """
    body = caller.body or {}
    _check_writable(body, CREATE_WRITABLE)
    email = caller.email
    with local_google().storage.transaction() as tx:
        source = access.open_file(tx, fileId, email, "reader", "drive")
        role = access.role_of(tx, source, email) or "reader"
        caps = dc.capabilities(source, role)
        if not caps["canCopy"]:
            raise ApiError(403, "This file cannot be copied by the user.", reason="cannotCopyFile")
        if body.get("mimeType") not in (None, source["mimeType"]):
            raise ApiError(
                400, "Conversion of this file type is not supported.", reason="badRequest"
            )
        new_id = sm.new_spreadsheet_id()
        name = body.get("name") or f"Copy of {source.get('name', '')}"
        extra = _stored_extras(body, source)
        parents = _new_parents(tx, body.get("parents"), email)
        if parents is None:
            parents = [
                p
                for p in dc.visible_parents(tx, source, email)
                if p == dc.root_id(email) or _can_add_children(tx, p, email)
            ][:1]
        extra["parents"] = parents
        if source["mimeType"] == access.SPREADSHEET_MIME:
            doc = tx.spreadsheet(fileId)
            if doc is None:
                raise ApiError(500, "Internal error encountered.", reason="backendError")
            doc = copy.deepcopy(doc)
            doc["spreadsheetId"] = new_id
            doc["properties"]["title"] = name
            tx.put_spreadsheet(doc)
        meta = access.new_file(tx, new_id, name, source["mimeType"], email, extra)
        _finish_new(tx, meta, body, email)
        return dc.render_file(tx, meta, email)


def _can_add_children(tx: Tx, folder_id: str, email: str) -> bool:
    folder = tx.file(folder_id)
    role = access.role_of(tx, folder, email) if folder else None
    return role is not None and access.ROLE_RANK[role] >= access.ROLE_RANK["writer"]


# ---------------------------------------------------------------- update / delete


@route("PATCH", "drive.files.update", default_fields=FILE_FIELDS)
def update(caller: Caller, fileId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/drive/api/reference/rest/v3/files/update (metadata only)

    Renaming a spreadsheet renames its Sheets title too. Only the owner may trash or untrash
    ("Only the owner may trash a file"); `starred` is the caller's own flag, open to readers.
    """
    if caller.arg("uploadType"):
        raise not_implemented("media uploads (files.update with uploadType)")
    body = caller.body or {}
    _check_writable(body, UPDATE_WRITABLE, update=True)
    email = caller.email
    add = [p for p in (caller.arg("addParents") or "").split(",") if p]
    remove = [p for p in (caller.arg("removeParents") or "").split(",") if p]
    with local_google().storage.transaction() as tx:
        meta = access.open_file(tx, fileId, email, "reader", "drive")
        role = access.role_of(tx, meta, email) or "reader"
        edits = {k: v for k, v in body.items() if k not in ("kind", "starred")}
        if any(k in OWNER_ONLY for k in edits) and role != "owner":
            raise dc.insufficient_permissions()
        if (edits or add or remove) and access.ROLE_RANK[role] < access.ROLE_RANK["writer"]:
            raise dc.insufficient_permissions()
        if body.get("mimeType") not in (None, meta["mimeType"]):
            raise dc.not_writable()
        if "starred" in body and body["starred"] is not None:
            _star(tx, meta, email, bool(body["starred"]))
        if edits or add or remove:
            _apply_edits(tx, meta, edits, email)
            _move(tx, meta, add, remove, email)
            access.record_write(tx, meta, email, content=False)
            if body.get("modifiedTime"):
                meta["modifiedTime"] = body["modifiedTime"]
                tx.put_file(meta)
        return dc.render_file(tx, meta, email)


def _star(tx: Tx, meta: dict[str, Any], email: str, starred: bool) -> None:
    starred_by = [e for e in meta.get("starredBy", []) if e != email]
    meta["starredBy"] = starred_by + [email] if starred else starred_by
    tx.put_file(meta)
    tx.add_change(meta["id"], access.now_rfc3339(), [email], removed=False)


def _apply_edits(tx: Tx, meta: dict[str, Any], edits: dict[str, Any], email: str) -> None:
    if edits.get("name") and edits["name"] != meta.get("name"):
        meta["name"] = edits["name"]
        doc = tx.spreadsheet(meta["id"]) if meta["mimeType"] == access.SPREADSHEET_MIME else None
        if doc is not None:
            doc["properties"]["title"] = edits["name"]
            tx.put_spreadsheet(doc)
    for key in PLAIN_KEYS:
        if key in edits:
            if edits[key] is None:
                meta.pop(key, None)
            else:
                meta[key] = edits[key]
    if edits.get("viewersCanCopyContent") is not None:
        meta["copyRequiresWriterPermission"] = not edits["viewersCanCopyContent"]
    for key in ("properties", "appProperties"):
        if key in edits:
            merged = _merge_map(meta.get(key), edits[key])
            if merged:
                meta[key] = merged
            else:
                meta.pop(key, None)
    if (
        "trashed" in edits
        and edits["trashed"] is not None
        and edits["trashed"] != bool(meta.get("trashed"))
    ):
        meta["trashed"] = bool(edits["trashed"])
        if meta["trashed"]:
            meta["trashedTime"] = access.now_rfc3339()
            meta["trashingEmail"] = email
        else:
            meta.pop("trashedTime", None)
            meta.pop("trashingEmail", None)


def _move(tx: Tx, meta: dict[str, Any], add: list[str], remove: list[str], email: str) -> None:
    if not add and not remove:
        return
    mine = dc.root_id(email)
    removing = {mine if p == "root" else p for p in remove}
    parents = [p for p in dc.stored_parents(meta) if p not in removing]
    for parent in add:
        resolved = _parent_folder(tx, parent, email)
        if resolved == meta["id"]:
            raise ApiError(400, "A folder cannot be its own parent.", reason="badRequest")
        if resolved not in parents:
            parents.append(resolved)
    if len(parents) > 1:
        raise ApiError(
            403, "Increasing the number of parents is not allowed.", reason="cannotAddParent"
        )
    meta["parents"] = parents


@route("DELETE", "drive.files.delete")
def delete(caller: Caller, fileId: str) -> Response:  # noqa: N803
    """https://developers.google.com/drive/api/reference/rest/v3/files/delete

    Owner only. Skips the trash; a folder takes the caller's files inside it along. Everyone
    who could see a deleted file gets a `removed` change.
    """
    email = caller.email
    with local_google().storage.transaction() as tx:
        meta = access.open_file(tx, fileId, email, "reader", "drive")
        if access.role_of(tx, meta, email) != "owner":
            raise dc.insufficient_permissions()
        _delete_tree(tx, meta, email, access.now_rfc3339(), set())
    return Response(status=204)


def _delete_tree(tx: Tx, meta: dict[str, Any], email: str, now: str, seen: set[str]) -> None:
    """Delete a file and, for a folder, the caller's files inside it (others' are detached)."""
    seen.add(meta["id"])
    members = access.audience(tx, meta["id"])
    tx.delete_file(meta["id"])
    tx.add_change(meta["id"], now, members, removed=True)
    if meta["mimeType"] != access.FOLDER_MIME:
        return
    for item in list(tx.files()):
        if meta["id"] not in (item.get("parents") or []) or item["id"] in seen:
            continue
        if item["ownerEmail"] == email:
            _delete_tree(tx, item, email, now, seen)
        else:
            item["parents"] = [p for p in item["parents"] if p != meta["id"]]
            tx.put_file(item)
