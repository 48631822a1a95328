"""The seller shares a resource: a row of the plan's Resources tab the buyer reads, not edits.

Through the stand-in with the real client library.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from googleapiclient.errors import HttpError

sys.path.insert(0, str(Path(__file__).parents[1] / "watch"))
from test_watch import TODAY, World  # noqa: E402

from addon.domain.layout_cells import serial  # noqa: E402
from addon.domain.resources import RESOURCES_TAB, InvalidResource  # noqa: E402
from addon.services.share_resource import NotTheOwner, ResourceSharing  # noqa: E402
from localgoogle.server import Running  # noqa: E402


@pytest.fixture
def world(local_google: Running, tmp_path: Path) -> Iterator[World]:
    built = World(local_google, tmp_path)
    yield built
    built.store.close()


def _rows(sheets: Any, who: str, sid: str) -> list[list[Any]]:
    got = (
        sheets(who)
        .spreadsheets()
        .values()
        .get(
            spreadsheetId=sid,
            range=f"{RESOURCES_TAB}!A1:D10",
            valueRenderOption="UNFORMATTED_VALUE",
        )
        .execute()
    )
    return list(got.get("values", []))


def test_a_shared_case_study_is_a_linked_row_the_buyer_reads(world: World, sheets: Any) -> None:
    created = world.create()
    sid = created.spreadsheet_id
    with world.store.transaction(read_only=True) as tx:
        deal = tx.deals.get(created.deal_id)
    assert deal is not None
    sharing = ResourceSharing(world.google, world.service_account, today=lambda: TODAY)
    sharing.share(
        deal,
        by=world.owner,
        title="Northwind: close in 4 days",
        kind="Case study",
        url="https://example.com/northwind.pdf",
        note="Same ERP as yours",
    )
    rows = _rows(sheets, world.buyer, sid)
    assert rows == [
        ["Resource", "Kind", "Shared on", "Note"],
        ["Northwind: close in 4 days", "Case study", serial(TODAY), "Same ERP as yours"],
    ]
    got = (
        sheets(world.buyer)
        .spreadsheets()
        .get(
            spreadsheetId=sid,
            ranges=[f"{RESOURCES_TAB}!A2"],
            fields="sheets.data.rowData.values.userEnteredFormat.textFormat.link",
        )
        .execute()
    )
    cell = got["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert cell["userEnteredFormat"]["textFormat"]["link"] == {
        "uri": "https://example.com/northwind.pdf"
    }
    with pytest.raises(HttpError) as refused:  # a buyer cannot plant a link of their own
        sheets(world.buyer).spreadsheets().values().append(
            spreadsheetId=sid,
            range=f"{RESOURCES_TAB}!A1",
            valueInputOption="RAW",
            body={"values": [["Pay here", "Other", "", "https://evil.example"]]},
        ).execute()
    assert refused.value.resp.status == 400


def test_refusals_name_the_field_and_write_nothing(world: World, sheets: Any) -> None:
    created = world.create()
    with world.store.transaction(read_only=True) as tx:
        deal = tx.deals.get(created.deal_id)
    assert deal is not None
    sharing = ResourceSharing(world.google, world.service_account, today=lambda: TODAY)
    with pytest.raises(InvalidResource) as bad:
        sharing.share(deal, by=world.owner, title="Deck", kind="Case study", url="http://x.com")
    assert bad.value.field == "url"
    with pytest.raises(NotTheOwner):
        sharing.share(deal, by=world.buyer, title="Deck", kind="Other", url="https://x.com")
    assert _rows(sheets, world.buyer, created.spreadsheet_id) == [
        ["Resource", "Kind", "Shared on", "Note"]
    ]


def test_a_plan_without_the_tab_gets_it_back_with_the_row(world: World, sheets: Any) -> None:
    created = world.create()
    sid = created.spreadsheet_id
    sheets(world.owner).spreadsheets().batchUpdate(
        spreadsheetId=sid, body={"requests": [{"deleteSheet": {"sheetId": 6}}]}
    ).execute()
    with world.store.transaction(read_only=True) as tx:
        deal = tx.deals.get(created.deal_id)
    assert deal is not None
    ResourceSharing(world.google, world.service_account, today=lambda: TODAY).share(
        deal,
        by=world.owner,
        title="Security pack",
        kind="Security documentation",
        url="https://example.com/soc2",
    )
    rows = _rows(sheets, world.buyer, sid)
    assert rows[1][:2] == ["Security pack", "Security documentation"]
