"""What the product does in Google Sheets and Drive, as one identity, through the retry layer.

Every method is one API request (plus retries) and is counted by the gateway's RequestCounter,
so services and benchmarks can report their cost. Callers see `GoogleApiError`s, never
`HttpError`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from googleapiclient.http import HttpRequest

from ..config import Config
from .accounting import RequestCounter
from .clients import (
    SCOPES,
    Backend,
    authorized_http,
    drive_service,
    shared_resource,
    sheets_service,
)
from .errors import InvalidRequest, NotFound
from .retry import DEFAULT, RetryPolicy, execute, execute_raw

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
REVISION_FIELDS = (
    "nextPageToken,revisions(id,modifiedTime,lastModifyingUser(emailAddress),exportLinks)"
)
CHANGE_FIELDS = (
    "nextPageToken,newStartPageToken,changes(fileId,removed,time,"
    "file(id,version,modifiedTime,createdTime,trashed,lastModifyingUser(emailAddress)))"
)


@dataclass
class GoogleGateway:
    """Sheets and Drive calls made as the identity in `backend`."""

    backend: Backend
    counter: RequestCounter = field(default_factory=RequestCounter)
    policy: RetryPolicy = DEFAULT

    @cached_property
    def sheets(self) -> Any:
        """A Sheets service of this identity's own (for calls the gateway does not wrap)."""
        return sheets_service(self.backend)

    @cached_property
    def drive(self) -> Any:
        """A Drive service of this identity's own (for calls the gateway does not wrap)."""
        return drive_service(self.backend)

    # google-api-python-client writes every method's docstring, schemas included, each time a
    # resource object is made: `spreadsheets()` costs about 0.3 s and 50 MB. So the gateway's
    # resources are made once per process and shared; each request is then sent through this
    # gateway's own authorised connection (`_run`), as the library allows.
    @cached_property
    def _spreadsheets(self) -> Any:
        return shared_resource("sheets", self.backend.base_url, "spreadsheets")

    @cached_property
    def _metadata(self) -> Any:
        return shared_resource("sheets", self.backend.base_url, "spreadsheets.developerMetadata")

    @cached_property
    def _permissions(self) -> Any:
        return shared_resource("drive", self.backend.base_url, "permissions")

    @cached_property
    def _files(self) -> Any:
        return shared_resource("drive", self.backend.base_url, "files")

    @cached_property
    def _changes(self) -> Any:
        return shared_resource("drive", self.backend.base_url, "changes")

    @cached_property
    def _revisions(self) -> Any:
        return shared_resource("drive", self.backend.base_url, "revisions")

    @cached_property
    def _channels(self) -> Any:
        return shared_resource("drive", self.backend.base_url, "channels")

    @cached_property
    def _http(self) -> Any:
        """This identity's connection: not thread-safe, like the gateway itself."""
        return authorized_http(self.backend)

    def _run(self, request: Any, *, idempotent: bool = True) -> dict[str, Any]:
        request.http = self._http
        return execute(request, policy=self.policy, idempotent=idempotent, counter=self.counter)

    def create_spreadsheet(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a spreadsheet in one request; its id and URL.

        https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/create
        Not retried on 5xx: the sheet may exist already (see `find_spreadsheet`).
        """
        request = self._spreadsheets.create(body=body, fields="spreadsheetId,spreadsheetUrl")
        return self._run(request, idempotent=False)

    def share(
        self,
        file_id: str,
        email: str,
        role: str = "writer",
        *,
        notify: bool = False,
        message: str | None = None,
    ) -> str:
        """Give `email` a role on the file (again is harmless); the permission id.

        https://developers.google.com/drive/api/reference/rest/v3/permissions/create
        """
        params: dict[str, Any] = {
            "fileId": file_id,
            "body": {"type": "user", "role": role, "emailAddress": email},
            "sendNotificationEmail": notify,
            "fields": "id",
        }
        if notify and message:
            params["emailMessage"] = message
        return str(self._run(self._permissions.create(**params))["id"])

    def unshare(self, file_id: str, permission_id: str) -> bool:
        """Remove a permission from the file; False if it was gone already (404).

        https://developers.google.com/drive/api/reference/rest/v3/permissions/delete
        """
        try:
            self._run(self._permissions.delete(fileId=file_id, permissionId=permission_id))
        except NotFound:
            return False
        return True

    # ---------------------------------------------------------------- the watch

    def start_page_token(self) -> str:
        """The change feed's current position.

        https://developers.google.com/drive/api/reference/rest/v3/changes/getStartPageToken
        """
        return str(self._run(self._changes.getStartPageToken())["startPageToken"])

    def list_changes(self, page_token: str) -> dict[str, Any]:
        """One page of the change feed (up to 1,000 changes) with what the watch needs.

        https://developers.google.com/drive/api/reference/rest/v3/changes/list
        """
        request = self._changes.list(
            pageToken=page_token,
            pageSize=1000,
            includeRemoved=True,
            fields=CHANGE_FIELDS,
        )
        return self._run(request)

    def list_revisions(self, file_id: str) -> list[dict[str, Any]]:
        """Every revision of the file Drive lists, oldest first: id, time, who, export links.

        One request per 1,000 revisions. Drive may leave out old revisions of a busy Google
        Sheet and merges a person's consecutive edits (docs/LOCAL_GOOGLE.md, "Revisions").
        https://developers.google.com/drive/api/reference/rest/v3/revisions/list
        """
        found: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            params: dict[str, Any] = {
                "fileId": file_id,
                "pageSize": 1000,
                "fields": REVISION_FIELDS,
            }
            if token:
                params["pageToken"] = token
            page = self._run(self._revisions.list(**params))
            found += page.get("revisions", [])
            token = page.get("nextPageToken")
            if not token:
                return found

    def download(self, url: str) -> bytes:
        """The content at a link Drive gave (a revision's `exportLinks` entry), as this identity.

        Counted as a Drive request (`drive.revisions.export`), retried like one.
        https://developers.google.com/drive/api/reference/rest/v3/revisions#Revision.FIELDS.export_links
        """
        request = HttpRequest(
            self._http,
            lambda _response, content: content,
            url,
            method="GET",
            methodId="drive.revisions.export",
        )
        content = execute_raw(request, policy=self.policy, counter=self.counter)
        return content if isinstance(content, bytes) else str(content).encode()

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
        request = self._spreadsheets.values().batchGet(
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
        request = self._spreadsheets.values().batchUpdate(spreadsheetId=spreadsheet_id, body=body)
        return self._run(request)

    def append_values(self, spreadsheet_id: str, range_: str, rows: list[list[Any]]) -> None:
        """Append rows after the table in `range_`, as typed (RAW). Not retried on 5xx.

        https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/append
        """
        request = self._spreadsheets.values().append(
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

    def watch_changes(
        self, page_token: str, channel_id: str, address: str, token: str, expiration_ms: int
    ) -> dict[str, Any]:
        """Ask Drive to post to `address` whenever the change feed moves.

        https://developers.google.com/drive/api/reference/rest/v3/changes/watch
        """
        body = {
            "id": channel_id,
            "type": "web_hook",
            "address": address,
            "token": token,
            "expiration": str(expiration_ms),
        }
        return self._run(self._changes.watch(pageToken=page_token, body=body))

    def stop_channel(self, channel_id: str, resource_id: str) -> None:
        """Stop a push channel. https://developers.google.com/drive/api/reference/rest/v3/channels/stop"""
        body = {"id": channel_id, "resourceId": resource_id}
        self._run(self._channels.stop(body=body))

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

    def backend_for(self, email: str) -> Backend:
        """A backend acting as `email` (locally by name; on Google by domain-wide delegation)."""
        if self.config.is_local:
            return Backend.local(self.config.local_google_url, email)
        return Backend.google(self._service_credentials(subject=email))

    def _service_credentials(self, subject: str | None) -> Any:
        import google.auth
        from google.oauth2 import service_account

        path = self.config.credentials_file
        if path:
            creds = service_account.Credentials.from_service_account_file(path, scopes=SCOPES)
            if subject and subject != self.config.service_account:
                creds = creds.with_subject(subject)
            return creds
        creds, _ = google.auth.default(scopes=SCOPES)
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

    def backend_for(self, email: str) -> Backend:
        if self.config.is_local or email.lower() != self.user.lower() or not self.token:
            return super().backend_for(email)
        from google.oauth2.credentials import Credentials

        return Backend.google(Credentials(self.token))
