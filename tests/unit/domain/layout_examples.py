"""A plan built by hand and readers of a create body, shared by the layout tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from addon.domain.layout import (
    PLAN_HEADERS,
    spreadsheet_body,
)
from addon.domain.model import (
    Milestone,
    PlanDocument,
    Role,
    Schedule,
    ScheduledStep,
    Side,
    Stakeholder,
    StepSpec,
    Template,
)

SERVICE_ACCOUNT = "map-watcher@vendor-project.iam.gserviceaccount.com"
OWNER = "sam@vendor.test"
AMOUNT = 987654.32
GO_LIVE = date(2026, 3, 2)  # a Monday

STEPS = (
    (StepSpec("kickoff", "Evaluate", "Kick-off call", Side.BOTH, 1), date(2026, 1, 7)),
    (
        StepSpec(
            "security",
            "Evaluate",
            "Security review",
            Side.BUYER,
            10,
            roles=(Role.SECURITY,),
            description="Questionnaire and pen-test report",
        ),
        date(2026, 1, 21),
    ),
    (StepSpec("order-form", "Contract", "Send order form", Side.SELLER, 2), date(2026, 1, 26)),
    (
        StepSpec("signature", "Contract", "Signature", Side.BOTH, 0, milestone=Milestone.SIGNATURE),
        date(2026, 2, 2),
    ),
    (
        StepSpec("go-live", "Launch", "Go-live", Side.BOTH, 0, milestone=Milestone.GO_LIVE),
        GO_LIVE,
    ),
)


def make_plan(steps: Any = STEPS, go_live: date = GO_LIVE) -> PlanDocument:
    """A plan built by hand: start dates a week before each due date (a milestone: the due)."""
    specs = tuple(spec for spec, _ in steps)
    template = Template("enterprise-saas", "Enterprise SaaS", 3, "A test template", specs)
    scheduled = tuple(
        ScheduledStep(spec, due - timedelta(days=7) if spec.duration_days else due, due)
        for spec, due in steps
    )
    return PlanDocument(
        deal_id="deal-42",
        deal_name="Acme rollout",
        buyer_company="Acme Corp",
        template=template,
        schedule=Schedule(go_live, scheduled),
        stakeholders=(
            Stakeholder(
                "Ann Buyer", "ann@acme.test", Side.BUYER, Role.CHAMPION, "Runs the evaluation"
            ),
            Stakeholder("Sam Seller", OWNER, Side.SELLER, Role.ACCOUNT_EXECUTIVE),
            Stakeholder("Ida Unknown", "ida@acme.test", Side.BUYER),
        ),
    )


def serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


def example_body() -> dict[str, Any]:
    """The create body of the example plan."""
    return spreadsheet_body(make_plan(), service_account=SERVICE_ACCOUNT, owner=OWNER)


def tab(body: dict[str, Any], title: str) -> dict[str, Any]:
    return next(s for s in body["sheets"] if s["properties"]["title"] == title)


def rows(body: dict[str, Any], title: str) -> list[list[dict[str, Any]]]:
    (data,) = tab(body, title)["data"]
    return [row.get("values", []) for row in data["rowData"]]


def value(cell: dict[str, Any]) -> Any:
    """The one value a cell's userEnteredValue holds, or None."""
    entered = cell.get("userEnteredValue") or {}
    return next(iter(entered.values()), None)


def validation_list(cell: dict[str, Any]) -> list[str]:
    rule = cell["dataValidation"]
    assert rule["condition"]["type"] == "ONE_OF_LIST"
    assert rule["strict"] is True and rule["showCustomUi"] is True
    return [v["userEnteredValue"] for v in rule["condition"]["values"]]


def column(name: str) -> int:
    return PLAN_HEADERS.index(name)
