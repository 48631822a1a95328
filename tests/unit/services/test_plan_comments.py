"""Reading a plan's comments with an in-memory Drive: names from sharing, failures, the cursor."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, cast

import pytest

from addon.domain.attribution import Parties
from addon.domain.comments import CommentCursor
from addon.domain.model import Side
from addon.google.errors import PermissionDenied, ServerError
from addon.google.gateway import GoogleGateway
from addon.services.plan_comments import read_comments
from addon.store import DealRecord, DealStatus, PersonRecord

ANN, SAM, SVC = "ann@acme.example", "sam@vendor.example", "svc@vendor.example"
MADE = datetime(2027, 1, 11, 9, tzinfo=UTC)
DEAL = DealRecord(
    deal_id="d1",
    name="Acme rollout",
    buyer_company="Acme",
    owner_email=SAM,
    template="mid-market",
    template_version=1,
    go_live=date(2027, 4, 1),
    created_at=MADE,
    updated_at=MADE,
    spreadsheet_id="sheet-1",
    status=DealStatus.READY,
    people=(
        PersonRecord(ANN, Side.BUYER),
        PersonRecord(SAM, Side.SELLER),
        PersonRecord(SVC, Side.SERVICE),
    ),
)
PARTIES = Parties.of(buyers=[ANN], owner=SAM, service_account=SVC)


class FakeDrive:
    """The two Drive calls comment reading makes, counted."""

    def __init__(self, comments: list[dict[str, Any]], shared: list[tuple[str, str]]) -> None:
        self.comments, self.shared = comments, shared
        self.calls: list[tuple[str, Any]] = []
        self.fail: dict[str, Exception] = {}

    def list_comments(self, file_id: str, since: str | None = None) -> list[dict[str, Any]]:
        self.calls.append(("comments.list", since))
        if "comments" in self.fail:
            raise self.fail["comments"]
        return self.comments

    def shared_with(self, file_id: str) -> list[tuple[str, str]]:
        self.calls.append(("permissions.list", file_id))
        if "permissions" in self.fail:
            raise self.fail["permissions"]
        return self.shared


def _comment(cid: str, name: str, at: str = "2027-01-18T10:00:00.000Z") -> dict[str, Any]:
    author = {"displayName": name, "me": False}
    return {"id": cid, "author": author, "content": "Who signs?", "createdTime": at}


def _read(drive: FakeDrive, cursor: CommentCursor | None = None) -> Any:
    gateway = cast(GoogleGateway, drive)
    return read_comments(gateway, cursor or CommentCursor(), DEAL, PARTIES, {"steps": []})


def test_an_author_named_as_google_names_a_shared_person_is_that_person() -> None:
    drive = FakeDrive([_comment("c1", "Ann Lee")], [("Ann Lee", ANN), ("Sam Seller", SAM)])
    (event,) = _read(drive).events
    assert (event.actor.email, event.actor.side) == (ANN, "buyer")
    assert [call for call, _ in drive.calls] == ["comments.list", "permissions.list"]


def test_authors_known_by_name_cost_no_permissions_list() -> None:
    drive = FakeDrive([_comment("c1", "ann")], [])
    (event,) = _read(drive).events
    assert event.actor.email == ANN and [c for c, _ in drive.calls] == ["comments.list"]


def test_one_name_for_two_shared_accounts_attributes_no_one() -> None:
    impostor = ("Sam Seller", "sam.seller@gmail.example")
    drive = FakeDrive([_comment("c1", "Sam Seller")], [("Sam Seller", SAM), impostor])
    (event,) = _read(drive).events
    assert (event.actor.email, event.actor.side) == (None, "unknown")


def test_the_cursor_is_sent_as_start_modified_time_and_nothing_is_read_twice() -> None:
    drive = FakeDrive([_comment("c1", "ann")], [])
    first = _read(drive)
    assert _read(drive, first.cursor).events == []
    assert drive.calls[-1] == ("comments.list", "2027-01-18T10:00:00.000Z")


def test_a_retryable_failure_fails_the_refresh_and_another_reads_as_no_comments() -> None:
    drive = FakeDrive([_comment("c1", "Ann Lee")], [("Ann Lee", ANN)])
    drive.fail["comments"] = ServerError(503, "The service is currently unavailable.")
    with pytest.raises(ServerError):
        _read(drive)
    drive.fail["comments"] = PermissionDenied(403, "The caller does not have permission")
    kept = CommentCursor("2027-01-01T00:00:00.000Z")
    assert _read(drive, kept) == type(_read(drive, kept))([], kept)
    del drive.fail["comments"]
    drive.fail["permissions"] = PermissionDenied(403, "insufficientFilePermissions")
    (event,) = _read(drive).events  # recorded with its name, on an unknown side
    assert (event.actor.side, event.details["author_name"]) == ("unknown", "Ann Lee")
