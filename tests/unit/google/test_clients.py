"""Backends and clients: validated settings, scoped production credentials, no network on build."""

from __future__ import annotations

from typing import Any

import google.auth.credentials
import pytest

from addon.google.clients import SCOPES, Backend, drive_service, gspread_client, sheets_service


class ScopedCredentials(google.auth.credentials.Scoped, google.auth.credentials.Credentials):
    """Like service-account credentials: require scopes and record the ones given."""

    def __init__(self, scopes: Any = None) -> None:
        super().__init__()
        self._scopes = scopes
        self.token = "t"

    @property
    def requires_scopes(self) -> bool:
        return not self._scopes

    def with_scopes(self, scopes: Any, default_scopes: Any = None) -> ScopedCredentials:
        return ScopedCredentials(scopes)

    def refresh(self, request: Any) -> None:
        raise AssertionError("building a client must not touch the network")


def test_local_backend_normalises_its_url_and_email() -> None:
    backend = Backend.local(" http://127.0.0.1:8765/ ", "Ann@Acme.test")
    assert backend.base_url == "http://127.0.0.1:8765"
    assert backend.credentials.token == "local:ann@acme.test"
    assert backend.is_local


@pytest.mark.parametrize("url", ["127.0.0.1:8765", "ftp://host", "http://", "http://h/?x=1"])
def test_local_backend_rejects_urls_that_are_not_http_origins(url: str) -> None:
    with pytest.raises(ValueError, match="local Google URL"):
        Backend.local(url, "ann@acme.test")


@pytest.mark.parametrize("email", ["", "ann", "@acme.test", "ann@", "a nn@acme.test"])
def test_local_backend_rejects_what_is_not_an_email(email: str) -> None:
    with pytest.raises(ValueError, match="not an email address"):
        Backend.local("http://127.0.0.1:8765", email)


def test_google_backend_scopes_credentials_that_need_scopes() -> None:
    backend = Backend.google(ScopedCredentials())
    assert backend.base_url is None
    assert not backend.is_local
    assert backend.credentials._scopes == list(SCOPES)  # type: ignore[attr-defined]


def test_google_backend_keeps_credentials_that_already_have_scopes() -> None:
    credentials = ScopedCredentials(["https://www.googleapis.com/auth/drive.file"])
    assert Backend.google(credentials).credentials is credentials


def test_clients_for_google_point_at_googles_hosts_without_a_request() -> None:
    backend = Backend.google(ScopedCredentials())
    sheets = sheets_service(backend).spreadsheets().get(spreadsheetId="abc")
    drive = drive_service(backend).files().get(fileId="abc")
    assert sheets.uri.startswith("https://sheets.googleapis.com/v4/spreadsheets/abc")
    assert drive.uri.startswith("https://www.googleapis.com/drive/v3/files/abc")
    gspread_client(backend)


def test_clients_for_the_stand_in_point_at_its_base_url() -> None:
    backend = Backend.local("http://127.0.0.1:9/", "ann@acme.test")
    sheets = sheets_service(backend).spreadsheets().values().get(spreadsheetId="abc", range="A1")
    drive = drive_service(backend).files().get(fileId="abc")
    assert sheets.uri.startswith("http://127.0.0.1:9/v4/spreadsheets/abc/values/A1")
    assert drive.uri.startswith("http://127.0.0.1:9/drive/v3/files/abc")
    assert sheets.methodId == "sheets.spreadsheets.values.get"
