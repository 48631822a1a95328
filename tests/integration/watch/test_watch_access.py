"""Nothing silent: losing a plan is stored, shown and reviewed; access back catches up.

Through the stand-in and the real clients: a buyer removes the service account's permission
(Drive answers 204 and the feed marks the file `removed` for the account), the owner trashes the
plan (the feed reports `file.trashed`), a read answers 404; and a paste of many junk rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from addon.config import Config
from addon.domain.plan_request import build_plan_request
from addon.domain.refresh_task import RefreshTask
from addon.domain.review_all import review_frames
from addon.google.gateway import GoogleFactory
from addon.services.consolidate import load_review_input
from addon.services.create_plan import PlanCreated, PlanCreator
from addon.services.watch import Watcher
from addon.store import Store
from localgoogle.server import Running

TODAY = date(2026, 11, 26)


class World:
    """A store, one seller's plan, and a watcher with its own service account."""

    def __init__(self, local_google: Running, tmp_path: Path, drive: Any, sheets: Any) -> None:
        tag = uuid.uuid4().hex[:8]
        self.service_account = f"watcher-{tag}@svc.example.com"
        self.owner = f"sam-{tag}@vendor.example"
        self.buyer = f"ann-{tag}@acme.example"
        config = Config.from_env(
            {"MAP_LOCAL_GOOGLE_URL": local_google.url, "MAP_SERVICE_ACCOUNT": self.service_account}
        )
        self.store = Store.open(f"sqlite:///{tmp_path / 'map.sqlite3'}")
        google = GoogleFactory(config)
        self.creator = PlanCreator(self.store, google, self.service_account, today=lambda: TODAY)
        self.watcher = Watcher(self.store, google, self.service_account, mass_change_rows=20)
        self.drive, self.sheets = drive, sheets
        request = build_plan_request(
            deal_name="Acme rollout",
            buyer_company="Acme",
            buyer_emails=[self.buyer],
            go_live="2027-04-01",
            template="mid-market",
            owner=self.owner,
            today=TODAY,
        )
        self.plan: PlanCreated = self.creator.create(request)
        self.watcher.tick()  # starts the feed

    def unshare_service_account(self, as_who: str) -> None:
        permissions = self.drive(as_who).permissions()
        listed = permissions.list(
            fileId=self.plan.spreadsheet_id, fields="permissions(id,emailAddress)"
        ).execute()["permissions"]
        (mine,) = [p for p in listed if p.get("emailAddress") == self.service_account]
        permissions.delete(fileId=self.plan.spreadsheet_id, permissionId=mine["id"]).execute()

    def share_service_account(self) -> None:
        self.drive(self.owner).permissions().create(
            fileId=self.plan.spreadsheet_id,
            body={"type": "user", "role": "writer", "emailAddress": self.service_account},
            sendNotificationEmail=False,
        ).execute()

    def trash(self, trashed: bool) -> None:
        self.drive(self.owner).files().update(
            fileId=self.plan.spreadsheet_id, body={"trashed": trashed}
        ).execute()

    def write(self, range_: str, rows: list[list[Any]]) -> None:
        self.sheets(self.buyer).spreadsheets().values().update(
            spreadsheetId=self.plan.spreadsheet_id,
            range=range_,
            valueInputOption="RAW",
            body={"values": rows},
        ).execute()

    def kinds(self) -> list[str]:
        with self.store.transaction() as tx:
            return [e.kind for e in tx.events.for_deal(self.plan.deal_id)]

    def activity(self) -> list[list[Any]]:
        got = (
            self.sheets(self.owner)
            .spreadsheets()
            .values()
            .get(spreadsheetId=self.plan.spreadsheet_id, range="Activity!A1:H400")
            .execute()
        )
        return list(got.get("values", []))


@pytest.fixture
def world(local_google: Running, tmp_path: Path, drive: Any, sheets: Any) -> Iterator[World]:
    built = World(local_google, tmp_path, drive, sheets)
    yield built
    built.watcher.queue.close()
    built.store.close()


def test_a_buyer_removing_the_add_on_is_stored_shown_in_the_review_and_caught_up_on_return(
    world: World,
) -> None:
    world.unshare_service_account(as_who=world.buyer)
    world.write("Plan!C2", [["Kickoff, renamed while nobody watched"]])

    lost = world.watcher.tick()

    assert lost.cursor_advanced and not lost.failed
    assert [i.kind for _, i in lost.data_issues] == ["plan_unavailable"]
    with world.store.transaction() as tx:
        record = tx.access.get(world.plan.deal_id)
    assert record is not None and record.reason == "removed"
    assert world.kinds() == ["access_lost"]
    today = datetime.now(UTC).date()
    data = load_review_input(world.store, today)
    frames, _ = review_frames(data)
    row = frames["Pipeline"].set_index("deal_id").loc[world.plan.deal_id]
    assert row["Unreadable since"].date() == record.lost_since.astimezone(UTC).date()
    assert row["Data issues"] >= 1 and "could not be read" in row["Forecast reason"]
    issues = frames["Data issues"]
    assert issues["Issue"].str.startswith(f"Unreadable since {today.isoformat()}").any()

    world.watcher.tick()
    assert world.kinds() == ["access_lost"]  # one event for one loss, however many ticks

    world.share_service_account()
    back = world.watcher.tick()

    assert back.changed_plans == [world.plan.deal_id] and not back.failed
    kinds = world.kinds()  # in the order they happened: the edit came before access did
    assert kinds == ["access_lost", "step_renamed", "access_restored"]
    with world.store.transaction() as tx:
        assert tx.access.get(world.plan.deal_id) is None
    shown = [row[3] for row in world.activity()[1:]]
    assert any(text.startswith("The add-on lost access to the plan on") for text in shown)
    assert any(text.startswith("The add-on can read the plan again") for text in shown)
    frames, _ = review_frames(load_review_input(world.store, today))
    assert frames["Pipeline"]["Unreadable since"].isna().all()


def test_a_trashed_plan_is_unreadable_until_it_is_restored(world: World) -> None:
    world.trash(True)
    world.watcher.tick()
    with world.store.transaction() as tx:
        record = tx.access.get(world.plan.deal_id)
    assert record is not None and record.reason == "trashed"
    data = load_review_input(world.store, datetime.now(UTC).date())
    assert "Drive trash" in data.unreadable[world.plan.deal_id]

    world.trash(False)
    world.watcher.tick()

    assert world.kinds() == ["access_lost", "access_restored"]


def test_a_refused_read_is_a_stored_loss_not_a_failure_that_holds_the_watch(
    world: World,
) -> None:
    world.unshare_service_account(as_who=world.owner)

    result = world.watcher.refresh(RefreshTask(world.plan.deal_id))  # a queued read, as a job

    assert not result.failed  # a retry would not help: the cursor may move on
    with world.store.transaction() as tx:
        record = tx.access.get(world.plan.deal_id)
    assert record is not None and record.reason == "forbidden"  # Sheets answers 403 here
    assert "403" in record.detail and world.kinds() == ["access_lost"]


def test_a_paste_of_many_rows_is_one_event_and_real_changes_stay_visible(
    world: World,
) -> None:
    junk = [["", "Junk", f"junk row {n}", "Buyer", "", "", "Not started"] for n in range(150)]
    world.write("Plan!A40", junk)
    world.write("Plan!G2", [["Done"]])

    world.watcher.tick()

    kinds = world.kinds()
    assert kinds.count("mass_change") == 1 and "step_added" not in kinds
    assert "step_done" in kinds
    with world.store.transaction() as tx:
        (mass,) = [e for e in tx.events.for_deal(world.plan.deal_id) if e.kind == "mass_change"]
    assert mass.payload["details"]["added"] == 150
    assert len(world.activity()) <= 10  # header, the real change, the one mass change
