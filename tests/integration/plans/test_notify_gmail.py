"""Reminders through the stand-in's Gmail with the real client library, as `map-addon notify`
runs them: a plan made by the product, a pass on the day a step falls due, the messages read
back from the seller's mailbox (users.messages.get), and a second pass that sends nothing."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest

from addon.cli import main
from addon.domain.plan_request import build_plan_request
from addon.google.clients import gmail_service
from addon.services.context import Services
from localgoogle.server import Running

TODAY = date(2026, 11, 26)


@pytest.fixture
def services(local_google: Running, tmp_path: Path) -> Services:
    from addon.config import Config

    built = Services(
        Config.from_env(
            {
                "MAP_LOCAL_GOOGLE_URL": local_google.url,
                "MAP_DATA_DIR": str(tmp_path / "data"),
                "MAP_SERVICE_ACCOUNT": f"svc-{uuid.uuid4().hex[:6]}@map.example.com",
                "MAP_ADDON_AUDIENCE": "https://map.example",
            }
        )
    )
    yield built  # type: ignore[misc]
    built.close()


def test_a_pass_sends_each_reminder_once_through_gmail(
    services: Services, local_google: Running
) -> None:
    tag = uuid.uuid4().hex[:6]
    seller, buyer = f"maya.patel-{tag}@vendor.example", f"ann-{tag}@acme.example"
    created = services.creator.create(
        build_plan_request(
            deal_name="Acme rollout",
            buyer_company="Acme",
            buyer_emails=[buyer],
            go_live="2027-04-01",
            template="mid-market",
            owner=seller,
            today=TODAY,
        )
    )
    with services.store.transaction(read_only=True) as tx:
        snapshot = tx.snapshots.latest(created.deal_id)
    assert snapshot is not None
    first_due = min(date.fromisoformat(s["due"]) for s in snapshot.payload["steps"])
    notifier = services.notifier
    notifier.today = lambda: first_due - timedelta(days=1)

    result = notifier.run_once()
    assert result.sent and {s["kind"] for s in result.sent} == {"reminder"}
    to_buyer = [s for s in result.sent if s["to"] == buyer]
    assert to_buyer
    mailbox = gmail_service(services.google.backend_for(seller)).users()
    got = mailbox.messages().get(userId="me", id=to_buyer[0]["message_id"], format="raw").execute()
    message = email.message_from_bytes(
        base64.urlsafe_b64decode(got["raw"]), policy=email.policy.default
    )
    assert message["From"].addresses[0].addr_spec == seller
    assert message["From"].addresses[0].display_name.startswith("Maya Patel")
    assert message["To"].addresses[0].addr_spec == buyer
    steps = to_buyer[0]["steps"]  # the buyer's steps due soon, in one message
    if len(steps) == 1:
        assert message["Subject"].startswith(f"Due tomorrow: {steps[0]} ")
    else:
        assert (
            message["Subject"]
            == f"{len(steps)} steps need you: {len(steps)} due soon (Acme rollout)"
        )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://map.example/notify/stop?token=" in message["List-Unsubscribe"]
    kinds = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= kinds
    assert "SENT" in got["labelIds"]

    assert notifier.run_once().sent == []  # each key once


def test_notify_once_json_prints_what_it_sent(
    local_google: Running,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MAP_DATA_DIR", str(tmp_path / "cli"))
    monkeypatch.setenv("MAP_LOCAL_GOOGLE_URL", local_google.url)
    monkeypatch.delenv("MAP_DATABASE_URL", raising=False)
    assert main(["notify", "--once", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"sent": [], "drafted": [], "skipped": []}
