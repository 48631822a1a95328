"""A small hand-built pipeline for the review tests: one 4-step template, five deals.

Today is Monday 2027-02-01. The deals, by the forecast category they should get:
- Acme (Commit): agreed by both sides, on pace, nothing overdue, buyer active.
- Bolt (Probable): 3 business days late at 1.8x pace; legal overdue; buyer added a step,
  removed kickoff and renamed eval; only the buyer agreed.
- Cobalt (At risk): agreed, ahead of plan, but the buyer has never edited (created 62 days ago).
- Delta (Slipping): go-live slipped twice (5 + 7 business days), once pulled in.
- Echo: unreadable and without a snapshot; it keeps its row.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from addon.domain.deal import DealRecord
from addon.domain.model import Milestone, Role, Side, StepSpec, Template
from addon.domain.review_input import EventFacts, ReviewInput

TODAY = date(2027, 2, 1)

TINY = Template(
    name="tiny",
    title="Tiny",
    version=1,
    description="Four steps for the review tests.",
    steps=(
        StepSpec("eval", "Evaluate", "Evaluation", Side.BUYER, 5, "legal", critical=True),
        StepSpec(
            "legal",
            "Decide",
            "Legal review",
            Side.BUYER,
            5,
            "signature",
            critical=True,
            roles=(Role.LEGAL,),
        ),
        StepSpec(
            "signature",
            "Decide",
            "Signature",
            Side.BOTH,
            0,
            "kickoff",
            critical=True,
            milestone=Milestone.SIGNATURE,
        ),
        StepSpec("kickoff", "Launch", "Kickoff", Side.SELLER, 3, critical=True),
    ),
)


def step(
    step_id: str | None,
    name: str,
    side: str,
    due: str | None,
    status: str = "Not started",
    done_on: str | None = None,
    *,
    phase: str = "Decide",
) -> dict[str, Any]:
    """One Plan tab row as a snapshot keeps it (`snapshot` numbers the rows)."""
    return {
        "id": step_id,
        "phase": phase,
        "name": name,
        "owner_side": side,
        "owner": None,
        "due": due,
        "status": status,
        "done_on": done_on,
        "notes": None,
        "row": None,
    }


def snapshot(
    steps: list[dict[str, Any]],
    *,
    signature: str | None = None,
    agreed: tuple[bool, bool] = (False, False),
    roles: tuple[str, ...] = (),
    data_issues: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A snapshot with these steps (rows renumbered), Deal facts and stakeholders' roles."""
    body: dict[str, Any] = {
        "layout_version": 1,
        "steps": [row | {"row": index + 2} for index, row in enumerate(steps)],
        "deal": {
            "signature_target": signature,
            "plan_agreed_buyer": agreed[0],
            "plan_agreed_seller": agreed[1],
        },
        "stakeholders": [
            {"name": f"P{index}", "email": f"p{index}@buyer.example", "role": role}
            for index, role in enumerate(roles)
        ],
    }
    if data_issues is not None:
        body["data_issues"] = data_issues
    return body


def deal(deal_id: str, name: str, **fields: Any) -> DealRecord:
    """A deal on the tiny template, created 2027-01-04, going live 2027-04-30."""
    values: dict[str, Any] = {
        "buyer_company": name + " Inc",
        "owner_email": "ae@seller.example",
        "template": "tiny",
        "template_version": 1,
        "created_at": datetime(2027, 1, 4, 9, tzinfo=UTC),
        "updated_at": datetime(2027, 1, 4, 9, tzinfo=UTC),
        "go_live": date(2027, 4, 30),
        "url": f"https://sheets.example/{deal_id}",
    }
    return DealRecord(deal_id=deal_id, name=name, **(values | fields))


def event(
    deal_id: str,
    number: int,
    kind: str,
    when: str,
    side: str,
    *,
    label: str = "",
    **details: Any,
) -> EventFacts:
    """An event at noon UTC of the day `when`."""
    return EventFacts(
        event_id=f"e_{deal_id}_{number}",
        deal_id=deal_id,
        kind=kind,
        occurred_at=datetime.fromisoformat(when).replace(hour=12, tzinfo=UTC),
        actor_side=side,
        actor_email=f"{side}@{deal_id}.example" if side != "unknown" else None,
        subject_label=label,
        details=details,
    )


def pipeline() -> ReviewInput:
    """The five deals described in this module's docstring."""
    deals = (
        deal("a", "Acme", amount=Decimal(100_000)),
        deal("b", "Bolt", amount=Decimal(50_000), signature_target=date(2027, 2, 9)),
        deal("c", "Cobalt", amount=Decimal(30_000), created_at=datetime(2026, 12, 1, tzinfo=UTC)),
        deal("d", "Delta", amount=Decimal(20_000)),
        deal("e", "Echo", amount=Decimal(10_000), created_at=datetime(2027, 1, 25, tzinfo=UTC)),
    )
    evaluate = "Evaluate"
    snapshots = {
        "a": snapshot(
            [
                step(
                    "eval",
                    "Evaluation",
                    "Buyer",
                    "2027-01-25",
                    "Done",
                    "2027-01-25",
                    phase=evaluate,
                ),
                step("legal", "Legal review", "Buyer", "2027-02-08", "In progress"),
                step("signature", "Signature", "Both", "2027-02-15"),
                step("kickoff", "Kickoff", "Seller", "2027-02-22", phase="Launch"),
            ],
            signature="2027-02-16",
            agreed=(True, True),
            roles=("Champion", "Economic buyer", "legal "),
        ),
        "b": snapshot(
            [
                step("eval", "Pilot", "Buyer", "2027-01-18", "Done", "2027-01-22", phase=evaluate),
                step("legal", "Legal review", "Buyer", "2027-01-27", "In progress"),
                step(None, "Procurement review", "Buyer", "2027-02-03"),
                step("signature", "Signature", "Both", "2027-02-09"),
            ],
            agreed=(True, False),
            roles=("Champion", "Procurement"),
        ),
        "c": snapshot(
            [
                step(
                    "eval",
                    "Evaluation",
                    "Buyer",
                    "2027-01-25",
                    "Done",
                    "2027-01-22",
                    phase=evaluate,
                ),
                step("legal", "Legal review", "Buyer", "2027-02-22"),
                step("signature", "Signature", "Both", "2027-03-01"),
                step("kickoff", "Kickoff", "Seller", "2027-03-08", phase="Launch"),
            ],
            signature="2027-03-01",
            agreed=(True, True),
            roles=("Technical evaluator", "Security"),
            data_issues=[
                {"tab": "Plan", "cell": "F7", "kind": "bad_date", "message": "'soon' is no date"}
            ],
        ),
        "d": snapshot(
            [
                step("eval", "Evaluation", "Buyer", "2027-01-29", "In progress", phase=evaluate),
                step("legal", "Legal review", "Buyer", "2027-02-05"),
                step("signature", "Signature", "Both", "2027-02-10"),
                step("kickoff", "Kickoff", "Seller", "2027-01-28", phase="Launch"),
            ],
            signature="2027-02-10",
        ),
    }
    events = {
        "a": (event("a", 1, "step_done", "2027-01-29", "buyer", label="Evaluation"),),
        "b": (
            event("b", 1, "step_added", "2027-01-20", "buyer", label="Procurement review"),
            event("b", 2, "owner_changed", "2027-01-26", "seller", label="Legal review"),
        ),
        "c": (event("c", 1, "signature_slipped", "2027-01-15", "seller", slip_business_days=4),),
        "d": (
            event("d", 1, "go_live_slipped", "2027-01-10", "buyer", slip_business_days=5),
            event("d", 2, "go_live_slipped", "2027-01-20", "buyer", slip_business_days=7),
            event("d", 3, "signature_slipped", "2027-01-25", "seller", slip_business_days=-2),
        ),
    }
    return ReviewInput(
        today=TODAY,
        deals=deals,
        snapshots=snapshots,
        events=events,
        templates={"tiny": TINY},
        unreadable={"e": "access removed"},
    )
