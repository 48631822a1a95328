"""Sign-off each side owns: which agreement changes count, and when an agreement goes stale (pure).

The Deal tab has one "Plan agreed by ..." checkbox and one "... agreed on" date per side. The
sheet protects each side's two cells for that side's people and the service account, but the
plan's owner can always edit a protected range, a copy of the sheet has no protection, and an
edit may be credited to "one of" several people. So the watch also checks every change it reads:

- A change of a side's sign-off cells counts only when the change is credited to that side (a
  person whose side the facts give, or "one of" people who are all on it). Any other change is
  refused: it becomes an `agreement_refused` event, the agreement stays as it was, and the watch
  puts the cells back.
- A material change (a milestone date moved, a critical step re-dated or removed, a step added
  among the critical steps: in a phase that has some, due no earlier than the first of them;
  `critical` and `milestone` come from the template) withdraws every agreement given before it:
  an `agreement_stale` event says what changed, the checkboxes are unticked and their dates
  cleared, and the plan is not agreed until both sides tick again. An agreement given in the
  same read as the change stays: the person ticked it with the changed plan in front of them.

A snapshot's Deal facts hold the accepted agreement (what the review reads). Its "agreement"
section holds what the sheet's sign-off cells and status cell showed when last known (`sheet`,
`status`), and the stale state (`stale`), so that the next read compares the sheet with the sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from .activity import describe
from .attribution import Actor
from .event_model import EventKind, PlanEvent, event_id
from .layout_deal import AGREEMENT_STATUS_INITIAL
from .model import Side, Template

SIDES = (Side.BUYER, Side.SELLER)
TICK = {Side.BUYER: "plan_agreed_buyer", Side.SELLER: "plan_agreed_seller"}
ON = {side: key + "_on" for side, key in TICK.items()}
SIGN_OFF_KEYS = (TICK[Side.BUYER], ON[Side.BUYER], TICK[Side.SELLER], ON[Side.SELLER])
SIDE_OF_KEY = {key: side for side in SIDES for key in (TICK[side], ON[side])}
NOT_AGREED = AGREEMENT_STATUS_INITIAL
SUBJECT = "plan_agreed"
MAX_CHANGES = 10  # material changes an agreement_stale event lists


@dataclass(frozen=True)
class Materiality:
    """What in a plan is material to its agreement: the template's critical and milestone
    steps, and where in each phase the critical steps start (their earliest due date)."""

    steps: frozenset[str] = frozenset()
    phases: Mapping[str, str] = field(default_factory=dict)  # phase -> earliest critical due

    @classmethod
    def of(cls, template: Template | None, steps: Sequence[Mapping[str, Any]] = ()) -> Materiality:
        """From the template's flags and the plan's steps as they now stand."""
        if template is None:
            return cls()
        key = {s.id for s in template.steps if s.critical or s.milestone is not None}
        critical = {s.id: s.phase.casefold() for s in template.steps if s.critical}
        phases: dict[str, str] = {}
        for step in steps:
            phase, due = critical.get(str(step.get("id"))), step.get("due")
            if phase and isinstance(due, str) and due:
                phases[phase] = min(phases.get(phase, due), due)
        return cls(frozenset(key), phases)

    def is_material(self, event: PlanEvent) -> bool:
        """A milestone moved, a critical step re-dated or removed, or a step added among the
        critical steps (in a phase that has some, due no earlier than the first of them)."""
        kind = event.kind
        if kind in (EventKind.GO_LIVE_SLIPPED, EventKind.SIGNATURE_SLIPPED):
            return True
        if kind is EventKind.DUE_DATE_MOVED:
            return event.subject in self.steps
        if kind is EventKind.STEP_REMOVED:
            return _field(event.before, "id") in self.steps or event.subject in self.steps
        if kind is EventKind.STEP_ADDED:
            if event.subject in self.steps:
                return True
            phase, due = _field(event.after, "phase"), _field(event.after, "due")
            first = self.phases.get(phase.casefold()) if phase else None
            return first is not None and due is not None and due[:10] >= first[:10]
        return False


@dataclass(frozen=True)
class AgreementState:
    """What a snapshot remembers about the agreement besides the accepted Deal facts."""

    sheet: Mapping[str, Any]  # the sign-off cells as the sheet shows them
    status: str | None  # the status cell as the sheet shows it (None: not known)
    stale: Mapping[str, Any] | None = None  # {"since", "sides", "changes"} until both agree

    @classmethod
    def of(cls, payload: Mapping[str, Any] | None) -> AgreementState:
        """The state a snapshot holds; a snapshot from before this existed: the sheet showed
        its Deal facts and the status the plan was created with."""
        payload = payload or {}
        deal = _mapping(payload.get("deal"))
        saved = payload.get("agreement")
        if not isinstance(saved, Mapping):
            return cls({k: deal.get(k) for k in SIGN_OFF_KEYS}, NOT_AGREED)
        sheet = _mapping(saved.get("sheet"))
        stale = saved.get("stale") if isinstance(saved.get("stale"), Mapping) else None
        status = saved.get("status")
        return cls(
            {k: sheet.get(k, deal.get(k)) for k in SIGN_OFF_KEYS},
            status if isinstance(status, str) else None,
            stale,
        )

    def as_json(self) -> dict[str, Any]:
        return {"sheet": dict(self.sheet), "status": self.status, "stale": self.stale}


@dataclass(frozen=True)
class Outcome:
    """The agreement after one read: events, accepted facts, and what to write into the sheet."""

    events: list[PlanEvent]
    deal: dict[str, Any]  # the Deal facts with the accepted agreement
    state: AgreementState  # as the sheet is now (before any write)
    status: str  # the status cell's text as it should read
    cells: dict[str, Any] = field(default_factory=dict)  # sign-off key -> value to write

    @property
    def status_changed(self) -> bool:
        return self.state.status != self.status

    def written(self) -> AgreementState:
        """The state once the cells and the status are written."""
        return replace(self.state, sheet={**self.state.sheet, **self.cells}, status=self.status)


def sheet_view(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A snapshot as the sheet showed it: its sign-off cells as seen, not as accepted.

    The watch diffs the sheet against this, so that a refused tick left in the sheet is not
    reported (or accepted) again at the next read."""
    state = AgreementState.of(payload)
    deal = payload.get("deal")
    if not isinstance(deal, Mapping):
        return dict(payload)
    return {**payload, "deal": {**deal, **state.sheet}}


def review(
    *,
    previous: Mapping[str, Any],
    current_deal: Mapping[str, Any],
    events: Sequence[PlanEvent],
    materiality: Materiality,
    deal_id: str,
    base_seq: int,
    occurred_at: datetime,
    service_actor: Actor,
) -> Outcome:
    """Check this read's events against the rules above (see the module docstring)."""
    before = _mapping(previous.get("deal"))
    state = AgreementState.of(previous)
    accepted = {key: before.get(key, _blank(key)) for key in SIGN_OFF_KEYS}
    fresh: set[str] = set()
    out: list[PlanEvent] = []
    for event in events:
        side = SIDE_OF_KEY.get(event.subject or "") if _is_sign_off(event) else None
        if side is None:
            out.append(event)
            continue
        if event.actor.side == side:
            keys = [TICK[side], ON[side]] if event.subject == TICK[side] else [event.subject or ""]
            for key in keys:
                accepted[key] = current_deal.get(key, _blank(key))
            if event.kind is EventKind.PLAN_AGREED:
                fresh.add(side)
                if not accepted[ON[side]]:  # no "agreed on" given: the day the tick was seen
                    day = accepted[ON[side]] = occurred_at.date().isoformat()
                    event = replace(event, details={**event.details, "agreed_on": day})
            out.append(event)
        else:
            out.append(_refused(event, side, deal_id, base_seq))
    stale = dict(state.stale) if state.stale else None
    material = [e for e in out if materiality.is_material(e)]
    standing = [s for s in SIDES if accepted[TICK[s]] is True and s not in fresh]
    if material and standing:
        for side in standing:
            accepted[TICK[side]], accepted[ON[side]] = False, None
        since = occurred_at.date().isoformat()
        changes = [describe(e) for e in material][:MAX_CHANGES]
        stale = {"since": since, "sides": standing, "changes": changes}
        out.append(_stale_event(stale, deal_id, base_seq, occurred_at, service_actor))
    if all(accepted[TICK[s]] is True for s in SIDES):
        stale = None
    sheet_now = {key: current_deal.get(key, _blank(key)) for key in SIGN_OFF_KEYS}
    cells = {
        key: accepted[key] for key in SIGN_OFF_KEYS if not _same(accepted[key], sheet_now[key])
    }
    deal = {**current_deal, **accepted}
    return Outcome(
        events=out,
        deal=deal,
        state=AgreementState(sheet_now, state.status, stale),
        status=status_text(accepted, stale),
        cells=cells,
    )


def agreed(deal: Mapping[str, Any]) -> bool:
    """Whether both sides' accepted agreement stands."""
    return all(deal.get(TICK[side]) is True for side in SIDES)


def status_text(accepted: Mapping[str, Any], stale: Mapping[str, Any] | None) -> str:
    """The Deal tab's status cell: who agreed and when, or why the plan is not agreed."""
    ticked = [s for s in SIDES if accepted.get(TICK[s]) is True]
    if len(ticked) == 2:
        on = [f"{s} on {accepted.get(ON[s])}" for s in SIDES if accepted.get(ON[s])]
        return "Agreed by both sides" + (f" ({', '.join(on)})" if on else "")
    text = f"Agreed by the {ticked[0]} only" if ticked else NOT_AGREED
    if stale:
        changes = [str(c) for c in stale.get("changes") or []]
        text = (
            f"Stale since {stale.get('since')}: {'; '.join(changes[:3])}"
            + (f" and {len(changes) - 3} more" if len(changes) > 3 else "")
            + f". Both sides tick again to agree. {text}."
        )
    return text[:2000]


def _is_sign_off(event: PlanEvent) -> bool:
    return event.kind in (
        EventKind.PLAN_AGREED,
        EventKind.PLAN_WITHDRAWN,
        EventKind.DEAL_FACT_CHANGED,
    ) and (event.subject in SIDE_OF_KEY)


def _refused(event: PlanEvent, side: str, deal_id: str, base_seq: int) -> PlanEvent:
    kind = EventKind.AGREEMENT_REFUSED
    return replace(
        event,
        event_id=event_id(deal_id, base_seq, kind, event.subject, event.before, event.after),
        kind=kind,
        details={**event.details, "side": side, "refused": event.kind.value},
    )


def _stale_event(
    stale: Mapping[str, Any],
    deal_id: str,
    base_seq: int,
    occurred_at: datetime,
    actor: Actor,
) -> PlanEvent:
    kind = EventKind.AGREEMENT_STALE
    after = {"sides": list(stale["sides"]), "changes": list(stale["changes"])}
    return PlanEvent(
        event_id=event_id(deal_id, base_seq, kind, SUBJECT, None, after),
        deal_id=deal_id,
        kind=kind,
        occurred_at=occurred_at,
        subject=SUBJECT,
        subject_label="Plan agreement",
        before=None,
        after=None,
        actor=actor,
        details=dict(stale),
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _blank(key: str) -> Any:
    return False if key in TICK.values() else None


def _same(a: Any, b: Any) -> bool:
    """Whether a sign-off cell holds what is wanted (a tick is ticked or not; blank is None)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return (a is True) == (b is True)
    return (a or None) == (b or None)


def _field(value: Any, name: str) -> str | None:
    if isinstance(value, Mapping):
        found = value.get(name)
        return str(found) if found else None
    return None
