"""Text from a sheet never reaches a card or a page as live HTML; non-owners cause no work.

A buyer puts markup in every text field of a plan (each Plan column, the Deal tab's text facts,
a Stakeholders row). After a watch, every card the seller can open and the local preview page
show it as text: Card v1 renders HTML in TextParagraph.text, DecoratedText.text and
Section.header, so those fields must hold it escaped. Then another seller calls each add-on
action on that plan: refused, with no store write and no request to Google.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from id_token_helpers import mint_id_token

from addon import create_app
from addon.config import Config
from addon.domain.layout_deal import DEAL_FACTS
from addon.domain.plan_request import build_plan_request
from addon.services.context import today
from addon.store import Store
from addon.web.resources import services
from localgoogle.server import Running

AUDIENCE = "http://127.0.0.1:9"
CALLER = "service-addons@system.example.com"
HTML_FIELDS = (("textParagraph", "text"), ("decoratedText", "text"))
# Tags the add-on itself writes into card HTML; any other tag came from somewhere else.
OUR_TAGS = re.compile(r"<(?!/?(?:b|i|font)\b)")


def markup(field: str) -> str:
    return f'<a href="http://evil.example/{field}">Re-authenticate {field}</a><script>x()</script>'


class Seller:
    """Posts add-on events the way Google does, as one seller."""

    def __init__(self, app: Flask, local_google: Running, email: str) -> None:
        self.client = app.test_client()
        self.local_google = local_google
        self.email = email

    def post(self, path: str, **extra: Any) -> dict[str, Any]:
        event: dict[str, Any] = {
            "commonEventObject": {"hostApp": "SHEETS", "formInputs": extra.pop("inputs", {})},
            "authorizationEventObject": {
                "userIdToken": mint_id_token(self.local_google, AUDIENCE, self.email),
                "userOAuthToken": "unused-locally",
            },
        }
        event["commonEventObject"].update(extra.pop("common", {}))
        event.update(extra)
        token = mint_id_token(self.local_google, AUDIENCE + path, CALLER)
        answer = self.client.post(path, json=event, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return dict(answer.get_json())


@pytest.fixture
def app(local_google: Running, tmp_path: Path) -> Iterator[Flask]:
    config = Config.from_env(
        {
            "MAP_LOCAL_GOOGLE_URL": local_google.url,
            "MAP_DATA_DIR": str(tmp_path),
            "MAP_SERVICE_ACCOUNT": f"svc-{uuid.uuid4().hex[:8]}@map.example.com",
            "MAP_ADDON_AUDIENCE": AUDIENCE,
            "MAP_ADDON_CALLER": CALLER,
            "MAP_TEAMS_FILE": str(tmp_path / "no-teams.yaml"),
        }
    )
    built = create_app(config)
    yield built
    with built.app_context():
        services().close()


@pytest.fixture
def plan(app: Flask, sheets: Any) -> dict[str, Any]:
    """A plan whose buyer wrote markup into every text field, read by the watch."""
    tag = uuid.uuid4().hex[:8]
    seller, buyer = f"sam-{tag}@vendor.example", f"ann-{tag}@acme.example"
    with app.app_context():
        created = services().creator.create(
            build_plan_request(
                deal_name="Acme rollout",
                buyer_company="Acme",
                buyer_emails=[buyer],
                go_live="2027-06-01",
                template="mid-market",
                owner=seller,
                today=today(),
            )
        )
        services().watcher.tick()
    values = sheets(buyer).spreadsheets().values()
    sid = created.spreadsheet_id
    rows = values.get(spreadsheetId=sid, range="Plan!A1:I200").execute()["values"]
    header = rows[0]
    text_columns = ("Phase", "Step", "Owner side", "Owner", "Status", "Notes")
    data = [
        [
            markup(f"{name}-{n}") if name in text_columns else cell
            for name, cell in zip(header, row, strict=False)  # trailing blanks are left out
        ]
        for n, row in enumerate(rows[1:], start=2)
    ]
    facts = [f for f in DEAL_FACTS if f.kind.value == "text"]
    writes = [{"range": f"Plan!A2:I{len(rows)}", "values": data}]
    writes += [{"range": fact.value_cell, "values": [[markup(fact.key)]]} for fact in facts]
    person = [markup("name"), f"eve-{tag}@acme.example", "Buyer", markup("role"), markup("resp")]
    writes.append({"range": "Stakeholders!A10:E10", "values": [person]})
    values.batchUpdate(
        spreadsheetId=sid, body={"valueInputOption": "RAW", "data": writes}
    ).execute()
    with app.app_context():
        services().watcher.tick()
    return {"seller": seller, "buyer": buyer, "deal_id": created.deal_id, "sheet": sid}


def _html_fields(card: Any) -> list[str]:
    """Every field of a card that Google renders as HTML."""
    found: list[str] = []
    if isinstance(card, dict):
        for widget, key in HTML_FIELDS:
            if isinstance(card.get(widget), dict) and isinstance(card[widget].get(key), str):
                found.append(card[widget][key])
        if isinstance(card.get("header"), str) and "widgets" in card:
            found.append(card["header"])  # a section's header
        for value in card.values():
            found += _html_fields(value)
    elif isinstance(card, list):
        for value in card:
            found += _html_fields(value)
    return found


def test_markup_from_every_sheet_field_shows_as_text_on_every_card_and_page(
    app: Flask, local_google: Running, plan: dict[str, Any]
) -> None:
    seller = Seller(app, local_google, plan["seller"])
    params = {"parameters": {"deal_id": plan["deal_id"]}}
    answers = [
        seller.post("/addon/home", sheets={"id": plan["sheet"]}),
        seller.post("/addon/home"),
        seller.post("/addon/plan/show", common=params),
        seller.post("/addon/plan/refresh", common=params),
        seller.post("/addon/contact/new", common=params),
    ]
    fields = [text for answer in answers for text in _html_fields(answer)]

    leaked = [text for text in fields if OUR_TAGS.search(text)]
    assert leaked == []
    shown = "\n".join(fields)
    assert "&lt;a href=&#34;http://evil.example/Step-" in shown  # the next step, as text
    assert "Re-authenticate" in shown  # the buyer's text did reach the card

    page = app.test_client().post(
        "/preview/",
        data={"as": plan["seller"], "sheet": plan["sheet"], "action": "/addon/home"},
    )
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Re-authenticate Step-" in body
    assert '<a href="http://evil.example' not in body and "<script>x()" not in body

    grid = requests.get(
        f"{local_google.url}/_local/ui/s/{plan['sheet']}", params={"as": plan["buyer"]}, timeout=10
    ).text
    assert "Re-authenticate Step-" in grid and '<a href="http://evil.example' not in grid


def _google_requests(local_google: Running) -> int:
    stats = requests.get(f"{local_google.url}/_local/stats", timeout=10).json()
    return sum(
        count
        for methods in stats["by_user_method"].values()
        for method, count in methods.items()
        if method.startswith(("sheets.", "drive."))
    )


def test_a_seller_acting_on_another_sellers_plan_causes_no_work(
    app: Flask, local_google: Running, plan: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    intruder = Seller(app, local_google, f"mallory-{uuid.uuid4().hex[:6]}@vendor.example")
    params = {"parameters": {"deal_id": plan["deal_id"]}}
    contact = {"email": {"stringInputs": {"value": ["eve@evil.example"]}}}
    writes: list[str] = []
    opened = Store.transaction

    def watched(self: Store, *, read_only: bool = False) -> Any:
        if not read_only:
            writes.append("a write transaction")
        return opened(self, read_only=read_only)

    before = _google_requests(local_google)
    monkeypatch.setattr(Store, "transaction", watched)
    answers = {
        path: intruder.post(path, common=params, inputs=contact)
        for path in ("/addon/plan/show", "/addon/plan/refresh", "/addon/contact/new")
        + ("/addon/contact/add",)
    }
    monkeypatch.undo()

    for path, answer in answers.items():
        card = answer["renderActions"]["action"]["navigations"][0]["pushCard"]
        assert card["header"]["title"] == "Something went wrong", path
        assert "not one of yours" in json.dumps(card), path
    assert writes == []
    assert _google_requests(local_google) == before
