"""The review as people read it: names for addresses, words for codes, a plain Steps tab.

Contract: issue 16 "The manager's review" (names, not email addresses or internal ids; no
snake_case headers, Python tuples or raw values).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from review_strategies import templates

from addon.domain.deal import DealRecord
from addon.domain.review import steps_frame
from addon.domain.review_cells import to_cell
from addon.domain.review_input import ReviewInput
from addon.domain.review_present import (
    EMAIL,
    STEPS_TAB_COLUMNS,
    name_from_address,
    people_names,
    person,
    steps_tab,
    words,
)

NAMES = {"ann.lee@buyer.example": "Ann Lee-Park"}


def test_a_known_address_becomes_the_name_the_plan_gives_and_others_a_readable_guess() -> None:
    assert person("Ann.Lee@buyer.example", NAMES) == "Ann Lee-Park"
    assert person("bob_day@vendor.example", NAMES) == "Bob Day"
    assert (
        person("one of ann.lee@buyer.example, sam@x.example", NAMES) == "one of Ann Lee-Park, Sam"
    )
    assert person("Added stakeholder ann.lee@buyer.example as Legal", NAMES) == (
        "Added stakeholder Ann Lee-Park as Legal"
    )
    assert person("Procurement team", NAMES) == "Procurement team"  # not an address: kept
    assert [person(v, NAMES) for v in (None, float("nan"), pd.NA, "  ")] == ["", "", "", ""]
    assert name_from_address("a.b-c+d@x.example") == "A B C D"


def test_codes_read_as_words() -> None:
    assert words("unreadable_date") == "Unreadable date"
    assert words("not read") == "Not read"
    assert words(None) == "" and words(float("nan")) == ""


@given(st.lists(st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,8})?@[a-z]{1,8}\.example", fullmatch=True)))
def test_no_address_survives(addresses: list[str]) -> None:
    text = "Changed by " + ", ".join(addresses)
    assert not EMAIL.search(person(text, NAMES))


def test_the_steps_tab_has_plain_columns_names_and_no_ids() -> None:
    template = templates()["mid-market"]
    deal = DealRecord(
        deal_id="d_abc123",
        name="Contoso — Analytics rollout",
        buyer_company="Contoso",
        owner_email="maya.patel@vendor.example",
        template=template.name,
        template_version=template.version,
        created_at=datetime(2027, 1, 4, tzinfo=UTC),
        updated_at=datetime(2027, 1, 4, tzinfo=UTC),
        go_live=date(2027, 3, 1),
        url="https://docs.google.com/spreadsheets/d/s1/edit",
    )
    spec = template.steps[0]
    snapshot = {
        "steps": [
            {
                "id": spec.id,
                "phase": spec.phase,
                "name": spec.name,
                "owner_side": "Seller",
                "owner": "maya.patel@vendor.example",
                "due": "2027-01-11",
                "status": "Not started",
                "row": 2,
            },
            {"id": "b-extra-1a2b3c", "name": None, "owner": "ann.lee@buyer.example", "row": 3},
        ],
        "stakeholders": [
            {"name": "Maya Patel", "email": "maya.patel@vendor.example", "side": "Seller"}
        ],
    }
    data = ReviewInput(
        today=date(2027, 1, 20),
        deals=(deal,),
        snapshots={deal.deal_id: snapshot},
        events={},
        templates={template.name: template},
    )
    names = people_names(data)
    tab = steps_tab(data, steps_frame(data), names)

    assert list(tab.columns) == STEPS_TAB_COLUMNS
    first, added = tab.iloc[0], tab.iloc[1]
    assert (first["Deal"], first["Owner"], first["Critical"]) == (deal.name, "Maya Patel", "yes")
    assert first["Roles"] == ", ".join(str(r) for r in spec.roles)
    assert first["Due"] == pd.Timestamp("2027-01-11") and first["Business days overdue"] == 7
    assert (added["Step"], added["Owner"], added["From template"]) == (
        "Unnamed step",
        "Ann Lee",
        "no",
    )
    assert set(tab["Plan"]) == {deal.url}
    shown = [str(to_cell(v)) for v in tab.drop(columns=["Plan", "deal_id"]).to_numpy().ravel()]
    assert not [v for v in shown if re.search(r"d_abc|b-extra|\(|@|_|None|nan", v)]
