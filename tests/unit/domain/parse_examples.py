"""A plan sheet as `values.batchGet` returns it, and the snapshot it was read into before.

The rows are literal: what `valueRenderOption=UNFORMATTED_VALUE`,
`dateTimeRenderOption=SERIAL_NUMBER`, `majorDimension=ROWS` gives for the ranges "Plan", "Deal"
and "Stakeholders" (dates as serial numbers, trailing empty cells left out, "" between values).
"""

from __future__ import annotations

import copy
from typing import Any

from addon.domain.parse import DataIssue

DEAL_ID = "deal-42"

PLAN_HEADER: list[object] = [
    "Step ID",
    "Phase",
    "Step",
    "Owner side",
    "Owner",
    "Due date",
    "Status",
    "Done on",
    "Notes",
]
PLAN_ROWS: list[list[object]] = [
    PLAN_HEADER,
    ["kickoff", "Evaluate", "Kick-off call", "Both", "", 46029, "Done", 46030],
    [
        "security",
        "Evaluate",
        "Security review",
        "Buyer",
        "Ivy@Acme.test",
        46043,
        "In progress",
        "",
        "Questionnaire and pen-test report",
    ],
    [
        "order-form",
        "Contract",
        "Send order form",
        "Seller",
        "sam@vendor.test",
        46048,
        "Not started",
    ],
    ["signature", "Contract", "Signature", "Both", "", 46055, "Not started"],
]
DEAL_ROWS: list[list[object]] = [
    ["Fact", "Value", "Whose to give", "Notes"],
    ["Goal", "Cut onboarding from 6 weeks to 1", "Buyer", "What you want to achieve"],
    ["Success criteria", "", "Buyer", "How you will know it worked"],
    ["Go-live date", 46083, "Both", "The date the plan works back from"],
    ["Signature target", 46055, "Both", "When both sides aim to sign"],
    ["Budget status", "Budget identified", "Buyer"],
    ["Decision process", "", "Buyer"],
    ["Alternatives considered", "", "Buyer"],
    ["Plan agreed by buyer", True, "Buyer"],
    ["Buyer agreed on", 46030, "Buyer"],
    ["Plan agreed by seller", False, "Seller"],
    ["Seller agreed on", "", "Seller"],
]
PEOPLE_ROWS: list[list[object]] = [
    ["Name", "Email", "Side", "Role", "Responsibility"],
    ["Ann Buyer", "ann@acme.test", "Buyer", "Champion", "Runs the evaluation"],
    ["Sam Seller", "sam@vendor.test", "Seller", "Account executive"],
]

STEPS: list[dict[str, Any]] = [
    {
        "id": "kickoff",
        "phase": "Evaluate",
        "name": "Kick-off call",
        "owner_side": "Both",
        "owner": None,
        "due": "2026-01-07",
        "status": "Done",
        "done_on": "2026-01-08",
        "notes": None,
        "row": 2,
    },
    {
        "id": "security",
        "phase": "Evaluate",
        "name": "Security review",
        "owner_side": "Buyer",
        "owner": "ivy@acme.test",
        "due": "2026-01-21",
        "status": "In progress",
        "done_on": None,
        "notes": "Questionnaire and pen-test report",
        "row": 3,
    },
    {
        "id": "order-form",
        "phase": "Contract",
        "name": "Send order form",
        "owner_side": "Seller",
        "owner": "sam@vendor.test",
        "due": "2026-01-26",
        "status": "Not started",
        "done_on": None,
        "notes": None,
        "row": 4,
    },
    {
        "id": "signature",
        "phase": "Contract",
        "name": "Signature",
        "owner_side": "Both",
        "owner": None,
        "due": "2026-02-02",
        "status": "Not started",
        "done_on": None,
        "notes": None,
        "row": 5,
    },
]
DEAL: dict[str, Any] = {
    "goal": "Cut onboarding from 6 weeks to 1",
    "success_criteria": None,
    "go_live": "2026-03-02",
    "signature_target": "2026-02-02",
    "budget_status": "Budget identified",
    "decision_process": None,
    "alternatives": None,
    "plan_agreed_buyer": True,
    "plan_agreed_buyer_on": "2026-01-08",
    "plan_agreed_seller": False,
    "plan_agreed_seller_on": None,
}
PEOPLE: list[dict[str, Any]] = [
    {
        "name": "Ann Buyer",
        "email": "ann@acme.test",
        "side": "Buyer",
        "role": "Champion",
        "responsibility": "Runs the evaluation",
    },
    {
        "name": "Sam Seller",
        "email": "sam@vendor.test",
        "side": "Seller",
        "role": "Account executive",
        "responsibility": None,
    },
]


def sheet(
    plan: Any = PLAN_ROWS, deal: Any = DEAL_ROWS, people: Any = PEOPLE_ROWS
) -> dict[str, Any]:
    """The three tabs' rows (deep copies, so a test may edit them); None for a deleted tab."""
    return {
        "Plan": copy.deepcopy(plan),
        "Deal": copy.deepcopy(deal),
        "Stakeholders": copy.deepcopy(people),
    }


def previous() -> dict[str, Any]:
    """The snapshot the example sheet was read into last time."""
    return copy.deepcopy(
        {"layout_version": 1, "steps": STEPS, "deal": DEAL, "stakeholders": PEOPLE}
    )


def kinds(issues: tuple[DataIssue, ...]) -> list[str]:
    return [issue.kind for issue in issues]


def only(issues: tuple[DataIssue, ...], kind: str) -> DataIssue:
    """The one issue of a kind."""
    (issue,) = [issue for issue in issues if issue.kind == kind]
    return issue
