"""Revisions of a file as Google keeps them for Docs editors files, and their exported content.

- **One person per revision.** A revision names the one user who wrote it (`lastModifyingUser`).
- **Merged edits.** Google merges a person's consecutive edits of a Docs editors file into one
  revision; how close together edits must be is not documented. Here a write by the same person
  as the file's latest revision, within `MERGE_SECONDS` (a knob) of that revision's last edit,
  is folded into it: same id, a later `modifiedTime`, the newer content. Anyone else's write,
  or a later one, starts a new revision.
- **Content.** Each revision keeps the spreadsheet's values as that revision left them, and
  offers them through `exportLinks` (xlsx only here), downloaded with the caller's credentials
  from `/spreadsheets/export?id=&revision=&exportFormat=xlsx` as Google serves
  `https://docs.google.com/spreadsheets/export?...`. Revisions stored before content was kept
  have no content: their export answers 404.

Sources: Drive v3 `revisions` reference (exportLinks: "Links for exporting Docs Editors files to
specific formats"; revisions.list: "might be incomplete for files with a large revision history,
including frequently edited Google Docs, Sheets, and Slides"), and the observed merging of close
edits (hawksey.info, 2022, "Working with the Google Drive API Revisions history: Tips for
handling revision merges"; gist.github.com/benmarwick/1feaa2b2f0d7bc5f7e97903b8ff92aed, written
for tidyverse/googledrive issue 218: "When many edits happen in a short period of time, these
are combined by Google"). See docs/LOCAL_GOOGLE.md.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from . import cellvalues
from . import sheetmodel as sm
from .numberformat import DATE_TIME_TYPES
from .storage import Tx

MERGE_SECONDS = 300.0
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_PATH = "/spreadsheets/export"
_SERIAL_EPOCH = datetime(1899, 12, 30)
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def capture(doc: sm.Doc) -> dict[str, Any]:
    """The spreadsheet's values as a revision keeps them: per sheet, its title, its rows of
    unformatted values, and which cells hold dates or times (as serial numbers)."""
    sheets = []
    for sheet in sm.sheets(doc):
        rows: list[list[Any]] = []
        dates: list[list[int]] = []
        for r, row in enumerate(sheet.get("grid") or []):
            values: list[Any] = []
            for c, cell in enumerate(row or []):
                value = cellvalues.render(cell, "UNFORMATTED_VALUE", "SERIAL_NUMBER")
                values.append(value)
                if cell and isinstance(value, int | float) and not isinstance(value, bool):
                    number_format = cellvalues.number_format_of(cell) or {}
                    if number_format.get("type") in DATE_TIME_TYPES:
                        dates.append([r, c])
            while values and values[-1] == "":
                values.pop()
            rows.append(values)
        while rows and not rows[-1]:
            rows.pop()
        sheets.append({"title": sm.title(sheet), "rows": rows, "dates": dates})
    return {"sheets": sheets}


def record(
    tx: Tx,
    file_id: str,
    email: str,
    now: str,
    content: dict[str, Any] | None,
    merge_seconds: float = MERGE_SECONDS,
) -> None:
    """Leave a revision for a write by `email` at `now`: a new one, or folded into the latest."""
    meta = {"modifiedTime": now, "email": email.lower()}
    last = tx.last_revision(file_id)
    if last is not None:
        seq, previous = last
        if previous.get("email") == email.lower() and _within(
            previous.get("modifiedTime"), now, merge_seconds
        ):
            tx.update_revision(file_id, seq, {**previous, **meta}, content)
            return
    tx.add_revision(file_id, meta, content)


def _within(earlier: Any, now: str, seconds: float) -> bool:
    start, end = _time(earlier), _time(now)
    return start is not None and end is not None and end - start <= timedelta(seconds=seconds)


def _time(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def export_links(base_url: str, file_id: str, revision_id: str) -> dict[str, str]:
    """A spreadsheet revision's `exportLinks`, served by this stand-in at `base_url`."""
    query = urlencode({"id": file_id, "revision": revision_id, "exportFormat": "xlsx"})
    return {XLSX_MIME: f"{base_url.rstrip('/')}{EXPORT_PATH}?{query}"}


def xlsx(content: dict[str, Any]) -> bytes:
    """A revision's content as an xlsx workbook: values, booleans, and dates as dates."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    for sheet in content.get("sheets", []):
        ws = book.create_sheet(_title(str(sheet.get("title") or "Sheet"), taken))
        dates = {(r, c) for r, c in sheet.get("dates", [])}
        for r, row in enumerate(sheet.get("rows", [])):
            for c, value in enumerate(row):
                if value == "" or value is None:
                    continue
                cell = ws.cell(row=r + 1, column=c + 1)
                if (r, c) in dates and isinstance(value, int | float):
                    cell.value = _SERIAL_EPOCH + timedelta(days=float(value))
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(value, str):
                    cell.value = _ILLEGAL.sub("", value)
                    cell.data_type = "s"  # "=1+1" typed as text stays text
                else:
                    cell.value = value
    if not book.worksheets:
        book.create_sheet("Sheet1")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _title(title: str, taken: set[str]) -> str:
    """A sheet title xlsx accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = _BAD_TITLE.sub(" ", title)[:31].strip("'") or "Sheet"
    candidate, n = base, 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate.casefold())
    return candidate
