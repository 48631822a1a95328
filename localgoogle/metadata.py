"""Developer metadata lookups (DataFilter.developerMetadataLookup)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from . import sheetmodel as sm


def matching(doc: sm.Doc, lookup: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Metadata entries that satisfy every field the lookup sets."""
    for meta in doc["developerMetadata"]:
        if "metadataId" in lookup and int(lookup["metadataId"]) != meta["metadataId"]:
            continue
        if "metadataKey" in lookup and lookup["metadataKey"] != meta.get("metadataKey"):
            continue
        if "metadataValue" in lookup and lookup["metadataValue"] != meta.get("metadataValue"):
            continue
        if "visibility" in lookup and lookup["visibility"] != meta.get("visibility"):
            continue
        location = meta.get("location", {})
        if "locationType" in lookup and lookup["locationType"] != location.get("locationType"):
            continue
        wanted = lookup.get("metadataLocation")
        if wanted and not _location_matches(wanted, location):
            continue
        yield dict(meta)


def _location_matches(wanted: dict[str, Any], location: dict[str, Any]) -> bool:
    if wanted.get("spreadsheet"):
        return bool(location.get("spreadsheet"))
    if "sheetId" in wanted:
        return location.get("sheetId") == wanted["sheetId"]
    if "dimensionRange" in wanted:
        return location.get("dimensionRange") == wanted["dimensionRange"]
    return True
