"""The stand-in's own outgoing HTTP (Drive push notifications, Cloud Tasks deliveries).

It only ever calls loopback addresses: a stand-in must not become a way to reach other hosts.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
from urllib.parse import urlsplit

LOOPBACK_ONLY = "the local Google stand-in only delivers to loopback addresses"


def is_loopback(host: str | None) -> bool:
    """Whether `host` names this machine: localhost, 127.0.0.0/8 or ::1."""
    if not host:
        return False
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def send(method: str, url: str, headers: dict[str, str], body: bytes, timeout: float) -> int:
    """Send one request to a loopback `url`; the HTTP status (OSError if unreachable).

    HTTPS certificates are verified, as Google verifies them.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise OSError(f"not an http(s) URL: {url}")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for *_, sockaddr in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP):
        if not ipaddress.ip_address(str(sockaddr[0]).split("%")[0]).is_loopback:
            raise OSError(f"{host} resolves to {sockaddr[0]}: {LOOPBACK_ONLY}")
    factory = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = factory(host, port, timeout=timeout)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()
