"""The plan spreadsheet is one `spreadsheets.create` body: tabs, rows, rules, protections.

Contracts: /work/shared/DESIGN.md "The plan spreadsheet (what a buyer sees)" and "Data flow:
Create"; https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets (Spreadsheet,
Sheet, GridData, CellData, DataValidationRule, ConditionalFormatRule, ProtectedRange,
DeveloperMetadata).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from layout_examples import (
    AMOUNT,
    GO_LIVE,
    OWNER,
    SERVICE_ACCOUNT,
    STEPS,
    column,
    example_body,
    make_plan,
    rows,
    serial,
    tab,
    validation_list,
    value,
)

from addon.domain.layout import (
    ACTIVITY_HEADERS,
    ACTIVITY_TAB,
    DEAL_TAB,
    LAYOUT_VERSION,
    METADATA_KEYS,
    PLAN_EXTRA_ROWS,
    PLAN_HEADERS,
    PLAN_TAB,
    RESOURCES_TAB,
    STAKEHOLDER_HEADERS,
    STAKEHOLDERS_TAB,
    SUMMARY_TAB,
    TIMELINE_TAB,
    plan_title,
    spreadsheet_body,
)
from addon.domain.model import PlanRequest, Side, StepSpec
from localgoogle import schema


@pytest.fixture
def body() -> dict[str, Any]:
    return example_body()


# ---------------------------------------------------------------- the workbook


def test_the_body_is_a_valid_create_request_for_the_sheets_discovery_schema(body: Any) -> None:
    schema.validate_body("sheets.spreadsheets.create", body)


def test_seven_tabs_come_in_order_with_fixed_sheet_ids(body: Any) -> None:
    props = [s["properties"] for s in body["sheets"]]
    assert [(p["title"], p["sheetId"], p["index"]) for p in props] == [
        (PLAN_TAB, 0, 0),
        (DEAL_TAB, 1, 1),
        (STAKEHOLDERS_TAB, 2, 2),
        (TIMELINE_TAB, 3, 3),
        (ACTIVITY_TAB, 4, 4),
        (SUMMARY_TAB, 5, 5),
        (RESOURCES_TAB, 6, 6),
    ]


def test_title_names_buyer_and_deal_and_can_be_overridden() -> None:
    plan = make_plan()
    assert plan_title(plan) == "Mutual action plan - Acme Corp x Acme rollout"
    body = spreadsheet_body(plan, service_account=SERVICE_ACCOUNT, owner=OWNER, title="Ours")
    assert body["properties"]["title"] == "Ours"


def test_spreadsheet_is_en_us_in_an_iana_time_zone(body: Any) -> None:
    assert body["properties"] == {
        "title": "Mutual action plan - Acme Corp x Acme rollout",
        "locale": "en_US",
        "timeZone": "Etc/GMT",
    }


def test_every_tab_has_its_header_row_bold_and_frozen(body: Any) -> None:
    expected = {
        PLAN_TAB: PLAN_HEADERS,
        DEAL_TAB: ("Fact", "Value", "Whose to give", "Notes"),
        STAKEHOLDERS_TAB: STAKEHOLDER_HEADERS,
        TIMELINE_TAB: ("Step", "Start", "Due", "Committed"),
        ACTIVITY_TAB: ACTIVITY_HEADERS,
    }
    for title, headers in expected.items():
        header = rows(body, title)[0][: len(headers)]
        assert tuple(value(c) for c in header) == headers
        assert all(c["userEnteredFormat"]["textFormat"]["bold"] for c in header)
        assert tab(body, title)["properties"]["gridProperties"]["frozenRowCount"] == 1


def test_developer_metadata_records_deal_template_and_layout_as_strings(body: Any) -> None:
    metadata = body["developerMetadata"]
    assert {m["metadataKey"]: m["metadataValue"] for m in metadata} == {
        "map.deal_id": "deal-42",
        "map.template": "enterprise-saas",
        "map.template_version": "3",
        "map.layout_version": str(LAYOUT_VERSION),
    }
    assert [m["metadataKey"] for m in metadata] == list(METADATA_KEYS)
    assert all(m["location"] == {"spreadsheet": True} for m in metadata)
    assert all(m["visibility"] == "DOCUMENT" for m in metadata)


def test_the_deal_amount_never_reaches_the_sheet() -> None:
    plan = make_plan()
    request = PlanRequest(
        plan.deal_name,
        plan.buyer_company,
        ("ann@acme.test",),
        GO_LIVE,
        "enterprise-saas",
        OWNER,
        amount=AMOUNT,
    )
    assert request.amount == AMOUNT  # the seller knows it; the sheet must not
    text = json.dumps(spreadsheet_body(plan, service_account=SERVICE_ACCOUNT, owner=OWNER))
    assert str(AMOUNT) not in text and "987654" not in text
    assert "amount" not in text.lower() and "forecast" not in text.lower()


def test_data_fits_each_grid_and_columns_have_widths(body: Any) -> None:
    for sheet in body["sheets"]:
        grid = sheet["properties"]["gridProperties"]
        (data,) = sheet["data"]
        assert len(data["rowData"]) <= grid["rowCount"]
        assert all(len(r.get("values", [])) <= grid["columnCount"] for r in data["rowData"])
        assert len(data["columnMetadata"]) == grid["columnCount"]
        assert grid["frozenRowCount"] < grid["rowCount"]


def test_a_long_plan_keeps_the_workbook_well_under_fifty_thousand_cells() -> None:
    many = tuple(
        (StepSpec(f"s{n}", "Phase", f"Step {n}", Side.BUYER, 5), GO_LIVE - timedelta(weeks=n))
        for n in range(80)
    )
    body = spreadsheet_body(make_plan(many), service_account=SERVICE_ACCOUNT, owner=OWNER)
    cells = sum(
        s["properties"]["gridProperties"]["rowCount"]
        * s["properties"]["gridProperties"]["columnCount"]
        for s in body["sheets"]
    )
    assert cells < 30_000


# ---------------------------------------------------------------- Plan


def test_plan_has_one_row_per_step_in_plan_order(body: Any) -> None:
    step_rows = rows(body, PLAN_TAB)[1 : 1 + len(STEPS)]
    assert [[value(c) for c in row[: column("Owner side") + 1]] for row in step_rows] == [
        ["kickoff", "Evaluate", "Kick-off call", "Both"],
        ["security", "Evaluate", "Security review", "Buyer"],
        ["order-form", "Contract", "Send order form", "Seller"],
        ["signature", "Contract", "Signature", "Both"],
        ["go-live", "Launch", "Go-live", "Both"],
    ]


def test_due_dates_are_serial_numbers_shown_as_iso_dates(body: Any) -> None:
    step_rows = rows(body, PLAN_TAB)[1 : 1 + len(STEPS)]
    due = [row[column("Due date")] for row in step_rows]
    assert [c["userEnteredValue"] for c in due] == [{"numberValue": serial(d)} for _, d in STEPS]
    assert all(
        c["userEnteredFormat"]["numberFormat"] == {"type": "DATE", "pattern": "yyyy-mm-dd"}
        for c in due
    )


def test_only_seller_steps_name_the_plan_owner(body: Any) -> None:
    owners = [value(row[column("Owner")]) for row in rows(body, PLAN_TAB)[1 : 1 + len(STEPS)]]
    assert owners == [None, None, OWNER, None, None]


def test_steps_start_not_started_with_done_on_blank_and_the_description_as_notes(body: Any) -> None:
    step_rows = rows(body, PLAN_TAB)[1 : 1 + len(STEPS)]
    assert {value(row[column("Status")]) for row in step_rows} == {"Not started"}
    assert all(value(row[column("Done on")]) is None for row in step_rows)
    assert value(step_rows[1][column("Notes")]) == "Questionnaire and pen-test report"


def test_extra_rows_below_the_steps_are_empty_but_validated(body: Any) -> None:
    plan_rows = rows(body, PLAN_TAB)
    extra = plan_rows[1 + len(STEPS) :]
    assert len(extra) == PLAN_EXTRA_ROWS >= 200
    assert all(value(c) is None for row in extra for c in row)
    assert tab(body, PLAN_TAB)["properties"]["gridProperties"]["rowCount"] == len(plan_rows)


def test_owner_side_and_status_dropdowns_offer_exactly_the_enum_values(body: Any) -> None:
    for row in rows(body, PLAN_TAB)[1:]:
        assert validation_list(row[column("Owner side")]) == ["Buyer", "Seller", "Both"]
        assert validation_list(row[column("Status")]) == [
            "Not started",
            "In progress",
            "Done",
            "Blocked",
        ]


def test_due_date_and_done_on_accept_only_dates_on_every_row(body: Any) -> None:
    for row in rows(body, PLAN_TAB)[1:]:
        for name in ("Due date", "Done on"):
            cell = row[column(name)]
            assert cell["dataValidation"]["condition"] == {"type": "DATE_IS_VALID"}
            assert cell["dataValidation"]["strict"] is True
            assert cell["userEnteredFormat"]["numberFormat"]["pattern"] == "yyyy-mm-dd"


def test_step_id_column_is_the_narrowest(body: Any) -> None:
    (data,) = tab(body, PLAN_TAB)["data"]
    sizes = [m["pixelSize"] for m in data["columnMetadata"]]
    assert sizes[0] == min(sizes)


def test_plan_highlights_overdue_then_blocked_then_done_then_in_progress_rows(body: Any) -> None:
    plan = tab(body, PLAN_TAB)
    row_count = plan["properties"]["gridProperties"]["rowCount"]
    rules = plan["conditionalFormats"]
    formulas = [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for r in rules]
    # first: an open step dated after the milestone row it must come before (found by Step ID)
    assert formulas[0].startswith('=AND(ISNUMBER($F2),$G2<>"Done",OR(AND(OR($A2="')
    assert 'IFERROR($F2>INDEX($F:$F,MATCH("go-live",$A:$A,0)),FALSE)' in formulas[0]
    assert formulas[1:] == [
        '=AND(ISNUMBER($F2), $F2<TODAY(), $G2<>"Done")',
        '=$G2="Blocked"',
        '=$G2="Done"',
        '=$G2="In progress"',
    ]
    assert PLAN_HEADERS[5:7] == ("Due date", "Status")  # F and G
    for rule in rules:
        assert rule["booleanRule"]["condition"]["type"] == "CUSTOM_FORMULA"
        assert rule["ranges"] == [
            {
                "sheetId": 0,
                "startRowIndex": 1,
                "endRowIndex": row_count,
                "startColumnIndex": 0,
                "endColumnIndex": len(PLAN_HEADERS),
            }
        ]


def test_step_ids_carry_a_warning_only_protection_without_editors(body: Any) -> None:
    (protected,) = tab(body, PLAN_TAB)["protectedRanges"]
    assert protected == {
        "range": {"sheetId": 0, "startRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 1},
        "description": "Step IDs link rows to the plan's history; leave them as they are",
        "warningOnly": True,
    }


# ---------------------------------------------------------------- Activity


def test_activity_is_writable_only_by_the_service_account_and_the_owner(body: Any) -> None:
    activity = tab(body, ACTIVITY_TAB)
    (protected,) = activity["protectedRanges"]
    assert protected["range"] == {"sheetId": 4}
    assert protected["warningOnly"] is False
    assert protected["editors"] == {"users": [SERVICE_ACCOUNT, OWNER]}
    assert rows(body, ACTIVITY_TAB) == [rows(body, ACTIVITY_TAB)[0]]  # headers only
