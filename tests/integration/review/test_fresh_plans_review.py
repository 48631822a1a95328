"""Plans just made from every shipped template, as a manager first sees them in the review.

Issue seen before: every fresh plan was flagged "Remaining work cannot fit" (parallel tracks were
summed) with three high risks before the buyer had opened it. Here four plans, one per shipped
template, each with a go-live inside its template's typical length, are created through the
product (the stand-in and the real clients), consolidated, and the manager reads the workbook.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from test_consolidate import _services

from addon.domain.businessdays import add_business_days, is_business_day, next_business_day
from addon.domain.plan_request import build_plan_request
from addon.domain.templates import load_templates
from addon.services.consolidate import Consolidator
from addon.services.context import Services, today
from localgoogle.server import Running


def test_fresh_plans_of_every_shipped_template_carry_no_date_risk_and_project_their_commitment(
    local_google: Running, tmp_path: Path, sheets: Any
) -> None:
    manager = f"morgan-{uuid.uuid4().hex[:8]}@vendor.example"
    services: Services = _services(local_google, tmp_path, manager)
    try:
        day = today()
        plans = [(t, weeks) for t in load_templates() for weeks in t.typical_weeks or ()]
        for number, (template, weeks) in enumerate(plans):
            # The typical length counts from the first business day the work can start: on a
            # Saturday that is Monday (a 5-week plan made on a weekend has one day fewer).
            days_off = frozenset(template.holidays)
            start = day if is_business_day(day, days_off) else next_business_day(day, days_off)
            go_live = add_business_days(start, weeks * 5, days_off)
            request = build_plan_request(
                deal_name=f"Fresh {template.name} {weeks} weeks",
                buyer_company=f"Buyer {number}",
                buyer_emails=(f"pat{number}@buyer{number}.example",),
                go_live=go_live.isoformat(),
                template=template.name,
                owner="sam@vendor.example",
                amount="50000",
                request_key=f"fresh-{uuid.uuid4().hex}",
                today=day,
            )
            services.creator.create(request)
        (review,), _, _ = Consolidator(services).run()
    finally:
        services.close()

    def tab(name: str) -> list[dict[str, str]]:
        rows = (
            sheets(manager)
            .spreadsheets()
            .values()
            .get(spreadsheetId=review.workbook_id, range=name)
            .execute()["values"]
        )
        return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]

    risks = tab("Risks")
    assert not [r for r in risks if r["Risk"] == "Remaining work cannot fit"], risks
    assert not [r for r in risks if r["Severity"] == "high"], risks
    pipeline = tab("Pipeline")
    assert len(pipeline) == len(plans) == 8  # each template at its shortest and longest length
    for row in pipeline:
        assert row["Forecast"] != "Slipping", row
        assert "Projected on the committed" in row["Forecast reason"], row
