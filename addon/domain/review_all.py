"""The whole review for one ReviewInput: every tab's table, and the risks behind them."""

from __future__ import annotations

import pandas as pd

from .review import (
    activity_frame,
    data_issues_frame,
    forecast,
    forecast_by_month,
    pipeline_frame,
    steps_frame,
    velocity_frame,
)
from .review_input import ReviewInput
from .review_layout import risk_summary
from .risk_model import SEVERITY_RANK
from .risks import Risk, evaluate, risks_frame


def pipeline_and_risks(
    data: ReviewInput,
) -> tuple[pd.DataFrame, list[Risk], pd.DataFrame, pd.DataFrame]:
    """The Pipeline table with its risk counts, the risks, the steps and the forecast."""
    steps = steps_frame(data)
    projected = forecast(data, steps)
    risks = evaluate(data, steps)
    pipeline = pipeline_frame(data, steps, projected)
    counts = pd.Series([r.deal_id for r in risks], dtype="object").value_counts()
    pipeline["Risks"] = pipeline["deal_id"].map(counts).fillna(0).astype(int)
    return needs_first(pipeline, risks), risks, steps, projected


def needs_first(pipeline: pd.DataFrame, risks: list[Risk]) -> pd.DataFrame:
    """The Pipeline ordered by what needs a manager first: worst risk, then amount, then name.

    A set-up checklist item ranks after every risk; a deal without any comes last.
    """
    worst: dict[str, int] = {}
    for risk in risks:
        rank = SEVERITY_RANK.get(risk.severity, len(SEVERITY_RANK))
        worst[risk.deal_id] = min(worst.get(risk.deal_id, rank), rank)
    order = pipeline.assign(
        _rank=pipeline["deal_id"].map(worst).fillna(len(SEVERITY_RANK)).astype(int),
        _amount=pd.to_numeric(pipeline["Amount"], errors="coerce").fillna(0.0),
        _name=pipeline["Deal"].astype(str).str.casefold(),
    ).sort_values(["_rank", "_amount", "_name"], ascending=[True, False, True], kind="stable")
    return order.drop(columns=["_rank", "_amount", "_name"]).reset_index(drop=True)


def review_frames(data: ReviewInput) -> tuple[dict[str, pd.DataFrame], list[Risk]]:
    """Tab title -> table, in workbook order, and the risks found."""
    pipeline, risks, steps, projected = pipeline_and_risks(data)
    risk_rows = risks_frame(risks, data.deals)
    frames = {
        "Pipeline": pipeline,
        "Steps": steps,
        "Risks": risk_rows,
        "Risk summary": risk_summary(risk_rows),
        "Activity": activity_frame(data),
        "Forecast": forecast_by_month(data, projected),
        "Velocity": velocity_frame(data, steps),
        "Data issues": data_issues_frame(data),
    }
    return frames, risks
