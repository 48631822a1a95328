"""Google-style ID tokens for the add-on flow: an RS256 signer and its certificate document.

Google signs Workspace add-on requests with ID tokens that verify against
https://www.googleapis.com/oauth2/v1/certs, a JSON object mapping each key id to a PEM X.509
certificate. The stand-in does the same with one RSA 2048 key and a self-signed certificate,
created on first use and kept in `<data_dir>/idtoken-key.pem` (key, then certificate), so tokens
minted before a restart still verify after it. The key id is the SHA-1 of the certificate's DER,
40 hex digits like Google's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import threading
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from google.auth import crypt, jwt

KEY_FILE = "idtoken-key.pem"
ISSUER = "https://accounts.google.com"
_CERT_LIFETIME = dt.timedelta(days=3650)


class IdTokenIssuer:
    """Mints ID tokens and publishes the certificate that verifies them."""

    def __init__(self, private_key_pem: bytes, certificate: x509.Certificate) -> None:
        self.key_id = hashlib.sha1(
            certificate.public_bytes(serialization.Encoding.DER), usedforsecurity=False
        ).hexdigest()
        self._certificate_pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
        self._signer = crypt.RSASigner.from_string(private_key_pem, key_id=self.key_id)

    @classmethod
    def load_or_create(cls, data_dir: Path) -> IdTokenIssuer:
        """The issuer whose key is in `data_dir`, creating the key on first use."""
        path = data_dir / KEY_FILE
        if not path.exists():
            _create_key_file(path)
        text = path.read_bytes()
        marker = b"-----BEGIN CERTIFICATE-----"
        key_pem, _, cert_tail = text.partition(marker)
        if not cert_tail:
            raise ValueError(f"{path} holds no certificate after the private key")
        return cls(key_pem, x509.load_pem_x509_certificate(marker + cert_tail))

    def mint(
        self, audience: str, email: str, lifetime_seconds: int = 3600, *, now: int | None = None
    ) -> str:
        """A signed ID token for `email` with audience `audience`, valid `lifetime_seconds`."""
        issued_at = int(time.time()) if now is None else now
        subject = subject_id(email)
        claims = {
            "iss": ISSUER,
            "aud": audience,
            "azp": subject,
            "sub": subject,
            "email": email.strip().lower(),
            "email_verified": True,
            "iat": issued_at,
            "exp": issued_at + lifetime_seconds,
        }
        return self.sign(claims)

    def sign(self, claims: dict[str, object]) -> str:
        """`claims` as an RS256 JWT under this issuer's key (tests forge odd tokens with it)."""
        return jwt.encode(self._signer, claims, header={"alg": "RS256"}).decode("ascii")

    def certs(self) -> dict[str, str]:
        """The body of GET /oauth2/v1/certs: `{key_id: PEM certificate}`."""
        return {self.key_id: self._certificate_pem}


def subject_id(email: str) -> str:
    """A stable 21-digit account id for `email`, shaped like Google's `sub` claims."""
    digest = hashlib.sha256(email.strip().lower().encode()).digest()
    return str(10**20 + int.from_bytes(digest[:9], "big") % (9 * 10**20))


def _create_key_file(path: Path) -> None:
    """Write a fresh key and certificate to `path` unless another process got there first."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "local-google-idtoken")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + _CERT_LIFETIME)
        .sign(key, hashes.SHA256())
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ) + certificate.public_bytes(serialization.Encoding.PEM)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".idtoken-", suffix=".pem")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        try:
            os.link(tmp, path)  # atomic create-if-absent: the first writer wins
        except FileExistsError:
            pass
    finally:
        os.unlink(tmp)


_issuers: dict[Path, IdTokenIssuer] = {}
_issuers_lock = threading.Lock()


def issuer(data_dir: Path) -> IdTokenIssuer:
    """The issuer for `data_dir`, loaded once per process."""
    key = Path(data_dir).resolve()
    with _issuers_lock:
        found = _issuers.get(key)
        if found is None:
            found = _issuers[key] = IdTokenIssuer.load_or_create(key)
        return found


def clear_issuer_cache() -> None:
    """Forget loaded issuers, as a process restart would (tests use it to prove persistence)."""
    with _issuers_lock:
        _issuers.clear()
