"""Crediting each change to its author from the revisions made since the last read (pure)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from functools import partial
from typing import Any

from addon.domain.attribution import Actor, Parties
from addon.domain.crediting import (
    UNNAMED,
    Revision,
    credit,
    editors,
    stakeholder_claims,
    with_listed_sides,
)
from addon.domain.events import PlanEvent, diff
from addon.domain.model import Side

ANN, DANA = "ann@acme.com", "dana@acme.com"  # buyers
SAM = "sam@vendor.io"  # the seller who owns the plan
SERVICE = "map@svc.example.com"
PARTIES = Parties.of(buyers=[ANN], owner=SAM, service_account=SERVICE)
WHEN = datetime(2027, 1, 14, 9, 30, tzinfo=UTC)
DIFFER = partial(
    diff, deal_id="d_1", base_seq=1, occurred_at=WHEN, actor=Actor(None, Side.UNKNOWN), holidays=()
)

PREVIOUS: dict[str, Any] = {
    "steps": [
        {"id": "legal", "name": "Legal review", "due": "2027-02-01", "status": "Not started"},
        {"id": "trial", "name": "Trial", "due": "2027-01-20", "status": "In progress"},
    ],
    "deal": {"plan_agreed_buyer": False, "plan_agreed_seller": False},
    "stakeholders": [{"name": "Ann", "email": ANN, "side": "Buyer", "role": "Champion"}],
}


def changed(plan: dict[str, Any], step: str, **fields: Any) -> dict[str, Any]:
    out = copy.deepcopy(plan)
    for row in out["steps"]:
        if row["id"] == step:
            row.update(fields)
    return out


def with_fact(plan: dict[str, Any], **facts: Any) -> dict[str, Any]:
    out = copy.deepcopy(plan)
    out["deal"].update(facts)
    return out


# The buyer moves the legal review and ticks their agreement; then the seller finishes the trial.
BY_ANN = with_fact(changed(PREVIOUS, "legal", due="2027-02-19"), plan_agreed_buyer=True)
BY_SAM = changed(BY_ANN, "trial", status="Done")


def events() -> list[PlanEvent]:
    return DIFFER(PREVIOUS, BY_SAM)


def who(credited: list[PlanEvent]) -> dict[tuple[str, str | None], Actor]:
    return {(e.kind.value, e.subject): e.actor for e in credited}


def test_one_person_since_the_last_read_made_every_change() -> None:
    revisions = [Revision(ANN), Revision(SERVICE), Revision(ANN)]
    credited = credit(
        events(), previous=PREVIOUS, revisions=revisions, parties=PARTIES, claims={}, differ=DIFFER
    )
    assert {e.actor for e in credited} == {Actor(ANN, "buyer")}


def test_with_each_revisions_content_each_change_goes_to_the_revision_that_made_it() -> None:
    revisions = [Revision(ANN, BY_ANN), Revision(SAM, BY_SAM)]
    credited = who(
        credit(
            events(),
            previous=PREVIOUS,
            revisions=revisions,
            parties=PARTIES,
            claims={},
            differ=DIFFER,
        )
    )
    assert credited == {
        ("due_date_moved", "legal"): Actor(ANN, "buyer"),
        ("plan_agreed", "plan_agreed_buyer"): Actor(ANN, "buyer"),
        ("step_done", "trial"): Actor(SAM, "seller"),
    }


def test_without_content_every_change_is_one_of_the_people_who_edited() -> None:
    revisions = [Revision(ANN, BY_ANN), Revision(SAM)]
    credited = credit(
        events(), previous=PREVIOUS, revisions=revisions, parties=PARTIES, claims={}, differ=DIFFER
    )
    assert {e.actor for e in credited} == {Actor(None, "unknown", candidates=(ANN, SAM))}
    assert credited[0].actor.label == f"one of {ANN}, {SAM}"


def test_people_on_one_side_make_the_side_known_but_not_the_person() -> None:
    revisions = [Revision(ANN), Revision(DANA)]
    parties = Parties.of(buyers=[ANN, DANA], owner=SAM)
    credited = credit(
        events(), previous=PREVIOUS, revisions=revisions, parties=parties, claims={}, differ=DIFFER
    )
    assert {e.actor for e in credited} == {Actor(None, "buyer", candidates=(ANN, DANA))}


def test_a_change_two_revisions_made_is_one_of_their_authors() -> None:
    ann_moves = changed(PREVIOUS, "legal", due="2027-02-10")
    sam_moves_again = changed(ann_moves, "legal", due="2027-02-19")
    revisions = [Revision(ANN, ann_moves), Revision(SAM, sam_moves_again)]
    (moved,) = credit(
        DIFFER(PREVIOUS, sam_moves_again),
        previous=PREVIOUS,
        revisions=revisions,
        parties=PARTIES,
        claims={},
        differ=DIFFER,
    )
    assert moved.actor == Actor(None, "unknown", candidates=(ANN, SAM))


def test_an_editor_drive_does_not_name_is_someone_else() -> None:
    assert editors([Revision(SERVICE), Revision(None), Revision(ANN)], PARTIES) == [UNNAMED, ANN]
    credited = credit(
        events(),
        previous=PREVIOUS,
        revisions=[Revision(ANN), Revision(None)],
        parties=PARTIES,
        claims={},
        differ=DIFFER,
    )
    assert {e.actor.label for e in credited} == {f"one of {ANN}, {UNNAMED}"}
    alone = credit(
        events(),
        previous=PREVIOUS,
        revisions=[Revision(None)],
        parties=PARTIES,
        claims={},
        differ=DIFFER,
    )
    assert {e.actor for e in alone} == {Actor(None, "unknown")}


def test_the_service_accounts_revisions_credit_no_one() -> None:
    assert editors([Revision(SERVICE), Revision(ANN)], PARTIES) == [ANN]
    revisions = [Revision(SERVICE, BY_ANN), Revision(SAM, BY_SAM)]
    credited = who(
        credit(
            events(),
            previous=PREVIOUS,
            revisions=revisions,
            parties=PARTIES,
            claims={},
            differ=DIFFER,
        )
    )
    # One person edited since the last read (the service account writes only the product's own
    # cells): every change is his.
    assert set(credited.values()) == {Actor(SAM, "seller")}


def test_a_stakeholders_row_is_a_claim_that_never_sets_a_side() -> None:
    bob = "bob@acme.com"
    claims = stakeholder_claims(
        {"stakeholders": [{"email": "Bob@Acme.com", "side": "Seller"}, {"email": ANN}]}
    )
    assert claims == {bob: "seller"}
    revisions = [Revision(bob)]
    credited = credit(
        events(),
        previous=PREVIOUS,
        revisions=revisions,
        parties=PARTIES,
        claims=claims,
        differ=DIFFER,
    )
    assert {e.actor for e in credited} == {Actor(bob, "buyer", claimed_side="seller")}


def test_a_person_listed_as_seller_without_being_one_is_said_to_be_listed() -> None:
    listed = copy.deepcopy(PREVIOUS)
    listed["stakeholders"].append({"name": "Bob", "email": "bob@acme.com", "side": "Seller"})
    listed["stakeholders"].append({"name": "Lee", "email": "lee@vendor.io", "side": "Seller"})
    added = with_listed_sides(DIFFER(PREVIOUS, listed), PARTIES)
    details = {e.subject: e.details for e in added}
    assert details["bob@acme.com"] == {"listed_side": "Seller", "known_side": "buyer"}
    assert details["lee@vendor.io"] == {}  # the seller's domain: the listing is right
