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
    for side in ("both", "service", "customer", ""):
        with pytest.raises(ValueError, match="buyer, seller or unknown"):
            Actor("dana@acme.com", side)  # type: ignore[arg-type]
    assert Actor("dana@acme.com", "Buyer").side == "buyer"  # type: ignore[arg-type]  # any case


# ---------------------------------------------------------------- sides from facts only


def test_the_sellers_organisation_is_the_owners_domain_and_the_configured_ones() -> None:
    from addon.domain.attribution import Parties

    parties = Parties.of(
        buyers=["dana@acme.com"],
        seller_domains=["Vendor-Sales.example", "@vendor.eu"],
        owner="sam@vendor.io",
        service_account=SERVICE,
    )
    assert parties.side_of("lee@vendor.io") == "seller"  # the owner's verified domain
    assert parties.side_of("kim@vendor-sales.example") == "seller"
    assert parties.side_of("jo@VENDOR.eu") == "seller"
    assert parties.side_of("bob@acme.com") == "buyer"
    assert parties.side_of(SERVICE) == "unknown"
    # A public mail service is no one's organisation, even for the owner.
    on_gmail = Parties.of(owner="sam.seller@gmail.com")
    assert on_gmail.side_of("sam.seller@gmail.com") == "seller"
    assert on_gmail.side_of("someone@gmail.com") == "unknown"


def test_a_stakeholders_claim_never_makes_anyone_a_seller() -> None:
    from addon.domain.attribution import Parties

    parties = Parties.of(buyers=["dana@acme.com"], owner="sam@vendor.io")
    claims = {"bob@acme.com": "seller", "pat@gmail.com": "seller", "lee@vendor.io": "seller"}
    assert parties.actor("bob@acme.com", claims) == Actor(
        "bob@acme.com", "buyer", claimed_side="seller"
    )
    assert parties.actor("pat@gmail.com", claims) == Actor(
        "pat@gmail.com", "unknown", claimed_side="seller"
    )
    assert parties.actor("lee@vendor.io", claims) == Actor("lee@vendor.io", "seller")


def test_one_of_several_people_is_on_a_side_only_when_all_of_them_are() -> None:
    from addon.domain.attribution import Parties

    parties = Parties.of(buyers=["dana@acme.com", "ann@acme.com"], owner="sam@vendor.io")
    buyers = parties.one_of(["dana@acme.com", "ann@acme.com"])
    assert buyers == Actor(None, "buyer", candidates=("ann@acme.com", "dana@acme.com"))
    assert buyers.label == "one of ann@acme.com, dana@acme.com" and buyers.ambiguous
    mixed = parties.one_of(["dana@acme.com", "sam@vendor.io", "dana@acme.com"])
    assert mixed == Actor(None, "unknown", candidates=("dana@acme.com", "sam@vendor.io"))
    assert parties.one_of(["sam@vendor.io"]) == Actor("sam@vendor.io", "seller")
    assert parties.one_of([]) == Actor(None, "unknown")
