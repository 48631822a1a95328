"""How events read: sentences, Activity rows and the JSON `map-addon watch --json` prints."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from addon.domain.events import (
    Actor,
    EventKind,
    PlanEvent,
    activity_row,
    describe,
    event_json,
)
from addon.domain.layout_tabs import ACTIVITY_HEADERS

WHEN = datetime(2027, 1, 14, 9, 30, 12, tzinfo=UTC)
DANA = Actor("dana@acme.com", "buyer")


def event(
    kind: EventKind,
    label: str = "Security review",
    before: Any = None,
    after: Any = None,
    *,
    subject: str | None = "security-review",
    actor: Actor = DANA,
    **details: Any,
) -> PlanEvent:
    return PlanEvent(
        event_id="e_0123456789abcdef0123",
        deal_id="d_1",
        kind=kind,
        occurred_at=WHEN,
        subject=subject,
        subject_label=label,
        before=before,
        after=after,
        actor=actor,
        details=details,
    )


E = EventKind
CASES = [
    (
        event(
            E.ACCESS_LOST,
            "Plan access",
            subject=None,
            actor=Actor(None, "unknown"),
            since="2027-01-14",
            what="the plan was put in the Drive trash",
        ),
        "The add-on lost access to the plan on 2027-01-14: the plan was put in the Drive trash",
    ),
    (
        event(E.ACCESS_RESTORED, "Plan access", subject=None, since="2027-01-11", days=3),
        "The add-on can read the plan again (out of sight since 2027-01-11, 3 days); changes "
        "made meanwhile are read now",
    ),
    (
        event(
            E.MASS_CHANGE,
            "Plan tab",
            subject="Plan",
            tab="Plan",
            added=3000,
            removed=0,
            sample={"added": ["<b>junk</b>", "x"], "removed": []},
        ),
        "Changed many rows at once on the Plan tab: added 3000 rows (e.g. <b>junk</b>, x)",
    ),
    (
        event(
            E.DUE_DATE_MOVED, "Security review", "2027-01-05", "2027-01-14", slip_business_days=7
        ),
        "Moved Security review from 2027-01-05 to 2027-01-14 (7 business days later)",
    ),
    (
        event(
            E.DUE_DATE_MOVED, "Security review", "2027-01-05", "2027-01-04", slip_business_days=-1
        ),
        "Moved Security review from 2027-01-05 to 2027-01-04 (1 business day earlier)",
    ),
    (
        # Saturday to Friday: no business day in between.
        event(
            E.DUE_DATE_MOVED, "Security review", "2027-01-09", "2027-01-08", slip_business_days=0
        ),
        "Moved Security review from 2027-01-09 to 2027-01-08 (no change in business days)",
    ),
    (
        event(E.DUE_DATE_MOVED, "Security review", None, "2027-01-14", slip_business_days=None),
        "Set Security review due date to 2027-01-14",
    ),
    (
        event(E.DUE_DATE_MOVED, "Security review", "2027-01-05", None, slip_business_days=None),
        "Cleared Security review due date (was 2027-01-05)",
    ),
    (
        event(
            E.STEP_DONE,
            "Legal review",
            "In progress",
            "Done",
            done_on="2027-01-20",
            late_business_days=3,
        ),
        "Marked Legal review done on 2027-01-20 (3 business days after it was due)",
    ),
    (
        event(E.STEP_DONE, "Legal review", "In progress", "Done", done_on="2027-01-12"),
        "Marked Legal review done on 2027-01-12",
    ),
    (
        event(E.STEP_REOPENED, "Legal review", "Done", "Blocked"),
        "Reopened Legal review (now Blocked)",
    ),
    (
        event(E.STEP_STATUS_CHANGED, "Legal review", "Not started", "In progress"),
        "Changed Legal review status from Not started to In progress",
    ),
    (
        event(E.GO_LIVE_SLIPPED, "Go-live date", "2027-03-01", "2027-03-12", slip_business_days=9),
        "Moved go-live from 2027-03-01 to 2027-03-12 (9 business days later)",
    ),
    (
        event(
            E.SIGNATURE_SLIPPED,
            "Signature target",
            "2027-02-01",
            "2027-02-12",
            slip_business_days=9,
        ),
        "Moved the signature target from 2027-02-01 to 2027-02-12 (9 business days later)",
    ),
    (
        event(E.OWNER_CHANGED, "Legal review", None, "lee@acme.com"),
        "Changed Legal review owner from (empty) to lee@acme.com",
    ),
    (
        event(E.OWNER_SIDE_CHANGED, "Legal review", "Both", "Buyer"),
        "Changed Legal review owner side from Both to Buyer",
    ),
    (
        event(E.STEP_ADDED, "Procurement onboarding", None, {"name": "Procurement onboarding"}),
        "Added step Procurement onboarding",
    ),
    (
        event(E.STEP_REMOVED, "Procurement onboarding", {"name": "Procurement onboarding"}),
        "Removed step Procurement onboarding",
    ),
    (
        event(E.STEP_RENAMED, "Legal and DPA", "Legal review", "Legal and DPA"),
        "Renamed step Legal review to Legal and DPA",
    ),
    (
        event(
            E.STAKEHOLDER_ADDED,
            "Dana Smith",
            None,
            {"name": "Dana Smith", "email": "dana@acme.com", "side": "Buyer", "role": "Legal"},
        ),
        "Added stakeholder dana@acme.com as Legal",
    ),
    (
        event(E.STAKEHOLDER_REMOVED, "Pat Jones", {"name": "Pat Jones", "email": None}),
        "Removed stakeholder Pat Jones",
    ),
    (
        event(E.STAKEHOLDER_ROLE_CHANGED, "Dana Smith", "Champion", "Legal", email="dana@acme.com"),
        "Changed the role of dana@acme.com from Champion to Legal",
    ),
    (
        event(E.DEAL_FACT_CHANGED, "Budget status", None, "Budget approved"),
        "Changed Budget status from (empty) to Budget approved",
    ),
    (
        event(E.PLAN_AGREED, "Plan agreed by buyer", False, True, side="buyer", agreed_on=None),
        "Buyer agreed the plan",
    ),
    (
        event(
            E.PLAN_AGREED,
            "Plan agreed by seller",
            False,
            True,
            side="seller",
            agreed_on="2027-01-14",
        ),
        "Seller agreed the plan on 2027-01-14",
    ),
    (
        event(E.PLAN_WITHDRAWN, "Plan agreed by buyer", True, False, side="buyer"),
        "Buyer withdrew their agreement to the plan",
    ),
    (
        event(
            E.AGREEMENT_REFUSED,
            "Plan agreed by seller",
            False,
            True,
            subject="plan_agreed_seller",
            side="seller",
            refused="plan_agreed",
        ),
        "Not counted: Plan agreed by seller changed from no to yes by someone not on the seller "
        "side; only the seller's people can sign for the seller, so the cell was put back",
    ),
    (
        event(
            E.AGREEMENT_STALE,
            "Plan agreement",
            subject="plan_agreed",
            actor=Actor("map-addon@svc.example.com", "unknown"),
            sides=["buyer", "seller"],
            since="2027-01-14",
            changes=["Moved go-live from 2027-03-01 to 2027-03-12 (9 business days later)"],
        ),
        "The plan agreement is stale since 2027-01-14: Moved go-live from 2027-03-01 to "
        "2027-03-12 (9 business days later). Not agreed until both sides tick Plan agreed again",
    ),
    (
        event(
            E.OUTCOME_SET,
            "Deal outcome",
            None,
            {"outcome": "lost", "reason": "Price"},
            subject=None,
            describe="Lost on 2027-02-01, reason: Price, to Rival Corp",
        ),
        "The seller marked the deal: Lost on 2027-02-01, reason: Price, to Rival Corp",
    ),
    (
        event(E.DEAL_REOPENED, "Deal outcome", {"outcome": "on_hold"}, None, subject=None),
        "The seller reopened the deal (it was on hold)",
    ),
    (
        event(E.COMMENT_ADDED, "Security review", None, "Is SSO\nin scope?", author_name="Dana"),
        'Dana commented on Security review: "Is SSO in scope?"',
    ),
    (
        event(
            E.COMMENT_REPLIED, "", None, "Yes", subject=None, author_name="Sam", action="resolve"
        ),
        'Sam resolved a comment: "Yes"',
    ),
]


@pytest.mark.parametrize(("plan_event", "sentence"), CASES, ids=[c[0].kind.value for c in CASES])
def test_describe_reads_like_a_sentence(plan_event: PlanEvent, sentence: str) -> None:
    assert describe(plan_event) == sentence


def test_every_kind_has_a_sentence() -> None:
    assert {c[0].kind for c in CASES} == set(EventKind)


def test_describe_keeps_buyer_text_on_one_short_line() -> None:
    long_goal = "Cut onboarding\ntime " + "very " * 40 + "much"

    sentence = describe(event(E.DEAL_FACT_CHANGED, "Goal", None, long_goal))

    assert "\n" not in sentence
    assert sentence.startswith("Changed Goal from (empty) to Cut onboarding time very")
    assert sentence.endswith("…") and len(sentence) < 120


def test_activity_row_has_eight_text_cells_in_header_order() -> None:
    row = activity_row(
        event(E.DUE_DATE_MOVED, "Security review", "2027-01-05", "2027-01-14", slip_business_days=7)
    )

    assert len(row) == len(ACTIVITY_HEADERS) == 8
    assert all(isinstance(cell, str) for cell in row)
    assert dict(zip(ACTIVITY_HEADERS, row, strict=True)) == {
        "When": "2027-01-14 09:30 UTC",
        "Who": "dana@acme.com",
        "Side": "Buyer",
        "What": "Moved Security review from 2027-01-05 to 2027-01-14 (7 business days later)",
        "Step / field": "Security review",
        "Before": "2027-01-05",
        "After": "2027-01-14",
        "Event ID": "e_0123456789abcdef0123",
    }


def test_activity_row_shows_booleans_as_yes_no_nobody_as_unknown_and_none_as_empty() -> None:
    agreed = event(
        E.PLAN_AGREED,
        "Plan agreed by buyer",
        False,
        True,
        actor=Actor(None, "unknown"),
        side="buyer",
    )
    cleared = event(E.OWNER_CHANGED, "Legal review", "lee@acme.com", None)

    assert activity_row(agreed)[1:3] == ["unknown", "Unknown"]
    assert activity_row(agreed)[5:7] == ["no", "yes"]
    assert activity_row(cleared)[5:7] == ["lee@acme.com", ""]


def test_activity_row_shows_an_added_step_as_one_readable_line() -> None:
    added = {
        "id": "b-7f3a",
        "phase": None,
        "name": "Procurement onboarding",
        "owner_side": "Buyer",
        "owner": None,
        "due": "2027-01-25",
        "status": "Not started",
    }

    cell = activity_row(event(E.STEP_ADDED, "Procurement onboarding", None, added))[6]

    assert cell == (
        "Procurement onboarding; ID: b-7f3a; Owner side: Buyer; Due: 2027-01-25; "
        "Status: Not started"
    )


def test_activity_cells_are_bounded() -> None:
    huge = "x" * 60_000

    row = activity_row(event(E.DEAL_FACT_CHANGED, huge, huge, huge))

    assert max(len(cell) for cell in row) <= 2000


def test_event_json_is_the_watch_output_shape() -> None:
    plan_event = event(
        E.SIGNATURE_SLIPPED,
        "Signature target",
        "2027-02-01",
        "2027-02-12",
        subject="signature_target",
        slip_business_days=9,
        milestone="signature",
        source="deal",
    )

    data = event_json(plan_event)

    assert json.loads(json.dumps(data)) == data
    assert data == {
        "event_id": "e_0123456789abcdef0123",
        "kind": "signature_slipped",
        "deal_id": "d_1",
        "occurred_at": "2027-01-14T09:30:12+00:00",
        "subject": "signature_target",
        "subject_label": "Signature target",
        "before": "2027-02-01",
        "after": "2027-02-12",
        "actor": {"email": "dana@acme.com", "side": "buyer"},
        "details": {"slip_business_days": 9, "milestone": "signature", "source": "deal"},
    }


def test_a_stakeholder_listed_on_a_side_the_facts_do_not_give_is_said_to_be_a_claim() -> None:
    added = event(
        E.STAKEHOLDER_ADDED,
        "Bob Lee",
        None,
        {"name": "Bob Lee", "email": "bob@acme.com", "side": "Seller", "role": None},
        subject="bob@acme.com",
        listed_side="Seller",
        known_side="buyer",
    )
    assert describe(added) == (
        "Added stakeholder bob@acme.com, listed as Seller by the buyer: a claim, not one of the "
        "seller's people (counted on the buyer side)"
    )


def test_who_names_the_candidates_of_an_ambiguous_change_and_a_claimed_side() -> None:
    either = Actor(None, "unknown", candidates=("ann@acme.com", "sam@vendor.io"))
    row = activity_row(event(E.STEP_DONE, "Legal review", "In progress", "Done", actor=either))
    assert row[1:3] == ["one of ann@acme.com, sam@vendor.io", "Unknown"]
    claimed = Actor("bob@acme.com", "buyer", claimed_side="seller")
    row = activity_row(event(E.STEP_DONE, "Legal review", "In progress", "Done", actor=claimed))
    assert row[1:3] == ["bob@acme.com (listed as Seller on the Stakeholders tab)", "Buyer"]
    shown = event_json(event(E.STEP_DONE, "Legal review", "In progress", "Done", actor=either))
    assert shown["actor"] == {
        "email": None,
        "side": "unknown",
        "candidates": ["ann@acme.com", "sam@vendor.io"],
    }
