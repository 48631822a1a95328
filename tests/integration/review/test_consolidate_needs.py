"""Consolidate keeps, per team, the deals that need a manager: the managers' weekly digest reads
them (services/notify.py), so mail and review never disagree."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from test_consolidate import _pipeline, _services

from addon.domain.risk_model import HIGH, MEDIUM
from addon.services.consolidate import NEEDS, Consolidator
from addon.services.context import Services, today
from localgoogle.server import Running


@pytest.fixture
def services(local_google: Running, tmp_path: Path) -> Iterator[Services]:
    built = _services(local_google, tmp_path, f"morgan-{uuid.uuid4().hex[:8]}@vendor.example")
    yield built
    built.close()


def test_the_review_keeps_its_list_of_deals_that_need_a_manager(services: Services) -> None:
    _pipeline(services, 4, uuid.uuid4().int % 10_000)
    # three weeks on, past the set-up days: a plan with no economic buyer named is a question
    later = today() + timedelta(weeks=3)
    (review,), _, _ = Consolidator(services, today=lambda: later).run()
    with services.store.transaction(read_only=True) as tx:
        kept = json.loads(tx.cursors.get(NEEDS + review.team) or "{}")
        deals = {d.deal_id: d for d in tx.deals.newest_first()}
    assert kept["url"] == review.url
    assert kept["rows"], "plans three weeks old that name no economic buyer need a manager"
    risky = {
        (row["deal_id"], row["severity"]) for row in kept["rows"]
    }  # one row per deal, its worst risk
    assert len(risky) == len(kept["rows"]) == len({deal for deal, _ in risky})
    for row in kept["rows"]:
        assert row["severity"] in (HIGH, MEDIUM)
        deal = deals[row["deal_id"]]
        assert (row["deal"], row["owner"], row["plan_url"]) == (
            deal.name,
            deal.owner_email,
            deal.url,
        )
        assert row["why"] and row["ask"]
