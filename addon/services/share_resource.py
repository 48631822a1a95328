"""Share a resource with the buyer: one row of the plan's Resources tab (the seller's action).

The seller names it, says what kind it is and gives its https address in the sidebar; the row is
written by the service account (the tab is protected: only the add-on and the owner write it),
in one batchUpdate, with the day it was shared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from ..domain.resources import InvalidResource, Resource, resource
from ..google.gateway import GoogleFactory
from ..store import DealRecord
from .plan_writes import PlanWrites, write_back


class NotTheOwner(PermissionError):
    """Only the deal's owner shares resources on its plan."""


@dataclass
class ResourceSharing:
    google: GoogleFactory
    service_account: str
    today: Callable[[], date] = field(default=lambda: datetime.now(UTC).date())

    def share(
        self, deal: DealRecord, *, by: str, title: str, kind: str, url: str, note: str = ""
    ) -> Resource:
        """Check the form (InvalidResource names the field), then add the row."""
        if deal.owner_email.lower() != by.strip().lower():
            raise NotTheOwner(f"only the deal's owner ({deal.owner_email}) shares resources")
        if deal.spreadsheet_id is None:
            raise InvalidResource("title", "The plan's sheet does not exist yet.")
        shared = resource(title, kind, url, note, self.today())
        write_back(
            self.google.as_service(),
            deal.spreadsheet_id,
            PlanWrites(events=(), step_ids=(), resources=[shared]),
            service_account=self.service_account,
            owner=deal.owner_email,
        )
        return shared
