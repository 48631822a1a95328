"""The whole review for one ReviewInput: every tab's table, and the risks behind them."""

from __future__ import annotations

from datetime import datetime

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
from .review_accuracy import accuracy_frame
from .review_closed import closed_frame, onboarding_frame, split_by_outcome, win_loss_frame
from .review_input import ReviewInput
from .review_layout import risk_summary
from .review_present import present
from .review_week import forecast_totals, this_week
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
    """Tab title -> table as people read it (review_present), in workbook order, and the risks.

    Closed deals (won or lost: domain/outcome.py) leave the live tabs for Onboarding (won),
    Closed and Win-loss; an on-hold deal stays live, forecast "On hold" until its revisit date.
    """
    live, closed, won = split_by_outcome(data)
    pipeline, risks, steps, projected = pipeline_and_risks(live)
    pipeline = on_hold(live, pipeline)
    risk_rows = risks_frame(risks, live.deals)
    built = data.built_at or datetime.combine(data.today, datetime.min.time())
    frames = {
        "This week": this_week(live, pipeline, projected, risks),
        "Forecast totals": forecast_totals(pipeline, built),
        "Pipeline": pipeline,
        "Steps": steps,
        "Risks": risk_rows,
        "Risk summary": risk_summary(risk_rows),
        "Activity": activity_frame(data),
        "Forecast": forecast_by_month(live, projected),
        "Velocity": velocity_frame(live, steps),
        "Data issues": data_issues_frame(live),
        "Onboarding": onboarding_frame(won, steps_frame(won)),
        "Closed": closed_frame(closed),
        "Win-loss": win_loss_frame(closed),
        "Forecast accuracy": accuracy_frame(closed),
    }
    return present(frames, data, steps), risks


def on_hold(data: ReviewInput, pipeline: pd.DataFrame) -> pd.DataFrame:
    """The Pipeline with on-hold deals' forecast saying so, and until when."""
    held = {
        deal.deal_id: outcome.describe()
        for deal in data.deals
        if (outcome := data.outcome(deal)) is not None and outcome.on_hold(data.today)
    }
    if not held:
        return pipeline
    marked = pipeline.copy()
    rows = marked["deal_id"].isin(list(held))
    marked.loc[rows, "Forecast"] = "On hold"
    marked.loc[rows, "Forecast reason"] = marked.loc[rows, "deal_id"].map(held)
    return marked
