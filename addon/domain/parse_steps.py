"""The Plan tab read back into snapshot steps, ids kept stable across buyer edits (pure)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .layout_tabs import PLAN_HEADERS, PLAN_TAB
from .model import Status
from .parse_grid import Issues, RowCells, content_rows, find_header
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
    """Gives each row its step id, then reads its cells against that step's previous values."""

    def __init__(
        self, lines: list[RowCells], previous: Sequence[Step], deal_id: str, issues: Issues
    ) -> None:
        self.lines = lines
        self.deal_id = deal_id
        self.issues = issues
        self.previous = {step.get("id"): step for step in previous}
        self.by_name: dict[object, list[str]] = {}
        for step in previous:
            self.by_name.setdefault(step.get("name"), []).append(str(step.get("id")))
        self.names = [line.text("name", "step name", None) for line in lines]
        self.typed_ids = [line.text("id", "step ID", None) for line in lines]
        self.taken = {step_id for step_id in self.typed_ids if step_id is not None}
        self.occurrences: Counter[str] = Counter()

    def steps(self) -> ParsedSteps:
        """The steps in row order, duplicates and unnamed rows reported and left out."""
        steps: list[Step] = []
        writes: list[tuple[str, str]] = []
        first_row: dict[str, int] = {}
        for line, typed_id, name in zip(self.lines, self.typed_ids, self.names, strict=True):
            if typed_id is not None:
                if typed_id in first_row:
                    self.issues.add(
                        PLAN_TAB,
                        "duplicate_step_id",
                        f"step ID {quoted(typed_id)} is already used in row "
                        f"{first_row[typed_id]}; row {line.index + 1} is not read.",
                        line.address("id"),
                    )
                    continue
                step_id = typed_id
            elif name is None:
                self.issues.add(
                    PLAN_TAB,
                    "unnamed_step",
                    "this row has content but no step name or step ID; it is not read as a step.",
                    line.row_address(),
                )
                continue
            elif line.has("id"):
                step_id = self._new_id(name)
                writes.append((line.address("id"), step_id))
            else:
                step_id = self._id_by_name(name)
            first_row[step_id] = line.index + 1
            steps.append(self._step(line, step_id, name))
        return ParsedSteps(steps, writes)

    def _new_id(self, name: str) -> str:
        """A generated id for a row the buyer added, never one the sheet already uses."""
        while True:
            self.occurrences[name] += 1
            step_id = new_step_id(self.deal_id, name, self.occurrences[name])
            if step_id not in self.taken:
                self.taken.add(step_id)
                return step_id

    def _id_by_name(self, name: str) -> str:
        """With no Step ID column: the next unused previous step of this name, else a new id."""
        candidates = self.by_name.get(name, [])
        while candidates:
            step_id = candidates.pop(0)
            if step_id not in self.taken:
                self.taken.add(step_id)
                return step_id
        return self._new_id(name)

    def _step(self, line: RowCells, step_id: str, name: str | None) -> Step:
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
