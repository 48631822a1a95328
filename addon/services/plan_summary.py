"""The Executive summary of one deal's plan, from the store's deal and the plan's snapshot.

The domain works the lines out (domain/exec_summary.py); this joins it to what only the store
knows: the deal's name and buyer, and the dates both sides committed to, which the buyer cannot
edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ..domain.exec_summary import SummaryFacts, summary_lines
from ..domain.layout_summary import Line
from ..domain.model import Milestone, Template
from ..store import DealRecord

SUMMARY = "summary"  # snapshot key: the summary's lines as last written to the plan


def summary_facts(deal: DealRecord, today: date) -> SummaryFacts:
    return SummaryFacts(
        deal_name=deal.name,
        buyer_company=deal.buyer_company,
        committed={Milestone.SIGNATURE: deal.signature_target, Milestone.GO_LIVE: deal.go_live},
        today=today,
    )


def deal_summary(
    deal: DealRecord,
    snapshot: Mapping[str, Any],
    template: Template | None,
    today: date,
    outlook: Mapping[str, str],
) -> list[Line]:
    """The summary's lines for this deal as its plan stands today."""
    return summary_lines(snapshot, template, summary_facts(deal, today), outlook)


def shown_summary(snapshot: Mapping[str, Any] | None) -> list[Line] | None:
    """The lines a snapshot says the plan shows (None: not known, e.g. an older snapshot)."""
    lines = snapshot.get(SUMMARY) if snapshot else None
    if not isinstance(lines, list):
        return None
    return [(str(line[0]), str(line[1])) for line in lines if isinstance(line, list | tuple)]
