"""One side enum: stored in lower case, shown capitalised, looked up from either."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addon.domain.attribution import Actor
from addon.domain.deal import PersonRecord
from addon.domain.model import ACTOR_SIDES, PARTIES, PEOPLE_SIDES, STEP_OWNERS, Role, Side
from addon.domain.parse_values import OWNER_SIDE_WORDS, SIDE_WORDS, lookup
from addon.store import EventRecord


def test_each_side_is_stored_as_a_lower_case_word_and_shown_capitalised() -> None:
    assert [(s.value, s.label) for s in Side] == [
        ("buyer", "Buyer"),
        ("seller", "Seller"),
        ("both", "Both"),
        ("service", "Service"),
        ("unknown", "Unknown"),
    ]
    assert json.dumps({"side": Side.BUYER}) == '{"side": "buyer"}'


@given(st.sampled_from(list(Side)), st.sampled_from([str.lower, str.upper, str.capitalize]))
def test_a_side_is_found_from_its_word_in_any_case_and_padding(side: Side, case: object) -> None:
    assert callable(case)
    assert Side(f" {case(side.value)} ") is side


@pytest.mark.parametrize("text", ["", "customer", "Buyers", "b", "both sides"])
def test_other_words_are_no_side(text: str) -> None:
    with pytest.raises(ValueError, match="is not a valid Side"):
        Side(text)


def test_each_use_takes_its_own_sides() -> None:
    assert STEP_OWNERS == (Side.BUYER, Side.SELLER, Side.BOTH)
    assert PARTIES == (Side.BUYER, Side.SELLER)
    assert PEOPLE_SIDES == (Side.BUYER, Side.SELLER, Side.SERVICE)
    assert ACTOR_SIDES == (Side.BUYER, Side.SELLER, Side.UNKNOWN)
    assert {role.side for role in Role} == set(PARTIES)


def test_a_sheet_cell_never_reads_as_the_service_account_or_an_unknown_side() -> None:
    for words in (OWNER_SIDE_WORDS, SIDE_WORDS):
        for text in ("Service", "service", "Unknown", "unknown"):
            assert lookup(words, text) is None
    assert lookup(OWNER_SIDE_WORDS, "both") == "Both"
    assert lookup(SIDE_WORDS, "both") is None
    assert lookup(SIDE_WORDS, "vendor") == "Seller"


def test_an_actor_is_only_ever_on_a_side_a_change_can_be_credited_to() -> None:
    assert Actor("ann@acme.example", "buyer").side is Side.BUYER  # type: ignore[arg-type]
    assert Actor(None, Side.UNKNOWN, claimed_side="seller").claimed_side is Side.SELLER  # type: ignore[arg-type]
    for side in (Side.BOTH, Side.SERVICE):
        with pytest.raises(ValueError, match="buyer, seller or unknown"):
            Actor("ann@acme.example", side)


def test_a_person_and_a_recorded_change_keep_to_their_own_sides() -> None:
    assert PersonRecord("ann@acme.example", "Buyer").side is Side.BUYER  # type: ignore[arg-type]
    assert PersonRecord("svc@map.example", Side.SERVICE).side is Side.SERVICE
    for side in (Side.BOTH, Side.UNKNOWN):
        with pytest.raises(ValueError, match="buyer, seller or service"):
            PersonRecord("ann@acme.example", side)
    when = datetime(2027, 1, 4, tzinfo=UTC)
    assert EventRecord("e1", "d1", "step_done", when, when, "seller").actor_side is Side.SELLER  # type: ignore[arg-type]
    for side in (Side.BOTH, Side.SERVICE):
        with pytest.raises(ValueError, match="buyer, seller or unknown"):
            EventRecord("e1", "d1", "step_done", when, when, side)
