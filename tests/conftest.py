"""Shared fixtures: a local Google stand-in over real HTTP, and clients for any user."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from addon.google.clients import Backend, drive_service, gspread_client, sheets_service
from addon.localgoogle.server import Running, serve_in_thread


@pytest.fixture(scope="session")
def local_google(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """One stand-in for the session on a free port, with its own data directory."""
    running = serve_in_thread(tmp_path_factory.mktemp("localgoogle"))
    yield running
    running.stop()


@pytest.fixture
def backend(local_google: Running) -> Callable[[str], Backend]:
    """backend(email) -> a Backend acting as that user against the stand-in."""
    return lambda email: Backend.local(local_google.url, email)


@pytest.fixture
def sheets(backend: Callable[[str], Backend]) -> Callable[[str], object]:
    """sheets(email) -> a google-api-python-client Sheets v4 service acting as that user."""
    return lambda email: sheets_service(backend(email))


@pytest.fixture
def drive(backend: Callable[[str], Backend]) -> Callable[[str], object]:
    """drive(email) -> a google-api-python-client Drive v3 service acting as that user."""
    return lambda email: drive_service(backend(email))


@pytest.fixture
def gspread_as(backend: Callable[[str], Backend]) -> Callable[[str], object]:
    """gspread_as(email) -> a gspread Client acting as that user."""
    return lambda email: gspread_client(backend(email))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
