"""ID tokens minted by the stand-in verify with google-auth as Google's would; forgeries do not."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import requests
from google.auth import jwt
from id_token_helpers import b64, foreign_signer, parts, stand_in_signer

from addon.google.idtokens import CachingRequest, InvalidIdToken, verify_addon_token
from localgoogle.idtoken import clear_issuer_cache
from localgoogle.server import Running, serve_in_thread

AUDIENCE = "https://map.example.test/addon/home"
CALLER = "service-123@gcp-sa-gsuiteaddons.iam.gserviceaccount.com"


def mint(url: str, audience: str = AUDIENCE, email: str = CALLER, **extra: Any) -> str:
    response = requests.post(
        f"{url}/_local/id-token", json={"audience": audience, "email": email, **extra}, timeout=10
    )
    response.raise_for_status()
    token: str = response.json()["id_token"]
    return token


def verify(url: str, token: str, audience: str = AUDIENCE) -> dict[str, Any]:
    return verify_addon_token(
        token, audience=audience, certs_url=f"{url}/oauth2/v1/certs", request=CachingRequest()
    )


def test_a_minted_token_verifies_with_googles_claims(local_google: Running) -> None:
    before = int(time.time())
    claims = verify(local_google.url, mint(local_google.url))
    assert claims["iss"] == "https://accounts.google.com"
    assert claims["aud"] == AUDIENCE
    assert claims["email"] == CALLER
    assert claims["email_verified"] is True
    assert claims["sub"].isdigit() and len(claims["sub"]) == 21
    assert claims["azp"] == claims["sub"]
    assert before <= claims["iat"] <= int(time.time())
    assert claims["exp"] == claims["iat"] + 3600


def test_the_subject_is_stable_per_email_and_differs_between_emails(local_google: Running) -> None:
    first = verify(local_google.url, mint(local_google.url))["sub"]
    again = verify(local_google.url, mint(local_google.url))["sub"]
    other = verify(local_google.url, mint(local_google.url, email="ann@acme.test"))["sub"]
    assert first == again != other


def test_the_header_names_rs256_and_a_key_id_served_in_googles_cert_format(
    local_google: Running,
) -> None:
    header, _, _ = parts(mint(local_google.url))
    certs = requests.get(f"{local_google.url}/oauth2/v1/certs", timeout=10).json()
    assert header == {"alg": "RS256", "typ": "JWT", "kid": header["kid"]}
    assert len(header["kid"]) == 40 and int(header["kid"], 16) >= 0
    assert list(certs) == [header["kid"]]
    assert certs[header["kid"]].startswith("-----BEGIN CERTIFICATE-----\n")
    assert certs[header["kid"]].endswith("-----END CERTIFICATE-----\n")


def test_an_expired_token_is_rejected(local_google: Running) -> None:
    token = mint(local_google.url, lifetime_seconds=-10)
    with pytest.raises(InvalidIdToken, match="^expired$"):
        verify(local_google.url, token)


def test_a_token_for_another_audience_is_rejected(local_google: Running) -> None:
    token = mint(local_google.url, audience="https://elsewhere.test/addon/home")
    with pytest.raises(InvalidIdToken, match="^wrong audience$"):
        verify(local_google.url, token)


def test_a_tampered_payload_is_rejected(local_google: Running) -> None:
    header, payload, signature = parts(mint(local_google.url))
    payload["email"] = "mallory@evil.test"
    forged = f"{b64(header)}.{b64(payload)}.{signature}"
    with pytest.raises(InvalidIdToken, match="^bad signature$"):
        verify(local_google.url, forged)


def test_an_unsigned_alg_none_token_is_rejected(local_google: Running) -> None:
    header, payload, _ = parts(mint(local_google.url))
    forged = f"{b64({**header, 'alg': 'none'})}.{b64(payload)}."
    with pytest.raises(InvalidIdToken, match="^unsupported algorithm 'none'$"):
        verify(local_google.url, forged)


def test_a_token_signed_by_another_key_under_the_real_key_id_is_rejected(
    local_google: Running,
) -> None:
    header, payload, _ = parts(mint(local_google.url))
    forged = jwt.encode(foreign_signer(header["kid"]), payload).decode()
    with pytest.raises(InvalidIdToken, match="^bad signature$"):
        verify(local_google.url, forged)


def test_a_token_signed_by_an_unknown_key_id_is_rejected(local_google: Running) -> None:
    _, payload, _ = parts(mint(local_google.url))
    forged = jwt.encode(foreign_signer("f" * 40), payload).decode()
    with pytest.raises(InvalidIdToken, match="^signed by an unknown key$"):
        verify(local_google.url, forged)


def test_a_validly_signed_token_from_another_issuer_is_rejected(tmp_path: Path) -> None:
    from localgoogle.idtoken import issuer

    running = serve_in_thread(tmp_path)
    try:
        now = int(time.time())
        claims = {"iss": "https://evil.test", "aud": AUDIENCE, "iat": now, "exp": now + 60}
        token = issuer(tmp_path).sign(claims)  # the stand-in's own key: the signature is good
        with pytest.raises(InvalidIdToken, match="^wrong issuer 'https://evil.test'$"):
            verify(running.url, token)
    finally:
        running.stop()


def _signed(local_google: Running, **changes: Any) -> str:
    """A token with a good signature whose claims are a genuine token's with `changes`."""
    now = int(time.time())
    claims = {"iss": "https://accounts.google.com", "aud": AUDIENCE, "email": CALLER}
    claims |= {"email_verified": True, "iat": now, "exp": now + 60, **changes}
    return stand_in_signer(local_google).sign({k: v for k, v in claims.items() if v is not None})


def test_a_token_not_valid_before_a_future_time_is_rejected(local_google: Running) -> None:
    token = _signed(local_google, nbf=int(time.time()) + 600)
    with pytest.raises(InvalidIdToken, match=r"^not yet valid \(nbf in the future\)$"):
        verify(local_google.url, token)


@pytest.mark.parametrize(
    ("claimed", "verified"),
    [(True, True), ("true", True), (False, False), ("false", False), (1, False), (None, False)],
)
def test_email_verified_is_true_only_for_json_true_or_the_text_true(
    local_google: Running, claimed: object, verified: bool
) -> None:
    claims = verify(local_google.url, _signed(local_google, email_verified=claimed))
    assert claims["email_verified"] is verified


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"iat": "now"}, "malformed: iat or exp is not a number"),
        ({"exp": [1]}, "malformed: iat or exp is not a number"),
        ({"nbf": "soon"}, "malformed: nbf is not a number"),
        ({"iss": ["https://accounts.google.com"]}, "wrong issuer ['https://accounts.google.com']"),
    ],
)
def test_a_signed_token_with_claims_of_the_wrong_type_is_rejected(
    local_google: Running, changes: dict[str, Any], reason: str
) -> None:
    with pytest.raises(InvalidIdToken) as caught:
        verify(local_google.url, _signed(local_google, **changes))
    assert caught.value.reason == reason


def test_a_token_minted_before_a_restart_verifies_after_it(tmp_path: Path) -> None:
    first = serve_in_thread(tmp_path)
    try:
        token = mint(first.url)
    finally:
        first.stop()
    clear_issuer_cache()  # what a new process would start with
    second = serve_in_thread(tmp_path)
    try:
        assert verify(second.url, token)["email"] == CALLER
        assert verify(second.url, mint(second.url))["email"] == CALLER
    finally:
        second.stop()


def test_a_fresh_data_dir_gets_a_different_key(tmp_path: Path) -> None:
    one = serve_in_thread(tmp_path / "one")
    two = serve_in_thread(tmp_path / "two")
    try:
        token = mint(one.url)
        with pytest.raises(InvalidIdToken, match="^signed by an unknown key$"):
            verify(two.url, token)
    finally:
        one.stop()
        two.stop()


def test_the_key_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    running = serve_in_thread(tmp_path)
    try:
        mint(running.url)
    finally:
        running.stop()
    assert (tmp_path / "idtoken-key.pem").stat().st_mode & 0o077 == 0


def test_minting_without_an_audience_is_a_400_in_googles_format(local_google: Running) -> None:
    response = requests.post(
        f"{local_google.url}/_local/id-token", json={"email": CALLER}, timeout=10
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == 400
