"""What the product does in Google Sheets and Drive, as one identity, through the retry layer.

Every method is one API request (plus retries) and is counted by the gateway's RequestCounter,
so services and benchmarks can report their cost. Callers see `GoogleApiError`s, never
`HttpError`. The Sheets calls are here, the Drive calls in `drive_calls`, the connection they
share in `connection`; the factories at the end make a gateway per identity.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from .accounting import RequestCounter
from .clients import SCOPES, Backend
from .drive_calls import DriveCalls
from .errors import InvalidRequest
from .retry import DEFAULT, RetryPolicy

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"


@dataclass
class GoogleGateway(DriveCalls):
    """Sheets and Drive calls made as the identity in `backend` (the Drive ones in `DriveCalls`)."""

    def create_spreadsheet(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a spreadsheet in one request; its id and URL.

        https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/create
        Not retried on 5xx: the sheet may exist already (see `find_spreadsheet`).
        """
        request = self._spreadsheets.create(body=body, fields="spreadsheetId,spreadsheetUrl")
        return self._run(request, idempotent=False)

    def read_values(
        self, spreadsheet_id: str, ranges: list[str]
    ) -> dict[str, list[list[Any]] | None]:
        """Every range's values in one batchGet (unformatted, dates as serial numbers).

        A tab that no longer exists makes Google refuse the whole batch, so then the tabs are
        listed (one more request) and the ranges on missing tabs come back as None.
        https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchGet
        """
        try:
            return self._batch_get(spreadsheet_id, ranges)
        except InvalidRequest as exc:
            if "Unable to parse range" not in exc.message:
                raise
        listed = self._run(
            self._spreadsheets.get(spreadsheetId=spreadsheet_id, fields="sheets.properties.title")
        )
        titles = {s["properties"]["title"] for s in listed.get("sheets", [])}
        present = [r for r in ranges if r.split("!", 1)[0].strip("'") in titles]
        values = self._batch_get(spreadsheet_id, present) if present else {}
        return {r: values.get(r) for r in ranges}

    def _batch_get(
        self, spreadsheet_id: str, ranges: list[str]
    ) -> dict[str, list[list[Any]] | None]:
        request = self._values.batchGet(
            spreadsheetId=spreadsheet_id,
            ranges=ranges,
            valueRenderOption="UNFORMATTED_VALUE",
            dateTimeRenderOption="SERIAL_NUMBER",
            majorDimension="ROWS",
        )
        answer = self._run(request)
        value_ranges = answer.get("valueRanges", [])
        return {r: vr.get("values", []) for r, vr in zip(ranges, value_ranges, strict=True)}

    def write_values(
        self, spreadsheet_id: str, data: list[dict[str, Any]], input_option: str = "RAW"
    ) -> dict[str, Any]:
        """Write several ranges in one values.batchUpdate.

        https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/batchUpdate
        """
        body = {"valueInputOption": input_option, "data": data}
        request = self._values.batchUpdate(spreadsheetId=spreadsheet_id, body=body)
        return self._run(request)

    def append_values(self, spreadsheet_id: str, range_: str, rows: list[list[Any]]) -> None:
        """Append rows after the table in `range_`, as typed (RAW). Not retried on 5xx.

        https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/append
        """
        request = self._values.append(
            spreadsheetId=spreadsheet_id,
            range=range_,
            valueInputOption="RAW",
            body={"values": rows},
        )
        self._run(request, idempotent=False)

    def sheets_and_charts(self, spreadsheet_id: str) -> tuple[list[tuple[int, str]], list[int]]:
        """Each tab's (sheetId, title) and every chart's id (one get with a field mask).

        https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get
        """
        got = self._run(
            self._spreadsheets.get(
                spreadsheetId=spreadsheet_id,
                fields="sheets(properties(sheetId,title),charts(chartId))",
            )
        )
        sheets = got.get("sheets", [])
        tabs = [
            (int(s["properties"].get("sheetId", 0)), str(s["properties"].get("title", "")))
            for s in sheets
        ]
        return tabs, [c["chartId"] for s in sheets for c in s.get("charts", [])]

    def tab_ids(self, spreadsheet_id: str) -> list[tuple[str, int]]:
        """Each tab's (title, sheetId), in order (one get with a field mask).

        https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get
        """
        got = self._run(
            self._spreadsheets.get(
                spreadsheetId=spreadsheet_id, fields="sheets(properties(sheetId,title))"
            )
        )
        return [
            (s["properties"]["title"], int(s["properties"].get("sheetId", 0)))
            for s in got.get("sheets", [])
        ]

    def protected_ranges(self, spreadsheet_id: str) -> list[dict[str, Any]]:
        """Every protected range of the spreadsheet (one get with a field mask); `editors` only
        where this identity may edit the range, as Google shows them.

        https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/get
        """
        got = self._run(
            self._spreadsheets.get(
                spreadsheetId=spreadsheet_id,
                fields="sheets(protectedRanges(protectedRangeId,description,editors,range))",
            )
        )
        return [p for s in got.get("sheets", []) for p in s.get("protectedRanges", [])]

    def batch_update(self, spreadsheet_id: str, requests: list[dict[str, Any]]) -> dict[str, Any]:
        """Apply requests atomically in one batchUpdate. Not retried on 5xx (it may have landed).

        https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/batchUpdate
        """
        body = {"requests": requests}
        request = self._spreadsheets.batchUpdate(
            spreadsheetId=spreadsheet_id, body=body, fields="spreadsheetId"
        )
        return self._run(request, idempotent=False)

    def find_spreadsheet(self, title: str, metadata_key: str, metadata_value: str) -> str | None:
        """The id of a spreadsheet named `title` carrying the developer metadata, if any.

        For recovery only (a create whose answer was lost): one files.list, then one
        developerMetadata.search per candidate.
        https://developers.google.com/drive/api/reference/rest/v3/files/list
        """
        quoted = title.replace("\\", "\\\\").replace("'", "\\'")
        query = f"name = '{quoted}' and mimeType = '{SPREADSHEET_MIME}' and trashed = false"
        listed = self._run(self._files.list(q=query, fields="files(id)", pageSize=50))
        for candidate in listed.get("files", []):
            lookup = {
                "dataFilters": [
                    {
                        "developerMetadataLookup": {
                            "metadataKey": metadata_key,
                            "metadataValue": metadata_value,
                        }
                    }
                ]
            }
            found = self._run(self._metadata.search(spreadsheetId=candidate["id"], body=lookup))
            if found.get("matchedDeveloperMetadata"):
                return str(candidate["id"])
        return None


@dataclass
class GoogleFactory:
    """Builds gateways for the configured backend; all share one request counter."""

    config: Config
    counter: RequestCounter = field(default_factory=RequestCounter)
    policy: RetryPolicy = DEFAULT

    def backend_for(self, email: str, scopes: Sequence[str] = SCOPES) -> Backend:
        """A backend acting as `email` (locally by name; on Google by domain-wide delegation),
        with `scopes` (the Gmail mailer asks for the Gmail ones)."""
        if self.config.is_local:
            return Backend.local(self.config.local_google_url, email)
        return Backend.google(self._service_credentials(subject=email, scopes=scopes))

    def _service_credentials(self, subject: str | None, scopes: Sequence[str] = SCOPES) -> Any:
        import google.auth
        from google.oauth2 import service_account

        path = self.config.credentials_file
        if path:
            creds = service_account.Credentials.from_service_account_file(path, scopes=list(scopes))
            if subject and subject != self.config.service_account:
                creds = creds.with_subject(subject)
            return creds
        creds, _ = google.auth.default(scopes=list(scopes))
        return creds

    _local: threading.local = field(default_factory=threading.local, repr=False)

    def as_user(self, email: str) -> GoogleGateway:
        """The gateway acting as `email`, made once per thread (httplib2 is not thread-safe)."""
        cache: dict[str, GoogleGateway] = self._local.__dict__.setdefault("gateways", {})
        if email not in cache:
            cache[email] = self._gateway(self.backend_for(email))
        return cache[email]

    def _gateway(self, backend: Backend) -> GoogleGateway:
        return GoogleGateway(backend, self.counter, self.policy)

    def as_service(self) -> GoogleGateway:
        return self.as_user(self.config.service_account)


@dataclass
class UserTokenFactory(GoogleFactory):
    """A factory that acts as one user with their OAuth token (the add-on's userOAuthToken);
    every other identity is built as GoogleFactory builds it."""

    user: str = ""
    token: str = ""

    def backend_for(self, email: str, scopes: Sequence[str] = SCOPES) -> Backend:
        if self.config.is_local or email.lower() != self.user.lower() or not self.token:
            return super().backend_for(email, scopes)
        from google.oauth2.credentials import Credentials

        return Backend.google(Credentials(self.token))
