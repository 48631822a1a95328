"""The Stakeholders tab read back into snapshot stakeholders, one per email address (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .layout_tabs import STAKEHOLDER_HEADERS, STAKEHOLDERS_TAB
from .model import Role
from .parse_grid import Issues, RowCells, content_rows, find_header
from .parse_values import ROLE_WORDS, SIDE_WORDS, quoted

MAX_STAKEHOLDERS = 1000  # content rows read from the Stakeholders tab

STAKEHOLDER_FIELDS = ("name", "email", "side", "role", "responsibility")
STAKEHOLDER_COLUMNS: Mapping[str, tuple[str, ...]] = {
    field: (header, *more)
    for field, header, more in zip(
        STAKEHOLDER_FIELDS,
        STAKEHOLDER_HEADERS,
        (
            ("name", "full name", "person", "contact"),
            ("email", "e-mail", "email address", "mail"),
            ("side", "company side"),
            ("role", "buying role"),
            ("responsibility", "responsibilities", "notes"),
        ),
        strict=True,
    )
}
_BLANK = object()  # a Side cell left empty: the side follows from the role, when there is one

Person = dict[str, Any]


def parse_stakeholders(
    rows: Sequence[object], previous: Sequence[Person], issues: Issues
) -> list[Person]:
    """The people a Stakeholders tab lists, in sheet order; a row needs a name or an email."""
    header = find_header(STAKEHOLDERS_TAB, rows, STAKEHOLDER_COLUMNS, issues)
    if header.row is None:
        issues.add(
            STAKEHOLDERS_TAB,
            "empty_tab",
            "The Stakeholders tab is empty; its people are kept as they were.",
        )
        return list(previous)
    for field in STAKEHOLDER_FIELDS:
        if field not in header.columns:
            issues.add(
                STAKEHOLDERS_TAB,
                "missing_column",
                f"Stakeholders: no {STAKEHOLDER_COLUMNS[field][0]!r} column in row "
                f"{header.row + 1}; each person's {field} is kept as it was.",
            )
    if "name" not in header.columns and "email" not in header.columns:
        return list(previous)
    rows_read = content_rows(
        STAKEHOLDERS_TAB, rows, header.row + 1, MAX_STAKEHOLDERS, "people", issues
    )
    key = "email" if "email" in header.columns else "name"
    before_by_key = {person.get(key): person for person in previous if person.get(key)}
    people: list[Person] = []
    first_row: dict[str, int] = {}
    for index, row in rows_read:
        cells = RowCells(STAKEHOLDERS_TAB, index, row, header, issues)
        email = cells.text("email", "email", None)
        if email is not None:
            email = email.removeprefix("mailto:").lower()
        name = cells.text("name", "name", None)
        before = before_by_key.get(email if key == "email" else name, {})
        name = name if cells.has("name") else before.get("name")
        if name is None and email is None:
            issues.add(
                STAKEHOLDERS_TAB,
                "unnamed_stakeholder",
                "this row has content but no name or email; it is not read.",
                cells.row_address(),
            )
            continue
        if email is not None and email in first_row:
            issues.add(
                STAKEHOLDERS_TAB,
                "duplicate_email",
                f"{quoted(email)} is already listed in row {first_row[email]}; "
                f"row {index + 1} is not read.",
                cells.address("email"),
            )
            continue
        if email is not None:
            first_row[email] = index + 1
        people.append(_person(cells, name, email, before))
    return people


def _person(cells: RowCells, name: str | None, email: str | None, before: Person) -> Person:
    """One stakeholder's snapshot entry; unknown side or role text is reported and left empty."""
    role = cells.word("role", "role", ROLE_WORDS, None, _kept_if_missing(cells, "role", before))
    side = cells.word("side", "side", SIDE_WORDS, _BLANK, _kept_if_missing(cells, "side", before))
    if side is _BLANK:
        side = Role(role).side if role in set(Role) else None
    return {
        "name": name,
        "email": email,
        "side": None if side is None else str(side),
        "role": None if role is None else str(role),
        "responsibility": cells.text(
            "responsibility", "responsibility", before.get("responsibility")
        ),
    }


def _kept_if_missing(cells: RowCells, field: str, before: Person) -> Any:
    """The previous value when the column is gone; None (reported) when the cell is unknown."""
    return None if cells.has(field) else before.get(field)
