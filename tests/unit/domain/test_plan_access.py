"""Losing and regaining access to a plan: its events and the words a seller reads."""

from __future__ import annotations

from datetime import UTC, datetime

from addon.domain.activity import describe
from addon.domain.event_model import EventKind
from addon.domain.plan_access import (
    AccessLoss,
    access_lost_event,
    access_restored_event,
    unreadable_reason,
    what_to_do,
)

SINCE = datetime(2027, 2, 1, 9, tzinfo=UTC)
BACK = datetime(2027, 2, 4, 15, tzinfo=UTC)


def test_a_loss_is_one_event_with_its_date_and_reason() -> None:
    lost = access_lost_event("d1", base_seq=4, since=SINCE, loss=AccessLoss.REMOVED, detail="x")
    assert lost.kind is EventKind.ACCESS_LOST
    assert lost.after == {"reason": "removed", "since": "2027-02-01"}
    assert describe(lost).startswith("The add-on lost access to the plan on 2027-02-01: the add-on")
    same = access_lost_event("d1", base_seq=4, since=SINCE, loss=AccessLoss.REMOVED, detail="y")
    assert same.event_id == lost.event_id


def test_access_back_says_how_long_the_plan_was_out_of_sight() -> None:
    back = access_restored_event("d1", base_seq=4, since=SINCE, loss=AccessLoss.TRASHED, now=BACK)
    assert back.kind is EventKind.ACCESS_RESTORED and back.details["days"] == 3
    assert "out of sight since 2027-02-01, 3 days" in describe(back)


def test_only_a_refused_write_leaves_the_plan_readable() -> None:
    assert [loss.unreadable for loss in AccessLoss] == [True, True, True, True, False]
    assert AccessLoss.of("no such reason") is AccessLoss.FORBIDDEN
    assert unreadable_reason(AccessLoss.TRASHED, SINCE.date()).startswith(
        "Unreadable since 2027-02-01: the plan was put in the Drive trash"
    )
    assert "svc@x.example" in what_to_do(AccessLoss.REMOVED, "svc@x.example")
    assert "trash" in what_to_do(AccessLoss.TRASHED, "svc@x.example")
