"""The one place that builds Google API clients: Sheets and Drive services, and gspread.

Against the local stand-in the same libraries are pointed at its base URL
(`client_options={"api_endpoint": ...}` for google-api-python-client, a URL-rewriting HTTP
client for gspread) and authenticate with `Bearer local:<email>`. Building a client makes no
network call. Services are not thread-safe (httplib2): build one per thread or per request.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import google.auth.credentials
import google_auth_httplib2
import gspread
from googleapiclient.discovery import build
from googleapiclient.http import build_http
from gspread.http_client import HTTPClient
from requests import Response

from .accounting import RequestCounter, default_counter, method_id_for_url

GOOGLE_SHEETS_ROOT = "https://sheets.googleapis.com/"
GOOGLE_DRIVE_ROOT = "https://www.googleapis.com/drive/v3/"
# gspread's `import_csv` uploads through Drive v2 (`upload/drive/v2/files/{id}`).
GOOGLE_DRIVE_UPLOAD_ROOT = "https://www.googleapis.com/upload/drive/"

# What the add-on's service account needs: read and write plan sheets, share them, watch changes.
SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive",
)


class LocalCredentials(google.auth.credentials.Credentials):
    """Credentials the stand-in accepts: a bearer token naming the acting user."""

    def __init__(self, email: str) -> None:
        super().__init__()
        self.email = email
        self.token = f"local:{email}"

    def refresh(self, request: Any) -> None:
        self.token = f"local:{self.email}"

    @property
    def expired(self) -> bool:
        return False

    @property
    def valid(self) -> bool:
        return True


@dataclass(frozen=True)
class Backend:
    """Where Google is: the real one (base_url None) or the stand-in at base_url."""

    credentials: google.auth.credentials.Credentials
    base_url: str | None = None

    @classmethod
    def local(cls, base_url: str, email: str) -> Backend:
        """The stand-in at `base_url` (`http://127.0.0.1:8765`), acting as `email`."""
        return cls(LocalCredentials(_checked_email(email)), _checked_base_url(base_url))

    @classmethod
    def google(
        cls, credentials: google.auth.credentials.Credentials, scopes: Sequence[str] = SCOPES
    ) -> Backend:
        """Google's production endpoints with `credentials` (e.g. from `google.auth.default()`).

        Service-account credentials come without scopes; they get `scopes` here.
        """
        scoped = google.auth.credentials.with_scopes_if_required(credentials, list(scopes))
        return cls(scoped, None)

    @property
    def is_local(self) -> bool:
        return self.base_url is not None


def _checked_base_url(base_url: str) -> str:
    """`base_url` without trailing slashes, or ValueError if it is not an http(s) origin."""
    url = base_url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"local Google URL must be http(s)://host[:port], got {base_url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"local Google URL must not have a query or fragment: {base_url!r}")
    return url


def _checked_email(email: str) -> str:
    local_part, at, domain = email.strip().partition("@")
    if not at or not local_part or not domain or any(c.isspace() for c in email.strip()):
        raise ValueError(f"not an email address: {email!r}")
    return email.strip().lower()


def _service(api: str, version: str, root: str, backend: Backend) -> Any:
    """A google-api-python-client service built from its bundled discovery document; for the
    stand-in, its endpoint under `root` on the stand-in's address."""
    options = {"api_endpoint": backend.base_url + root} if backend.base_url else None
    return build(
        api,
        version,
        credentials=backend.credentials,
        client_options=options,
        static_discovery=True,
        cache_discovery=False,
    )


def sheets_service(backend: Backend) -> Any:
    """A Sheets v4 service."""
    return _service("sheets", "v4", "/", backend)


def drive_service(backend: Backend) -> Any:
    """A Drive v3 service."""
    return _service("drive", "v3", "/drive/v3/", backend)


def gmail_service(backend: Backend) -> Any:
    """A Gmail v1 service."""
    return _service("gmail", "v1", "/", backend)


_SHARED: dict[tuple[str, str | None, str], Any] = {}
_SHARED_LOCK = threading.Lock()
_BUILDERS = {"sheets": sheets_service, "drive": drive_service, "gmail": gmail_service}


def shared_resource(api: str, base_url: str | None, path: str) -> Any:
    """A resource object ("spreadsheets", "files", ...) made once per process and API root.

    It carries no identity: send its requests through `authorized_http(backend)` by setting
    `request.http` before executing them.
    """
    key = (api, base_url, path)
    with _SHARED_LOCK:
        if key not in _SHARED:
            root = (api, base_url, "")
            if root not in _SHARED:
                anonymous = Backend(google.auth.credentials.AnonymousCredentials(), base_url)
                _SHARED[root] = _BUILDERS[api](anonymous)
            # Resources made from one service share its schemas, and so the schemas the library
            # prints into every method's docstring: each is printed once per process.
            resource = _SHARED[root]
            for name in path.split("."):
                resource = getattr(resource, name)()
            _SHARED[key] = resource
        return _SHARED[key]


def authorized_http(backend: Backend) -> Any:
    """An httplib2 connection that signs requests with the backend's credentials."""
    return google_auth_httplib2.AuthorizedHttp(backend.credentials, http=build_http())


def _http_client_class(base_url: str | None, counter: RequestCounter) -> type[HTTPClient]:
    """gspread's HTTP client that counts each request and, for the stand-in, rewrites hosts."""
    roots = (
        (
            (GOOGLE_SHEETS_ROOT, base_url + "/"),
            (GOOGLE_DRIVE_ROOT, base_url + "/drive/v3/"),
            (GOOGLE_DRIVE_UPLOAD_ROOT, base_url + "/upload/drive/"),
        )
        if base_url
        else ()
    )

    class CountingHTTPClient(HTTPClient):
        def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Response:
            counter.record(method_id_for_url(method, endpoint))
            for prefix, local in roots:
                if endpoint.startswith(prefix):
                    endpoint = local + endpoint[len(prefix) :]
                    break
            return super().request(method, endpoint, *args, **kwargs)

    return CountingHTTPClient


def gspread_client(backend: Backend, counter: RequestCounter | None = None) -> gspread.Client:
    """A gspread client for the backend (no network call on construction).

    Each HTTP request it sends is recorded in `counter` (default: the process-wide one).
    """
    http_client = _http_client_class(backend.base_url, counter or default_counter())
    return gspread.Client(backend.credentials, http_client=http_client)
