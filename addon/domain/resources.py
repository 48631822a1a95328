"""The Resources tab: what the seller shared to help the champion sell inside (pure).

Case studies, security documentation, the order form, an ROI calculator: the seller adds each
from the sidebar, and it lands as one row of the plan's Resources tab with the date it was
shared. The tab is the add-on's to write (a protected range with the service account and the
owner as editors), so a link the buyer sees there is one the seller shared.

A link is shown as the resource's title carrying the address (a cell's `textFormat.link`), not
as a HYPERLINK formula: nothing typed into the sidebar becomes a formula.
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other#TextFormat
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from urllib.parse import urlsplit

from .layout_cells import Json, date_cell, grid_range, header_row, text_cell, widths

RESOURCES_TAB = "Resources"
RESOURCES_SHEET_ID = 6  # after the Executive summary (5)
RESOURCE_HEADERS = ("Resource", "Kind", "Shared on", "Note")
RESOURCE_WIDTHS = (320, 190, 110, 420)
RESOURCE_ROWS = 40  # header included; appendCells grows the grid as resources are shared
RESOURCES_PROTECTION = "Shared by the seller through the MAP add-on"

MAX_TITLE = 120
MAX_NOTE = 300
MAX_URL = 2000


class ResourceKind(StrEnum):
    CASE_STUDY = "Case study"
    SECURITY = "Security documentation"
    ORDER_FORM = "Order form"
    ROI_CALCULATOR = "ROI calculator"
    PRICING = "Pricing"
    OTHER = "Other"


class InvalidResource(ValueError):
    """A field of the resource form is not acceptable; `field` names it for the card."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Resource:
    title: str
    kind: ResourceKind
    url: str
    shared_on: date
    note: str = ""


def resource(title: str, kind: str, url: str, note: str, shared_on: date) -> Resource:
    """A resource from the sidebar's form, checked field by field (InvalidResource)."""
    title = " ".join(title.split())
    if not title:
        raise InvalidResource("title", "Give the resource a title the buyer will recognise.")
    if len(title) > MAX_TITLE:
        raise InvalidResource("title", f"Keep the title under {MAX_TITLE} characters.")
    try:
        chosen = ResourceKind(kind.strip())
    except ValueError:
        choices = ", ".join(k.value for k in ResourceKind)
        raise InvalidResource("kind", f"Choose what kind of resource it is: {choices}.") from None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in url):
        raise InvalidResource("url", "Give the full https:// address of the resource.")
    if len(url) > MAX_URL:
        raise InvalidResource("url", f"That address is longer than {MAX_URL} characters.")
    note = " ".join(note.split())
    if len(note) > MAX_NOTE:
        raise InvalidResource("note", f"Keep the note under {MAX_NOTE} characters.")
    return Resource(title, chosen, url, shared_on, note)


def resource_row(shared: Resource) -> Json:
    """One row: the title linking to the address, its kind, the day shared, the note."""
    link = {"textFormat": {"link": {"uri": shared.url}, "underline": True}}
    return {
        "values": [
            text_cell(shared.title, userEnteredFormat=link),
            text_cell(shared.kind.value),
            date_cell(shared.shared_on),
            text_cell(shared.note, userEnteredFormat={"wrapStrategy": "WRAP"}),
        ]
    }


def resources_sheet(
    *,
    service_account: str,
    owner: str,
    sheet_id: int = RESOURCES_SHEET_ID,
    index: int | None = RESOURCES_SHEET_ID,
) -> Json:
    """The tab, headers only, as a Sheet body for `spreadsheets.create` (without `index`:
    for `addSheet`, at the end)."""
    properties: Json = {
        "sheetId": sheet_id,
        "title": RESOURCES_TAB,
        "gridProperties": {
            "rowCount": RESOURCE_ROWS,
            "columnCount": len(RESOURCE_HEADERS),
            "frozenRowCount": 1,
        },
    }
    if index is not None:
        properties["index"] = index
    return {
        "properties": properties,
        "data": [
            {"rowData": [header_row(RESOURCE_HEADERS)], "columnMetadata": widths(RESOURCE_WIDTHS)}
        ],
        "protectedRanges": [
            {
                "range": grid_range(sheet_id),
                "description": RESOURCES_PROTECTION,
                "warningOnly": False,
                "editors": {"users": list(dict.fromkeys([service_account, owner]))},
            }
        ],
    }


def restore_resources_requests(*, service_account: str, owner: str, sheet_id: int) -> list[Json]:
    """batchUpdate requests that add the tab to a plan made before it existed.

    https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#AddSheetRequest
    """
    sheet = resources_sheet(
        service_account=service_account, owner=owner, sheet_id=sheet_id, index=None
    )
    return [
        {"addSheet": {"properties": sheet["properties"]}},
        {
            "updateCells": {
                "range": grid_range(sheet_id, 0, 1, 0, len(RESOURCE_HEADERS)),
                "rows": sheet["data"][0]["rowData"],
                "fields": "userEnteredValue,userEnteredFormat",
            }
        },
        *({"addProtectedRange": {"protectedRange": p}} for p in sheet["protectedRanges"]),
    ]


def append_resource(shared: Resource, sheet_id: int) -> Json:
    """The appendCells request that adds the row below the last one with data."""
    return {
        "appendCells": {
            "sheetId": sheet_id,
            "rows": [resource_row(shared)],
            "fields": "userEnteredValue,userEnteredFormat",
        }
    }
