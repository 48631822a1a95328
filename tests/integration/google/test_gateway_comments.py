"""The gateway reads a plan's comments and who it is shared with through the stand-in.

https://developers.google.com/drive/api/reference/rest/v3/comments/list (pages of at most 100,
`startModifiedTime` the minimum modifiedTime), .../permissions/list (`displayName`: "User's
full name, as defined for their Google Account").
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from addon.config import Config
from addon.google.gateway import GoogleFactory
from localgoogle.server import Running


def _user(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}@example.com"


def test_comments_come_whole_and_since_a_time_over_pages(local_google: Running, drive: Any) -> None:
    factory = GoogleFactory(Config.from_env({"MAP_LOCAL_GOOGLE_URL": local_google.url}))
    owner, buyer = _user("owner"), _user("buyer")
    gateway = factory.as_user(owner)
    sheet = gateway.create_spreadsheet({"properties": {"title": "Plan"}})["spreadsheetId"]
    gateway.share(sheet, buyer, "commenter")
    comments = drive(buyer).comments()
    first = comments.create(fileId=sheet, body={"content": "first?"}, fields="*").execute()
    for n in range(100):
        comments.create(fileId=sheet, body={"content": f"note {n}"}, fields="id").execute()
    time.sleep(0.01)
    drive(owner).replies().create(
        fileId=sheet, commentId=first["id"], body={"content": "yes"}, fields="id"
    ).execute()
    before = factory.counter.snapshot()

    everything = gateway.list_comments(sheet)
    assert len(everything) == 101 and (factory.counter.snapshot() - before).as_json() == {
        "sheets": 0,
        "drive": 2,  # 100 a page
    }
    replied = everything[0]
    assert replied["author"] == {"displayName": buyer.split("@")[0], "me": False}
    assert [r["content"] for r in replied["replies"]] == ["yes"]
    since = gateway.list_comments(sheet, replied["modifiedTime"])
    assert [c["id"] for c in since] == [first["id"]]
    assert sorted(gateway.shared_with(sheet)) == sorted(
        [(owner.split("@")[0], owner), (buyer.split("@")[0], buyer)]
    )
