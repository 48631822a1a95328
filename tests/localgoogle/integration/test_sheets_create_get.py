"""spreadsheets.create with a full body, read back with spreadsheets.get through the real client.

Contracts:
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/create
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get
  ("includeGridData ... This parameter is ignored if a field mask was set in the request.")
- https://developers.google.com/sheets/api/guides/field-masks
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#GridData
"""

from __future__ import annotations

from typing import Any

import pytest

from addon.google.clients import Backend, sheets_service

OWNER = "ann@acme.test"
PLAN_ID = 11
DEAL_ID = 22

STATUS_RULE = {
    "condition": {
        "type": "ONE_OF_LIST",
        "values": [{"userEnteredValue": "Not started"}, {"userEnteredValue": "Done"}],
    },
    "strict": True,
    "showCustomUi": True,
}


def cell(**user_entered: Any) -> dict[str, Any]:
    return {"userEnteredValue": user_entered}


def full_body() -> dict[str, Any]:
    """A create body as the add-on sends it: tabs, cells, validation, formats, protection."""
    return {
        "properties": {"title": "MAP - Acme", "locale": "en_US", "timeZone": "Europe/Berlin"},
        "sheets": [
            {
                "properties": {
                    "sheetId": PLAN_ID,
                    "title": "Plan",
                    "gridProperties": {"rowCount": 50, "columnCount": 6, "frozenRowCount": 1},
                },
                "data": [
                    {
                        "startRow": 0,
                        "startColumn": 0,
                        "rowData": [
                            {"values": [cell(stringValue="Step"), cell(stringValue="Status")]},
                            {
                                "values": [
                                    cell(stringValue="Kickoff"),
                                    {**cell(stringValue="Done"), "dataValidation": STATUS_RULE},
                                    cell(numberValue=3),
                                    cell(boolValue=True),
                                    cell(formulaValue="=C2*2"),
                                ]
                            },
                        ],
                    }
                ],
                "conditionalFormats": [
                    {
                        "ranges": [{"sheetId": PLAN_ID, "startRowIndex": 1, "endRowIndex": 50}],
                        "booleanRule": {
                            "condition": {
                                "type": "TEXT_EQ",
                                "values": [{"userEnteredValue": "Blocked"}],
                            },
                            "format": {"backgroundColor": {"red": 1, "green": 0.8, "blue": 0.8}},
                        },
                    }
                ],
                "protectedRanges": [
                    {
                        "range": {"sheetId": PLAN_ID, "startRowIndex": 0, "endRowIndex": 1},
                        "description": "Header",
                        "warningOnly": False,
                        "editors": {"users": [OWNER]},
                    }
                ],
                "developerMetadata": [
                    {
                        "metadataKey": "map.tab",
                        "metadataValue": "plan",
                        "location": {"sheetId": PLAN_ID},
                        "visibility": "DOCUMENT",
                    }
                ],
            },
            {
                "properties": {
                    "sheetId": DEAL_ID,
                    "title": "Deal facts",
                    "gridProperties": {"rowCount": 20, "columnCount": 2},
                },
                "data": [{"rowData": [{"values": [cell(stringValue="Go-live")]}]}],
            },
        ],
        "developerMetadata": [
            {
                "metadataKey": "map.deal",
                "metadataValue": "acme-2026",
                "location": {"spreadsheet": True},
                "visibility": "DOCUMENT",
            }
        ],
    }


@pytest.fixture(scope="module")
def created(local_google: Any) -> dict[str, Any]:
    service = sheets_service(Backend.local(local_google.url, OWNER))
    result: dict[str, Any] = service.spreadsheets().create(body=full_body()).execute()
    return result


def get(sheets: Any, spreadsheet_id: str, **kwargs: Any) -> dict[str, Any]:
    result: dict[str, Any] = (
        sheets(OWNER).spreadsheets().get(spreadsheetId=spreadsheet_id, **kwargs).execute()
    )
    return result


def test_create_answers_the_spreadsheet_with_ids_url_and_sheet_properties(
    created: dict[str, Any],
) -> None:
    sid = created["spreadsheetId"]
    assert len(sid) == 44
    assert created["spreadsheetUrl"] == f"https://docs.google.com/spreadsheets/d/{sid}/edit"
    assert created["properties"]["title"] == "MAP - Acme"
    assert created["properties"]["timeZone"] == "Europe/Berlin"
    assert [s["properties"] for s in created["sheets"]] == [
        {
            "sheetId": PLAN_ID,
            "title": "Plan",
            "index": 0,
            "sheetType": "GRID",
            "gridProperties": {"rowCount": 50, "columnCount": 6, "frozenRowCount": 1},
        },
        {
            "sheetId": DEAL_ID,
            "title": "Deal facts",
            "index": 1,
            "sheetType": "GRID",
            "gridProperties": {"rowCount": 20, "columnCount": 2},
        },
    ]


def test_create_assigns_ids_to_protected_ranges_and_metadata(created: dict[str, Any]) -> None:
    plan = created["sheets"][0]
    (protected,) = plan["protectedRanges"]
    assert isinstance(protected["protectedRangeId"], int)
    assert protected["range"] == {"sheetId": PLAN_ID, "startRowIndex": 0, "endRowIndex": 1}
    assert protected["description"] == "Header"
    assert protected["requestingUserCanEdit"] is True  # output only: the creator owns the file
    assert protected["editors"] == {"users": [OWNER]}
    (sheet_meta,) = plan["developerMetadata"]
    assert sheet_meta["location"] == {"locationType": "SHEET", "sheetId": PLAN_ID}
    (top_meta,) = created["developerMetadata"]
    assert top_meta["location"] == {"locationType": "SPREADSHEET", "spreadsheet": True}
    assert isinstance(top_meta["metadataId"], int)
    assert top_meta["metadataId"] != sheet_meta["metadataId"]


def test_get_without_grid_data_omits_data_but_keeps_formats_and_protections(
    sheets: Any, created: dict[str, Any]
) -> None:
    got = get(sheets, created["spreadsheetId"])
    plan = got["sheets"][0]
    assert "data" not in plan
    assert plan["conditionalFormats"][0]["booleanRule"]["condition"]["type"] == "TEXT_EQ"
    assert plan["conditionalFormats"][0]["ranges"] == [
        {"sheetId": PLAN_ID, "startRowIndex": 1, "endRowIndex": 50}
    ]
    assert plan["protectedRanges"][0]["description"] == "Header"
    assert got["developerMetadata"][0]["metadataKey"] == "map.deal"


def test_get_with_grid_data_returns_cells_evaluated_and_validated(
    sheets: Any, created: dict[str, Any]
) -> None:
    got = get(sheets, created["spreadsheetId"], includeGridData=True)
    (data,) = got["sheets"][0]["data"]
    header, kickoff = data["rowData"]
    assert [c["formattedValue"] for c in header["values"]] == ["Step", "Status"]
    values = kickoff["values"]
    assert [c["userEnteredValue"] for c in values] == [
        {"stringValue": "Kickoff"},
        {"stringValue": "Done"},
        {"numberValue": 3},
        {"boolValue": True},
        {"formulaValue": "=C2*2"},
    ]
    assert [c["effectiveValue"] for c in values] == [
        {"stringValue": "Kickoff"},
        {"stringValue": "Done"},
        {"numberValue": 3},
        {"boolValue": True},
        {"numberValue": 6},
    ]
    assert [c["formattedValue"] for c in values] == ["Kickoff", "Done", "3", "TRUE", "6"]
    assert values[1]["dataValidation"] == STATUS_RULE
    assert len(data["rowMetadata"]) == 50
    assert data["rowMetadata"][0] == {"pixelSize": 21}
    assert len(data["columnMetadata"]) == 6
    assert data["columnMetadata"][0] == {"pixelSize": 100}
    (deal_data,) = got["sheets"][1]["data"]
    assert deal_data["rowData"][0]["values"][0]["formattedValue"] == "Go-live"


def test_get_with_ranges_returns_only_those_sheets_and_only_that_data(
    sheets: Any, created: dict[str, Any]
) -> None:
    got = get(sheets, created["spreadsheetId"], ranges=["Plan!B2:C3"], includeGridData=True)
    assert [s["properties"]["title"] for s in got["sheets"]] == ["Plan"]
    (data,) = got["sheets"][0]["data"]
    assert data["startRow"] == 1
    assert data["startColumn"] == 1
    assert [c["formattedValue"] for c in data["rowData"][0]["values"]] == ["Done", "3"]
    assert len(data["rowData"]) == 1  # row 3 is empty: trailing empty rows are left out
    assert len(data["rowMetadata"]) == 2
    assert len(data["columnMetadata"]) == 2


def test_get_with_ranges_on_two_sheets_keeps_spreadsheet_order(
    sheets: Any, created: dict[str, Any]
) -> None:
    got = get(sheets, created["spreadsheetId"], ranges=["'Deal facts'!A1", "Plan!A1"])
    assert [s["properties"]["title"] for s in got["sheets"]] == ["Plan", "Deal facts"]
    assert all("data" not in s for s in got["sheets"])


def test_fields_dotted_path_selects_sheet_titles_only(sheets: Any, created: dict[str, Any]) -> None:
    got = get(sheets, created["spreadsheetId"], fields="sheets.properties.title")
    assert got == {
        "sheets": [{"properties": {"title": "Plan"}}, {"properties": {"title": "Deal facts"}}]
    }


def test_fields_nested_selection_picks_sheet_id_and_title(
    sheets: Any, created: dict[str, Any]
) -> None:
    got = get(sheets, created["spreadsheetId"], fields="sheets(properties(sheetId,title))")
    assert got == {
        "sheets": [
            {"properties": {"sheetId": PLAN_ID, "title": "Plan"}},
            {"properties": {"sheetId": DEAL_ID, "title": "Deal facts"}},
        ]
    }


def test_fields_top_level_and_nested_paths_combine(sheets: Any, created: dict[str, Any]) -> None:
    sid = created["spreadsheetId"]
    got = get(sheets, sid, fields="spreadsheetId,properties.title")
    assert got == {"spreadsheetId": sid, "properties": {"title": "MAP - Acme"}}


def test_fields_developer_metadata_returns_spreadsheet_level_entries(
    sheets: Any, created: dict[str, Any]
) -> None:
    got = get(sheets, created["spreadsheetId"], fields="developerMetadata")
    assert list(got) == ["developerMetadata"]
    assert [(m["metadataKey"], m["metadataValue"]) for m in got["developerMetadata"]] == [
        ("map.deal", "acme-2026")
    ]


def test_fields_reaching_into_grid_data_returns_it_without_include_grid_data(
    sheets: Any, created: dict[str, Any]
) -> None:
    got = get(
        sheets,
        created["spreadsheetId"],
        ranges=["Plan!A1:B2"],
        fields="sheets.data.rowData.values.userEnteredValue",
    )
    assert got == {
        "sheets": [
            {
                "data": [
                    {
                        "rowData": [
                            {
                                "values": [
                                    {"userEnteredValue": {"stringValue": "Step"}},
                                    {"userEnteredValue": {"stringValue": "Status"}},
                                ]
                            },
                            {
                                "values": [
                                    {"userEnteredValue": {"stringValue": "Kickoff"}},
                                    {"userEnteredValue": {"stringValue": "Done"}},
                                ]
                            },
                        ]
                    }
                ]
            }
        ]
    }


def test_fields_mask_ignores_include_grid_data(sheets: Any, created: dict[str, Any]) -> None:
    got = get(
        sheets, created["spreadsheetId"], includeGridData=True, fields="sheets.properties.title"
    )
    assert got == {
        "sheets": [{"properties": {"title": "Plan"}}, {"properties": {"title": "Deal facts"}}]
    }


def test_create_with_an_empty_body_makes_one_default_sheet(sheets: Any) -> None:
    created = sheets(OWNER).spreadsheets().create(body={}).execute()
    assert created["properties"]["title"] == "Untitled spreadsheet"
    assert [s["properties"] for s in created["sheets"]] == [
        {
            "sheetId": 0,
            "title": "Sheet1",
            "index": 0,
            "sheetType": "GRID",
            "gridProperties": {"rowCount": 1000, "columnCount": 26},
        }
    ]


def test_effective_format_takes_a_colour_whole_not_channel_by_channel(sheets: Any) -> None:
    # Color channels left out are 0 (https://developers.google.com/sheets/api/reference/rest/v4/
    # spreadsheets/other#Color), so {"blue": 1} is pure blue, not the default white with blue 1.
    blue = {"userEnteredFormat": {"backgroundColor": {"blue": 1}}}
    body = {
        "sheets": [
            {
                "data": [
                    {"rowData": [{"values": [{"userEnteredValue": {"stringValue": "x"}, **blue}]}]}
                ]
            }
        ]
    }
    service = sheets(OWNER)
    sid = service.spreadsheets().create(body=body).execute()["spreadsheetId"]
    got = (
        service.spreadsheets()
        .get(spreadsheetId=sid, ranges=["A1"], fields="sheets.data.rowData.values.effectiveFormat")
        .execute()
    )
    cell = got["sheets"][0]["data"][0]["rowData"][0]["values"][0]
    assert cell["effectiveFormat"]["backgroundColor"] == {"blue": 1}
