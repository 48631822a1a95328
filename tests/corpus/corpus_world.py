"""One corpus case's world: a seller's fresh plan, its buyer's real clients, and the watcher.

Everything goes over real HTTP to the session's local Google stand-in, through the clients the
product and its users use: google-api-python-client and gspread act as the buyer, the watcher
acts as the add-on's service account. The seller, the buyer and the service account (the
`Cast`) are the same for every case, with emails no other test uses; each world has its own
store, so its watcher reads its own plan only.

Clients are made once per cast: google-api-python-client spends a good part of a second making
a `spreadsheets()` resource, which would otherwise be most of a case's time. For the same
reason the watcher refreshes plans in the calling thread (`InlineQueue`) rather than in the
product's default thread pool, whose fresh worker threads each make their own clients.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import gspread

from addon.config import Config
from addon.domain.plan_request import build_plan_request
from addon.domain.refresh_task import RefreshTask
from addon.google.clients import Backend, gspread_client, sheets_service
from addon.google.gateway import GoogleFactory
from addon.services.create_plan import PlanCreator
from addon.services.watch import TickResult, Watcher
from addon.store import Store
from localgoogle.server import Running

TODAY = date(2026, 11, 26)
GO_LIVE = "2027-04-01"
TEMPLATE = "mid-market"  # twelve steps, on rows 2-13 of the Plan tab (see corpus_case.STEP_ROWS)


class InlineQueue:
    """A refresh queue that runs each refresh at once, in the calling thread."""

    durable = False

    def submit(
        self, tasks: Sequence[RefreshTask], refresh: Callable[[RefreshTask], Any]
    ) -> list[Any]:
        return [refresh(task) for task in tasks]


@dataclass
class Cast:
    """The seller who creates every corpus plan, the buyer it is for, and the add-on's service
    account, each with clients made once."""

    local_google: Running
    tag: str
    seller: str
    buyer: str
    service_account: str

    @classmethod
    def new(cls, local_google: Running) -> Cast:
        tag = uuid.uuid4().hex[:8]
        return cls(
            local_google,
            tag,
            seller=f"sam-{tag}@vendor.example",
            buyer=f"ann-{tag}@acme.example",
            service_account=f"watcher-{tag}@svc.example.com",
        )

    @property
    def people(self) -> dict[str, str]:
        """The emails a case may name as "{ann}", "{sam}" or "{dana}" (a buyer colleague)."""
        return {"ann": self.buyer, "sam": self.seller, "dana": f"dana-{self.tag}@acme.example"}

    @cached_property
    def google(self) -> GoogleFactory:
        """The product's access to Google: as the seller to create plans, else as the service
        account (gateways are made once per thread)."""
        return GoogleFactory(
            Config.from_env(
                {
                    "MAP_LOCAL_GOOGLE_URL": self.local_google.url,
                    "MAP_SERVICE_ACCOUNT": self.service_account,
                }
            )
        )

    def sheets_as(self, email: str) -> Any:
        """A Sheets `spreadsheets()` resource acting as `email` (google-api-python-client)."""
        return sheets_service(Backend.local(self.local_google.url, email)).spreadsheets()

    @cached_property
    def buyer_sheets(self) -> Any:
        return self.sheets_as(self.buyer)

    @cached_property
    def buyer_values(self) -> Any:
        return self.buyer_sheets.values()

    @cached_property
    def buyer_gspread(self) -> gspread.Client:
        return gspread_client(Backend.local(self.local_google.url, self.buyer))


class PlanWorld:
    """A plan created for a deal and shared with its buyer; a store and a watcher of its own."""

    def __init__(self, cast: Cast, tmp_path: Path) -> None:
        self.cast = cast
        self.buyer, self.owner = cast.buyer, cast.seller
        self.service_account = cast.service_account
        self.store = Store.open(f"sqlite:///{tmp_path / 'map.sqlite3'}")
        self.watcher = Watcher(self.store, cast.google, self.service_account, queue=InlineQueue())
        self.watcher.tick()  # starts the change feed before the plan exists
        creator = PlanCreator(self.store, cast.google, self.service_account, today=lambda: TODAY)
        request = build_plan_request(
            deal_name="Acme rollout",
            buyer_company="Acme",
            buyer_emails=[self.buyer],
            go_live=GO_LIVE,
            template=TEMPLATE,
            owner=self.owner,
            today=TODAY,
        )
        created = creator.create(request)
        self.deal_id = created.deal_id
        self.spreadsheet_id = created.spreadsheet_id

    def close(self) -> None:
        self.store.close()

    @property
    def people(self) -> dict[str, str]:
        return self.cast.people

    # --- the buyer's edits ----------------------------------------------------------------

    @cached_property
    def book(self) -> gspread.Spreadsheet:
        """The plan opened with gspread, as the buyer."""
        return self.cast.buyer_gspread.open_by_key(self.spreadsheet_id)

    def type_in(self, a1: str, rows: Sequence[Sequence[object]], *, raw: bool = False) -> None:
        """Type values as the buyer: USER_ENTERED (parsed as in the Sheets UI) unless `raw`."""
        self.cast.buyer_values.update(
            spreadsheetId=self.spreadsheet_id,
            range=a1,
            valueInputOption="RAW" if raw else "USER_ENTERED",
            body={"values": [list(row) for row in rows]},
        ).execute()

    def batch_update(self, *requests: dict[str, Any], who: str | None = None) -> dict[str, Any]:
        """Send spreadsheets.batchUpdate requests as the buyer (or as `who`)."""
        api = self.cast.buyer_sheets if who is None else self.cast.sheets_as(who)
        body = {"requests": list(requests)}
        answer: dict[str, Any] = api.batchUpdate(
            spreadsheetId=self.spreadsheet_id, body=body
        ).execute()
        return answer

    def clear(self, a1: str) -> None:
        self.cast.buyer_values.clear(spreadsheetId=self.spreadsheet_id, range=a1, body={}).execute()

    # --- what the product and the sheet say -----------------------------------------------

    def tick(self) -> TickResult:
        return self.watcher.tick()

    def latest(self) -> dict[str, Any]:
        """The plan's latest snapshot."""
        with self.store.transaction() as tx:
            snapshot = tx.snapshots.latest(self.deal_id)
        assert snapshot is not None
        return dict(snapshot.payload)

    def read(self, a1: str, render: str = "UNFORMATTED_VALUE") -> list[list[Any]]:
        """A range's values, read as the buyer (who may read the Activity tab, not edit it)."""
        got = self.cast.buyer_values.get(
            spreadsheetId=self.spreadsheet_id, range=a1, valueRenderOption=render
        ).execute()
        return list(got.get("values", []))
