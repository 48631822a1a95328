"""docs/LOCAL_GOOGLE.md lists exactly the methods and request kinds the stand-in implements."""

from __future__ import annotations

import re
from pathlib import Path

from localgoogle import batch, discovery, drive_api, gmail_api, sheets_api, tasks_api

DOC = Path(__file__).resolve().parents[3] / "docs" / "LOCAL_GOOGLE.md"


def _section(name: str, kind: str = "methods") -> set[str]:
    text = DOC.read_text()
    body = text.split(f"<!-- {kind}:{name} -->", 1)[1].split(f"<!-- /{kind}:{name} -->", 1)[0]
    return set(re.findall(r"[A-Za-z][\w.]+", body))


def test_documented_api_methods_are_the_implemented_ones() -> None:
    for router in (sheets_api.router(), drive_api.router(), tasks_api.router(), gmail_api.router()):
        implemented = {r.method_id for r in router.routes if r.handler is not None}
        assert _section(router.api) == implemented


def test_documented_batch_request_kinds_are_the_implemented_ones() -> None:
    assert _section("batch") == set(batch.HANDLERS)


def test_documented_unimplemented_sheets_methods_are_the_ones_answering_501() -> None:
    unimplemented = {r.method_id for r in sheets_api.router().routes if r.handler is None}
    assert _section("sheets", "unimplemented") == unimplemented


def test_documented_unimplemented_batch_kinds_are_the_rest_of_googles_requests() -> None:
    kinds = set(discovery.document("sheets")["schemas"]["Request"]["properties"])
    documented = _section("batch", "unimplemented")
    # The oldest google-api-python-client admitted bundles an older Sheets discovery document:
    # the docs may list kinds newer than it (`make test-oldest`), never miss one it has.
    assert kinds - set(batch.HANDLERS) <= documented
    assert not documented & set(batch.HANDLERS)
