"""Drive v2 media upload with conversion into an existing spreadsheet, as gspread's `import_csv`
sends it: `PUT upload/drive/v2/files/{fileId}?uploadType=media&convert=true` with a CSV body.

https://developers.google.com/drive/api/v2/reference/files/update (convert: "Whether to convert
this file to the corresponding Docs Editors format"); gspread documents the result: the other
worksheets are removed and the first one holds the CSV's rows. The stand-in keeps the first
sheet's id and title and gives it the size of a new sheet (or more, to fit the rows), and keeps
spreadsheet-level developer metadata; sheet-level metadata, named ranges and formats go.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, request

from . import access
from . import sheetmodel as sm
from .cells import refresh
from .cellvalues import parse_input
from .context import caller_email, error_response, json_response, local_google
from .errors import ApiError, not_implemented
from .sheets_common import Opened

bp = Blueprint("drive_v2_upload", __name__)
METHOD_ID = "drive.files.update"  # counted as the v3 method it stands for
CSV_TYPES = ("text/csv", "text/plain")


def _rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig", errors="replace")
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def _replace_content(doc: sm.Doc, rows: list[list[str]]) -> None:
    first = doc["sheets"][0]["properties"]
    width = max((len(r) for r in rows), default=0)
    sheet: sm.Sheet = {
        "properties": {
            "sheetId": first["sheetId"],
            "title": first["title"],
            "index": 0,
            "sheetType": "GRID",
            "gridProperties": {
                "rowCount": max(len(rows), sm.DEFAULT_ROWS),
                "columnCount": max(width, sm.DEFAULT_COLUMNS),
            },
        },
        "grid": [],
        "rowMeta": {},
        "colMeta": {},
    }
    for r, row in enumerate(rows):
        for c, raw in enumerate(row):
            parsed = parse_input(raw, "USER_ENTERED")
            if parsed is None or not parsed.value:
                continue
            stored: dict[str, Any] = {"userEnteredValue": parsed.value}
            if parsed.number_format:
                stored["userEnteredFormat"] = {"numberFormat": parsed.number_format}
            refresh(stored)
            sm.set_cell(sheet, r, c, stored)
    doc["sheets"] = [sheet]
    doc["namedRanges"] = []
    doc["developerMetadata"] = [
        m for m in doc["developerMetadata"] if m.get("location", {}).get("spreadsheet")
    ]


def _v2_file(meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "drive#file",
        "id": meta["id"],
        "title": meta["name"],
        "mimeType": meta["mimeType"],
        "createdDate": meta.get("createdTime"),
        "modifiedDate": meta.get("modifiedTime"),
        "version": meta.get("version"),
        "alternateLink": sm.spreadsheet_url(meta["id"]),
    }


@bp.put("/upload/drive/v2/files/<file_id>")
def upload(file_id: str) -> Response:
    """Replace a spreadsheet's content with an uploaded CSV (uploadType=media, convert=true)."""
    lg = local_google()
    try:
        email = caller_email()
        lg.accounting.count(METHOD_ID, email)
        lg.accounting.delay()
        lg.accounting.check_quota(email, "drive")
        lg.accounting.maybe_fail()
        if request.args.get("uploadType") != "media":
            raise not_implemented("Drive v2 uploads other than uploadType=media")
        if request.args.get("convert", "false").lower() != "true":
            raise not_implemented("Drive v2 media uploads without convert=true")
        content_type = (request.content_type or "").split(";", 1)[0].strip().lower()
        if content_type not in CSV_TYPES:
            raise not_implemented(f"converting an upload of type {content_type or 'unknown'}")
        rows = _rows(request.get_data())
        with lg.storage.transaction() as tx:
            meta = access.open_file(tx, file_id, email, "writer", "drive")
            doc = tx.spreadsheet(file_id) if meta["mimeType"] == access.SPREADSHEET_MIME else None
            if doc is None:
                raise ApiError(
                    400,
                    "Conversion to a spreadsheet is only supported for spreadsheet files.",
                    reason="badRequest",
                )  # approximate wording
            _replace_content(doc, rows)
            Opened(tx, meta, doc, email).save()
            out = _v2_file(meta)
        lg.accounting.maybe_fail_after_write()
        return json_response(out)
    except ApiError as error:
        return error_response(error, "drive")
