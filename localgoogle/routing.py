"""A router over raw (still percent-encoded) request paths, keyed by discovery method id.

Flask decodes `%2F` before routing, which would split a range such as `'A/B'!A1` apart; the
stand-in therefore matches the raw path itself and decodes each captured segment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from . import discovery

Handler = Callable[..., Any]


@dataclass(frozen=True)
class Route:
    api: str
    http_method: str
    regex: re.Pattern[str]
    method_id: str
    handler: Handler | None  # None: a method Google has that the stand-in does not implement
    default_fields: str | None = None

    @property
    def literal_length(self) -> int:
        """Characters a path must match literally; longer literals are more specific."""
        return len(re.sub(r"\(\?P<[^>]+>\[\^/\]\+\?\)", "", self.regex.pattern))

    def match(self, http_method: str, path: str) -> dict[str, str] | None:
        if http_method != self.http_method:
            return None
        m = self.regex.fullmatch(path)
        return {k: unquote(v) for k, v in m.groupdict().items()} if m else None


def compile_template(template: str) -> re.Pattern[str]:
    """`v4/spreadsheets/{spreadsheetId}:batchUpdate` -> a regex with named groups."""
    out = []
    for part in re.split(r"(\{[^}]+\})", template):
        if part.startswith("{"):
            name = part[1:-1].lstrip("+")
            out.append(f"(?P<{re.sub(r'[^A-Za-z0-9_]', '_', name)}>[^/]+?)")
        else:
            out.append(re.escape(part))
    return re.compile("".join(out))


class Router:
    """Routes for one API; unimplemented discovery methods resolve to 501."""

    def __init__(self, api: str, prefix: str) -> None:
        self.api = api
        self.prefix = prefix  # path prefix of the API's servicePath, e.g. "drive/v3/"
        self.routes: list[Route] = []

    def add(
        self, http_method: str, method_id: str, default_fields: str | None = None
    ) -> Callable[[Handler], Handler]:
        spec = discovery.method(method_id)
        template = spec.get("flatPath") or spec["path"]

        def register(handler: Handler) -> Handler:
            self.routes.append(
                Route(
                    self.api,
                    http_method,
                    compile_template(self.prefix + template),
                    method_id,
                    handler,
                    default_fields,
                )
            )
            return handler

        return register

    def finish(self) -> None:
        """Add every remaining discovery method as an unimplemented route (answers 501)."""
        done = {r.method_id for r in self.routes}
        for method_id in discovery.method_ids(self.api):
            if method_id in done:
                continue
            spec = discovery.method(method_id)
            template = spec.get("flatPath") or spec["path"]
            self.routes.append(
                Route(
                    self.api,
                    spec["httpMethod"],
                    compile_template(self.prefix + template),
                    method_id,
                    None,
                )
            )
        # Specific templates (literal suffixes such as ":append") before general ones.
        self.routes.sort(key=lambda r: -r.literal_length)

    def resolve(self, http_method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            params = route.match(http_method, path)
            if params is not None:
                return route, params
        return None
