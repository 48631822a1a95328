"""In a real browser: the preview plays the sidebar; a buyer's edit shows up in the plan card,
and the seller marks a deal lost and reopens it.

Headless Chromium (Debian's, installed by the Makefile's test prerequisites) driven by
Playwright. Screenshots of each step are kept in tests/e2e/artifacts/.
"""

from __future__ import annotations

import shutil
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from addon import create_app
from addon.config import Config
from addon.domain.plan_request import build_plan_request
from addon.web.resources import services
from localgoogle.server import Running

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def app_url(local_google: Running, tmp_path: Path) -> Iterator[tuple[str, Any]]:
    server = make_server("127.0.0.1", 0, None, threaded=True)  # type: ignore[arg-type]
    base = f"http://127.0.0.1:{server.server_port}"
    config = Config.from_env(
        {
            "MAP_LOCAL_GOOGLE_URL": local_google.url,
            "MAP_DATA_DIR": str(tmp_path),
            "MAP_SERVICE_ACCOUNT": f"svc-{uuid.uuid4().hex[:8]}@map.example.com",
            "MAP_ADDON_AUDIENCE": base,
        }
    )
    app = create_app(config)
    server.app = app  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base, app
    server.shutdown()
    with app.app_context():
        services().close()


@pytest.fixture
def page() -> Iterator[Page]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: run `make test`, which installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        opened = browser.new_page(viewport={"width": 1300, "height": 900})
        yield opened
        browser.close()


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_create_a_plan_edit_it_as_the_buyer_and_see_the_change_in_the_sidebar(
    app_url: tuple[str, Any], local_google: Running, page: Page
) -> None:
    base, app = app_url
    seller = f"sam-{uuid.uuid4().hex[:8]}@vendor.example"
    buyer = f"ann-{uuid.uuid4().hex[:8]}@acme.example"

    page.goto(f"{base}/preview/?as={seller}")
    page.click("#open-addon")
    page.wait_for_selector("#sidebar >> text=Mutual action plans")
    page.click("#sidebar button:has-text('New plan')")
    page.fill("input[name=input_deal]", "Acme rollout")
    page.fill("input[name=input_buyer_company]", "Acme")
    page.fill("input[name=input_buyer_email_0]", buyer)
    page.select_option("select[name=input_buyer_role_0]", "Economic buyer")
    page.fill("input[name=date_go_live]", "2027-04-30")
    page.select_option("select[name=input_template]", "mid-market")
    _shot(page, "1-new-plan-form")
    page.click("#sidebar button:has-text('Create plan')")
    page.wait_for_selector("#sidebar >> text=Plan created")
    _shot(page, "2-plan-created")

    with app.app_context(), services().store.transaction() as tx:
        (deal,) = tx.deals.newest_first(owner_email=seller)
    with app.app_context():
        services().watcher.tick()  # the change feed starts here
    page.goto(f"{local_google.url}/_local/ui/s/{deal.spreadsheet_id}?as={buyer}&tab=Plan")
    page.fill("input[name=c_1_5]", "2027-04-09")  # the first step's due date, moved later
    _shot(page, "3-buyer-moves-a-date")
    page.click("button:has-text('Save changes')")

    page.goto(f"{base}/preview/?as={seller}&sheet={deal.spreadsheet_id}")
    page.click("#open-addon")
    page.wait_for_selector("#sidebar >> text=Health")
    page.click("#sidebar button:has-text('Refresh now')")
    page.wait_for_selector("#note >> text=Plan refreshed")
    _shot(page, "4-sidebar-shows-the-slip")
    latest = page.inner_text("#sidebar")
    assert f"{buyer}: Moved" in latest and "to 2027-04-09" in latest and "later" in latest


def test_mark_a_deal_lost_from_the_sidebar_then_reopen_it(
    app_url: tuple[str, Any], page: Page
) -> None:
    base, app = app_url
    seller = f"sam-{uuid.uuid4().hex[:8]}@vendor.example"
    today = datetime.now(UTC).date()
    with app.app_context():
        plan = services().creator.create(
            build_plan_request(
                deal_name="Globex pilot",
                buyer_company="Globex",
                buyer_emails=[f"ann-{uuid.uuid4().hex[:8]}@globex.example"],
                go_live=(today + timedelta(days=120)).isoformat(),
                template="mid-market",
                owner=seller,
                today=today,
            )
        )

    page.goto(f"{base}/preview/?as={seller}&sheet={plan.spreadsheet_id}")
    page.click("#open-addon")
    page.wait_for_selector("#sidebar >> text=Outcome")
    page.select_option("select[name=input_loss_reason]", "Competitor")
    page.fill("input[name=input_loss_words]", "they bundled it")
    page.fill("input[name=input_competitor]", "Initrode")
    page.click("#sidebar button:has-text('Mark lost')")
    line = f"Lost on {today.isoformat()}, reason: Competitor, to Initrode"
    page.wait_for_selector(f"#note >> text={line}")
    _shot(page, "5-deal-marked-lost")
    shown = page.inner_text("#sidebar")
    assert f"Outcome\nDeal status\n{line}" in shown and "Mark lost" not in shown

    page.click("#sidebar button:has-text('Reopen')")
    page.wait_for_selector("#note >> text=Reopened")
    _shot(page, "6-deal-reopened")
    shown = page.inner_text("#sidebar")
    assert "Outcome\nDeal status\nOpen" in shown and "Mark lost" in shown
    assert "Reopen" not in page.inner_text("#sidebar .section:has-text('Deal status')")
