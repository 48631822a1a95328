"""The weekly digest each manager gets for their team: where to act this week (pure).

The same deals as the review's This week tab, worked out at the review (consolidate) and kept
with it: the live deals with a high or medium risk, grouped by owner, each with one line of why
and the one question to ask, and a link to the review. Nothing a buyer typed is sent as HTML.
Key: one digest per manager, team and ISO week.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from .reminders import Message, Person, _one_line, _short
from .review_input import ReviewInput
from .risk_model import HIGH, MEDIUM, SEVERITY_RANK, Risk

MAX_DEALS = 15  # deals listed in one digest; the rest are counted, the review has them all


@dataclass(frozen=True)
class NeedsManager:
    """One deal on a manager's list: whose, what, why, what to ask."""

    deal_id: str
    owner: str
    deal: str
    buyer: str
    severity: str
    why: str
    ask: str
    more: int  # further high or medium risks on the deal
    plan_url: str | None = None
    amount: float | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> NeedsManager:
        fields = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in fields})


def needs_manager(data: ReviewInput, risks: Sequence[Risk]) -> list[NeedsManager]:
    """The team's deals that need a manager, worst first within each owner, owners by name."""
    deals = {d.deal_id: d for d in data.deals if (o := data.outcome(d)) is None or not o.closed}
    worst: dict[str, Risk] = {}
    count: dict[str, int] = {}
    for risk in risks:
        if risk.severity not in (HIGH, MEDIUM) or risk.deal_id not in deals:
            continue
        count[risk.deal_id] = count.get(risk.deal_id, 0) + 1
        best = worst.get(risk.deal_id)
        if best is None or SEVERITY_RANK[risk.severity] < SEVERITY_RANK[best.severity]:
            worst[risk.deal_id] = risk
    rows = []
    for deal_id, risk in worst.items():
        deal = deals[deal_id]
        rows.append(
            NeedsManager(
                deal_id=deal_id,
                owner=deal.owner_email,
                deal=deal.name,
                buyer=deal.buyer_company,
                severity=risk.severity,
                why=f"{risk.kind.label}: {risk.evidence}",
                ask=risk.question,
                more=count[deal_id] - 1,
                plan_url=deal.url,
                amount=deal.amount_value,
            )
        )
    rows.sort(key=lambda r: (r.owner, SEVERITY_RANK[r.severity], -(r.amount or 0.0), r.deal))
    return rows


def team_digest_key(manager: Person, team: str, today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"team:{team}:digest:{year}-W{week:02d}:{manager.email.lower()}"


def render_team_digest(
    manager: Person,
    team: str,
    rows: Sequence[NeedsManager],
    *,
    review_url: str | None,
    names: Mapping[str, str],
    stop_url: str,
) -> Message | None:
    """The digest; None when no deal needs the manager (no empty mail)."""
    if not rows:
        return None
    e = html.escape
    hello = f"Hello {manager.display},"
    lead = (
        f"{len(rows)} deal{'s' if len(rows) != 1 else ''} of team {_short(team)} "
        f"need{'s' if len(rows) == 1 else ''} you this week."
    )
    text = [hello, lead]
    body = [f"<p>{e(hello)}</p><p>{e(lead)}</p>"]
    owner: str | None = None
    for row in rows[:MAX_DEALS]:
        if row.owner != owner:
            owner = row.owner
            seller = names.get(owner.lower()) or owner
            text.append(f"{seller}:")
            body.append(f"<h3>{e(seller)}</h3>")
        title = f"{_short(row.deal)} ({_short(row.buyer)}), {row.severity} risk"
        more = f" (and {row.more} more)" if row.more else ""
        lines = [f"- {title}", f"  Why: {_short(row.why)}{more}", f"  Ask: {_short(row.ask)}"]
        text.append("\n".join(lines))
        link = f' <a href="{e(row.plan_url)}">Open the plan</a>' if row.plan_url else ""
        body.append(
            f"<p><b>{e(title)}</b>{link}<br>Why: {e(_short(row.why))}{e(more)}"
            f"<br>Ask: {e(_short(row.ask))}</p>"
        )
    if len(rows) > MAX_DEALS:
        rest = f"And {len(rows) - MAX_DEALS} more in the review."
        text.append(rest)
        body.append(f"<p>{e(rest)}</p>")
    if review_url:
        text.append(f"The review: {review_url}")
        body.append(f'<p><a href="{e(review_url)}">Open the pipeline review</a></p>')
    text.append(f"Stop these messages: {stop_url}")
    body.append(
        f'<p style="color:#777;font-size:small"><a href="{e(stop_url)}">Stop these messages</a></p>'
    )
    return Message(
        subject=_one_line(f"This week in team {_short(team)}: {len(rows)} deals need you"),
        text="\n\n".join(text),
        html="".join(body),
    )
