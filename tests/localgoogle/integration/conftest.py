"""Gmail clients against the stand-in, built by google-api-python-client from its bundled
discovery document (rootUrl https://gmail.googleapis.com/, servicePath "", method paths
`gmail/v1/users/{userId}/...`).

`gmail(email)` points the client at the stand-in as the add-on does
(`client_options={"api_endpoint": <stand-in>/}`): every metadata request goes there. The client
builds media upload URLs from the document's rootUrl, not from `api_endpoint`, so
`gmail_media(email)` builds from a copy of the document whose rootUrl is the stand-in: uploads
(`media_body=`) then reach `<stand-in>/upload/gmail/v1/...` too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest
from googleapiclient.discovery import build, build_from_document

from addon.google.clients import Backend
from localgoogle.server import Running

GmailFactory = Callable[[str], Any]


@pytest.fixture
def gmail(backend: Callable[[str], Backend]) -> GmailFactory:
    """gmail(email) -> a Gmail v1 service acting as that user against the stand-in."""

    def make(email: str) -> Any:
        acting = backend(email)
        return build(
            "gmail",
            "v1",
            credentials=acting.credentials,
            client_options={"api_endpoint": f"{acting.base_url}/"},
            static_discovery=True,
            cache_discovery=False,
        )

    return make


@pytest.fixture
def gmail_media(local_google: Running, backend: Callable[[str], Backend]) -> GmailFactory:
    """gmail_media(email) -> a Gmail v1 service whose uploads also go to the stand-in."""
    path = resources.files("googleapiclient") / "discovery_cache" / "documents" / "gmail.v1.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["rootUrl"] = f"{local_google.url}/"
    return lambda email: build_from_document(document, credentials=backend(email).credentials)
