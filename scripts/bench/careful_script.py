"""CAREFUL SCRIPT (not the product): what a skilled engineer would write instead of the add-on.

The peer that `bench_careful.py` compares the product's consolidate against. Where the BASELINE
(`baseline_gspread.py`) reads every plan on every run, this script does what a careful engineer
who knows the Google APIs would do, with google-api-python-client:

- at set-up, take a Drive change-feed start token (`changes.getStartPageToken`), create a summary
  spreadsheet, read every plan once and write the summary (set-up: not what a run costs);
- each run, list the change feed since the kept token (`changes.list`, every page, 1,000 changes
  a page), and for each plan in it read the plan's tabs in one `values.batchGet` of the ranges
  the product reads (`READ_RANGES` of `addon.services.plan_refresh`);
- parse minimally (the Plan tab's steps by their header, the Deal tab's facts, the buyer
  stakeholders) into one summary row per plan, kept in memory and, from the command line, in a
  JSON state file with the page token;
- write the summary with one `values.update` of the whole table, and only when a row changed.

Nothing changed costs one Drive request; K changed plans cost 1 + K reads and one write. It reads
one plan after another (a script, not a service). It is handed the plan keys (a user would keep
them in a list) and ignores other files in the feed, such as its own summary. What it does not
do, and the product does: record who changed what (events), write those back into each plan's
Activity tab, check the plan against the agreed terms, and compute a review with risks and a
forecast from the plans' history.

Run it alone against a running stand-in (`map-addon run` or `map-addon local-google`):

    .venv/bin/python scripts/bench/careful_script.py --state careful.json KEY [KEY ...]

The first run (no state file) is the set-up; later runs are incremental.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from addon.config import DEFAULT_LOCAL_GOOGLE_URL, DEFAULT_SERVICE_ACCOUNT
from addon.google.clients import Backend, drive_service, sheets_service
from addon.services.plan_refresh import READ_RANGES

LABEL = "CAREFUL SCRIPT (change feed + one batchGet per changed plan)"
SUMMARY_TAB = "Summary"
COLUMNS = (
    "Plan",
    "Steps",
    "% done",
    "Overdue steps",
    "Next step",
    "Next step due",
    "Go-live",
    "Budget status",
    "Buyer stakeholders",
    "Link",
)
SHEETS_EPOCH = date(1899, 12, 30)  # day 0 of Sheets' serial dates

Row = list[Any]


@dataclass(frozen=True)
class RunResult:
    """What one run did: the plans it read and whether it wrote the summary."""

    changes: int
    plans_read: tuple[str, ...]
    wrote: bool


@dataclass
class CarefulScript:
    """The script's state (page token, summary rows by plan key) and its Google clients."""

    sheets: Any
    drive: Any
    plan_keys: tuple[str, ...]
    today: date
    page_token: str = ""
    summary_key: str = ""
    rows: dict[str, Row] = field(default_factory=dict)
    written_rows: int = 0  # rows below the header in the sheet, to blank out if it shrinks

    @classmethod
    def connect(cls, url: str, email: str, plan_keys: Iterable[str], today: date) -> CarefulScript:
        backend = Backend.local(url, email)
        return cls(sheets_service(backend), drive_service(backend), tuple(plan_keys), today)

    # ------------------------------------------------------------------ set-up

    def set_up(self, title: str = "Plan summary (careful script)") -> None:
        """Start the change feed, create the summary sheet, read every plan once, write."""
        self.page_token = self.drive.changes().getStartPageToken().execute()["startPageToken"]
        body = {"properties": {"title": title}, "sheets": [{"properties": {"title": SUMMARY_TAB}}]}
        created = self.sheets.spreadsheets().create(body=body, fields="spreadsheetId").execute()
        self.summary_key = created["spreadsheetId"]
        for key in self.plan_keys:
            name = self.drive.files().get(fileId=key, fields="name").execute()["name"]
            self.rows[key] = self._read(key, name)
        self._write()

    # ------------------------------------------------------------------ one run

    def run(self) -> RunResult:
        """Read the plans the change feed names and rewrite the summary if a row changed."""
        changes = self._changes()
        names = {
            c["fileId"]: (c.get("file") or {}).get("name")
            for c in changes
            if c["fileId"] in self.rows and not c.get("removed")
        }
        changed = False
        for key, name in names.items():
            row = self._read(key, name)
            if row != self.rows[key]:
                self.rows[key], changed = row, True
        if changed:
            self._write()
        return RunResult(len(changes), tuple(names), changed)

    def _changes(self) -> list[dict[str, Any]]:
        """Every change since the kept token, all pages; keeps the new start token."""
        changes: list[dict[str, Any]] = []
        token = self.page_token
        while True:
            page = (
                self.drive.changes()
                .list(
                    pageToken=token,
                    pageSize=1000,
                    fields="nextPageToken,newStartPageToken,changes(fileId,removed,file(name))",
                )
                .execute()
            )
            changes.extend(page.get("changes", []))
            if "nextPageToken" in page:
                token = page["nextPageToken"]
                continue
            self.page_token = page["newStartPageToken"]
            return changes

    def _read(self, key: str, name: str | None) -> Row:
        """One values.batchGet of the plan's tabs, summarised into one row."""
        answer = (
            self.sheets.spreadsheets()
            .values()
            .batchGet(
                spreadsheetId=key,
                ranges=READ_RANGES,
                valueRenderOption="UNFORMATTED_VALUE",
                dateTimeRenderOption="SERIAL_NUMBER",
            )
            .execute()
        )
        tabs = [vr.get("values", []) for vr in answer.get("valueRanges", [])]
        plan, deal, people = (tabs + [[], [], []])[:3]
        title = name if name is not None else (self.rows.get(key) or [key])[0]
        return summarise(title, key, plan, deal, people, self.today)

    def _write(self) -> None:
        """The whole table in one values.update (RAW: a buyer's text never becomes a formula)."""
        table = [list(COLUMNS)] + [self.rows[key] for key in self.plan_keys]
        blank = [[""] * len(COLUMNS)] * max(0, self.written_rows - len(self.rows))
        self.sheets.spreadsheets().values().update(
            spreadsheetId=self.summary_key,
            range=f"{SUMMARY_TAB}!A1",
            valueInputOption="RAW",
            body={"values": table + blank},
        ).execute()
        self.written_rows = len(self.rows)

    # ------------------------------------------------------------------ state file

    def save(self, path: Path) -> None:
        state = {
            "page_token": self.page_token,
            "summary_key": self.summary_key,
            "rows": self.rows,
            "written_rows": self.written_rows,
        }
        path.write_text(json.dumps(state, default=str))

    def load(self, path: Path) -> None:
        state = json.loads(path.read_text())
        self.page_token, self.summary_key = state["page_token"], state["summary_key"]
        self.rows, self.written_rows = dict(state["rows"]), int(state["written_rows"])
        for key in self.plan_keys:
            if key not in self.rows:  # a plan added to the list since: read it next run
                self.rows[key] = [key] + [""] * (len(COLUMNS) - 1)


# ---------------------------------------------------------------------- parsing


def as_date(value: Any) -> date | None:
    """A cell as a date: Sheets serial numbers, or ISO text a buyer typed; else None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return SHEETS_EPOCH + timedelta(days=int(value))
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def records(rows: Sequence[Sequence[Any]], must_have: str) -> list[dict[str, Any]]:
    """The rows under the first row that has `must_have`, as dicts by that header."""
    for index, row in enumerate(rows):
        if must_have in row:
            header = [str(h).strip() for h in row]
            return [
                dict(zip(header, list(r) + [""] * (len(header) - len(r)), strict=False))
                for r in rows[index + 1 :]
            ]
    return []


def summarise(
    title: str,
    key: str,
    plan: Sequence[Sequence[Any]],
    deal: Sequence[Sequence[Any]],
    people: Sequence[Sequence[Any]],
    today: date,
) -> Row:
    """One summary row: progress, overdue steps, the next step and a few deal facts."""
    steps = [s for s in records(plan, "Step") if str(s.get("Step", "")).strip()]
    done = [str(s.get("Status", "")).strip() == "Done" for s in steps]
    due = [as_date(s.get("Due date")) for s in steps]
    open_steps = sorted(
        (
            (d or date.max, s)
            for s, d, finished in zip(steps, due, done, strict=True)
            if not finished
        ),
        key=lambda pair: pair[0],
    )
    overdue = sum(1 for d, _ in open_steps if d < today)
    facts = {str(r.get("Fact", "")).strip(): r.get("Value", "") for r in records(deal, "Fact")}
    go_live = as_date(facts.get("Go-live date"))
    buyers = sum(1 for p in records(people, "Side") if str(p.get("Side", "")).strip() == "Buyer")
    next_due, nxt = open_steps[0] if open_steps else (None, None)
    return [
        title,
        len(steps),
        round(100 * sum(done) / len(steps)) if steps else 0,
        overdue,
        "" if nxt is None else str(nxt.get("Step", "")),
        "" if next_due in (None, date.max) else str(next_due),
        "" if go_live is None else str(go_live),
        str(facts.get("Budget status", "")),
        buyers,
        f"https://docs.google.com/spreadsheets/d/{key}/edit",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("keys", nargs="+", help="plan spreadsheet ids (`map-addon plan list`)")
    parser.add_argument("--url", default=DEFAULT_LOCAL_GOOGLE_URL, help="the stand-in")
    parser.add_argument("--user", default=DEFAULT_SERVICE_ACCOUNT, help="who reads the plans")
    parser.add_argument("--state", type=Path, default=Path("careful-script.json"))
    args = parser.parse_args()
    script = CarefulScript.connect(args.url, args.user, args.keys, datetime.now(UTC).date())
    start = time.perf_counter()
    if args.state.exists():
        script.load(args.state)
        result = script.run()
        what = f"{len(result.plans_read)} changed plans read, summary written: {result.wrote}"
    else:
        script.set_up()
        what = f"set-up: {len(args.keys)} plans read, summary created"
    script.save(args.state)
    print(f"{LABEL}: {what} in {time.perf_counter() - start:.1f} s")
    print(f"summary: spreadsheet {script.summary_key}")


if __name__ == "__main__":
    main()
