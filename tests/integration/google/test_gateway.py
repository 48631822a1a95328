"""The gateway creates, shares and finds plan sheets through the stand-in, one request each."""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import Any

import pytest

from addon.config import Config
from addon.google.errors import NotFound, PermissionDenied
from addon.google.gateway import GoogleFactory
from localgoogle.server import Running


def _stats(local_google: Running) -> dict[str, Any]:
    with urllib.request.urlopen(f"{local_google.url}/_local/stats") as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def _factory(local_google: Running) -> GoogleFactory:
    return GoogleFactory(Config.from_env({"MAP_LOCAL_GOOGLE_URL": local_google.url}))


def _user(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}@example.com"


def test_create_and_share_cost_one_request_each(local_google: Running, sheets: Any) -> None:
    factory = _factory(local_google)
    owner, buyer = _user("owner"), _user("buyer")
    gateway = factory.as_user(owner)
    before = _stats(local_google)["by_user"].get(owner, 0)

    created = gateway.create_spreadsheet({"properties": {"title": "Plan"}})
    gateway.share(created["spreadsheetId"], buyer, notify=True, message="Here is our plan")

    assert set(created) == {"spreadsheetId", "spreadsheetUrl"}
    assert _stats(local_google)["by_user"][owner] - before == 2
    counts = factory.counter.snapshot().as_json()
    assert counts == {"sheets": 1, "drive": 1}
    got = sheets(buyer).spreadsheets().get(spreadsheetId=created["spreadsheetId"]).execute()
    assert got["properties"]["title"] == "Plan"


def test_find_spreadsheet_matches_title_and_metadata(local_google: Running) -> None:
    gateway = _factory(local_google).as_user(_user("owner"))
    deal = uuid.uuid4().hex
    title = f"Plan for O'Brien & Co {deal[:6]}"
    metadata = [
        {"metadataKey": "map.deal_id", "metadataValue": deal, "visibility": "DOCUMENT"},
    ]
    gateway.create_spreadsheet({"properties": {"title": title}})  # same title, no metadata
    wanted = gateway.create_spreadsheet(
        {"properties": {"title": title}, "developerMetadata": metadata}
    )["spreadsheetId"]

    assert gateway.find_spreadsheet(title, "map.deal_id", deal) == wanted
    assert gateway.find_spreadsheet(title, "map.deal_id", "other") is None


def test_sharing_a_missing_file_raises_not_found(local_google: Running) -> None:
    gateway = _factory(local_google).as_user(_user("owner"))
    with pytest.raises(NotFound):
        gateway.share("no-such-file", _user("buyer"))


def test_gateways_share_resource_objects_but_each_request_acts_as_its_own_user(
    local_google: Running,
) -> None:
    factory = _factory(local_google)
    owner, stranger = _user("owner"), _user("stranger")
    mine, theirs = factory.as_user(owner), factory.as_user(stranger)
    assert mine._spreadsheets is theirs._spreadsheets  # built once per process
    sid = mine.create_spreadsheet({"properties": {"title": "Private"}})["spreadsheetId"]
    before = _stats(local_google)["by_user"].get(stranger, 0)

    assert mine.tab_ids(sid) == [("Sheet1", 0)]
    with pytest.raises(PermissionDenied):  # the request carries the stranger's own token
        theirs.tab_ids(sid)
    assert _stats(local_google)["by_user"][stranger] - before == 1
