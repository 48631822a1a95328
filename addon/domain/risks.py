"""Risk flags of the pipeline review, with the coaching question each one raises (pure).

`evaluate` aggregates the steps frame once per review with pandas (group-bys over all deals, no
per-deal frame slicing), builds one `DealView` per deal, and runs the enabled rules of
`risk_rules.RULES` on it. A deal without a snapshot gets only the rules that need no plan
(buyer silence): a missing snapshot is a data issue, not a risk. `risks_frame` is the Risks tab.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from .deal import DealRecord
from .model import Role, Side
from .review_base import BUYER_SIDES, SELLER_SIDES
from .review_input import ReviewInput
from .review_schedule import deal_schedules
from .risk_model import (
    DATE_KINDS,
    SETUP,
    SEVERITY_RANK,
    DealView,
    Overdue,
    PlanFacts,
    Risk,
    RiskKind,
    Rule,
    StepFacts,
)
from .risk_rules import RULES
from .snapshot import snapshot_date

__all__ = ["RULES", "RISK_COLUMNS", "Risk", "RiskKind", "Rule", "evaluate", "risks_frame"]

RISK_COLUMNS = [
    "Deal",
    "Buyer",
    "Owner",
    "Risk",
    "Severity",
    "Evidence",
    "Coaching question",
    "deal_id",
]
LEGAL_WORDS = r"legal|contract|\bmsa\b"
SECURITY_WORDS = r"security|infosec"


def evaluate(
    data: ReviewInput, steps: pd.DataFrame, *, enabled: Iterable[RiskKind | str] | None = None
) -> list[Risk]:
    """Every flag of every deal, in deal order, each deal's ranked (severity, then rule order).

    Only `enabled` rules run. A plan younger than `Thresholds.setup_days` business days gets
    its set-up gaps (SETUP_KINDS) as severity "setup": a checklist, not a risk.
    """
    wanted = set(RULES) if enabled is None else {RiskKind(kind) for kind in enabled}
    rules = [(kind, rule) for kind, rule in RULES.items() if kind in wanted]
    if not rules:
        return []
    views = deal_views(data, steps)
    found = []
    for view in views:
        mine = [(k, r) for k, r in rules if not (view.on_hold and k in DATE_KINDS)]
        risks = [_in_setup(view, risk) for _, rule in mine if (risk := rule(view)) is not None]
        found += sorted(
            risks, key=lambda risk: SEVERITY_RANK.get(risk.severity, len(SEVERITY_RANK))
        )
    return found


# What a plan in its first days may still lack without it being a risk yet
SETUP_KINDS = frozenset(
    {
        RiskKind.NO_ECONOMIC_BUYER,
        RiskKind.NO_CHAMPION,
        RiskKind.NO_PROCUREMENT_CONTACT,
        RiskKind.LEGAL_MISSING,
        RiskKind.SECURITY_MISSING,
        RiskKind.PLAN_UNCHANGED,
        RiskKind.NOT_AGREED,
    }
)


def _in_setup(view: DealView, risk: Risk) -> Risk:
    """A set-up gap of a plan in its first days becomes a checklist item (severity "setup")."""
    if risk.kind in SETUP_KINDS and view.in_setup:
        return dataclasses.replace(risk, severity=SETUP)
    return risk


def risks_frame(risks: list[Risk], deals: Sequence[DealRecord]) -> pd.DataFrame:
    """The Risks tab: high severity first, then by deal name; deal_id kept for joins."""
    by_id = {deal.deal_id: deal for deal in deals}
    order = {kind: index for index, kind in enumerate(RiskKind)}
    rows = []
    for risk in risks:
        deal = by_id.get(risk.deal_id)
        rows.append(
            {
                "Deal": deal.name if deal else risk.deal_id,
                "Buyer": deal.buyer_company if deal else "",
                "Owner": deal.owner_email if deal else "",
                "Risk": risk.kind.label,
                "Severity": str(risk.severity),
                "Evidence": risk.evidence,
                "Coaching question": risk.question,
                "deal_id": risk.deal_id,
                "_rank": SEVERITY_RANK.get(str(risk.severity), len(SEVERITY_RANK)),
                "_name": (deal.name if deal else risk.deal_id).casefold(),
                "_kind": order[risk.kind],
            }
        )
    if not rows:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in RISK_COLUMNS})
    frame = pd.DataFrame(rows).sort_values(
        ["_rank", "_name", "deal_id", "_kind"], kind="stable", ignore_index=True
    )
    return frame[RISK_COLUMNS]


def deal_views(data: ReviewInput, steps: pd.DataFrame) -> list[DealView]:
    """One view per deal of the review, in the order of `data.deals`."""
    with_plan = {
        deal.deal_id for deal in data.deals if isinstance(data.snapshots.get(deal.deal_id), Mapping)
    }
    if not steps.empty:
        steps = steps[steps["deal_id"].isin(with_plan)]
    milestone_dates = _signature_steps(steps)
    signatures: dict[str, date] = {}
    for deal in data.deals:
        if deal.deal_id in with_plan:
            facts = _facts(data.snapshots[deal.deal_id])
            found = snapshot_date(facts.get("signature_target")) or milestone_dates.get(
                deal.deal_id
            )
            if found := found or deal.signature_target:
                signatures[deal.deal_id] = found
    step_facts = step_facts_by_deal(steps)
    schedules = deal_schedules(data)
    views = []
    for deal in data.deals:
        template = data.templates.get(deal.template)
        plan = None
        if deal.deal_id in with_plan:
            plan = _plan(
                data.snapshots[deal.deal_id],
                signatures.get(deal.deal_id),
                step_facts.get(deal.deal_id, StepFacts()),
            )
        views.append(
            DealView(
                deal=deal,
                today=data.today,
                thresholds=data.thresholds,
                events=tuple(data.events.get(deal.deal_id, ())),
                template=template,
                plan=plan,
                holidays=frozenset(template.holidays) if template else frozenset(),
                schedule=schedules.get(deal.deal_id) if plan is not None else None,
                outcome=data.outcome(deal),
            )
        )
    return views


def _plan(snapshot: Mapping[str, Any], signature: date | None, steps: StepFacts) -> PlanFacts:
    """What the rules need from one snapshot (hostile JSON tolerated)."""
    people = snapshot.get("stakeholders")
    people = [p for p in people if isinstance(p, Mapping)] if isinstance(people, list) else []
    roles = frozenset(
        p["role"].strip().casefold() for p in people if isinstance(p.get("role"), str)
    )
    return PlanFacts(_facts(snapshot), roles, len(people), signature, steps)


def _facts(snapshot: Mapping[str, Any]) -> Mapping[str, Any]:
    facts = snapshot.get("deal")
    return facts if isinstance(facts, Mapping) else {}


def _signature_steps(steps: pd.DataFrame) -> dict[str, date]:
    """Each deal's signature milestone step's due date, where it has one."""
    if steps.empty:
        return {}
    is_signature = steps["milestone"].astype(str).str.casefold().eq("signature")
    due = pd.to_datetime(steps["due"], errors="coerce")[is_signature].dropna()
    firsts = due.groupby(steps["deal_id"][due.index]).min()
    return {str(deal_id): ts.date() for deal_id, ts in firsts.items()}


def _with_role(roles: pd.Series, role: Role) -> pd.Series:
    """Rows whose roles (a tuple of role names) include this role."""
    name = role.value.casefold()
    return roles.map(
        lambda value: (
            isinstance(value, tuple | list) and any(str(item).casefold() == name for item in value)
        )
    ).astype(bool)


def step_facts_by_deal(steps: pd.DataFrame) -> dict[str, StepFacts]:
    """Aggregate the steps frame per deal in a handful of vectorised group-bys."""
    if steps.empty:
        return {}
    names = steps["name"].fillna("").astype(str).str.strip()
    done = steps["status"].fillna("").astype(str).str.strip().str.casefold().eq("done")
    due = pd.to_datetime(steps["due"], errors="coerce")
    legal = _with_role(steps["roles"], Role.LEGAL) | names.str.contains(LEGAL_WORDS, case=False)
    security = _with_role(steps["roles"], Role.SECURITY)
    security |= names.str.contains(SECURITY_WORDS, case=False)
    side = steps["owner_side"].fillna("").astype(str).str.strip().str.casefold()
    late = steps["overdue"].eq(True) & ~done
    frame = pd.DataFrame(
        {
            "deal_id": steps["deal_id"].astype(str),
            "name": names,
            "step_id": steps["step_id"].fillna("").astype(str).str.strip(),
            "due": due,
            "legal_scheduled": legal & (due.notna() | done),
            "security": security,
            "days": pd.to_numeric(steps["business_days_overdue"], errors="coerce").fillna(0),
            "critical": steps["critical"].eq(True),
        }
    )
    groups = frame.groupby("deal_id", sort=False)
    sums = groups[["legal_scheduled", "security"]].sum().to_dict("index")
    counts = groups.size().to_dict()
    step_ids = groups["step_id"].agg(tuple).to_dict()
    unscheduled = _names(frame[legal & due.isna() & ~done])
    validation = _names(frame[_with_role(steps["roles"], Role.TECHNICAL_EVALUATOR) & ~done])
    overdue = {
        Side.BUYER: _oldest(frame[late & side.isin(BUYER_SIDES)]),
        Side.SELLER: _oldest(frame[late & side.isin(SELLER_SIDES)]),
    }
    return {
        deal_id: StepFacts(
            count=int(counts[deal_id]),
            step_ids=tuple(step_ids[deal_id]),
            legal_scheduled=bool(row["legal_scheduled"]),
            legal_unscheduled=unscheduled.get(deal_id, ()),
            security=bool(row["security"]),
            open_validation=validation.get(deal_id, ()),
            overdue={key: per[deal_id] for key, per in overdue.items() if deal_id in per},
        )
        for deal_id, row in ((str(key), value) for key, value in sums.items())
    }


def _names(rows: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Step names per deal, in plan order."""
    return {
        str(k): tuple(v) for k, v in rows.groupby("deal_id", sort=False)["name"].agg(list).items()
    }


def _oldest(rows: pd.DataFrame) -> dict[str, Overdue]:
    """Per deal: how many overdue rows, and the most overdue one."""
    if rows.empty:
        return {}
    ordered = rows.sort_values(["days", "due"], ascending=[False, True], kind="stable")
    groups = ordered.groupby("deal_id", sort=False)
    counts, critical = groups.size().to_dict(), groups["critical"].any().to_dict()
    result = {}
    for first in groups.head(1).to_dict("records"):
        deal_id, due = str(first["deal_id"]), first["due"]
        result[deal_id] = Overdue(
            count=int(counts[deal_id]),
            oldest=str(first["name"]) or "(unnamed step)",
            oldest_due=due.date() if isinstance(due, pd.Timestamp) and not pd.isna(due) else None,
            oldest_days=int(first["days"]),
            critical=bool(critical[deal_id]),
        )
    return result
