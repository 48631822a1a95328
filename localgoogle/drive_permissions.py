"""Drive v3 `permissions` methods: create, list, get, update, delete (sharing a file).

Owners share, and writers too unless `writersCanShare` is off; readers and commenters get 403
`insufficientFilePermissions`. Every sharing change bumps the file's version and leaves a change
for the new audience; a user who loses access gets a `removed` change of their own.
(https://developers.google.com/drive/api/guides/manage-sharing)
"""

from __future__ import annotations

from typing import Any

from flask import Response

from . import access
from . import drive_common as dc
from .context import Caller, local_google
from .drive_routes import route
from .errors import ApiError
from .storage import Tx

PERM_FIELDS = "kind,id,type,role"
LIST_FIELDS = "kind,nextPageToken,permissions(kind,id,type,role)"
TYPES = ("user", "group", "domain", "anyone")
ROLES = ("owner", "writer", "commenter", "reader")
CREATE_WRITABLE = frozenset(
    {
        "kind",
        "type",
        "role",
        "emailAddress",
        "domain",
        "allowFileDiscovery",
        "expirationTime",
        "pendingOwner",
        "view",
    }
)
UPDATE_WRITABLE = frozenset({"kind", "role", "expirationTime", "pendingOwner"})
NOTIFY_MESSAGE = (
    "The sendNotificationEmail parameter is only applicable for permissions of type 'user' or "
    "'group', and must not be disabled for ownership transfers."
)


def _forbidden(message: str, location: str | None = None) -> ApiError:
    return ApiError(
        403,
        message,
        reason="forbidden",
        location=location,
        location_type="parameter" if location else None,
    )


def _needs_transfer_flag() -> ApiError:
    return _forbidden(
        "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
        "transferOwnership",
    )


def _owner_untouchable() -> ApiError:
    return ApiError(
        403,
        "The owner's permission cannot be changed; transfer ownership instead.",
        reason="cannotModifyOwner",
    )


def _invalid_field(field: str) -> ApiError:
    return ApiError(
        400,
        f"The specified {field} is invalid or not applicable for the given permission type.",
        reason="invalid",
        location=f"permission.{field}",
        location_type="other",
    )


def _required_field(field: str) -> ApiError:
    return ApiError(
        400,
        f"The permission {field} field is required.",
        reason="required",
        location=f"permission.{field}",
        location_type="other",
    )


def _find(tx: Tx, file_id: str, permission_id: str) -> dict[str, Any]:
    for perm in tx.permissions(file_id):
        if perm["id"] == permission_id:
            return perm
    raise ApiError(
        404,
        f"Permission not found: {permission_id}.",
        reason="notFound",
        location="permissionId",
        location_type="parameter",
    )


def _new_permission_id(kind: str, email: str | None, domain: str | None, discoverable: bool) -> str:
    if kind in ("user", "group"):
        return access.permission_id(email or "")
    if kind == "domain":
        return access.permission_id("@" + (domain or "")) + "k"
    return "anyone" if discoverable else "anyoneWithLink"


def _open_for_sharing(tx: Tx, caller: Caller, file_id: str) -> tuple[dict[str, Any], str]:
    meta = access.open_file(tx, file_id, caller.email, "reader", "drive")
    role = access.role_of(tx, meta, caller.email) or "reader"
    return meta, role


def _transfer(tx: Tx, meta: dict[str, Any], new_owner: str) -> dict[str, Any]:
    """Make `new_owner` the owner; the previous owner stays on as a writer."""
    new_owner = new_owner.lower()
    for perm in tx.permissions(meta["id"]):
        if perm["role"] == "owner":
            perm["role"] = "writer"
            tx.put_permission(meta["id"], perm)
    perm = {
        "kind": "drive#permission",
        "id": access.permission_id(new_owner),
        "type": "user",
        "role": "owner",
        "emailAddress": new_owner,
    }
    tx.put_permission(meta["id"], perm)
    meta["ownerEmail"] = new_owner
    return perm


def _note_share(meta: dict[str, Any], email: str | None, by: str) -> None:
    if email:
        shared = meta.setdefault("sharedWith", {})
        shared.setdefault(email.lower(), {"time": access.now_rfc3339(), "by": by.lower()})


@route("POST", "drive.permissions.create", default_fields=PERM_FIELDS)
def create(caller: Caller, fileId: str) -> dict[str, Any]:  # noqa: N803 - path parameter
    """https://developers.google.com/drive/api/reference/rest/v3/permissions/create

    `sendNotificationEmail`/`emailMessage` are accepted (no mail is sent). A second permission
    for the same user, group or domain replaces the first (its role changes).
    """
    body = caller.body or {}
    if any(v is not None and k not in CREATE_WRITABLE for k, v in body.items()):
        raise dc.not_writable()
    kind, role = body.get("type"), body.get("role")
    if not kind:
        raise _required_field("type")
    if not role:
        raise _required_field("role")
    if kind not in TYPES:
        raise _invalid_field("type")
    if role not in ROLES:
        raise _invalid_field("role")
    email = (body.get("emailAddress") or "").lower() or None
    domain = (body.get("domain") or "").lower() or None
    if kind in ("user", "group") and (not email or "@" not in email):
        raise _invalid_field("emailAddress")
    if kind == "domain" and not domain:
        raise _invalid_field("domain")
    notify = caller.arg("sendNotificationEmail")
    if kind in ("domain", "anyone") and notify == "true":
        raise _forbidden(NOTIFY_MESSAGE, "sendNotificationEmail")
    with local_google().storage.transaction() as tx:
        meta, mine = _open_for_sharing(tx, caller, fileId)
        if not dc.can_share(meta, mine):
            raise dc.insufficient_permissions()
        if role == "owner":
            if not caller.flag("transferOwnership"):
                raise _needs_transfer_flag()
            if kind != "user":
                raise _forbidden("Ownership can only be transferred to a user.")
            if mine != "owner":
                raise dc.insufficient_permissions()
            if notify == "false":
                raise _forbidden(NOTIFY_MESSAGE, "sendNotificationEmail")
            perm = _transfer(tx, meta, email or "")
        else:
            if body.get("pendingOwner") and (mine != "owner" or kind != "user"):
                raise dc.insufficient_permissions()
            discoverable = bool(body.get("allowFileDiscovery"))
            perm_id = _new_permission_id(kind, email, domain, discoverable)
            existing = next((p for p in tx.permissions(fileId) if p["id"] == perm_id), None)
            if existing is not None and existing["role"] == "owner":
                raise _owner_untouchable()
            if kind == "anyone":  # one link permission per file
                for old in tx.permissions(fileId):
                    if old["type"] == "anyone":
                        tx.delete_permission(fileId, old["id"])
            perm = {"kind": "drive#permission", "id": perm_id, "type": kind, "role": role}
            if email:
                perm["emailAddress"] = email
            if domain:
                perm["domain"] = domain
            if kind in ("domain", "anyone"):
                perm["allowFileDiscovery"] = discoverable
            if body.get("expirationTime"):
                perm["expirationTime"] = body["expirationTime"]
            if body.get("pendingOwner"):
                perm["pendingOwner"] = True
            tx.put_permission(fileId, perm)
        _note_share(meta, email, caller.email)
        dc.touch(tx, meta)
        return dc.render_permission(perm)


@route("GET", "drive.permissions.list", default_fields=LIST_FIELDS)
def list_permissions(caller: Caller, fileId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/drive/api/reference/rest/v3/permissions/list

    Writers and owners only (readers cannot see who else has access). Without `pageSize` the
    whole list comes back, as Drive does for files outside shared drives.
    """
    size = dc.page_size(caller, None, 100)
    with local_google().storage.transaction() as tx:
        _meta, mine = _open_for_sharing(tx, caller, fileId)
        if access.ROLE_RANK[mine] < access.ROLE_RANK["writer"]:
            raise dc.insufficient_permissions()
        perms = [dc.render_permission(p) for p in tx.permissions(fileId)]
    page, token = dc.paged(perms, caller, "permissions", size)
    out: dict[str, Any] = {"kind": "drive#permissionList", "permissions": page}
    if token:
        out["nextPageToken"] = token
    return out


@route("GET", "drive.permissions.get", default_fields=PERM_FIELDS)
def get(caller: Caller, fileId: str, permissionId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/drive/api/reference/rest/v3/permissions/get"""
    with local_google().storage.transaction() as tx:
        _meta, mine = _open_for_sharing(tx, caller, fileId)
        own = permissionId == access.permission_id(caller.email)
        if access.ROLE_RANK[mine] < access.ROLE_RANK["writer"] and not own:
            raise dc.insufficient_permissions()
        return dc.render_permission(_find(tx, fileId, permissionId))


@route("PATCH", "drive.permissions.update", default_fields=PERM_FIELDS)
def update(caller: Caller, fileId: str, permissionId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/drive/api/reference/rest/v3/permissions/update

    Role changes; `role: owner` with `transferOwnership=true` transfers ownership — by the
    owner, or by a user the owner marked `pendingOwner` accepting it (the consumer-account flow).
    """
    body = caller.body or {}
    if any(v is not None and k not in UPDATE_WRITABLE for k, v in body.items()):
        raise dc.not_writable()
    role = body.get("role")
    if role is not None and role not in ROLES:
        raise _invalid_field("role")
    with local_google().storage.transaction() as tx:
        meta, mine = _open_for_sharing(tx, caller, fileId)
        perm = _find(tx, fileId, permissionId)
        accepting = (
            bool(perm.get("pendingOwner")) and perm.get("emailAddress", "").lower() == caller.email
        )
        if not dc.can_share(meta, mine) and not (accepting and role == "owner"):
            raise dc.insufficient_permissions()
        if role == "owner" and perm["role"] != "owner":
            if not caller.flag("transferOwnership"):
                raise _needs_transfer_flag()
            if perm["type"] != "user":
                raise _forbidden("Ownership can only be transferred to a user.")
            if mine != "owner" and not accepting:
                raise dc.insufficient_permissions()
            perm = _transfer(tx, meta, perm["emailAddress"])
        elif role is not None or body.get("pendingOwner") is not None:
            if perm["role"] == "owner":
                raise _owner_untouchable()
            if body.get("pendingOwner") is not None:
                if mine != "owner" or perm["type"] != "user":
                    raise dc.insufficient_permissions()
                perm["pendingOwner"] = bool(body["pendingOwner"])
            perm["role"] = role or perm["role"]
        if body.get("expirationTime"):
            perm["expirationTime"] = body["expirationTime"]
        if caller.flag("removeExpiration"):
            perm.pop("expirationTime", None)
        tx.put_permission(fileId, perm)
        dc.touch(tx, meta)
        return dc.render_permission(perm)


@route("DELETE", "drive.permissions.delete")
def delete(caller: Caller, fileId: str, permissionId: str) -> Response:  # noqa: N803
    """https://developers.google.com/drive/api/reference/rest/v3/permissions/delete

    The owner's permission cannot be removed (403 `cannotRemoveOwner`). Users left without
    access get a `removed` change.
    """
    with local_google().storage.transaction() as tx:
        meta, mine = _open_for_sharing(tx, caller, fileId)
        if not dc.can_share(meta, mine):
            raise dc.insufficient_permissions()
        perm = _find(tx, fileId, permissionId)
        if perm["role"] == "owner":
            raise ApiError(
                403, "The owner of a file cannot be removed.", reason="cannotRemoveOwner"
            )
        before = access.audience(tx, fileId)
        tx.delete_permission(fileId, permissionId)
        after = access.audience(tx, fileId)
        lost = sorted({m for m in before if m not in after and m != "*" and not m.startswith("@")})
        if lost:
            tx.add_change(fileId, access.now_rfc3339(), lost, removed=True)
            for email in lost:
                (meta.get("sharedWith") or {}).pop(email, None)
        dc.touch(tx, meta)
    return Response(status=204)
