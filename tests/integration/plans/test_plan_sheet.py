"""A plan spreadsheet is created in one Sheets request and reads back as it was laid out.

Through the local Google stand-in with google-api-python-client, as the services will do it.
Contracts: /work/shared/DESIGN.md "Data flow: Create" (one `spreadsheets.create`) and "The plan
spreadsheet (what a buyer sees)"; https://developers.google.com/sheets/api/reference/rest/v4/
spreadsheets#ProtectedRange (warning-only ranges never block; editors may write the others).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
import requests
from googleapiclient.errors import HttpError

from addon.domain.layout import (
    ACTIVITY_HEADERS,
    PLAN_HEADERS,
    STAKEHOLDER_HEADERS,
    deal_fact,
    spreadsheet_body,
)
from addon.domain.model import (
    Milestone,
    PlanDocument,
    Role,
    Schedule,
    ScheduledStep,
    Side,
    Stakeholder,
    StepSpec,
    Template,
)
from localgoogle.server import Running

OWNER = "sam@vendor.test"
SERVICE_ACCOUNT = "map-watcher@vendor-project.iam.gserviceaccount.com"
BUYER = "ann@acme.test"
GO_LIVE = date(2026, 3, 2)
SIGNATURE = date(2026, 2, 2)
PROTECTED = (
    "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to "
    "remove protection if you need to edit."
)


def serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


def make_plan() -> PlanDocument:
    """Three steps and two milestones, scheduled by hand."""
    specs_and_dates = (
        (StepSpec("kickoff", "Evaluate", "Kick-off call", Side.BOTH, 1), date(2026, 1, 7)),
        (
            StepSpec("security", "Evaluate", "Security review", Side.BUYER, 10),
            date(2026, 1, 21),
        ),
        (
            StepSpec("order-form", "Contract", "Send order form", Side.SELLER, 2),
            date(2026, 1, 26),
        ),
        (
            StepSpec(
                "signature",
                "Contract",
                "Signature",
                Side.BOTH,
                0,
                milestone=Milestone.SIGNATURE,
            ),
            SIGNATURE,
        ),
        (
            StepSpec("go-live", "Launch", "Go-live", Side.BOTH, 0, milestone=Milestone.GO_LIVE),
            GO_LIVE,
        ),
    )
    steps = tuple(
        ScheduledStep(spec, due - timedelta(days=7) if spec.duration_days else due, due)
        for spec, due in specs_and_dates
    )
    template = Template("enterprise-saas", "Enterprise SaaS", 3, "", tuple(s.spec for s in steps))
    return PlanDocument(
        deal_id="deal-42",
        deal_name="Acme rollout",
        buyer_company="Acme Corp",
        template=template,
        schedule=Schedule(GO_LIVE, steps),
        stakeholders=(Stakeholder("Ann Buyer", BUYER, Side.BUYER, Role.CHAMPION),),
    )


PLAN = make_plan()


def stats(local_google: Running) -> dict[str, int]:
    got: dict[str, Any] = requests.get(f"{local_google.url}/_local/stats", timeout=10).json()
    return dict(got["by_method"])


@pytest.fixture
def sid(sheets: Any, drive: Any) -> str:
    """A plan spreadsheet created by the seller and shared with the buyer as a writer."""
    body = spreadsheet_body(PLAN, service_account=SERVICE_ACCOUNT, owner=OWNER)
    created = sheets(OWNER).spreadsheets().create(body=body).execute()
    spreadsheet_id = str(created["spreadsheetId"])
    drive(OWNER).permissions().create(
        fileId=spreadsheet_id,
        body={"type": "user", "role": "writer", "emailAddress": BUYER},
        sendNotificationEmail=False,
    ).execute()
    return spreadsheet_id


def batch_get(sheets: Any, sid: str, ranges: list[str], render: str) -> list[list[list[Any]]]:
    got = (
        sheets(OWNER)
        .spreadsheets()
        .values()
        .batchGet(spreadsheetId=sid, ranges=ranges, valueRenderOption=render)
        .execute()
    )
    return [vr.get("values", []) for vr in got["valueRanges"]]


def write(sheets: Any, email: str, sid: str, rng: str, value: Any) -> dict[str, Any]:
    result: dict[str, Any] = (
        sheets(email)
        .spreadsheets()
        .values()
        .update(
            spreadsheetId=sid,
            range=rng,
            valueInputOption="USER_ENTERED",
            body={"values": [[value]]},
        )
        .execute()
    )
    return result


def test_a_plan_spreadsheet_is_created_in_exactly_one_sheets_request(
    sheets: Any, local_google: Running
) -> None:
    body = spreadsheet_body(PLAN, service_account=SERVICE_ACCOUNT, owner=OWNER)
    before = stats(local_google)
    sheets(OWNER).spreadsheets().create(body=body).execute()
    after = stats(local_google)
    grown = {k: n - before.get(k, 0) for k, n in after.items() if n != before.get(k, 0)}
    assert grown == {"sheets.spreadsheets.create": 1}


def test_tabs_grid_sizes_and_frozen_panes_read_back(sheets: Any, sid: str) -> None:
    got = (
        sheets(OWNER)
        .spreadsheets()
        .get(spreadsheetId=sid, fields="properties(title,locale,timeZone),sheets.properties")
        .execute()
    )
    assert got["properties"] == {
        "title": "Mutual action plan - Acme Corp x Acme rollout",
        "locale": "en_US",
        "timeZone": "Etc/GMT",
    }
    props = [s["properties"] for s in got["sheets"]]
    assert [(p["sheetId"], p["title"]) for p in props] == [
        (0, "Plan"),
        (1, "Deal"),
        (2, "Stakeholders"),
        (3, "Timeline"),
        (4, "Activity"),
        (5, "Executive summary"),
        (6, "Resources"),
    ]
    assert [p["gridProperties"]["frozenRowCount"] for p in props] == [1] * 7
    assert props[3]["gridProperties"]["frozenColumnCount"] == 1
    cells = sum(p["gridProperties"]["rowCount"] * p["gridProperties"]["columnCount"] for p in props)
    assert cells < 50_000


def test_headers_and_steps_read_back_with_due_dates_as_serials(sheets: Any, sid: str) -> None:
    plan, people, activity = batch_get(
        sheets, sid, ["Plan!A1:I7", "Stakeholders!A1:E3", "Activity"], "UNFORMATTED_VALUE"
    )
    assert tuple(plan[0]) == PLAN_HEADERS
    assert plan[1:6] == [
        [
            "kickoff",
            "Evaluate",
            "Kick-off call",
            "Both",
            "",
            serial(date(2026, 1, 7)),
            "Not started",
        ],
        [
            "security",
            "Evaluate",
            "Security review",
            "Buyer",
            "",
            serial(date(2026, 1, 21)),
            "Not started",
        ],
        [
            "order-form",
            "Contract",
            "Send order form",
            "Seller",
            OWNER,
            serial(date(2026, 1, 26)),
            "Not started",
        ],
        ["signature", "Contract", "Signature", "Both", "", serial(SIGNATURE), "Not started"],
        ["go-live", "Launch", "Go-live", "Both", "", serial(GO_LIVE), "Not started"],
    ]
    assert tuple(people[0]) == STAKEHOLDER_HEADERS
    assert people[1] == ["Ann Buyer", BUYER, "Buyer", "Champion"]
    assert [tuple(row) for row in activity] == [ACTIVITY_HEADERS]


def test_dates_show_formatted_as_iso_dates(sheets: Any, sid: str) -> None:
    (due,) = batch_get(sheets, sid, ["Plan!F2:F6"], "FORMATTED_VALUE")
    assert due == [["2026-01-07"], ["2026-01-21"], ["2026-01-26"], ["2026-02-02"], ["2026-03-02"]]


def test_deal_facts_read_back_prefilled_and_unticked(sheets: Any, sid: str) -> None:
    (deal,) = batch_get(sheets, sid, ["Deal!A1:C12"], "UNFORMATTED_VALUE")
    by_label = {row[0]: row[1:] for row in deal[1:]}
    assert by_label[deal_fact("go_live").label][0] == serial(GO_LIVE)
    assert by_label[deal_fact("signature_target").label][0] == serial(SIGNATURE)
    assert by_label[deal_fact("plan_agreed_buyer").label] == [False, "Buyer"]
    assert by_label[deal_fact("goal").label] == ["", "Buyer"]


def test_dropdowns_and_date_checks_are_on_the_cells(sheets: Any, sid: str) -> None:
    got = (
        sheets(OWNER)
        .spreadsheets()
        .get(
            spreadsheetId=sid,
            ranges=["Plan!D2:H2", "Plan!D200:H200"],
            fields="sheets(data(rowData(values(dataValidation))))",
        )
        .execute()
    )
    for data in got["sheets"][0]["data"]:
        owner_side, _, due, status, done_on = data["rowData"][0]["values"]
        assert owner_side["dataValidation"]["condition"]["type"] == "ONE_OF_LIST"
        assert [v["userEnteredValue"] for v in status["dataValidation"]["condition"]["values"]] == [
            "Not started",
            "In progress",
            "Done",
            "Blocked",
        ]
        assert due["dataValidation"]["condition"]["type"] == "DATE_IS_VALID"
        assert done_on["dataValidation"]["condition"]["type"] == "DATE_IS_VALID"


def test_conditional_formats_protections_and_metadata_read_back(sheets: Any, sid: str) -> None:
    got = (
        sheets(OWNER)
        .spreadsheets()
        .get(
            spreadsheetId=sid,
            fields="sheets(properties.title,conditionalFormats,protectedRanges),developerMetadata",
        )
        .execute()
    )
    by_title = {s["properties"]["title"]: s for s in got["sheets"]}
    plan_rules = by_title["Plan"]["conditionalFormats"]
    formulas = [r["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for r in plan_rules]
    assert 'MATCH("go-live",$A:$A,0)' in formulas[0]  # pushes a milestone: the first rule
    assert formulas[1:] == [
        '=AND(ISNUMBER($F2), $F2<TODAY(), $G2<>"Done")',
        '=$G2="Blocked"',
        '=$G2="Done"',
        '=$G2="In progress"',
    ]
    assert len(by_title["Timeline"]["conditionalFormats"]) == 4
    (activity,) = by_title["Activity"]["protectedRanges"]
    assert activity["editors"] == {"users": [SERVICE_ACCOUNT, OWNER]}
    assert activity.get("warningOnly", False) is False  # Google leaves a false out (proto3)
    assert activity["requestingUserCanEdit"] is True
    (step_ids,) = by_title["Plan"]["protectedRanges"]
    assert step_ids["warningOnly"] is True
    assert {m["metadataKey"]: m["metadataValue"] for m in got["developerMetadata"]} == {
        "map.deal_id": "deal-42",
        "map.template": "enterprise-saas",
        "map.template_version": "3",
        "map.layout_version": "1",
    }


def test_developer_metadata_finds_the_deal_id(sheets: Any, sid: str) -> None:
    body = {"dataFilters": [{"developerMetadataLookup": {"metadataKey": "map.deal_id"}}]}
    found = sheets(OWNER).spreadsheets().developerMetadata().search(spreadsheetId=sid, body=body)
    (match,) = found.execute()["matchedDeveloperMetadata"]
    assert match["developerMetadata"]["metadataValue"] == "deal-42"
    assert match["developerMetadata"]["location"]["locationType"] == "SPREADSHEET"


def test_timeline_formulas_show_the_plan_dates(sheets: Any, sid: str) -> None:
    (timeline,) = batch_get(sheets, sid, ["Timeline!A1:E3"], "UNFORMATTED_VALUE")
    assert timeline[0][:5] == ["Step", "Start", "Due", "Committed", serial(date(2025, 12, 29))]
    kick_off = serial(date(2026, 1, 7))
    assert timeline[1] == ["Kick-off call", serial(date(2025, 12, 31)), kick_off, kick_off]
    assert timeline[2][0] == "Security review"


def test_timeline_follows_a_due_date_the_buyer_moves(sheets: Any, sid: str) -> None:
    write(sheets, BUYER, sid, "Plan!F3", "2026-02-04")
    write(sheets, BUYER, sid, "Plan!C7", "Procurement review")
    write(sheets, BUYER, sid, "Plan!F7", "2026-02-10")
    (timeline,) = batch_get(sheets, sid, ["Timeline!A3:D7"], "UNFORMATTED_VALUE")
    # projected (the Plan's date now) against committed (the date both sides saw at creation)
    assert timeline[0] == [
        "Security review",
        serial(date(2026, 1, 14)),
        serial(date(2026, 2, 4)),
        serial(date(2026, 1, 21)),
    ]
    assert timeline[4] == [
        "Procurement review",
        serial(date(2026, 2, 10)),
        serial(date(2026, 2, 10)),
    ]


def test_a_buyer_cannot_write_into_the_activity_tab(sheets: Any, sid: str) -> None:
    with pytest.raises(HttpError) as caught:
        write(sheets, BUYER, sid, "Activity!A2", "forged event")
    assert caught.value.resp.status == 400
    assert json.loads(caught.value.content)["error"]["message"] == PROTECTED


def test_the_owner_and_the_service_account_may_write_into_activity(
    sheets: Any, drive: Any, sid: str
) -> None:
    drive(OWNER).permissions().create(
        fileId=sid,
        body={"type": "user", "role": "writer", "emailAddress": SERVICE_ACCOUNT},
        sendNotificationEmail=False,
    ).execute()
    assert write(sheets, SERVICE_ACCOUNT, sid, "Activity!A2", "event")["updatedCells"] == 1
    assert write(sheets, OWNER, sid, "Activity!A3", "event")["updatedCells"] == 1


def test_a_buyer_can_write_plan_rows_and_step_ids(sheets: Any, sid: str) -> None:
    assert write(sheets, BUYER, sid, "Plan!G2", "Done")["updatedCells"] == 1
    assert write(sheets, BUYER, sid, "Plan!A2", "renamed")["updatedCells"] == 1  # warning only
    assert write(sheets, BUYER, sid, "Plan!B30", "Procurement")["updatedCells"] == 1


def test_the_step_id_column_is_hidden_and_the_others_shown(sheets: Any, sid: str) -> None:
    """People read names, not machine ids: the watch reads column A, nobody needs to see it."""
    got = (
        sheets(OWNER)
        .spreadsheets()
        .get(spreadsheetId=sid, ranges=["Plan!A1:I1"], fields="sheets.data.columnMetadata")
        .execute()
    )
    columns = got["sheets"][0]["data"][0]["columnMetadata"]
    assert [bool(c.get("hiddenByUser")) for c in columns] == [True] + [False] * 8
