"""Protected ranges, enforced on every write by a caller who is not among their editors.

The owner can always edit; warning-only protections never block API writes (they only warn in
the UI). The refusal is Google's 400: "You are trying to edit a protected cell or object. ..."
"""

from __future__ import annotations

from typing import Any

from . import sheetmodel as sm
from .errors import bad_request

PROTECTED_MESSAGE = (
    "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to "
    "remove protection if you need to edit."
)


def _overlaps(a: sm.Bounds, b: sm.Bounds) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def may_edit(protected: dict[str, Any], email: str, owner: str) -> bool:
    if protected.get("warningOnly") or email.lower() == owner.lower():
        return True
    editors = protected.get("editors") or {}
    users = [u.lower() for u in editors.get("users", [])]
    domain = email.rsplit("@", 1)[-1].lower()
    return email.lower() in users or (
        bool(editors.get("domainUsersCanEdit")) and owner.rsplit("@", 1)[-1].lower() == domain
    )


def check_cells(doc: sm.Doc, sheet: sm.Sheet, bounds: sm.Bounds, email: str, owner: str) -> None:
    """Refuse a write to `bounds` that touches a range protected against `email`."""
    if bounds.rows <= 0 or bounds.cols <= 0:
        return
    for protected in sheet.get("protectedRanges", []):
        if may_edit(protected, email, owner):
            continue
        grid_range = protected.get("range") or {}
        if "namedRangeId" in protected:
            named = next(
                (
                    n
                    for n in doc.get("namedRanges", [])
                    if n["namedRangeId"] == protected["namedRangeId"]
                ),
                None,
            )
            grid_range = (named or {}).get("range", grid_range)
        area = sm.grid_range_bounds(sheet, grid_range)
        if not _overlaps(area, bounds):
            continue
        exempt = [sm.grid_range_bounds(sheet, u) for u in protected.get("unprotectedRanges", [])]
        if any(_contains(e, bounds) for e in exempt):
            continue
        raise bad_request(PROTECTED_MESSAGE)


def _contains(outer: sm.Bounds, inner: sm.Bounds) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def check_sheet(sheet: sm.Sheet, email: str, owner: str) -> None:
    """Refuse a structural change (delete, resize, rename) of a sheet protected against `email`."""
    for protected in sheet.get("protectedRanges", []):
        grid_range = protected.get("range") or {}
        whole_sheet = not any(
            k in grid_range
            for k in ("startRowIndex", "endRowIndex", "startColumnIndex", "endColumnIndex")
        )
        if whole_sheet and not may_edit(protected, email, owner):
            raise bad_request(PROTECTED_MESSAGE)


def annotate(resource: dict[str, Any], email: str, owner: str, writer: bool) -> None:
    """Fill the output-only `requestingUserCanEdit` of each ProtectedRange for `email`.

    Google: requestingUserCanEdit is "True if the user who requested this protected range can edit
    the protected area", and `editors` "is only visible to users with edit access to the protected
    range and the document itself", so it is dropped for everyone else. `writer`: whether `email`
    may edit the document at all. A warning-only range counts as editable by the document's
    writers (may_edit); what Google answers there is not documented.
    """
    for sheet in resource.get("sheets", []):
        for protected in sheet.get("protectedRanges", []):
            can_edit = writer and may_edit(protected, email, owner)
            protected["requestingUserCanEdit"] = can_edit
            if not can_edit:
                protected.pop("editors", None)
