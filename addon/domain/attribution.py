"""Who made a change to a plan, and which side of the deal they are on (pure).

A person's side comes only from facts the buyer cannot edit:
- the people the seller put on the deal (the buyers invited when the plan was created or a contact
  was added through the add-on, the seller who owns the plan): an exact email match wins;
- the seller's organisation: its mail domains from configuration (`MAP_SELLER_DOMAINS`) and the
  domain of the plan owner's verified identity;
- else a company mail domain that only one side's invited people use.
Public mail services never count by domain: a buyer on gmail.com says nothing about who else on
gmail.com is a buyer. The plan's Stakeholders tab is a claim anyone with the sheet can write, so
it decides nothing: where it disagrees with the facts, the actor carries it as `claimed_side`,
for Activity to say "listed as Seller".

When Drive cannot say which of several people made a change, the actor is not guessed: it is
"one of" the candidates (`Actor.candidates`), on a known side only when all of them are on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import ACTOR_SIDES, PARTIES, Side, side_among

PUBLIC_MAIL_DOMAINS = frozenset(
    """
    gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk live.com msn.com
    yahoo.com yahoo.co.uk ymail.com aol.com icloud.com me.com mac.com
    proton.me protonmail.com pm.me gmx.com gmx.de gmx.net web.de mail.com zoho.com
    yandex.com yandex.ru fastmail.com hey.com qq.com 163.com
    """.split()
)


@dataclass(frozen=True)
class Actor:
    """Who made a change: an email if it is known, and the side of the deal they are on.

    `candidates`: when the person is not known, who it may have been (Drive named several people
    editing in the interval and could not tell them apart). `claimed_side`: the side the plan's
    Stakeholders tab gives the person when it differs from `side` (a claim, never authority).
    """

    email: str | None
    side: Side  # one of ACTOR_SIDES
    candidates: tuple[str, ...] = field(default=(), compare=True)
    claimed_side: Side | None = None

    def __post_init__(self) -> None:
        side = side_among(self.side, ACTOR_SIDES, "an actor's side")
        object.__setattr__(self, "side", side)  # "buyer" read back from the store
        if self.claimed_side is not None:
            claimed = side_among(self.claimed_side, PARTIES, "a claimed side")
            object.__setattr__(self, "claimed_side", claimed)

    @property
    def ambiguous(self) -> bool:
        return self.email is None and len(self.candidates) > 1

    @property
    def label(self) -> str:
        """How a person reads the actor: the email, "one of a, b", or "unknown"."""
        if self.email:
            return self.email
        if len(self.candidates) == 1:
            return self.candidates[0]
        if self.candidates:
            return "one of " + ", ".join(self.candidates)
        return "unknown"


@dataclass(frozen=True)
class Parties:
    """The facts a side is read from: the deal's invited people and the seller's domains."""

    buyers: frozenset[str] = frozenset()
    sellers: frozenset[str] = frozenset()
    seller_domains: frozenset[str] = frozenset()
    service_account: str | None = None

    @classmethod
    def of(
        cls,
        *,
        buyers: Iterable[str] = (),
        sellers: Iterable[str] = (),
        seller_domains: Iterable[str] = (),
        service_account: str | None = None,
        owner: str | None = None,
    ) -> Parties:
        """Parties from emails and domains in any case; the owner is a seller and their company
        domain (from their verified identity) one of the seller's domains."""
        seller_emails = {_email(e) for e in sellers if e and e.strip()}
        domains = {d.strip().lower().lstrip("@") for d in seller_domains if d and d.strip()}
        if owner and owner.strip():
            seller_emails.add(_email(owner))
            owner_domain = company_domain(owner)
            if owner_domain:
                domains.add(owner_domain)
        service = _email(service_account) if service_account and service_account.strip() else None
        return cls(
            buyers=frozenset(_email(e) for e in buyers if e and e.strip()) - {service or ""},
            sellers=frozenset(seller_emails) - {service or ""},
            seller_domains=frozenset(d for d in domains if d not in PUBLIC_MAIL_DOMAINS),
            service_account=service,
        )

    def is_service(self, email: str | None) -> bool:
        return bool(email and self.service_account and _email(email) == self.service_account)

    def side_of(self, email: str | None) -> Side:
        """The side of the person with this email, from the facts alone ("unknown" if none say)."""
        if not email or not email.strip() or self.is_service(email):
            return Side.UNKNOWN
        wanted = _email(email)
        side = _one_side(wanted in self.buyers, wanted in self.sellers)
        if side is not None:
            return side
        domain = company_domain(wanted)
        if domain is None:
            return Side.UNKNOWN
        buyer_domains = {company_domain(address) for address in self.buyers}
        seller_domains = self.seller_domains | {company_domain(a) for a in self.sellers}
        return _one_side(domain in buyer_domains, domain in seller_domains) or Side.UNKNOWN

    def actor(self, email: str | None, claims: dict[str, Side] | None = None) -> Actor:
        """The actor for an email Drive named, with the Stakeholders tab's claim if it differs."""
        if not email or not email.strip():
            return Actor(None, Side.UNKNOWN)
        email = email.strip()
        side = self.side_of(email)
        claimed = (claims or {}).get(_email(email))
        return Actor(email, side, claimed_side=claimed if claimed and claimed != side else None)

    def one_of(self, emails: Iterable[str], claims: dict[str, Side] | None = None) -> Actor:
        """The actor for a change one of these people made (Drive cannot tell which)."""
        people = tuple(dict.fromkeys(e.strip() for e in emails if e and e.strip()))
        if len(people) == 1:
            return self.actor(people[0], claims)
        if not people:
            return Actor(None, Side.UNKNOWN)
        sides = {self.side_of(e) for e in people}
        side = sides.pop() if len(sides) == 1 else Side.UNKNOWN
        return Actor(None, side, candidates=tuple(sorted(people, key=str.lower)))


def attribute(
    email: str | None,
    *,
    buyers: Iterable[str],
    sellers: Iterable[str],
    service_account: str | None = None,
    seller_domains: Iterable[str] = (),
) -> Actor:
    """The side of the person who made a change: by exact email, then by mail domain.

    The service account is the product itself, so its edits are "unknown" rather than the
    seller's. An email or a domain found on both sides is ambiguous and also "unknown".
    """
    parties = Parties.of(
        buyers=buyers,
        sellers=sellers,
        seller_domains=seller_domains,
        service_account=service_account,
    )
    if not email or not email.strip():
        return Actor(None, Side.UNKNOWN)
    return Actor(email.strip(), parties.side_of(email))


def company_domain(email: str) -> str | None:
    """The mail domain of an email, lower-cased, unless it is missing or a public service."""
    _, at, domain = email.strip().lower().rpartition("@")
    if not at or not domain or domain in PUBLIC_MAIL_DOMAINS:
        return None
    return domain


def _email(email: str) -> str:
    return email.strip().lower()


def _one_side(is_buyer: bool, is_seller: bool) -> Side | None:
    """The one side that holds, "unknown" when both hold, None when neither does."""
    if is_buyer and is_seller:
        return Side.UNKNOWN
    if is_buyer:
        return Side.BUYER
    return Side.SELLER if is_seller else None
