"""The demo pipeline is realistic, varied and reproducible from its seed; go-lives fit."""

from __future__ import annotations

from datetime import date

from addon.demo.deals import SELLERS, STORIES, demo_deals, earliest_go_live, story_of
from addon.domain.businessdays import business_days_between, is_business_day
from addon.domain.plan_request import build_plan_request
from addon.domain.schedule import schedule
from addon.domain.templates import find_template

TODAY = date(2026, 11, 26)  # Thanksgiving: the plans are made on a US holiday
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


def test_each_go_live_fits_its_template_with_its_storys_slack_and_is_a_business_day() -> None:
    for n, deal in enumerate(demo_deals(12, 5, TODAY, TEMPLATES)):
        template = find_template(deal.template)
        holidays = frozenset(template.holidays)
        go_live = date.fromisoformat(deal.go_live)
        assert deal.template == story_of(n).template
        assert is_business_day(go_live, holidays), deal.deal_name
        assert schedule(template, go_live, TODAY).warnings == ()  # no step short of time
        slack = business_days_between(earliest_go_live(template, TODAY), go_live, holidays)
        assert story_of(n).slack <= slack <= story_of(n).slack + 3


def test_the_earliest_go_live_is_the_first_without_a_step_in_the_past() -> None:
    for name in TEMPLATES:
        template = find_template(name)
        earliest = earliest_go_live(template, TODAY)
        assert schedule(template, earliest, TODAY).warnings == ()
        day_before = date.fromordinal(earliest.toordinal() - 1)
        while not is_business_day(day_before, frozenset(template.holidays)):
            day_before = date.fromordinal(day_before.toordinal() - 1)
        assert schedule(template, day_before, TODAY).warnings != ()


def test_stories_repeat_after_the_twelfth_deal() -> None:
    assert story_of(len(STORIES)) == story_of(0) and story_of(13) == story_of(1)
