"""The Drive revisions made to a plan since the watch last read it, with their content.

Called by the watch only when a read found changes (so a tick with nothing new costs nothing
more). One `revisions.list` names who edited since the last read; when it names one person (the
service account's own writes aside), that is all. When it names several, each revision's content
is downloaded from its `exportLinks` (xlsx) and parsed like the sheet, so that each change can be
credited to the revision that made it (`domain.crediting`). Content that cannot be had (no link,
a download that fails for good, too many revisions, a file that does not parse) is left out,
and the changes are then credited to "one of" the people who edited, never guessed. A quota
hit (429) is not "for good": it fails the refresh, which the next tick runs again.

Costs: 1 Drive request per changed plan (more only past 1,000 revisions), plus, when several
people edited since the last read, one download per revision made since then (at most
`MAX_DOWNLOADS`; beyond that, none).
https://developers.google.com/drive/api/reference/rest/v3/revisions/list
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from ..domain.attribution import Parties
from ..domain.crediting import Revision, editors
from ..domain.layout import DEAL_TAB, PLAN_TAB, STAKEHOLDERS_TAB
from ..domain.parse import parse_plan
from ..google.errors import GoogleApiError, RateLimited
from ..google.gateway import GoogleGateway
from ..google.retry import is_retryable
from ..store import DealRecord

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_DOWNLOADS = 8
_SERIAL_EPOCH = datetime(1899, 12, 30)
_TABS = (PLAN_TAB, DEAL_TAB, STAKEHOLDERS_TAB)


def parse_rfc3339(text: str | None) -> datetime | None:
    """A Drive timestamp ("2026-11-26T10:00:00.123Z") as an aware datetime, or None."""
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def revisions_since(
    gateway: GoogleGateway,
    spreadsheet_id: str,
    since: datetime | None,
    *,
    parties: Parties,
    previous: Mapping[str, Any],
    deal_id: str,
) -> list[Revision]:
    """The revisions modified after `since` (all of them when None), oldest first; with their
    parsed content when several people made them and every one could be downloaded."""
    listed = gateway.list_revisions(spreadsheet_id)
    recent = [r for r in listed if _after(parse_rfc3339(r.get("modifiedTime")), since)]
    revisions = [Revision(_author(r)) for r in recent]
    if len(editors(revisions, parties)) <= 1 or len(recent) > MAX_DOWNLOADS:
        return revisions
    with_content: list[Revision] = []
    before: Mapping[str, Any] = previous
    for listed_revision, revision in zip(recent, revisions, strict=True):
        content = _content(gateway, listed_revision, before, deal_id)
        if content is None:
            return revisions  # one missing: none is used
        with_content.append(Revision(revision.author, content))
        before = content
    return with_content


def revisions_of_refresh(
    gateway: GoogleGateway,
    deal: DealRecord,
    since: datetime | None,
    previous: Mapping[str, Any],
    parties: Parties,
) -> list[Revision]:
    """The revisions made to the deal's plan since the last read (`revisions_since`); none
    (changes then credited to no one) when Drive will not list them for this identity. A
    failure that a later try may not meet (a quota, Google unavailable) fails the refresh,
    which the next tick runs again: the changes are not recorded until they can be credited."""
    assert deal.spreadsheet_id is not None
    try:
        return revisions_since(
            gateway,
            deal.spreadsheet_id,
            since,
            parties=parties,
            previous=previous,
            deal_id=deal.deal_id,
        )
    except GoogleApiError as exc:
        if is_retryable(exc):
            raise
        log.warning("revisions of plan %s could not be listed: %s", deal.deal_id, exc)
        return []


def _after(modified: datetime | None, since: datetime | None) -> bool:
    """Whether a revision may hold edits made after `since` (one without a time may)."""
    return since is None or modified is None or modified > since


def _author(revision: Mapping[str, Any]) -> str | None:
    user = revision.get("lastModifyingUser") or {}
    email = user.get("emailAddress") if isinstance(user, Mapping) else None
    return str(email) if email else None


def _content(
    gateway: GoogleGateway,
    revision: Mapping[str, Any],
    before: Mapping[str, Any],
    deal_id: str,
) -> dict[str, Any] | None:
    """The plan as one revision held it, parsed like a read of the sheet; None if not to be had."""
    links = revision.get("exportLinks") or {}
    link = links.get(XLSX) if isinstance(links, Mapping) else None
    if not link:
        return None
    try:
        data = gateway.download(str(link))
    except RateLimited:
        raise  # over quota for now: the refresh is run again later, rather than credit no one
    except GoogleApiError as exc:
        log.info("revision %s of a plan could not be downloaded: %s", revision.get("id"), exc)
        return None
    try:
        values = xlsx_values(data, _TABS)
    except Exception as exc:  # noqa: BLE001 - any file that does not read is content not had
        log.info("revision %s of a plan could not be read: %s", revision.get("id"), exc)
        return None
    return parse_plan(values, before, deal_id).snapshot


def xlsx_values(data: bytes, tabs: Sequence[str]) -> dict[str, list[list[Any]] | None]:
    """The named tabs of an xlsx export as values.batchGet returns them unformatted: numbers,
    booleans and text, dates and times as serial numbers, trailing blanks left out; None for a
    tab the file does not have."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        by_title = {sheet.title.casefold(): sheet for sheet in book.worksheets}
        out: dict[str, list[list[Any]] | None] = {}
        for tab in tabs:
            sheet = by_title.get(tab.casefold())
            if sheet is None:
                out[tab] = None
                continue
            rows = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
            for row in rows:
                while row and row[-1] == "":
                    row.pop()
            while rows and not rows[-1]:
                rows.pop()
            out[tab] = rows
        return out
    finally:
        book.close()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool | str):
        return value
    if isinstance(value, datetime):
        days = (value.replace(tzinfo=None) - _SERIAL_EPOCH).total_seconds() / 86400
        return int(days) if days.is_integer() else days
    if isinstance(value, date):
        return (value - _SERIAL_EPOCH.date()).days
    if isinstance(value, int | float):
        return int(value) if float(value).is_integer() else value
    return str(value)
