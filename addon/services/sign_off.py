"""Keep each side's sign-off protected for that side's people as the seller adds them.

The Deal tab's "Plan agreed by <side>" tick and date are a protected range whose editors are the
side's people and the service account (`domain.layout_deal`). When the seller adds a contact
through the add-on, the contact joins their side's range: one `spreadsheets.get` to find the
range, one `batchUpdate` (updateProtectedRange) to add them, as the seller who owns the plan.
https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets/request#updateprotectedrangerequest
"""

from __future__ import annotations

from ..domain.layout_deal import SIGN_OFF_PROTECTION
from ..domain.model import Side
from ..google.gateway import GoogleGateway


def add_sign_off_editor(
    gateway: GoogleGateway, spreadsheet_id: str, side: Side, email: str
) -> bool:
    """Let `email` sign off for `side`; False when the plan has no such protected range (a plan
    made before sign-off was protected) or they may already."""
    description = SIGN_OFF_PROTECTION.format(side=side.value)
    for protected in gateway.protected_ranges(spreadsheet_id):
        if protected.get("description") != description:
            continue
        users = [str(u).lower() for u in (protected.get("editors") or {}).get("users", [])]
        if email.lower() in users:
            return False
        editors = {**(protected.get("editors") or {}), "users": [*users, email.lower()]}
        request = {
            "updateProtectedRange": {
                "protectedRange": {
                    "protectedRangeId": protected["protectedRangeId"],
                    "editors": editors,
                },
                "fields": "editors",
            }
        }
        gateway.batch_update(spreadsheet_id, [request])
        return True
    return False
