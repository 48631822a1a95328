"""The Drive v3 router the Drive handler modules register on, through `route`.

`route` also checks the `fields` selector against the method's response schema, as Drive does.
`drive_api` imports the handler modules and hands the finished router to the app.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from . import drive_common as dc
from .context import Caller
from .routing import Handler, Router

ROUTER = Router("drive", "drive/v3/")


def route(
    http_method: str, method_id: str, default_fields: str | None = None
) -> Callable[[Handler], Handler]:
    """Register a Drive handler; a `fields` selector naming unknown fields answers 400 first."""

    def register(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def checked(caller: Caller, **params: str) -> Any:
            dc.check_fields(caller, method_id)
            return handler(caller, **params)

        ROUTER.add(http_method, method_id, default_fields)(checked)
        return handler

    return register
