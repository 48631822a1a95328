"""BASELINE (not the product): the script a user would write instead, with gspread + pandas.

This is the peer that `report.py` compares the product against. It answers the same question
as the product's watch + consolidate ("what is the state of every plan?") the way a competent
Python user would without our product: for each plan spreadsheet, open it by key and read its
Plan, Deal and Stakeholders tabs into DataFrames with `gspread_dataframe.get_as_dataframe`, one
worksheet at a time as the library's documentation shows; compute a per-deal summary with pandas
(% done, overdue steps, next step, go-live, budget status, buyer stakeholders); then clear the
Summary tab of a review spreadsheet and write the summary with
`gspread_dataframe.set_with_dataframe`.

It is written to be fair: no sleeps, no retries that are not needed, the libraries used the
ordinary way. Per plan that costs 7 Sheets requests (`open_by_key` fetches the spreadsheet's
metadata, each `worksheet(title)` fetches it again, each `get_as_dataframe` is one values.get);
the summary costs 5 more (open, worksheet, clear, the resize set_with_dataframe always sends,
the values update). What a user could do better, and this script does not:
- read the three tabs in one request with `Spreadsheet.values_batch_get` (2 requests per plan:
  the open and the batch read), or keep the `Worksheet` objects from one `worksheets()` call;
- read plans from a few threads at once (the product's watch reads 8 plans at a time);
- read only the plans that changed, which needs Drive's change feed and stored snapshots:
  that is the product.
It is handed the plan keys for free (a user would keep them in a list or search Drive).

Run it alone against a running stand-in (`map-addon run` or `map-addon local-google`):

    .venv/bin/python scripts/bench/baseline_gspread.py --user EMAIL KEY [KEY ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import gspread
import pandas as pd
from gspread_dataframe import get_as_dataframe, set_with_dataframe

from addon.config import DEFAULT_LOCAL_GOOGLE_URL, DEFAULT_SERVICE_ACCOUNT
from addon.google.clients import Backend, gspread_client

LABEL = "BASELINE gspread + gspread-dataframe script"
TABS = ("Plan", "Deal", "Stakeholders")
SUMMARY_TAB = "Summary"


@dataclass(frozen=True)
class BaselineRun:
    """What the baseline produced: the summary it wrote and where."""

    summary: pd.DataFrame
    review_key: str


def client_for(url: str, email: str) -> gspread.Client:
    """A gspread client that talks to the stand-in at `url` as `email`."""
    return gspread_client(Backend.local(url, email))


def create_review_sheet(client: gspread.Client, title: str = "Plan summary (baseline)") -> str:
    """The spreadsheet the summary is written to, with a Summary tab; its key."""
    spreadsheet = client.create(title)
    spreadsheet.sheet1.update_title(SUMMARY_TAB)
    return spreadsheet.id


def read_plan(client: gspread.Client, key: str) -> tuple[gspread.Spreadsheet, dict[str, Any]]:
    """Open one plan and read its tabs into DataFrames, one worksheet at a time."""
    spreadsheet = client.open_by_key(key)
    tabs = {title: get_as_dataframe(spreadsheet.worksheet(title)) for title in TABS}
    return spreadsheet, tabs


def summarise(
    spreadsheet: gspread.Spreadsheet, tabs: dict[str, pd.DataFrame], today: date
) -> dict[str, Any]:
    """One summary row for a plan: progress, overdue steps, next step and a few deal facts."""
    plan = tabs["Plan"].dropna(subset=["Step"])
    status = plan["Status"].fillna("").astype(str).str.strip()
    due = pd.to_datetime(plan["Due date"], errors="coerce")
    done = status.eq("Done")
    overdue = ~done & (due < pd.Timestamp(today))
    buyer_side = plan["Owner side"].isin(["Buyer", "Both"])
    upcoming = plan.assign(due=due)[~done].sort_values("due")
    nxt = upcoming.iloc[0] if len(upcoming) else None
    facts = tabs["Deal"].dropna(subset=["Fact"]).set_index("Fact")["Value"]
    people = tabs["Stakeholders"]
    return {
        "Plan": spreadsheet.title,
        "Steps": len(plan),
        "% done": round(100 * done.mean()) if len(plan) else 0,
        "Overdue steps": int(overdue.sum()),
        "Overdue (buyer)": int((overdue & buyer_side).sum()),
        "Next step": "" if nxt is None else nxt["Step"],
        "Next step owner": "" if nxt is None else nxt["Owner side"],
        "Next step due": "" if nxt is None or pd.isna(nxt["due"]) else nxt["due"].date(),
        "Go-live": facts.get("Go-live date", ""),
        "Budget status": facts.get("Budget status", ""),
        "Buyer stakeholders": int(people["Side"].eq("Buyer").sum()),
        "Link": spreadsheet.url,
    }


def write_summary(client: gspread.Client, review_key: str, summary: pd.DataFrame) -> None:
    """Replace the review spreadsheet's Summary tab with `summary`."""
    worksheet = client.open_by_key(review_key).worksheet(SUMMARY_TAB)
    worksheet.clear()
    # allow_formulas=False: a buyer's "=IMPORTXML(...)" in a step name stays text.
    set_with_dataframe(worksheet, summary, allow_formulas=False)


def run_baseline(
    client: gspread.Client,
    plan_keys: Sequence[str],
    review_key: str,
    today: date,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> BaselineRun:
    """Read every plan, summarise each one, and write the summary: the whole baseline."""
    rows = []
    for number, key in enumerate(plan_keys, start=1):
        spreadsheet, tabs = read_plan(client, key)
        rows.append(summarise(spreadsheet, tabs, today))
        progress(number, len(plan_keys))
    summary = pd.DataFrame(rows)
    write_summary(client, review_key, summary)
    return BaselineRun(summary, review_key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("keys", nargs="+", help="plan spreadsheet ids (`map-addon plan list`)")
    parser.add_argument("--url", default=DEFAULT_LOCAL_GOOGLE_URL, help="the stand-in")
    parser.add_argument("--user", default=DEFAULT_SERVICE_ACCOUNT, help="who reads the plans")
    parser.add_argument("--review-key", default=None, help="default: a new spreadsheet")
    args = parser.parse_args()
    client = client_for(args.url, args.user)
    review_key = args.review_key or create_review_sheet(client)
    start = time.perf_counter()
    run = run_baseline(client, args.keys, review_key, datetime.now(UTC).date())
    seconds = time.perf_counter() - start
    print(f"{LABEL}: {len(args.keys)} plans summarised in {seconds:.1f} s")
    print(f"summary written to spreadsheet {run.review_key}")
    run.summary.to_string(sys.stdout, max_rows=20)
    print()


if __name__ == "__main__":
    main()
