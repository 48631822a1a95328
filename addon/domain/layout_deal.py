"""The Deal tab: key/value facts about the deal, most of them the buyer's to give (pure).

Column A holds each fact's label, the stable key the backend parses; `DealFact.row` says where
the fact starts out. Seller-internal facts (amount, forecast, private notes) never appear here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from addon.domain.layout_cells import (
    TEXT_GREY,
    Json,
    checkbox_rule,
    color,
    date_cell,
    date_rule,
    dropdown,
    grid_range,
    header_row,
    text_cell,
    widths,
)
from addon.domain.layout_tabs import DEAL_TAB, SHEET_IDS
from addon.domain.model import Milestone, PlanDocument, Side

DEAL_HEADERS = ("Fact", "Value", "Whose to give", "Notes")
DEAL_WIDTHS = (200, 260, 110, 420)
BUDGET_STATUSES = ("Unknown", "Not budgeted", "Budget identified", "Budget approved")
FACT_LABEL_WARNING = "Fact names are how the plan is read back; leave them as they are"
# Each side's sign-off (its "Plan agreed by" tick and "agreed on" date) is that side's alone.
SIGN_OFF_PROTECTION = "Only the {side}'s people (and the MAP add-on) can sign off for the {side}"
# The row the add-on writes to say whether the agreement stands; not a fact, not parsed.
AGREEMENT_STATUS_LABEL = "Agreement status"
AGREEMENT_STATUS_INITIAL = "Not agreed yet by either side"
AGREEMENT_STATUS_PROTECTION = "Written by the MAP add-on from both sides' sign-off"
# The row below it: the deal's outcome as the seller set it (domain/outcome.py); not parsed.
# Below it, the dates the plan leads to, one line per milestone (domain/plan_status.py).
SIGNING_LABEL = "Signing outlook"
GO_LIVE_LABEL = "Go-live outlook"
OUTLOOK_PROTECTION = "Written by the MAP add-on: the dates the plan now leads to"
DEAL_STATUS_LABEL = "Deal status"
DEAL_STATUS_INITIAL = "Open"
DEAL_STATUS_PROTECTION = (
    "Written by the MAP add-on when the seller marks the deal won, lost or on hold"
)


class FactKind(StrEnum):
    """What a fact's value cell holds."""

    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    CHECKBOX = "checkbox"


@dataclass(frozen=True)
class DealFact:
    """One row of the Deal tab: its label (the parse key), whose it is to give, its kind."""

    key: str
    label: str
    owner_side: Side
    kind: FactKind
    choices: tuple[str, ...] = ()
    hint: str = ""
    row: int = 0  # 1-based sheet row, as in "Deal!B<row>"

    @property
    def value_cell(self) -> str:
        """The A1 reference of the fact's value: "Deal!B2"."""
        return f"{DEAL_TAB}!B{self.row}"


def _numbered(*facts: DealFact) -> tuple[DealFact, ...]:
    """The facts with their rows, one per row below the header."""
    return tuple(dataclasses.replace(fact, row=index + 2) for index, fact in enumerate(facts))


_B, _S, _BOTH = Side.BUYER, Side.SELLER, Side.BOTH
DEAL_FACTS: tuple[DealFact, ...] = _numbered(
    DealFact("goal", "Goal", _B, FactKind.TEXT, hint="What you want to achieve, in your words"),
    DealFact(
        "success_criteria",
        "Success criteria",
        _B,
        FactKind.TEXT,
        hint="How you will know it worked",
    ),
    DealFact(
        "go_live", "Go-live date", _BOTH, FactKind.DATE, hint="The date the plan works back from"
    ),
    DealFact(
        "signature_target",
        "Signature target",
        _BOTH,
        FactKind.DATE,
        hint="When both sides aim to sign",
    ),
    DealFact(
        "budget_status",
        "Budget status",
        _B,
        FactKind.CHOICE,
        choices=BUDGET_STATUSES,
        hint="Where the money for this stands",
    ),
    DealFact(
        "decision_process",
        "Decision process",
        _B,
        FactKind.TEXT,
        hint="Who decides, in which steps, by when",
    ),
    DealFact(
        "alternatives",
        "Alternatives considered",
        _B,
        FactKind.TEXT,
        hint="Other options you are weighing, doing nothing included",
    ),
    DealFact(
        "plan_agreed_buyer",
        "Plan agreed by buyer",
        _B,
        FactKind.CHECKBOX,
        hint="Tick when your side agrees to this plan",
    ),
    DealFact(
        "plan_agreed_buyer_on", "Buyer agreed on", _B, FactKind.DATE, hint="The day you ticked"
    ),
    DealFact(
        "plan_agreed_seller",
        "Plan agreed by seller",
        _S,
        FactKind.CHECKBOX,
        hint="Ticked when our side agrees to this plan",
    ),
    DealFact(
        "plan_agreed_seller_on", "Seller agreed on", _S, FactKind.DATE, hint="The day we ticked"
    ),
)


def deal_fact(key: str) -> DealFact:
    """The fact with this key."""
    for fact in DEAL_FACTS:
        if fact.key == key:
            return fact
    raise KeyError(key)


def prefilled_dates(plan: PlanDocument) -> dict[str, date | None]:
    """The dates the schedule gives the Deal tab to start with: the milestone rows' dates.

    The rows are the one source of truth (domain/milestones.py); a go-live requested on a
    weekend or holiday is the business day before it on the go-live row, so on the Deal tab too.
    """
    go_live = next(
        (s.due for s in plan.schedule.steps if s.spec.milestone is Milestone.GO_LIVE),
        plan.schedule.go_live,
    )
    return {"go_live": go_live, "signature_target": plan.schedule.signature_date}


def agreement_status_row() -> int:
    """The 1-based row of the Agreement status line: right below the facts."""
    return DEAL_FACTS[-1].row + 1


def long_day(day: date, year: bool = True) -> str:
    """A date as people write it in mail and plans: "Wednesday 3 February 2027"."""
    return f"{day:%A} {day.day} {day:%B}" + (f" {day.year}" if year else "")


def on_plan(what: str, committed: date | None) -> str:
    """A milestone's outlook line while nothing moved (also what a new plan shows)."""
    if committed is None:
        return f"{what}: no date in the plan yet."
    return f"{what}: on plan for {long_day(committed)}."


def initial_outlook(plan: PlanDocument) -> dict[str, str]:
    """The outlook lines a new plan shows: as creation worked them out, else "on plan"."""
    if plan.outlook is not None:
        return dict(plan.outlook)
    prefilled = prefilled_dates(plan)
    return {
        SIGNING_LABEL: on_plan("Signing", prefilled.get("signature_target")),
        GO_LIVE_LABEL: on_plan("Go-live", prefilled.get("go_live")),
    }


def outlook_rows() -> tuple[int, int]:
    """The 1-based rows of the Signing and Go-live outlook lines, below the Deal status line."""
    return deal_status_row() + 1, deal_status_row() + 2


def deal_status_row() -> int:
    """The 1-based row of the Deal status line: right below the Agreement status line."""
    return agreement_status_row() + 1


def sign_off_rows(side: Side) -> tuple[int, int]:
    """The first and last 1-based rows of a side's sign-off (its tick and its date)."""
    key = f"plan_agreed_{side.value}"
    return deal_fact(key).row, deal_fact(key + "_on").row


def sign_off_editors(
    plan: PlanDocument, side: Side, *, service_account: str, owner: str
) -> list[str]:
    """Who may change a side's sign-off cells: that side's people the seller put on the plan
    and the service account (the owner of a spreadsheet can edit any protected range)."""
    people = [p.email for p in plan.stakeholders if p.side is side and p.email]
    if side is Side.SELLER:
        people.insert(0, owner)
    return list(dict.fromkeys(e.lower() for e in [service_account, *people]))


def sign_off_protection(side: Side, editors: list[str], sheet_id: int) -> Json:
    """The protected range of a side's sign-off cells (column B), for `editors` only."""
    first, last = sign_off_rows(side)
    return {
        "range": grid_range(sheet_id, first - 1, last, 1, 2),
        "description": SIGN_OFF_PROTECTION.format(side=side.value),
        "warningOnly": False,
        "editors": {"users": editors},
    }


def deal_sheet(
    plan: PlanDocument, *, service_account: str | None = None, owner: str | None = None
) -> Json:
    """The Deal tab: header, one row per fact with the value cell its kind needs, the
    Agreement status line; each side's sign-off protected for that side (when the service
    account and owner are given)."""
    sheet_id = SHEET_IDS[DEAL_TAB]
    prefilled = prefilled_dates(plan)
    row_data = [header_row(DEAL_HEADERS)]
    for fact in DEAL_FACTS:
        row_data.append(_deal_fact_row(fact, prefilled.get(fact.key)))
    for label, initial, note in (
        (AGREEMENT_STATUS_LABEL, AGREEMENT_STATUS_INITIAL, AGREEMENT_STATUS_PROTECTION),
        (DEAL_STATUS_LABEL, DEAL_STATUS_INITIAL, DEAL_STATUS_PROTECTION),
        (SIGNING_LABEL, initial_outlook(plan)[SIGNING_LABEL], OUTLOOK_PROTECTION),
        (GO_LIVE_LABEL, initial_outlook(plan)[GO_LIVE_LABEL], OUTLOOK_PROTECTION),
    ):
        row_data.append(_add_on_line(label, initial, note))
    protected = [
        {
            "range": grid_range(sheet_id, 1, len(row_data), 0, 1),
            "description": FACT_LABEL_WARNING,
            "warningOnly": True,
        }
    ]
    if service_account and owner:
        for side in (Side.BUYER, Side.SELLER):
            editors = sign_off_editors(plan, side, service_account=service_account, owner=owner)
            protected.append(sign_off_protection(side, editors, sheet_id))
        protected += _add_on_line_protections(sheet_id, service_account)
    return {
        "properties": {
            "sheetId": sheet_id,
            "title": DEAL_TAB,
            "index": sheet_id,
            "gridProperties": {
                "rowCount": len(row_data),
                "columnCount": len(DEAL_HEADERS),
                "frozenRowCount": 1,
            },
        },
        "data": [{"rowData": row_data, "columnMetadata": widths(DEAL_WIDTHS)}],
        "protectedRanges": protected,
    }


def _deal_fact_row(fact: DealFact, prefilled: date | None) -> Json:
    """A fact's row: bold label, the value cell its kind needs, whose to give it, a grey hint."""
    return {
        "values": [
            text_cell(fact.label, userEnteredFormat={"textFormat": {"bold": True}}),
            _value_cell(fact, prefilled),
            text_cell(fact.owner_side.label),
            text_cell(
                fact.hint,
                userEnteredFormat={
                    "textFormat": {"italic": True, "foregroundColorStyle": color(TEXT_GREY)}
                },
            ),
        ]
    }


def _add_on_line_protections(sheet_id: int, service_account: str) -> list[Json]:
    """The value cells of the lines only the add-on writes (agreement status, deal status,
    the signing and go-live outlooks), protected for the service account alone."""
    protected: list[Json] = []
    for row, description in (
        (agreement_status_row(), AGREEMENT_STATUS_PROTECTION),
        (deal_status_row(), DEAL_STATUS_PROTECTION),
        *((row, OUTLOOK_PROTECTION) for row in outlook_rows()),
    ):
        protected.append(
            {
                "range": grid_range(sheet_id, row - 1, row, 1, 2),
                "description": description,
                "warningOnly": False,
                "editors": {"users": [service_account.lower()]},
            }
        )
    return protected


def _add_on_line(label: str, initial: str, note: str) -> Json:
    """A line only the add-on writes: bold label, its value, "MAP add-on", a grey note."""
    grey = {"textFormat": {"italic": True, "foregroundColorStyle": color(TEXT_GREY)}}
    return {
        "values": [
            text_cell(label, userEnteredFormat={"textFormat": {"bold": True}}),
            text_cell(initial),
            text_cell("MAP add-on"),
            text_cell(note, userEnteredFormat=grey),
        ]
    }


def _value_cell(fact: DealFact, prefilled: date | None) -> Json:
    """Column B of a fact: empty text, a date, a dropdown or an unticked checkbox."""
    if fact.kind is FactKind.DATE:
        return date_cell(prefilled, dataValidation=date_rule())
    if fact.kind is FactKind.CHOICE:
        return {"dataValidation": dropdown(fact.choices)}
    if fact.kind is FactKind.CHECKBOX:
        return {"userEnteredValue": {"boolValue": False}, "dataValidation": checkbox_rule()}
    return {}
