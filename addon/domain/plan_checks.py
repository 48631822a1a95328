"""A new plan's form checked before anything is created (pure): each field's problem in one
sentence a seller can act on, and for a go-live that will not do, the date that would.

The go-live is judged by the schedule model itself (`schedule.schedule`): a date fits when the
template's backward schedule from it leaves no step in the past. Starts only move later as
go-live does, so fitting is monotone and the earliest fitting business day is found by a binary
search over the scheduler, not by a second scheduler.

Problems are keyed by the form's field names (`deal`, `buyer_company`, `go_live`, `template`,
`amount`, `buyer_email_<n>`, `buyer_role_<n>`), so a card shows each beside its field and the
command line prints them on one line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from .attribution import company_domain
from .businessdays import add_business_days, is_business_day, next_business_day
from .model import PlanRequest, Role, Side, Template
from .plan_request import (
    MAX_BUYERS,
    MAX_NAME,
    InvalidPlanRequest,
    build_plan_request,
    parse_amount,
    parse_go_live,
)
from .schedule import schedule

BUYER_ROLES: tuple[Role, ...] = tuple(role for role in Role if role.side is Side.BUYER)
MAX_SEARCH = 4096  # business days (about 16 years): past this no go-live is proposed

DEAL, COMPANY, GO_LIVE, TEMPLATE, AMOUNT = "deal", "buyer_company", "go_live", "template", "amount"

# RFC 5322's dot-atom for the local part; host names of letters, digits and inner hyphens
# (RFC 1035), a top-level domain of letters or an IDNA "xn--" label. Quoted local parts and
# address literals are valid but not what a buyer's work address looks like: refused.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TOP = re.compile(r"[A-Za-z]{2,63}|[Xx][Nn]--[A-Za-z0-9-]{1,59}")
MAX_LOCAL, MAX_ADDRESS = 64, 254  # RFC 5321 4.5.3.1


def buyer_email_field(index: int) -> str:
    return f"buyer_email_{index}"


def buyer_role_field(index: int) -> str:
    return f"buyer_role_{index}"


@dataclass(frozen=True)
class BuyerEntry:
    """One buyer row of the form as typed: an address and a role ("" when none is chosen)."""

    email: str
    role: str = ""


@dataclass(frozen=True)
class PlanForm:
    """What the seller typed to create a plan, before any check."""

    deal_name: str
    buyer_company: str
    buyers: tuple[BuyerEntry, ...]
    go_live: str  # YYYY-MM-DD
    template: str
    amount: str = ""


@dataclass(frozen=True)
class FormCheck:
    """The problems found, by field, and the go-live to propose when go-live is one of them."""

    problems: dict[str, str] = field(default_factory=dict)
    proposal: date | None = None
    buyers: tuple[tuple[str, Role | None], ...] = ()  # normalised, when they are all good

    @property
    def ok(self) -> bool:
        return not self.problems

    def line(self) -> str:
        """Every problem on one line (the command line's answer)."""
        return " ".join(self.problems.values())


class PlanFormRefused(InvalidPlanRequest):
    """The form cannot become a plan: its check, every problem on one line as the message."""

    def __init__(self, check: FormCheck) -> None:
        super().__init__(check.line())
        self.check = check


def checked_request(
    form: PlanForm,
    check: FormCheck,
    *,
    owner: str,
    today: date,
    request_key: str | None = None,
    invitation: str | None = None,
) -> PlanRequest:
    """The plan request a form with no problems describes, buyers' roles included;
    PlanFormRefused when the check found problems."""
    if not check.ok:
        raise PlanFormRefused(check)
    request = build_plan_request(
        deal_name=form.deal_name,
        buyer_company=form.buyer_company,
        buyer_emails=[email for email, _ in check.buyers],
        go_live=form.go_live,
        template=form.template,
        owner=owner,
        today=today,
        amount=form.amount or None,
        request_key=request_key,
        invitation=invitation,
    )
    roles = tuple((email, role) for email, role in check.buyers if role is not None)
    return replace(request, buyer_roles=roles)


def fits(template: Template, go_live: date, today: date) -> bool:
    """True when the template's schedule back from `go_live` leaves no step in the past."""
    return not schedule(template, go_live, today).warnings


def earliest_go_live(template: Template, today: date) -> date | None:
    """The first business day after today whose schedule fits, or None past MAX_SEARCH."""
    days_off = frozenset(template.holidays)

    def fits_after(business_days: int) -> bool:
        return fits(template, add_business_days(today, business_days, days_off), today)

    high = 1
    while not fits_after(high):
        if high >= MAX_SEARCH:
            return None
        high *= 2
    low = high // 2  # 0, or a count that does not fit
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if fits_after(middle) else (middle, high)
    return add_business_days(today, high, days_off)


def go_live_problem(
    go_live: date, template: Template, today: date
) -> tuple[str, date | None] | None:
    """Why this go-live will not do for the template, and the date to propose instead."""
    days_off = frozenset(template.holidays)
    if not is_business_day(go_live, days_off):
        earliest = earliest_go_live(template, today)
        following = next_business_day(go_live, days_off)
        proposal = following if earliest is None else max(following, earliest)
        what = f"a {go_live:%A}" if go_live.weekday() > 4 else "a public holiday"
        return (
            f"{_day(go_live)} is {what}: a go-live needs a business day. "
            f"Proposed: {_day(proposal)}.",
            proposal,
        )
    plan = schedule(template, go_live, today)
    if not plan.warnings:
        return None
    earliest = earliest_go_live(template, today)
    count = len(plan.warnings)
    steps = "1 step" if count == 1 else f"{count} steps"
    first = plan.warnings[0]
    late = next(s for s in plan.steps if s.spec.id == first.step_id)
    reason = (
        f"A go-live on {_short(go_live)} {go_live.year} cannot fit {template.title}: {steps} "
        f"would start before today, the first ({late.spec.name}) on {_short(late.start)}."
    )
    if earliest is None:
        return reason, None
    return f"{reason} The earliest go-live that fits is {_day(earliest)}.", earliest


def address_problem(typed: str) -> str | None:
    """Why `typed` is not a usable work email address, if it is not."""
    email = typed.strip()
    if not email:
        return "Give the buyer's email address."
    shown = email if len(email) <= 60 else email[:57] + "..."
    local, at, domain = email.rpartition("@")
    labels = domain.split(".")
    if (
        not at
        or len(email) > MAX_ADDRESS
        or len(local) > MAX_LOCAL
        or not _LOCAL.fullmatch(local)
        or len(labels) < 2
        or not all(_LABEL.fullmatch(label) for label in labels)
        or not _TOP.fullmatch(labels[-1])
    ):
        return f"'{shown}' is not an email address (name@company.com)."
    return None


def seller_domains_of(owner: str, seller_domains: Collection[str]) -> frozenset[str]:
    """The seller's mail domains: MAP_SELLER_DOMAINS and the owner's own (unless public mail)."""
    ours = {d.strip().lower().lstrip("@") for d in seller_domains if d.strip()}
    own = company_domain(owner)
    return frozenset(ours | ({own} if own else set()))


def check_buyers(
    entries: Sequence[BuyerEntry],
    *,
    owner: str,
    seller_domains: Collection[str] = (),
    roles_required: bool = True,
) -> tuple[tuple[tuple[str, Role | None], ...], dict[str, str]]:
    """The buyers (address, role) and each row's problems: a valid address, not the seller's
    own company, not listed twice, and a buyer role chosen (none is assumed)."""
    ours = seller_domains_of(owner, seller_domains)
    roles = {role.value.lower(): role for role in BUYER_ROLES}
    problems: dict[str, str] = {}
    buyers: list[tuple[str, Role | None]] = []
    first_row: dict[str, int] = {}
    for index, entry in enumerate(entries):
        typed, role_text = entry.email.strip(), entry.role.strip()
        if not typed and not role_text:
            continue  # an empty row
        email_field, role_field = buyer_email_field(index), buyer_role_field(index)
        problem = address_problem(typed)
        email = typed.lower()
        domain = email.rpartition("@")[2]
        if problem is None and email == owner.strip().lower():
            problem = f"{email} is you: buyers are people at the buyer's company."
        elif problem is None and domain in ours:
            problem = (
                f"{email} is at your own company ({domain}): add people from the buyer's side."
            )
        elif problem is None and email in first_row:
            problem = f"{email} is listed twice (also buyer {first_row[email] + 1})."
        if problem:
            problems[email_field] = problem
        first_row.setdefault(email, index)
        role = roles.get(role_text.lower())
        if role_text and role is None:
            problems[role_field] = f"'{role_text[:40]}' is not a buyer's role."
        elif role is None and roles_required:
            problems[role_field] = f"Choose {email if problem is None else 'this buyer'}'s role."
        buyers.append((email, role))
    if not buyers:
        problems[buyer_email_field(0)] = "Give at least one buyer's email address."
    elif len(buyers) > MAX_BUYERS:
        problems[buyer_email_field(0)] = f"A plan is shared with at most {MAX_BUYERS} buyers."
    return tuple(buyers), problems


def check_plan_form(
    form: PlanForm,
    *,
    owner: str,
    template: Template | None,
    today: date,
    seller_domains: Collection[str] = (),
    roles_required: bool = True,
) -> FormCheck:
    """Every field's problem, and the proposed go-live when the one given will not do.

    `template` is the one the form names, None when no template has that name.
    """
    problems: dict[str, str] = {}
    for name, text, what in (
        (DEAL, form.deal_name, "the deal's name"),
        (COMPANY, form.buyer_company, "the buyer's company"),
    ):
        clean = " ".join(text.split())
        if not clean:
            problems[name] = f"Give {what}."
        elif len(clean) > MAX_NAME:
            problems[name] = f"Keep {what} within {MAX_NAME} characters (it has {len(clean)})."
        elif any(unicodedata.category(c) == "Cc" for c in clean):
            problems[name] = f"Type {what} without control characters."
    buyers, buyer_problems = check_buyers(
        form.buyers, owner=owner, seller_domains=seller_domains, roles_required=roles_required
    )
    problems.update(buyer_problems)
    if template is None:
        problems[TEMPLATE] = f"There is no template named '{form.template.strip()[:60]}'."
    proposal = None
    try:
        go_live = parse_go_live(form.go_live, today) if form.go_live.strip() else None
    except InvalidPlanRequest as exc:
        problems[GO_LIVE] = _sentence(str(exc))
    else:
        if go_live is None:
            problems[GO_LIVE] = "Pick the buyer's go-live date."
        elif template is not None and (found := go_live_problem(go_live, template, today)):
            problems[GO_LIVE], proposal = found
    try:
        parse_amount(form.amount)
    except InvalidPlanRequest as exc:
        problems[AMOUNT] = _sentence(str(exc))
    return FormCheck(problems, proposal, buyers if not problems else ())


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _short(day: date) -> str:
    """'Mon 1 Feb': a day near enough for its year to go without saying."""
    return f"{day:%a} {day.day} {day:%b}"


def _day(day: date) -> str:
    """'Mon 1 Feb 2027 (2027-02-01)': the weekday a seller checks, and the date as typed."""
    return f"{day:%a} {day.day} {day:%b %Y} ({day.isoformat()})"
