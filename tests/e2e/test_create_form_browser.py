"""In a real browser: the seller fills the New plan form with a go-live the template cannot
fit, sees why and the proposed date, takes it in one click and creates the plan.

Headless Chromium driven by Playwright through the preview (`web/preview.py`), which plays
the sidebar; screenshots of each step are kept in tests/e2e/artifacts/.
"""

from __future__ import annotations

import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from addon import create_app
from addon.config import Config
from addon.domain.businessdays import add_business_days
from addon.domain.plan_checks import earliest_go_live
from addon.domain.templates import find_template
from addon.services.context import today
from addon.web.resources import services
from localgoogle.server import Running

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


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
        yield browser.new_page(viewport={"width": 1300, "height": 900})
        browser.close()


def test_a_go_live_too_soon_is_refused_with_a_proposal_taken_in_one_click(
    app_url: tuple[str, Any], page: Page
) -> None:
    base, app = app_url
    seller = f"sam-{uuid.uuid4().hex[:8]}@vendor.example"
    mid_market = find_template("mid-market")
    earliest = earliest_go_live(mid_market, today())
    assert earliest is not None
    too_soon = add_business_days(today(), 5, frozenset(mid_market.holidays))

    page.goto(f"{base}/preview/?as={seller}")
    page.click("#open-addon")
    page.click("#sidebar button:has-text('New plan')")
    page.fill("input[name=input_deal]", "Acme rollout")
    page.fill("input[name=input_buyer_company]", "Acme")
    page.fill("input[name=input_buyer_email_0]", "ann@acme.example")
    page.select_option("select[name=input_buyer_role_0]", "Champion")
    page.fill("input[name=date_go_live]", too_soon.isoformat())
    page.select_option("select[name=input_template]", "mid-market")
    page.click("#sidebar button:has-text('Create plan')")
    page.wait_for_selector("#sidebar >> text=cannot fit")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "create-1-go-live-proposed.png"), full_page=True)
    said = page.inner_text("#sidebar")
    assert "The earliest go-live that fits is" in said and f"({earliest.isoformat()})" in said
    with app.app_context(), services().store.transaction(read_only=True) as tx:
        assert tx.deals.newest_first(owner_email=seller) == []

    page.click("#sidebar button:has-text('Use ')")
    page.wait_for_selector("#sidebar >> text=Create plan")
    assert page.input_value("input[name=date_go_live]") == earliest.isoformat()
    assert page.input_value("input[name=input_deal]") == "Acme rollout"  # the rest is kept
    page.click("#sidebar button:has-text('Create plan')")
    page.wait_for_selector("#sidebar >> text=Plan created")
    page.screenshot(path=str(ARTIFACTS / "create-2-plan-created.png"), full_page=True)
    with app.app_context(), services().store.transaction(read_only=True) as tx:
        (deal,) = tx.deals.newest_first(owner_email=seller)
    assert deal.go_live == earliest
    assert {(p.email, p.role) for p in deal.people if p.email.endswith("@acme.example")} == {
        ("ann@acme.example", "Champion")
    }
