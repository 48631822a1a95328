"""Request accounting: how many Sheets and Drive requests the adapter made, by discovery method id.

API calls are this project's cost (DESIGN.md, "Request budgets"), so every request that leaves
through `addon.google` is counted: `retry.execute` counts each attempt of a
google-api-python-client request under its `methodId`, and the gspread HTTP client built by
`clients.gspread_client` counts each HTTP request it sends. Benchmarks and the CLI's `--json`
output (`"requests": {"sheets": N, "drive": M}`) read `default_counter().snapshot()`.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass(frozen=True)
class RequestCounts:
    """Requests counted up to one moment; subtract two snapshots to cost an operation."""

    by_method: Mapping[str, int] = field(default_factory=dict)

    @property
    def by_api(self) -> dict[str, int]:
        """Counts per API, the first part of the method id: {"sheets": N, "drive": M}."""
        totals: Counter[str] = Counter()
        for method, n in self.by_method.items():
            totals[api_of(method)] += n
        return dict(sorted(totals.items()))

    @property
    def total(self) -> int:
        return sum(self.by_method.values())

    def __sub__(self, earlier: RequestCounts) -> RequestCounts:
        delta = Counter(self.by_method)
        delta.subtract(earlier.by_method)
        return RequestCounts({m: n for m, n in sorted(delta.items()) if n})

    def as_json(self) -> dict[str, int]:
        """The `"requests"` object of `--json` outputs: counts by API, sheets and drive always."""
        return {"sheets": 0, "drive": 0, **self.by_api}


class RequestCounter:
    """A thread-safe tally of requests by discovery method id (`sheets.spreadsheets.get`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_method: Counter[str] = Counter()

    def record(self, method_id: str, n: int = 1) -> None:
        with self._lock:
            self._by_method[method_id] += n

    def snapshot(self) -> RequestCounts:
        with self._lock:
            return RequestCounts(dict(sorted(self._by_method.items())))

    def reset(self) -> None:
        with self._lock:
            self._by_method.clear()


_DEFAULT = RequestCounter()


def default_counter() -> RequestCounter:
    """The process-wide counter the adapter records into unless given another."""
    return _DEFAULT


def api_of(method_id: str) -> str:
    """The API a discovery method id belongs to: `sheets.spreadsheets.get` -> `sheets`."""
    return method_id.split(".", 1)[0]


# Drive paths whose last segment is an action on the resource before it, not a collection.
_DRIVE_ACTIONS = frozenset(
    {"copy", "export", "watch", "stop", "modifyLabels", "listLabels", "generateIds"}
)
_DRIVE_SINGLETONS = {
    "about": "drive.about.get",
    "changes/startPageToken": "drive.changes.getStartPageToken",
}
_VERB_METHODS = {"PUT": "update", "PATCH": "patch", "DELETE": "delete"}


def method_id_for_url(http_method: str, url: str) -> str:
    """Best-effort discovery method id for a Sheets v4 / Drive v3 URL (for gspread's requests).

    `PUT .../v4/spreadsheets/ID/values/A1` -> `sheets.spreadsheets.values.update`,
    `POST .../drive/v3/files/ID/permissions` -> `drive.permissions.create`. Paths alternate
    collection and id; a `:verb` suffix names a custom method. Unknown URLs count as `other.<verb>`.
    """
    path = urlsplit(url).path
    verb = http_method.upper()
    if "/drive/v3/" in path:
        return _drive_method_id(verb, path.split("/drive/v3/", 1)[1].strip("/"))
    if "/v4/" not in path:
        return f"other.{verb.lower()}"
    rest = path.split("/v4/", 1)[1].strip("/")
    segments = rest.split("/") if rest else []
    custom = None
    if segments and ":" in segments[-1]:
        segments[-1], custom = segments[-1].split(":", 1)
    return ".".join(["sheets", *segments[0::2], custom or _crud(verb, len(segments) % 2 == 0)])


def _drive_method_id(verb: str, rest: str) -> str:
    """Drive's method ids are flat: `drive.permissions.create`, not `drive.files.permissions...`."""
    if rest in _DRIVE_SINGLETONS:
        return _DRIVE_SINGLETONS[rest]
    segments = rest.split("/") if rest else ["files"]
    if len(segments) >= 2 and segments[-1] in _DRIVE_ACTIONS:
        return f"drive.{segments[:-1][0::2][-1]}.{segments[-1]}"
    action = "update" if verb == "PATCH" else _crud(verb, len(segments) % 2 == 0)
    return f"drive.{segments[0::2][-1]}.{action}"


def _crud(verb: str, names_one: bool) -> str:
    """The standard method an HTTP verb stands for, on a collection or on one resource in it."""
    if verb == "GET":
        return "get" if names_one else "list"
    if verb == "POST":
        return "create"
    return _VERB_METHODS.get(verb, verb.lower())
