"""A realistic demo pipeline: deals across sellers, buyers and templates, from a seed."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

SELLERS = (
    "maya.patel@northwind-software.example",
    "jonas.berg@northwind-software.example",
    "lucia.romero@northwind-software.example",
    "devon.okafor@northwind-software.example",
)

# (company, email domain, what they are buying)
BUYERS = (
    ("Acme Logistics", "acme-logistics.example", "fleet analytics rollout"),
    ("Globex Health", "globex-health.example", "patient intake automation"),
    ("Initech Bank", "initech-bank.example", "branch reporting platform"),
    ("Umbrella Retail", "umbrella-retail.example", "store operations suite"),
    ("Stark Manufacturing", "stark-mfg.example", "shop-floor quality module"),
    ("Wayne Energy", "wayne-energy.example", "field service scheduling"),
    ("Hooli Media", "hooli-media.example", "content approvals workflow"),
    ("Soylent Foods", "soylent-foods.example", "supplier compliance tracking"),
    ("Tyrell Biotech", "tyrell-bio.example", "lab data governance"),
    ("Cyberdyne Systems", "cyberdyne.example", "security operations dashboard"),
    ("Oscorp Insurance", "oscorp-ins.example", "claims triage pilot"),
    ("Vandelay Imports", "vandelay.example", "customs document workflow"),
)

FIRST_NAMES = ("ann", "bob", "chen", "dana", "eli", "fatima", "gus", "hana", "ivan", "jade")
LAST_NAMES = ("lee", "ng", "smith", "garcia", "kumar", "rossi", "dubois", "kim", "silva", "mori")

# Deal sizes by template: (low, high) in the seller's currency.
AMOUNTS = {
    "enterprise-saas": (120_000, 650_000),
    "regulated-security": (200_000, 900_000),
    "mid-market": (25_000, 110_000),
    "expansion-renewal": (15_000, 180_000),
}
# Weeks from today to go-live by template: (earliest, latest).
HORIZON_WEEKS = {  # from each template's shortest typical length (its steps fit) on
    "enterprise-saas": (12, 18),
    "regulated-security": (16, 24),
    "mid-market": (6, 10),
    "expansion-renewal": (5, 8),
}


@dataclass(frozen=True)
class DemoDeal:
    """The fields a seller would type into the New plan form."""

    deal_name: str
    buyer_company: str
    buyer_emails: tuple[str, ...]
    go_live: str
    template: str
    owner: str
    amount: str
    request_key: str


def demo_deals(count: int, seed: int, today: date, templates: Sequence[str]) -> list[DemoDeal]:
    """`count` deals, the same for the same seed and day, spread over sellers and templates."""
    if not templates:
        raise ValueError("no templates to build demo deals from")
    rng = random.Random(seed)
    deals = []
    for n in range(count):
        company, domain, purchase = BUYERS[n % len(BUYERS)]
        template = templates[rng.randrange(len(templates))]
        low, high = AMOUNTS.get(template, (20_000, 200_000))
        early, late = HORIZON_WEEKS.get(template, (4, 16))
        go_live = today + timedelta(weeks=rng.randint(early, late), days=rng.randint(0, 4))
        people = rng.sample(range(len(FIRST_NAMES)), k=rng.randint(2, 4))
        emails = tuple(
            f"{FIRST_NAMES[i]}.{LAST_NAMES[(i + n) % len(LAST_NAMES)]}@{domain}" for i in people
        )
        round_ = n // len(BUYERS)
        suffix = f" (phase {round_ + 1})" if round_ else ""
        deals.append(
            DemoDeal(
                deal_name=f"{company} {purchase}{suffix}",
                buyer_company=company,
                buyer_emails=emails,
                go_live=go_live.isoformat(),
                template=template,
                owner=SELLERS[n % len(SELLERS)],
                amount=str(round(rng.uniform(low, high), -3)),
                request_key=f"demo-{seed}-{n}",
            )
        )
    return deals
