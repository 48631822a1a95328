"""Developer metadata: found by key, value and location type; fetched by id.

Contracts:
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.developerMetadata/search
- https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.developerMetadata/get
- https://developers.google.com/sheets/api/reference/rest/v4/DataFilter#DeveloperMetadataLookup
- https://developers.google.com/sheets/api/guides/metadata
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from googleapiclient.errors import HttpError

from addon.google.clients import Backend, sheets_service

OWNER = "ann@acme.test"
PLAN = 7


def meta(key: str, value: str, location: dict[str, Any]) -> dict[str, Any]:
    return {
        "metadataKey": key,
        "metadataValue": value,
        "location": location,
        "visibility": "DOCUMENT",
    }


@pytest.fixture(scope="module")
def created(local_google: Any) -> dict[str, Any]:
    body = {
        "sheets": [
            {
                "properties": {"sheetId": PLAN, "title": "Plan"},
                "developerMetadata": [meta("map.tab", "plan", {"sheetId": PLAN})],
            }
        ],
        "developerMetadata": [
            meta("map.deal", "acme", {"spreadsheet": True}),
            meta("map.template", "enterprise", {"spreadsheet": True}),
        ],
    }
    service = sheets_service(Backend.local(local_google.url, OWNER))
    result: dict[str, Any] = service.spreadsheets().create(body=body).execute()
    return result


def search(sheets: Any, sid: str, *lookups: dict[str, Any]) -> dict[str, Any]:
    body = {"dataFilters": [{"developerMetadataLookup": lookup} for lookup in lookups]}
    result: dict[str, Any] = (
        sheets(OWNER)
        .spreadsheets()
        .developerMetadata()
        .search(spreadsheetId=sid, body=body)
        .execute()
    )
    return result


def keys(result: dict[str, Any]) -> list[str]:
    return [
        m["developerMetadata"]["metadataKey"] for m in result.get("matchedDeveloperMetadata", [])
    ]


def test_search_by_key_answers_the_entry_and_the_filter_it_matched(
    sheets: Any, created: dict[str, Any]
) -> None:
    result = search(sheets, created["spreadsheetId"], {"metadataKey": "map.deal"})
    (match,) = result["matchedDeveloperMetadata"]
    entry = match["developerMetadata"]
    assert entry == {
        "metadataId": entry["metadataId"],
        "metadataKey": "map.deal",
        "metadataValue": "acme",
        "location": {"locationType": "SPREADSHEET", "spreadsheet": True},
        "visibility": "DOCUMENT",
    }
    assert match["dataFilters"] == [{"developerMetadataLookup": {"metadataKey": "map.deal"}}]


def test_search_by_value_and_by_location_type(sheets: Any, created: dict[str, Any]) -> None:
    sid = created["spreadsheetId"]
    assert keys(search(sheets, sid, {"metadataValue": "enterprise"})) == ["map.template"]
    assert keys(search(sheets, sid, {"locationType": "SHEET"})) == ["map.tab"]
    assert sorted(keys(search(sheets, sid, {"locationType": "SPREADSHEET"}))) == [
        "map.deal",
        "map.template",
    ]
    assert keys(search(sheets, sid, {"metadataLocation": {"sheetId": PLAN}})) == ["map.tab"]


def test_search_requires_every_lookup_field_to_match(sheets: Any, created: dict[str, Any]) -> None:
    sid = created["spreadsheetId"]
    both = {"metadataKey": "map.deal", "metadataValue": "acme"}
    assert keys(search(sheets, sid, both)) == ["map.deal"]
    assert search(sheets, sid, {"metadataKey": "map.deal", "metadataValue": "other"}) == {}
    assert search(sheets, sid, {"metadataKey": "map.deal", "locationType": "SHEET"}) == {}


def test_get_by_id_answers_the_entry(sheets: Any, created: dict[str, Any]) -> None:
    (entry,) = [m for m in created["developerMetadata"] if m["metadataKey"] == "map.deal"]
    got = (
        sheets(OWNER)
        .spreadsheets()
        .developerMetadata()
        .get(spreadsheetId=created["spreadsheetId"], metadataId=entry["metadataId"])
        .execute()
    )
    assert got == entry


def test_get_of_an_unknown_id_is_404(sheets: Any, created: dict[str, Any]) -> None:
    call = (
        sheets(OWNER)
        .spreadsheets()
        .developerMetadata()
        .get(spreadsheetId=created["spreadsheetId"], metadataId=987654)
    )
    with pytest.raises(HttpError) as caught:
        call.execute()
    assert caught.value.resp.status == 404
    error = json.loads(caught.value.content)["error"]
    # Google's exact wording for this 404 is not documented; the code and status are.
    assert (error["code"], error["status"]) == (404, "NOT_FOUND")


def test_metadata_of_another_users_spreadsheet_is_403(sheets: Any, created: dict[str, Any]) -> None:
    call = (
        sheets("eve@evil.test")
        .spreadsheets()
        .developerMetadata()
        .search(
            spreadsheetId=created["spreadsheetId"],
            body={"dataFilters": [{"developerMetadataLookup": {"metadataKey": "map.deal"}}]},
        )
    )
    with pytest.raises(HttpError) as caught:
        call.execute()
    assert caught.value.resp.status == 403
