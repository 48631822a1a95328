"""A healthy deal to perturb in the risk tests: review input and a hand-built steps frame."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from addon.domain.deal import DealRecord
from addon.domain.model import Milestone, Role, Side, StepSpec, Template
from addon.domain.review_input import EventFacts, ReviewInput, Thresholds
from addon.domain.risks import Risk, RiskKind, evaluate

TODAY = date(2027, 1, 20)  # a Wednesday
SIGNATURE = date(2027, 3, 1)  # 28 business days after TODAY

_B, _S = Side.BUYER, Side.SELLER
TEMPLATE = Template(
    name="saas",
    title="SaaS evaluation",
    version=1,
    description="",
    steps=(
        StepSpec("kickoff", "Align", "Kickoff", _S, 1),
        StepSpec("poc", "Validate", "Proof of concept", _B, 10, roles=(Role.TECHNICAL_EVALUATOR,)),
        StepSpec("security-review", "Validate", "Security review", _B, 5, roles=(Role.SECURITY,)),
        StepSpec("legal", "Buy", "Legal review", _B, 5, roles=(Role.LEGAL,)),
        StepSpec("signature", "Buy", "Signature", _B, 0, milestone=Milestone.SIGNATURE),
        StepSpec("go-live", "Launch", "Go-live", _S, 0, milestone=Milestone.GO_LIVE),
    ),
)
_DUES = {
    "kickoff": "2027-01-15",
    "poc": "2027-02-05",
    "security-review": "2027-02-12",
    "legal": "2027-02-22",
    "signature": "2027-03-01",
    "go-live": "2027-04-01",
}
STEP_COLUMNS = [
    "deal_id",
    "step_id",
    "phase",
    "name",
    "owner_side",
    "owner",
    "due",
    "status",
    "done_on",
    "row",
    "in_template",
    "critical",
    "duration_days",
    "roles",
    "milestone",
    "overdue",
    "business_days_overdue",
]


def deal(**changes: Any) -> DealRecord:
    """Acme's deal: 50,000, created a week ago, signature 2027-03-01."""
    base = DealRecord(
        deal_id="d1",
        name="Acme rollout",
        buyer_company="Acme",
        owner_email="sam@seller.example",
        template="saas",
        template_version=1,
        created_at=datetime(2027, 1, 13, 9, 0, tzinfo=UTC),
        updated_at=datetime(2027, 1, 13, 9, 0, tzinfo=UTC),
        go_live=date(2027, 4, 1),
        signature_target=SIGNATURE,
        amount=Decimal(50_000),
    )
    return dataclasses.replace(base, **changes)


def person(role: str | None, name: str = "Pat") -> dict[str, Any]:
    """A buyer stakeholder row as a snapshot holds it."""
    return {"name": name, "email": f"{name.lower()}@acme.example", "side": "Buyer", "role": role}


PEOPLE = [person("Economic buyer", "Erin"), person("Champion", "Chris"), person("Legal", "Lee")]


def snapshot(people: list[dict[str, Any]] | None = None, **facts: Any) -> dict[str, Any]:
    """A snapshot whose stakeholders and Deal tab are healthy unless told otherwise."""
    deal_tab = {
        "signature_target": SIGNATURE.isoformat(),
        "alternatives": None,
        "plan_agreed_buyer": True,
        "plan_agreed_seller": True,
    }
    return {
        "steps": [],
        "deal": {**deal_tab, **facts},
        "stakeholders": PEOPLE if people is None else people,
    }


def step(
    step_id: str | None, name: str | None = None, *, deal_id: str = "d1", **fields: Any
) -> dict[str, Any]:
    """One row of the steps frame; a template step by default, with its template fields."""
    spec = next((s for s in TEMPLATE.steps if s.id == step_id), None)
    row: dict[str, Any] = {
        "deal_id": deal_id,
        "step_id": step_id,
        "phase": spec.phase if spec else "Extra",
        "name": name or (spec.name if spec else "Extra step"),
        "owner_side": spec.owner_side.label if spec else "Buyer",
        "owner": None,
        "due": _DUES.get(step_id or ""),
        "status": "Not started",
        "done_on": None,
        "row": 2,
        "in_template": spec is not None,
        "critical": spec.critical if spec else False,
        "duration_days": spec.duration_days if spec else 0,
        "roles": tuple(r.value for r in spec.roles) if spec else (),
        "milestone": spec.milestone.value if spec and spec.milestone else None,
        "overdue": False,
        "business_days_overdue": 0,
    }
    row.update(fields)
    return row


def plan_steps(**changes: dict[str, Any]) -> list[dict[str, Any]]:
    """The template's steps, kickoff done; `changes` maps a step id to field overrides."""
    rows = [step(spec.id) for spec in TEMPLATE.steps]
    rows[0].update(status="Done", done_on="2027-01-15")
    for row in rows:
        row.update(changes.get(row["step_id"], {}))
    return rows


def frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """The steps frame as review.steps_frame shapes it."""
    result = pd.DataFrame(list(rows), columns=STEP_COLUMNS)
    result["due"] = pd.to_datetime(result["due"])
    result["done_on"] = pd.to_datetime(result["done_on"])
    return result


def event(kind: str, days_ago: int = 1, side: str = "buyer", **fields: Any) -> EventFacts:
    """An event on d1, `days_ago` days before TODAY."""
    when = datetime(TODAY.year, TODAY.month, TODAY.day, 10, 0, tzinfo=UTC)
    return EventFacts(
        event_id=f"e_{kind}_{days_ago}_{side}",
        deal_id=fields.pop("deal_id", "d1"),
        kind=kind,
        occurred_at=when - pd.Timedelta(days=days_ago).to_pytimedelta(),
        actor_side=side,
        **fields,
    )


RECENT_EDIT = event("due_date_moved", 1, subject="poc", details={"slip_business_days": 1})


def review(
    deals: Iterable[DealRecord] | None = None,
    snapshots: dict[str, dict[str, Any]] | None = None,
    events: Iterable[EventFacts] = (RECENT_EDIT,),
    thresholds: Thresholds | None = None,
) -> ReviewInput:
    """Review input around the healthy deal; events are grouped by deal."""
    by_deal: dict[str, list[EventFacts]] = {}
    for e in events:
        by_deal.setdefault(e.deal_id, []).append(e)
    return ReviewInput(
        today=TODAY,
        deals=tuple(deals) if deals is not None else (deal(),),
        snapshots={"d1": snapshot()} if snapshots is None else snapshots,
        events={key: tuple(value) for key, value in by_deal.items()},
        templates={"saas": TEMPLATE},
        thresholds=thresholds or Thresholds(),
    )


def flags(
    kind: RiskKind, data: ReviewInput | None = None, steps: pd.DataFrame | None = None
) -> list[Risk]:
    """The flags of one rule alone."""
    steps = frame(plan_steps()) if steps is None else steps
    return evaluate(data or review(), steps, enabled=[kind])
