"""The add-on's card endpoints: forged calls refused, each flow answers schema-valid cards."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from googleapiclient.errors import HttpError
from id_token_helpers import mint_id_token

from addon import create_app
from addon.config import Config
from addon.domain.layout_deal import deal_fact
from addon.web.resources import services
from localgoogle.schema import validate_value
from localgoogle.server import Running

AUDIENCE = "http://127.0.0.1:9"
CALLER = "service-addons@system.example.com"


@pytest.fixture
def app(local_google: Running, tmp_path: Path) -> Iterator[Flask]:
    config = Config.from_env(
        {
            "MAP_LOCAL_GOOGLE_URL": local_google.url,
            "MAP_DATA_DIR": str(tmp_path),
            "MAP_SERVICE_ACCOUNT": f"svc-{uuid.uuid4().hex[:8]}@map.example.com",
            "MAP_ADDON_AUDIENCE": AUDIENCE,
            "MAP_ADDON_CALLER": CALLER,
            "MAP_TEAMS_FILE": str(_teams_file(tmp_path)),
        }
    )
    built = create_app(config)
    yield built
    with built.app_context():
        services().close()


MANAGER = "morgan.manager@vendor.example"


def _teams_file(tmp_path: Path) -> Path:
    path = tmp_path / "teams.yaml"
    path.write_text(f"teams:\n  - name: west\n    managers: [{MANAGER}]\n")
    return path


class Sidebar:
    """Posts add-on events the way Google does, as one seller."""

    def __init__(self, client: FlaskClient, local_google: Running) -> None:
        self.client = client
        self.local_google = local_google
        self.seller = f"sam-{uuid.uuid4().hex[:8]}@vendor.example"

    def post(self, path: str, *, inputs: dict[str, Any] | None = None, **extra: Any) -> Any:
        event: dict[str, Any] = {
            "commonEventObject": {"hostApp": "SHEETS", "formInputs": inputs or {}},
            "authorizationEventObject": {
                "userIdToken": mint_id_token(self.local_google, AUDIENCE, self.seller),
                "userOAuthToken": "unused-locally",
            },
        }
        event["commonEventObject"].update(extra.pop("common", {}))
        event.update(extra)
        token = mint_id_token(self.local_google, AUDIENCE + path, CALLER)
        response = self.client.post(path, json=event, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        for navigation in body["renderActions"].get("action", {}).get("navigations", []):
            for shown in navigation.values():
                validate_value("chat", {"$ref": "GoogleAppsCardV1Card"}, shown, "card")
        return body


@pytest.fixture
def sidebar(app: Flask, local_google: Running) -> Sidebar:
    return Sidebar(app.test_client(), local_google)


def _card(body: dict[str, Any]) -> dict[str, Any]:
    navigation = body["renderActions"]["action"]["navigations"][0]
    return navigation.get("pushCard") or navigation["updateCard"]


def _texts(card: dict[str, Any]) -> str:
    return json.dumps(card)


def _tampered(token: str) -> str:
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["email"] = "mallory@evil.example"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{head}.{forged}.{signature}"


@pytest.mark.parametrize("forgery", ["missing", "tampered", "audience", "expired", "caller"])
def test_forged_calls_are_refused_with_401(app: Flask, local_google: Running, forgery: str) -> None:
    path = "/addon/home"
    token = {
        "missing": None,
        "tampered": _tampered(mint_id_token(local_google, AUDIENCE + path, CALLER)),
        "audience": mint_id_token(local_google, AUDIENCE + "/addon/other", CALLER),
        "expired": mint_id_token(local_google, AUDIENCE + path, CALLER, lifetime=-60),
        "caller": mint_id_token(local_google, AUDIENCE + path, "someone@evil.example"),
    }[forgery]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = app.test_client().post(path, json={}, headers=headers)
    assert response.status_code == 401


def test_a_seller_creates_a_plan_from_the_sidebar_and_sees_its_health(
    sidebar: Sidebar, app: Flask
) -> None:
    home = _card(sidebar.post("/addon/home"))
    assert "No plans yet" in _texts(home) and "/addon/plan/new" in _texts(home)
    form = _card(sidebar.post("/addon/plan/new"))
    assert "mid-market" in _texts(form)  # the template dropdown lists the templates

    typed = {
        "deal": {"stringInputs": {"value": ["Acme rollout"]}},
        "buyer_company": {"stringInputs": {"value": ["Acme"]}},
        "buyer_email_0": {"stringInputs": {"value": ["ann@acme.example"]}},
        "buyer_role_0": {"stringInputs": {"value": ["Economic buyer"]}},
        "buyer_email_1": {"stringInputs": {"value": ["not-an-email"]}},
        "buyer_role_1": {"stringInputs": {"value": ["Legal"]}},
        "go_live": {"dateInput": {"msSinceEpoch": "1801094400000"}},  # 2027-01-29
        "template": {"stringInputs": {"value": ["mid-market"]}},
        "amount": {"stringInputs": {"value": ["50000"]}},
    }
    refused = _card(sidebar.post("/addon/plan/create", inputs=typed))
    assert "not-an-email" in _texts(refused) and "Acme rollout" in _texts(refused)

    del typed["buyer_email_1"], typed["buyer_role_1"]
    created = _card(sidebar.post("/addon/plan/create", inputs=typed))
    assert created["header"]["title"] == "Plan created"
    assert "ann@acme.example" in _texts(created)

    home = _card(sidebar.post("/addon/home"))
    assert "Acme rollout" in _texts(home)
    with app.app_context(), services().store.transaction() as tx:
        (deal,) = tx.deals.newest_first(owner_email=sidebar.seller)
    inside = _card(sidebar.post("/addon/home", sheets={"id": deal.spreadsheet_id}))
    assert inside["header"]["title"] == "Acme rollout" and "Health" in _texts(inside)
    # a plan in its first days: what it lacks is a set-up checklist, not risks
    sections = {section.get("header"): section for section in inside["sections"]}
    assert "Set-up checklist" in sections
    assert "No champion" in _texts(sections["Set-up checklist"])
    assert "No champion" not in _texts(sections["Risks"])
    assert "Remaining work cannot fit" not in _texts(inside)
    refreshed = sidebar.post(
        "/addon/plan/refresh", common={"parameters": {"deal_id": deal.deal_id}}
    )
    assert refreshed["renderActions"]["action"]["notification"]["text"] == "Plan refreshed"


def test_another_sellers_plan_is_not_shown(
    sidebar: Sidebar, app: Flask, local_google: Running
) -> None:
    other = Sidebar(app.test_client(), local_google)
    shown = _card(
        other.post("/addon/plan/show", common={"parameters": {"deal_id": "d_nothers0000"}})
    )
    assert shown["header"]["title"] == "Something went wrong"


def _plan(sidebar: Sidebar, app: Flask) -> Any:
    typed = {
        "deal": {"stringInputs": {"value": ["Globex pilot"]}},
        "buyer_company": {"stringInputs": {"value": ["Globex"]}},
        "buyer_email_0": {"stringInputs": {"value": ["ann@globex.example"]}},
        "buyer_role_0": {"stringInputs": {"value": ["Champion"]}},
        "go_live": {"dateInput": {"msSinceEpoch": "1801094400000"}},
        "template": {"stringInputs": {"value": ["mid-market"]}},
    }
    sidebar.post("/addon/plan/create", inputs=typed)
    with app.app_context(), services().store.transaction() as tx:
        (deal,) = tx.deals.newest_first(owner_email=sidebar.seller)
    return deal


def test_adding_a_buyer_contact_shares_the_plan_and_lists_them(
    sidebar: Sidebar, app: Flask, sheets: Any
) -> None:
    deal = _plan(sidebar, app)
    params = {"parameters": {"deal_id": deal.deal_id}}
    form = _card(sidebar.post("/addon/contact/new", common=params))
    assert "/addon/contact/add" in _texts(form)
    bad = {"email": {"stringInputs": {"value": ["dana"]}}}
    refused = _card(sidebar.post("/addon/contact/add", inputs=bad, common=params))
    assert "is not an email address" in _texts(refused)

    contact = f"dana-{uuid.uuid4().hex[:6]}@globex.example"
    typed = {
        "email": {"stringInputs": {"value": [contact]}},
        "name": {"stringInputs": {"value": ["Dana Ruiz"]}},
        "role": {"stringInputs": {"value": ["Legal"]}},
    }
    added = sidebar.post("/addon/contact/add", inputs=typed, common=params)
    assert added["renderActions"]["action"]["notification"]["text"] == f"Shared with {contact}"
    rows = (
        sheets(contact)
        .spreadsheets()
        .values()
        .get(spreadsheetId=deal.spreadsheet_id, range="Stakeholders!A1:D20")
        .execute()["values"]
    )
    assert ["Dana Ruiz", contact, "Buyer", "Legal"] in rows
    with app.app_context(), services().store.transaction() as tx:
        person = tx.deals.get(deal.deal_id).person(contact)  # type: ignore[union-attr]
    assert person is not None and person.shared
    # The contact may now sign off for the buyer, and still not for the seller.
    values = sheets(contact).spreadsheets().values()
    tick = {"valueInputOption": "USER_ENTERED", "body": {"values": [["TRUE"]]}}
    buyer_cell = deal_fact("plan_agreed_buyer").value_cell
    values.update(spreadsheetId=deal.spreadsheet_id, range=buyer_cell, **tick).execute()
    with pytest.raises(HttpError) as refused_write:
        seller_cell = deal_fact("plan_agreed_seller").value_cell
        values.update(spreadsheetId=deal.spreadsheet_id, range=seller_cell, **tick).execute()
    assert refused_write.value.resp.status == 400


def test_a_spreadsheet_without_file_access_offers_to_request_it(sidebar: Sidebar) -> None:
    home = _card(
        sidebar.post("/addon/home", sheets={"id": "x", "addonHasFileScopePermission": False})
    )
    assert "/addon/file-scope" in _texts(home)
    answer = sidebar.post("/addon/file-scope")
    assert answer == {
        "renderActions": {
            "hostAppAction": {"editorAction": {"requestFileScopeForActiveDocument": {}}}
        }
    }


def test_managers_see_a_link_to_their_teams_pipeline_review(sidebar: Sidebar, app: Flask) -> None:
    assert "pipeline review" not in _texts(_card(sidebar.post("/addon/home")))
    with app.app_context(), services().store.transaction() as tx:
        tx.cursors.set("review.workbook.west", "wb-west-123")
    sidebar.seller = MANAGER
    home = _texts(_card(sidebar.post("/addon/home")))
    assert "Open pipeline review (west)" in home and "wb-west-123" in home
