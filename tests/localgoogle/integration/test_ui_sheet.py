"""The stand-in's sheet page over HTTP: what Sheets shows (dropdowns, checkboxes, date pickers,
colours, conditional formats, calculated formulas) and edits that take the API's paths.

References, quoted in `tests/localgoogle/unit/test_ui_cells.py`: DataValidationRule
(showCustomUi dropdowns, strict rejection, inputMessage) and ConditionType (BOOLEAN checkbox
TRUE/FALSE, DATE_IS_VALID) at https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other,
and user-entered dates stored as serial numbers with a date format
(https://developers.google.com/sheets/api/reference/rest/v4/DateTimeRenderOption).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from localgoogle.app import create_app

OWNER = "seller@vendor.test"
BUYER = "ann@buyer.test"
GREEN = {"red": 0.85, "green": 0.92, "blue": 0.83}


def _auth(user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer local:{user}"}


def _text(value: str, **extra: Any) -> dict[str, Any]:
    return {"userEnteredValue": {"stringValue": value}, **extra}


STATUS = {
    "condition": {
        "type": "ONE_OF_LIST",
        "values": [{"userEnteredValue": v} for v in ("Not started", "Done")],
    },
    "strict": True,
    "showCustomUi": True,
}
DATE_RULE = {
    "condition": {"type": "DATE_IS_VALID"},
    "strict": True,
    "inputMessage": "Enter a date, for example 2025-06-30.",
}
DATE_FORMAT = {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}}


def _body() -> dict[str, Any]:
    rows = [
        [_text("Step"), _text("Status"), _text("Due"), _text("Agreed"), _text("Twice")],
        [
            _text("Kick-off"),
            _text("Done", dataValidation=STATUS),
            {
                "userEnteredValue": {"numberValue": 46203},
                "userEnteredFormat": DATE_FORMAT,
                "dataValidation": DATE_RULE,
            },
            {
                "userEnteredValue": {"boolValue": False},
                "dataValidation": {"condition": {"type": "BOOLEAN"}},
            },
            {"userEnteredValue": {"formulaValue": "=LEN(A2)*2"}},
        ],
        [
            _text("Notes", userEnteredFormat={"wrapStrategy": "WRAP"}),
            _text("Not started", dataValidation=STATUS),
            {"userEnteredFormat": DATE_FORMAT, "dataValidation": DATE_RULE},
        ],
    ]
    done = {
        "ranges": [
            {
                "sheetId": 0,
                "startRowIndex": 1,
                "endRowIndex": 10,
                "startColumnIndex": 0,
                "endColumnIndex": 5,
            }
        ],
        "booleanRule": {
            "condition": {
                "type": "CUSTOM_FORMULA",
                "values": [{"userEnteredValue": '=$B2="Done"'}],
            },
            "format": {"backgroundColorStyle": {"rgbColor": GREEN}},
        },
    }
    locked = {
        "range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
        "description": "Headers",
        "editors": {"users": [OWNER]},
    }
    return {
        "properties": {"title": "Acme plan"},
        "sheets": [
            {
                "properties": {
                    "sheetId": 0,
                    "title": "Plan",
                    "gridProperties": {"rowCount": 20, "columnCount": 6},
                },
                "data": [{"rowData": [{"values": row} for row in rows]}],
                "conditionalFormats": [done],
                "protectedRanges": [locked],
            }
        ],
    }


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    return create_app(tmp_path).test_client()


@pytest.fixture
def sid(client: FlaskClient) -> str:
    created = client.post("/v4/spreadsheets", json=_body(), headers=_auth(OWNER))
    assert created.status_code == 200, created.get_data(as_text=True)
    spreadsheet_id = str(created.get_json()["spreadsheetId"])
    shared = client.post(
        f"/drive/v3/files/{spreadsheet_id}/permissions",
        json={"type": "user", "role": "writer", "emailAddress": BUYER},
        headers=_auth(OWNER),
    )
    assert shared.status_code == 200, shared.get_data(as_text=True)
    return spreadsheet_id


def _page(client: FlaskClient, sid: str, user: str = BUYER) -> str:
    return client.get(f"/_local/ui/s/{sid}?as={user}&tab=Plan").get_data(as_text=True)


def _cell(client: FlaskClient, sid: str, a1: str) -> dict[str, Any]:
    got = client.get(
        f"/v4/spreadsheets/{sid}?ranges=Plan!{a1}&includeGridData=true", headers=_auth(OWNER)
    ).get_json()
    return dict(got["sheets"][0]["data"][0]["rowData"][0]["values"][0])


def _post(client: FlaskClient, sid: str, **cells: Any) -> Any:
    form: dict[str, Any] = {"as": BUYER, "tab": "Plan"}
    form.update(cells)
    return client.post(f"/_local/ui/s/{sid}", data=form)


def test_the_page_shows_a_dropdown_a_checkbox_a_date_picker_and_wrapped_text(
    client: FlaskClient, sid: str
) -> None:
    page = _page(client, sid)
    select = re.search(r'<select class="cell" name="c_1_1"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select.group(1)) == [
        "",
        "Not started",
        "Done",
    ]
    assert "<option selected>Done</option>" in select.group(1)
    assert re.search(r'<input type="checkbox" class="box" name="c_1_3" value="TRUE"\s*>', page)
    assert '<input type="date" class="cell" name="c_1_2" value="2026-06-30"' in page
    assert '<textarea class="cell" name="c_2_0"' in page


def test_conditional_formats_colour_the_rows_they_hold_for_and_formulas_show_values(
    client: FlaskClient, sid: str
) -> None:
    page = _page(client, sid)
    green = "background-color: rgb(217, 235, 212)"
    row_two = page[page.index('name="c_1_0"') - 200 : page.index('name="c_2_0"')]
    assert row_two.count(green) == 5  # every column of the Done row
    assert green not in page[page.index('name="c_2_0"') - 120 :]
    assert re.search(r'name="c_1_4" value="16"\s*data-formula="=LEN\(A2\)\*2"', page)


def test_ticking_a_checkbox_writes_true_and_choosing_writes_the_value(
    client: FlaskClient, sid: str
) -> None:
    form = {"c_1_3": ["FALSE", "TRUE"], "o_1_3": "FALSE", "c_2_1": "Done", "o_2_1": "Not started"}
    assert _post(client, sid, **form).status_code == 302
    assert _cell(client, sid, "D2")["userEnteredValue"] == {"boolValue": True}
    assert _cell(client, sid, "B3")["userEnteredValue"] == {"stringValue": "Done"}
    assert "checked" in re.search(r'name="c_1_3" value="TRUE"\s*(\w*)', _page(client, sid)).group(1)  # type: ignore[union-attr]


def test_a_picked_date_is_stored_as_a_serial_number_with_its_date_format(
    client: FlaskClient, sid: str
) -> None:
    assert _post(client, sid, c_2_2="2026-07-01", o_2_2="").status_code == 302
    stored = _cell(client, sid, "C3")
    assert stored["userEnteredValue"] == {"numberValue": 46204}  # 2026-07-01 from 1899-12-30
    assert stored["userEnteredFormat"]["numberFormat"]["type"] == "DATE"
    assert stored["formattedValue"] == "2026-07-01"


def test_a_value_a_strict_rule_refuses_is_not_written_and_the_message_says_why(
    client: FlaskClient, sid: str
) -> None:
    posted = _post(client, sid, c_2_1="Finished", o_2_1="Not started", c_2_2="soon", o_2_2="")
    shown = posted.get_data(as_text=True)
    assert posted.status_code == 200
    assert "Plan!B3: Input must be an item on the specified list." in shown
    assert "Plan!C3: Enter a date, for example 2025-06-30." in shown
    assert _cell(client, sid, "B3")["userEnteredValue"] == {"stringValue": "Not started"}


def test_a_protected_cell_is_refused_with_googles_message(client: FlaskClient, sid: str) -> None:
    posted = _post(client, sid, c_0_0="Renamed", o_0_0="Step")
    assert "You are trying to edit a protected cell or object" in posted.get_data(as_text=True)
    assert _cell(client, sid, "A1")["userEnteredValue"] == {"stringValue": "Step"}


def test_an_edit_is_a_revision_by_its_author_and_a_drive_change(
    client: FlaskClient, sid: str
) -> None:
    token = client.get("/drive/v3/changes/startPageToken", headers=_auth(OWNER)).get_json()
    before = client.get(f"/drive/v3/files/{sid}/revisions", headers=_auth(OWNER)).get_json()
    assert _post(client, sid, c_1_1="Not started", o_1_1="Done").status_code == 302
    after = client.get(f"/drive/v3/files/{sid}/revisions?fields=*", headers=_auth(OWNER)).get_json()
    assert len(after["revisions"]) == len(before["revisions"]) + 1
    assert after["revisions"][-1]["lastModifyingUser"]["emailAddress"] == BUYER
    changes = client.get(
        f"/drive/v3/changes?pageToken={token['startPageToken']}", headers=_auth(OWNER)
    ).get_json()
    assert [change["fileId"] for change in changes["changes"]] == [sid]


def test_a_text_area_sent_back_unchanged_with_crlf_line_breaks_writes_nothing(
    client: FlaskClient, sid: str
) -> None:
    before = client.get(f"/drive/v3/files/{sid}/revisions", headers=_auth(OWNER)).get_json()
    assert (
        _post(client, sid, c_2_0="Notes\r\n", o_2_0="Notes\n", c_x_1="ignored").status_code == 302
    )
    after = client.get(f"/drive/v3/files/{sid}/revisions", headers=_auth(OWNER)).get_json()
    assert after == before
    assert _cell(client, sid, "A3")["userEnteredValue"] == {"stringValue": "Notes"}


def test_a_column_hidden_by_a_user_is_not_drawn_and_a_save_leaves_it(
    client: FlaskClient, sid: str
) -> None:
    """As in Sheets, a column with DimensionProperties.hiddenByUser is not shown
    (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/sheets#DimensionProperties)."""
    shown = _page(client, sid)
    assert ">A\n</th>" in shown and 'name="c_1_0"' in shown
    hide = {
        "updateDimensionProperties": {
            "range": {"sheetId": 0, "dimension": "COLUMNS", "startIndex": 0, "endIndex": 1},
            "properties": {"hiddenByUser": True},
            "fields": "hiddenByUser",
        }
    }
    answer = client.post(
        f"/v4/spreadsheets/{sid}:batchUpdate", json={"requests": [hide]}, headers=_auth(OWNER)
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    page = _page(client, sid)
    assert ">A\n</th>" not in page and ">B\n</th>" in page
    assert 'name="c_1_0"' not in page and 'name="c_1_1"' in page
    assert _post(client, sid, c_1_1="Not started", o_1_1="Done").status_code == 302
    assert _cell(client, sid, "A2")["userEnteredValue"] == {"stringValue": "Kick-off"}
