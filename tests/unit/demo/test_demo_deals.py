"""The demo pipeline is realistic, varied and reproducible from its seed."""

from __future__ import annotations

from datetime import date

from addon.demo.deals import SELLERS, demo_deals
from addon.domain.plan_request import build_plan_request

TODAY = date(2026, 11, 26)
TEMPLATES = ["enterprise-saas", "mid-market", "regulated-security", "expansion-renewal"]


def test_same_seed_same_deals_other_seed_other_deals() -> None:
    assert demo_deals(12, 7, TODAY, TEMPLATES) == demo_deals(12, 7, TODAY, TEMPLATES)
    assert demo_deals(12, 7, TODAY, TEMPLATES) != demo_deals(12, 8, TODAY, TEMPLATES)


def test_deals_spread_over_sellers_and_templates_with_unique_names_and_keys() -> None:
    deals = demo_deals(30, 1, TODAY, TEMPLATES)
    assert {d.owner for d in deals} == set(SELLERS)
    assert len({d.template for d in deals}) >= 3
    assert len({d.deal_name for d in deals}) == 30
    assert len({d.request_key for d in deals}) == 30


def test_every_demo_deal_is_a_valid_plan_request() -> None:
    for deal in demo_deals(30, 3, TODAY, TEMPLATES):
        request = build_plan_request(
            deal_name=deal.deal_name,
            buyer_company=deal.buyer_company,
            buyer_emails=deal.buyer_emails,
            go_live=deal.go_live,
            template=deal.template,
            owner=deal.owner,
            amount=deal.amount,
            request_key=deal.request_key,
            today=TODAY,
        )
        assert request.go_live > TODAY
        assert 2 <= len(request.buyer_emails) <= 4
