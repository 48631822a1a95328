"""Creating a plan through the stand-in: one create, one share per person, nothing lost."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from addon.config import Config
from addon.domain.plan_request import InvalidPlanRequest, build_plan_request
from addon.google.clients import Backend
from addon.google.errors import ServerError
from addon.google.gateway import GoogleFactory, GoogleGateway
from addon.services.create_plan import PlanCreator, PlanIncomplete
from addon.store import DealStatus, Store
from localgoogle.server import Running

TODAY = date(2026, 11, 26)
SERVICE = "map-addon@svc.example.com"


def _stats(local_google: Running) -> dict[str, Any]:
    with urllib.request.urlopen(f"{local_google.url}/_local/stats") as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'map.sqlite3'}")
    yield opened
    opened.close()


@pytest.fixture
def factory(local_google: Running) -> GoogleFactory:
    return GoogleFactory(Config.from_env({"MAP_LOCAL_GOOGLE_URL": local_google.url}))


@pytest.fixture
def creator(store: Store, factory: GoogleFactory) -> PlanCreator:
    return PlanCreator(store, factory, SERVICE, today=lambda: TODAY)


def _request(owner: str, **changes: Any) -> Any:
    tag = uuid.uuid4().hex[:8]
    fields: dict[str, Any] = dict(
        deal_name=f"Acme rollout {tag}",
        buyer_company="Acme Corp",
        buyer_emails=[f"ann.lee-{tag}@acme.example", f"bob-{tag}@acme.example"],
        go_live="2027-04-01",
        template="enterprise-saas",
        owner=owner,
        amount="250000",
        today=TODAY,
    )
    fields.update(changes)
    return build_plan_request(**fields)


def _owner() -> str:
    return f"seller-{uuid.uuid4().hex[:8]}@vendor.example"


def test_create_costs_one_sheets_and_one_drive_request_per_person(
    creator: PlanCreator, local_google: Running, drive: Any, sheets: Any, store: Store
) -> None:
    owner = _owner()
    request = _request(owner)
    before = _stats(local_google)

    created = creator.create(request)

    after = _stats(local_google)
    assert after["by_user"][owner] - before["by_user"].get(owner, 0) == 1 + 3
    assert creator.google.counter.snapshot().as_json() == {"sheets": 1, "drive": 3}
    roles = {
        p["emailAddress"]: p["role"]
        for p in drive(owner)
        .permissions()
        .list(fileId=created.spreadsheet_id, fields="permissions(emailAddress,role)")
        .execute()["permissions"]
    }
    assert roles == {owner: "owner", SERVICE: "writer"} | dict.fromkeys(
        request.buyer_emails, "writer"
    )
    assert set(created.shared_with) == {*request.buyer_emails, SERVICE}
    with store.transaction() as tx:
        deal = tx.deals.get(created.deal_id)
        snapshot = tx.snapshots.latest(created.deal_id)
    assert deal is not None and deal.status is DealStatus.READY and deal.missing == ()
    assert deal.amount == 250000
    assert snapshot is not None and snapshot.seq == 1
    # The first snapshot says what the sheet says.
    plan_rows = (
        sheets(request.buyer_emails[0])
        .spreadsheets()
        .values()
        .get(spreadsheetId=created.spreadsheet_id, range="Plan!A2:F40")
        .execute()["values"]
    )
    sheet_steps = [(row[0], row[5]) for row in plan_rows if row and row[0]]
    assert sheet_steps == [(s["id"], s["due"]) for s in snapshot.payload["steps"]]
    amount_text = json.dumps(
        sheets(owner)
        .spreadsheets()
        .get(spreadsheetId=created.spreadsheet_id, includeGridData=True)
        .execute()
    )
    assert "250000" not in amount_text and "250,000" not in amount_text


def test_same_request_key_returns_the_same_plan_and_creates_nothing(
    creator: PlanCreator, local_google: Running
) -> None:
    owner = _owner()
    request = _request(owner, request_key=f"key-{uuid.uuid4().hex}")
    first = creator.create(request)
    before = _stats(local_google)["by_user"][owner]

    again = creator.create(request)

    assert (again.deal_id, again.spreadsheet_id, again.reused) == (
        first.deal_id,
        first.spreadsheet_id,
        True,
    )
    assert _stats(local_google)["by_user"][owner] == before


def test_request_key_reused_for_another_plan_is_refused_and_creates_nothing(
    creator: PlanCreator, local_google: Running
) -> None:
    owner = _owner()
    key = f"key-{uuid.uuid4().hex}"
    creator.create(_request(owner, request_key=key))
    before = _stats(local_google)["by_user"][owner]

    with pytest.raises(InvalidPlanRequest, match="already used for a different plan"):
        creator.create(_request(owner, request_key=key, deal_name="Something else"))
    assert _stats(local_google)["by_user"][owner] == before


def test_unknown_template_is_refused_before_anything_exists(
    creator: PlanCreator, local_google: Running, store: Store
) -> None:
    owner = _owner()
    with pytest.raises(InvalidPlanRequest, match="unknown template 'nope'"):
        creator.create(_request(owner, template="nope"))
    assert owner not in _stats(local_google)["by_user"]
    with store.transaction() as tx:
        assert tx.deals.newest_first(owner_email=owner) == []


class _FlakyGateway(GoogleGateway):
    """Fails the first share with one address, or loses the first create's answer."""

    failures: dict[str, int] = {}

    def share(self, file_id: str, email: str, *args: Any, **kwargs: Any) -> str:
        if self.failures.get(email, 0) > 0:
            self.failures[email] -= 1
            raise ServerError(503, "The service is currently unavailable.")
        return super().share(file_id, email, *args, **kwargs)

    def create_spreadsheet(self, body: dict[str, Any]) -> dict[str, Any]:
        created = super().create_spreadsheet(body)
        if self.failures.get("create", 0) > 0:
            self.failures["create"] -= 1
            raise ServerError(503, "The service is currently unavailable.")
        return created


class _FlakyFactory(GoogleFactory):
    def _gateway(self, backend: Backend) -> GoogleGateway:
        return _FlakyGateway(backend, self.counter, self.policy)


@pytest.fixture
def flaky(store: Store, local_google: Running) -> PlanCreator:
    _FlakyGateway.failures = {}
    factory = _FlakyFactory(Config.from_env({"MAP_LOCAL_GOOGLE_URL": local_google.url}))
    return PlanCreator(store, factory, SERVICE, today=lambda: TODAY)


def test_a_failed_share_leaves_the_deal_incomplete_and_a_retry_finishes_it(
    flaky: PlanCreator, store: Store, drive: Any
) -> None:
    owner = _owner()
    request = _request(owner, request_key=f"key-{uuid.uuid4().hex}")
    _FlakyGateway.failures = {request.buyer_emails[1]: 1}

    with pytest.raises(PlanIncomplete) as failed:
        flaky.create(request)
    assert failed.value.deal.status is DealStatus.INCOMPLETE
    assert failed.value.deal.missing == (f"share:{request.buyer_emails[1]}",)
    assert "--request-key" in str(failed.value)

    done = flaky.create(request)
    assert done.deal_id == failed.value.deal.deal_id
    with store.transaction() as tx:
        deal = tx.deals.get(done.deal_id)
    assert deal is not None and deal.status is DealStatus.READY
    listed = drive(owner).permissions().list(fileId=done.spreadsheet_id).execute()
    assert len(listed["permissions"]) == 4  # owner, two buyers, the service account


def test_a_lost_create_answer_is_recovered_without_a_second_sheet(
    flaky: PlanCreator, drive: Any
) -> None:
    owner = _owner()
    request = _request(owner, request_key=f"key-{uuid.uuid4().hex}")
    _FlakyGateway.failures = {"create": 1}

    with pytest.raises(PlanIncomplete) as failed:
        flaky.create(request)
    assert failed.value.deal.status is DealStatus.CREATING
    assert failed.value.deal.spreadsheet_id is None

    done = flaky.create(request)
    owned = drive(owner).files().list(q="trashed = false", fields="files(id)").execute()["files"]
    assert [f["id"] for f in owned] == [done.spreadsheet_id]
