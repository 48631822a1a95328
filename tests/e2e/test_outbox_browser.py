"""In a real browser: a reminder the notification pass sent through Gmail is read in the
stand-in's outbox page, as the buyer it went to; names are shown, buyer text is not live HTML.

Headless Chromium driven by Playwright; a screenshot is kept in tests/e2e/artifacts/.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import Page
from test_preview_browser import ARTIFACTS, page  # noqa: F401 (the browser fixture)

from addon.config import Config
from addon.domain.plan_request import build_plan_request
from addon.services.context import Services
from localgoogle.server import Running

MADE = date(2026, 11, 26)


def test_the_buyer_reads_their_reminder_in_the_outbox(
    local_google: Running,
    tmp_path: Path,
    page: Page,  # noqa: F811
) -> None:
    tag = uuid.uuid4().hex[:6]
    seller, buyer = f"maya.patel-{tag}@vendor.example", f"ann-{tag}@acme.example"
    services = Services(
        Config.from_env(
            {
                "MAP_LOCAL_GOOGLE_URL": local_google.url,
                "MAP_DATA_DIR": str(tmp_path / "data"),
                "MAP_SERVICE_ACCOUNT": f"svc-{tag}@map.example.com",
                "MAP_ADDON_AUDIENCE": "https://map.example",
            }
        )
    )
    try:
        created = services.creator.create(
            build_plan_request(
                deal_name="Acme <b>rollout</b>",
                buyer_company="Acme",
                buyer_emails=[buyer],
                go_live="2027-04-01",
                template="mid-market",
                owner=seller,
                today=MADE,
            )
        )
        with services.store.transaction(read_only=True) as tx:
            snapshot = tx.snapshots.latest(created.deal_id)
        assert snapshot is not None
        first_due = min(date.fromisoformat(s["due"]) for s in snapshot.payload["steps"])
        services.notifier.today = lambda: first_due - timedelta(days=1)
        sent = services.notifier.run_once().sent
        assert any(item["to"] == buyer for item in sent)
    finally:
        services.close()

    page.goto(f"{local_google.url}/_local/outbox?as={buyer}")
    page.wait_for_load_state("networkidle")
    body = page.locator("body")
    text = body.inner_text()
    assert "due tomorrow" in text.lower()  # one step ("Due tomorrow: ...") or a list of them
    assert "Maya Patel" in text  # the sender by name
    assert "Acme <b>rollout</b>" in text  # the deal's name as typed, shown as text
    assert page.locator("main b:text-is('rollout')").count() == 0  # never as live markup
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "outbox-buyer.png"), full_page=True)
