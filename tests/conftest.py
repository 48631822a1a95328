"""Shared fixtures: a local Google stand-in over real HTTP, clients for any user, and databases.

Tests that take `database_url` run on SQLite and on PostgreSQL when 127.0.0.1:5432 answers.
PostgreSQL tests share one database created for the session (`map_test_<random>`, dropped at the
end) and each get a fresh schema in it, so parallel runs and tests do not see each other's rows.
The server can be changed with MAP_TEST_POSTGRES_URL (any database on it to connect to).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from addon.google.clients import Backend, drive_service, gspread_client, sheets_service
from localgoogle.server import Running, serve_in_thread


def _share_printed_schemas() -> None:
    """Share google-api-python-client's printed schemas between the builds of one API.

    The library writes every method's docstring, the request and response schemas pretty-printed
    in it, each time it makes a resource object; it keeps the printed schemas per build only
    (`Schemas.pretty`), so the tests' many `sheets(email)` and `.spreadsheets()` calls printed
    the same schemas again and again (about 40% of the watch tests' time). The text is a pure
    function of the API's discovery document: sharing it per API (`id`, e.g. "sheets:v4")
    changes no request. Left as it is when the library's internals differ from these.
    """
    from googleapiclient import schema

    if not hasattr(schema.Schemas, "_prettyPrintByName"):
        return
    original, print_schema = schema.Schemas.__init__, schema.Schemas.prettyPrintSchema
    shared: dict[str, dict[str, str]] = {}
    printed: dict[tuple[str, str], str] = {}

    def __init__(self: schema.Schemas, discovery: dict[str, object]) -> None:  # noqa: N807
        original(self, discovery)
        api = discovery.get("id")
        if isinstance(api, str) and isinstance(getattr(self, "pretty", None), dict):
            self.pretty = shared.setdefault(api, {})
            self.map_api = api

    def prettyPrintSchema(self: schema.Schemas, given: dict[str, object]) -> str:  # noqa: N802
        api = getattr(self, "map_api", None)
        if api is None:
            return str(print_schema(self, given))
        key = (api, json.dumps(given, sort_keys=True))
        if key not in printed:
            printed[key] = print_schema(self, given)
        return printed[key]

    schema.Schemas.__init__ = __init__  # type: ignore[method-assign]
    schema.Schemas.prettyPrintSchema = prettyPrintSchema  # type: ignore[method-assign]


def _share_made_methods() -> None:
    """Share google-api-python-client's method functions between the builds of one API.

    Making a resource object makes each of its methods again (`createMethod`: parameters, path,
    docstring), about 1 ms a method, each time a test writes `service.spreadsheets().values()`.
    The function made depends only on the method's description, the API (its discovery document,
    static here) and its root URL and service path (for media uploads); it is bound to each
    resource object when set on it. So one is made per method, API and root.
    """
    from googleapiclient import discovery

    original = discovery.createMethod
    made: dict[tuple[object, ...], object] = {}

    def createMethod(  # noqa: N802
        methodName: str,  # noqa: N803
        methodDesc: dict[str, object],  # noqa: N803
        rootDesc: dict[str, object],  # noqa: N803
        schema: object,
    ) -> object:
        key = (
            rootDesc.get("id"),
            rootDesc.get("rootUrl"),
            rootDesc.get("servicePath"),
            methodName,
            methodDesc.get("id"),
        )
        if key[0] is None or key[4] is None:
            return original(methodName, methodDesc, rootDesc, schema)
        if key not in made:
            made[key] = original(methodName, methodDesc, rootDesc, schema)
        return made[key]

    discovery.createMethod = createMethod


if os.environ.get("MAP_TEST_PRINT_SCHEMAS") != "1":
    _share_printed_schemas()
    _share_made_methods()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Long variants (marked `slow`) run only with MAP_SLOW_TESTS=1; they are listed as skipped."""
    if os.environ.get("MAP_SLOW_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="long variant: run with MAP_SLOW_TESTS=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


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


ADMIN_URL = os.environ.get(
    "MAP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# A session time zone far from UTC, so that a UTC round trip is not an accident of the server.
SESSION_TIME_ZONE = "Asia/Kolkata"


class PostgresTestDatabase:
    """A database of its own on the test server; hands out fresh schemas in it."""

    def __init__(self, admin_url: URL) -> None:
        self.name = f"map_test_{secrets.token_hex(6)}"
        self._admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with self._admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{self.name}"')
        self.url = admin_url.set(database=self.name)
        self._engine = sa.create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def fresh_schema_url(self) -> str:
        """The URL of a new empty schema in this database (found through search_path)."""
        schema = f"t_{secrets.token_hex(6)}"
        with self._engine.connect() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        options = f"-csearch_path={schema} -ctimezone={SESSION_TIME_ZONE}"
        return self.url.update_query_dict({"options": options}).render_as_string(
            hide_password=False
        )

    def drop(self) -> None:
        """Drop the database, whoever is still connected."""
        self._engine.dispose()
        with self._admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin.dispose()


def _answers(url: URL) -> str | None:
    """None if the server accepts TCP connections, else why not."""
    host, port = url.host or "127.0.0.1", url.port or 5432
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as error:
        return f"PostgreSQL at {host}:{port} does not answer ({error})"
    return None


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresTestDatabase]:
    """The session's PostgreSQL database; skips its tests only if the server does not answer."""
    admin_url = make_url(ADMIN_URL)
    reason = _answers(admin_url)
    if reason:
        pytest.skip(reason)
    database = PostgresTestDatabase(admin_url)
    yield database
    database.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database, on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'map.sqlite3'}"
    postgres: PostgresTestDatabase = request.getfixturevalue("postgres")
    return postgres.fresh_schema_url()
