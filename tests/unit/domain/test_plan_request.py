"""A plan request is checked field by field, each problem named in one line."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from addon.domain.plan_request import InvalidPlanRequest, build_plan_request

TODAY = date(2026, 11, 26)


def request(**changes: Any) -> Any:
    fields: dict[str, Any] = dict(
        deal_name="  Acme   rollout ",
        buyer_company="Acme Corp",
        buyer_emails=["Ann@Acme.com", "bob@acme.com"],
        go_live="2027-03-01",
        template="enterprise-saas",
        owner="Sam@Vendor.com",
        today=TODAY,
        amount="120,000",
    )
    fields.update(changes)
    return build_plan_request(**fields)


def test_valid_request_is_normalised() -> None:
    plan = request()
    assert plan.deal_name == "Acme rollout"
    assert plan.buyer_emails == ("ann@acme.com", "bob@acme.com")
    assert plan.owner == "sam@vendor.com"
    assert plan.go_live == date(2027, 3, 1)
    assert plan.amount == 120000.0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deal_name": "   "}, "deal name must not be empty"),
        ({"buyer_company": ""}, "buyer company must not be empty"),
        ({"buyer_emails": []}, "at least one buyer email is needed"),
        ({"buyer_emails": ["ann@acme"]}, "buyer 'ann@acme' is not an email address"),
        ({"buyer_emails": ["a@acme.com", "A@acme.com"]}, "buyer a@acme.com is listed twice"),
        ({"buyer_emails": ["sam@vendor.com"]}, "buyer sam@vendor.com is the plan's owner"),
        ({"owner": "sam"}, "owner 'sam' is not an email address"),
        ({"go_live": "2026-11-26"}, "go-live 2026-11-26 is not after today (2026-11-26)"),
        ({"go_live": "01/03/2027"}, "go-live '01/03/2027' is not a date in the form YYYY-MM-DD"),
        ({"go_live": "2031-01-01"}, "go-live 2031-01-01 is more than 3 years away"),
        ({"amount": "lots"}, "amount 'lots' is not a number"),
        ({"amount": "-5"}, "amount '-5' must be a non-negative number"),
        ({"amount": "nan"}, "amount 'nan' must be a non-negative number"),
        ({"request_key": "has space"}, "request key must be 1-128 letters"),
    ],
)
def test_each_bad_field_is_one_line_naming_it(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidPlanRequest) as error:
        request(**changes)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_amount_is_optional() -> None:
    assert request(amount=None).amount is None
    assert request(amount="").amount is None
