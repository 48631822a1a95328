"""Read a plan's comments during its refresh: one comments.list for what changed since the last
read, made into events (`domain.comments`) that the refresh stores and shows with the others.

Drive names a comment's author by their Google account name only. When a new comment's author
is not one of the deal's people by name, one permissions.list gives the account name of each
person the plan is shared with (Google's facts, not the sheet's), and the comments are read
again with those names.

A comment or reply is a change of the file in Drive's change feed, so a plan someone commented
on is refreshed like an edited one; the refresh then asks Drive only for the comments modified
since the per-plan cursor (`startModifiedTime`), beside its read of the cells (`list_ahead`).
The cursor is stored with the events, in the refresh's transaction (`save_cursor`), so a
refresh killed before that re-reads the same comments and records each once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from ..domain.attribution import Parties
from ..domain.comments import MATCHED_BY_PEOPLE, CommentCursor, CommentRead, comment_events
from ..domain.model import Side
from ..google.errors import GoogleApiError
from ..google.gateway import GoogleFactory, GoogleGateway
from ..google.retry import is_retryable
from ..store import DealRecord, Transaction

log = logging.getLogger(__name__)
LOOKAHEAD_THREADS = 8  # as many as the watch refreshes plans at once


def cursor_name(deal_id: str) -> str:
    """The store cursor that keeps a plan's latest comment time read."""
    return f"drive.comments:{deal_id}"


def list_ahead(
    google: GoogleFactory, deal: DealRecord, cursor: CommentCursor
) -> Future[list[dict[str, Any]]]:
    """Start listing the plan's comments since the cursor beside the read of its cells (the two
    are independent; a comment made meanwhile is read the next time): one request fewer in a
    row for every changed plan. The listing runs on a thread of its own, with its own gateway."""
    assert deal.spreadsheet_id is not None
    spreadsheet_id, since = deal.spreadsheet_id, cursor.since

    def listing() -> list[dict[str, Any]]:
        return google.as_service().list_comments(spreadsheet_id, since)

    return _lookahead().submit(listing)


_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _lookahead() -> ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(LOOKAHEAD_THREADS, thread_name_prefix="plan-comments")
        return _POOL


def read_comments(
    gateway: GoogleGateway,
    cursor: CommentCursor,
    deal: DealRecord,
    parties: Parties,
    snapshot: Mapping[str, Any],
    listed_ahead: Future[list[dict[str, Any]]] | None = None,
) -> CommentRead:
    """The plan's new comments and replies as events, and the cursor after them (listed now, or
    by `list_ahead`).

    A failure a later try may get past (a quota, Google unavailable) fails the refresh, which
    the next tick runs again; any other (comments not readable for this identity) is logged
    and reads as no new comments, the cursor unmoved.
    """
    assert deal.spreadsheet_id is not None
    try:
        if listed_ahead is not None:
            listed = listed_ahead.result()
        else:
            listed = gateway.list_comments(deal.spreadsheet_id, cursor.since)
    except GoogleApiError as exc:
        if is_retryable(exc):
            raise
        log.warning("comments of plan %s could not be listed: %s", deal.deal_id, exc)
        return CommentRead([], cursor)
    people = [(p.name, p.email) for p in deal.people if p.side is not Side.SERVICE]
    read = comment_events(
        listed,
        deal_id=deal.deal_id,
        cursor=cursor,
        parties=parties,
        people=people,
        snapshot=snapshot,
    )
    if all(e.details.get("matched_by") == MATCHED_BY_PEOPLE for e in read.events):
        return read
    # A new author not known by name: Google names the people the plan is shared with.
    try:
        people += gateway.shared_with(deal.spreadsheet_id)
    except GoogleApiError as exc:
        if is_retryable(exc):
            raise
        log.warning("sharing of plan %s could not be listed: %s", deal.deal_id, exc)
        return read
    return comment_events(
        listed,
        deal_id=deal.deal_id,
        cursor=cursor,
        parties=parties,
        people=people,
        snapshot=snapshot,
    )


def load_cursor(tx: Transaction, deal_id: str) -> CommentCursor:
    return CommentCursor.from_text(tx.cursors.get(cursor_name(deal_id)))


def save_cursor(tx: Transaction, deal_id: str, cursor: CommentCursor) -> None:
    if cursor.since is not None:
        tx.cursors.set(cursor_name(deal_id), cursor.as_text())
