"""What the watch writes back into a plan: Activity rows, the Step IDs of added rows, the
Deal tab's sign-off cells and Agreement status line when the agreement rules changed them,
the Executive summary when its lines changed, and the resources the seller shares.

One batchUpdate, aimed at the tabs' usual sheet ids. If a tab is not where the plan was built
to have it — the buyer replaced the Plan tab by a copy, the seller deleted the Activity tab —
the write is refused as a whole ("No grid with id"); then the tabs are looked up by title, a
deleted Activity tab is put back (protected, as created), and the write is sent again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from ..domain import agreement
from ..domain.events import Actor, EventKind, PlanEvent, activity_row
from ..domain.layout import ACTIVITY_TAB, DEAL_TAB, PLAN_TAB, SHEET_IDS, restore_activity_requests
from ..domain.layout_cells import date_cell
from ..domain.layout_summary import (
    SUMMARY_SHEET_ID,
    SUMMARY_TAB,
    Line,
    restore_summary_requests,
    summary_update,
)
from ..domain.model import Side
from ..domain.parse_deal import STATUS_CELL
from ..domain.resources import (
    RESOURCES_SHEET_ID,
    RESOURCES_TAB,
    Resource,
    append_resource,
    restore_resources_requests,
)
from ..domain.snapshot import snapshot_date
from ..google.errors import InvalidRequest
from ..google.gateway import GoogleGateway
from ..store import EventRecord

_CELL = re.compile(r"^(?P<tab>[^!]+)!(?P<col>[A-Z]+)(?P<row>\d+)$")


CellValue = bool | int | float | str | date | None  # None clears the cell; a date is a date cell


@dataclass(frozen=True)
class PlanWrites:
    """Events to show in the Activity tab, Step IDs to write at cells ("Plan!A7"), and Deal and
    Plan tab values to write at cells ("Deal!B9": True; "Plan!F14": a milestone's date)."""

    events: Sequence[EventRecord]
    step_ids: Sequence[tuple[str, str]]
    deal_cells: Sequence[tuple[str, CellValue]] = ()
    plan_cells: Sequence[tuple[str, CellValue]] = ()
    summary: Sequence[Line] | None = None  # the Executive summary's lines, when they changed
    resources: Sequence[Resource] = ()  # rows to add to the Resources tab

    def __bool__(self) -> bool:
        return bool(
            self.events
            or self.step_ids
            or self.deal_cells
            or self.plan_cells
            or self.summary is not None
            or self.resources
        )


def write_back(
    gateway: GoogleGateway,
    spreadsheet_id: str,
    writes: PlanWrites,
    *,
    service_account: str,
    owner: str,
) -> None:
    """Send the writes (nothing if there are none)."""
    if not writes:
        return
    usual = _requests(
        writes,
        SHEET_IDS[PLAN_TAB],
        SHEET_IDS[ACTIVITY_TAB],
        SHEET_IDS[DEAL_TAB],
        SUMMARY_SHEET_ID,
        RESOURCES_SHEET_ID,
    )
    try:
        gateway.batch_update(spreadsheet_id, usual)
        return
    except InvalidRequest as exc:
        if "no grid with id" not in str(exc).lower():
            raise
    tabs = {title.casefold(): sheet_id for title, sheet_id in gateway.tab_ids(spreadsheet_id)}
    requests: list[dict[str, Any]] = []
    activity = tabs.get(ACTIVITY_TAB.casefold())
    if activity is None and writes.events:
        activity = _free_id(tabs.values(), SHEET_IDS[ACTIVITY_TAB])
        requests += restore_activity_requests(
            service_account=service_account, owner=owner, sheet_id=activity
        )
    added = [sheet_id for sheet_id in (activity,) if sheet_id is not None]
    summary = tabs.get(SUMMARY_TAB.casefold())
    if summary is None and writes.summary is not None:  # a plan made before the tab existed
        summary = _free_id([*tabs.values(), *added], SUMMARY_SHEET_ID)
        added.append(summary)
        requests += restore_summary_requests(
            service_account=service_account, owner=owner, sheet_id=summary
        )
    resources = tabs.get(RESOURCES_TAB.casefold())
    if resources is None and writes.resources:  # ... or the seller deleted it
        resources = _free_id([*tabs.values(), *added], RESOURCES_SHEET_ID)
        requests += restore_resources_requests(
            service_account=service_account, owner=owner, sheet_id=resources
        )
    plan = tabs.get(PLAN_TAB.casefold())
    deal = tabs.get(DEAL_TAB.casefold())
    kept = PlanWrites(
        writes.events,
        writes.step_ids if plan is not None else (),
        writes.deal_cells if deal is not None else (),
        writes.plan_cells if plan is not None else (),
        writes.summary,
        writes.resources,
    )
    requests += _requests(kept, plan or 0, activity or 0, deal or 0, summary or 0, resources or 0)
    if requests:
        gateway.batch_update(spreadsheet_id, requests)


def sign_off_writes(
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
            writes.append((cells[key], _sign_off_cell(value)))
            sheet[key] = value
    status = outcome.state.status
    if outcome.status_changed and STATUS_CELL in cells:
        writes.append((cells[STATUS_CELL], outcome.status))
        status = outcome.status
    if not writes:
        return [], None
    return writes, replace(outcome.state, sheet=sheet, status=status)


def _sign_off_cell(value: Any) -> CellValue:
    """A sign-off value as a cell takes it: a tick, a date as its serial number, or nothing."""
    if isinstance(value, bool) or value is None:
        return value
    day = snapshot_date(value)
    if day is not None:
        return (day - date(1899, 12, 30)).days
    return str(value)


def plan_event_of(record: EventRecord) -> PlanEvent:
    """A stored event as the domain's PlanEvent (to describe or render it)."""
    return PlanEvent(
        event_id=record.event_id,
        deal_id=record.deal_id,
        kind=EventKind(record.kind),
        occurred_at=record.occurred_at,
        subject=record.subject,
        subject_label=str(record.payload.get("subject_label", record.subject or "")),
        before=record.before,
        after=record.after,
        actor=actor_of(record),
        details=dict(record.payload.get("details") or {}),
    )


def event_record(event: PlanEvent, recorded_at: datetime) -> EventRecord:
    """A PlanEvent as the store keeps it (the inverse of `plan_event_of`)."""
    payload: dict[str, Any] = {"subject_label": event.subject_label, "details": event.details}
    if event.actor.candidates:
        payload["actor_candidates"] = list(event.actor.candidates)
    if event.actor.claimed_side:
        payload["actor_claimed_side"] = event.actor.claimed_side
    return EventRecord(
        event_id=event.event_id,
        deal_id=event.deal_id,
        kind=event.kind.value,
        occurred_at=event.occurred_at,
        recorded_at=recorded_at,
        actor_side=Side(event.actor.side),
        actor_email=event.actor.email,
        subject=event.subject,
        before=event.before,
        after=event.after,
        payload=payload,
    )


def actor_of(record: EventRecord) -> Actor:
    """A stored event's actor: its email and side, and who it may have been when not known."""
    candidates = record.payload.get("actor_candidates") or ()
    claimed = record.payload.get("actor_claimed_side")
    return Actor(
        record.actor_email,
        record.actor_side,
        candidates=tuple(str(c) for c in candidates if c),
        claimed_side=Side(str(claimed)) if claimed else None,
    )


def _free_id(taken: Iterable[int], preferred: int) -> int:
    used = set(taken)
    return preferred if preferred not in used else max(used) + 1


def _requests(
    writes: PlanWrites, plan: int, activity: int, deal: int, summary: int, resources: int
) -> list[dict[str, Any]]:
    return (
        _activity_requests(writes.events, activity)
        + _step_id_requests(writes.step_ids, plan)
        + _cell_requests(writes.plan_cells, plan)
        + _cell_requests(writes.deal_cells, deal)
        + ([summary_update(writes.summary, summary)] if writes.summary is not None else [])
        + [append_resource(shared, resources) for shared in writes.resources]
    )


def _text_cell(text: str) -> dict[str, Any]:
    # stringValue is stored as typed: a buyer's "=IMPORTXML(...)" stays text (as RAW input).
    return {"userEnteredValue": {"stringValue": text}}


def _activity_requests(records: Iterable[EventRecord], sheet_id: int) -> list[dict[str, Any]]:
    rows = [
        {"values": [_text_cell(cell) for cell in activity_row(plan_event_of(r))]} for r in records
    ]
    if not rows:
        return []
    return [{"appendCells": {"sheetId": sheet_id, "rows": rows, "fields": "userEnteredValue"}}]


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - ord("A") + 1
    return index - 1


def _step_id_requests(writes: Iterable[tuple[str, str]], sheet_id: int) -> list[dict[str, Any]]:
    return [
        request
        for cell, step_id in writes
        if (request := _update_cell(cell, sheet_id, _text_cell(step_id))) is not None
    ]


def _cell_requests(writes: Iterable[tuple[str, CellValue]], sheet_id: int) -> list[dict[str, Any]]:
    return [
        request
        for cell, value in writes
        if (request := _update_cell(cell, sheet_id, _value_cell(value))) is not None
    ]


def _value_cell(value: CellValue) -> dict[str, Any]:
    """A cell with this value as entered: a tick, a number, a date (a date cell), text, or none."""
    if value is None:
        return {}  # with fields=userEnteredValue: clears the value, keeps format and validation
    if isinstance(value, date):
        return date_cell(value)  # its serial number, shown as the layout shows dates
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        return {"userEnteredValue": {"numberValue": value}}
    return _text_cell(value)


def _update_cell(cell: str, sheet_id: int, data: dict[str, Any]) -> dict[str, Any] | None:
    """An updateCells request writing one cell's value ("Plan!A7"), or None for a bad address."""
    match = _CELL.match(cell)
    if not match:
        return None
    row, col = int(match["row"]) - 1, _column_index(match["col"])
    return {
        "updateCells": {
            "range": {
                "sheetId": sheet_id,
                "startRowIndex": row,
                "endRowIndex": row + 1,
                "startColumnIndex": col,
                "endColumnIndex": col + 1,
            },
            "rows": [{"values": [data]}],
            # a date also sets its cell's number format: a cell the buyer typed text into
            # shows the date as a date again (validation and colours are left as they are)
            "fields": "userEnteredValue,userEnteredFormat.numberFormat"
            if "userEnteredFormat" in data
            else "userEnteredValue",
        }
    }
