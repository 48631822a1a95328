"""The review's tabs as a manager reads them: people's names, template titles and words (pure).

The tables are computed with addresses, template names and codes (they join on them); this last
step turns what the workbook shows into what people say: a person's name instead of their
address (the name a plan's Stakeholders tab gives them, else one made from the address), a
template's title instead of its file name, "High" instead of "high", and the Steps tab in plain
columns. The `deal_id` and `Plan` columns stay in the frames for joins and the deal links; the
workbook writers leave them out (review_layout.HIDDEN_COLUMNS).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from .review import UNNAMED_STEP
from .review_base import rows_of, snapshot_of
from .review_input import ReviewInput

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# columns that name people, or sentences that may ("Added stakeholder ann@x as Legal")
PEOPLE_COLUMNS = ("Owner", "Step owner", "Customer success", "Who", "What")
SEVERITY_WORDS = {"high": "High", "medium": "Medium", "low": "Low", "setup": "Set-up"}
MILESTONE_WORDS = {"signature": "Signature", "go-live": "Go-live", "go_live": "Go-live"}
STEPS_TAB_COLUMNS = [
    *("Deal", "Phase", "Step", "Side", "Owner", "Due", "Status", "Done on"),
    *("Business days overdue", "Critical", "Milestone", "From template", "Roles", "Sheet row"),
    *("Plan", "deal_id"),
]


def people_names(data: ReviewInput) -> dict[str, str]:
    """Address (lower case) -> the name the plans' Stakeholders tabs give that person."""
    names: dict[str, str] = {}
    for deal in data.deals:
        for person in rows_of(snapshot_of(data, deal.deal_id), "stakeholders"):
            email, name = person.get("email"), person.get("name")
            if isinstance(email, str) and isinstance(name, str) and name.strip():
                names.setdefault(email.strip().lower(), " ".join(name.split()))
    return names


def name_from_address(email: str) -> str:
    """A readable guess at a name from an address: `ann.lee@x` -> `Ann Lee`."""
    local = email.split("@", 1)[0]
    parts = re.split(r"[._+-]+", local)
    return " ".join(part.capitalize() for part in parts if part) or email


def person(who: object, names: Mapping[str, str]) -> str:
    """Every address in `who` replaced by that person's name ("" for nothing)."""
    if who is None or (isinstance(who, float) and pd.isna(who)) or who is pd.NA:
        return ""
    text = str(who).strip()

    def named(match: re.Match[str]) -> str:
        email = match.group(0)
        return names.get(email.lower()) or name_from_address(email)

    return EMAIL.sub(named, text)


def words(code: object) -> str:
    """A code as words: `unreadable_date` -> `Unreadable date` ("" for nothing)."""
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return ""
    text = str(code).strip().replace("_", " ")
    return text[:1].upper() + text[1:]


def template_titles(data: ReviewInput) -> dict[str, str]:
    return {name: template.title for name, template in data.templates.items()}


def _yes_no(values: pd.Series) -> pd.Series:
    return values.fillna(False).astype(bool).map({True: "yes", False: "no"})


def steps_tab(data: ReviewInput, steps: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The Steps tab from `review.steps_frame`: one plain row per step of each plan."""
    deals = {deal.deal_id: deal for deal in data.deals}
    ids = steps["deal_id"].astype(object)
    roles = steps["roles"].map(
        lambda found: ", ".join(words(r) for r in found) if isinstance(found, tuple) else ""
    )
    milestone = steps["milestone"].map(lambda m: MILESTONE_WORDS.get(str(m), "") if m else "")
    frame = pd.DataFrame(
        {
            "Deal": ids.map(lambda d: deals[d].name if d in deals else ""),
            "Phase": steps["phase"].fillna(""),
            "Step": steps["name"].fillna(UNNAMED_STEP),
            "Side": steps["owner_side"].fillna(""),
            "Owner": steps["owner"].map(lambda who: person(who, names)),
            "Due": steps["due"],
            "Status": steps["status"].fillna(""),
            "Done on": steps["done_on"],
            "Business days overdue": steps["business_days_overdue"].astype(int),
            "Critical": _yes_no(steps["critical"]),
            "Milestone": milestone.fillna(""),
            "From template": _yes_no(steps["in_template"]),
            "Roles": roles,
            "Sheet row": steps["row"],
            "Plan": ids.map(lambda d: deals[d].url if d in deals else None),
            "deal_id": ids,
        },
        columns=STEPS_TAB_COLUMNS,
    )
    return frame.reset_index(drop=True)


def _win_loss_names(
    frame: pd.DataFrame, titles: Mapping[str, str], names: Mapping[str, str]
) -> pd.Series:
    return pd.Series(
        [
            titles.get(str(name), str(name)) if by == "Template" else person(name, names)
            for by, name in zip(frame["By"], frame["Name"], strict=True)
        ],
        index=frame.index,
        dtype=object,
    )


def _present_tab(
    title: str, frame: pd.DataFrame, data: ReviewInput, names: Mapping[str, str]
) -> pd.DataFrame:
    """One tab's table with names, titles and words (the frame is not changed)."""
    shown = frame.copy()
    titles = template_titles(data)
    for column in PEOPLE_COLUMNS:
        if column in shown.columns:
            shown[column] = shown[column].map(lambda who: person(who, names)).astype(object)
    if "Template" in shown.columns:
        shown["Template"] = shown["Template"].map(lambda t: titles.get(str(t), t)).astype(object)
    if "Severity" in shown.columns:
        shown["Severity"] = shown["Severity"].map(lambda s: SEVERITY_WORDS.get(str(s), words(s)))
    if title == "Data issues" and "Kind" in shown.columns:
        shown["Kind"] = shown["Kind"].map(words).astype(object)
    if title == "Win-loss" and not shown.empty:
        shown["Name"] = _win_loss_names(shown, titles, names)
    if title == "Pipeline" and "% done" in shown.columns:
        shown["% done"] = shown["% done"].astype(float) / 100  # shown as a percentage
    for column in ("Month",):
        if column in shown.columns:
            shown[column] = pd.to_datetime(shown[column], format="%Y-%m", errors="coerce")
    return _with_links(shown, data)


def _with_links(frame: pd.DataFrame, data: ReviewInput) -> pd.DataFrame:
    """A `Plan` column (each row's plan address) for a tab with deals that lacks one."""
    if "Deal" not in frame.columns or "Plan" in frame.columns:
        return frame
    if "deal_id" in frame.columns:
        urls = {deal.deal_id: deal.url for deal in data.deals}
        return frame.assign(Plan=frame["deal_id"].map(urls))
    by_name: dict[str, str | None] = {}
    for deal in data.deals:
        by_name.setdefault(deal.name, deal.url)
    return frame.assign(Plan=frame["Deal"].map(by_name))


def present(
    frames: Mapping[str, pd.DataFrame], data: ReviewInput, steps: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Every tab as people read it (see the module's docstring); `steps` is `steps_frame(...)`."""
    names = people_names(data)
    shown = {}
    for title, frame in frames.items():
        if title == "Steps":
            shown[title] = steps_tab(data, steps, names)
        else:
            shown[title] = _present_tab(title, frame, data, names)
    return shown
