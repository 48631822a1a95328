"""Drive v3 `changes` (the caller's change feed) and `revisions` (a file's edit history).

Page tokens of the change feed are change sequence numbers, as Drive's numeric tokens are: a
token names the first change not yet seen. A caller sees the changes of files in their corpus at
that moment (files they owned or that were shared with them directly), several changes of one
file within a page collapse into one carrying the file's current state, and a file they can no
longer see comes back as `removed` (https://developers.google.com/drive/api/guides/manage-changes).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from . import access, revisions
from . import drive_common as dc
from .context import Caller, caller_email, error_response, local_google
from .drive_routes import route
from .errors import ApiError

CHANGE_FIELDS = (
    "kind,nextPageToken,newStartPageToken,"
    "changes(kind,type,changeType,time,removed,fileId,file(kind,id,name,mimeType))"
)
REVISION_FIELDS = "kind,id,mimeType,modifiedTime"
REVISION_LIST_FIELDS = "kind,nextPageToken,revisions(kind,id,mimeType,modifiedTime)"
_SCAN = 500


@route("GET", "drive.changes.getStartPageToken")
def get_start_page_token(caller: Caller) -> dict[str, Any]:
    """https://developers.google.com/drive/api/reference/rest/v3/changes/getStartPageToken"""
    with local_google().storage.transaction() as tx:
        return {"kind": "drive#startPageToken", "startPageToken": str(tx.last_change_seq() + 1)}


def _start(caller: Caller) -> int:
    text = caller.arg("pageToken") or ""
    if not text.isdigit() or int(text) < 1:
        raise dc.invalid_param("pageToken")
    return int(text)


@route("GET", "drive.changes.list", default_fields=CHANGE_FIELDS)
def list_changes(caller: Caller) -> dict[str, Any]:
    """https://developers.google.com/drive/api/reference/rest/v3/changes/list"""
    start = _start(caller)
    size = dc.page_size(caller, 100, 1000) or 100
    include_removed = caller.flag("includeRemoved", True)
    my_drive_only = caller.flag("restrictToMyDrive")
    spaces = (caller.arg("spaces") or "drive").split(",")
    if any(s not in ("drive", "appDataFolder", "photos") for s in spaces):
        raise dc.invalid_param("spaces")
    email = caller.email
    with local_google().storage.transaction() as tx:
        last = tx.last_change_seq()
        picked: dict[str, dict[str, Any]] = {}
        next_seq: int | None = None
        cursor = start - 1
        while next_seq is None and "drive" in spaces:
            rows = tx.changes_after(cursor, _SCAN)
            if not rows:
                break
            for row in rows:
                cursor = row["seq"]
                if email not in row["audience"] or row["removed"] and not include_removed:
                    continue
                if row["file_id"] not in picked and len(picked) >= size:
                    next_seq = row["seq"]
                    break
                picked.pop(row["file_id"], None)
                picked[row["file_id"]] = row
        changes = []
        for file_id, row in picked.items():
            meta = tx.file(file_id)
            removed = row["removed"] or meta is None or access.role_of(tx, meta, email) is None
            if removed and not include_removed:
                continue
            if my_drive_only and meta is not None and meta["ownerEmail"] != email:
                continue
            change: dict[str, Any] = {
                "kind": "drive#change",
                "type": "file",
                "changeType": "file",
                "time": row["time"],
                "removed": bool(removed),
                "fileId": file_id,
            }
            if not removed and meta is not None:
                change["file"] = dc.render_file(tx, meta, email)
            changes.append(change)
    out: dict[str, Any] = {"kind": "drive#changeList", "changes": changes}
    if next_seq is not None:
        out["nextPageToken"] = str(next_seq)
    else:
        out["newStartPageToken"] = str(max(last, start - 1) + 1)
    return out


# ---------------------------------------------------------------- revisions


def _revisions(caller: Caller, file_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The file and its revisions rendered for the caller (writers and owners only)."""
    with local_google().storage.transaction() as tx:
        meta = access.open_file(tx, file_id, caller.email, "reader", "drive")
        role = access.role_of(tx, meta, caller.email) or "reader"
        if meta["mimeType"] == access.FOLDER_MIME:
            raise ApiError(
                403, "The file does not support revisions.", reason="revisionsNotSupported"
            )
        if access.ROLE_RANK[role] < access.ROLE_RANK["writer"]:
            raise dc.insufficient_permissions()
        stored = tx.revisions(file_id)
    binary = not str(meta["mimeType"]).startswith(dc.GOOGLE_APPS_PREFIX)
    spreadsheet = meta["mimeType"] == access.SPREADSHEET_MIME
    base = request.host_url
    out = []
    for rev in stored:
        item: dict[str, Any] = {
            "kind": "drive#revision",
            "id": str(rev["seq"]),
            "mimeType": meta["mimeType"],
            "modifiedTime": rev["modifiedTime"],
            "lastModifyingUser": dc.user(rev["email"], caller.email),
        }
        if binary:
            item.update({"keepForever": False, "size": "0", "originalFilename": meta["name"]})
        else:
            item.update({"published": False, "publishAuto": False, "publishedOutsideDomain": False})
        if spreadsheet:
            item["exportLinks"] = revisions.export_links(base, file_id, str(rev["seq"]))
        out.append(item)
    return meta, out


@route("GET", "drive.revisions.list", default_fields=REVISION_LIST_FIELDS)
def list_revisions(caller: Caller, fileId: str) -> dict[str, Any]:  # noqa: N803 - path parameter
    """https://developers.google.com/drive/api/reference/rest/v3/revisions/list"""
    size = dc.page_size(caller, 200, 1000)
    _meta, revisions = _revisions(caller, fileId)
    page, token = dc.paged(revisions, caller, "revisions", size)
    out: dict[str, Any] = {"kind": "drive#revisionList", "revisions": page}
    if token:
        out["nextPageToken"] = token
    return out


@route("GET", "drive.revisions.get", default_fields=REVISION_FIELDS)
def get_revision(caller: Caller, fileId: str, revisionId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/drive/api/reference/rest/v3/revisions/get"""
    _meta, revisions = _revisions(caller, fileId)
    wanted = revisions[-1]["id"] if revisionId == "head" and revisions else revisionId
    for revision in revisions:
        if revision["id"] == wanted:
            return revision
    raise ApiError(
        404,
        f"Revision not found: {revisionId}.",
        reason="notFound",
        location="revisionId",
        location_type="parameter",
    )


# ---------------------------------------------------------------- revision content

export_bp = Blueprint("revision_export", __name__)


@export_bp.get(revisions.EXPORT_PATH)
def export_revision() -> Response:
    """A spreadsheet revision's content, from its `exportLinks` (as docs.google.com serves
    `/spreadsheets/export?id=...&revision=...&exportFormat=xlsx`), for the file's writers.

    Counted as `drive.revisions.export` and subject to the knobs like an API request.
    """
    lg = local_google()
    try:
        email = caller_email()
        lg.accounting.count("drive.revisions.export", email)
        lg.accounting.delay()
        lg.accounting.check_quota(email, "drive")
        lg.accounting.maybe_fail()
        file_id = request.args.get("id", "")
        revision_id = request.args.get("revision", "")
        if request.args.get("exportFormat", "xlsx") != "xlsx":
            raise ApiError(400, "Unsupported export format.", reason="badRequest")
        with lg.storage.transaction() as tx:
            meta = access.open_file(tx, file_id, email, "reader", "drive")
            role = access.role_of(tx, meta, email) or "reader"
            if access.ROLE_RANK[role] < access.ROLE_RANK["writer"]:
                raise dc.insufficient_permissions()
            content = (
                tx.revision_content(file_id, int(revision_id)) if revision_id.isdigit() else None
            )
        if content is None:
            raise ApiError(404, f"Revision not found: {revision_id}.", reason="notFound")
        return Response(revisions.xlsx(content), content_type=revisions.XLSX_MIME)
    except ApiError as error:
        return error_response(error, "drive")
