"""Every cell of every tab of a demo pipeline's review reads as people write, in Sheets and xlsx.

Issue 16 "The manager's review": human headers and values everywhere (names, not addresses or
internal ids; no snake_case headers, Python reprs or "None"/"nan"), one typed format per column,
each deal's name linked to its plan, frozen and filtered headers. Read back through the stand-in
with google-api-python-client (UNFORMATTED_VALUE and the cells' formats, as
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get returns them) and from
the .xlsx with openpyxl.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from test_consolidate import _services

from addon.demo.deals import demo_deals
from addon.demo.play import close_some, play_buyers
from addon.domain.plan_request import build_plan_request
from addon.domain.review_layout import REVIEW_TABS, quote_sheet
from addon.services.consolidate import Consolidator
from addon.services.context import today
from localgoogle.server import Running

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(\.[\w-]+)+")
INTERNAL = [
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I), "uuid"),
    (re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{12,}\b"), "hex id"),
    (re.compile(r"\b(deal|step)_[A-Za-z0-9-]{4,}"), "deal or step id"),
    (re.compile(r"^[(\[{].*[)\]}]$|\('|\['|\{'|',\s*'|\)\]"), "Python repr"),
    (re.compile(r"\b(None|nan|NaN|NaT|<NA>)\b"), "Python missing value"),
    (re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"), "snake_case word"),
    (re.compile(r"https?://"), "raw address"),
]


def problems(tab: str, rows: list[list[Any]]) -> list[str]:
    """What an internal value looks like where a person would read a word."""
    found = []
    for number, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            text = "" if value is None else str(value)
            where = f"{tab}!R{number}C{col + 1} {text[:80]!r}"
            if EMAIL.search(text):
                found.append(f"{where}: an address where a name is known")
            found += [f"{where}: {what}" for pattern, what in INTERNAL if pattern.search(text)]
            if number == 1 and (not text or text != text.strip()):
                found.append(f"{where}: a blank or padded header")
    return found


@pytest.fixture
def reviewed(local_google: Running, tmp_path: Path) -> Any:
    manager = f"morgan-{uuid.uuid4().hex[:8]}@vendor.example"
    services = _services(local_google, tmp_path, manager)
    seed = uuid.uuid4().int % 10_000
    names = ["enterprise-saas", "mid-market", "regulated-security", "expansion-renewal"]
    try:
        for deal in demo_deals(8, seed, today(), names):
            services.creator.create(build_plan_request(**asdict(deal), today=today()))
        play_buyers(services, 2, seed)
        close_some(services)
        (review,), _, _ = Consolidator(services).run(xlsx=tmp_path / "review.xlsx")
        yield services, manager, review, tmp_path / "review.xlsx"
    finally:
        services.close()


def _grid(sheets: Any, manager: str, workbook_id: str) -> dict[str, list[dict[str, Any]]]:
    fields = (
        "sheets(properties(title,gridProperties),basicFilter,bandedRanges,"
        "data.rowData.values(userEnteredValue,userEnteredFormat(numberFormat,textFormat.link)))"
    )
    got = (
        sheets(manager)
        .spreadsheets()
        .get(spreadsheetId=workbook_id, includeGridData=True, fields=fields)
        .execute()
    )
    return {s["properties"]["title"]: s for s in got["sheets"]}


def _table(sheet: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the tab's table: the grid's rows below it are blank (formatted, no value)."""
    rows = sheet["data"][0]["rowData"]
    return [r for r in rows if any("userEnteredValue" in c for c in r.get("values", []))]


def _shown(cell: dict[str, Any]) -> Any:
    value = cell.get("userEnteredValue", {})
    return next(iter(value.values()), None)


def test_every_cell_of_every_tab_reads_as_people_write_in_sheets_and_xlsx(
    reviewed: Any, sheets: Any
) -> None:
    services, manager, review, xlsx = reviewed
    got = (
        sheets(manager)
        .spreadsheets()
        .values()
        .batchGet(
            spreadsheetId=review.workbook_id,
            ranges=[quote_sheet(tab) for tab in REVIEW_TABS],
            valueRenderOption="UNFORMATTED_VALUE",
        )
        .execute()["valueRanges"]
    )
    tabs = {tab: block.get("values", []) for tab, block in zip(REVIEW_TABS, got, strict=True)}
    assert all(tabs[t] for t in ("Pipeline", "Steps", "Risks", "Activity", "Closed")), tabs.keys()
    found = [p for tab, rows in tabs.items() for p in problems(tab, rows)]
    charts = (
        sheets(manager)
        .spreadsheets()
        .get(spreadsheetId=review.workbook_id, fields="sheets(charts(spec(title,basicChart)))")
        .execute()["sheets"]
    )
    specs = [c["spec"] for sheet in charts for c in sheet.get("charts", [])]
    assert len(specs) == 3
    labels = [[spec["title"], *(a["title"] for a in spec["basicChart"]["axis"])] for spec in specs]
    found += problems("chart labels", labels)
    workbook = load_workbook(xlsx)
    for ws in workbook.worksheets:
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        found += problems(f"xlsx {ws.title}", [r for r in rows if any(v is not None for v in r)])
    assert not found, "\n".join(found[:60])


def test_deals_link_to_their_plans_and_every_column_has_one_typed_format(
    reviewed: Any, sheets: Any
) -> None:
    services, manager, review, xlsx = reviewed
    with services.store.transaction() as tx:
        urls = {d.name: d.url for d in tx.deals.newest_first()}
    grid = _grid(sheets, manager, review.workbook_id)
    for tab in ("Pipeline", "This week", "Risks", "Steps", "Closed"):
        rows = _table(grid[tab])
        header = [_shown(c) for c in rows[0]["values"]]
        deal = header.index("Deal")
        assert grid[tab]["properties"]["gridProperties"]["frozenRowCount"] == 1, tab
        assert "basicFilter" in grid[tab] and grid[tab].get("bandedRanges"), tab
        for row in rows[1:]:
            cell = row["values"][deal]
            link = cell["userEnteredFormat"]["textFormat"]["link"]["uri"]
            assert link == urls[_shown(cell)], (tab, _shown(cell))
    pipeline = _table(grid["Pipeline"])
    header = [_shown(c) for c in pipeline[0]["values"]]
    for name, kind in (("Amount", "CURRENCY"), ("Go-live", "DATE"), ("% done", "PERCENT")):
        column = header.index(name)
        for row in pipeline[1:]:
            cell = row["values"][column]
            assert isinstance(_shown(cell), int | float), (name, cell)  # typed, not text
            assert cell["userEnteredFormat"]["numberFormat"]["type"] == kind, (name, cell)

    ws = load_workbook(xlsx)["Pipeline"]
    header = [c.value for c in ws[1]]
    first = ws.cell(row=2, column=header.index("Deal") + 1)
    assert first.hyperlink is not None and first.hyperlink.target == urls[first.value]
    go_live = ws.cell(row=2, column=header.index("Go-live") + 1)
    assert go_live.is_date and go_live.number_format == "yyyy-mm-dd"
    assert ws.cell(row=2, column=header.index("Amount") + 1).number_format == "$#,##0"
    assert (
        ws.freeze_panes == "B2" and ws.auto_filter.ref and ws.print_title_rows in ("1:1", "$1:$1")
    )
    assert ws.page_setup.orientation == "landscape" and ws.conditional_formatting
