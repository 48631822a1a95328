"""Drive v3 methods the stand-in implements (files, permissions, changes, revisions, comments).

The handlers live in `drive_files`, `drive_list`, `drive_permissions`, `drive_changes`,
`drive_channels` (push notifications), `drive_comments` and `drive_export`; each registers on the
router of `drive_routes` through its `route`. `about.get` is here.
"""

from __future__ import annotations

from typing import Any

from . import (  # noqa: F401 - each registers its handlers
    drive_changes,
    drive_channels,
    drive_comments,
    drive_export,
    drive_files,
    drive_list,
    drive_permissions,
)
from . import drive_common as dc
from .context import Caller
from .drive_routes import ROUTER, route
from .routing import Router


@route("GET", "drive.about.get")
def about_get(caller: Caller) -> dict[str, Any]:
    """https://developers.google.com/drive/api/reference/rest/v3/about/get"""
    dc.require_fields(caller)
    return {
        "kind": "drive#about",
        "user": dc.user(caller.email, caller.email),
        "storageQuota": {
            "limit": "16106127360",
            "usage": "0",
            "usageInDrive": "0",
            "usageInDriveTrash": "0",
        },
        "maxUploadSize": "5242880000000",
        "appInstalled": False,
        "canCreateDrives": False,
        "canCreateTeamDrives": False,
        "folderColorPalette": ["#ac725e", "#d06b64", "#f83a22", "#fa573c", "#ff7537", "#ffad46"],
    }


def router() -> Router:
    """The Drive router with every implemented method and 501 for the rest."""
    if not any(r.handler is None for r in ROUTER.routes):
        ROUTER.finish()
    return ROUTER
