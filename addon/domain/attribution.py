"""Who made a change to a plan, and which side of the deal they are on (pure).

Drive names the last editor by email; the deal knows its people. An exact email match wins; else
a company mail domain that only one side's people use. Public mail services never count: a buyer
on gmail.com says nothing about who else on gmail.com is a buyer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

BUYER, SELLER, UNKNOWN = "buyer", "seller", "unknown"
ACTOR_SIDES = (BUYER, SELLER, UNKNOWN)

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
    """Who made a change: an email if Drive names one, and the side of the deal they are on."""

    email: str | None
    side: str  # "buyer" | "seller" | "unknown"

    def __post_init__(self) -> None:
        if self.side not in ACTOR_SIDES:
            raise ValueError(f"actor side must be one of {ACTOR_SIDES}, got {self.side!r}")


def attribute(
    email: str | None,
    *,
    buyers: Iterable[str],
    sellers: Iterable[str],
    service_account: str | None = None,
) -> Actor:
    """The side of the person who made a change: by exact email, then by company mail domain.

    The service account is the product itself, so its edits are "unknown" rather than the
    seller's. An email or a domain found on both sides is ambiguous and also "unknown".
    """
    if not email or not email.strip():
        return Actor(None, UNKNOWN)
    email = email.strip()
    wanted = email.lower()
    if service_account and wanted == service_account.strip().lower():
        return Actor(email, UNKNOWN)
    buyer_emails = {address.strip().lower() for address in buyers if address}
    seller_emails = {address.strip().lower() for address in sellers if address}
    side = _one_side(wanted in buyer_emails, wanted in seller_emails)
    domain = company_domain(wanted)
    if side is None and domain is not None:
        side = _one_side(
            domain in {company_domain(address) for address in buyer_emails},
            domain in {company_domain(address) for address in seller_emails},
        )
    return Actor(email, side or UNKNOWN)


def company_domain(email: str) -> str | None:
    """The mail domain of an email, lower-cased, unless it is missing or a public service."""
    _, at, domain = email.strip().lower().rpartition("@")
    if not at or not domain or domain in PUBLIC_MAIL_DOMAINS:
        return None
    return domain


def _one_side(is_buyer: bool, is_seller: bool) -> str | None:
    """The one side that holds, "unknown" when both hold, None when neither does."""
    if is_buyer and is_seller:
        return UNKNOWN
    if is_buyer:
        return BUYER
    return SELLER if is_seller else None
