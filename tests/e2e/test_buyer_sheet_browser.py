"""In a real browser: the buyer's sheet in the stand-in's UI as Sheets shows it. The Plan tab's
Status is a dropdown (a ONE_OF_LIST rule with showCustomUi) and a row marked Done turns green
(a conditional format); the Deal tab's "Plan agreed by buyer" is a checkbox (a BOOLEAN rule);
the watch then fills "Done on" and "Buyer agreed on", shown in date pickers.

References: https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/other
(DataValidationRule, ConditionType). Headless Chromium driven by Playwright; screenshots are
kept in tests/e2e/artifacts/.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import Path

from playwright.sync_api import Page
from test_preview_browser import ARTIFACTS, page  # noqa: F401 (the browser fixture)

from addon.config import Config
from addon.domain.layout_deal import deal_fact
from addon.domain.model import Status
from addon.domain.plan_request import build_plan_request
from addon.services.context import Services
from localgoogle.server import Running

MADE = date(2026, 11, 26)
DONE_GREEN = "rgb(217, 235, 212)"  # layout_tabs.DONE_GREEN as CSS


def _shot(page: Page, name: str) -> None:  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _row(cell: str) -> int:
    """The 0-based row of an A1 cell ("Deal!B9" -> 8), as the UI names its inputs."""
    return int(re.sub(r"\D", "", cell.split("!")[1])) - 1


def test_the_buyer_picks_a_status_from_a_dropdown_and_ticks_a_checkbox(
    local_google: Running,
    tmp_path: Path,
    page: Page,  # noqa: F811
) -> None:
    tag = uuid.uuid4().hex[:6]
    seller, buyer = f"sam-{tag}@vendor.example", f"ann-{tag}@acme.example"
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
                deal_name="Acme rollout",
                buyer_company="Acme",
                buyer_emails=[buyer],
                go_live="2027-04-01",
                template="mid-market",
                owner=seller,
                today=MADE,
            )
        )
        services.watcher.tick()  # the change feed starts here
        sheet = f"{local_google.url}/_local/ui/s/{created.spreadsheet_id}?as={buyer}"

        page.goto(f"{sheet}&tab=Plan")
        status = page.locator("select[name=c_1_6]")  # the first step's Status (column G)
        options = status.locator("option").all_inner_texts()
        assert options == ["", *(s.value for s in Status)]
        assert status.input_value() == Status.NOT_STARTED.value
        status.select_option(Status.DONE.value)
        _shot(page, "buyer-1-status-dropdown")
        page.click("button:has-text('Save changes')")
        page.wait_for_selector("select[name=c_1_6]")
        assert page.locator("select[name=c_1_6]").input_value() == "Done"
        row_colour = page.locator("td:has(select[name=c_1_6])").evaluate(
            "cell => getComputedStyle(cell).backgroundColor"
        )
        assert row_colour == DONE_GREEN
        _shot(page, "buyer-2-done-row-green")

        page.goto(f"{sheet}&tab=Deal")
        row = _row(deal_fact("plan_agreed_buyer").value_cell)
        box = page.locator(f"input[type=checkbox][name=c_{row}_1]")
        assert box.count() == 1 and not box.is_checked()
        box.check()
        _shot(page, "buyer-3-agreement-checkbox")
        page.click("button:has-text('Save changes')")
        assert page.locator(f"input[type=checkbox][name=c_{row}_1]").is_checked()

        services.watcher.tick()  # reads the edits, fills the dates the buyer left blank
        page.goto(f"{sheet}&tab=Plan")
        done_on = page.locator("input[type=date][name=c_1_7]").input_value()
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", done_on), done_on
        page.goto(f"{sheet}&tab=Deal")
        on_row = _row(deal_fact("plan_agreed_buyer_on").value_cell)
        agreed_on = page.locator(f"input[type=date][name=c_{on_row}_1]").input_value()
        assert agreed_on == done_on  # both seen by the same read
        _shot(page, "buyer-4-dates-filled")
    finally:
        services.close()
