"""Validating what a seller asks for: one clear line per problem, before anything is created."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date

from .model import PlanRequest

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
MAX_NAME = 200
MAX_BUYERS = 50
MAX_GO_LIVE_YEARS = 3


class InvalidPlanRequest(ValueError):
    """The request cannot become a plan; the message is one line a seller can act on."""


def normalise_email(text: str, what: str = "email") -> str:
    """A trimmed, lower-cased address, or InvalidPlanRequest naming what it was for."""
    email = text.strip().lower()
    if not _EMAIL.match(email) or len(email) > 254:
        raise InvalidPlanRequest(f"{what} {text.strip()!r} is not an email address")
    return email


def parse_go_live(text: str, today: date) -> date:
    """An ISO date (YYYY-MM-DD) after today and within a few years."""
    try:
        go_live = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidPlanRequest(f"go-live {text!r} is not a date in the form YYYY-MM-DD") from None
    if go_live <= today:
        raise InvalidPlanRequest(f"go-live {go_live.isoformat()} is not after today ({today})")
    if go_live.year > today.year + MAX_GO_LIVE_YEARS:
        raise InvalidPlanRequest(
            f"go-live {go_live.isoformat()} is more than {MAX_GO_LIVE_YEARS} years away"
        )
    return go_live


def parse_amount(text: str | float | None) -> float | None:
    """A non-negative deal amount, or None when not given."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        amount = float(str(text).replace(",", "").strip())
    except ValueError:
        raise InvalidPlanRequest(f"amount {text!r} is not a number") from None
    if not math.isfinite(amount) or amount < 0:
        raise InvalidPlanRequest(f"amount {text!r} must be a non-negative number")
    return amount


def _name(text: str, what: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise InvalidPlanRequest(f"{what} must not be empty")
    if len(name) > MAX_NAME:
        raise InvalidPlanRequest(f"{what} is longer than {MAX_NAME} characters")
    return name


def build_plan_request(
    *,
    deal_name: str,
    buyer_company: str,
    buyer_emails: Iterable[str],
    go_live: str,
    template: str,
    owner: str,
    today: date,
    amount: str | float | None = None,
    request_key: str | None = None,
    invitation: str | None = None,
) -> PlanRequest:
    """Check every field of a plan request and return it normalised."""
    owner_email = normalise_email(owner, "owner")
    buyers: list[str] = []
    for text in buyer_emails:
        email = normalise_email(text, "buyer")
        if email in buyers:
            raise InvalidPlanRequest(f"buyer {email} is listed twice")
        if email == owner_email:
            raise InvalidPlanRequest(f"buyer {email} is the plan's owner")
        buyers.append(email)
    if not buyers:
        raise InvalidPlanRequest("at least one buyer email is needed")
    if len(buyers) > MAX_BUYERS:
        raise InvalidPlanRequest(f"at most {MAX_BUYERS} buyer emails per plan")
    key = request_key.strip() if request_key else None
    if key is not None and not re.fullmatch(r"[A-Za-z0-9._:-]{1,128}", key):
        raise InvalidPlanRequest("request key must be 1-128 letters, digits, '.', '_', ':' or '-'")
    return PlanRequest(
        deal_name=_name(deal_name, "deal name"),
        buyer_company=_name(buyer_company, "buyer company"),
        buyer_emails=tuple(buyers),
        go_live=parse_go_live(go_live, today),
        template=template.strip(),
        owner=owner_email,
        amount=parse_amount(amount),
        request_key=key,
        invitation=invitation.strip() if invitation and invitation.strip() else None,
    )
