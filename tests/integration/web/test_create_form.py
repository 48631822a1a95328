"""The sidebar's New plan form against the stand-in: checked in the card before anything is
created, a proposed go-live one click away, one plan per form, a second plan for a deal asked
about first, buyers' roles on the Stakeholders tab. Every card is validated against Card v1."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from id_token_helpers import mint_id_token

from addon import create_app
from addon.config import Config
from addon.domain.businessdays import add_business_days, is_business_day
from addon.domain.model import Side
from addon.domain.plan_checks import earliest_go_live
from addon.domain.templates import find_template
from addon.services.context import today
from addon.web.resources import services
from localgoogle.schema import validate_value
from localgoogle.server import Running

AUDIENCE = "http://127.0.0.1:9"
CALLER = "service-addons@system.example.com"
MID_MARKET = find_template("mid-market")
DAYS_OFF = frozenset(MID_MARKET.holidays)


@pytest.fixture
def app(local_google: Running, tmp_path: Path) -> Iterator[Flask]:
    config = Config.from_env(
        {
            "MAP_LOCAL_GOOGLE_URL": local_google.url,
            "MAP_DATA_DIR": str(tmp_path),
            "MAP_SERVICE_ACCOUNT": f"svc-{uuid.uuid4().hex[:8]}@map.example.com",
            "MAP_ADDON_AUDIENCE": AUDIENCE,
            "MAP_ADDON_CALLER": CALLER,
            "MAP_SELLER_DOMAINS": "vendor.io",
        }
    )
    built = create_app(config)
    yield built
    with built.app_context():
        services().close()


class Sidebar:
    """Posts add-on events the way Google does, as one seller; checks every card's shape."""

    def __init__(self, client: FlaskClient, local_google: Running) -> None:
        self.client = client
        self.local_google = local_google
        self.seller = f"sam-{uuid.uuid4().hex[:8]}@vendor.example"

    def post(
        self, path: str, inputs: dict[str, Any] | None = None, **parameters: str
    ) -> dict[str, Any]:
        event = {
            "commonEventObject": {
                "hostApp": "SHEETS",
                "formInputs": inputs or {},
                "parameters": parameters,
            },
            "authorizationEventObject": {
                "userIdToken": mint_id_token(self.local_google, AUDIENCE, self.seller),
                "userOAuthToken": "unused-locally",
            },
        }
        token = mint_id_token(self.local_google, AUDIENCE + path, CALLER)
        response = self.client.post(path, json=event, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.get_data(as_text=True)
        navigation = response.get_json()["renderActions"]["action"]["navigations"][0]
        (shown,) = navigation.values()
        validate_value("chat", {"$ref": "GoogleAppsCardV1Card"}, shown, "card")
        return dict(shown)

    def calls(self) -> int:
        """Requests this seller made of the stand-in so far."""
        with urllib.request.urlopen(f"{self.local_google.url}/_local/stats") as response:
            return int(json.loads(response.read())["by_user"].get(self.seller, 0))


@pytest.fixture
def sidebar(app: Flask, local_google: Running) -> Sidebar:
    return Sidebar(app.test_client(), local_google)


def text(value: str) -> dict[str, Any]:
    return {"stringInputs": {"value": [value]}}


def picked(day: date) -> dict[str, Any]:
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return {"dateInput": {"msSinceEpoch": str(int(midnight.timestamp() * 1000))}}


def good_go_live() -> date:
    earliest = earliest_go_live(MID_MARKET, today())
    assert earliest is not None
    return add_business_days(earliest, 10, DAYS_OFF)


def form(go_live: date | None = None, **changes: str) -> dict[str, Any]:
    typed = {
        "deal": "Acme rollout",
        "buyer_company": "Acme",
        "template": "mid-market",
        "amount": "50000",
        "buyer_email_0": "ann@acme.example",
        "buyer_role_0": "Champion",
        "buyer_email_1": "bob@acme.example",
        "buyer_role_1": "Economic buyer",
        **changes,
    }
    inputs = {name: text(value) for name, value in typed.items() if value}
    inputs["go_live"] = picked(go_live or good_go_live())
    return inputs


def widgets(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [w for section in card["sections"] for w in section["widgets"]]


def button(card: dict[str, Any], label: str) -> dict[str, Any]:
    for widget in widgets(card):
        for found in widget.get("buttonList", {}).get("buttons", []):
            if found["text"].startswith(label):
                return dict(found["onClick"]["action"])
    raise AssertionError(f"no button {label!r} in {json.dumps(card)[:2000]}")


def params(action: dict[str, Any]) -> dict[str, str]:
    return {p["key"]: p["value"] for p in action.get("parameters", [])}


def problem_above(card: dict[str, Any], field: str) -> str:
    """The warning drawn right above the named input, or ""."""
    found = widgets(card)
    for index, widget in enumerate(found):
        inner = next(iter(widget.values()))
        if isinstance(inner, dict) and inner.get("name") == field and index:
            return str(found[index - 1].get("textParagraph", {}).get("text", ""))
    return ""


def deals_of(app: Flask, seller: str) -> list[Any]:
    with app.app_context(), services().store.transaction(read_only=True) as tx:
        return tx.deals.newest_first(owner_email=seller)


def test_the_new_form_has_buyer_rows_with_no_role_chosen_and_a_request_key(
    sidebar: Sidebar,
) -> None:
    card = sidebar.post("/addon/plan/new")
    names = {next(iter(w.values())).get("name") for w in widgets(card)}
    assert {"deal", "buyer_company", "go_live", "template", "amount"} <= names
    assert {"buyer_email_0", "buyer_role_0", "buyer_email_1", "buyer_role_1"} <= names
    roles = next(
        w["selectionInput"]
        for w in widgets(card)
        if "selectionInput" in w and w["selectionInput"]["name"] == "buyer_role_0"
    )
    selected = [item["value"] for item in roles["items"] if item["selected"]]
    assert selected == [""] and "Economic buyer" in {i["value"] for i in roles["items"]}
    assert params(button(card, "Create plan"))["request_key"].startswith("card-")
    more = sidebar.post("/addon/plan/form", form(), **params(button(card, "Add another buyer")))
    assert problem_above(more, "buyer_email_2") == "" and "buyer_email_2" in json.dumps(more)


def test_a_go_live_that_cannot_fit_proposes_the_earliest_and_one_click_fills_it(
    sidebar: Sidebar, app: Flask
) -> None:
    key = params(button(sidebar.post("/addon/plan/new"), "Create plan"))
    too_soon = add_business_days(today(), 5, DAYS_OFF)
    refused = sidebar.post("/addon/plan/create", form(too_soon), **key)
    assert f"cannot fit {MID_MARKET.title}" in problem_above(refused, "go_live")
    earliest = earliest_go_live(MID_MARKET, today())
    assert earliest is not None and earliest.isoformat() in problem_above(refused, "go_live")
    assert deals_of(app, sidebar.seller) == [] and sidebar.calls() == 0

    use = button(refused, "Use ")
    assert params(use)["go_live"] == earliest.isoformat()
    filled = sidebar.post("/addon/plan/form", form(too_soon), **params(use))
    picker = next(w["dateTimePicker"] for w in widgets(filled) if "dateTimePicker" in w)
    assert picker["valueMsEpoch"] == picked(earliest)["dateInput"]["msSinceEpoch"]
    assert problem_above(filled, "go_live") == ""

    created = sidebar.post("/addon/plan/create", form(earliest), **params(use))
    assert created["header"]["title"] == "Plan created"
    (deal,) = deals_of(app, sidebar.seller)
    assert deal.go_live == earliest


def test_a_weekend_go_live_proposes_the_next_business_day(sidebar: Sidebar) -> None:
    saturday = good_go_live()
    while saturday.weekday() != 5:
        saturday += timedelta(days=1)
    refused = sidebar.post("/addon/plan/create", form(saturday))
    assert "is a Saturday" in problem_above(refused, "go_live")
    proposal = date.fromisoformat(params(button(refused, "Use "))["go_live"])
    assert proposal > saturday and is_business_day(proposal, DAYS_OFF)
    assert (proposal - saturday).days <= 4  # Monday, unless Monday is a holiday


def test_bad_buyers_are_named_beside_their_fields_and_nothing_is_created(
    sidebar: Sidebar, app: Flask
) -> None:
    bad = form(
        buyer_email_0="lee@vendor.io",
        buyer_email_1="Ann@acme.example",
        buyer_role_1="",
        buyer_email_2="ann@acme.example",
        buyer_role_2="Legal",
        buyer_email_3="not-an-email",
        buyer_role_3="Legal",
    )
    refused = sidebar.post("/addon/plan/create", bad)
    assert "your own company (vendor.io)" in problem_above(refused, "buyer_email_0")
    assert (
        problem_above(refused, "buyer_role_1")
        == '<font color="#b3261e">Choose ann@acme.example&#39;s role.</font>'
    )
    assert "listed twice (also buyer 2)" in problem_above(refused, "buyer_email_2")
    assert "is not an email address" in problem_above(refused, "buyer_email_3")
    assert problem_above(refused, "buyer_email_1") == ""
    values = {
        w["textInput"]["name"]: w["textInput"]["value"]
        for w in widgets(refused)
        if "textInput" in w
    }
    assert values["buyer_email_3"] == "not-an-email" and values["deal"] == "Acme rollout"
    assert deals_of(app, sidebar.seller) == [] and sidebar.calls() == 0


def test_a_double_click_creates_one_plan(sidebar: Sidebar, app: Flask) -> None:
    key = params(button(sidebar.post("/addon/plan/new"), "Create plan"))
    first = sidebar.post("/addon/plan/create", form(), **key)
    second = sidebar.post("/addon/plan/create", form(), **key)
    assert first["header"]["title"] == second["header"]["title"] == "Plan created"
    assert "had created the plan already" in json.dumps(second)
    shared = "Shared with ann@acme.example, bob@acme.example."  # buyers, not the add-on itself
    assert shared in json.dumps(first) and "svc-" not in json.dumps(first)
    assert len(deals_of(app, sidebar.seller)) == 1


def test_a_second_plan_for_the_same_deal_is_asked_about_first(sidebar: Sidebar, app: Flask) -> None:
    sidebar.post(
        "/addon/plan/create",
        form(),
        **params(button(sidebar.post("/addon/plan/new"), "Create plan")),
    )
    (first,) = deals_of(app, sidebar.seller)
    again = sidebar.post("/addon/plan/new")
    asked = sidebar.post("/addon/plan/create", form(), **params(button(again, "Create plan")))
    assert "A plan for Acme rollout (Acme) already exists." in json.dumps(asked)
    assert params(button(asked, "Open it")) == {"deal_id": first.deal_id}
    assert len(deals_of(app, sidebar.seller)) == 1
    another = sidebar.post("/addon/plan/create", form(), **params(button(asked, "Create another")))
    assert another["header"]["title"] == "Plan created"
    assert len(deals_of(app, sidebar.seller)) == 2


def test_the_buyers_roles_are_on_the_stakeholders_tab(
    sidebar: Sidebar, app: Flask, sheets: Any
) -> None:
    sidebar.post("/addon/plan/create", form())
    (deal,) = deals_of(app, sidebar.seller)
    assert {(p.email, p.role) for p in deal.people if p.side is Side.BUYER} == {
        ("ann@acme.example", "Champion"),
        ("bob@acme.example", "Economic buyer"),
    }
    rows = (
        sheets("ann@acme.example")
        .spreadsheets()
        .values()
        .get(spreadsheetId=deal.spreadsheet_id, range="Stakeholders!A1:D20")
        .execute()["values"]
    )
    assert ["Ann", "ann@acme.example", "Buyer", "Champion"] in rows
    assert ["Bob", "bob@acme.example", "Buyer", "Economic buyer"] in rows
