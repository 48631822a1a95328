"""A scripted sales pipeline against a stand-in of its own: plans, buyer edits, watch, review.

The same script (plans, edits, ticks) is replayed under different conditions — injected faults,
a quota, killed processes — and its outcome compared with a clean run's. Deal ids, spreadsheet ids
and timestamps differ from run to run by design; `Outcome` keeps everything else: every event
(kind, subject, before, after, actor), every plan's latest snapshot, every review table, and
the count of spreadsheets Google holds.
"""

from __future__ import annotations

import json
import random
import re
import urllib.request
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from addon.config import Config
from addon.domain.layout_deal import deal_fact
from addon.domain.plan_request import build_plan_request
from addon.google.errors import GoogleApiError
from addon.google.retry import RetryPolicy
from addon.services.consolidate import Consolidator
from addon.services.context import Services
from addon.services.create_plan import PlanIncomplete
from addon.services.watch import TickResult
from localgoogle.knobs import Accounting, Knobs
from localgoogle.server import Running, serve_in_thread

TODAY = date(2026, 11, 26)
GO_LIVE = "2027-06-01"
SERVICE_ACCOUNT = "watcher@map-faults.example.com"
TEAM = "faults"
MANAGER = "morgan@vendor.example"
SELLERS = ("sam@vendor.example", "ria@vendor.example", "lou@vendor.example")
TEMPLATES = ("enterprise-saas", "mid-market", "regulated-security", "expansion-renewal")
# Retries that fit a test: the same schedule as production, scaled down.
FAST_RETRIES = RetryPolicy(max_attempts=8, initial_delay=0.05, max_delay=1.0)
ATTEMPTS = 60  # a step retried this many times has not converged: the test fails


@dataclass(frozen=True)
class Scale:
    plans: int
    edits: int
    batches: int
    seed: int = 7


@dataclass(frozen=True)
class Edit:
    """One buyer action: values typed into one or more ranges of one plan."""

    plan: int
    ranges: tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...]


def deal_name(plan: int) -> str:
    return f"Deal {plan:03d}"


def buyer(plan: int) -> str:
    return f"buyer{plan:03d}@customer{plan:03d}.example"


def teams_yaml(path: Path) -> Path:
    sellers = ", ".join(SELLERS)
    path.write_text(
        f"teams:\n  - name: {TEAM}\n    managers: [{MANAGER}]\n    sellers: [{sellers}]\n"
    )
    return path


class Pipeline:
    """One run's world: a stand-in with `knobs`, a store at `database_url`, the services."""

    def __init__(self, root: Path, database_url: str, knobs: Knobs | None = None) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.google_server: Running = serve_in_thread(root / "google", knobs=knobs)
        self.env = {
            "MAP_LOCAL_GOOGLE_URL": self.google_server.url,
            "MAP_DATA_DIR": str(root / "data"),
            "MAP_DATABASE_URL": database_url,
            "MAP_SERVICE_ACCOUNT": SERVICE_ACCOUNT,
            "MAP_JOB_CALLERS": SERVICE_ACCOUNT,
            "MAP_TEAMS_FILE": str(teams_yaml(root / "teams.yaml")),
        }
        self.services = Services(Config.from_env(self.env))
        self.services.google.policy = FAST_RETRIES
        self.retried_steps = 0  # whole steps (a create, an edit, a tick) done again

    def close(self) -> None:
        self.services.close()
        self.google_server.stop()

    # ------------------------------------------------------------------ the script

    def create_plans(self, count: int) -> None:
        """Create the plans one by one; a failed creation is resumed with its request key."""
        for plan in range(count):
            request = build_plan_request(
                deal_name=deal_name(plan),
                buyer_company=f"Customer {plan:03d}",
                buyer_emails=[buyer(plan)],
                go_live=GO_LIVE,
                template=TEMPLATES[plan % len(TEMPLATES)],
                owner=SELLERS[plan % len(SELLERS)],
                amount=str(20_000 + 5_000 * plan),
                request_key=f"plan-{plan}",
                today=TODAY,
            )
            self._until_done(lambda request=request: self.services.creator.create(request))

    def apply(self, edit: Edit) -> None:
        """The buyer types the edit (USER_ENTERED, as in the Sheets UI), retrying like a person."""
        sid = self.spreadsheet_id(edit.plan)
        data = [{"range": a1, "values": [list(row) for row in rows]} for a1, rows in edit.ranges]
        gateway = self.services.google.as_user(buyer(edit.plan))
        self._until_done(lambda: gateway.write_values(sid, data, "USER_ENTERED"))

    def catch_up(self) -> list[TickResult]:
        """Watch ticks until one covers every change (cursor advanced); the ticks it took."""
        ticks = []
        for _ in range(ATTEMPTS):
            try:
                result = self.services.watcher.tick()
            except GoogleApiError:
                self.retried_steps += 1
                continue
            ticks.append(result)
            if result.cursor_advanced:
                return ticks
            self.retried_steps += 1
        raise AssertionError(f"the watch did not catch up in {ATTEMPTS} ticks")

    def consolidate(self) -> dict[str, pd.DataFrame]:
        def run() -> dict[str, pd.DataFrame]:
            consolidator = Consolidator(self.services, today=lambda: TODAY)
            (review,), _, _ = consolidator.run(TEAM)
            return review.frames

        frames: dict[str, pd.DataFrame] = self._until_done(run)
        return frames

    def _until_done(self, step: Any) -> Any:
        for _ in range(ATTEMPTS):
            try:
                return step()
            except (GoogleApiError, PlanIncomplete):
                self.retried_steps += 1
        raise AssertionError(f"a step did not succeed in {ATTEMPTS} attempts")

    # ------------------------------------------------------------------ state

    def spreadsheet_id(self, plan: int) -> str:
        with self.services.store.transaction() as tx:
            deal = next(d for d in tx.deals.newest_first() if d.name == deal_name(plan))
        assert deal.spreadsheet_id is not None
        return deal.spreadsheet_id

    def first_snapshots(self) -> dict[int, dict[str, Any]]:
        with self.services.store.transaction() as tx:
            deals = tx.deals.newest_first()
            found = {}
            for deal in deals:
                first = tx.snapshots.latest(deal.deal_id)
                assert first is not None
                found[int(deal.name.split()[-1])] = first.payload
        return found

    def stats(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.google_server.url}/_local/stats") as response:
            return dict(json.loads(response.read()))

    def accounting(self) -> Accounting:
        """The stand-in's request counts and knobs, in process."""
        found: Accounting = self.google_server.server.app.extensions["localgoogle"].accounting  # type: ignore[attr-defined]
        return found

    def set_knobs(self, knobs: Knobs) -> None:
        """The stand-in's knobs from now on (latency, faults, quota)."""
        self.accounting().knobs = knobs

    def outcome(self, frames: dict[str, pd.DataFrame]) -> Outcome:
        """What the run ended with, read back with the faults switched off."""
        knobs = self.accounting().knobs
        self.set_knobs(replace(knobs, fail_rate=0.0, quota_per_minute=0))
        return Outcome.of(self, frames)


# ---------------------------------------------------------------------- the edits


@dataclass
class _PlanState:
    """What the script knows of one plan, to aim its next edit."""

    steps: list[dict[str, Any]]
    next_step_row: int
    next_person_row: int
    added: int = 0


def script(scale: Scale, first: dict[int, dict[str, Any]]) -> list[list[Edit]]:
    """`scale.edits` buyer edits spread over the plans, in `scale.batches` batches (seeded)."""
    rng = random.Random(scale.seed)
    plans = {
        plan: _PlanState(
            steps=[s for s in snapshot["steps"] if s.get("row")],
            next_step_row=max(int(s["row"]) for s in snapshot["steps"]) + 1,
            next_person_row=len(snapshot.get("stakeholders", [])) + 2,
        )
        for plan, snapshot in first.items()
    }
    edits = [_edit(rng, rng.randrange(scale.plans), plans) for _ in range(scale.edits)]
    size = -(-scale.edits // scale.batches)
    return [edits[i : i + size] for i in range(0, len(edits), size)]


def _edit(rng: random.Random, plan: int, plans: dict[int, _PlanState]) -> Edit:
    state = plans[plan]
    step = rng.choice(state.steps)
    row = step["row"]
    kind = rng.choice(("status", "status", "slip", "slip", "owner", "person", "fact", "step"))
    if kind == "status":
        status = rng.choice(("In progress", "Blocked", "Done", "Not started"))
        done_on = (
            (TODAY - timedelta(days=rng.randint(0, 5))).isoformat() if status == "Done" else ""
        )
        return Edit(plan, ((f"Plan!G{row}:H{row}", ((status, done_on),)),))
    if kind == "slip":
        due = date.fromisoformat(step["due"]) + timedelta(days=rng.randint(-5, 20))
        return Edit(plan, ((f"Plan!F{row}", ((due.isoformat(),),)),))
    if kind == "owner":
        return Edit(plan, ((f"Plan!E{row}", ((rng.choice(("Ann", "Bo", "Cy", "Di")),),)),))
    if kind == "person":
        at = state.next_person_row
        state.next_person_row += 1
        role = rng.choice(("Legal", "Procurement", "Economic buyer", "Security", "Champion"))
        person = (f"Person {at}", f"p{at}-{buyer(plan)}", "Buyer", role, "")
        return Edit(plan, ((f"Stakeholders!A{at}:E{at}", (person,)),))
    if kind == "fact":
        budget = rng.choice(("Budget approved", "Not budgeted", "Budget identified"))
        return Edit(plan, ((deal_fact("budget_status").value_cell, ((budget,),)),))
    at = state.next_step_row
    state.next_step_row += 1
    state.added += 1
    due = (TODAY + timedelta(days=rng.randint(10, 90))).isoformat()
    new_step = ("", "Contract", f"Buyer step {state.added}", "Buyer", "", due, "Not started")
    return Edit(plan, ((f"Plan!A{at}:G{at}", (new_step,)),))


# ---------------------------------------------------------------------- comparing runs

_ADDED_ID = re.compile(r"\bb-([a-z0-9-]+?)-[0-9a-f]{6}\b")
# Columns that name a run's own ids, links or clock readings, not what the plans say.
RUN_SPECIFIC = {
    "deal_id",
    "as of",  # Forecast totals: when the review was computed
    "plan",
    "link",
    "url",
    "spreadsheet_id",
    "event_id",
    "recorded_at",
    "when",
}


def _stable(value: Any) -> Any:
    """A value with buyer-added step ids (which hash the run's deal id) made run-independent."""
    text = json.dumps(value, sort_keys=True, default=str)
    return json.loads(_ADDED_ID.sub(r"b-\1", text))


@dataclass
class Outcome:
    """What a run ended with, free of run-specific ids and clock readings."""

    events: list[str]  # each event as JSON: deal, kind, subject, before, after, actor
    snapshots: dict[str, Any]
    review: dict[str, list[dict[str, Any]]]
    spreadsheets: int
    activity_duplicates: int
    unshown_events: int
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, pipeline: Pipeline, frames: dict[str, pd.DataFrame]) -> Outcome:
        services = pipeline.services
        with services.store.transaction() as tx:
            deals = {d.deal_id: d for d in tx.deals.newest_first()}
            records = tx.events.for_deals(list(deals))
            snapshots = {d.name: tx.snapshots.latest(d.deal_id) for d in deals.values()}
            unshown = sum(len(tx.events.unshown(deal_id)) for deal_id in deals)
        events = sorted(
            json.dumps(
                _stable(
                    [
                        deals[r.deal_id].name,
                        r.kind,
                        r.subject,
                        r.before,
                        r.after,
                        r.actor_email,
                        r.actor_side.value,
                    ]
                ),
                sort_keys=True,
            )
            for records_of_deal in records.values()
            for r in records_of_deal
        )
        duplicates = 0
        gateway = services.google.as_service()
        for deal in deals.values():
            assert deal.spreadsheet_id is not None
            shown = gateway.read_values(deal.spreadsheet_id, ["Activity!H2:H"])
            ids = [row[0] for row in shown.get("Activity!H2:H") or [] if row]
            duplicates += len(ids) - len(set(ids))
        listed = gateway.drive.files().list(q="trashed = false", pageSize=1000).execute()
        review = {name: _table(frame) for name, frame in frames.items()}
        return cls(
            events=events,
            snapshots={
                # "read": when the watch read the plan (Drive's modified time then)
                name: _stable(
                    {k: v for k, v in s.payload.items() if k not in ("data_issues", "read")}
                )
                for name, s in snapshots.items()
                if s is not None
            },
            review=review,
            spreadsheets=len(listed.get("files", [])),
            activity_duplicates=duplicates,
            unshown_events=unshown,
            counts={
                "plans": len(deals),
                "events": len(events),
                "snapshots": len(snapshots),
                **{f"review {name} rows": len(rows) for name, rows in review.items()},
            },
        )

    def comparable(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if k != "counts"}


def _table(frame: pd.DataFrame) -> list[dict[str, Any]]:
    kept = frame[[c for c in frame.columns if str(c).lower() not in RUN_SPECIFIC]]
    rows = json.loads(kept.to_json(orient="records", date_format="iso", default_handler=str))
    return sorted((_stable(row) for row in rows), key=lambda row: json.dumps(row, sort_keys=True))


def run_script(pipeline: Pipeline, scale: Scale) -> tuple[Outcome, list[list[Edit]]]:
    """The whole script: create, first tick, batches of edits each caught up, the review."""
    pipeline.create_plans(scale.plans)
    pipeline.catch_up()
    batches = script(scale, pipeline.first_snapshots())
    for batch in batches:
        for edit in batch:
            pipeline.apply(edit)
        pipeline.catch_up()
    return pipeline.outcome(pipeline.consolidate()), batches


def scaled(scale: Scale, **changes: int) -> Scale:
    return replace(scale, **changes)


def differences(expected: Outcome, got: Outcome, limit: int = 5) -> list[str]:
    """The first few differences between two outcomes, field by field (for failure messages)."""
    found: list[str] = []
    want, have = expected.comparable(), got.comparable()
    for part in want:
        if want[part] == have[part]:
            continue
        if part == "review":
            for tab in want[part]:
                rows = zip(want[part][tab], have[part][tab], strict=False)
                for row_want, row_have in rows:
                    for column in row_want:
                        if row_want.get(column) != row_have.get(column):
                            found.append(
                                f"review {tab} {column}: {row_want.get(column)!r} "
                                f"!= {row_have.get(column)!r}"
                            )
        elif isinstance(want[part], list):
            found += [f"{part}: only clean {e}" for e in want[part] if e not in have[part]]
            found += [f"{part}: only faulty {e}" for e in have[part] if e not in want[part]]
        else:
            found.append(f"{part}: {want[part]!r:.300} != {have[part]!r:.300}")
    return found[:limit]
