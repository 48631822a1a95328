"""Cards for a deal's outcome (domain/outcome.py): the plan card's Outcome section and forms,
the confirmation before a lost deal's plan is unshared, and a deal's status on the plan list."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from ..domain.outcome import LOSS_REASONS, DealOutcome, Outcome
from ..store import DealRecord
from . import cards
from .addon_events import url

WON, LOST, HOLD, REOPEN, END_SHARING = "won", "lost", "hold", "reopen", "end-sharing"
NOT_GIVEN = ("Not given", "")  # the reason dropdown's first item: the domain counts it as Other


@dataclass(frozen=True)
class OutcomePanel:
    """What the Outcome section shows: the stored outcome, and after a move, what came of it."""

    outcome: DealOutcome | None  # None: open
    refused: str | None = None  # the move refused (WON, LOST, ...), its message beside its form
    message: str | None = None
    warning: str | None = None  # the move is stored but the plan sheet does not show it
    values: Mapping[str, str] = field(default_factory=dict)  # what was typed, kept on refusal

    @property
    def state(self) -> Outcome:
        return self.outcome.outcome if self.outcome is not None else Outcome.OPEN


def sentence(message: str) -> str:
    """A one-line message as the card shows it: capitalised."""
    return message[:1].upper() + message[1:]


def outcome_sections(
    deal: DealRecord, panel: OutcomePanel, *, read_only: bool = False
) -> tuple[cards.Json, list[cards.Json]]:
    """(the Outcome line with its buttons, the Mark lost and Put on hold forms if they apply);
    `read_only`: the line alone, for a teammate or manager who is not the owner."""
    ident = {"deal_id": deal.deal_id}
    live = panel.state in (Outcome.OPEN, Outcome.ON_HOLD) and not read_only
    forms = [_lost_form(ident, panel), _hold_form(ident, panel)] if live else []
    outcome = panel.outcome
    head = [
        cards.fact(
            "Deal status",
            outcome.describe() if outcome is not None else "Open",
            f"set by {outcome.by}" if outcome is not None else None,
        )
    ]
    if panel.warning:
        head.append(cards.warning(sentence(panel.warning)))
    if panel.message and not (live and panel.refused in (LOST, HOLD)):  # no form to show it by
        head.append(cards.warning(sentence(panel.message)))
    moves = []
    if read_only:
        return cards.section(head, header="Outcome"), []
    if live:
        moves.append(cards.action_button("Mark won", url("/addon/deal/won"), ident))
    if panel.state is not Outcome.OPEN:
        moves.append(cards.action_button("Reopen", url("/addon/deal/reopen"), ident))
    if panel.state is Outcome.LOST:
        moves.append(
            cards.action_button("End sharing with buyers", url("/addon/deal/end-sharing"), ident)
        )
    head.append(cards.buttons(*moves))
    return cards.section(head, header="Outcome"), forms


def _refusal(panel: OutcomePanel, move: str) -> list[cards.Json]:
    if panel.refused == move and panel.message:
        return [cards.warning(sentence(panel.message))]
    return []


def _lost_form(ident: dict[str, str], panel: OutcomePanel) -> cards.Json:
    typed = panel.values if panel.refused == LOST else {}
    reasons = [NOT_GIVEN, *((reason, reason) for reason in LOSS_REASONS)]
    widgets = [
        *_refusal(panel, LOST),
        cards.dropdown("loss_reason", "Reason", reasons, typed.get("loss_reason", "")),
        cards.text_input("loss_words", "In your words", typed.get("loss_words", "")),
        cards.text_input(
            "competitor", "Lost to", typed.get("competitor", ""), hint="The competitor, if any"
        ),
        cards.buttons(cards.action_button("Mark lost", url("/addon/deal/lost"), ident)),
    ]
    return cards.section(widgets, header="Mark lost", collapsed=panel.refused != LOST)


def _hold_form(ident: dict[str, str], panel: OutcomePanel) -> cards.Json:
    typed = panel.values.get("revisit_on", "") if panel.refused == HOLD else ""
    try:
        shown = date.fromisoformat(typed) if typed else None
    except ValueError:
        shown = None
    if shown is None and panel.outcome is not None:
        shown = panel.outcome.revisit_on
    on_hold = panel.state is Outcome.ON_HOLD
    widgets = [
        *_refusal(panel, HOLD),
        cards.date_input("revisit_on", "Revisit on", shown),
        cards.buttons(
            cards.action_button(
                "Change the revisit date" if on_hold else "Put on hold",
                url("/addon/deal/hold"),
                ident,
            )
        ),
    ]
    header = "Revisit date" if on_hold else "Put on hold"
    return cards.section(widgets, header=header, collapsed=panel.refused != HOLD)


def end_sharing_card(deal: DealRecord, buyers: list[str]) -> cards.Json:
    """Asked before a lost deal's plan is unshared from its buyers."""
    ident = {"deal_id": deal.deal_id}
    what = (
        f"{', '.join(buyers)} will no longer be able to open this plan. It stays in your Drive."
        if buyers
        else "No buyer can open this plan now."
    )
    widgets = [
        cards.text(what),
        cards.buttons(
            cards.action_button(
                "End sharing", url("/addon/deal/end-sharing"), {**ident, "confirmed": "yes"}
            ),
            cards.action_button(
                "Keep sharing", url("/addon/deal/end-sharing"), {**ident, "confirmed": "no"}
            ),
        ),
    ]
    return cards.card("End sharing with buyers?", [cards.section(widgets)], subtitle=deal.name)


def status_of(outcome: DealOutcome | None, today: date) -> str:
    """A deal's status on the seller's plan list."""
    if outcome is None or outcome.outcome is Outcome.OPEN:
        return "Open"
    if outcome.outcome is Outcome.ON_HOLD:
        revisit = outcome.revisit_on
        if revisit is None:
            return "On hold"
        if revisit <= today:
            return f"On hold, due for a look since {revisit.isoformat()}"
        return f"On hold until {revisit.isoformat()}"
    return f"{outcome.outcome.label} on {outcome.on.isoformat()}"
