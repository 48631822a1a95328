"""The Steps and Pipeline tables of the review, on the hand-built pipeline of review_examples."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from review_examples import pipeline

from addon.domain.review import (
    PIPELINE_COLUMNS,
    STEP_COLUMNS,
    forecast,
    pipeline_frame,
    steps_frame,
)
from addon.domain.review_input import ReviewInput


@pytest.fixture(scope="module")
def data() -> ReviewInput:
    return pipeline()


@pytest.fixture(scope="module")
def steps(data: ReviewInput) -> pd.DataFrame:
    return steps_frame(data)


@pytest.fixture(scope="module")
def rows(data: ReviewInput, steps: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Pipeline rows by deal name."""
    table = pipeline_frame(data, steps, forecast(data, steps))
    return {
        str(row["Deal"]): {str(k): v for k, v in row.items()} for row in table.to_dict("records")
    }


def _step(steps: pd.DataFrame, deal_id: str, name: str) -> dict[str, Any]:
    found = steps[(steps["deal_id"] == deal_id) & (steps["name"] == name)]
    assert len(found) == 1
    return dict(found.iloc[0])


def test_steps_frame_has_one_row_per_snapshot_step_in_the_agreed_columns(
    steps: pd.DataFrame,
) -> None:
    assert list(steps.columns) == STEP_COLUMNS
    assert steps.groupby("deal_id").size().to_dict() == {"a": 4, "b": 4, "c": 4, "d": 4}
    assert steps["due"].dtype.kind == "M" and steps["done_on"].dtype.kind == "M"


def test_steps_take_critical_duration_roles_and_milestone_from_the_template(
    steps: pd.DataFrame,
) -> None:
    legal = _step(steps, "a", "Legal review")
    assert (legal["in_template"], legal["critical"], legal["duration_days"]) == (True, True, 5.0)
    assert legal["roles"] == ("Legal",)
    assert _step(steps, "a", "Signature")["milestone"] == "signature"


def test_a_buyer_added_step_is_not_in_the_template(steps: pd.DataFrame) -> None:
    added = _step(steps, "b", "Procurement review")
    assert not added["in_template"] and not added["critical"]
    assert pd.isna(added["duration_days"])
    assert added["roles"] == () and added["milestone"] is None


def test_overdue_steps_count_business_days_from_due_to_today(steps: pd.DataFrame) -> None:
    # today is Monday 2027-02-01
    assert _step(steps, "b", "Legal review")["business_days_overdue"] == 3  # Wed 27 Jan
    assert _step(steps, "d", "Evaluation")["business_days_overdue"] == 1  # Fri 29 Jan
    done_late = _step(steps, "b", "Pilot")
    assert not done_late["overdue"] and done_late["business_days_overdue"] == 0


def test_pipeline_has_the_workbook_headers_in_order_with_deal_id_last(
    data: ReviewInput, steps: pd.DataFrame
) -> None:
    table = pipeline_frame(data, steps, forecast(data, steps))
    assert list(table.columns) == PIPELINE_COLUMNS
    assert table.columns[-1] == "deal_id"
    assert list(table["Deal"]) == ["Acme", "Bolt", "Cobalt", "Delta", "Echo"]


def test_percent_done_and_next_step_with_its_side_and_due_date(
    rows: dict[str, dict[str, Any]],
) -> None:
    acme = rows["Acme"]
    assert acme["% done"] == 25
    assert (acme["Next step"], acme["Next step side"]) == ("Legal review", "Buyer")
    assert acme["Next step due"] == pd.Timestamp("2027-02-08")
    assert rows["Delta"]["% done"] == 0
    assert rows["Delta"]["Next step"] == "Kickoff"  # the earliest open step, the seller's


def test_overdue_steps_are_counted_by_owner_side(rows: dict[str, dict[str, Any]]) -> None:
    assert (rows["Bolt"]["Overdue (buyer)"], rows["Bolt"]["Overdue (seller)"]) == (1, 0)
    assert (rows["Delta"]["Overdue (buyer)"], rows["Delta"]["Overdue (seller)"]) == (1, 1)
    assert (rows["Acme"]["Overdue (buyer)"], rows["Acme"]["Overdue (seller)"]) == (0, 0)


def test_slips_count_only_dates_moved_later(rows: dict[str, dict[str, Any]]) -> None:
    delta = rows["Delta"]
    assert (delta["Slips"], delta["Slip days"]) == (2, 12)  # the pull-in of 2 days is no slip
    assert delta["Last slip"] == pd.Timestamp("2027-01-20")
    assert (rows["Cobalt"]["Slips"], rows["Cobalt"]["Slip days"]) == (1, 4)
    assert rows["Acme"]["Slips"] == 0 and pd.isna(rows["Acme"]["Last slip"])


def test_buyer_silence_counts_from_the_last_buyer_edit_else_from_creation(
    rows: dict[str, dict[str, Any]],
) -> None:
    assert rows["Acme"]["Days since buyer edit"] == 3
    assert rows["Bolt"]["Days since buyer edit"] == 12  # the seller's later edit does not count
    assert rows["Cobalt"]["Days since buyer edit"] == 62  # never edited: since 2026-12-01


def test_stakeholder_coverage_reads_roles_whatever_their_case(
    rows: dict[str, dict[str, Any]],
) -> None:
    roles = ["Champion", "Economic buyer", "Technical evaluator", "Security", "Legal"]
    assert [rows["Acme"][role] for role in [*roles, "Procurement"]] == [
        *("yes", "yes", "no", "no", "yes", "no"),
    ]
    assert rows["Bolt"]["Procurement"] == "yes"
    assert (rows["Cobalt"]["Technical evaluator"], rows["Cobalt"]["Security"]) == ("yes", "yes")


def test_agreement_comes_from_the_deal_tab_checkboxes(rows: dict[str, dict[str, Any]]) -> None:
    assert (rows["Acme"]["Agreed (buyer)"], rows["Acme"]["Agreed (seller)"]) == ("yes", "yes")
    assert (rows["Bolt"]["Agreed (buyer)"], rows["Bolt"]["Agreed (seller)"]) == ("yes", "no")


def test_changes_from_template_add_added_removed_and_renamed_steps(
    rows: dict[str, dict[str, Any]],
) -> None:
    assert rows["Bolt"]["Changed from template"] == 3  # procurement added, kickoff gone, Pilot
    assert rows["Acme"]["Changed from template"] == 0


def test_signature_target_prefers_the_deal_tab(rows: dict[str, dict[str, Any]]) -> None:
    assert rows["Acme"]["Signature target"] == pd.Timestamp("2027-02-16")
    assert rows["Bolt"]["Signature target"] == pd.Timestamp("2027-02-09")  # from the deal record


def test_an_unreadable_deal_without_snapshot_keeps_its_row(
    rows: dict[str, dict[str, Any]],
) -> None:
    echo = rows["Echo"]
    assert (echo["Buyer"], echo["Amount"], echo["Plan"]) == (
        "Echo Inc",
        10_000.0,
        "https://sheets.example/e",
    )
    assert (echo["% done"], echo["Data issues"], echo["Forecast"]) == (0, 1, "At risk")
    assert echo["Days since buyer edit"] == 7
    assert rows["Cobalt"]["Data issues"] == 1 and rows["Acme"]["Risks"] == 0


def test_a_deal_never_read_keeps_its_row_and_counts_a_data_issue() -> None:
    data = pipeline()
    data = ReviewInput(
        today=data.today,
        deals=data.deals,
        snapshots={},
        events={},
        templates=data.templates,
    )
    steps = steps_frame(data)
    table = pipeline_frame(data, steps, forecast(data, steps))
    assert len(steps) == 0 and len(table) == 5
    assert table["Data issues"].tolist() == [1] * 5
    assert table["Forecast"].tolist() == ["At risk"] * 5
