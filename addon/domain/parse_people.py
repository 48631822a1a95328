"""The Stakeholders tab read back into snapshot stakeholders, one per email address (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .layout_cells import column_letter
from .layout_tabs import STAKEHOLDER_HEADERS, STAKEHOLDERS_TAB
from .model import Role
from .parse_grid import Header, Issues, Row, RowCells, content_rows, emptied_columns, find_header
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
    if not header.columns:  # one issue for a lost header row, not one per column
        issues.add(
            STAKEHOLDERS_TAB,
            "missing_header",
            f"Stakeholders: no header row ({', '.join(STAKEHOLDER_HEADERS)}) in the first rows; "
            "the people are kept as they were.",
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
    rows_read = content_rows(
        STAKEHOLDERS_TAB, rows, header.row + 1, MAX_STAKEHOLDERS, "people", issues
    )
    header = _without_emptied_columns(header, rows_read, previous, issues)
    if "name" not in header.columns and "email" not in header.columns:
        return list(previous)
    return _read_people(header, rows_read, previous, issues)


def _without_emptied_columns(
    header: Header, rows: list[tuple[int, Row]], previous: Sequence[Person], issues: Issues
) -> Header:
    """The header read as if a column were missing where the buyer emptied all of it (see
    `emptied_columns`): what the people had there is kept, and the column reported."""
    before = [_previous_person(header, index, row, previous) for index, row in rows]
    had = {f: sum(person.get(f) is not None for person in before) for f in STAKEHOLDER_FIELDS}
    emptied = emptied_columns(header, [row for _, row in rows], had, len(rows))
    for field in emptied:
        issues.add(
            STAKEHOLDERS_TAB,
            "cleared_column",
            f"Stakeholders: column {column_letter(header.columns[field])} "
            f"({STAKEHOLDER_COLUMNS[field][0]}) is empty on every row; "
            f"each person's {field} is kept as it was.",
        )
    return header.without(emptied)


def _previous_person(header: Header, index: int, row: Row, previous: Sequence[Person]) -> Person:
    """Who a row's person was before, by email, else by name; {} for someone new."""
    cells = RowCells(STAKEHOLDERS_TAB, index, row, header, Issues())  # issues come later
    email, name = cells.text("email", "email", None), cells.text("name", "name", None)
    for key, found in (("email", email and _email(email)), ("name", name)):
        match = next((p for p in previous if found and p.get(key) == found), None)
        if match is not None:
            return match
    return {}


def _email(text: str) -> str:
    """An email as the snapshot keeps it: "MAILTO:Ann@Acme.Test" -> "ann@acme.test"."""
    return text.lower().removeprefix("mailto:").strip()


def _read_people(
    header: Header, rows: list[tuple[int, Row]], previous: Sequence[Person], issues: Issues
) -> list[Person]:
    """The people of the rows, each matched to who they were before by email (else name)."""
    key = "email" if "email" in header.columns else "name"
    before_by_key = {person.get(key): person for person in previous if person.get(key)}
    people: list[Person] = []
    first_row: dict[str, int] = {}
    for index, row in rows:
        cells = RowCells(STAKEHOLDERS_TAB, index, row, header, issues)
        email = cells.text("email", "email", None)
        email = None if email is None else _email(email)
        name = cells.text("name", "name", None)
        before = before_by_key.get(email if key == "email" else name, {})
        name = name if cells.has("name") else before.get("name")
        email = email if cells.has("email") else before.get("email")
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
                cells.address("email") if cells.has("email") else cells.row_address(),
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
        side = Role(role).side.label if role in set(Role) else None
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
