"""One identity's connection to Google: its authorised HTTP connection, the API resources
(made once per process and shared) and `_run`, which sends a request through the retry layer and
counts it. The base of the gateway's Drive and Sheets calls (`drive_calls`, `gateway`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .accounting import RequestCounter
from .clients import Backend, authorized_http, drive_service, shared_resource, sheets_service
from .retry import DEFAULT, RetryPolicy, execute


@dataclass
class GoogleConnection:
    """The connection of the identity in `backend`; not thread-safe."""

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
    def _values(self) -> Any:
        return shared_resource("sheets", self.backend.base_url, "spreadsheets.values")

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
    def _comments(self) -> Any:
        return shared_resource("drive", self.backend.base_url, "comments")

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
