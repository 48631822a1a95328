"""Sheets v4 spreadsheet-level methods: create, get, batchUpdate, developerMetadata.

These and `values_api`'s methods register on `sheets_common.ROUTER`; `router()` finishes it.
"""

from __future__ import annotations

from typing import Any

from . import (
    access,
    build,
    fieldmask,
    metadata,
    protection,
    shape,
    values_api,  # noqa: F401 - registers the values methods on the Sheets router
)
from . import sheetmodel as sm
from .batch import apply_requests
from .context import Caller, local_google
from .errors import ApiError, bad_request
from .routing import Router
from .sheets_common import ROUTER, opened


@ROUTER.add("POST", "sheets.spreadsheets.create")
def create(caller: Caller) -> dict[str, Any]:
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/create"""
    body = caller.body or {}
    spreadsheet_id = sm.new_spreadsheet_id()
    doc = build.new_document(body, spreadsheet_id)
    with local_google().storage.transaction() as tx:
        tx.put_spreadsheet(doc)
        access.new_file(
            tx, spreadsheet_id, doc["properties"]["title"], access.SPREADSHEET_MIME, caller.email
        )
    out = build.resource(doc)
    protection.annotate(out, caller.email, caller.email, writer=True)  # the creator owns it
    return shape.spreadsheet(out)


def _wants_grid(caller: Caller) -> bool:
    # "includeGridData ... is ignored if a field mask was set in the request."
    # (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get)
    fields = caller.arg("fields")
    if fields:
        mask = fieldmask.parse(fields)
        sheets = mask.get("sheets")
        return (
            "*" in mask or sheets is not None and (not sheets or "data" in sheets or "*" in sheets)
        )
    return caller.flag("includeGridData")


@ROUTER.add("GET", "sheets.spreadsheets.get")
def get(caller: Caller, spreadsheetId: str) -> dict[str, Any]:  # noqa: N803 - path parameter
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get"""
    with opened(caller, spreadsheetId, "reader") as o:
        ranges = [sm.resolve_a1(o.doc, text) for text in caller.arg_list("ranges")]
        return o.resource(_wants_grid(caller), ranges or None)


@ROUTER.add("POST", "sheets.spreadsheets.batchUpdate")
def batch_update(caller: Caller, spreadsheetId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/batchUpdate

    Atomic as Google documents: "if any request is not valid, then the entire request will fail
    and nothing will be applied" — the transaction rolls back on the first error.
    """
    body = caller.body or {}
    with opened(caller, spreadsheetId, "writer") as o:
        replies = apply_requests(o, body.get("requests") or [])
        o.save()
        props = o.doc["properties"]
        out: dict[str, Any] = {
            "spreadsheetId": spreadsheetId,
            "replies": [shape.reply(r, props) for r in replies],
        }
        if body.get("includeSpreadsheetInResponse"):
            ranges = [sm.resolve_a1(o.doc, t) for t in body.get("responseRanges") or []]
            out["updatedSpreadsheet"] = o.resource(
                bool(body.get("responseIncludeGridData")), ranges or None
            )
        return out


@ROUTER.add("POST", "sheets.spreadsheets.developerMetadata.search")
def metadata_search(caller: Caller, spreadsheetId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.developerMetadata/search"""
    body = caller.body or {}
    with opened(caller, spreadsheetId, "reader") as o:
        matched = []
        for data_filter in body.get("dataFilters") or []:
            lookup = data_filter.get("developerMetadataLookup")
            if lookup is None:
                raise bad_request(
                    "The local Google stand-in searches developer metadata only by "
                    "developerMetadataLookup filters."
                )
            for meta in metadata.matching(o.doc, lookup):
                matched.append({"developerMetadata": meta, "dataFilters": [data_filter]})
        return {"matchedDeveloperMetadata": matched} if matched else {}


@ROUTER.add("GET", "sheets.spreadsheets.developerMetadata.get")
def metadata_get(caller: Caller, spreadsheetId: str, metadataId: str) -> dict[str, Any]:  # noqa: N803
    """https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.developerMetadata/get"""
    with opened(caller, spreadsheetId, "reader") as o:
        for meta in o.doc["developerMetadata"]:
            if str(meta["metadataId"]) == metadataId:
                return dict(meta)
        raise ApiError(404, f"No developer metadata with ID: {metadataId}")


def router() -> Router:
    """The Sheets router with every implemented method (values included) and 501 for the rest."""
    if not any(r.handler is None for r in ROUTER.routes):
        ROUTER.finish()
    return ROUTER
