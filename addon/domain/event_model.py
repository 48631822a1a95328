"""A change found in a plan, as a value: its kind, its fields, its stable id (pure)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from addon.domain.attribution import Actor


class EventKind(StrEnum):
    """What kind of change an event records."""

    STEP_STATUS_CHANGED = "step_status_changed"
    STEP_DONE = "step_done"
    STEP_REOPENED = "step_reopened"
    DUE_DATE_MOVED = "due_date_moved"
    GO_LIVE_SLIPPED = "go_live_slipped"
    SIGNATURE_SLIPPED = "signature_slipped"
    OWNER_CHANGED = "owner_changed"
    OWNER_SIDE_CHANGED = "owner_side_changed"
    STEP_ADDED = "step_added"
    STEP_REMOVED = "step_removed"
    STEP_RENAMED = "step_renamed"
    STAKEHOLDER_ADDED = "stakeholder_added"
    STAKEHOLDER_REMOVED = "stakeholder_removed"
    STAKEHOLDER_ROLE_CHANGED = "stakeholder_role_changed"
    DEAL_FACT_CHANGED = "deal_fact_changed"
    PLAN_AGREED = "plan_agreed"
    PLAN_WITHDRAWN = "plan_withdrawn"
    ACCESS_LOST = "access_lost"  # the add-on cannot read or write the plan any more
    ACCESS_RESTORED = "access_restored"  # ... and now it can again
    MASS_CHANGE = "mass_change"  # many rows added or removed in one read, as one event
    AGREEMENT_REFUSED = "agreement_refused"  # a sign-off cell changed by someone not of its side
    AGREEMENT_STALE = "agreement_stale"  # a material change after a side agreed: agree again
    OUTCOME_SET = "outcome_set"  # the seller marked the deal won, lost or on hold
    DEAL_REOPENED = "deal_reopened"  # ... and opened it again
    COMMENT_ADDED = "comment_added"  # someone commented on the plan (Drive comments)
    COMMENT_REPLIED = "comment_replied"  # ... or replied to a comment, resolved or reopened it


@dataclass(frozen=True)
class PlanEvent:
    """One change found between two snapshots of a plan; before/after/details are JSON."""

    event_id: str
    deal_id: str
    kind: EventKind
    occurred_at: datetime  # tz-aware UTC
    subject: str | None  # step id, deal fact key, or stakeholder email (name when none)
    subject_label: str  # step name / fact label / person name-or-email, for people to read
    before: Any
    after: Any
    actor: Actor
    details: dict[str, Any] = field(default_factory=dict)


def event_id(
    deal_id: str,
    base_seq: int,
    kind: str,
    subject: str | None,
    before: Any,
    after: Any,
) -> str:
    """The event's stable id: "e_" and 20 hex digits of the sha256 of its canonical JSON."""
    key: dict[str, Any] = {
        "deal_id": deal_id,
        "base_seq": base_seq,
        "kind": str(kind),
        "subject": subject,
        "before": before,
        "after": after,
    }
    canonical = json.dumps(
        key, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return "e_" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]
