"""The Deal tab read back into snapshot facts, found by their labels wherever they are (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .layout_cells import column_letter
from .layout_deal import (
    AGREEMENT_STATUS_LABEL,
    DEAL_FACTS,
    DEAL_HEADERS,
    GO_LIVE_LABEL,
    SIGNING_LABEL,
    DealFact,
    FactKind,
)
from .layout_tabs import DEAL_TAB
from .parse_grid import Header, Issues, RowCells, content_rows, find_header, kept, shown
from .parse_values import FormulaError, parse_checkbox, quoted, vocab_key

MAX_FACT_ROWS = 1000  # content rows searched for facts; a buyer may add notes rows, not 50,000

DEAL_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "label": (DEAL_HEADERS[0], "field", "item", "label", "question"),
    "value": (DEAL_HEADERS[1], "answer"),
}
_DEFAULT_COLUMNS = {"label": 0, "value": 1}  # A and B, as the layout puts them
_FACTS_BY_KEY = {vocab_key(text): fact for fact in DEAL_FACTS for text in (fact.label, fact.key)}
OUTLOOK_LINES = (SIGNING_LABEL, GO_LIVE_LABEL)  # `cells` keys: the outlook lines' value cells
STATUS_CELL = "agreement_status"  # the `cells` key of the Agreement status line's value cell


def empty_fact(fact: DealFact) -> Any:
    """A fact's value before anyone gives it: unticked for a checkbox, else None."""
    return False if fact.kind is FactKind.CHECKBOX else None


def parse_deal(
    rows: Sequence[object],
    previous: Mapping[str, Any],
    issues: Issues,
    cells: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The facts of a Deal tab, by key in `DEAL_FACTS` order; labels it does not know are
    ignored (buyers may add rows of notes), facts it cannot find keep their previous values.

    `cells`, if given, receives where each fact's value cell is ("Deal!B9" by fact key), and
    the Agreement status line's value cell (`STATUS_CELL`), for the watch to write to."""
    found = find_header(DEAL_TAB, rows, DEAL_COLUMNS, issues)
    if found.row is None:
        issues.add(DEAL_TAB, "empty_tab", "The Deal tab is empty; its facts are kept as they were.")
        return dict(previous)
    header = Header(found.row, {**_DEFAULT_COLUMNS, **found.columns})
    values: dict[str, Any] = {}
    first_row: dict[str, int] = {}
    for index, row in content_rows(DEAL_TAB, rows, 0, MAX_FACT_ROWS, "rows", issues):
        row_cells = RowCells(DEAL_TAB, index, row, header, issues)
        label = row_cells.raw("label")
        fact = _fact_named(label)
        if fact is None:
            if cells is not None and _is_status(label):
                cells.setdefault(STATUS_CELL, row_cells.address("value"))
            elif cells is not None and (line := _outlook_line(label)):
                cells.setdefault(line, row_cells.address("value"))
            continue
        if fact.key in first_row:
            issues.add(
                DEAL_TAB,
                "duplicate_fact",
                f"a second {fact.label!r} row; only row {first_row[fact.key]} is read.",
                row_cells.address("label"),
            )
            continue
        first_row[fact.key] = index + 1
        if cells is not None:
            cells[fact.key] = row_cells.address("value")
        values[fact.key] = _fact_value(row_cells, fact, previous.get(fact.key, empty_fact(fact)))
    for fact in DEAL_FACTS:
        if fact.key not in values:
            keep = previous.get(fact.key, empty_fact(fact))
            issues.add(
                DEAL_TAB,
                "missing_fact",
                f"Deal: no {fact.label!r} row in column "
                f"{column_letter(header.columns['label'])}; {kept(keep)}.",
            )
            values[fact.key] = keep
    return {fact.key: values[fact.key] for fact in DEAL_FACTS}


def _outlook_line(label: object) -> str | None:
    """The outlook line a label names (its label is its `cells` key), if any."""
    if not isinstance(label, str):
        return None
    return next((line for line in OUTLOOK_LINES if vocab_key(label) == vocab_key(line)), None)


def _is_status(label: object) -> bool:
    return isinstance(label, str) and vocab_key(label) == vocab_key(AGREEMENT_STATUS_LABEL)


def _fact_named(label: object) -> DealFact | None:
    """The fact a label cell names (its label or key, case and spacing aside), if any."""
    if not isinstance(label, str) or len(label) > 100:
        return None
    return _FACTS_BY_KEY.get(vocab_key(label))


def _fact_value(cells: RowCells, fact: DealFact, keep: Any) -> Any:
    """A fact's value cell read as its kind says; what cannot be read keeps `keep`."""
    if fact.kind is FactKind.DATE:
        return cells.date("value", fact.label, keep)
    if fact.kind is FactKind.CHECKBOX:
        try:
            return parse_checkbox(cells.raw("value"))
        except FormulaError as error:
            message = f"{fact.label}: {error}; {kept(keep)}."
            cells.issues.add(DEAL_TAB, "formula_error", message, cells.address("value"))
            return keep
        except ValueError:
            cells.issues.add(
                DEAL_TAB,
                "unreadable_checkbox",
                f"{fact.label} {shown(cells.raw('value'))} is not a tick or an untick; "
                f"{kept(keep)}.",
                cells.address("value"),
            )
            return keep
    text = cells.text("value", fact.label, keep)
    if fact.kind is FactKind.CHOICE and text is not None:
        choice = {vocab_key(option): option for option in fact.choices}.get(vocab_key(text))
        if choice is None:
            cells.issues.add(
                DEAL_TAB,
                "unknown_choice",
                f"{fact.label} {quoted(text)} is not one of {', '.join(fact.choices)}; "
                "kept as written.",
                cells.address("value"),
            )
            return text
        return choice
    return text
