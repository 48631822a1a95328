"""Attribution: which side of the deal the person who edited a plan is on."""

from __future__ import annotations

import pytest

from addon.domain.events import Actor, attribute

BUYERS = ("dana@acme.com", "pat.jones@gmail.com")
SELLERS = ("sam@vendor.io",)
SERVICE = "map-addon@vendor-project.iam.gserviceaccount.com"


def side_of(email: str | None) -> str:
    return attribute(email, buyers=BUYERS, sellers=SELLERS, service_account=SERVICE).side


def test_people_on_the_deal_are_matched_by_exact_email_in_any_case() -> None:
    assert attribute("Dana@Acme.com ", buyers=BUYERS, sellers=SELLERS) == Actor(
        "Dana@Acme.com", "buyer"
    )
    assert side_of("SAM@vendor.io") == "seller"
    assert side_of("pat.jones@gmail.com") == "buyer"


def test_buyer_attributed_by_domain_but_not_for_gmail() -> None:
    assert side_of("lee@acme.com") == "buyer"
    assert side_of("ops@VENDOR.io") == "seller"
    assert side_of("stranger@gmail.com") == "unknown"


@pytest.mark.parametrize(
    "email", ["a@outlook.com", "a@yahoo.com", "a@hotmail.com", "a@icloud.com", "a@proton.me"]
)
def test_public_mail_domains_never_match_by_domain_alone(email: str) -> None:
    buyer_on_it = "buyer@" + email.split("@")[1]
    assert attribute(email, buyers=[buyer_on_it], sellers=[]).side == "unknown"
    assert attribute(buyer_on_it, buyers=[buyer_on_it], sellers=[]).side == "buyer"


def test_the_service_account_is_the_product_not_the_seller() -> None:
    actor = attribute(SERVICE, buyers=BUYERS, sellers=[*SELLERS, SERVICE], service_account=SERVICE)

    assert actor == Actor(SERVICE, "unknown")


def test_no_email_is_an_unknown_actor() -> None:
    assert attribute(None, buyers=BUYERS, sellers=SELLERS) == Actor(None, "unknown")
    assert attribute("  ", buyers=BUYERS, sellers=SELLERS) == Actor(None, "unknown")


def test_strangers_and_ambiguous_domains_are_unknown() -> None:
    assert side_of("someone@elsewhere.com") == "unknown"
    assert side_of("not-an-email") == "unknown"
    shared = attribute("x@partner.com", buyers=["a@partner.com"], sellers=["b@partner.com"])
    assert shared.side == "unknown"


def test_an_actor_side_is_one_of_three() -> None:
    with pytest.raises(ValueError):
        Actor("dana@acme.com", "Buyer")
