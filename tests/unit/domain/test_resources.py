"""The Resources tab's rows: checked fields, a link carried by the title, never a formula."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addon.domain.resources import (
    MAX_NOTE,
    MAX_TITLE,
    RESOURCE_HEADERS,
    InvalidResource,
    ResourceKind,
    resource,
    resource_row,
    resources_sheet,
)

DAY = date(2027, 3, 1)


def test_a_case_study_becomes_a_linked_title_with_the_day_it_was_shared() -> None:
    shared = resource(
        "  Northwind cut close to 4 days ", "Case study", "https://example.com/cs", "p. 3", DAY
    )
    assert shared.title == "Northwind cut close to 4 days"
    row = resource_row(shared)["values"]
    assert row[0]["userEnteredValue"] == {"stringValue": "Northwind cut close to 4 days"}
    assert row[0]["userEnteredFormat"]["textFormat"]["link"] == {"uri": "https://example.com/cs"}
    assert row[1]["userEnteredValue"] == {"stringValue": "Case study"}
    assert row[2]["userEnteredValue"] == {"numberValue": 46447}  # 2027-03-01 as a date serial
    assert row[3]["userEnteredValue"] == {"stringValue": "p. 3"}
    assert len(row) == len(RESOURCE_HEADERS)


@pytest.mark.parametrize(
    ("title", "kind", "url", "note", "field"),
    [
        ("", "Case study", "https://example.com", "", "title"),
        ("x" * (MAX_TITLE + 1), "Case study", "https://example.com", "", "title"),
        ("Deck", "Brochure", "https://example.com", "", "kind"),
        ("Deck", "Case study", "http://example.com", "", "url"),  # https only
        ("Deck", "Case study", "javascript:alert(1)", "", "url"),
        ("Deck", "Case study", "https://", "", "url"),
        ("Deck", "Case study", "https://exa mple.com", "", "url"),
        ("Deck", "Case study", "https://example.com", "n" * (MAX_NOTE + 1), "note"),
    ],
)
def test_each_bad_field_is_named_with_a_reason(
    title: str, kind: str, url: str, note: str, field: str
) -> None:
    with pytest.raises(InvalidResource) as refused:
        resource(title, kind, url, note, DAY)
    assert refused.value.field == field and str(refused.value).endswith(".")


def test_only_the_addon_and_the_owner_write_the_tab() -> None:
    sheet = resources_sheet(service_account="svc@example.iam", owner="sam@seller.example")
    (protected,) = sheet["protectedRanges"]
    assert protected["warningOnly"] is False
    assert protected["editors"] == {"users": ["svc@example.iam", "sam@seller.example"]}


@given(
    title=st.text(max_size=200),
    kind=st.sampled_from([k.value for k in ResourceKind] + ["", "Other "]),
    url=st.text(max_size=80),
    note=st.text(max_size=400),
)
def test_any_form_either_is_refused_or_gives_plain_text_and_an_https_link(
    title: str, kind: str, url: str, note: str
) -> None:
    try:
        shared = resource(title, kind, "https://example.com/" + url, note, DAY)
    except InvalidResource as refused:
        assert refused.field in {"title", "kind", "url", "note"}
        return
    cells = resource_row(shared)["values"]
    assert all("formulaValue" not in c.get("userEnteredValue", {}) for c in cells)
    assert cells[0]["userEnteredFormat"]["textFormat"]["link"]["uri"].startswith("https://")
    assert 0 < len(shared.title) <= MAX_TITLE and len(shared.note) <= MAX_NOTE
