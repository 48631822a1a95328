"""Minting and forging Google-style ID tokens for tests (genuine ones from the stand-in).

Importable from any test module: pytest puts `tests/` on sys.path when it loads its conftest.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import urllib.request
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import crypt, jwt

from localgoogle.idtoken import IdTokenIssuer, issuer
from localgoogle.server import Running


def mint_id_token(local_google: Running, audience: str, email: str, lifetime: int = 3600) -> str:
    """A genuine ID token from the stand-in's `POST /_local/id-token`."""
    body = json.dumps({"audience": audience, "email": email, "lifetime_seconds": lifetime})
    request = urllib.request.Request(
        f"{local_google.url}/_local/id-token",
        data=body.encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as response:
        return str(json.loads(response.read())["id_token"])


def stand_in_signer(local_google: Running) -> IdTokenIssuer:
    """The stand-in's own key: tokens it signs carry a good signature whatever their claims."""
    data_dir: Path = local_google.server.app.extensions["localgoogle"].data_dir  # type: ignore[attr-defined]
    return issuer(data_dir)


def b64(data: dict[str, Any] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A JWT's header, claims and (still encoded) signature."""
    header, payload, signature = token.split(".")
    decode = lambda s: json.loads(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)))  # noqa: E731
    return decode(header), decode(payload), signature


@functools.cache
def foreign_signer(key_id: str | None) -> crypt.RSASigner:
    """An RSA key nobody published, presenting itself under `key_id` (one key per id)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return crypt.RSASigner.from_string(pem, key_id=key_id)


def signed_by_foreign_key(claims: dict[str, Any], key_id: str | None) -> str:
    """`claims` signed RS256 by a key that is not the issuer's (`key_id` None: no `kid`)."""
    return jwt.encode(foreign_signer(key_id), claims).decode()


def unsigned(claims: dict[str, Any]) -> str:
    """`claims` with `alg: none` and an empty signature."""
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."


def hmac_signed(claims: dict[str, Any], secret: bytes, key_id: str) -> str:
    """`claims` signed HS256 with `secret` (the algorithm-confusion attack, keyed by a public
    certificate)."""
    signing_input = f"{b64({'alg': 'HS256', 'typ': 'JWT', 'kid': key_id})}.{b64(claims)}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(mac)}"
