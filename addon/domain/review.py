"""The pipeline review's tables, computed with pandas from a ReviewInput (pure).

Entry points: steps_frame, forecast, pipeline_frame, activity_frame, velocity_frame,
forecast_by_month, data_issues_frame. Every deal of the input keeps its Pipeline row, with or
without a readable snapshot. Dates are datetime64 (NaT when missing); the workbook writer formats
them. Business days ignore template holidays (see review_base).
"""

from __future__ import annotations

import pandas as pd

from addon.domain.model import Role
from addon.domain.review_base import (
    BUYER_SIDES,
    SELLER_SIDES,
    busdays_between,
    buyer_silence,
    dates_by_deal,
    deal_id_frame,
    deal_tab_frame,
    deals_frame,
    events_frame,
    rows_of,
    slips_frame,
    snapshot_of,
    template_steps_frame,
    timestamp,
    to_dates,
)
from addon.domain.review_forecast import forecast
from addon.domain.review_input import ReviewInput
from addon.domain.review_tables import (
    activity_frame,
    data_issue_rows,
    data_issues_frame,
    forecast_by_month,
    velocity_frame,
)

__all__ = [
    "COVERAGE_ROLES",
    "PIPELINE_COLUMNS",
    "STEP_COLUMNS",
    "activity_frame",
    "data_issues_frame",
    "forecast",
    "forecast_by_month",
    "pipeline_frame",
    "steps_frame",
    "velocity_frame",
]

STEP_COLUMNS = [
    *("deal_id", "step_id", "phase", "name", "owner_side", "owner", "due", "status", "done_on"),
    *("row", "in_template", "critical", "duration_days", "roles", "milestone", "overdue"),
    "business_days_overdue",
]

# Pipeline column -> the stakeholder role whose presence it shows
COVERAGE_ROLES = {
    "Champion": Role.CHAMPION,
    "Economic buyer": Role.ECONOMIC_BUYER,
    "Technical evaluator": Role.TECHNICAL_EVALUATOR,
    "Security": Role.SECURITY,
    "Legal": Role.LEGAL,
    "Procurement": Role.PROCUREMENT,
}

PIPELINE_COLUMNS = [
    *("Deal", "Buyer", "Owner", "Amount", "Template", "Created", "Go-live", "Signature target"),
    *("% done", "Next step", "Next step side", "Next step due", "Overdue (buyer)"),
    *("Overdue (seller)", "Slips", "Slip days", "Last slip", "Days since buyer edit"),
    *COVERAGE_ROLES,
    *("Agreed (buyer)", "Agreed (seller)", "Changed from template", "Projected close"),
    *("Forecast", "Forecast reason", "Risks", "Data issues", "Unreadable since", "Plan"),
    "deal_id",
]

UNNAMED_STEP = "Unnamed step"  # a step the buyer left without a name (its id is not for people)

_SNAPSHOT_STEP_FIELDS = ("id", "phase", "name", "owner_side", "owner", "due", "status", "done_on")


def _text(values: pd.Series) -> pd.Series:
    """Cell values as stripped text, None when blank or missing (buyer text is hostile)."""
    text = values.astype(object).where(values.notna(), None)
    stripped = text.map(lambda value: str(value).strip() if value is not None else None)
    return stripped.where(stripped != "", None).astype(object)


def _folded(values: pd.Series) -> pd.Series:
    """Text compared without case or surrounding blanks ("" for missing)."""
    text = values.astype(object).where(values.notna(), "")  # a column of nothing is float NaN
    return text.astype(str).str.strip().str.casefold()


_MAX_ROW = 10_000_000


def _row_numbers(values: pd.Series) -> pd.Series:
    """Sheet row numbers as nullable integers; anything but a whole number that can be a row
    (a sheet holds at most 10 million cells) is missing."""
    numbers = pd.to_numeric(values.where(values.map(_is_number), None), errors="coerce")
    numbers = numbers.astype(float)
    whole = numbers.between(1, _MAX_ROW) & (numbers == numbers.round())
    return numbers.where(whole).astype("Int64")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def steps_frame(data: ReviewInput) -> pd.DataFrame:
    """One row per step of each deal's latest snapshot, joined to its template step (long format).

    A deal marked unreadable keeps the steps of its last good snapshot. Buyer-added steps (an id
    the template lacks, or none) have in_template False, critical False, duration_days NaN,
    roles () and milestone None.
    """
    raw = pd.DataFrame(
        [
            {"deal_id": deal.deal_id, "template": deal.template, "position": position}
            | {field: step.get(field) for field in _SNAPSHOT_STEP_FIELDS}
            | {"row": step.get("row")}
            for deal in data.deals
            for position, step in enumerate(rows_of(snapshot_of(data, deal.deal_id), "steps"))
        ],
        columns=["deal_id", "template", "position", *_SNAPSHOT_STEP_FIELDS, "row"],
    )
    steps = pd.DataFrame({"deal_id": raw["deal_id"].astype(object), "template": raw["template"]})
    steps["step_id"] = _text(raw["id"])
    for field in ("phase", "name", "owner_side", "owner", "status"):
        steps[field] = _text(raw[field])
    steps["due"] = to_dates(raw["due"].astype(object))
    steps["done_on"] = to_dates(raw["done_on"].astype(object))
    steps["row"] = _row_numbers(raw["row"])
    specs = template_steps_frame(data.templates)
    steps = steps.merge(
        specs[["template", "step_id", "critical", "duration_days", "roles", "milestone"]],
        how="left",
        on=["template", "step_id"],
        indicator="matched",
    )
    steps["in_template"] = steps.pop("matched").eq("both")
    steps["critical"] = steps["critical"].astype(object).where(steps["in_template"], False)
    steps["critical"] = steps["critical"].astype(bool)
    steps["duration_days"] = steps["duration_days"].astype(float)
    steps["roles"] = pd.Series(
        [roles if isinstance(roles, tuple) else () for roles in steps["roles"]],
        index=steps.index,
        dtype=object,
    )
    steps["milestone"] = steps["milestone"].astype(object).where(steps["in_template"], None)
    today = timestamp(data.today)
    done = _folded(steps["status"]).eq("done")
    # a step dated before its plan was made was never the owner's to meet: the plan began late
    # ("Remaining work cannot fit" says so), nobody is behind on it
    deals = deals_frame(data)
    made = steps["deal_id"].map(dict(zip(deals["deal_id"], deals["created"], strict=True)))
    created = pd.to_datetime(made.astype(object), errors="coerce")
    before_plan = (steps["due"] < created).fillna(False).astype(bool)
    steps["overdue"] = (steps["due"] < today) & ~done & ~before_plan
    late = busdays_between(steps["due"], pd.Series(today, index=steps.index))
    steps["business_days_overdue"] = late.where(steps["overdue"], 0).fillna(0).astype(int)
    return steps[STEP_COLUMNS].reset_index(drop=True)


def _progress(data: ReviewInput, steps: pd.DataFrame) -> pd.DataFrame:
    """Per deal: % done, next open step (earliest due, then sheet row), overdue steps by side."""
    done = _folded(steps["status"]).eq("done")
    side = _folded(steps["owner_side"])
    counts = pd.DataFrame(
        {
            "deal_id": steps["deal_id"],
            "total": 1,
            "done": done.astype(int),
            "overdue_buyer": (steps["overdue"] & side.isin(BUYER_SIDES)).astype(int),
            "overdue_seller": (steps["overdue"] & side.isin(SELLER_SIDES)).astype(int),
        }
    )
    sums = counts.groupby("deal_id").sum()
    open_steps = steps[~done].sort_values(["deal_id", "due", "row"], na_position="last")
    following = open_steps.drop_duplicates("deal_id").set_index("deal_id")
    frame = deal_id_frame(data)
    frame = frame.merge(sums, how="left", left_on="deal_id", right_index=True)
    frame[["total", "done", "overdue_buyer", "overdue_seller"]] = (
        frame[["total", "done", "overdue_buyer", "overdue_seller"]].fillna(0).astype(int)
    )
    share = (frame["done"] * 100 / frame["total"].where(frame["total"] > 0)).fillna(0)
    frame["percent_done"] = share.round().astype(int)
    frame["next_step"] = frame["deal_id"].map(following["name"].fillna(UNNAMED_STEP))
    frame["next_side"] = frame["deal_id"].map(following["owner_side"])
    frame["next_due"] = dates_by_deal(frame["deal_id"], following["due"])
    return frame


def _coverage(data: ReviewInput) -> pd.DataFrame:
    """Per deal: "yes"/"no" for each covered role among the snapshot's stakeholders."""
    people = pd.DataFrame(
        [
            {"deal_id": deal.deal_id, "role": person.get("role")}
            for deal in data.deals
            for person in rows_of(snapshot_of(data, deal.deal_id), "stakeholders")
        ],
        columns=["deal_id", "role"],
    )
    roles = _folded(people["role"])
    frame = deal_id_frame(data)
    for column, role in COVERAGE_ROLES.items():
        present = set(people.loc[roles == role.value.casefold(), "deal_id"])
        frame[column] = frame["deal_id"].isin(present).map({True: "yes", False: "no"})
    return frame


def _template_changes(data: ReviewInput, steps: pd.DataFrame) -> pd.DataFrame:
    """Per deal: steps added + removed + renamed against the deal's template (0 without a plan)."""
    specs = template_steps_frame(data.templates)
    deals = deals_frame(data)[["deal_id", "template", "has_snapshot"]]
    template_of = deals.set_index("deal_id")["template"]
    named = steps.assign(template=steps["deal_id"].map(template_of)).merge(
        specs[["template", "step_id", "template_name"]], how="left", on=["template", "step_id"]
    )
    added = ~named["in_template"]
    renamed = named["in_template"] & (_folded(named["name"]) != _folded(named["template_name"]))
    matched = named[named["in_template"]].drop_duplicates(["deal_id", "step_id"])
    per_deal = (
        pd.DataFrame(
            {
                "deal_id": named["deal_id"],
                "added": added.astype(int),
                "renamed": renamed.astype(int),
            }
        )
        .groupby("deal_id")[["added", "renamed"]]
        .sum()
    )
    kept = matched.groupby("deal_id").size()
    template_size = specs.groupby("template").size()
    frame = deals.copy()
    sizes = frame["template"].map(template_size).fillna(0)
    removed = (sizes - frame["deal_id"].map(kept).fillna(0)).clip(lower=0)
    changed = (
        frame["deal_id"].map(per_deal["added"]).fillna(0)
        + frame["deal_id"].map(per_deal["renamed"]).fillna(0)
        + removed
    )
    frame["changed"] = changed.where(frame["has_snapshot"], 0).astype(int)
    return frame[["deal_id", "changed"]]


def pipeline_frame(data: ReviewInput, steps: pd.DataFrame, forecast: pd.DataFrame) -> pd.DataFrame:
    """One row per deal with the Pipeline tab's columns (PIPELINE_COLUMNS), deal_id last.

    A deal without a snapshot, or unreadable, keeps its row from its DealRecord; the step-based
    columns then read 0 / "no" / empty and "Data issues" counts the missing plan.
    """
    deals = deals_frame(data)
    events = events_frame(data)
    frame = deals.merge(_progress(data, steps), on="deal_id", how="left")
    frame = frame.merge(slips_frame(data, events), on="deal_id", how="left")
    frame = frame.merge(buyer_silence(data, events), on="deal_id", how="left")
    frame = frame.merge(_coverage(data), on="deal_id", how="left")
    frame = frame.merge(deal_tab_frame(data), on="deal_id", how="left")
    frame = frame.merge(_template_changes(data, steps), on="deal_id", how="left")
    frame = frame.merge(
        forecast[["deal_id", "projected_close", "category", "reason"]], on="deal_id", how="left"
    )
    issues = data_issue_rows(data).groupby("deal_id").size()
    yes_no = {True: "yes", False: "no"}
    table = pd.DataFrame(
        {
            "Deal": frame["name"],
            "Buyer": frame["buyer_company"],
            "Owner": frame["owner"],
            "Amount": frame["amount"],
            "Template": frame["template"],
            "Created": frame["created"],
            "Go-live": frame["tab_go_live"].fillna(frame["go_live"]),
            "Signature target": frame["tab_signature"].fillna(frame["signature_target"]),
            "% done": frame["percent_done"],
            "Next step": frame["next_step"],
            "Next step side": frame["next_side"],
            "Next step due": frame["next_due"],
            "Overdue (buyer)": frame["overdue_buyer"],
            "Overdue (seller)": frame["overdue_seller"],
            "Slips": frame["slips"],
            "Slip days": frame["slip_days"],
            "Last slip": frame["last_slip"],
            "Days since buyer edit": frame["silent_days"],
            **{column: frame[column] for column in COVERAGE_ROLES},
            "Agreed (buyer)": frame["agreed_buyer"].map(yes_no),
            "Agreed (seller)": frame["agreed_seller"].map(yes_no),
            "Changed from template": frame["changed"],
            "Projected close": frame["projected_close"],
            "Forecast": frame["category"],
            "Forecast reason": frame["reason"],
            "Risks": 0,
            "Data issues": frame["deal_id"].map(issues).fillna(0).astype(int),
            "Unreadable since": frame["unreadable_since"],
            "Plan": frame["url"],
            "deal_id": frame["deal_id"],
        },
        columns=PIPELINE_COLUMNS,
    )
    return table.reset_index(drop=True)
