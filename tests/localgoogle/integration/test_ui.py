"""The stand-in's web UI shows and edits a spreadsheet as the chosen user, with their rights."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from localgoogle.app import create_app

OWNER = "seller@vendor.test"


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    return create_app(tmp_path).test_client()


def _create(client: FlaskClient) -> str:
    body = {
        "properties": {"title": "Acme plan"},
        "sheets": [
            {
                "properties": {"title": "Plan"},
                "data": [
                    {"rowData": [{"values": [{"userEnteredValue": {"stringValue": "Step"}}]}]}
                ],
            }
        ],
    }
    response = client.post(
        "/v4/spreadsheets", json=body, headers={"Authorization": f"Bearer local:{OWNER}"}
    )
    assert response.status_code == 200
    return str(response.get_json()["spreadsheetId"])


def _value(client: FlaskClient, sid: str, a1: str) -> object:
    response = client.get(
        f"/v4/spreadsheets/{sid}/values/{a1}?valueRenderOption=UNFORMATTED_VALUE",
        headers={"Authorization": f"Bearer local:{OWNER}"},
    )
    return response.get_json().get("values", [[None]])[0][0]


def test_home_lists_the_files_the_user_can_see(client: FlaskClient) -> None:
    _create(client)
    assert "Acme plan" in client.get(f"/_local/ui/?as={OWNER}").get_data(as_text=True)
    assert "Acme plan" not in client.get("/_local/ui/?as=x@other.test").get_data(as_text=True)


def test_editing_a_cell_writes_it_as_user_entered(client: FlaskClient) -> None:
    sid = _create(client)
    page = client.get(f"/_local/ui/s/{sid}?as={OWNER}&tab=Plan").get_data(as_text=True)
    assert 'value="Step"' in page
    form = {
        "as": OWNER,
        "tab": "Plan",
        "c_0_1": "=2*21",
        "o_0_1": "",
        "c_0_0": "Step",
        "o_0_0": "Step",
    }
    response = client.post(f"/_local/ui/s/{sid}", data=form)
    assert response.status_code == 302
    assert _value(client, sid, "Plan!B1") == 42
    assert _value(client, sid, "Plan!A1") == "Step"


def test_a_user_without_access_is_refused(client: FlaskClient) -> None:
    sid = _create(client)
    response = client.get(f"/_local/ui/s/{sid}?as=stranger@other.test")
    assert response.status_code == 403
    assert "does not have permission" in response.get_data(as_text=True)
    posted = client.post(f"/_local/ui/s/{sid}", data={"as": "stranger@other.test", "c_0_0": "x"})
    assert "does not have permission" in posted.get_data(as_text=True)
    assert _value(client, sid, "Plan!A1") == "Step"
