"""What the Drive v3 handlers share: resource rendering, Drive's errors, paging, field checks.

Stored file metadata keeps internal keys (`ownerEmail`, `lastModifyingEmail`, `starredBy`,
`sharedWith`, `trashingEmail`); callers only ever see the File resource `render_file` builds,
relative to the caller (https://developers.google.com/drive/api/reference/rest/v3/files).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from . import access, discovery, fieldmask
from .context import Caller
from .errors import ApiError
from .storage import Tx

GOOGLE_APPS_PREFIX = "application/vnd.google-apps."
WRITER_ROLES = ("writer", "fileOrganizer", "organizer", "owner")


# ---------------------------------------------------------------- errors


def insufficient_permissions() -> ApiError:
    """Drive's 403 when the caller sees the file but lacks the role for the operation."""
    return ApiError(
        403,
        "The user does not have sufficient permissions for this file.",
        reason="insufficientFilePermissions",
    )


def invalid_param(name: str, message: str = "Invalid Value") -> ApiError:
    """Drive's 400 for an unusable query parameter value."""
    return ApiError(400, message, reason="invalid", location=name, location_type="parameter")


def not_writable() -> ApiError:
    """Drive's 403 for a request body carrying output-only fields."""
    return ApiError(
        403,
        "The resource body includes fields which are not directly writable.",
        reason="fieldNotWritable",
    )


def require_fields(caller: Caller) -> None:
    """Methods (comments, about) that Drive answers only for an explicit `fields` selector."""
    if not caller.arg("fields"):
        raise ApiError(
            400,
            "The 'fields' parameter is required for this method.",
            reason="required",
            location="fields",
            location_type="parameter",
        )


def check_fields(caller: Caller, method_id: str) -> None:
    """Drive answers 400 `Invalid field selection` for selectors naming unknown fields."""
    text = caller.arg("fields")
    response = discovery.method(method_id).get("response")
    if not text or response is None:
        return
    _check_mask(fieldmask.parse(text), discovery.schema("drive", response["$ref"]))


def _check_mask(mask: fieldmask.Mask, spec: dict[str, Any]) -> None:
    while "$ref" in spec or spec.get("type") == "array":
        spec = discovery.schema("drive", spec["$ref"]) if "$ref" in spec else spec["items"]
    if "additionalProperties" in spec and "properties" not in spec:
        return  # a map: any key selects an entry
    properties: dict[str, Any] = spec.get("properties", {})
    for key, sub in mask.items():
        if key == "*":
            continue
        if key not in properties:
            raise ApiError(
                400,
                f"Invalid field selection {key}",
                reason="invalidParameter",
                location="fields",
                location_type="parameter",
            )
        if sub:
            _check_mask(sub, properties[key])


# ---------------------------------------------------------------- paging


def page_size(caller: Caller, default: int | None, maximum: int) -> int | None:
    """`pageSize`: at least 1; values above the maximum are coerced to it, as Drive documents."""
    text = caller.arg("pageSize")
    if text is None:
        return default
    size = int(text)
    if size < 1:
        raise invalid_param(
            "pageSize", f"Invalid value '{size}'. Values must be within the range: [1, {maximum}]"
        )
    return min(size, maximum)


def make_token(kind: str, offset: int) -> str:
    """An opaque page token for position `offset` of a `kind` listing."""
    raw = json.dumps({"k": kind, "o": offset}, separators=(",", ":")).encode()
    return "~!!~" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def read_token(caller: Caller, kind: str) -> int:
    """The offset a `pageToken` names (0 when absent); 400 `Invalid Value` when it is not ours."""
    token = caller.arg("pageToken")
    if not token:
        return 0
    try:
        body = token.removeprefix("~!!~")
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        if data["k"] != kind or int(data["o"]) < 0:
            raise ValueError(token)
        return int(data["o"])
    except (ValueError, KeyError, TypeError):
        raise invalid_param("pageToken") from None


def paged(
    items: list[Any], caller: Caller, kind: str, size: int | None
) -> tuple[list[Any], str | None]:
    """One page of `items` and the token of the next, if any."""
    start = read_token(caller, kind)
    if size is None:
        return items[start:], None
    end = start + size
    return items[start:end], make_token(kind, end) if end < len(items) else None


# ---------------------------------------------------------------- users, parents, roles


def user(email: str, caller: str) -> dict[str, Any]:
    """Drive's User resource for `email`, `me` relative to the caller."""
    return access.user_resource(email, caller)


def root_id(email: str) -> str:
    """The id of a user's My Drive root folder (shaped like Drive's `0A...Uk9PVA`)."""
    digest = hashlib.sha256(("root:" + email.lower()).encode()).hexdigest()
    return "0A" + base64.urlsafe_b64encode(bytes.fromhex(digest[:18])).decode() + "Uk9PVA"


def stored_parents(meta: dict[str, Any]) -> list[str]:
    """The file's parent ids; a file created without one sits in its owner's My Drive root."""
    return list(meta.get("parents") or []) or [root_id(meta["ownerEmail"])]


def visible_parents(tx: Tx, meta: dict[str, Any], caller: str) -> list[str]:
    """The parents the caller can see: their own root, and folders shared with them."""
    mine = root_id(caller)
    out = []
    for parent in stored_parents(meta):
        if parent == mine:
            out.append(parent)
        elif not parent.startswith("0A"):
            folder = tx.file(parent)
            if folder is not None and access.role_of(tx, folder, caller) is not None:
                out.append(parent)
    return out


def direct_role(permissions: list[dict[str, Any]], email: str) -> str | None:
    """The role a user or group permission gives `email` (the files in the user's corpus)."""
    email = email.lower()
    best: str | None = None
    for perm in permissions:
        if perm.get("type") in ("user", "group") and perm.get("emailAddress", "").lower() == email:
            if best is None or access.ROLE_RANK[perm["role"]] > access.ROLE_RANK[best]:
                best = perm["role"]
    return best


def can_share(meta: dict[str, Any], role: str | None) -> bool:
    """Owners share; writers too unless the owner turned `writersCanShare` off."""
    return (
        role == "owner" or role in WRITER_ROLES and meta.get("writersCanShare", True) is not False
    )


def capabilities(meta: dict[str, Any], role: str, pending_owner: bool = False) -> dict[str, bool]:
    """The File.capabilities for a caller holding `role`.

    https://developers.google.com/drive/api/reference/rest/v3/files#File.FIELDS.capabilities
    """
    rank = access.ROLE_RANK[role]
    owner, writer, commenter = role == "owner", rank >= 3, rank >= 2
    folder = meta.get("mimeType") == access.FOLDER_MIME
    trashed = bool(meta.get("trashed"))
    readers_restricted = bool(meta.get("copyRequiresWriterPermission")) and not writer
    return {
        "canAcceptOwnership": pending_owner and not owner,
        "canAddChildren": folder and writer and not trashed,
        "canAddMyDriveParent": False,
        "canChangeCopyRequiresWriterPermission": writer and not folder,
        "canChangeViewersCanCopyContent": writer and not folder,
        "canComment": commenter and not folder,
        "canCopy": not folder and not readers_restricted,
        "canDelete": owner,
        "canDeleteChildren": folder and owner,
        "canDownload": not readers_restricted,
        "canEdit": writer and not trashed,
        "canListChildren": folder,
        "canModifyContent": writer and not trashed,
        "canModifyLabels": False,
        "canMoveItemWithinDrive": writer,
        "canReadLabels": False,
        "canReadRevisions": writer and not folder,
        "canRemoveChildren": folder and writer,
        "canRemoveMyDriveParent": owner,
        "canRename": writer and not trashed,
        "canShare": can_share(meta, role),
        "canTrash": owner and not trashed,
        "canTrashChildren": folder and owner,
        "canUntrash": owner and trashed,
    }


def web_view_link(meta: dict[str, Any]) -> str:
    """Where a browser opens the file (spreadsheets in Sheets, folders in Drive)."""
    file_id, mime = meta["id"], meta.get("mimeType")
    if mime == access.SPREADSHEET_MIME:
        return f"https://docs.google.com/spreadsheets/d/{file_id}/edit?usp=drivesdk"
    if mime == access.FOLDER_MIME:
        return f"https://drive.google.com/drive/folders/{file_id}"
    if mime == GOOGLE_APPS_PREFIX + "document":
        return f"https://docs.google.com/document/d/{file_id}/edit?usp=drivesdk"
    return f"https://drive.google.com/file/d/{file_id}/view?usp=drivesdk"


# ---------------------------------------------------------------- resources


def render_permission(perm: dict[str, Any]) -> dict[str, Any]:
    """The Permission resource.

    https://developers.google.com/drive/api/reference/rest/v3/permissions#Permission
    """
    kind = perm["type"]
    out: dict[str, Any] = {"kind": "drive#permission", "id": perm["id"], "type": kind}
    if kind in ("user", "group"):
        email = perm["emailAddress"]
        out["emailAddress"] = email
        out["displayName"] = perm.get("displayName") or email.split("@")[0]
        out["deleted"] = False
    elif kind == "domain":
        out["domain"] = perm["domain"]
        out["displayName"] = perm["domain"]
        out["allowFileDiscovery"] = bool(perm.get("allowFileDiscovery"))
    else:
        out["allowFileDiscovery"] = bool(perm.get("allowFileDiscovery"))
    out["role"] = perm["role"]
    if kind == "user":
        out["pendingOwner"] = bool(perm.get("pendingOwner"))
    if perm.get("expirationTime"):
        out["expirationTime"] = perm["expirationTime"]
    return out


def render_file(tx: Tx, meta: dict[str, Any], caller: str) -> dict[str, Any]:
    """The File resource as `caller` sees it (the handler's `fields` mask trims it)."""
    perms = tx.permissions(meta["id"])
    role = access.role_of(tx, meta, caller) or "reader"
    owner = meta["ownerEmail"]
    folder = meta.get("mimeType") == access.FOLDER_MIME
    out: dict[str, Any] = {
        "kind": "drive#file",
        "id": meta["id"],
        "name": meta.get("name", ""),
        "mimeType": meta.get("mimeType"),
        "starred": caller.lower() in meta.get("starredBy", []),
        "trashed": bool(meta.get("trashed")),
        "explicitlyTrashed": bool(meta.get("trashed")),
        "parents": visible_parents(tx, meta, caller),
        "spaces": ["drive"],
        "version": str(meta.get("version", "1")),
        "webViewLink": web_view_link(meta),
        "hasThumbnail": False,
        "createdTime": meta.get("createdTime"),
        "modifiedTime": meta.get("modifiedTime"),
        "modifiedByMe": meta.get("lastModifyingEmail") == caller.lower(),
        "owners": [user(owner, caller)],
        "lastModifyingUser": user(meta.get("lastModifyingEmail") or owner, caller),
        "shared": any(p.get("role") != "owner" for p in perms),
        "ownedByMe": owner == caller.lower(),
        "capabilities": capabilities(meta, role, _pending_owner(perms, caller)),
        "viewersCanCopyContent": not meta.get("copyRequiresWriterPermission"),
        "copyRequiresWriterPermission": bool(meta.get("copyRequiresWriterPermission")),
        "writersCanShare": meta.get("writersCanShare", True) is not False,
        "isAppAuthorized": True,
    }
    if not out["parents"]:
        del out["parents"]
    if meta.get("trashed") and meta.get("trashedTime"):
        out["trashedTime"] = meta["trashedTime"]
        out["trashingUser"] = user(meta.get("trashingEmail") or owner, caller)
    if not folder and not meta.get("mimeType", "").startswith(GOOGLE_APPS_PREFIX):
        out["size"] = "0"
    for key in ("description", "properties", "appProperties", "folderColorRgb"):
        if meta.get(key):
            out[key] = meta[key]
    shared = (meta.get("sharedWith") or {}).get(caller.lower())
    if shared and owner != caller.lower():
        out["sharedWithMeTime"] = shared["time"]
        out["sharingUser"] = user(shared["by"], caller)
    if can_share(meta, role):
        out["permissions"] = [render_permission(p) for p in perms]
        out["permissionIds"] = [p["id"] for p in perms]
    return out


def _pending_owner(perms: list[dict[str, Any]], caller: str) -> bool:
    return any(
        p.get("pendingOwner") and p.get("emailAddress", "").lower() == caller.lower() for p in perms
    )


def touch(tx: Tx, meta: dict[str, Any]) -> None:
    """A metadata change Drive counts in `version` without touching modifiedTime (sharing)."""
    meta["version"] = str(int(meta.get("version", "1")) + 1)
    tx.put_file(meta)
    tx.add_change(meta["id"], access.now_rfc3339(), access.audience(tx, meta["id"]), removed=False)
