"""A realistic demo pipeline: deals across sellers, buyers and templates, from a seed.

Each demo deal has a story (`STORIES`, by the deal's place in the pipeline): what its buyer and
seller do over the simulated weeks, told in one line and in the fields `demo.days` acts on. The
stories are what the review should find, so `tests/integration/demo` checks them against it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..domain.businessdays import add_business_days
from ..domain.model import Template
from ..domain.plan_checks import earliest_go_live  # what the New plan form proposes
from ..domain.templates import TemplateError, find_template

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

CHAMPION, ECONOMIC_BUYER, PROCUREMENT, EVALUATOR = (
    "Champion",
    "Economic buyer",
    "Procurement",
    "Technical evaluator",
)
ALL_ROLES = (CHAMPION, ECONOMIC_BUYER, PROCUREMENT, EVALUATOR)


@dataclass(frozen=True)
class Story:
    """What happens to one demo deal; days count business days from the plan's creation.

    `roles`: the roles the buyer gives their people on the Stakeholders tab (in the order the
    seller listed them; fewer people, fewer roles) on day 1, when they also put their names
    on their first steps. `lead`: business days ahead of (or, below
    0, behind) the plan's due dates the work gets done. `quiet_from`: the day the buyer stops
    editing (0: never opens the plan). `go_live_moves`: (day, business days) the buyer moves
    go-live by, later (> 0) or earlier (< 0). `unfit`: the story leaves more work than time.
    """

    line: str
    template: str
    roles: tuple[str, ...] = ALL_ROLES
    slack: int = 5  # business days past the earliest go-live the template allows
    lead: int = 0
    buyer_agrees: int | None = 2
    seller_agrees: int | None = 2
    quiet_from: int | None = None
    go_live_moves: tuple[tuple[int, int], ...] = ()
    blocked: tuple[int, int] | None = None  # (day blocked, day unblocked) of the buyer's next step
    adds_procurement: int | None = None
    budget_approved: int | None = 6
    alternatives: tuple[int, str] | None = None
    outcome: str | None = None  # "won", "lost" or "on_hold", decided at the end
    unfit: bool = False


STORIES = (
    Story(
        "The buyer names every role, both sides agree on day 2, they finish steps ahead of plan "
        "and sign: won at the end.",
        "expansion-renewal",
        lead=3,
        outcome="won",
    ),
    Story(
        "Agreed on day 2, then the buyer moves go-live later twice (the agreement goes stale), "
        "names a cheaper alternative and runs late: lost to a competitor at the end.",
        "regulated-security",
        lead=-3,
        go_live_moves=((5, 10), (9, 10)),
        alternatives=(10, "Also evaluating Contoso Analytics, a cheaper point solution"),
        budget_approved=None,
        outcome="lost",
    ),
    Story(
        "A steady buyer: roles named, both sides agree, budget approved, every step on its date.",
        "enterprise-saas",
    ),
    Story(
        "Steady work, but nobody is named as the economic buyer; the buyer agreed, we have not.",
        "mid-market",
        roles=(CHAMPION, EVALUATOR, PROCUREMENT),
        seller_agrees=None,
    ),
    Story(
        "A silent buyer: never opens the plan (no roles, no agreement) while we do our part; "
        "put on hold at the end.",
        "enterprise-saas",
        roles=(),
        quiet_from=0,
        buyer_agrees=None,
        seller_agrees=None,
        budget_approved=None,
        outcome="on_hold",
    ),
    Story(
        "The buyer adds their procurement contact and a supplier-onboarding step on day 1, then "
        "both sides agree on day 3.",
        "enterprise-saas",
        adds_procurement=1,
        buyer_agrees=3,
        seller_agrees=3,
    ),
    Story(
        "Roles named, the buyer agrees, then on day 4 pulls go-live in by a week (the agreement "
        "goes stale): the remaining work cannot fit.",
        "mid-market",
        go_live_moves=((4, -5),),
        seller_agrees=None,
        unfit=True,
    ),
    Story(
        "The buyer names an economic buyer but no champion, works for a week, then goes quiet: "
        "steps overdue, and the remaining work no longer fits.",
        "mid-market",
        roles=(ECONOMIC_BUYER, EVALUATOR, PROCUREMENT),
        quiet_from=5,
        slack=8,
        seller_agrees=None,
        budget_approved=None,
        unfit=True,
    ),
    Story(
        "Roles named and both sides agree, but every step lands two days late: the projected "
        "close drifts past the committed one and the remaining work no longer fits.",
        "regulated-security",
        lead=-2,
        slack=3,
        unfit=True,
    ),
    Story(
        "The buyer agrees, then moves go-live a week later on day 8 (the agreement goes stale).",
        "enterprise-saas",
        go_live_moves=((8, 5),),
        seller_agrees=None,
    ),
    Story(
        "A small renewal going to plan: roles named, both sides agree, steps a day early.",
        "expansion-renewal",
        lead=1,
    ),
    Story(
        "Roles named and agreed; the buyer blocks a step on day 6 (waiting on IT), unblocks it "
        "on day 10 and finishes it late.",
        "mid-market",
        blocked=(6, 10),
        slack=8,
    ),
)


def story_of(index: int) -> Story:
    """The story of the index-th demo deal (they repeat after the twelfth)."""
    return STORIES[index % len(STORIES)]


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


def _template(name: str) -> Template | None:
    try:
        return find_template(name)
    except TemplateError:
        return None


def demo_deals(count: int, seed: int, today: date, templates: Sequence[str]) -> list[DemoDeal]:
    """`count` deals created on `today`, the same for the same seed and day, spread over sellers
    and templates; each go-live is its template's earliest from today plus its story's slack."""
    if not templates:
        raise ValueError("no templates to build demo deals from")
    rng = random.Random(seed)
    deals = []
    for n in range(count):
        company, domain, purchase = BUYERS[n % len(BUYERS)]
        story = story_of(n)
        drawn = templates[rng.randrange(len(templates))]
        name = story.template if story.template in templates else drawn
        low, high = AMOUNTS.get(name, (20_000, 200_000))
        template = _template(name)
        holidays = frozenset(template.holidays) if template else frozenset()
        earliest = (earliest_go_live(template, today) if template else None) or today
        go_live = add_business_days(earliest, story.slack + rng.randint(0, 3), holidays)
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
                template=name,
                owner=SELLERS[n % len(SELLERS)],
                amount=str(round(rng.uniform(low, high), -3)),
                request_key=f"demo-{seed}-{n}",
            )
        )
    return deals
