"""Consolidate: the pipeline review of each team, from stored snapshots and events.

1. catch up the watch (one tick), so the review reflects the latest buyer edits;
2. read every deal, its latest snapshot and its events from the store (a few queries);
3. compute the tables and risks (pure pandas, addon/domain/review*.py);
4. write what changed in each team's workbook in one batchUpdate, whatever the number of deals:
   the tables' cells (text as stringValue, so text from a buyer's sheet never becomes a
   formula), with what is fitted to the rows (widths, filters, colours, charts) when that moved,
   and the structure only when a table's columns change or its rows double or halve (then after
   one get of the workbook's tabs and chart ids). The first run creates the workbook as the
   service account and shares it with the team's managers only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ..domain.plan_access import AccessLoss, unreadable_reason
from ..domain.review import forecast, steps_frame
from ..domain.review_accuracy import projections
from ..domain.review_all import review_frames
from ..domain.review_cells import cell_requests
from ..domain.review_closed import split_by_outcome
from ..domain.review_input import EventFacts, RecordedForecast, ReviewInput
from ..domain.review_layout import (
    METADATA_KEY,
    REVIEW_TABS,
    fitted_requests,
    new_workbook_body,
    structure_requests,
    tab_layouts,
)
from ..domain.team_digest import needs_manager
from ..domain.teams import Team, find_team, load_teams
from ..domain.templates import load_templates
from ..google.accounting import RequestCounts
from ..store import EventRecord, ForecastRecord, Store
from .context import Services
from .deal_outcome import outcome_of
from .plan_writes import actor_of

WORKBOOK = "review.workbook."  # + team name: the workbook's spreadsheet id
WRITTEN = "review.written."  # + team name: workbook id and fingerprints of the last write
ROWS = "review.rows."  # + team name: the digest of each row the last write left, by tab
SUMMARY = "review.summary."  # + team name: the last review's figures (JSON)
INPUTS = "review.inputs"  # fingerprint of everything the last review was computed from
NEEDS = "review.needs."  # + team name: the deals that need a manager (the managers' digest)
REVIEW_FORMAT = 2  # part of the inputs' fingerprint: bump when the review's tables change


def _review_inputs(data: ReviewInput, teams: Iterable[Team]) -> dict[str, Any]:
    """Everything a review is computed from, as JSON-able values (for its fingerprint)."""
    return {
        "format": REVIEW_FORMAT,
        "tabs": REVIEW_TABS,
        "today": data.today,
        # a deal record's repr names every field, its people's too (and costs a tenth of asdict)
        "deals": [repr(deal) for deal in data.deals],
        "outcomes": {k: dataclasses.asdict(v) for k, v in data.outcomes.items()},
        "snapshots": data.snapshots,
        "events": {k: [e.event_id for e in v] for k, v in data.events.items()},
        "unreadable": data.unreadable,
        "unreadable_since": data.unreadable_since,
        # what earlier days' reviews recorded (today's is this review's own, recorded by it)
        "history": {
            k: [dataclasses.asdict(h) for h in v if h.reviewed_on < data.today]
            for k, v in data.forecast_history.items()
            if any(h.reviewed_on < data.today for h in v)
        },
        "templates": {name: t.version for name, t in data.templates.items()},
        "teams": [dataclasses.asdict(team) for team in teams],
    }


def _fingerprint(value: Any) -> str:
    """A short stable digest of JSON-able requests or values."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


PENDING = "pending"  # a creation started; its id not known yet


@dataclass(frozen=True)
class TeamReview:
    """One team's review as written."""

    team: str
    deals: int
    workbook_id: str
    url: str
    risks: int
    data_issues: int
    created: bool
    frames: dict[str, pd.DataFrame]
    # or "cells", "fit and cells" (same structure), "nothing"
    written: str = "everything"


def _one_of(record: EventRecord) -> str | None:
    """The actor as "one of a@x, b@y" when Drive could not tell which of them made the change."""
    return actor_of(record).label if record.payload.get("actor_candidates") else None


def event_facts(record: EventRecord) -> EventFacts:
    return EventFacts(
        event_id=record.event_id,
        deal_id=record.deal_id,
        kind=record.kind,
        occurred_at=record.occurred_at,
        actor_side=record.actor_side.value,
        actor_email=record.actor_email or _one_of(record),
        subject=record.subject,
        subject_label=str(record.payload.get("subject_label", "")),
        before=record.before,
        after=record.after,
        details=dict(record.payload.get("details") or {}),
    )


def load_review_input(
    store: Store,
    today: date,
    unreadable: dict[str, str] | None = None,
    templates_dir: Path | None = None,
) -> ReviewInput:
    """Every deal with its latest snapshot and events, in a few queries (one transaction)."""
    unreadable = dict(unreadable or {})
    with store.transaction(read_only=True) as tx:
        deals = tx.deals.newest_first()
        ids = [d.deal_id for d in deals]
        snapshots = tx.snapshots.latest_of(ids)
        events = tx.events.for_deals(ids)
        lost = tx.access.all_lost()
        outcomes = {k: o for k, v in tx.outcomes.all().items() if (o := outcome_of(v))}
        history = tx.forecasts.for_deals(ids)
    since: dict[str, date] = {}
    for deal_id, record in lost.items():
        loss = AccessLoss.of(record.reason)
        if loss.unreadable:  # stored by the watch: kept until a read works again
            since[deal_id] = record.lost_since.astimezone(UTC).date()
            unreadable[deal_id] = unreadable_reason(loss, since[deal_id])
    for deal in deals:
        if deal.spreadsheet_id is None:
            unreadable.setdefault(deal.deal_id, "the plan's sheet was never created")
    return ReviewInput(
        today=today,
        deals=tuple(deals),
        outcomes=outcomes,
        snapshots={k: v.payload for k, v in snapshots.items()},
        events={k: tuple(event_facts(e) for e in v) for k, v in events.items()},
        templates={t.name: t for t in load_templates(templates_dir)},
        unreadable=unreadable,
        unreadable_since=since,
        built_at=datetime.now(UTC),
        forecast_history={
            deal_id: tuple(RecordedForecast(r.reviewed_on, r.committed, r.projected) for r in rows)
            for deal_id, rows in history.items()
        },
    )


def record_projections(store: Store, data: ReviewInput) -> int:
    """Keep what a review as of `data.today` projects for each live deal (forecast accuracy)."""
    live = split_by_outcome(data)[0]
    said = projections(forecast(live, steps_frame(live)), data.today)
    with store.transaction() as tx:
        return tx.forecasts.record(
            ForecastRecord(deal_id, s.reviewed_on, s.committed, s.projected)
            for deal_id, s in said.items()
        )


@dataclass
class Consolidator:
    """Builds and writes the pipeline reviews."""

    services: Services
    today: Callable[[], date] = lambda: datetime.now(UTC).date()
    progress: Callable[[str], None] = lambda message: None

    def run(
        self, team: str | None = None, xlsx: Path | None = None
    ) -> tuple[list[TeamReview], RequestCounts, RequestCounts]:
        """Review each team (or the one named); (reviews, reads spent, writes spent)."""
        teams = find_team(load_teams(self.services.config.teams_file), team)
        counter = self.services.google.counter
        start = counter.snapshot()
        self.progress("catching up with buyer edits")
        tick = self.services.watcher.tick()
        unreadable = {deal: "the plan could not be read" for deal in tick.failed}
        for deal_id, issue in tick.data_issues:
            if issue.kind == "plan_unavailable":
                unreadable[deal_id] = issue.message
        read_done = counter.snapshot()
        data = self._inputs(unreadable)
        inputs = _fingerprint(_review_inputs(data, teams))
        with self.services.store.transaction(read_only=True) as tx:
            unchanged = tx.cursors.get(INPUTS) == inputs
        if not unchanged:
            self._record_projections(data)
        reviews = []
        for number, member in enumerate(teams, start=1):
            known = self._known(member) if unchanged and xlsx is None else None
            if known is not None:  # the same inputs as the last review: nothing to compute
                reviews.append(known)
                continue
            self.progress(f"team {member.name} ({number}/{len(teams)}): computing")
            review = self._review(member, data)
            reviews.append(review)
            if xlsx is not None:
                from ..reports.xlsx import write_xlsx

                target = xlsx if len(teams) == 1 else xlsx.with_stem(f"{xlsx.stem}-{member.name}")
                write_xlsx(review.frames, target)
        with self.services.store.transaction() as tx:
            tx.cursors.set(INPUTS, inputs)
        end = counter.snapshot()
        return reviews, read_done - start, end - read_done

    def _record_projections(self, data: ReviewInput) -> None:
        record_projections(self.services.store, data)

    def _known(self, team: Team) -> TeamReview | None:
        """The team's last review, when it was written and nothing it reads changed since."""
        with self.services.store.transaction(read_only=True) as tx:
            summary = tx.cursors.get(SUMMARY + team.name)
        if not summary:
            return None
        last = json.loads(summary)
        return TeamReview(**last, created=False, frames={}, written="nothing")

    def _inputs(self, unreadable: dict[str, str]) -> ReviewInput:
        return load_review_input(
            self.services.store, self.today(), unreadable, self.services.templates_dir
        )

    def _review(self, team: Team, everything: ReviewInput) -> TeamReview:
        deals = tuple(d for d in everything.deals if team.covers(d.owner_email))
        data = dataclasses.replace(everything, deals=deals, thresholds=team.thresholds)
        frames, risks = review_frames(data)
        self.progress(f"team {team.name}: writing the workbook")
        workbook_id, url, created = self._workbook(team)
        written = self._write(team, workbook_id, created, frames)
        summary = {
            "team": team.name,
            "deals": len(deals),
            "workbook_id": workbook_id,
            "url": url,
            "risks": len(risks),
            "data_issues": len(frames["Data issues"]),
        }
        needs = {"url": url, "rows": [row.as_json() for row in needs_manager(data, risks)]}
        with self.services.store.transaction() as tx:
            tx.cursors.set(SUMMARY + team.name, json.dumps(summary))
            tx.cursors.set(NEEDS + team.name, json.dumps(needs))
        return TeamReview(
            team=team.name,
            deals=len(deals),
            workbook_id=workbook_id,
            url=url,
            risks=len(risks),
            data_issues=len(frames["Data issues"]),
            created=created,
            frames=frames,
            written=written,
        )

    def _write(
        self, team: Team, workbook_id: str, created: bool, frames: dict[str, pd.DataFrame]
    ) -> str:
        """Write what changed since the last review, in one spreadsheets.batchUpdate: "nothing",
        "cells" (the rows whose values or links changed), "fit and cells" (column widths,
        filters, colours and charts fitted to the rows, then those cells) or "everything" (the
        structure and every cell, after one get of the workbook's tabs and charts).

        The structure depends on the tables' columns and on their rows only through each tab's
        grid, which changes when a table doubles or halves (`review_layout`); the store keeps a
        fingerprint of the structure and of the fit, and a digest of every row written, per
        team. Managers are readers, so nobody else changes the workbook between two reviews.
        """
        layouts = tab_layouts(frames)
        structure = _fingerprint(structure_requests(layouts))
        fitted = fitted_requests(layouts)
        fit = _fingerprint(fitted)
        key, rows_key = WRITTEN + team.name, ROWS + team.name
        with self.services.store.transaction() as tx:
            last, last_rows = tx.cursors.get(key), tx.cursors.get(rows_key)
        kept = f"{workbook_id}:{structure}:"
        same = not created and last is not None and str(last).startswith(kept)
        written_rows = json.loads(last_rows) if same and last_rows else None
        cells = cell_requests(layouts, written_rows)
        record = f"{kept}{fit}:{_fingerprint(cells.rows)}"
        if same and last == record:
            return "nothing"
        gateway = self.services.google.as_service()
        if written_rows is not None and str(last).startswith(f"{kept}{fit}:"):
            requests, written = cells.requests, "cells"
        elif written_rows is not None:
            requests, written = [*fitted, *cells.requests], "fit and cells"
        else:  # `cells` holds every cell (no rows written to compare with): the tabs are new
            tabs, charts = (None, []) if created else gateway.sheets_and_charts(workbook_id)
            requests = [*structure_requests(layouts, charts, tabs), *fitted, *cells.requests]
            written = "everything"
        if requests:
            gateway.batch_update(workbook_id, requests)
        with self.services.store.transaction() as tx:
            tx.cursors.set(key, record)
            tx.cursors.set(rows_key, json.dumps(cells.rows, separators=(",", ":")))
        return written

    def _workbook(self, team: Team) -> tuple[str, str, bool]:
        """The team's workbook: (id, url, new and empty); made and shared on first use.

        The store notes a creation before it starts: a run killed after Google made the
        workbook but before its id was stored finds that workbook instead of making another.
        """
        key = WORKBOOK + team.name
        with self.services.store.transaction() as tx:
            known = tx.cursors.get(key)
        if known and known != PENDING:
            return known, f"https://docs.google.com/spreadsheets/d/{known}/edit", False
        gateway = self.services.google.as_service()
        title = f"Pipeline review - {team.name}"
        found = gateway.find_spreadsheet(title, METADATA_KEY, team.name) if known else None
        if found is not None:
            workbook_id, url = found, f"https://docs.google.com/spreadsheets/d/{found}/edit"
        else:
            with self.services.store.transaction() as tx:
                tx.cursors.set(key, PENDING)
            created = gateway.create_spreadsheet(new_workbook_body(title, team.name))
            workbook_id, url = created["spreadsheetId"], created["spreadsheetUrl"]
        for manager in team.managers:
            gateway.share(workbook_id, manager, "reader", notify=found is None)
        with self.services.store.transaction() as tx:
            tx.cursors.set(key, workbook_id)
        return workbook_id, url, found is None


def stderr_progress(enabled: bool) -> Callable[[str], None]:
    """One updating status line on stderr when it is a terminal; silent otherwise."""
    if not enabled or not sys.stderr.isatty():
        return lambda message: None

    def show(message: str) -> None:
        sys.stderr.write("\r\033[K" + message)
        sys.stderr.flush()

    return show


def review_json(
    reviews: Iterable[TeamReview], reads: RequestCounts, writes: RequestCounts
) -> dict[str, Any]:
    """What `map-addon consolidate --json` prints (one team: its fields at the top level)."""
    items = [
        {
            "team": r.team,
            "deals": r.deals,
            "workbook_id": r.workbook_id,
            "url": r.url,
            "risks": r.risks,
            "data_issues": r.data_issues,
            "written": r.written,
        }
        for r in reviews
    ]
    out: dict[str, Any] = dict(items[0]) if len(items) == 1 else {"teams": items}
    out["requests"] = {"reads": reads.total, "writes": writes.total}
    return out
