"""Drive v3 `files.export` of a spreadsheet: xlsx, csv and tsv (first sheet), and pdf.

https://developers.google.com/drive/api/reference/rest/v3/files/export and the formats a
spreadsheet exports to: https://developers.google.com/drive/api/guides/ref-export-formats
The PDF is a knowing simplification: one page listing the first sheet's values as text, a valid
PDF but not Google's rendering of the grid.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from flask import Response

from . import access
from . import sheetmodel as sm
from .cellvalues import render
from .context import Caller, local_google
from .drive_routes import route
from .errors import ApiError, not_implemented

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
TSV = "text/tab-separated-values"
PDF = "application/pdf"
# Formats Google exports a spreadsheet to that the stand-in does not make (answered 501).
NOT_MADE = ("application/x-vnd.oasis.opendocument.spreadsheet", "application/zip")
EXPORT_LIMIT = 10 * 1024 * 1024  # "The exported content is limited to 10MB."


def _rows(sheet: sm.Sheet, value_render: str = "FORMATTED_VALUE") -> list[list[Any]]:
    """The sheet's values up to its last row and column with content."""
    used_rows, used_cols = sm.used_extent(sheet)
    return [
        [render(sm.cell(sheet, r, c), value_render) for c in range(used_cols)]
        for r in range(used_rows)
    ]


def _delimited(doc: sm.Doc, delimiter: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    grids = [s for s in doc["sheets"] if s["properties"].get("sheetType", "GRID") == "GRID"]
    writer.writerows(_rows(grids[0]) if grids else [])
    return out.getvalue().encode("utf-8")


_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def _xlsx(doc: sm.Doc) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for sheet in doc["sheets"]:
        if sheet["properties"].get("sheetType", "GRID") != "GRID":
            continue
        name = _BAD_TITLE.sub("_", sm.title(sheet))[:31] or "Sheet"
        while name.lower() in taken:
            name = f"{name[:28]}_{len(taken)}"
        taken.add(name.lower())
        ws = book.create_sheet(name)
        for r, row in enumerate(_rows(sheet, "FORMULA"), start=1):
            for c, value in enumerate(row, start=1):
                if value != "":
                    ws.cell(row=r, column=c, value=value)
        if sheet["properties"].get("hidden"):
            ws.sheet_state = "hidden"
    if not book.worksheets:
        book.create_sheet("Sheet1")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _pdf_text(text: str) -> str:
    safe = text.encode("latin-1", "replace").decode("latin-1")
    return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _pdf(doc: sm.Doc) -> bytes:
    """A one-page PDF 1.4 with the title and the first sheet's rows as lines of text."""
    grids = [s for s in doc["sheets"] if s["properties"].get("sheetType", "GRID") == "GRID"]
    lines = [str(doc["properties"].get("title", ""))]
    lines += ["  ".join(str(v) for v in row) for row in (_rows(grids[0]) if grids else [])][:60]
    text = "BT /F1 10 Tf 40 800 Td 12 TL " + " ".join(f"({_pdf_text(t)}) '" for t in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(text.encode('latin-1'))} >>\nstream\n{text}\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("latin-1")
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode("latin-1")
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    out += trailer.encode("latin-1")
    return bytes(out)


_MAKERS = {
    XLSX: _xlsx,
    CSV: lambda doc: _delimited(doc, ","),
    TSV: lambda doc: _delimited(doc, "\t"),
    PDF: _pdf,
}


@route("GET", "drive.files.export")
def export(caller: Caller, fileId: str) -> Response:  # noqa: N803 - path parameter
    """https://developers.google.com/drive/api/reference/rest/v3/files/export"""
    mime_type = caller.arg("mimeType") or ""
    with local_google().storage.transaction() as tx:
        meta = access.open_file(tx, fileId, caller.email, "reader", "drive")
        doc = tx.spreadsheet(fileId) if meta.get("mimeType") == access.SPREADSHEET_MIME else None
    if doc is None:
        # Approximate wording for a file the stand-in cannot export (folders, binary files).
        raise ApiError(
            403,
            "Export only supports Docs Editors files.",
            reason="fileNotExportable",
        )
    if mime_type in NOT_MADE:
        raise not_implemented(f"files.export to {mime_type}")
    maker = _MAKERS.get(mime_type)
    if maker is None:
        raise ApiError(
            400,
            "The requested conversion is not supported.",
            reason="badRequest",
            location="convertTo",
            location_type="parameter",
        )
    content = maker(doc)
    if len(content) > EXPORT_LIMIT:
        raise ApiError(
            403,
            "This file is too large to be exported.",
            reason="exportSizeLimitExceeded",
        )
    return Response(content, status=200, content_type=mime_type)
