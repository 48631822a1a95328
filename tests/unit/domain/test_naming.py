"""A deal's name where people read it: the company once, never twice."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from addon.domain.layout import plan_title
from addon.domain.naming import deal_title, says_company


def test_the_company_is_added_only_when_the_name_does_not_say_it() -> None:
    assert (
        deal_title("Analytics rollout", "Contoso Pharma") == "Analytics rollout, for Contoso Pharma"
    )
    assert deal_title("Contoso  Pharma analytics", "contoso pharma") == "Contoso Pharma analytics"
    assert deal_title("Contoso Pharma", "Contoso Pharma") == "Contoso Pharma"
    assert deal_title("  ", "Acme") == "Unnamed deal, for Acme"
    assert deal_title("Pilot", "") == "Pilot"


@given(st.text(max_size=40), st.text(max_size=20))
def test_the_company_never_appears_twice_by_our_doing(name: str, company: str) -> None:
    title = deal_title(name, company)
    if says_company(name, company):
        assert title == (" ".join(name.split()) or "Unnamed deal")
    else:
        assert title.endswith(", for " + " ".join(company.split()))


def test_a_plan_named_after_its_buyer_has_a_title_without_the_repeat() -> None:
    from layout_examples import make_plan

    plan = make_plan()
    assert plan_title(plan) == "Mutual action plan - Acme Corp x Acme rollout"
    named = plan.__class__(**{**plan.__dict__, "deal_name": "Acme Corp rollout"})
    assert plan_title(named) == "Mutual action plan - Acme Corp rollout"


def test_an_unnamed_deal_still_names_a_company_its_placeholder_happens_to_contain() -> None:
    """Found by Hypothesis: "L" is in "Unnamed deal", but the seller named no company there."""
    assert deal_title("", "L") == "Unnamed deal, for L"
    assert deal_title(" ", "Deal Co") == "Unnamed deal, for Deal Co"
