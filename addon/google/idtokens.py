"""Verify the Google-signed ID tokens that come with every Workspace add-on request.

https://developers.google.com/workspace/add-ons/guides/alternate-runtimes#verify_requests_from
Google signs each call with an RS256 JWT whose certificates are published at
https://www.googleapis.com/oauth2/v1/certs (the stand-in serves its own at `/oauth2/v1/certs`).
Signature, expiry and audience are checked by `google.oauth2.id_token.verify_token`; this module
adds the issuer and `nbf` checks (the library ignores `nbf`), turns the library's assorted
exceptions into one `InvalidIdToken` with a one-line reason, and caches the certificates for as
long as their `Cache-Control` allows.

Whether the audience is the called endpoint and the email the expected caller is the web layer's
business; this module only verifies.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import google.auth.exceptions
import google.auth.transport
import google.auth.transport.requests
from google.auth import jwt
from google.oauth2 import id_token

GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
GOOGLE_ISSUERS = frozenset({"https://accounts.google.com", "accounts.google.com"})
ALLOWED_ALGORITHMS = frozenset({"RS256"})

# Refetch certificates for an unknown key id at most this often (Google rotates keys).
MIN_REFRESH_SECONDS = 60.0

_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*(\d+)", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-store|no-cache)\b", re.IGNORECASE)


class InvalidIdToken(ValueError):
    """The token must not be trusted; `reason` says why in one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CertsUnavailable(RuntimeError):
    """The verification certificates could not be fetched: not the caller's fault."""


# The library's messages, first match wins, mapped to this module's reasons.
_LIBRARY_REASONS: tuple[tuple[str, str], ...] = (
    ("Could not verify token signature", "bad signature"),
    ("Certificate for key id", "signed by an unknown key"),
    ("Certificate key type does not match", "bad signature"),
    ("Token expired", "expired"),
    ("Token used too early", "not yet valid (issued in the future)"),
    ("wrong audience", "wrong audience"),
    ("does not contain required claim", "malformed: missing iat or exp"),
    ("Unsupported signature algorithm", "unsupported algorithm"),
)


def verify_addon_token(
    token: str,
    *,
    audience: str,
    certs_url: str = GOOGLE_CERTS_URL,
    request: google.auth.transport.Request | None = None,
    clock_skew_seconds: int = 0,
) -> dict[str, Any]:
    """The verified claims of a Google-issued ID token for `audience`, or `InvalidIdToken`.

    `request` is the google-auth transport used to fetch `certs_url`; by default one shared
    transport that caches the certificates per URL. `email_verified` in the answer is always a
    bool, true only for a JSON true or "true".
    """
    header = _header(token)
    algorithm = header.get("alg")
    if algorithm not in ALLOWED_ALGORITHMS:
        raise InvalidIdToken(f"unsupported algorithm {str(algorithm)[:16]!r}")
    transport = request or default_request()
    try:
        claims = _verify(token, transport, audience, certs_url, clock_skew_seconds)
    except InvalidIdToken as error:
        if error.reason != "signed by an unknown key" or not isinstance(transport, CachingRequest):
            raise
        # Maybe Google rotated its keys since we cached the certificates: look once more.
        if not transport.forget(certs_url, older_than=MIN_REFRESH_SECONDS):
            raise
        claims = _verify(token, transport, audience, certs_url, clock_skew_seconds)
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or issuer not in GOOGLE_ISSUERS:
        raise InvalidIdToken(f"wrong issuer {issuer!r:.80}")
    not_before = claims.get("nbf", 0)
    if not isinstance(not_before, int | float) or isinstance(not_before, bool):
        raise InvalidIdToken("malformed: nbf is not a number")
    if time.time() + clock_skew_seconds < not_before:
        raise InvalidIdToken("not yet valid (nbf in the future)")
    # Only a JSON true (or Google's tokeninfo spelling, "true") means verified: "false" is truthy.
    verified = claims.get("email_verified")
    claims["email_verified"] = verified is True or verified == "true"
    return claims


def _header(token: str) -> Mapping[str, Any]:
    """The token's JOSE header, or `InvalidIdToken("malformed: ...")`."""
    if not isinstance(token, str) or token.count(".") != 2:
        raise InvalidIdToken("malformed: not a JWT (three dot-separated parts)")
    try:
        header = jwt.decode_header(token)
        jwt.decode(token, verify=False)  # the payload must parse too
    except (ValueError, google.auth.exceptions.GoogleAuthError) as exc:
        # The library's message quotes the token; a reason is logged, so it stays fixed.
        raise InvalidIdToken("malformed: undecodable header or payload") from exc
    if not isinstance(header, Mapping):
        raise InvalidIdToken("malformed: header is not a JSON object")
    return header


def _verify(
    token: str,
    transport: google.auth.transport.Request,
    audience: str,
    certs_url: str,
    clock_skew_seconds: int,
) -> dict[str, Any]:
    try:
        claims = id_token.verify_token(
            token,
            transport,
            audience=audience,
            certs_url=certs_url,
            clock_skew_in_seconds=clock_skew_seconds,
        )
    except google.auth.exceptions.TransportError as exc:
        raise CertsUnavailable(f"cannot fetch {certs_url}: {_first_line(exc)}") from exc
    except TypeError as exc:  # a signed token whose iat or exp is no number
        raise InvalidIdToken("malformed: iat or exp is not a number") from exc
    except (ValueError, google.auth.exceptions.GoogleAuthError) as exc:
        message = str(exc)
        for fragment, reason in _LIBRARY_REASONS:
            if fragment in message:
                raise InvalidIdToken(reason) from exc
        raise InvalidIdToken(f"invalid: {_first_line(exc)}") from exc
    return dict(claims)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


@dataclass(frozen=True)
class _CachedResponse(google.auth.transport.Response):
    """A fetched certificate document, replayed until it expires."""

    status_code: int
    header_map: Mapping[str, str]
    body: bytes
    fetched_at: float
    expires_at: float

    @property
    def status(self) -> int:
        return self.status_code

    @property
    def headers(self) -> Mapping[str, str]:
        return self.header_map

    @property
    def data(self) -> bytes:
        return self.body


class CachingRequest(google.auth.transport.Request):
    """A google-auth transport that caches successful GETs per URL for their `max-age`.

    Google serves its certificates with `Cache-Control: public, max-age=...`; fetching them on
    every add-on request would add a round trip to each card. Thread-safe.
    """

    def __init__(
        self,
        inner: google.auth.transport.Request | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._inner = inner or google.auth.transport.requests.Request()
        self._clock = clock
        self._lock = threading.Lock()
        self._cache: dict[str, _CachedResponse] = {}

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> google.auth.transport.Response:
        if method.upper() != "GET":
            return self._inner(url, method, body, headers, timeout, **kwargs)
        now = self._clock()
        with self._lock:
            hit = self._cache.get(url)
            if hit is not None and now < hit.expires_at:
                return hit
        response = self._inner(url, method, body, headers, timeout or 10, **kwargs)
        max_age = _max_age(response.headers)
        if response.status == 200 and max_age > 0:
            cached = _CachedResponse(
                response.status, dict(response.headers), response.data, now, now + max_age
            )
            with self._lock:
                self._cache[url] = cached
            return cached
        return response

    def forget(self, url: str, *, older_than: float = 0.0) -> bool:
        """Drop the cached response for `url` if fetched over `older_than` seconds ago."""
        with self._lock:
            hit = self._cache.get(url)
            if hit is None or self._clock() - hit.fetched_at < older_than:
                return False
            del self._cache[url]
            return True


def _max_age(headers: Mapping[str, str]) -> int:
    control = next((v for k, v in headers.items() if k.lower() == "cache-control"), "")
    if _NO_CACHE.search(control):
        return 0
    match = _MAX_AGE.search(control)
    return int(match.group(1)) if match else 0


_default_lock = threading.Lock()
_default: CachingRequest | None = None


def default_request() -> CachingRequest:
    """The process-wide certificate-caching transport."""
    global _default
    with _default_lock:
        if _default is None:
            _default = CachingRequest()
        return _default
