"""Hypothesis strategies for pipelines in every state the review must survive.

A generated ReviewInput has 0 to 6 deals on the shipped templates (or a template since removed),
each with no snapshot, a snapshot that is not a mapping, or a mapping of random and hostile
shape: steps that are junk, steps with text where dates belong, booleans and lists where text
belongs, a Deal tab that is a list, stakeholders with no role, data issues without fields. Events
have known and unknown kinds, any actor side, naive or aware times, slip details of any type,
and some belong to deals the review does not cover. Some deals are unreadable.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from review_examples import TINY

from addon.domain.deal import DealRecord, DealStatus
from addon.domain.event_model import EventKind
from addon.domain.model import Template
from addon.domain.outcome import LOSS_REASONS, DealOutcome, Outcome
from addon.domain.review_input import (
    EventFacts,
    RecordedForecast,
    ReviewInput,
    Thresholds,
)
from addon.domain.templates import load_templates

HOSTILE_TEXT = st.sampled_from(
    [
        "",
        "   ",
        '<a href="http://evil.example/phish">Re-authenticate</a>',
        '=IMPORTXML("http://evil.example","//a")',
        "Done",
        " done ",
        "Buyer",
        "seller",
        "Both",
        "Legal review",
        "2027-02-30",
        "soon",
        "nan",
        "None",
        "\u0000\u200b",
        "x" * 300,
        "Ünïcödé ✓",
    ]
)
DATE_TEXT = st.dates(date(2020, 1, 1), date(2035, 12, 31)).map(date.isoformat)
CELL = st.one_of(
    st.none(),
    HOSTILE_TEXT,
    DATE_TEXT,
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
STEP_FIELDS = ("id", "phase", "name", "owner_side", "owner", "due", "status", "done_on", "row")
STATUS = st.sampled_from(["Not started", "In progress", "Done", "Blocked", "done", "", None])
SIDE = st.sampled_from(["Buyer", "Seller", "Both", "buyer", "nobody", "", None])
ROLE = st.sampled_from(
    ["Champion", "Economic buyer", "Legal", "legal ", "Security", "Procurement", "", None, 7]
)


@functools.cache
def templates() -> dict[str, Template]:
    """The shipped templates and the small one of the review examples."""
    return {t.name: t for t in load_templates()} | {TINY.name: TINY}


def _template_step_ids() -> list[str]:
    return sorted({spec.id for t in templates().values() for spec in t.steps})


@st.composite
def plan_step(draw: st.DrawFn) -> Any:
    """A Plan row as a snapshot keeps it: mostly well-formed, sometimes anything at all."""
    if draw(st.integers(0, 9)) == 0:
        return draw(CELL)  # a row that is not a mapping
    step: dict[str, Any] = {
        "id": draw(st.one_of(st.sampled_from(_template_step_ids()), st.none(), HOSTILE_TEXT)),
        "phase": draw(st.one_of(HOSTILE_TEXT, st.none())),
        "name": draw(st.one_of(HOSTILE_TEXT, st.none())),
        "owner_side": draw(SIDE),
        "owner": draw(st.one_of(st.none(), HOSTILE_TEXT)),
        "due": draw(st.one_of(DATE_TEXT, st.none(), CELL)),
        "status": draw(STATUS),
        "done_on": draw(st.one_of(st.none(), DATE_TEXT, CELL)),
        "row": draw(st.one_of(st.integers(2, 5000), st.none(), CELL)),
    }
    if draw(st.booleans()):  # a field of the wrong type, or missing
        field = draw(st.sampled_from(STEP_FIELDS))
        if draw(st.booleans()):
            step[field] = draw(CELL)
        else:
            step.pop(field)
    return step


@st.composite
def snapshot(draw: st.DrawFn) -> Any:
    """A deal's latest snapshot: absent shapes included."""
    shape = draw(st.integers(0, 12))
    if shape == 0:
        return draw(st.one_of(st.none(), st.lists(st.integers(), max_size=2), HOSTILE_TEXT))
    if shape == 1:
        return {}  # an emptied plan
    body: dict[str, Any] = {"layout_version": draw(st.one_of(st.just(1), CELL))}
    body["steps"] = draw(
        st.one_of(st.lists(plan_step(), max_size=12), st.just([]), CELL)
        if shape > 2
        else st.just([])
    )
    body["deal"] = draw(
        st.one_of(
            st.fixed_dictionaries(
                {
                    "signature_target": st.one_of(st.none(), DATE_TEXT, CELL),
                    "go_live": st.one_of(st.none(), DATE_TEXT, CELL),
                    "plan_agreed_buyer": st.one_of(st.booleans(), CELL),
                    "plan_agreed_seller": st.one_of(st.booleans(), CELL),
                }
            ),
            CELL,
        )
    )
    body["stakeholders"] = draw(
        st.one_of(
            st.lists(
                st.one_of(
                    st.fixed_dictionaries(
                        {"name": HOSTILE_TEXT, "email": st.none() | HOSTILE_TEXT, "role": ROLE}
                    ),
                    CELL,
                ),
                max_size=5,
            ),
            CELL,
        )
    )
    if draw(st.booleans()):
        body["data_issues"] = draw(
            st.one_of(
                st.lists(
                    st.one_of(
                        st.dictionaries(
                            st.sampled_from(["tab", "cell", "kind", "message"]), CELL, max_size=4
                        ),
                        CELL,
                    ),
                    max_size=3,
                ),
                CELL,
            )
        )
    return body


NAIVE = st.datetimes(datetime(2020, 1, 1), datetime(2035, 12, 31))
# The store hands back aware times (UTC); events made elsewhere may carry another offset.
AWARE = NAIVE.flatmap(
    lambda moment: st.sampled_from(
        [moment.replace(tzinfo=UTC), moment.replace(tzinfo=timezone(timedelta(hours=-8)))]
    )
)
MOMENT = st.one_of(NAIVE, AWARE)
KIND = st.one_of(st.sampled_from([kind.value for kind in EventKind]), st.sampled_from(["x", ""]))


@st.composite
def event(draw: st.DrawFn, deal_id: str, number: int) -> EventFacts:
    details = draw(
        st.one_of(
            st.just({}),
            st.fixed_dictionaries({"slip_business_days": st.one_of(st.integers(-30, 30), CELL)}),
            st.dictionaries(st.sampled_from(["side", "done_on", "milestone"]), CELL, max_size=3),
        )
    )
    return EventFacts(
        event_id=f"e_{deal_id}_{number}",
        deal_id=deal_id,
        kind=draw(KIND),
        occurred_at=draw(AWARE),
        actor_side=draw(st.sampled_from(["buyer", "seller", "unknown", "both", ""])),
        actor_email=draw(st.one_of(st.none(), st.just("ann@buyer.example"), HOSTILE_TEXT)),
        subject=draw(st.one_of(st.none(), HOSTILE_TEXT)),
        subject_label=draw(HOSTILE_TEXT),
        before=draw(CELL),
        after=draw(CELL),
        details=details,
    )


@st.composite
def deal(draw: st.DrawFn, deal_id: str) -> DealRecord:
    created = draw(MOMENT)
    return DealRecord(
        deal_id=deal_id,
        name=draw(st.one_of(HOSTILE_TEXT, st.just(deal_id))),
        buyer_company=draw(HOSTILE_TEXT),
        owner_email=draw(st.sampled_from(["ae@seller.example", "AE@Seller.example", ""])),
        template=draw(st.sampled_from([*sorted(templates()), "retired-template"])),
        template_version=1,
        created_at=created,
        updated_at=created,
        go_live=draw(st.dates(date(2020, 1, 1), date(2036, 12, 31))),
        signature_target=draw(st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2036, 1, 1)))),
        amount=draw(
            st.one_of(
                st.none(),
                st.decimals(allow_nan=False, allow_infinity=False, places=2),
                st.just(Decimal("NaN")),
                st.just(Decimal(0)),
            )
        ),
        url=draw(st.one_of(st.none(), st.just(f"https://sheets.example/{deal_id}"))),
        status=draw(st.sampled_from(list(DealStatus))),
    )


@st.composite
def outcome(draw: st.DrawFn) -> DealOutcome:
    """Won, lost (reason, hostile words, competitor) or on hold, on any day."""
    kind = draw(st.sampled_from(list(Outcome)))
    on = draw(st.dates(date(2020, 1, 1), date(2036, 12, 31)))
    return DealOutcome(
        outcome=kind,
        on=on,
        by=draw(st.sampled_from(["ae@seller.example", ""])),
        reason=draw(st.one_of(st.none(), st.sampled_from(LOSS_REASONS), HOSTILE_TEXT)),
        detail=draw(HOSTILE_TEXT),
        competitor=draw(st.one_of(st.none(), HOSTILE_TEXT)),
        revisit_on=draw(st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2036, 12, 31)))),
    )


@st.composite
def review_input(draw: st.DrawFn, max_deals: int = 6) -> ReviewInput:
    """A whole pipeline: deals, their snapshots and events, unreadable ones, thresholds."""
    count = draw(st.integers(0, max_deals))
    ids = [f"d{number}" for number in range(count)]
    deals = tuple(draw(deal(deal_id)) for deal_id in ids)
    drawn = {deal_id: draw(st.one_of(st.none(), st.none(), outcome())) for deal_id in ids}
    snapshots = {
        deal_id: draw(snapshot()) for deal_id in ids if draw(st.integers(0, 4)) > 0
    }  # some deals were never read
    owners = [*ids, "not-in-this-review"]
    events: dict[str, tuple[EventFacts, ...]] = {}
    for deal_id in owners:
        items = draw(st.lists(st.integers(0, 10**6), max_size=4, unique=True))
        events[deal_id] = tuple(draw(event(deal_id, number)) for number in items)
    unreadable = {
        deal_id: draw(HOSTILE_TEXT) or "the plan could not be read"
        for deal_id in ids
        if draw(st.integers(0, 4)) == 0
    }
    since = {deal_id: draw(st.one_of(st.none(), MOMENT.map(_day))) for deal_id in unreadable}
    thresholds = draw(
        st.one_of(
            st.just(Thresholds()),
            st.builds(
                Thresholds,
                buyer_silence_days=st.integers(1, 60),
                procurement_amount=st.floats(0, 1e7),
                validation_lead_days=st.integers(0, 30),
                max_steps=st.integers(1, 60),
                slip_count=st.integers(1, 5),
                slip_days=st.integers(1, 30),
            ),
        )
    )
    return ReviewInput(
        today=draw(st.dates(date(2021, 1, 1), date(2034, 12, 31))),
        deals=deals,
        snapshots=snapshots,
        events=events,
        templates=templates(),
        unreadable=unreadable,
        unreadable_since={k: v for k, v in since.items() if v is not None},
        thresholds=thresholds,
        forecast_history={deal_id: draw(history()) for deal_id in owners},
        outcomes={deal_id: o for deal_id, o in drawn.items() if o is not None},
    )


SOME_DAY = st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2036, 12, 31)))


@st.composite
def history(draw: st.DrawFn) -> tuple[RecordedForecast, ...]:
    """Projections earlier reviews recorded, in any order, undated ones among them."""
    days = draw(st.lists(st.dates(date(2020, 1, 1), date(2036, 12, 31)), max_size=4, unique=True))
    return tuple(RecordedForecast(day, draw(SOME_DAY), draw(SOME_DAY)) for day in days)


def _day(moment: datetime) -> date:
    return moment.date()
