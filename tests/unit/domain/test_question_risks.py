"""A buyer's question left unanswered by the seller side becomes a flag; comments are engagement."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from risk_examples import event, flags, review

from addon.domain.question_risks import open_questions
from addon.domain.review_input import EventFacts, Thresholds
from addon.domain.risks import RiskKind

QUESTION = RiskKind.QUESTION_UNANSWERED  # TODAY is Wednesday 2027-01-20


def said(
    kind: str, days_ago: int, side: str, text: str, comment: str = "c1", **details: Any
) -> EventFacts:
    """A comment (or reply) on thread `comment`, `days_ago` calendar days before TODAY."""
    made = event(
        kind,
        days_ago,
        side,
        after=text,
        subject_label="Legal review" if kind == "comment_added" else "",
        details={"comment_id": comment, "author_name": f"{side} person", **details},
    )
    return dataclasses.replace(made, event_id=f"{made.event_id}_{comment}_{text}")


def test_a_buyer_question_waiting_two_business_days_is_flagged_with_its_first_words() -> None:
    asked = said("comment_added", 2, "buyer", "Can we move the security review " + "x " * 20 + "?")
    (flag,) = flags(QUESTION, review(events=[asked]))
    assert flag.kind.label == "Buyer question unanswered"
    assert flag.evidence.startswith(
        'buyer person asked on Legal review on 2027-01-18: "Can we move the security review x'
    )
    assert "…" in flag.evidence and "unanswered for 2 business days" in flag.evidence
    assert "Acme" in flag.question


def test_one_business_day_is_not_yet_a_flag_and_weekends_do_not_count() -> None:
    assert flags(QUESTION, review(events=[said("comment_added", 1, "buyer", "Why?")])) == []
    friday = said("comment_added", 5, "buyer", "Why?")  # Friday 15 Jan: Mon..Wed is 3
    assert "3 business days" in flags(QUESTION, review(events=[friday]))[0].evidence


def test_a_seller_reply_answers_and_a_later_buyer_question_opens_it_again() -> None:
    asked = said("comment_added", 6, "buyer", "Who signs?")
    answered = said("comment_replied", 5, "seller", "Our VP")
    assert flags(QUESTION, review(events=[asked, answered])) == []
    again = said("comment_replied", 3, "buyer", "And when?")
    (flag,) = flags(QUESTION, review(events=[asked, answered, again]))
    assert '"And when?"' in flag.evidence


def test_an_unknown_side_reply_does_not_answer() -> None:
    asked = said("comment_added", 6, "buyer", "Who signs?")
    stranger = said("comment_replied", 5, "unknown", "Not me")
    assert len(flags(QUESTION, review(events=[asked, stranger]))) == 1


def test_a_remark_waits_until_resolved_and_a_question_until_answered() -> None:
    remark = said("comment_added", 6, "buyer", "Legal is on holiday next week")
    assert len(flags(QUESTION, review(events=[remark]))) == 1
    resolved = said("comment_replied", 5, "buyer", "", action="resolve")
    assert flags(QUESTION, review(events=[remark, resolved])) == []
    asked = said("comment_added", 6, "buyer", "Is SSO included?", comment="c2")
    closed = said("comment_replied", 5, "buyer", "", comment="c2", action="resolve")
    assert len(flags(QUESTION, review(events=[asked, closed]))) == 1
    seen_resolved = said("comment_added", 6, "buyer", "Noted", comment="c3", resolved=True)
    assert flags(QUESTION, review(events=[seen_resolved])) == []


def test_the_team_threshold_sets_the_wait() -> None:
    asked = said("comment_added", 6, "buyer", "Who signs?")  # 4 business days
    patient = Thresholds(question_unanswered_days=5)
    assert flags(QUESTION, review(events=[asked], thresholds=patient)) == []
    assert len(flags(QUESTION, review(events=[asked]))) == 1


def test_more_open_questions_are_counted_in_the_evidence() -> None:
    first = said("comment_added", 8, "buyer", "First?", comment="a")
    second = said("comment_added", 7, "buyer", "Second?", comment="b")
    (flag,) = flags(QUESTION, review(events=[second, first]))
    assert '"First?"' in flag.evidence and "1 more unanswered" in flag.evidence


def test_a_buyer_comment_is_buyer_engagement() -> None:
    quiet = event("due_date_moved", 30, "buyer", subject="poc")
    assert len(flags(RiskKind.BUYER_SILENT, review(events=[quiet]))) == 1
    commented = said("comment_added", 1, "buyer", "Looks good")
    assert flags(RiskKind.BUYER_SILENT, review(events=[quiet, commented])) == []


_SIDES = st.sampled_from(["buyer", "seller", "unknown"])
_ITEM = st.tuples(
    st.sampled_from(["comment_added", "comment_replied"]),
    st.integers(min_value=0, max_value=20),
    _SIDES,
    st.sampled_from(["", "ok", "why?", "?"]),
    st.sampled_from([None, "resolve", "reopen", 7]),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_ITEM, max_size=6))
def test_a_seller_reply_after_everything_answers_every_thread(items: list[Any]) -> None:
    thread = [
        said(kind, days, side, text, action=action, comment="t")
        for kind, days, side, text, action in items
    ]
    for question in open_questions(thread, review().today):
        assert question.waited >= 0
    last = max((e.occurred_at for e in thread), default=None)
    reply = said("comment_replied", 0, "seller", "answered", comment="t")
    if last is not None:
        reply = dataclasses.replace(reply, occurred_at=last + timedelta(minutes=1))
    assert open_questions([*thread, reply], review().today) == []
