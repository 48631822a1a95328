"""Drive v3 methods the stand-in implements (files, permissions, changes, revisions, comments).

The handlers live in `drive_files`, `drive_permissions`, `drive_changes`, `drive_channels` (push
notifications) and `drive_comments`;
each registers on this module's router through `route`, which also checks the `fields` selector
against the method's response schema as Drive does. `about.get` is here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from . import drive_common as dc
from .app import Caller
from .routing import Handler, Router

_router = Router("drive", "drive/v3/")


def route(
    http_method: str, method_id: str, default_fields: str | None = None
) -> Callable[[Handler], Handler]:
    """Register a Drive handler; a `fields` selector naming unknown fields answers 400 first."""

    def register(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def checked(caller: Caller, **params: str) -> Any:
            dc.check_fields(caller, method_id)
            return handler(caller, **params)

        _router.add(http_method, method_id, default_fields)(checked)
        return handler

    return register


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
    from . import (  # noqa: F401 - each registers its handlers
        drive_changes,
        drive_channels,
        drive_comments,
        drive_export,
        drive_files,
        drive_list,
        drive_permissions,
    )

    if not any(r.handler is None for r in _router.routes):
        _router.finish()
    return _router
