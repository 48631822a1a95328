"""What the Sheets handlers share: the Sheets router, and a spreadsheet opened in a transaction.

`sheets_api` (spreadsheet-level methods) and `values_api` register on `ROUTER`; `sheets_api` hands
the finished router to the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from . import access, build, cells, protection, shape
from . import sheetmodel as sm
from .context import Caller, local_google
from .errors import ApiError
from .routing import Router
from .storage import Tx

ROUTER = Router("sheets", "")


@dataclass
class Opened:
    """A spreadsheet opened within a transaction, with its Drive file."""

    tx: Tx
    meta: dict[str, Any]
    doc: sm.Doc
    caller: str

    @property
    def owner(self) -> str:
        return str(self.meta["ownerEmail"])

    def resource(
        self, include_grid_data: bool, ranges: list[tuple[sm.Sheet, sm.Bounds]] | None
    ) -> dict[str, Any]:
        """The Spreadsheet resource as the caller sees it (protections annotated for them)."""
        out = build.resource(self.doc, include_grid_data, ranges)
        role = access.role_of(self.tx, self.meta, self.caller)
        writer = role is not None and access.ROLE_RANK[role] >= access.ROLE_RANK["writer"]
        protection.annotate(out, self.caller, self.owner, writer)
        return shape.spreadsheet(out)

    def save(self) -> None:
        """Recalculate, store, and leave Drive's trace of the write (version, revision, change)."""
        sm.check_cell_limit(self.doc)
        cells.recalculate(self.doc)
        self.meta["name"] = self.doc["properties"]["title"]
        self.tx.put_spreadsheet(self.doc)
        merge = local_google().accounting.knobs.revision_merge_seconds
        access.record_write(self.tx, self.meta, self.caller, doc=self.doc, merge_seconds=merge)


@contextmanager
def opened(caller: Caller, spreadsheet_id: str, need: str) -> Iterator[Opened]:
    """Open a spreadsheet as `caller` with at least role `need`; all-or-nothing."""
    with local_google().storage.transaction() as tx:
        meta = access.open_file(tx, spreadsheet_id, caller.email, need, "sheets")
        if meta.get("trashed") and need != "reader":
            raise ApiError(404, "Requested entity was not found.")
        doc = tx.spreadsheet(spreadsheet_id)
        if doc is None:
            raise ApiError(404, "Requested entity was not found.")
        yield Opened(tx, meta, doc, caller.email)
