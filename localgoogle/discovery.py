"""The discovery documents (Sheets v4, Drive v3, Cloud Tasks v2, Gmail v1) that ship with
google-api-python-client.

The stand-in checks requests against the very documents the client library builds its calls from
(`googleapiclient/discovery_cache/documents/*.json`), so the two cannot drift apart. Format of the
documents: https://developers.google.com/discovery/v1/reference/apis
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Any

# API short name (the first part of a method id) -> file in googleapiclient's discovery cache.
DOCUMENT_FILES: dict[str, str] = {
    "sheets": "sheets.v4.json",
    "drive": "drive.v3.json",
    "chat": "chat.v1.json",  # its GoogleAppsCardV1Card schema checks the add-on's cards
    "cloudtasks": "cloudtasks.v2.json",
    "gmail": "gmail.v1.json",
}


def api_of(method_id: str) -> str:
    """The API short name of a method id: "sheets.spreadsheets.get" -> "sheets"."""
    return method_id.split(".", 1)[0]


@functools.cache
def document(api: str) -> dict[str, Any]:
    """The parsed discovery document of `api` ("sheets", "drive", ...), read once per process."""
    try:
        filename = DOCUMENT_FILES[api]
    except KeyError:
        raise KeyError(f"no discovery document for API {api!r}") from None
    path = resources.files("googleapiclient") / "discovery_cache" / "documents" / filename
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def _walk_methods(resource: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every method description under a discovery resource, depth first."""
    yield from resource.get("methods", {}).values()
    for child in resource.get("resources", {}).values():
        yield from _walk_methods(child)


@functools.cache
def _methods(api: str) -> dict[str, dict[str, Any]]:
    """Method id -> method description, for every method of `api`."""
    return {m["id"]: m for m in _walk_methods(document(api))}


def method_ids(api: str) -> list[str]:
    """Every method id the discovery document of `api` declares, sorted."""
    return sorted(_methods(api))


def method(method_id: str) -> dict[str, Any]:
    """The description of a method: httpMethod, path, parameters and request {"$ref": ...}."""
    try:
        return _methods(api_of(method_id))[method_id]
    except KeyError:
        raise KeyError(f"unknown discovery method {method_id!r}") from None


def schema(api: str, name: str) -> dict[str, Any]:
    """The named schema of `api`, e.g. ("sheets", "Spreadsheet")."""
    try:
        found: dict[str, Any] = document(api)["schemas"][name]
    except KeyError:
        raise KeyError(f"no schema {name!r} in the {api} discovery document") from None
    return found


def request_schema_name(method_id: str) -> str | None:
    """The schema name of the method's request body, or None when it takes no body."""
    request = method(method_id).get("request")
    return None if request is None else str(request["$ref"])


def parameter_spec(method_id: str) -> dict[str, dict[str, Any]]:
    """Query and path parameters of a method, including the document's common parameters."""
    common: dict[str, dict[str, Any]] = document(api_of(method_id)).get("parameters", {})
    return {**common, **method(method_id).get("parameters", {})}


def _refs(spec: dict[str, Any]) -> Iterator[str]:
    """The schema names a schema (or an inline part of one) refers to directly."""
    if "$ref" in spec:
        yield str(spec["$ref"])
    for prop in spec.get("properties", {}).values():
        yield from _refs(prop)
    if isinstance(spec.get("items"), dict):
        yield from _refs(spec["items"])
    if isinstance(spec.get("additionalProperties"), dict):
        yield from _refs(spec["additionalProperties"])


def reachable_schemas(api: str, names: Iterable[str]) -> set[str]:
    """Every schema name reachable from `names` by $ref; KeyError on a dangling reference."""
    seen: set[str] = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        pending.extend(_refs(schema(api, name)))
    return seen
