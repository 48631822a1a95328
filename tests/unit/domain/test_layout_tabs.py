"""The Deal, Stakeholders and Timeline tabs of the plan spreadsheet's create body.

Contracts: /work/shared/DESIGN.md "The plan spreadsheet (what a buyer sees)";
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets (CellData,
DataValidationRule, ConditionalFormatRule).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from layout_examples import (
    GO_LIVE,
    OWNER,
    SERVICE_ACCOUNT,
    STEPS,
    example_body,
    make_plan,
    rows,
    serial,
    tab,
    validation_list,
    value,
)

from addon.domain.layout import (
    BUDGET_STATUSES,
    DEAL_FACTS,
    DEAL_TAB,
    PLAN_EXTRA_ROWS,
    STAKEHOLDERS_TAB,
    TIMELINE_TAB,
    FactKind,
    deal_fact,
    spreadsheet_body,
    week_starts,
)
from addon.domain.layout_timeline import (
    TIMELINE_EXTRA_ROWS,
    TIMELINE_MAX_WEEKS,
    TIMELINE_RUNWAY_WEEKS,
)
from addon.domain.model import Milestone, Role, Side, StepSpec


@pytest.fixture
def body() -> dict[str, Any]:
    return example_body()


# ---------------------------------------------------------------- Deal


def test_each_deal_fact_sits_on_its_row_with_its_label_in_column_a(body: Any) -> None:
    deal_rows = rows(body, DEAL_TAB)
    # and the Agreement status, Deal status and the two outlook lines
    assert len(deal_rows) == 1 + len(DEAL_FACTS) + 4
    assert [value(c) for c in deal_rows[-3][:3]] == ["Deal status", "Open", "MAP add-on"]
    signing, go_live = (value(row[1]) for row in deal_rows[-2:])
    assert signing.startswith("Signing: on plan for ") and go_live.startswith(
        "Go-live: on plan for "
    )
    for fact in DEAL_FACTS:
        label, _, whose, _ = deal_rows[fact.row - 1]
        assert value(label) == fact.label
        assert value(whose) == fact.owner_side.label
        assert fact.value_cell == f"Deal!B{fact.row}"
    assert [f.key for f in DEAL_FACTS] == [
        "goal",
        "success_criteria",
        "go_live",
        "signature_target",
        "budget_status",
        "decision_process",
        "alternatives",
        "plan_agreed_buyer",
        "plan_agreed_buyer_on",
        "plan_agreed_seller",
        "plan_agreed_seller_on",
    ]


def deal_value(body: Any, key: str) -> dict[str, Any]:
    return rows(body, DEAL_TAB)[deal_fact(key).row - 1][1]


def test_go_live_and_signature_target_come_prefilled_from_the_schedule(body: Any) -> None:
    assert value(deal_value(body, "go_live")) == serial(GO_LIVE)
    assert value(deal_value(body, "signature_target")) == serial(date(2026, 2, 2))
    assert deal_value(body, "go_live")["dataValidation"]["condition"]["type"] == "DATE_IS_VALID"


def test_a_schedule_without_signature_leaves_the_signature_target_blank() -> None:
    no_signature = tuple(s for s in STEPS if s[0].milestone is not Milestone.SIGNATURE)
    body = spreadsheet_body(make_plan(no_signature), service_account=SERVICE_ACCOUNT, owner=OWNER)
    assert value(deal_value(body, "signature_target")) is None


def test_plan_agreed_facts_are_unticked_checkboxes_each_with_a_date(body: Any) -> None:
    for side in ("buyer", "seller"):
        checkbox = deal_value(body, f"plan_agreed_{side}")
        assert checkbox == {
            "userEnteredValue": {"boolValue": False},
            "dataValidation": {"condition": {"type": "BOOLEAN"}},
        }
        assert deal_fact(f"plan_agreed_{side}_on").kind is FactKind.DATE


def test_budget_status_is_a_dropdown_of_the_budget_statuses(body: Any) -> None:
    assert BUDGET_STATUSES == ("Unknown", "Not budgeted", "Budget identified", "Budget approved")
    assert validation_list(deal_value(body, "budget_status")) == list(BUDGET_STATUSES)


def test_buyer_facts_are_the_buyers_to_give() -> None:
    assert deal_fact("goal").owner_side is Side.BUYER
    assert deal_fact("plan_agreed_seller").owner_side is Side.SELLER
    assert deal_fact("go_live").owner_side is Side.BOTH


# ---------------------------------------------------------------- Stakeholders


def test_stakeholders_are_listed_then_followed_by_empty_rows(body: Any) -> None:
    people = rows(body, STAKEHOLDERS_TAB)
    assert [[value(c) for c in row] for row in people[1:4]] == [
        ["Ann Buyer", "ann@acme.test", "Buyer", "Champion", "Runs the evaluation"],
        ["Sam Seller", OWNER, "Seller", "Account executive", None],
        ["Ida Unknown", "ida@acme.test", "Buyer", None, None],
    ]
    assert len(people) > 4 + 20
    assert all(value(c) is None for row in people[4:] for c in row)


def test_side_and_role_dropdowns_offer_every_side_and_role(body: Any) -> None:
    for row in rows(body, STAKEHOLDERS_TAB)[1:]:
        assert validation_list(row[2]) == ["Buyer", "Seller"]
        assert validation_list(row[3]) == [r.value for r in Role]


# ---------------------------------------------------------------- Timeline


def test_timeline_weeks_run_from_the_first_start_to_go_live_and_a_runway() -> None:
    weeks = week_starts(make_plan().schedule)
    assert weeks[0] == date(2025, 12, 29)  # the Monday of the week of the first start, Dec 31
    assert weeks[-1] == GO_LIVE + timedelta(weeks=TIMELINE_RUNWAY_WEEKS)
    assert all(w.weekday() == 0 for w in weeks)
    assert all(b - a == timedelta(weeks=1) for a, b in zip(weeks, weeks[1:], strict=False))


def test_timeline_weeks_are_capped() -> None:
    long = ((StepSpec("early", "P", "Early", Side.BUYER, 5), GO_LIVE - timedelta(weeks=200)),)
    assert len(week_starts(make_plan(long).schedule)) == TIMELINE_MAX_WEEKS


def test_timeline_header_has_a_date_serial_per_week(body: Any) -> None:
    header = rows(body, TIMELINE_TAB)[0]
    weeks = week_starts(make_plan().schedule)
    assert [value(c) for c in header[4:]] == [serial(w) for w in weeks]
    assert header[4]["userEnteredFormat"]["numberFormat"]["type"] == "DATE"
    grid = tab(body, TIMELINE_TAB)["properties"]["gridProperties"]
    assert grid["columnCount"] == 4 + len(weeks)
    assert (grid["frozenRowCount"], grid["frozenColumnCount"]) == (1, 1)


def test_timeline_rows_follow_the_plan_rows_by_formula(body: Any) -> None:
    timeline = rows(body, TIMELINE_TAB)
    assert [value(c) for c in timeline[1]] == [
        '=IF(Plan!C2="","",Plan!C2)',
        f'=IF(Plan!F2="","",MIN({serial(date(2025, 12, 31))},Plan!F2))',
        '=IF(Plan!F2="","",Plan!F2)',
        serial(make_plan().schedule.steps[0].due),  # committed: a value the buyer's edits leave
    ]
    assert timeline[1][3]["userEnteredFormat"]["numberFormat"]["type"] == "DATE"
    added = timeline[1 + len(STEPS)]  # Plan row 7, the first a buyer adds: no start of its own
    assert value(added[1]) == value(added[2]) == '=IF(Plan!F7="","",Plan!F7)'
    assert added[3] == {}  # and nothing was committed for it
    assert len(timeline) == 1 + len(STEPS) + TIMELINE_EXTRA_ROWS
    assert TIMELINE_EXTRA_ROWS <= PLAN_EXTRA_ROWS


def test_timeline_rules_draw_slips_bars_commitments_then_the_current_week(body: Any) -> None:
    timeline = tab(body, TIMELINE_TAB)
    grid = timeline["properties"]["gridProperties"]
    slipped, bar, was_due, this_week = timeline["conditionalFormats"]
    assert slipped["booleanRule"]["condition"]["values"] == [
        {"userEnteredValue": "=AND(ISNUMBER($C2),ISNUMBER($D2),$C2>$D2,E$1<=$C2,E$1+6>$D2)"}
    ]
    assert bar["booleanRule"]["condition"]["values"] == [
        {"userEnteredValue": "=AND(ISNUMBER($B2),ISNUMBER($C2),E$1<=$C2,E$1+6>=$B2)"}
    ]
    assert was_due["booleanRule"]["condition"]["values"] == [
        {"userEnteredValue": "=AND(ISNUMBER($C2),ISNUMBER($D2),E$1<=$D2,E$1+6>=$D2)"}
    ]
    colours = [r["booleanRule"]["format"]["backgroundColorStyle"] for r in (slipped, bar)]
    assert colours[0] != colours[1]  # a slip is not drawn as plain bar
    assert bar["ranges"] == [
        {
            "sheetId": 3,
            "startRowIndex": 1,
            "endRowIndex": grid["rowCount"],
            "startColumnIndex": 4,
            "endColumnIndex": grid["columnCount"],
        }
    ]
    assert this_week["booleanRule"]["condition"]["values"] == [
        {"userEnteredValue": "=AND(E$1<=TODAY(),TODAY()<E$1+7)"}
    ]
    assert this_week["ranges"][0]["startRowIndex"] == 0


def test_deal_labels_and_the_timeline_warn_before_a_buyer_edits_them(body: Any) -> None:
    labels = tab(body, DEAL_TAB)["protectedRanges"][0]
    assert labels["range"] == {
        "sheetId": 1,
        "startRowIndex": 1,
        "endRowIndex": 1 + len(DEAL_FACTS) + 4,
        "startColumnIndex": 0,
        "endColumnIndex": 1,
    }
    (timeline,) = tab(body, TIMELINE_TAB)["protectedRanges"]
    assert timeline["range"] == {"sheetId": 3}
    for protected in (labels, timeline):
        assert protected["warningOnly"] is True and "editors" not in protected
        assert protected["description"]


def test_each_sides_sign_off_is_protected_for_that_sides_people_and_the_service_account(
    body: Any,
) -> None:
    _, buyer, seller, status, outcome, *outlooks = tab(body, DEAL_TAB)["protectedRanges"]
    assert len(outlooks) == 2 and all(
        o["editors"] == {"users": [SERVICE_ACCOUNT]} for o in outlooks
    )
    for protected, side in ((buyer, "buyer"), (seller, "seller")):
        tick, on = deal_fact(f"plan_agreed_{side}"), deal_fact(f"plan_agreed_{side}_on")
        assert protected["range"] == {
            "sheetId": 1,
            "startRowIndex": tick.row - 1,
            "endRowIndex": on.row,
            "startColumnIndex": 1,
            "endColumnIndex": 2,
        }
        assert protected["warningOnly"] is False
    # The buyers the seller put on the plan; the owner and seller people for the seller.
    assert buyer["editors"] == {"users": [SERVICE_ACCOUNT, "ann@acme.test", "ida@acme.test"]}
    assert seller["editors"] == {"users": [SERVICE_ACCOUNT, OWNER]}
    assert status["editors"] == {"users": [SERVICE_ACCOUNT]} and status["warningOnly"] is False
    label, text, whose, _ = rows(body, DEAL_TAB)[status["range"]["startRowIndex"]]
    assert (value(label), value(text), value(whose)) == (
        "Agreement status",
        "Not agreed yet by either side",
        "MAP add-on",
    )
    # The deal's outcome is the seller's to set, in the add-on; nobody else writes its line.
    assert outcome["editors"] == {"users": [SERVICE_ACCOUNT]} and outcome["warningOnly"] is False
    label, text, _, _ = rows(body, DEAL_TAB)[outcome["range"]["startRowIndex"]]
    assert (value(label), value(text)) == ("Deal status", "Open")


def test_a_deleted_activity_tab_is_put_back_with_its_headers_and_protection() -> None:
    from addon.domain.layout import ACTIVITY_HEADERS, restore_activity_requests

    requests = restore_activity_requests(
        service_account="svc@map.example", owner="sam@vendor.example", sheet_id=9
    )
    added, headers, protected = requests
    assert added["addSheet"]["properties"]["title"] == "Activity"
    assert added["addSheet"]["properties"]["sheetId"] == 9
    assert "index" not in added["addSheet"]["properties"]  # appended after the other tabs
    cells = headers["updateCells"]["rows"][0]["values"]
    assert [c["userEnteredValue"]["stringValue"] for c in cells] == list(ACTIVITY_HEADERS)
    guard = protected["addProtectedRange"]["protectedRange"]
    assert guard["range"] == {"sheetId": 9} and not guard["warningOnly"]
    assert guard["editors"]["users"] == ["svc@map.example", "sam@vendor.example"]


def test_the_steps_that_must_end_before_signing_in_the_shipped_mid_market_template() -> None:
    """Read off sheets_templates/mid-market.yaml's `before` chains by hand."""
    from addon.domain.layout_tabs import steps_before
    from addon.domain.templates import find_template

    template = find_template("mid-market")
    assert steps_before(template, "signature") == [
        *("discovery", "mutual-plan", "trial", "proposal", "decision"),
        *("security-questionnaire", "terms-review", "order-form"),
    ]
    assert steps_before(template, "go-live") == [s.id for s in template.steps if s.id != "go-live"]
