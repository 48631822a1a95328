"""Comments read as events: attribution by display name, step anchor, cursor, hostile input."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from addon.domain.activity import activity_row, describe
from addon.domain.attribution import Parties
from addon.domain.comments import (
    COMMENT_TEXT_LIMIT,
    MATCHED_BY_PEOPLE,
    MATCHED_BY_STAKEHOLDERS,
    CommentCursor,
    comment_events,
)
from addon.domain.event_model import EventKind

PARTIES = Parties.of(
    buyers=["ann@acme.example", "bo@acme.example"],
    owner="sam@vendor.example",
    service_account="svc@vendor.example",
)
PEOPLE = [("", "ann@acme.example"), ("", "bo@acme.example"), ("", "sam@vendor.example")]
SNAPSHOT: dict[str, Any] = {
    "steps": [
        {"id": "legal", "name": "Legal review"},
        {"id": "poc", "name": "Proof of concept"},
        {"id": None, "name": "Kickoff"},
        {"id": "k2", "name": "kickoff"},  # a name two steps share anchors nothing
    ],
    "stakeholders": [
        {"name": "Ann Lee", "email": "ann@acme.example", "side": "Buyer"},
        {"name": "Sam Seller", "email": "sam@vendor.example", "side": "Seller"},
        {"name": "Mallory", "email": "sam@vendor.example", "side": "Buyer"},  # a false claim
    ],
}


def user(name: str) -> dict[str, Any]:
    return {"kind": "drive#user", "displayName": name, "me": False}


def comment(
    cid: str, author: str, text: str, at: str = "2027-01-18T10:00:00.000Z", **more: Any
) -> dict[str, Any]:
    return {
        "id": cid,
        "author": user(author),
        "content": text,
        "createdTime": at,
        "modifiedTime": more.pop("modified", at),
        "resolved": False,
        "replies": more.pop("replies", []),
        **more,
    }


def reply(rid: str, author: str, text: str, at: str, **more: Any) -> dict[str, Any]:
    return {"id": rid, "author": user(author), "content": text, "createdTime": at, **more}


def read(comments: list[Any], cursor: CommentCursor | None = None) -> Any:
    return comment_events(
        comments,
        deal_id="d1",
        cursor=cursor or CommentCursor(),
        parties=PARTIES,
        people=PEOPLE,
        snapshot=SNAPSHOT,
    )


def test_a_buyer_comment_on_a_quoted_step_is_attributed_and_anchored() -> None:
    quoted = {"mimeType": "text/plain", "value": "  legal   REVIEW "}
    found = read([comment("c1", "Ann Lee", "Can legal start\nearlier?", quotedFileContent=quoted)])
    (event,) = found.events
    assert event.kind is EventKind.COMMENT_ADDED
    assert (event.actor.email, event.actor.side) == ("ann@acme.example", "buyer")
    assert (event.subject, event.subject_label) == ("legal", "Legal review")
    assert event.after == "Can legal start earlier?"
    assert event.details["question"] is True
    assert event.details["matched_by"] == MATCHED_BY_STAKEHOLDERS
    assert describe(event) == 'Ann Lee commented on Legal review: "Can legal start earlier?"'
    assert event.occurred_at == datetime(2027, 1, 18, 10, 0, tzinfo=UTC)


def test_an_email_local_part_is_a_name_of_the_deals_people() -> None:
    (event,) = read([comment("c1", "bo", "ok")]).events
    assert (event.actor.email, event.actor.side) == ("bo@acme.example", "buyer")
    assert event.details["matched_by"] == MATCHED_BY_PEOPLE
    assert (event.subject, event.subject_label) == (None, "")


def test_a_stakeholders_row_claiming_another_side_than_the_facts_attributes_nothing() -> None:
    (event,) = read([comment("c1", "Mallory", "We answered ourselves")]).events
    assert (event.actor.email, event.actor.side) == (None, "unknown")
    assert event.details["author_name"] == "Mallory"
    assert describe(event).startswith("Mallory commented: ")


def test_an_unknown_name_is_recorded_as_unknown_side_with_its_name() -> None:
    (event,) = read([comment("c1", "Zed Stranger", "hello")]).events
    assert (event.actor.email, event.actor.side, event.details["matched_by"]) == (
        None,
        "unknown",
        None,
    )
    assert activity_row(event)[1:3] == ["unknown", "Unknown"]
    assert "Zed Stranger" in activity_row(event)[3]


def test_quoted_text_that_is_no_single_steps_name_anchors_nothing() -> None:
    for value in ("Kickoff", "Legal review and more", ""):
        quoted = {"value": value}
        (event,) = read([comment("c1", "Ann Lee", "x", quotedFileContent=quoted)]).events
        assert event.subject is None and event.subject_label == ""


def test_replies_resolve_and_reopen_are_events_of_their_thread() -> None:
    thread = comment(
        "c1",
        "Ann Lee",
        "Who signs?",
        modified="2027-01-19T09:00:00.000Z",
        replies=[
            reply("r1", "Sam Seller", "Our VP", "2027-01-18T12:00:00.000Z"),
            reply("r2", "Ann Lee", "", "2027-01-19T09:00:00.000Z", action="resolve"),
        ],
    )
    events = read([thread]).events
    assert [e.kind for e in events] == [EventKind.COMMENT_ADDED, *[EventKind.COMMENT_REPLIED] * 2]
    assert [e.actor.side for e in events] == ["buyer", "seller", "buyer"]
    assert {e.details["comment_id"] for e in events} == {"c1"}
    assert describe(events[1]) == 'Sam Seller replied to a comment: "Our VP"'
    assert describe(events[2]) == "Ann Lee resolved a comment"


def test_the_cursor_records_nothing_twice_and_keeps_what_came_at_its_time() -> None:
    first = comment("c1", "Ann Lee", "one", at="2027-01-18T10:00:00.000Z")
    once = read([first])
    assert once.cursor.since == "2027-01-18T10:00:00.000Z" and once.cursor.ids == {"c1"}
    stored = CommentCursor.from_text(once.cursor.as_text())
    assert stored == once.cursor
    same_time = comment("c2", "Ann Lee", "two", at="2027-01-18T10:00:00.000Z")
    again = read([first, same_time], stored)
    assert [e.details["comment_id"] for e in again.events] == ["c2"]
    later = dict(first, modifiedTime="2027-01-19T08:00:00.000Z")
    later["replies"] = [reply("r1", "Sam Seller", "yes", "2027-01-19T08:00:00.000Z")]
    third = read([later], again.cursor)
    assert [e.kind for e in third.events] == [EventKind.COMMENT_REPLIED]
    assert read([later], third.cursor).events == []


def test_a_bad_stored_cursor_starts_again() -> None:
    for text in (None, "", "[]", "{not json", '{"since": 5}', '{"since": "yesterday"}'):
        assert CommentCursor.from_text(text) == CommentCursor()


def test_typed_text_stays_text_on_one_line_and_cut() -> None:
    text = '=IMPORTXML("http://x")<script>alert(1)</script>\n' + "a" * 5000
    (event,) = read([comment("c1", "Ann Lee", text)]).events
    assert isinstance(event.after, str) and len(event.after) == COMMENT_TEXT_LIMIT
    assert "\n" not in event.after and event.after.startswith("=IMPORTXML")
    assert len(describe(event)) < 200
    (named,) = read([comment("c2", "Zed " * 1000, "hi")]).events
    assert len(named.details["author_name"]) <= 100


_ANY = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)
_COMMENTISH = st.fixed_dictionaries(
    {
        "id": st.one_of(st.text(max_size=4), st.none()),
        "author": _ANY,
        "content": _ANY,
        "createdTime": st.one_of(st.just("2027-01-18T10:00:00.000Z"), st.text(max_size=8)),
        "modifiedTime": st.one_of(st.just("2027-01-18T10:00:00.000Z"), _ANY),
        "replies": st.one_of(st.lists(_ANY, max_size=3), _ANY),
        "quotedFileContent": _ANY,
    }
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_COMMENTISH, _ANY), max_size=4))
def test_any_listing_reads_without_crashing_and_rereading_records_nothing(items: list[Any]) -> None:
    first = read(items)
    for event in first.events:
        describe(event)
        activity_row(event)
    assert len({e.event_id for e in first.events}) == len(first.events)
    assert read(items, first.cursor).events == []
