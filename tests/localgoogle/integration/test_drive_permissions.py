"""Drive v3 permissions: sharing rules, ownership transfer, and gspread's sharing helpers."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from googleapiclient.errors import HttpError

SHEET = "application/vnd.google-apps.spreadsheet"


def email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}@acme.test"


def new_sheet(drive: Any, owner: str) -> str:
    body = {"name": "Plan", "mimeType": SHEET}
    return str(drive(owner).files().create(body=body).execute()["id"])


def share(drive: Any, actor: str, file_id: str, who: str, role: str, **kw: Any) -> dict[str, Any]:
    body = {"type": "user", "role": role, "emailAddress": who}
    return drive(actor).permissions().create(fileId=file_id, body=body, **kw).execute()


def failure(exc: pytest.ExceptionInfo[HttpError]) -> tuple[int, str, str]:
    body = json.loads(exc.value.content)["error"]
    return exc.value.resp.status, body["errors"][0]["reason"], body["message"]


def test_create_returns_default_permission_shape(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    created = share(drive, ann, file_id, bob, "writer", sendNotificationEmail=False)
    assert created == {
        "kind": "drive#permission",
        "id": created["id"],
        "type": "user",
        "role": "writer",
    }
    full = (
        drive(ann)
        .permissions()
        .get(fileId=file_id, permissionId=created["id"], fields="*")
        .execute()
    )
    assert full["emailAddress"] == bob and full["role"] == "writer"
    assert full["displayName"] == bob.split("@")[0] and full["deleted"] is False


def test_shared_user_can_open_the_spreadsheet(drive: Any, sheets: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    with pytest.raises(HttpError):
        sheets(bob).spreadsheets().get(spreadsheetId=file_id).execute()
    share(drive, ann, file_id, bob, "reader", emailMessage="Here is our plan")
    assert (
        sheets(bob).spreadsheets().get(spreadsheetId=file_id).execute()["spreadsheetId"] == file_id
    )


def test_reader_cannot_share(drive: Any) -> None:
    ann, bob, cid = email("ann"), email("bob"), email("cid")
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, bob, "reader")
    with pytest.raises(HttpError) as exc:
        share(drive, bob, file_id, cid, "reader")
    assert failure(exc) == (
        403,
        "insufficientFilePermissions",
        "The user does not have sufficient permissions for this file.",
    )


def test_commenter_cannot_share_but_writer_can(drive: Any) -> None:
    ann, bob, cid, dan = email("ann"), email("bob"), email("cid"), email("dan")
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, bob, "commenter")
    share(drive, ann, file_id, cid, "writer")
    with pytest.raises(HttpError) as exc:
        share(drive, bob, file_id, dan, "reader")
    assert failure(exc)[:2] == (403, "insufficientFilePermissions")
    assert share(drive, cid, file_id, dan, "reader")["role"] == "reader"


def test_writer_cannot_share_when_writers_can_share_is_off(drive: Any) -> None:
    ann, bob, cid = email("ann"), email("bob"), email("cid")
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, bob, "writer")
    drive(ann).files().update(fileId=file_id, body={"writersCanShare": False}).execute()
    with pytest.raises(HttpError) as exc:
        share(drive, bob, file_id, cid, "reader")
    assert failure(exc)[:2] == (403, "insufficientFilePermissions")
    got = (
        drive(bob)
        .files()
        .get(fileId=file_id, fields="capabilities(canShare),permissions")
        .execute()
    )
    assert got == {"capabilities": {"canShare": False}}


def test_writers_see_permissions_on_files_get_readers_do_not(drive: Any) -> None:
    ann, bob, cid = email("ann"), email("bob"), email("cid")
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, bob, "writer")
    share(drive, ann, file_id, cid, "reader")
    as_writer = (
        drive(bob).files().get(fileId=file_id, fields="permissions(emailAddress,role)").execute()
    )
    assert sorted(p["role"] for p in as_writer["permissions"]) == ["owner", "reader", "writer"]
    assert drive(cid).files().get(fileId=file_id, fields="permissions").execute() == {}
    with pytest.raises(HttpError) as exc:
        drive(cid).permissions().list(fileId=file_id).execute()
    assert failure(exc)[:2] == (403, "insufficientFilePermissions")


def test_sharing_twice_updates_the_role(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    first = share(drive, ann, file_id, bob, "reader")
    second = share(drive, ann, file_id, bob, "writer")
    assert first["id"] == second["id"]
    listed = drive(ann).permissions().list(fileId=file_id, fields="permissions(id,role)").execute()
    assert sorted(p["role"] for p in listed["permissions"]) == ["owner", "writer"]


def test_list_permissions_default_fields_and_pages(drive: Any) -> None:
    ann = email("ann")
    file_id = new_sheet(drive, ann)
    for i in range(3):
        share(drive, ann, file_id, email(f"u{i}"), "reader")
    whole = drive(ann).permissions().list(fileId=file_id).execute()
    assert whole["kind"] == "drive#permissionList" and "nextPageToken" not in whole
    assert set(whole["permissions"][0]) == {"kind", "id", "type", "role"}
    assert len(whole["permissions"]) == 4
    page = drive(ann).permissions().list(fileId=file_id, pageSize=3).execute()
    assert len(page["permissions"]) == 3
    rest = (
        drive(ann)
        .permissions()
        .list(fileId=file_id, pageSize=3, pageToken=page["nextPageToken"])
        .execute()
    )
    assert len(rest["permissions"]) == 1 and "nextPageToken" not in rest


def test_domain_and_anyone_permissions(drive: Any, sheets: Any) -> None:
    ann = email("ann")
    file_id = new_sheet(drive, ann)
    domain = (
        drive(ann)
        .permissions()
        .create(
            fileId=file_id,
            body={"type": "domain", "role": "reader", "domain": "acme.test"},
            fields="*",
        )
        .execute()
    )
    assert domain["domain"] == "acme.test" and domain["allowFileDiscovery"] is False
    assert sheets(email("colleague")).spreadsheets().get(spreadsheetId=file_id).execute()
    anyone = (
        drive(ann)
        .permissions()
        .create(fileId=file_id, body={"type": "anyone", "role": "reader"})
        .execute()
    )
    assert anyone["id"] == "anyoneWithLink"
    outsider = "someone@elsewhere.test"
    assert drive(outsider).files().get(fileId=file_id).execute()["id"] == file_id


def test_invalid_permission_bodies(drive: Any) -> None:
    ann = email("ann")
    file_id = new_sheet(drive, ann)
    service = drive(ann).permissions()
    with pytest.raises(HttpError) as exc:
        service.create(fileId=file_id, body={"role": "reader"}).execute()
    assert failure(exc)[:2] == (400, "required")
    with pytest.raises(HttpError) as exc:
        service.create(fileId=file_id, body={"type": "user", "role": "reader"}).execute()
    assert failure(exc)[:2] == (400, "invalid")
    with pytest.raises(HttpError) as exc:
        service.create(
            fileId=file_id, body={"type": "user", "role": "boss", "emailAddress": "x@y.z"}
        ).execute()
    assert failure(exc)[:2] == (400, "invalid")


def test_owner_role_requires_transfer_ownership(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    with pytest.raises(HttpError) as exc:
        share(drive, ann, file_id, bob, "owner")
    assert failure(exc) == (
        403,
        "forbidden",
        "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
    )


def test_transfer_ownership_demotes_previous_owner_to_writer(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, bob, "owner", transferOwnership=True)
    got = drive(ann).files().get(fileId=file_id, fields="owners,ownedByMe,permissions").execute()
    assert [o["emailAddress"] for o in got["owners"]] == [bob]
    assert got["ownedByMe"] is False
    roles = {p["emailAddress"]: p["role"] for p in got["permissions"]}
    assert roles == {ann: "writer", bob: "owner"}
    with pytest.raises(HttpError) as exc:
        drive(ann).files().delete(fileId=file_id).execute()
    assert failure(exc)[0] == 403


def test_writer_cannot_transfer_ownership(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    share(drive, ann, file_id, bob, "writer")
    with pytest.raises(HttpError) as exc:
        share(drive, bob, file_id, bob, "owner", transferOwnership=True)
    assert failure(exc)[:2] == (403, "insufficientFilePermissions")


def test_pending_owner_accepts_ownership(gspread_as: Any, drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    perm = share(drive, ann, file_id, bob, "writer")
    gspread_as(ann).open_by_key(file_id).transfer_ownership(perm["id"])
    pending = (
        drive(bob).files().get(fileId=file_id, fields="capabilities(canAcceptOwnership)").execute()
    )
    assert pending == {"capabilities": {"canAcceptOwnership": True}}
    gspread_as(bob).open_by_key(file_id).accept_ownership(perm["id"])
    got = drive(bob).files().get(fileId=file_id, fields="ownedByMe").execute()
    assert got == {"ownedByMe": True}


def test_update_changes_the_role(drive: Any, sheets: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    perm = share(drive, ann, file_id, bob, "reader")
    updated = (
        drive(ann)
        .permissions()
        .update(fileId=file_id, permissionId=perm["id"], body={"role": "writer"})
        .execute()
    )
    assert updated["role"] == "writer"
    sheets(bob).spreadsheets().values().update(
        spreadsheetId=file_id, range="A1", valueInputOption="RAW", body={"values": [["ok"]]}
    ).execute()


def test_deleting_owner_permission_is_refused(drive: Any) -> None:
    ann = email("ann")
    file_id = new_sheet(drive, ann)
    owner = drive(ann).permissions().list(fileId=file_id).execute()["permissions"][0]
    with pytest.raises(HttpError) as exc:
        drive(ann).permissions().delete(fileId=file_id, permissionId=owner["id"]).execute()
    assert failure(exc) == (403, "cannotRemoveOwner", "The owner of a file cannot be removed.")


def test_delete_permission_revokes_access(drive: Any, sheets: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_sheet(drive, ann)
    perm = share(drive, ann, file_id, bob, "writer")
    assert drive(ann).permissions().delete(fileId=file_id, permissionId=perm["id"]).execute() == ""
    with pytest.raises(HttpError) as exc:
        drive(bob).files().get(fileId=file_id).execute()
    assert failure(exc)[:2] == (404, "notFound")
    with pytest.raises(HttpError) as exc:
        drive(ann).permissions().get(fileId=file_id, permissionId=perm["id"]).execute()
    assert failure(exc) == (404, "notFound", f"Permission not found: {perm['id']}.")


def test_gspread_list_and_remove_permissions(gspread_as: Any, drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    spreadsheet = gspread_as(ann).create("Shared plan")
    share(drive, ann, spreadsheet.id, bob, "writer")
    listed = spreadsheet.list_permissions()
    assert {p["emailAddress"]: p["role"] for p in listed} == {ann: "owner", bob: "writer"}
    removed = spreadsheet.remove_permissions(bob)
    assert len(removed) == 1
    assert [p["emailAddress"] for p in spreadsheet.list_permissions()] == [ann]


def test_gspread_share(gspread_as: Any) -> None:
    ann, bob = email("ann"), email("bob")
    spreadsheet = gspread_as(ann).create("Shared plan")
    spreadsheet.share(bob, perm_type="user", role="writer", notify=False)
    assert gspread_as(bob).open_by_key(spreadsheet.id).title == "Shared plan"


def test_sharing_a_folder_gives_access_to_the_spreadsheets_inside(drive: Any, sheets: Any) -> None:
    ann, bob = email("ann"), email("bob")
    folder = (
        drive(ann)
        .files()
        .create(body={"name": "Deals", "mimeType": "application/vnd.google-apps.folder"})
        .execute()
    )
    plan = sheets(ann).spreadsheets().create(body={"properties": {"title": "Acme"}}).execute()
    sid = plan["spreadsheetId"]
    drive(ann).files().update(fileId=sid, addParents=folder["id"], removeParents="root").execute()
    with pytest.raises(HttpError) as refused:
        sheets(bob).spreadsheets().get(spreadsheetId=sid).execute()
    assert refused.value.resp.status == 403

    drive(ann).permissions().create(
        fileId=folder["id"], body={"type": "user", "role": "writer", "emailAddress": bob}
    ).execute()
    got = sheets(bob).spreadsheets().get(spreadsheetId=sid, fields="properties.title").execute()
    assert got == {"properties": {"title": "Acme"}}
    start = drive(bob).changes().getStartPageToken().execute()["startPageToken"]
    sheets(ann).spreadsheets().values().update(
        spreadsheetId=sid, range="A1", valueInputOption="RAW", body={"values": [["x"]]}
    ).execute()
    changed = drive(bob).changes().list(pageToken=start).execute()["changes"]
    assert [c["fileId"] for c in changed] == [sid]
