"""Refresh one plan (steps 2 to 4 of a watch tick, `services.watch`): read it, find its events,
store them with the new snapshot, and write them back into the plan.

The plan's tabs are read with one values.batchGet and parsed; each milestone's row and Deal tab
copy are made one date (`domain.milestones`: the place edited moves the other); the snapshot is
diffed against the last one into events, credited to who made them from the Drive revisions
since the last read (`services.revisions`, `domain.crediting`) and checked against the agreement
rules (`domain.agreement`). The events and the snapshot are committed before anything is written
back, so a refresh killed anywhere re-runs safely.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any

from ..domain import agreement, milestones
from ..domain.attribution import Actor, Parties
from ..domain.comments import CommentCursor
from ..domain.crediting import credit, stakeholder_claims, with_listed_sides
from ..domain.events import PlanEvent, diff
from ..domain.layout import ACTIVITY_TAB, DEAL_TAB, PLAN_TAB, STAKEHOLDERS_TAB
from ..domain.mass_change import DEFAULT_MASS_CHANGE_ROWS, collapse_mass_changes
from ..domain.milestones import MilestoneSync
from ..domain.model import Milestone, Side, Template
from ..domain.parse import DataIssue, ParsedPlan, parse_plan
from ..domain.plan_access import AccessLoss
from ..domain.plan_fills import done_on_fills, with_done_on
from ..domain.plan_status import status_lines
from ..domain.templates import TemplateError, find_template
from ..google.errors import GoogleApiError
from ..google.gateway import GoogleFactory, GoogleGateway
from ..store import DealRecord, EventRecord, SnapshotRecord, Store
from .plan_access import describe_loss, lose_access, loss_of, regain_access
from .plan_comments import list_ahead, load_cursor, read_comments, save_cursor
from .plan_summary import SUMMARY, deal_summary, shown_summary
from .plan_writes import PlanWrites, event_record, sign_off_writes, write_back
from .revisions import revisions_of_refresh
from .watch_feed import (
    FileChange,
    TickResult,
    next_version,
    parse_change_time,
    read_marker,
    snapshot_content,
    unseen_since,
)

log = logging.getLogger(__name__)

READ_RANGES = [PLAN_TAB, DEAL_TAB, STAKEHOLDERS_TAB, f"{ACTIVITY_TAB}!H2:H"]
OUTLOOK = "outlook"  # snapshot key: the outlook lines as last written to the Deal tab


class _UpdateFailed(Exception):
    """The plan was read and its events recorded, but writing them into it failed."""


@dataclass(frozen=True)
class _PlanRead:
    """One read of a plan: the tabs' values, the snapshot before it (and the sheet as that
    snapshot saw it), and the new snapshot parsed and its milestone dates reconciled."""

    values: dict[str, list[list[Any]] | None]
    previous: SnapshotRecord | None
    seen: dict[str, Any] | None
    parsed: ParsedPlan
    synced: MilestoneSync
    issues: tuple[DataIssue, ...]

    @property
    def snapshot(self) -> dict[str, Any]:
        return self.synced.snapshot


@dataclass
class PlanRefresh:
    """The refresh of one plan at a time, over a store and Google, as the service account."""

    store: Store
    google: GoogleFactory
    service_account: str
    now: Callable[[], datetime]
    seller_domains: tuple[str, ...] = ()  # MAP_SELLER_DOMAINS: the seller's mail domains
    mass_change_rows: int = DEFAULT_MASS_CHANGE_ROWS  # MAP_MASS_CHANGE_ROWS
    templates: dict[str, Template | None] = field(default_factory=dict, repr=False)
    templates_dir: Path | None = None  # None: the shipped templates

    @property
    def gateway(self) -> GoogleGateway:
        return self.google.as_service()

    def refresh(self, deal: DealRecord, change: FileChange | None) -> TickResult:
        """Read, parse and diff one plan; record and show its events. Failures are reported."""
        assert deal.spreadsheet_id is not None
        result = TickResult()
        try:
            events = self._refresh_plan(deal, change, result)
        except _UpdateFailed as exc:
            if loss := loss_of(exc.__cause__, writing=True):  # no retry will help: say so
                self.lose_access(deal, loss, exc.__cause__, result)
                return result
            result.failed.append(deal.deal_id)
            issue = DataIssue("Plan", None, "update_failed", f"Could not update the plan: {exc}")
            result.data_issues.append((deal.deal_id, issue))
            return result
        except GoogleApiError as exc:
            if loss := loss_of(exc):  # stored and shown; the feed tells when it comes back
                self.lose_access(deal, loss, exc, result)
                return result
            result.failed.append(deal.deal_id)
            issue = DataIssue("Plan", None, "read_failed", f"Could not read the plan: {exc}")
            result.data_issues.append((deal.deal_id, issue))
            return result
        result.changed_plans.append(deal.deal_id)
        result.events.extend(events)
        return result

    def _refresh_plan(
        self, deal: DealRecord, change: FileChange | None, result: TickResult
    ) -> list[PlanEvent]:
        """Read one plan and find its events; store them with the new snapshot, then write them
        back into the plan."""
        with self.store.transaction() as tx:
            cursor = load_cursor(tx, deal.deal_id)
        listed = list_ahead(self.google, deal, cursor)  # beside the read of the cells
        read = self._read_plan(deal, result)
        events, outcome = self._plan_events(deal, change, read)
        parties = self.parties(deal)
        comments = read_comments(self.gateway, cursor, deal, parties, read.snapshot, listed)
        events = [*events, *comments.events]  # shown in Activity with the plan's other events
        current = _current_snapshot(read, outcome, change)
        # "Done on" left blank by the buyer: the day the step was seen done, in the same write
        fills = done_on_fills(events, current.get("steps") or [], read.values.get(PLAN_TAB))
        current = with_done_on(current, fills)
        current[OUTLOOK] = status_lines(
            current,
            self._template(deal.template),
            self.now().date(),
            {Milestone.SIGNATURE: deal.signature_target, Milestone.GO_LIVE: deal.go_live},
        )
        current[SUMMARY] = [
            list(line)
            for line in deal_summary(
                deal, current, self._template(deal.template), self.now().date(), current[OUTLOOK]
            )
        ]
        version = change.version if change else None
        pending = self._store(deal, version, read, events, current, comments.cursor)
        self._write_back(deal, version, read, outcome, current, pending, result, fills)
        return events

    def _read_plan(self, deal: DealRecord, result: TickResult) -> _PlanRead:
        """Read the plan's tabs in one batchGet, parse them against the last snapshot, and make
        each milestone's row and Deal tab copy one date."""
        assert deal.spreadsheet_id is not None
        values = self.gateway.read_values(deal.spreadsheet_id, READ_RANGES)
        if restored := regain_access(self.store, deal.deal_id, now=self.now()):
            result.events.append(restored)  # shown in the Activity tab with this read's events
        with self.store.transaction() as tx:
            previous = tx.snapshots.latest(deal.deal_id)
        # The sheet is compared with the sheet as last seen (a refused tick left in it is not
        # news again); the stored Deal facts hold the agreement as accepted.
        seen = agreement.sheet_view(previous.payload) if previous else None
        parsed = parse_plan(
            {tab: values.get(tab) for tab in (PLAN_TAB, DEAL_TAB, STAKEHOLDERS_TAB)},
            seen,
            deal.deal_id,
        )
        # The milestone rows are the signature and go-live dates; the Deal tab shows a copy.
        synced = milestones.reconcile(
            seen,
            parsed.snapshot,
            template=self._template(deal.template),
            plan_rows=values.get(PLAN_TAB),
            deal_cells=parsed.deal_cells,
        )
        issues = (*parsed.issues, *synced.issues)
        result.data_issues.extend((deal.deal_id, issue) for issue in issues)
        return _PlanRead(values, previous, seen, parsed, synced, issues)

    def _plan_events(
        self, deal: DealRecord, change: FileChange | None, read: _PlanRead
    ) -> tuple[list[PlanEvent], agreement.Outcome | None]:
        """The events since the last read, credited to who made them and checked against the
        agreement rules (whose outcome comes with them); a mass change is one event."""
        previous, seen, snapshot = read.previous, read.seen, read.snapshot
        occurred_at = parse_change_time(change.modified_time if change else None)
        events: list[PlanEvent] = []
        outcome: agreement.Outcome | None = None
        if previous is not None and seen is not None:
            differ = partial(
                diff,
                deal_id=deal.deal_id,
                base_seq=previous.seq,
                occurred_at=occurred_at,
                actor=Actor(None, Side.UNKNOWN),
                holidays=self._holidays(deal.template),
                template=self._template(deal.template),
            )
            events = differ(seen, snapshot, milestone_moves=read.synced.moves)
            parties = self.parties(deal)
            if events:
                revisions = revisions_of_refresh(
                    self.gateway, deal, unseen_since(previous.payload, change), seen, parties
                )
                events = credit(
                    events,
                    previous=seen,
                    revisions=revisions,
                    parties=parties,
                    claims=stakeholder_claims(snapshot),
                    differ=differ,
                )
                events = with_listed_sides(events, parties)
            outcome = agreement.review(
                previous=previous.payload,
                current_deal=snapshot.get("deal") or {},
                events=events,
                materiality=agreement.Materiality.of(
                    self._template(deal.template), snapshot.get("steps") or []
                ),
                deal_id=deal.deal_id,
                base_seq=previous.seq,
                occurred_at=occurred_at.astimezone(UTC),
                service_actor=Actor(self.service_account, Side.UNKNOWN),
            )
            events = outcome.events
        # Hundreds of rows added or cleared at once are one event, not hundreds.
        base_seq = previous.seq if previous else 0
        events = collapse_mass_changes(events, threshold=self.mass_change_rows, base_seq=base_seq)
        return events, outcome

    def _store(
        self,
        deal: DealRecord,
        version: str | None,
        read: _PlanRead,
        events: list[PlanEvent],
        current: dict[str, Any],
        comment_cursor: CommentCursor,
    ) -> list[EventRecord]:
        """Commit the events, the comment cursor after them, and the snapshot when its content
        changed; the deal's events the plan does not show yet."""
        assert deal.spreadsheet_id is not None
        previous = read.previous
        with self.store.transaction() as tx:
            tx.events.insert_many(event_record(e, self.now()) for e in events)
            save_cursor(tx, deal.deal_id, comment_cursor)
            if previous is None or snapshot_content(previous.payload) != snapshot_content(current):
                tx.snapshots.insert(
                    deal.deal_id, current, taken_at=self.now(), file_version=version
                )
            elif version is not None:
                tx.own_writes.record(deal.spreadsheet_id, version)
            pending = tx.events.unshown(deal.deal_id)
        return pending

    def _write_back(
        self,
        deal: DealRecord,
        version: str | None,
        read: _PlanRead,
        outcome: agreement.Outcome | None,
        current: dict[str, Any],
        pending: list[EventRecord],
        result: TickResult,
        fills: list[tuple[str, date]],
    ) -> None:
        """Show the pending events, write Step IDs, sign-off cells, milestone dates and the
        "Done on" fills in one batchUpdate, then record the version it made and what the sheet
        now shows."""
        spreadsheet_id = deal.spreadsheet_id
        assert spreadsheet_id is not None
        writes, written = _plan_writes(read, outcome, current, pending, fills)
        try:
            write_back(
                self.gateway,
                spreadsheet_id,
                writes,
                service_account=self.service_account,
                owner=deal.owner_email,
            )
        except GoogleApiError as exc:
            raise _UpdateFailed(str(exc)) from exc
        if restored := regain_access(self.store, deal.deal_id, now=self.now(), written=True):
            result.events.append(restored)  # a viewer made an editor again: shown next time
        with self.store.transaction() as tx:
            tx.events.mark_shown([e.event_id for e in pending], at=self.now())
            if writes and version is not None:
                # Our write made the next version; if another edit slipped in between, the
                # version will have moved further and the next tick reads the plan again.
                tx.own_writes.record(spreadsheet_id, next_version(version))
            if written is not None or read.synced.writes:
                # The sheet now shows what was written: the next read compares with that.
                shown = milestones.written(current)
                if written is not None:
                    shown["agreement"] = written.as_json()
                tx.snapshots.insert(deal.deal_id, shown, taken_at=self.now(), file_version=version)

    def lose_access(
        self,
        deal: DealRecord,
        loss: AccessLoss,
        error: BaseException | None,
        result: TickResult,
        *,
        since: datetime | None = None,
    ) -> None:
        """Store that the plan cannot be read (or written) and say so in the tick's result."""
        cause = error if isinstance(error, GoogleApiError) else None
        detail = describe_loss(cause, loss)
        now = self.now()
        event = lose_access(self.store, deal.deal_id, loss, detail, since=since or now, now=now)
        if event is not None:
            result.events.append(event)
        kind = "plan_unavailable" if loss.unreadable else "update_failed"
        result.data_issues.append((deal.deal_id, DataIssue("Plan", None, kind, detail)))

    def parties(self, deal: DealRecord) -> Parties:
        """Who is on which side of the deal, from facts the buyer cannot edit: the people the
        seller put on it, the owner's verified identity and the seller's configured domains."""
        return Parties.of(
            buyers=[p.email for p in deal.people if p.side is Side.BUYER],
            sellers=[p.email for p in deal.people if p.side is Side.SELLER],
            seller_domains=self.seller_domains,
            service_account=self.service_account,
            owner=deal.owner_email,
        )

    def _template(self, template_name: str) -> Template | None:
        """The deal's template (None if it is gone), read once per watcher."""
        if template_name not in self.templates:
            try:
                self.templates[template_name] = find_template(template_name, self.templates_dir)
            except TemplateError:
                self.templates[template_name] = None
        return self.templates[template_name]

    def _holidays(self, template_name: str) -> tuple[date, ...]:
        """The holidays of the deal's template (none if it is gone)."""
        template = self._template(template_name)
        return template.holidays if template is not None else ()


def _plan_writes(
    read: _PlanRead,
    outcome: agreement.Outcome | None,
    current: dict[str, Any],
    pending: list[EventRecord],
    fills: list[tuple[str, date]],
) -> tuple[PlanWrites, agreement.AgreementState | None]:
    """What the write-back writes: the events the Activity tab does not show yet, Step IDs,
    sign-off cells, outlook lines and milestone dates that changed, "Done on" fills and the
    summary when its words changed; and the agreement as written (None if not written)."""
    shown_ids = {row[0] for row in read.values.get(READ_RANGES[-1]) or [] if row}
    to_show = [e for e in pending if e.event_id not in shown_ids]
    cells, written = sign_off_writes(outcome, read.parsed.deal_cells)
    shown_lines = (read.previous.payload.get(OUTLOOK) if read.previous else None) or {}
    cells += [
        (read.parsed.deal_cells[label], line)
        for label, line in current[OUTLOOK].items()
        if label in read.parsed.deal_cells and shown_lines.get(label) != line
    ]
    dates = {
        tab: [(a, d) for a, d in read.synced.writes if a.startswith(tab + "!")]
        for tab in (PLAN_TAB, DEAL_TAB)
    }
    summary = shown_summary(current)
    if shown_summary(read.previous.payload if read.previous else None) == summary:
        summary = None  # the plan shows these lines already
    writes = PlanWrites(
        to_show,
        read.parsed.step_id_writes,
        [*cells, *dates[DEAL_TAB]],
        [*dates[PLAN_TAB], *fills],
        summary,
    )
    return writes, written


def _current_snapshot(
    read: _PlanRead, outcome: agreement.Outcome | None, change: FileChange | None
) -> dict[str, Any]:
    """The snapshot to store: the one read, with the plan's current data issues (they travel
    with it, for the pipeline review), the Deal facts and agreement as the rules left them, and
    what it remembers of the read."""
    current = {**read.snapshot, "data_issues": [asdict(i) for i in read.issues]}
    if outcome is not None:
        current["deal"] = outcome.deal
        current["agreement"] = outcome.state.as_json()
    marker = read_marker(change, read.previous.payload if read.previous else None)
    if marker:
        current["read"] = marker
    return current
