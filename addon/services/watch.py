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
   an agreement makes it stale); in any case, read the comments and replies made since the
   plan's comment cursor with one comments.list (`services.plan_comments`: a comment is a change
   of the file in the feed, so a plan commented on is refreshed like an edited one);
4. commit the events and the new snapshot, then show the events not yet in the Activity tab,
   write back Step IDs for rows the buyer added, the sign-off cells and Agreement status the
   rules changed and the milestone dates to keep in step, in one batchUpdate, and record the
   version that write produced;
5. only when every plan is done, advance the cursor. A tick killed anywhere re-runs safely:
   event ids are deterministic, versions already read are skipped, and the Activity tab's
   Event ID column keeps a row from being shown twice.

Steps 2 to 4, for one plan, are `services.plan_refresh`; what the watch keeps of the change
feed, and how it tells a change already read, is `services.watch_feed`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..domain.attribution import Parties
from ..domain.mass_change import DEFAULT_MASS_CHANGE_ROWS
from ..domain.model import Template
from ..domain.plan_access import AccessLoss
from ..domain.refresh_task import RefreshTask
from ..google.gateway import GoogleFactory, GoogleGateway
from ..store import DealRecord, Store
from .plan_refresh import PlanRefresh
from .refresh_queue import REFRESH_CONCURRENCY, RefreshQueue, ThreadPoolQueue
from .watch_feed import (
    FileChange,
    TickResult,
    already_read,
    change_of,
    is_archived,
    parse_change_time,
    task_of,
)

__all__ = ["CURSOR", "REFRESH_CONCURRENCY", "FileChange", "TickResult", "Watcher"]

CURSOR = "drive.changes"


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
    templates_dir: Path | None = None  # MAP_TEMPLATES_DIR; None: the shipped templates
    _templates: dict[str, Template | None] = field(default_factory=dict, repr=False)

    @property
    def gateway(self) -> GoogleGateway:
        return self.google.as_service()

    @property
    def _plans(self) -> PlanRefresh:
        """The refresh of one plan, over this watcher's store, Google and settings."""
        return PlanRefresh(
            self.store,
            self.google,
            self.service_account,
            self.now,
            self.seller_domains,
            self.mass_change_rows,
            self._templates,
            self.templates_dir,
        )

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
        tasks = [task_of(deal, change) for deal, change in due]
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
            if is_archived(tx, deal):
                result.skipped += 1  # a lost deal: its plan is not read (domain/outcome.py)
                return None
            known = already_read(tx, deal, change)
            if known and change.version is not None:
                tx.own_writes.record(change.file_id, change.version)
        if change.removed or change.trashed:
            loss = AccessLoss.REMOVED if change.removed else AccessLoss.TRASHED
            self._plans.lose_access(deal, loss, None, result, since=parse_change_time(change.time))
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
            archived = deal is not None and is_archived(tx, deal)
        if deal is None or deal.spreadsheet_id is None or archived:
            result.skipped += 1  # deleted, never got its sheet, or lost: nothing to read
            return result
        change = change_of(task, deal.spreadsheet_id)
        with self.store.locks.hold(f"plan:{deal.deal_id}") as held:
            if not held:
                result.deferred.append(deal.deal_id)
                return result
            if change is not None:
                with self.store.transaction() as tx:
                    if already_read(tx, deal, change):
                        result.skipped += 1
                        return result
            return self._plans.refresh(deal, change)

    def parties(self, deal: DealRecord) -> Parties:
        """Who is on which side of the deal (see `PlanRefresh.parties`)."""
        return self._plans.parties(deal)
