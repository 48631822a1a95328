"""ID-token verification offline: certificate caching, key rotation, tokens rejected unfetched."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import google.auth.transport
import pytest

from addon.google.idtokens import (
    CachingRequest,
    CertsUnavailable,
    InvalidIdToken,
    verify_addon_token,
)
from localgoogle.idtoken import IdTokenIssuer


class FakeResponse(google.auth.transport.Response):
    def __init__(self, status: int, headers: Mapping[str, str], data: bytes) -> None:
        self._status, self._headers, self._data = status, headers, data

    @property
    def status(self) -> int:
        return self._status

    @property
    def headers(self) -> Mapping[str, str]:
        return self._headers

    @property
    def data(self) -> bytes:
        return self._data


class FakeTransport(google.auth.transport.Request):
    """Answers every GET with the next scripted response and records the URLs asked for."""

    def __init__(self, *responses: FakeResponse) -> None:
        self.responses = list(responses)
        self.urls: list[str] = []

    def __call__(self, url: str, method: str = "GET", *args: Any, **kwargs: Any) -> FakeResponse:
        self.urls.append(url)
        return self.responses.pop(0)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def certs(n: int, cache_control: str = "public, max-age=300") -> FakeResponse:
    return FakeResponse(200, {"cache-control": cache_control}, b'{"k%d": "pem"}' % n)


def test_a_fresh_response_is_served_from_the_cache() -> None:
    inner, clock = FakeTransport(certs(1), certs(2)), Clock()
    caching = CachingRequest(inner, clock=clock)
    assert caching("https://certs").data == b'{"k1": "pem"}'
    clock.now += 299
    assert caching("https://certs").data == b'{"k1": "pem"}'
    assert inner.urls == ["https://certs"]


def test_an_expired_response_is_fetched_again() -> None:
    inner, clock = FakeTransport(certs(1), certs(2)), Clock()
    caching = CachingRequest(inner, clock=clock)
    caching("https://certs")
    clock.now += 300
    assert caching("https://certs").data == b'{"k2": "pem"}'
    assert len(inner.urls) == 2


def test_each_url_has_its_own_entry() -> None:
    inner = FakeTransport(certs(1), certs(2))
    caching = CachingRequest(inner, clock=Clock())
    assert caching("https://a").data != caching("https://b").data


@pytest.mark.parametrize("control", ["no-store", "no-cache, max-age=300", "private", ""])
def test_responses_without_a_positive_max_age_are_not_cached(control: str) -> None:
    inner = FakeTransport(certs(1, control), certs(2, control))
    caching = CachingRequest(inner, clock=Clock())
    caching("https://certs")
    caching("https://certs")
    assert len(inner.urls) == 2


def test_failures_are_not_cached() -> None:
    inner = FakeTransport(FakeResponse(503, {"cache-control": "max-age=300"}, b""), certs(1))
    caching = CachingRequest(inner, clock=Clock())
    assert caching("https://certs").status == 503
    assert caching("https://certs").status == 200


def test_forget_drops_only_entries_older_than_asked() -> None:
    inner, clock = FakeTransport(certs(1), certs(2)), Clock()
    caching = CachingRequest(inner, clock=clock)
    caching("https://certs")
    assert not caching.forget("https://certs", older_than=60)
    clock.now += 61
    assert caching.forget("https://certs", older_than=60)
    assert caching("https://certs").data == b'{"k2": "pem"}'


@pytest.mark.parametrize(
    "token",
    ["", "not-a-jwt", "a.b", "a.b.c", "e30.bm90anNvbg.c2ln", "W10.e30.c2ln", "e30.W10.c2ln"],
)
def test_malformed_tokens_are_rejected_before_any_certificate_fetch(token: str) -> None:
    inner = FakeTransport()
    with pytest.raises(InvalidIdToken) as caught:
        verify_addon_token(token, audience="aud", request=CachingRequest(inner, clock=Clock()))
    assert caught.value.reason.startswith("malformed: ")
    assert inner.urls == []


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("e30.e30.c2ln", "unsupported algorithm 'None'"),
        ("eyJhbGciOiJub25lIn0.e30.", "unsupported algorithm 'none'"),
    ],
)
def test_tokens_without_rs256_are_rejected_before_any_certificate_fetch(
    token: str, reason: str
) -> None:
    inner = FakeTransport()
    with pytest.raises(InvalidIdToken) as caught:
        verify_addon_token(token, audience="aud", request=CachingRequest(inner, clock=Clock()))
    assert caught.value.reason == reason
    assert inner.urls == []


def _certs_of(issuer: IdTokenIssuer) -> FakeResponse:
    body = json.dumps(issuer.certs()).encode()
    return FakeResponse(200, {"Cache-Control": "public, max-age=3600"}, body)


def test_an_unknown_key_id_refetches_stale_certificates_once_after_google_rotates_keys(
    tmp_path: Path,
) -> None:
    old, new = (IdTokenIssuer.load_or_create(tmp_path / d) for d in ("old", "new"))
    inner, clock = FakeTransport(_certs_of(old), _certs_of(new)), Clock()
    caching = CachingRequest(inner, clock=clock)
    verify_addon_token(old.mint("aud", "a@b.test"), audience="aud", request=caching)
    clock.now += 61  # past MIN_REFRESH_SECONDS, well within max-age
    claims = verify_addon_token(new.mint("aud", "a@b.test"), audience="aud", request=caching)
    assert claims["email"] == "a@b.test"
    assert len(inner.urls) == 2


def test_unknown_key_ids_do_not_refetch_certificates_fetched_moments_ago(tmp_path: Path) -> None:
    old, new = (IdTokenIssuer.load_or_create(tmp_path / d) for d in ("old", "new"))
    inner, clock = FakeTransport(_certs_of(old), _certs_of(new)), Clock()
    caching = CachingRequest(inner, clock=clock)
    verify_addon_token(old.mint("aud", "a@b.test"), audience="aud", request=caching)
    clock.now += 5
    with pytest.raises(InvalidIdToken, match="^signed by an unknown key$"):
        verify_addon_token(new.mint("aud", "a@b.test"), audience="aud", request=caching)
    assert len(inner.urls) == 1


def test_a_failed_certificate_fetch_is_not_blamed_on_the_token(tmp_path: Path) -> None:
    token = IdTokenIssuer.load_or_create(tmp_path).mint("aud", "a@b.test")
    inner = FakeTransport(FakeResponse(503, {}, b"unavailable"))
    with pytest.raises(CertsUnavailable):
        verify_addon_token(token, audience="aud", request=CachingRequest(inner, clock=Clock()))
