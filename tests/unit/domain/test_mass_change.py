"""Hundreds of rows added or cleared in one read are one event; other changes stay as they are."""

from __future__ import annotations

from datetime import UTC, datetime

from addon.domain.activity import describe
from addon.domain.attribution import Actor
from addon.domain.event_model import EventKind, PlanEvent
from addon.domain.mass_change import collapse_mass_changes
from addon.domain.model import Side

WHEN = datetime(2027, 2, 1, 12, tzinfo=UTC)
ANN = Actor("ann@buyer.example", Side.BUYER)


def _event(number: int, kind: EventKind, label: str, actor: Actor = ANN) -> PlanEvent:
    return PlanEvent(f"e{number}", "d1", kind, WHEN, None, label, None, None, actor)


def _junk(count: int, kind: EventKind = EventKind.STEP_ADDED, start: int = 0) -> list[PlanEvent]:
    return [_event(start + n, kind, f"junk {n}") for n in range(count)]


def test_rows_past_the_threshold_become_one_event_with_counts_and_a_sample() -> None:
    real = _event(9000, EventKind.STEP_DONE, "Legal review")
    events = [real, *_junk(3000), *_junk(40, EventKind.STEP_REMOVED, 5000)]

    folded = collapse_mass_changes(events, threshold=50, base_seq=3)

    assert [e.kind for e in folded] == [EventKind.STEP_DONE, EventKind.MASS_CHANGE]
    mass = folded[1]
    assert mass.details["added"] == 3000 and mass.details["removed"] == 40
    assert mass.details["sample"]["added"] == [f"junk {n}" for n in range(5)]
    assert mass.actor == ANN and mass.subject == "Plan"
    assert describe(mass).startswith("Changed many rows at once on the Plan tab: added 3000 rows")
    again = collapse_mass_changes(events, threshold=50, base_seq=3)
    assert again[1].event_id == mass.event_id  # a re-run stores nothing twice


def test_up_to_the_threshold_every_row_is_its_own_event() -> None:
    events = _junk(50)
    assert collapse_mass_changes(events, threshold=50) == events
    assert collapse_mass_changes(_junk(51), threshold=0) == _junk(51)  # 0: never fold


def test_stakeholder_rows_fold_apart_from_plan_rows_and_mixed_actors_are_one_of_them() -> None:
    bob = Actor("bob@vendor.example", Side.SELLER)
    people = [
        _event(n, EventKind.STAKEHOLDER_ADDED, f"p{n}", ANN if n % 2 else bob) for n in range(60)
    ]

    folded = collapse_mass_changes([*_junk(10, start=100), *people], threshold=50)

    assert [e.kind for e in folded].count(EventKind.STEP_ADDED) == 10
    (mass,) = [e for e in folded if e.kind is EventKind.MASS_CHANGE]
    assert mass.subject == "Stakeholders" and mass.details["added"] == 60
    assert mass.actor.side == Side.UNKNOWN
    assert mass.details["people"] == ["ann@buyer.example", "bob@vendor.example"]
