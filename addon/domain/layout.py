"""The plan spreadsheet a buyer sees, as ONE `spreadsheets.create` request body (pure).

https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/create: the body is a
Spreadsheet resource. Everything (tabs, values, validation, conditional formats, protections,
developer metadata) goes into it, so creating a plan costs one Sheets request. Create cannot run
batchUpdate requests such as repeatCell, so validation and formats are set cell by cell in
`data[].rowData`; that is why every tab is sized to what it needs.

The names here are the contract the sheet parser and the services rely on; the tab builders live
in `layout_tabs`, `layout_deal` and `layout_timeline`.
"""

from __future__ import annotations

from addon.domain.layout_cells import SERIAL_EPOCH, Json, serial
from addon.domain.layout_deal import (
    BUDGET_STATUSES,
    DEAL_FACTS,
    DEAL_HEADERS,
    DealFact,
    FactKind,
    deal_fact,
    deal_sheet,
)
from addon.domain.layout_summary import SUMMARY_TAB, initial_summary, summary_sheet
from addon.domain.layout_tabs import (
    ACTIVITY_HEADERS,
    ACTIVITY_TAB,
    DEAL_TAB,
    PLAN_EXTRA_ROWS,
    PLAN_HEADERS,
    PLAN_TAB,
    SHEET_IDS,
    STAKEHOLDER_HEADERS,
    STAKEHOLDERS_TAB,
    TABS,
    TIMELINE_TAB,
    activity_sheet,
    in_due_order,
    plan_sheet,
    restore_activity_requests,
    stakeholders_sheet,
)
from addon.domain.layout_timeline import TIMELINE_HEADERS, timeline_sheet, week_starts
from addon.domain.model import PlanDocument
from addon.domain.naming import says_company
from addon.domain.resources import RESOURCES_TAB, resources_sheet

__all__ = [
    "ACTIVITY_HEADERS",
    "ACTIVITY_TAB",
    "BUDGET_STATUSES",
    "DEAL_FACTS",
    "DEAL_HEADERS",
    "DEAL_TAB",
    "DEFAULT_TIME_ZONE",
    "LAYOUT_VERSION",
    "META_DEAL_ID",
    "META_LAYOUT_VERSION",
    "META_TEMPLATE",
    "META_TEMPLATE_VERSION",
    "METADATA_KEYS",
    "PLAN_EXTRA_ROWS",
    "PLAN_HEADERS",
    "PLAN_TAB",
    "SERIAL_EPOCH",
    "SHEET_IDS",
    "STAKEHOLDER_HEADERS",
    "RESOURCES_TAB",
    "STAKEHOLDERS_TAB",
    "SUMMARY_TAB",
    "TABS",
    "TIMELINE_HEADERS",
    "TIMELINE_TAB",
    "DealFact",
    "FactKind",
    "deal_fact",
    "in_due_order",
    "plan_metadata",
    "plan_title",
    "restore_activity_requests",
    "serial",
    "spreadsheet_body",
    "week_starts",
]

LAYOUT_VERSION = 1

META_DEAL_ID = "map.deal_id"
META_TEMPLATE = "map.template"
META_TEMPLATE_VERSION = "map.template_version"
META_LAYOUT_VERSION = "map.layout_version"
METADATA_KEYS = (META_DEAL_ID, META_TEMPLATE, META_TEMPLATE_VERSION, META_LAYOUT_VERSION)

# TODAY() follows the spreadsheet's time zone; Google expects an IANA name.
DEFAULT_TIME_ZONE = "Etc/GMT"


def plan_title(plan: PlanDocument) -> str:
    """The spreadsheet's title: "Mutual action plan - Acme Corp x Acme rollout", or the deal's
    name alone when it names the company ("Mutual action plan - Initech Bank reporting")."""
    if says_company(plan.deal_name, plan.buyer_company):
        return f"Mutual action plan - {' '.join(plan.deal_name.split())}"
    return f"Mutual action plan - {plan.buyer_company} x {plan.deal_name}"


def plan_metadata(plan: PlanDocument) -> dict[str, str]:
    """The spreadsheet-level developer metadata, key to value (all values are strings)."""
    return {
        META_DEAL_ID: plan.deal_id,
        META_TEMPLATE: plan.template.name,
        META_TEMPLATE_VERSION: str(plan.template.version),
        META_LAYOUT_VERSION: str(LAYOUT_VERSION),
    }


def spreadsheet_body(
    plan: PlanDocument,
    *,
    service_account: str,
    owner: str,
    title: str | None = None,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> Json:
    """The `spreadsheets.create` body of a new plan: seven tabs, rules, protections, metadata.

    `owner` is the seller creating the plan (named as owner of the seller's steps) and, with
    `service_account`, the only one who may write the Activity tab.
    """
    return {
        "properties": {
            "title": title or plan_title(plan),
            "locale": "en_US",
            "timeZone": time_zone,
        },
        "sheets": [
            plan_sheet(plan, owner=owner),
            deal_sheet(plan, service_account=service_account, owner=owner),
            stakeholders_sheet(plan),
            timeline_sheet(plan),
            activity_sheet(service_account=service_account, owner=owner),
            summary_sheet(initial_summary(plan), service_account=service_account, owner=owner),
            resources_sheet(service_account=service_account, owner=owner),
        ],
        "developerMetadata": [
            {
                "metadataKey": key,
                "metadataValue": value,
                "location": {"spreadsheet": True},
                "visibility": "DOCUMENT",
            }
            for key, value in plan_metadata(plan).items()
        ],
    }
