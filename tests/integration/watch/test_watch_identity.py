"""Evidence a manager can trust: who made each change, and sign-off each side owns.

Everything goes through the real clients against the local stand-in: the buyer, the seller (the
plan's owner) and a buyer's colleague edit the plan as themselves; the watcher reads it as the
service account. Drive's revisions say who edited between two reads; their xlsx exports say
who made which change.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from test_watch import World as WatchWorld

from addon.domain.layout_deal import AGREEMENT_STATUS_LABEL, deal_fact
from addon.domain.review_all import pipeline_and_risks
from addon.google.errors import ServerError
from addon.google.gateway import GoogleGateway
from addon.services.consolidate import load_review_input
from addon.services.create_plan import PlanCreated
from addon.services.watch import TickResult
from localgoogle.server import Running

TODAY = date(2026, 11, 26)
PROTECTED = "You are trying to edit a protected cell or object"


class World(WatchWorld):
    """A seller's plan for one buyer, a store, and a watcher acting as its service account."""

    def __init__(self, local_google: Running, tmp_path: Path, sheets: Any, drive: Any) -> None:
        super().__init__(local_google, tmp_path)
        self.sheets, self.drive = sheets, drive
        self.colleague = f"bob-{uuid.uuid4().hex[:8]}@acme.example"
        self.watcher.tick()  # starts the change feed
        self.plan: PlanCreated = self.create()
        self.sid = self.plan.spreadsheet_id
        self.deal_id = self.plan.deal_id
        self.watcher.tick()  # the created plan needs no read
        self.rows = {row[0]: n + 1 for n, row in enumerate(self.read(self.owner, "Plan!A1:A20"))}

    def write(self, who: str, *cells: tuple[str, Any]) -> None:
        """Type values into cells as `who`, in one values.batchUpdate."""
        data = [{"range": a1, "values": [[value]]} for a1, value in cells]
        body = {"valueInputOption": "USER_ENTERED", "data": data}
        self.sheets(who).spreadsheets().values().batchUpdate(
            spreadsheetId=self.sid, body=body
        ).execute()

    def read(self, who: str, a1: str) -> list[list[Any]]:
        got = (
            self.sheets(who)
            .spreadsheets()
            .values()
            .get(spreadsheetId=self.sid, range=a1, valueRenderOption="UNFORMATTED_VALUE")
            .execute()
        )
        return list(got.get("values", []))

    def cell(self, key: str) -> str:
        return deal_fact(key).value_cell

    def step(self, step_id: str, column: str) -> str:
        return f"Plan!{column}{self.rows[step_id]}"

    def activity(self) -> dict[str, list[Any]]:
        """The Activity tab's rows by Event ID."""
        return {row[7]: row for row in self.read(self.owner, "Activity!A2:H200") if len(row) > 7}

    def deal_tab(self) -> dict[str, Any]:
        """The Deal tab's values by label."""
        return {row[0]: (row[1] if len(row) > 1 else None) for row in self.read(self.owner, "Deal")}

    def snapshot(self) -> dict[str, Any]:
        with self.store.transaction() as tx:
            latest = tx.snapshots.latest(self.deal_id)
        assert latest is not None
        return latest.payload

    def pipeline_row(self) -> dict[str, Any]:
        data = load_review_input(self.store, TODAY)
        pipeline, risks, _, _ = pipeline_and_risks(data)
        row = pipeline[pipeline["deal_id"] == self.deal_id].iloc[0].to_dict()
        row["risks"] = {r.kind.value: r for r in risks if r.deal_id == self.deal_id}
        return row


@pytest.fixture
def world(local_google: Running, tmp_path: Path, sheets: Any, drive: Any) -> Iterator[World]:
    built = World(local_google, tmp_path, sheets, drive)
    yield built
    built.store.close()


def by_kind(result: TickResult) -> dict[tuple[str, str | None], Any]:
    return {(e.kind.value, e.subject): e for e in result.events}


# ---------------------------------------------------------------- attribution


def test_two_people_editing_between_two_reads_are_each_credited_with_their_own_changes(
    world: World,
) -> None:
    # The buyer moves the contract terms review and ticks their own sign-off; the seller's
    # sign-off is not theirs to tick (the sheet refuses it). Then the seller marks a step done.
    world.write(world.buyer, (world.step("terms-review", "F"), "2027-03-19"))
    world.write(world.buyer, (world.cell("plan_agreed_buyer"), "TRUE"))
    with pytest.raises(HttpError) as refused:
        world.write(world.buyer, (world.cell("plan_agreed_seller"), "TRUE"))
    assert refused.value.resp.status == 400 and PROTECTED in str(refused.value)
    world.write(world.owner, (world.step("discovery", "G"), "Done"))

    result, cost = world.tick()

    events = by_kind(result)
    assert set(events) == {
        ("due_date_moved", "terms-review"),
        ("plan_agreed", "plan_agreed_buyer"),
        ("step_done", "discovery"),
    }
    buyer_made = (world.buyer, "buyer")
    assert (events["due_date_moved", "terms-review"].actor.email, "buyer") == buyer_made
    agreed = events["plan_agreed", "plan_agreed_buyer"].actor
    assert (agreed.email, agreed.side) == buyer_made
    done = events["step_done", "discovery"].actor
    assert (done.email, done.side) == (world.owner, "seller")
    # Reads: changes.list, revisions.list, one xlsx export per revision (buyer's, seller's),
    # comments.list.
    assert cost == {"sheets": 2, "drive": 5}
    activity = world.activity()
    assert {(row[1], row[2]) for row in activity.values()} == {
        (world.buyer, "Buyer"),
        (world.owner, "Seller"),
    }
    assert world.snapshot()["deal"]["plan_agreed_buyer"] is True


def test_when_revisions_cannot_be_read_a_change_is_one_of_the_people_who_edited(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.write(world.buyer, (world.step("terms-review", "F"), "2027-03-19"))
    world.write(world.owner, (world.step("discovery", "G"), "Done"))

    def unavailable(self: GoogleGateway, url: str) -> bytes:
        raise ServerError(503, "The service is currently unavailable.")

    monkeypatch.setattr(GoogleGateway, "download", unavailable)
    result, _ = world.tick()

    either = ", ".join(sorted([world.buyer, world.owner]))
    assert len(result.events) == 2
    for event in result.events:
        assert event.actor.email is None and event.actor.side == "unknown"
        assert event.actor.label == f"one of {either}"
    assert {row[1] for row in world.activity().values()} == {f"one of {either}"}
    with world.store.transaction() as tx:
        stored = tx.events.for_deal(world.deal_id)
    assert {(e.actor_email, e.actor_side.value) for e in stored} == {(None, "unknown")}


def test_one_person_editing_needs_no_revision_content(world: World) -> None:
    world.write(world.buyer, (world.step("terms-review", "F"), "2027-03-19"))
    world.write(world.buyer, (world.step("trial", "G"), "In progress"))

    result, cost = world.tick()

    assert {(e.actor.email, e.actor.side) for e in result.events} == {(world.buyer, "buyer")}
    # changes.list, revisions.list (no export), comments.list
    assert cost == {"sheets": 2, "drive": 3}


# ---------------------------------------------------------------- sides


def test_a_buyers_colleague_listed_as_seller_stays_on_the_buyer_side(world: World) -> None:
    # The buyer shares the plan with a colleague and lists them as Seller.
    world.drive(world.buyer).permissions().create(
        fileId=world.sid,
        body={"type": "user", "role": "writer", "emailAddress": world.colleague},
        sendNotificationEmail=False,
    ).execute()
    people = world.read(world.owner, "Stakeholders!A1:E60")
    row = len(people) + 1
    world.write(
        world.buyer,
        (f"Stakeholders!A{row}", "Bob Lee"),
        (f"Stakeholders!B{row}", world.colleague),
        (f"Stakeholders!C{row}", "Seller"),
    )
    listed, _ = world.tick()
    (added,) = [e for e in listed.events if e.kind.value == "stakeholder_added"]
    assert added.details["listed_side"] == "Seller" and added.details["known_side"] == "buyer"
    what = world.activity()[added.event_id][3]
    assert "listed as Seller by the buyer: a claim, not one of the seller's people" in what

    # The colleague cannot sign off for the seller, and their edits count as the buyer's.
    with pytest.raises(HttpError):
        world.write(world.colleague, (world.cell("plan_agreed_seller"), "TRUE"))
    world.write(world.colleague, (world.step("trial", "G"), "In progress"))
    result, _ = world.tick()

    (changed,) = result.events
    assert (changed.actor.email, changed.actor.side) == (world.colleague, "buyer")
    assert changed.actor.claimed_side == "seller"
    row_shown = world.activity()[changed.event_id]
    assert row_shown[1] == f"{world.colleague} (listed as Seller on the Stakeholders tab)"
    assert row_shown[2] == "Buyer"
    with world.store.transaction() as tx:
        stored = {e.event_id: e for e in tx.events.for_deal(world.deal_id)}
    assert stored[changed.event_id].actor_side.value == "buyer"


# ---------------------------------------------------------------- sign-off


def test_a_sign_off_ticked_by_the_other_side_is_refused_and_put_back(world: World) -> None:
    # The seller owns the spreadsheet, so the sheet lets them tick the buyer's box anyway.
    world.write(world.owner, (world.cell("plan_agreed_buyer"), "TRUE"))

    result, _ = world.tick()

    (refused,) = result.events
    assert refused.kind.value == "agreement_refused"
    assert (refused.actor.email, refused.actor.side) == (world.owner, "seller")
    assert refused.details["side"] == "buyer"
    row = world.activity()[refused.event_id]
    assert row[1:3] == [world.owner, "Seller"]
    assert row[3].startswith("Not counted: Plan agreed by buyer changed from no to yes")
    assert world.deal_tab()[deal_fact("plan_agreed_buyer").label] is False  # put back
    assert world.snapshot()["deal"]["plan_agreed_buyer"] is False
    assert world.pipeline_row()["Agreed (buyer)"] == "no"

    again, _ = world.tick()  # the watch's own write is not news
    assert again.events == []


def test_a_material_change_after_both_agreed_makes_the_agreement_stale(world: World) -> None:
    world.write(world.buyer, (world.cell("plan_agreed_buyer"), "TRUE"))
    world.tick()
    world.write(world.owner, (world.cell("plan_agreed_seller"), "TRUE"))
    world.tick()
    # no "agreed on" was typed: the watch filled in the day each tick was seen
    assert world.deal_tab()[AGREEMENT_STATUS_LABEL].startswith("Agreed by both sides (buyer on ")
    row = world.pipeline_row()
    assert (row["Agreed (buyer)"], row["Agreed (seller)"]) == ("yes", "yes")

    # The buyer moves a critical step (the proposal) after both agreed.
    world.write(world.buyer, (world.step("proposal", "F"), "2027-02-26"))
    result, _ = world.tick()

    stale = by_kind(result)["agreement_stale", "plan_agreed"]
    assert stale.details["sides"] == ["buyer", "seller"]
    (change,) = stale.details["changes"]
    assert change.startswith("Moved Proposal and pricing reviewed with the budget owner from")
    deal = world.deal_tab()
    assert deal[deal_fact("plan_agreed_buyer").label] is False
    assert deal[deal_fact("plan_agreed_seller").label] is False
    assert deal[AGREEMENT_STATUS_LABEL].startswith("Stale since ")
    assert "Both sides tick again to agree" in deal[AGREEMENT_STATUS_LABEL]
    assert "is stale" in world.activity()[stale.event_id][3]
    row = world.pipeline_row()
    assert (row["Agreed (buyer)"], row["Agreed (seller)"]) == ("no", "no")
    not_agreed = row["risks"]["not_agreed"]
    assert "the agreement went stale on" in not_agreed.evidence
    assert "both sign off again" in not_agreed.question

    # Both agree again: the agreement stands, and the sheet says so.
    world.write(world.buyer, (world.cell("plan_agreed_buyer"), "TRUE"))
    world.tick()
    world.write(world.owner, (world.cell("plan_agreed_seller"), "TRUE"))
    world.tick()
    # no "agreed on" was typed: the watch filled in the day each tick was seen
    assert world.deal_tab()[AGREEMENT_STATUS_LABEL].startswith("Agreed by both sides (buyer on ")
    assert world.snapshot()["agreement"]["stale"] is None
