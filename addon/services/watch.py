"""Watch buyer edits: one change-feed read tells which plans changed; only those are read.

A tick, as the service account:
1. page through Drive's change feed from the stored cursor (one request per 1,000 changes);
2. for each registered plan whose latest change is not one the product already knows (a version
   already read, the product's own write, or the untouched sheet as created), read its tabs with
   one values.batchGet, parse, make each milestone's row and Deal tab copy one date
   (`domain.milestones`: the place edited moves the other), and diff against the last snapshot
   into events;
3. when there are events, credit each to the person who made it from the Drive revisions made
   since the last read (`services.revisions`, `domain.crediting`: one revisions.list; the
   revisions' content only when several people edited), and check the agreement rules
   (`domain.agreement`: a sign-off changed by the wrong side is refused, a material change after
   an agreement makes it stale);
4. commit the events and the new snapshot, then show the events not yet in the Activity tab,
   write back Step IDs for rows the buyer added, the sign-off cells and Agreement status the
   rules changed and the milestone dates to keep in step, in one batchUpdate, and record the
   version that write produced;
5. only when every plan is done, advance the cursor. A tick killed anywhere re-runs safely:
   event ids are deterministic, versions already read are skipped, and the Activity tab's
   Event ID column keeps a row from being shown twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from functools import partial
from typing import Any

from ..domain import agreement, milestones
from ..domain.attribution import UNKNOWN, Actor, Parties
from ..domain.crediting import Revision, credit, stakeholder_claims, with_listed_sides
from ..domain.events import PlanEvent, diff, event_json
from ..domain.layout import ACTIVITY_TAB, DEAL_TAB, PLAN_TAB, STAKEHOLDERS_TAB
from ..domain.mass_change import DEFAULT_MASS_CHANGE_ROWS, collapse_mass_changes
from ..domain.model import Template
from ..domain.outcome import Outcome
from ..domain.parse import DataIssue, parse_plan
from ..domain.parse_deal import STATUS_CELL
from ..domain.plan_access import AccessLoss
from ..domain.refresh_task import RefreshTask
from ..domain.snapshot import snapshot_date
from ..domain.templates import TemplateError, find_template
from ..google.errors import GoogleApiError
from ..google.gateway import GoogleFactory, GoogleGateway
from ..google.retry import is_retryable
from ..store import DealRecord, PersonSide, Store, Transaction
from .plan_access import describe_loss, lose_access, loss_of, regain_access
from .plan_writes import CellValue, PlanWrites, event_record, write_back
from .refresh_queue import REFRESH_CONCURRENCY, RefreshQueue, ThreadPoolQueue
from .revisions import parse_rfc3339, revisions_since

log = logging.getLogger(__name__)

CURSOR = "drive.changes"
READ_RANGES = [PLAN_TAB, DEAL_TAB, STAKEHOLDERS_TAB, f"{ACTIVITY_TAB}!H2:H"]


@dataclass(frozen=True)
class FileChange:
    """The latest state Drive reports for one changed file."""

    file_id: str
    removed: bool
    version: str | None
    modified_time: str | None
    created_time: str | None
    modifier: str | None
    trashed: bool = False  # in the trash: still listed, but a plan no one works on
    time: str | None = None  # when Drive saw the change

    @classmethod
    def from_api(cls, change: dict[str, Any]) -> FileChange:
        file = change.get("file") or {}
        return cls(
            file_id=change["fileId"],
            removed=bool(change.get("removed")),
            version=file.get("version"),
            modified_time=file.get("modifiedTime"),
            created_time=file.get("createdTime"),
            modifier=(file.get("lastModifyingUser") or {}).get("emailAddress"),
            trashed=bool(file.get("trashed")),
            time=change.get("time"),
        )


@dataclass
class TickResult:
    """What one tick found: the plans it read, their new events and data issues."""

    changed_plans: list[str] = field(default_factory=list)
    events: list[PlanEvent] = field(default_factory=list)
    data_issues: list[tuple[str, DataIssue]] = field(default_factory=list)
    skipped: int = 0
    failed: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)  # locked by another process just now
    queued: list[str] = field(default_factory=list)  # handed to a durable queue
    cursor_advanced: bool = False

    @property
    def complete(self) -> bool:
        """Whether every change it covered is committed (or durably queued): the cursor may move."""
        return not self.failed and not self.deferred

    def as_json(self, requests: dict[str, int]) -> dict[str, Any]:
        return {
            "changed_plans": self.changed_plans,
            "events": [event_json(e) for e in self.events],
            "data_issues": [
                {
                    "deal_id": deal,
                    "tab": i.tab,
                    "cell": i.cell,
                    "kind": i.kind,
                    "message": i.message,
                }
                for deal, i in self.data_issues
            ],
            "failed": self.failed,
            "deferred": self.deferred,
            "queued": self.queued,
            "requests": {"sheets": requests.get("sheets", 0), "drive": requests.get("drive", 0)},
        }


class _UpdateFailed(Exception):
    """The plan was read and its events recorded, but writing them into it failed."""


def _parse_time(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _next_version(version: str) -> str:
    return str(int(version) + 1) if version.isdigit() else version


@dataclass
class Watcher:
    """The watch use case over a store and Google, acting as the service account."""

    store: Store
    google: GoogleFactory
    service_account: str
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    queue: RefreshQueue = field(default_factory=lambda: ThreadPoolQueue(REFRESH_CONCURRENCY))
    seller_domains: tuple[str, ...] = ()  # MAP_SELLER_DOMAINS: the seller's mail domains
    mass_change_rows: int = DEFAULT_MASS_CHANGE_ROWS  # MAP_MASS_CHANGE_ROWS
    _templates: dict[str, Template | None] = field(default_factory=dict, repr=False)

    @property
    def gateway(self) -> GoogleGateway:
        return self.google.as_service()

    def tick(self) -> TickResult:
        """Read what changed since the cursor, record its events, then advance the cursor."""
        result = TickResult()
        with self.store.transaction() as tx:
            cursor = tx.cursors.get(CURSOR)
        if cursor is None:
            return self._first_tick(result)
        changes, next_cursor = self._changes_since(cursor)
        due = [found for change in changes if (found := self._consider(change, result))]
        self._refresh_all(due, result)
        if result.complete:
            with self.store.transaction() as tx:
                tx.cursors.set(CURSOR, next_cursor)
            result.cursor_advanced = True
        return result

    def _first_tick(self, result: TickResult) -> TickResult:
        """Start the feed here, and read every registered plan once to catch up."""
        start = self.gateway.start_page_token()
        with self.store.transaction() as tx:
            archived = tx.outcomes.archived()
            deals = [
                d for d in tx.deals.newest_first() if d.spreadsheet_id and d.deal_id not in archived
            ]
        self._refresh_all([(deal, None) for deal in reversed(deals)], result)
        if result.complete:
            with self.store.transaction() as tx:
                tx.cursors.set(CURSOR, start)
            result.cursor_advanced = True
        return result

    def _changes_since(self, cursor: str) -> tuple[list[FileChange], str]:
        """Every change since `cursor`, the latest per file, and the cursor after them."""
        latest: dict[str, FileChange] = {}
        token = cursor
        while True:
            page = self.gateway.list_changes(token)
            for change in page.get("changes", []):
                latest.pop(change["fileId"], None)  # keep feed order by latest change
                latest[change["fileId"]] = FileChange.from_api(change)
            if "nextPageToken" in page:
                token = page["nextPageToken"]
                continue
            return list(latest.values()), page["newStartPageToken"]

    def _refresh_all(
        self, due: Sequence[tuple[DealRecord, FileChange | None]], result: TickResult
    ) -> None:
        """Send the plans to the refresh queue; gather what the refreshes run now found."""
        tasks = [_task_of(deal, change) for deal, change in due]
        for part in self.queue.submit(tasks, self.refresh):
            result.changed_plans.extend(part.changed_plans)
            result.events.extend(part.events)
            result.data_issues.extend(part.data_issues)
            result.failed.extend(part.failed)
            result.deferred.extend(part.deferred)
            result.skipped += part.skipped
        if self.queue.durable:
            result.queued.extend(task.deal_id for task in tasks)

    def _consider(
        self, change: FileChange, result: TickResult
    ) -> tuple[DealRecord, FileChange] | None:
        """The plan to refresh for this change, or None (not a plan, removed, or known)."""
        with self.store.transaction() as tx:
            deal = tx.deals.get_by_spreadsheet_id(change.file_id)
            if deal is None:
                return None  # not a plan
            if _archived(tx, deal):
                result.skipped += 1  # a lost deal: its plan is not read (domain/outcome.py)
                return None
            known = _already_read(tx, deal, change)
            if known and change.version is not None:
                tx.own_writes.record(change.file_id, change.version)
        if change.removed or change.trashed:
            loss = AccessLoss.REMOVED if change.removed else AccessLoss.TRASHED
            self._lose_access(deal, loss, None, result, since=_parse_time(change.time))
            return None
        if known:
            result.skipped += 1
            return None
        return deal, change

    def refresh(self, task: RefreshTask) -> TickResult:
        """Refresh one plan for a queued task; safe to run twice, or in two processes at once.

        Only the holder of the plan's lock reads it, and it first checks again whether the
        change is already done: a task delivered twice, or a change two watch processes both
        saw, is processed once. A plan locked by someone else is reported as deferred.
        """
        result = TickResult()
        with self.store.transaction() as tx:
            deal = tx.deals.get(task.deal_id)
            archived = deal is not None and _archived(tx, deal)
        if deal is None or deal.spreadsheet_id is None or archived:
            result.skipped += 1  # deleted, never got its sheet, or lost: nothing to read
            return result
        change = _change_of(task, deal.spreadsheet_id)
        with self.store.locks.hold(f"plan:{deal.deal_id}") as held:
            if not held:
                result.deferred.append(deal.deal_id)
                return result
            if change is not None:
                with self.store.transaction() as tx:
                    if _already_read(tx, deal, change):
                        result.skipped += 1
                        return result
            return self._refresh(deal, change)

    def _refresh(self, deal: DealRecord, change: FileChange | None) -> TickResult:
        """Read, parse and diff one plan; record and show its events. Failures are reported."""
        assert deal.spreadsheet_id is not None
        result = TickResult()
        try:
            events = self._refresh_plan(deal, change, result)
        except _UpdateFailed as exc:
            if loss := loss_of(exc.__cause__, writing=True):  # no retry will help: say so
                self._lose_access(deal, loss, exc.__cause__, result)
                return result
            result.failed.append(deal.deal_id)
            issue = DataIssue("Plan", None, "update_failed", f"Could not update the plan: {exc}")
            result.data_issues.append((deal.deal_id, issue))
            return result
        except GoogleApiError as exc:
            if loss := loss_of(exc):  # stored and shown; the feed tells when it comes back
                self._lose_access(deal, loss, exc, result)
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
        spreadsheet_id = deal.spreadsheet_id
        assert spreadsheet_id is not None
        values = self.gateway.read_values(spreadsheet_id, READ_RANGES)
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
        snapshot, issues = synced.snapshot, (*parsed.issues, *synced.issues)
        result.data_issues.extend((deal.deal_id, issue) for issue in issues)
        occurred_at = _parse_time(change.modified_time if change else None)
        events: list[PlanEvent] = []
        outcome: agreement.Outcome | None = None
        if previous is not None and seen is not None:
            differ = partial(
                diff,
                deal_id=deal.deal_id,
                base_seq=previous.seq,
                occurred_at=occurred_at,
                actor=Actor(None, UNKNOWN),
                holidays=self._holidays(deal.template),
                template=self._template(deal.template),
            )
            events = differ(seen, snapshot, milestone_moves=synced.moves)
            parties = self.parties(deal)
            if events:
                revisions = self._revisions(deal, change, previous.payload, seen, parties)
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
                service_actor=Actor(self.service_account, UNKNOWN),
            )
            events = outcome.events
        # Hundreds of rows added or cleared at once are one event, not hundreds.
        base_seq = previous.seq if previous else 0
        events = collapse_mass_changes(events, threshold=self.mass_change_rows, base_seq=base_seq)
        # The plan's current data issues travel with its snapshot, for the pipeline review.
        current = {**snapshot, "data_issues": [asdict(i) for i in issues]}
        if outcome is not None:
            current["deal"] = outcome.deal
            current["agreement"] = outcome.state.as_json()
        marker = _read_marker(change, previous.payload if previous else None)
        if marker:
            current["read"] = marker
        version = change.version if change else None
        with self.store.transaction() as tx:
            tx.events.insert_many(event_record(e, self.now()) for e in events)
            if previous is None or _content(previous.payload) != _content(current):
                tx.snapshots.insert(
                    deal.deal_id, current, taken_at=self.now(), file_version=version
                )
            elif version is not None:
                tx.own_writes.record(spreadsheet_id, version)
            pending = tx.events.unshown(deal.deal_id)
        shown_ids = {row[0] for row in values.get(READ_RANGES[-1]) or [] if row}
        to_show = [e for e in pending if e.event_id not in shown_ids]
        cells, written = _sign_off_writes(outcome, parsed.deal_cells)
        dates = {
            tab: [(a, d) for a, d in synced.writes if a.startswith(tab + "!")]
            for tab in (PLAN_TAB, DEAL_TAB)
        }
        writes = PlanWrites(
            to_show, parsed.step_id_writes, [*cells, *dates[DEAL_TAB]], dates[PLAN_TAB]
        )
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
                tx.own_writes.record(spreadsheet_id, _next_version(version))
            if written is not None or synced.writes:
                # The sheet now shows what was written: the next read compares with that.
                shown = milestones.written(current)
                if written is not None:
                    shown["agreement"] = written.as_json()
                tx.snapshots.insert(deal.deal_id, shown, taken_at=self.now(), file_version=version)
        return events

    def _lose_access(
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
            buyers=[p.email for p in deal.people if p.side is PersonSide.BUYER],
            sellers=[p.email for p in deal.people if p.side is PersonSide.SELLER],
            seller_domains=self.seller_domains,
            service_account=self.service_account,
            owner=deal.owner_email,
        )

    def _revisions(
        self,
        deal: DealRecord,
        change: FileChange | None,
        previous: Mapping[str, Any],
        seen: Mapping[str, Any],
        parties: Parties,
    ) -> list[Revision]:
        """The revisions made since the last read; none (changes then credited to no one) when
        Drive will not list them for this identity. A failure that a later try may not meet
        (a quota, Google unavailable) fails the refresh, which the next tick runs again: the
        changes are not recorded until they can be credited."""
        assert deal.spreadsheet_id is not None
        since = _since(previous, change)
        try:
            return revisions_since(
                self.gateway,
                deal.spreadsheet_id,
                since,
                parties=parties,
                previous=seen,
                deal_id=deal.deal_id,
            )
        except GoogleApiError as exc:
            if is_retryable(exc):
                raise
            log.warning("revisions of plan %s could not be listed: %s", deal.deal_id, exc)
            return []

    def _template(self, template_name: str) -> Template | None:
        """The deal's template (None if it is gone), read once per watcher."""
        if template_name not in self._templates:
            try:
                self._templates[template_name] = find_template(template_name)
            except TemplateError:
                self._templates[template_name] = None
        return self._templates[template_name]

    def _holidays(self, template_name: str) -> tuple[date, ...]:
        """The holidays of the deal's template (none if it is gone)."""
        template = self._template(template_name)
        return template.holidays if template is not None else ()


def _read_marker(change: FileChange | None, previous: Mapping[str, Any] | None) -> dict[str, Any]:
    """What a snapshot remembers of the read that took it: the file's modified time as the
    change feed gave it before the read (every edit up to then is in what was read)."""
    if change is not None and change.modified_time:
        return {"modified_time": change.modified_time}
    earlier = (previous or {}).get("read")
    return dict(earlier) if isinstance(earlier, Mapping) else {}


def _since(previous: Mapping[str, Any], change: FileChange | None) -> datetime | None:
    """After when revisions may hold edits the last read did not see: that read's marker; for a
    snapshot without one, the file's creation (or everything, when that is not known)."""
    marker = previous.get("read")
    if isinstance(marker, Mapping):
        found = parse_rfc3339(marker.get("modified_time"))
        if found is not None:
            return found
    return parse_rfc3339(change.created_time) if change is not None else None


def _sign_off_writes(
    outcome: agreement.Outcome | None, cells: Mapping[str, str]
) -> tuple[list[tuple[str, CellValue]], agreement.AgreementState | None]:
    """The Deal tab cells to write for the agreement (by address), and the agreement state once
    they are written (None when nothing is to be written)."""
    if outcome is None:
        return [], None
    writes: list[tuple[str, CellValue]] = []
    sheet = dict(outcome.state.sheet)
    for key, value in outcome.cells.items():
        if key in cells:
            writes.append((cells[key], _cell_value(value)))
            sheet[key] = value
    status = outcome.state.status
    if outcome.status_changed and STATUS_CELL in cells:
        writes.append((cells[STATUS_CELL], outcome.status))
        status = outcome.status
    if not writes:
        return [], None
    return writes, replace(outcome.state, sheet=sheet, status=status)


def _cell_value(value: Any) -> CellValue:
    """A sign-off value as a cell takes it: a tick, a date as its serial number, or nothing."""
    if isinstance(value, bool) or value is None:
        return value
    day = snapshot_date(value)
    if day is not None:
        return (day - date(1899, 12, 30)).days
    return str(value)


def _archived(tx: Transaction, deal: DealRecord) -> bool:
    """Whether the seller closed the deal as lost: the watch leaves its plan alone."""
    outcome = tx.outcomes.get(deal.deal_id)
    return outcome is not None and outcome.outcome == Outcome.LOST.value


def _already_read(tx: Transaction, deal: DealRecord, change: FileChange) -> bool:
    """Whether a change needs no read: a version already read, our own write, or the sheet
    untouched since it was created. Never while events still wait to be shown: the plan must
    be read and written again."""
    if tx.events.unshown(deal.deal_id):
        return False
    snapshot = tx.snapshots.latest(deal.deal_id)
    if change.version is not None:
        if tx.own_writes.contains(change.file_id, change.version):
            return True
        if snapshot is not None and snapshot.file_version == change.version:
            return True
    return (
        snapshot is not None
        and snapshot.seq == 1
        and change.created_time is not None
        and change.created_time == change.modified_time
    )


def _task_of(deal: DealRecord, change: FileChange | None) -> RefreshTask:
    if change is None:
        return RefreshTask(deal.deal_id)
    return RefreshTask(
        deal.deal_id, change.version, change.modified_time, change.created_time, change.modifier
    )


def _change_of(task: RefreshTask, spreadsheet_id: str) -> FileChange | None:
    if task.version is None and task.modified_time is None:
        return None  # a catch-up read
    return FileChange(
        spreadsheet_id, False, task.version, task.modified_time, task.created_time, task.modifier
    )


def _content(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot without row positions and read marker: moving rows, or reading again, is not
    a change worth a new snapshot."""
    steps = [{k: v for k, v in s.items() if k != "row"} for s in snapshot.get("steps", [])]
    return {**{k: v for k, v in snapshot.items() if k != "read"}, "steps": steps}
