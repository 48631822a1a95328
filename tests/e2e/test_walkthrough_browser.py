"""The three users' first minutes, in a real browser, on the stack `make run` starts.

The stand-in, the add-on app (its preview plays the Sheets sidebar), a demo pipeline played
over three simulated weeks and a pipeline review, as `map-addon run` builds them. Then:
- the seller creates a plan with a go-live the template cannot fit, takes the proposed date,
  agrees the plan for their side and adds a buyer contact;
- the buyer opens the plan in the stand-in's UI: a Status dropdown, colours by status;
- the manager opens the review's This week tab.
Each view's screenshot is written to tests/e2e/artifacts/, or where MAP_SCREENSHOTS names:
`MAP_SCREENSHOTS=docs/screenshots` refreshes the pictures the README shows, so they stay true
to the product without every test run changing tracked files.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from test_preview_browser import page  # noqa: F401 (the browser fixture)
from werkzeug.serving import make_server

from addon import create_app
from addon.cli import DEMO_DEALS
from addon.config import Config
from addon.demo.pipeline import play_demo
from addon.domain.businessdays import add_business_days
from addon.domain.model import Side, Status
from addon.domain.plan_checks import earliest_go_live
from addon.domain.templates import find_template
from addon.services.consolidate import Consolidator
from addon.services.context import today
from addon.web.resources import services
from localgoogle.server import Running

ROOT = Path(__file__).parents[2]
SCREENSHOTS = ROOT / os.environ.get("MAP_SCREENSHOTS", "tests/e2e/artifacts")
MANAGER = "morgan.lee@vendor.example"
VIEW = {"width": 1280, "height": 800}


@dataclass
class Stack:
    base: str  # the add-on app
    google: str  # the stand-in
    app: Any
    review_id: str


@pytest.fixture(scope="module")
def stack(local_google: Running, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("walkthrough")
    teams = tmp / "teams.yaml"
    teams.write_text(f"teams:\n  - name: demo\n    managers: [{MANAGER}]\n")
    server = make_server("127.0.0.1", 0, None, threaded=True)  # type: ignore[arg-type]
    base = f"http://127.0.0.1:{server.server_port}"
    config = Config.from_env(
        {
            "MAP_LOCAL_GOOGLE_URL": local_google.url,
            "MAP_DATA_DIR": str(tmp / "data"),
            "MAP_SERVICE_ACCOUNT": f"svc-{uuid.uuid4().hex[:8]}@map.example.com",
            "MAP_ADDON_AUDIENCE": base,
            "MAP_TEAMS_FILE": str(teams),
        }
    )
    app = create_app(config)
    server.app = app  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with app.app_context():
        shared = services()
        play_demo(shared, DEMO_DEALS, seed=1, weeks=3, say=lambda message: None)
        (review,), _, _ = Consolidator(shared).run()
    yield Stack(base, local_google.url, app, review.workbook_id)
    server.shutdown()
    with app.app_context():
        services().close()


def _shot(page: Page, name: str) -> None:  # noqa: F811
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_the_seller_takes_the_proposed_go_live_agrees_and_adds_a_contact(
    stack: Stack,
    page: Page,  # noqa: F811
) -> None:
    page.set_viewport_size(VIEW)
    seller = f"sam.rivera-{uuid.uuid4().hex[:6]}@vendor.example"
    mid_market = find_template("mid-market")
    earliest = earliest_go_live(mid_market, today())
    assert earliest is not None
    too_soon = add_business_days(today(), 5, frozenset(mid_market.holidays))

    page.goto(f"{stack.base}/preview/?as={seller}")
    page.click("#open-addon")
    page.click("#sidebar button:has-text('New plan')")
    page.fill("input[name=input_deal]", "Northwind finance rollout")
    page.fill("input[name=input_buyer_company]", "Northwind")
    page.fill("input[name=input_buyer_email_0]", "ann.lee@northwind.example")
    page.select_option("select[name=input_buyer_role_0]", "Champion")
    page.fill("input[name=date_go_live]", too_soon.isoformat())
    page.select_option("select[name=input_template]", "mid-market")
    page.click("#sidebar button:has-text('Create plan')")
    page.wait_for_selector("#sidebar >> text=cannot fit")
    assert f"({earliest.isoformat()})" in page.inner_text("#sidebar")
    page.click("#sidebar button:has-text('Use ')")
    page.wait_for_selector("#sidebar >> text=Create plan")
    page.click("#sidebar button:has-text('Create plan')")
    page.wait_for_selector("#sidebar >> text=Plan created")

    with stack.app.app_context():
        with services().store.transaction(read_only=True) as tx:
            (deal,) = tx.deals.newest_first(owner_email=seller)
        services().watcher.tick()  # the plan's first read: its card has figures
    assert deal.go_live == earliest
    page.goto(f"{stack.base}/preview/?as={seller}&sheet={deal.spreadsheet_id}")
    page.click("#open-addon")
    page.click("#sidebar button:has-text('Agree the plan for our side')")
    page.wait_for_selector("#sidebar >> text=Health")
    assert "Agree the plan for our side" not in page.inner_text("#sidebar")

    page.click("#sidebar button:has-text('Add buyer contact')")
    page.fill("input[name=input_email]", "raj.patel@northwind.example")
    page.fill("input[name=input_name]", "Raj Patel")
    page.select_option("select[name=input_role]", "Economic buyer")
    page.click("#sidebar button:has-text('Add and share')")
    page.wait_for_selector("#note >> text=Shared with raj.patel@northwind.example")
    shown = page.inner_text("#sidebar")
    assert "Raj Patel" in shown and "Economic buyer" in shown
    _shot(page, "seller-sidebar")


def test_the_buyer_sees_dropdowns_and_colours_in_the_plan(
    stack: Stack,
    page: Page,  # noqa: F811
) -> None:
    page.set_viewport_size(VIEW)
    with stack.app.app_context(), services().store.transaction(read_only=True) as tx:
        deals = [d for d in tx.deals.newest_first() if d.spreadsheet_id]
    deal = deals[-1]  # the first demo deal: its buyer has finished steps
    buyer = next(p.email for p in deal.people if p.side is Side.BUYER)
    page.goto(f"{stack.google}/_local/ui/s/{deal.spreadsheet_id}?as={buyer}&tab=Plan")
    status = page.locator("select[name=c_1_6]")
    assert status.locator("option").all_inner_texts() == ["", *(s.value for s in Status)]
    colours = page.locator("td:has(select)").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c).backgroundColor)"
    )
    assert len(set(colours)) > 1, "rows are coloured by their status"
    _shot(page, "buyer-sheet")


def test_the_manager_opens_this_week(
    stack: Stack,
    page: Page,  # noqa: F811
) -> None:
    page.set_viewport_size(VIEW)
    page.goto(f"{stack.google}/_local/ui/s/{stack.review_id}?as={MANAGER}&tab=This%20week")
    cells = page.locator("table input, table textarea").evaluate_all("els => els.map(e => e.value)")
    text = page.inner_text("body") + "\n".join(cells)  # a cell's value is its input's
    assert "Why" in text and "Ask" in text
    with stack.app.app_context(), services().store.transaction(read_only=True) as tx:
        names = [d.name for d in tx.deals.newest_first()]
    assert any(name in text for name in names), "a deal that needs the manager is listed"
    _shot(page, "manager-this-week")
