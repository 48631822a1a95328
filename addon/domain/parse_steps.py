"""The Plan tab read back into snapshot steps, ids kept stable across buyer edits (pure)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .layout_cells import column_letter
from .layout_tabs import PLAN_HEADERS, PLAN_TAB
from .model import Status
from .parse_grid import Issues, RowCells, content_rows, emptied_columns, find_header
from .parse_values import OWNER_SIDE_WORDS, STATUS_WORDS, quoted

MAX_STEPS = 1000  # content rows read from the Plan tab; the rest are reported, not read

STEP_FIELDS = ("id", "phase", "name", "owner_side", "owner", "due", "status", "done_on", "notes")
# Header names each field is found by, the layout's own header first.
PLAN_COLUMNS: Mapping[str, tuple[str, ...]] = {
    field: (header, *more)
    for field, header, more in zip(
        STEP_FIELDS,
        PLAN_HEADERS,
        (
            ("id", "step id", "#", "step #", "step no", "step number"),
            ("stage",),
            ("step", "action", "task", "activity", "step name", "action item"),
            ("side", "owner side", "responsible side", "owning side"),
            ("owner", "who", "responsible", "assignee", "assigned to"),
            ("due", "due date", "date", "deadline", "target date"),
            ("status", "state"),
            ("done on", "completed", "completed on", "done date", "date done"),
            ("notes", "comments", "note", "comment"),
        ),
        strict=True,
    )
}
# What issue messages call a field's cell, and its column's cells.
_WORDS = {
    "id": ("step ID", "step IDs"),
    "phase": ("phase", "phases"),
    "name": ("step name", "step names"),
    "owner_side": ("owner side", "owner sides"),
    "owner": ("owner", "owners"),
    "due": ("due date", "due dates"),
    "status": ("status", "statuses"),
    "done_on": ("done-on date", "done-on dates"),
    "notes": ("notes", "notes"),
}
# Fields kept as they were when the buyer empties their whole column (see _without_cleared_columns);
# a blank name or Step ID is handled row by row.
_KEPT_WHEN_CLEARED = ("phase", "owner_side", "owner", "due", "status", "done_on", "notes")
_EMAIL_LIKE = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")

Step = dict[str, Any]


def new_step_id(deal_id: str, name: str, occurrence: int) -> str:
    """The id of a step the buyer added: the same deal, name and occurrence give the same id."""
    seed = f"{deal_id}|{name}|{occurrence}".encode("utf-8", "surrogatepass")
    return f"b-{_slug(name)}-{hashlib.sha256(seed).hexdigest()[:6]}"


def _slug(name: str) -> str:
    """Up to 24 ASCII letters, digits and dashes of a name; "step" when none are left."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:24].strip("-") or "step"


@dataclass(frozen=True)
class ParsedSteps:
    """The steps of the Plan tab and the Step ID cells to fill in for rows the buyer added."""

    steps: list[Step]
    step_id_writes: list[tuple[str, str]]


def parse_steps(
    rows: Sequence[object], previous: Sequence[Step], deal_id: str, issues: Issues
) -> ParsedSteps:
    """The steps a Plan tab holds, in sheet order; what cannot be read keeps its previous value."""
    header = find_header(PLAN_TAB, rows, PLAN_COLUMNS, issues)
    if header.row is None:
        issues.add(PLAN_TAB, "empty_tab", "The Plan tab is empty; its steps are kept as they were.")
        return ParsedSteps(list(previous), [])
    if not header.columns:  # one issue for a lost header row, not one per column
        issues.add(
            PLAN_TAB,
            "missing_header",
            f"Plan: no header row ({', '.join(PLAN_HEADERS)}) in the first rows; "
            "the steps are kept as they were.",
        )
        return ParsedSteps(list(previous), [])
    _report_missing_columns(header.columns, header.row, issues)
    if "id" not in header.columns and "name" not in header.columns:
        return ParsedSteps(list(previous), [])
    lines = [
        RowCells(PLAN_TAB, index, row, header, issues)
        for index, row in content_rows(PLAN_TAB, rows, header.row + 1, MAX_STEPS, "steps", issues)
    ]
    return _Identifier(lines, previous, deal_id, issues).steps()


def _report_missing_columns(columns: Mapping[str, int], header_row: int, issues: Issues) -> None:
    for field in STEP_FIELDS:
        if field in columns:
            continue
        if field in ("id", "name") and "id" not in columns and "name" not in columns:
            outcome = "steps cannot be told apart, so the steps are kept as they were"
        elif field == "id":
            outcome = "rows are matched to steps by name, and no ids are written back"
        else:
            outcome = f"{_WORDS[field][1]} are kept as they were"
        issues.add(
            PLAN_TAB,
            "missing_column",
            f"Plan: no {PLAN_COLUMNS[field][0]!r} column in row {header_row + 1}; {outcome}.",
        )


class _Identifier:
    """Gives each row its step id, then reads its cells against that step's previous values.

    A row's id is its Step ID. A row with a blank Step ID is a step the buyer added, unless its
    name is that of a previous step whose Step ID no row carries any more (the buyer cleared the
    cell): then it is that step again. Either way the id is written back. A repeated Step ID is
    reported; its row is not read, unless its name finds a previous step in the same way (the
    buyer pasted another row's Step ID over this one's), whose id is then written back.
    """

    def __init__(
        self, lines: list[RowCells], previous: Sequence[Step], deal_id: str, issues: Issues
    ) -> None:
        self.lines = lines
        self.deal_id = deal_id
        self.issues = issues
        self.previous_steps = list(previous)
        self.previous = {step.get("id"): step for step in previous}
        self.by_name: dict[object, list[str]] = {}
        for step in previous:
            self.by_name.setdefault(step.get("name"), []).append(str(step.get("id")))
        self.typed_ids = [line.text("id", "step ID", None) for line in lines]
        self.names = [
            line.text("name", "step name", self.previous.get(typed_id, {}).get("name"))
            for line, typed_id in zip(lines, self.typed_ids, strict=True)
        ]
        self.taken = {step_id for step_id in self.typed_ids if step_id is not None}
        self.occurrences: Counter[str] = Counter()
        self.first_row: dict[str, int] = {}
        self.writes: list[tuple[str, str]] = []

    def steps(self) -> ParsedSteps:
        """The steps in row order, duplicates and unnamed rows reported and left out."""
        found: list[tuple[RowCells, str, str | None]] = []
        for line, typed_id, name in zip(self.lines, self.typed_ids, self.names, strict=True):
            step_id = self._row_id(line, typed_id, name)
            if step_id is not None:
                self.first_row[step_id] = line.index + 1
                found.append((line, step_id, name))
        if not found and self.previous_steps:
            self.issues.add(
                PLAN_TAB,
                "no_steps",
                "Plan: no row below the header is a step; the steps are kept as they were.",
            )
            return ParsedSteps(self.previous_steps, [])
        steps: list[Step] = []
        for line, step_id, name in self._without_cleared_columns(found):
            steps.append(self._step(line, step_id, name, steps[-1] if steps else None))
        return ParsedSteps(steps, self.writes)

    def _row_id(self, line: RowCells, typed_id: str | None, name: str | None) -> str | None:
        """The id a row is read as, or None (reported) when the row is not read."""
        if typed_id is not None and typed_id not in self.first_row:
            return typed_id
        if typed_id is not None:
            return self._repeated_id(line, typed_id, name)
        if name is None:
            self.issues.add(
                PLAN_TAB,
                "unnamed_step",
                "this row has content but no step name or step ID; it is not read as a step.",
                line.row_address(),
            )
            return None
        step_id = self._id_by_name(name)
        if line.has("id"):
            self.writes.append((line.address("id"), step_id))
        return step_id

    def _repeated_id(self, line: RowCells, typed_id: str, name: str | None) -> str | None:
        """A row whose Step ID an earlier row has: the previous step its name finds, or None."""
        step_id = None if name is None else self._previous_by_name(name)
        if step_id is None:
            outcome = f"row {line.index + 1} is not read"
        else:
            outcome = f"by its name, row {line.index + 1} is step {quoted(step_id)}, as before"
            self.writes.append((line.address("id"), step_id))
        self.issues.add(
            PLAN_TAB,
            "duplicate_step_id",
            f"step ID {quoted(typed_id)} is already used in row {self.first_row[typed_id]}; "
            f"{outcome}.",
            line.address("id"),
        )
        return step_id

    def _new_id(self, name: str) -> str:
        """A generated id for a row the buyer added, never one the sheet already uses."""
        while True:
            self.occurrences[name] += 1
            step_id = new_step_id(self.deal_id, name, self.occurrences[name])
            if step_id not in self.taken:
                self.taken.add(step_id)
                return step_id

    def _id_by_name(self, name: str) -> str:
        """The next previous step of this name that no row carries, else a new id."""
        return self._previous_by_name(name) or self._new_id(name)

    def _previous_by_name(self, name: str) -> str | None:
        """The id of the next previous step of this name whose Step ID no row carries."""
        candidates = self.by_name.get(name, [])
        while candidates:
            step_id = candidates.pop(0)
            if step_id not in self.taken:
                self.taken.add(step_id)
                return step_id
        return None

    def _without_cleared_columns(
        self, found: list[tuple[RowCells, str, str | None]]
    ) -> list[tuple[RowCells, str, str | None]]:
        """The rows, read as if a column were missing where the buyer emptied all of it (see
        `emptied_columns`): what the steps had there is kept, and the column reported."""
        if not found:
            return found
        header = found[0][0].header
        before = [self.previous.get(step_id, {}) for _, step_id, _ in found]
        had = {f: sum(step.get(f) is not None for step in before) for f in _KEPT_WHEN_CLEARED}
        cleared = emptied_columns(header, [line.row for line, _, _ in found], had, len(found))
        for field in cleared:
            self.issues.add(
                PLAN_TAB,
                "cleared_column",
                f"Plan: column {column_letter(header.columns[field])} ({PLAN_COLUMNS[field][0]}) "
                f"is empty on every step; the {_WORDS[field][1]} are kept as they were.",
            )
        if not cleared:
            return found
        kept = header.without(cleared)
        return [
            (RowCells(PLAN_TAB, line.index, line.row, kept, self.issues), step_id, name)
            for line, step_id, name in found
        ]

    def _step(self, line: RowCells, step_id: str, name: str | None, above: Step | None) -> Step:
        """One step's snapshot entry; cells that cannot be taken keep the previous values."""
        before = self.previous.get(step_id, {})
        if name is None:
            name = before.get("name")
            if name is None and line.has("name"):
                self.issues.add(
                    PLAN_TAB,
                    "missing_step_name",
                    f"step {quoted(step_id)} has no name, and none was known before.",
                    line.address("name"),
                )
        # Read in layout order, so that a row's issues come left to right.
        phase = line.text("phase", "phase", before.get("phase"))
        if phase is None and above is not None and above["phase"] == before.get("phase"):
            # Merged Phase cells: Sheets gives the value to the top row only.
            phase = above["phase"]
        side = line.word(
            "owner_side", "owner side", OWNER_SIDE_WORDS, None, before.get("owner_side")
        )
        owner = line.text("owner", "owner", before.get("owner"))
        if owner is not None and _EMAIL_LIKE.fullmatch(owner):
            owner = owner.lower()
        due = line.date("due", "due date", before.get("due"))
        status = line.word(
            "status",
            "status",
            STATUS_WORDS,
            Status.NOT_STARTED,
            before.get("status") or Status.NOT_STARTED.value,
        )
        return {
            "id": step_id,
            "phase": phase,
            "name": name,
            "owner_side": _plain(side),
            "owner": owner,
            "due": due,
            "status": _plain(status),
            "done_on": line.date("done_on", "done-on date", before.get("done_on")),
            "notes": line.text("notes", "notes", before.get("notes")),
            "row": line.index + 1,
        }


def _plain(value: object) -> str | None:
    """An enum member as its plain text value, as snapshots hold it."""
    return None if value is None else str(value)
