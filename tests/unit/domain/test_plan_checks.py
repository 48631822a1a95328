"""A new plan's form is checked field by field before anything is created; a go-live that will
not do comes with the date that would."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from addon.domain.businessdays import is_business_day
from addon.domain.model import GO_LIVE, Milestone, Role, Side, StepSpec, Template
from addon.domain.plan_checks import (
    BUYER_ROLES,
    BuyerEntry,
    PlanForm,
    address_problem,
    check_buyers,
    check_plan_form,
    earliest_go_live,
    fits,
    go_live_problem,
)
from addon.domain.schedule import schedule
from addon.domain.templates import find_template

TODAY = date(2026, 12, 4)  # a Friday
OWNER = "sam@vendor.example"


def step(step_id: str, days: int, before: str = GO_LIVE, lag: int = 0, **more: Any) -> StepSpec:
    return StepSpec(
        id=step_id,
        phase="Decide",
        name=step_id.replace("-", " ").capitalize(),
        owner_side=Side.BOTH,
        duration_days=days,
        before=before,
        lag_days=lag,
        **more,
    )


def template(*steps: StepSpec, holidays: tuple[date, ...] = ()) -> Template:
    go_live = step("launch", 0, milestone=Milestone.GO_LIVE)
    return Template("t", "Test plan", 1, "", (*steps, go_live), holidays=holidays)


TEN_DAYS = template(step("evaluate", 5, before="launch"), step("sign", 5, before="evaluate"))


def form(**changes: Any) -> PlanForm:
    fields: dict[str, Any] = dict(
        deal_name="Acme rollout",
        buyer_company="Acme",
        buyers=(BuyerEntry("ann@acme.example", "Champion"),),
        go_live="2027-06-01",
        template="t",
        amount="50000",
    )
    fields.update(changes)
    return PlanForm(**fields)


def check(**changes: Any) -> Any:
    return check_plan_form(
        form(**changes),
        owner=OWNER,
        template=TEN_DAYS,
        today=TODAY,
        seller_domains=("vendor.io",),
    )


# --- go-live -----------------------------------------------------------------------------------


def test_a_good_form_has_no_problems_and_its_buyers_with_roles() -> None:
    found = check()
    assert found.ok and found.proposal is None
    assert found.buyers == (("ann@acme.example", Role.CHAMPION),)


def test_the_earliest_go_live_leaves_exactly_room_for_the_template() -> None:
    # Ten business days of work from today (a step may start today): go-live on the 11th.
    assert earliest_go_live(TEN_DAYS, TODAY) == date(2026, 12, 18)
    assert fits(TEN_DAYS, date(2026, 12, 18), TODAY)
    assert not fits(TEN_DAYS, date(2026, 12, 17), TODAY)


def test_a_go_live_too_soon_says_so_and_proposes_the_earliest_that_fits() -> None:
    found = check(go_live="2026-12-09")
    assert found.proposal == date(2026, 12, 18)
    message = found.problems["go_live"]
    assert message.startswith("A go-live on Wed 9 Dec 2026 cannot fit Test plan: 2 steps")
    assert "would start before today, the first (Sign) on Wed 25 Nov." in message
    assert "The earliest go-live that fits is Fri 18 Dec 2026 (2026-12-18)." in message
    assert set(found.problems) == {"go_live"} and found.buyers == ()


def test_a_weekend_go_live_proposes_the_next_business_day() -> None:
    found = check(go_live="2027-01-30")  # a Saturday, long after the earliest that fits
    assert found.problems["go_live"].startswith("Sat 30 Jan 2027 (2027-01-30) is a Saturday")
    assert found.proposal == date(2027, 2, 1)


def test_a_holiday_go_live_proposes_the_business_day_after_it() -> None:
    holiday = date(2027, 2, 1)  # a Monday
    found = go_live_problem(holiday, template(step("a", 1), holidays=(holiday,)), TODAY)
    assert found is not None
    assert "is a public holiday" in found[0] and found[1] == date(2027, 2, 2)


def test_a_weekend_go_live_too_soon_proposes_the_earliest_that_fits() -> None:
    found = go_live_problem(date(2026, 12, 12), TEN_DAYS, TODAY)
    assert found is not None and found[1] == date(2026, 12, 18)


def test_a_shipped_template_gets_a_proposal_that_fits_it() -> None:
    enterprise = find_template("enterprise-saas")
    found = go_live_problem(date(2027, 1, 12), enterprise, TODAY)
    assert found is not None and found[1] is not None
    assert fits(enterprise, found[1], TODAY) and found[1] > date(2027, 1, 12)


def test_go_live_in_the_past_or_not_a_date_or_missing_is_named() -> None:
    assert "is not after today" in check(go_live="2026-12-01").problems["go_live"]
    assert "YYYY-MM-DD" in check(go_live="soon").problems["go_live"]
    assert check(go_live=" ").problems["go_live"] == "Pick the buyer's go-live date."


# --- buyers ------------------------------------------------------------------------------------


def buyers(*rows: tuple[str, str], **options: Any) -> Any:
    entries = [BuyerEntry(email, role) for email, role in rows]
    return check_buyers(entries, owner=OWNER, seller_domains=("vendor.io",), **options)


def test_buyers_at_the_sellers_domains_or_the_owner_are_refused() -> None:
    _, problems = buyers(
        ("lee@vendor.example", "Legal"), ("kim@VENDOR.io", "Legal"), ("Sam@vendor.example", "")
    )
    assert problems["buyer_email_0"] == (
        "lee@vendor.example is at your own company (vendor.example): "
        "add people from the buyer's side."
    )
    assert "(vendor.io)" in problems["buyer_email_1"]
    assert problems["buyer_email_2"].startswith("sam@vendor.example is you")


def test_a_public_mail_owner_does_not_make_public_mail_a_seller_domain() -> None:
    entries = [BuyerEntry("ann@gmail.com", "Legal")]
    found, problems = check_buyers(entries, owner="sam@gmail.com")
    assert problems == {} and found == (("ann@gmail.com", Role.LEGAL),)


def test_a_buyer_listed_twice_is_named_at_the_second_row() -> None:
    _, problems = buyers(("ann@acme.example", "Legal"), ("", ""), ("ANN@acme.example ", "Legal"))
    assert problems == {"buyer_email_2": "ann@acme.example is listed twice (also buyer 1)."}


def test_a_role_is_chosen_for_each_buyer_and_never_assumed() -> None:
    found, problems = buyers(("ann@acme.example", ""), ("bob@acme.example", "Economic buyer"))
    assert problems == {"buyer_role_0": "Choose ann@acme.example's role."}
    _, problems = buyers(("ann@acme.example", "Account executive"))
    assert problems == {"buyer_role_0": "'Account executive' is not a buyer's role."}
    found, problems = buyers(("ann@acme.example", ""), roles_required=False)
    assert problems == {} and found == (("ann@acme.example", None),)


def test_a_role_without_an_address_asks_for_the_address() -> None:
    _, problems = buyers(("", "Legal"))
    assert problems == {"buyer_email_0": "Give the buyer's email address."}


def test_no_buyer_at_all_is_a_problem_on_the_first_row() -> None:
    _, problems = buyers(("", ""), ("  ", ""))
    assert problems == {"buyer_email_0": "Give at least one buyer's email address."}


def test_a_name_with_control_characters_is_refused() -> None:
    found = check(deal_name="Acme\x07 rollout", buyer_company="Acme\u202e")
    assert found.problems == {"deal": "Type the deal's name without control characters."}


def test_other_fields_are_named_beside_their_field() -> None:
    found = check_plan_form(
        form(deal_name=" ", buyer_company="x" * 201, amount="a lot", template="nope"),
        owner=OWNER,
        template=None,
        today=TODAY,
    )
    assert found.problems == {
        "deal": "Give the deal's name.",
        "buyer_company": "Keep the buyer's company within 200 characters (it has 201).",
        "template": "There is no template named 'nope'.",
        "amount": "Amount 'a lot' is not a number.",
    }
    assert found.line().count("\n") == 0 and "Give the deal's name." in found.line()


# --- addresses ---------------------------------------------------------------------------------


def test_sensible_work_addresses_pass() -> None:
    for good in (
        "ann@acme.example",
        "ann.lee+map@mail.acme.co.uk",
        "o'neil@xn--bcher-kva.de",
        "0@a.XN--P1AI",
    ):
        assert address_problem(good) is None, good


def test_addresses_that_cannot_be_delivered_are_refused() -> None:
    for bad in (
        "ann",
        "ann@acme",
        "ann@@acme.example",
        "ann@acme..example",
        ".ann@acme.example",
        "ann.@acme.example",
        "an..n@acme.example",
        "ann@-acme.example",
        "ann@acme-.example",
        "ann@acme.e",
        "ann@acme.123",
        "ann lee@acme.example",
        "ann@acme.example,bob@acme.example",
        "a" * 65 + "@acme.example",
        "ann@" + "a" * 64 + ".example",
        "ann@" + ".".join(["abcdefgh"] * 30) + ".example",
    ):
        assert address_problem(bad) is not None, bad


@given(st.emails())
def test_every_generated_address_of_a_normal_shape_is_accepted(email: str) -> None:
    local, _, domain = email.rpartition("@")
    if local.startswith('"') or len(email) > 254:
        return  # quoted local parts are refused on purpose (see address_problem)
    assert address_problem(email) is None, email


# --- properties --------------------------------------------------------------------------------


@st.composite
def templates(draw: st.DrawFn) -> Template:
    """A random chain-and-branch template with a few holidays near today."""
    count = draw(st.integers(1, 8))
    steps: list[StepSpec] = []
    for index in range(count):
        anchors = ["launch", *(s.id for s in steps)]
        steps.append(
            step(
                f"s{index}",
                draw(st.integers(1, 15)),
                before=draw(st.sampled_from(anchors)),
                lag=draw(st.integers(0, 3)),
            )
        )
    offsets = draw(st.lists(st.integers(0, 200), max_size=15))
    return template(*steps, holidays=tuple(TODAY + timedelta(days=o) for o in offsets))


days = st.integers(0, 3).map(lambda n: TODAY + timedelta(days=n))


@settings(max_examples=150, deadline=None)
@given(templates(), days)
def test_the_earliest_go_live_fits_is_a_business_day_and_nothing_earlier_fits(
    plan: Template, today: date
) -> None:
    earliest = earliest_go_live(plan, today)
    assert earliest is not None and earliest > today
    off = frozenset(plan.holidays)
    assert is_business_day(earliest, off)
    assert not schedule(plan, earliest, today).warnings
    day = today + timedelta(days=1)
    while day < earliest:  # no earlier business day fits
        if is_business_day(day, off):
            assert schedule(plan, day, today).warnings, day
        day += timedelta(days=1)


@settings(max_examples=150, deadline=None)
@given(templates(), st.integers(1, 300))
def test_every_proposal_fits_and_is_a_business_day_after_the_date_given(
    plan: Template, ahead: int
) -> None:
    go_live = TODAY + timedelta(days=ahead)
    found = go_live_problem(go_live, plan, TODAY)
    off = frozenset(plan.holidays)
    if found is None:
        assert is_business_day(go_live, off) and fits(plan, go_live, TODAY)
        return
    proposal = found[1]
    assert proposal is not None and proposal > TODAY
    assert is_business_day(proposal, off) and fits(plan, proposal, TODAY)
    assert go_live_problem(proposal, plan, TODAY) is None
    if not is_business_day(go_live, off):
        assert proposal > go_live  # the next business day, or later when that one cannot fit


addresses = st.sampled_from(
    [
        "ann@acme.example",
        "ANN@acme.example",
        "bob@acme.example",
        "lee@vendor.example",
        "kim@vendor.io",
        "sam@vendor.example",
        "not-an-email",
        "ann@acme",
        "",
    ]
)
role_texts = st.sampled_from(["", "Champion", "Legal", "Account executive", "legal", "Boss"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(addresses, role_texts), max_size=6))
def test_buyers_that_pass_are_distinct_outsiders_each_with_a_buyer_role(
    rows: list[tuple[str, str]],
) -> None:
    found, problems = buyers(*rows)
    fields = {f"buyer_{kind}_{i}" for i in range(max(len(rows), 1)) for kind in ("email", "role")}
    assert set(problems) <= fields
    if problems:
        return
    emails = [email for email, _ in found]
    assert len(emails) == len(set(emails)) >= 1
    assert all(email.split("@")[1] not in {"vendor.example", "vendor.io"} for email in emails)
    assert all(role is not None and role in BUYER_ROLES for _, role in found)
