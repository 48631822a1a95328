"""Drive v3 files.get/create/copy/update/delete through google-api-python-client and gspread."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests
from googleapiclient.errors import HttpError

SHEET = "application/vnd.google-apps.spreadsheet"
FOLDER = "application/vnd.google-apps.folder"


def email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}@acme.test"


def error_of(exc: pytest.ExceptionInfo[HttpError]) -> tuple[int, dict[str, Any]]:
    body = json.loads(exc.value.content)["error"]
    return exc.value.resp.status, body


def new_sheet(drive: Any, owner: str, name: str = "Plan", **extra: Any) -> dict[str, Any]:
    body = {"name": name, "mimeType": SHEET, **extra}
    return drive(owner).files().create(body=body, fields="*").execute()


def share(drive: Any, owner: str, file_id: str, who: str, role: str) -> None:
    drive(owner).permissions().create(
        fileId=file_id, body={"type": "user", "role": role, "emailAddress": who}
    ).execute()


def test_get_without_fields_returns_drive_default_set(drive: Any) -> None:
    ann = email("ann")
    created = new_sheet(drive, ann)
    got = drive(ann).files().get(fileId=created["id"]).execute()
    assert got == {"kind": "drive#file", "id": created["id"], "name": "Plan", "mimeType": SHEET}


def test_get_full_resource_renders_users_relative_to_caller(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    created = new_sheet(drive, ann)
    share(drive, ann, created["id"], bob, "reader")
    got = drive(bob).files().get(fileId=created["id"], fields="*").execute()
    assert got["owners"] == [
        {
            "kind": "drive#user",
            "displayName": ann.split("@")[0],
            "emailAddress": ann,
            "me": False,
            "permissionId": created["owners"][0]["permissionId"],
        }
    ]
    assert got["lastModifyingUser"]["emailAddress"] == ann
    assert got["ownedByMe"] is False and got["shared"] is True
    assert (
        got["webViewLink"]
        == f"https://docs.google.com/spreadsheets/d/{created['id']}/edit?usp=drivesdk"
    )
    assert isinstance(got["version"], str) and int(got["version"]) >= 1
    assert got["capabilities"]["canEdit"] is False and got["capabilities"]["canShare"] is False
    assert "permissions" not in got and "parents" not in got  # a reader sees neither
    assert not {"ownerEmail", "lastModifyingEmail", "sharedWith"} & set(got)
    assert got["sharingUser"]["emailAddress"] == ann


def test_owner_sees_permissions_and_root_parent(drive: Any) -> None:
    ann = email("ann")
    created = new_sheet(drive, ann)
    assert created["permissions"][0]["role"] == "owner"
    assert created["ownedByMe"] is True and created["owners"][0]["me"] is True
    assert len(created["parents"]) == 1 and created["parents"][0].startswith("0A")
    assert created["capabilities"]["canShare"] is True


def test_get_unknown_or_unshared_file_is_not_found(drive: Any) -> None:
    ann, eve = email("ann"), email("eve")
    created = new_sheet(drive, ann)
    with pytest.raises(HttpError) as exc:
        drive(eve).files().get(fileId=created["id"]).execute()
    status, body = error_of(exc)
    assert status == 404
    assert body["message"] == f"File not found: {created['id']}."
    assert body["errors"][0] == {
        "message": f"File not found: {created['id']}.",
        "domain": "global",
        "reason": "notFound",
        "location": "fileId",
        "locationType": "parameter",
    }


def test_unknown_field_selection_is_rejected(drive: Any) -> None:
    ann = email("ann")
    created = new_sheet(drive, ann)
    with pytest.raises(HttpError) as exc:
        drive(ann).files().get(fileId=created["id"], fields="id,nmae").execute()
    status, body = error_of(exc)
    assert (status, body["message"]) == (400, "Invalid field selection nmae")
    assert body["errors"][0]["reason"] == "invalidParameter"


def test_create_spreadsheet_is_readable_through_sheets(drive: Any, sheets: Any) -> None:
    ann = email("ann")
    created = new_sheet(drive, ann, name="Deal room")
    doc = sheets(ann).spreadsheets().get(spreadsheetId=created["id"]).execute()
    assert doc["properties"]["title"] == "Deal room"
    assert [s["properties"]["title"] for s in doc["sheets"]] == ["Sheet1"]


def test_create_folder_and_file_inside_it(drive: Any) -> None:
    ann = email("ann")
    folder = drive(ann).files().create(body={"name": "Deals", "mimeType": FOLDER}).execute()
    assert folder["mimeType"] == FOLDER
    inside = new_sheet(drive, ann, parents=[folder["id"]])
    assert inside["parents"] == [folder["id"]]
    listed = drive(ann).files().list(q=f"'{folder['id']}' in parents").execute()
    assert [f["id"] for f in listed["files"]] == [inside["id"]]


def test_create_with_output_only_field_is_refused(drive: Any) -> None:
    with pytest.raises(HttpError) as exc:
        drive(email("ann")).files().create(body={"name": "x", "webViewLink": "y"}).execute()
    status, body = error_of(exc)
    assert (status, body["errors"][0]["reason"]) == (403, "fieldNotWritable")


def test_media_upload_answers_501(local_google: Any) -> None:
    resp = requests.post(
        f"{local_google.url}/drive/v3/files",
        params={"uploadType": "multipart"},
        headers={"Authorization": f"Bearer local:{email('ann')}"},
        json={"name": "notes.txt"},
        timeout=10,
    )
    assert resp.status_code == 501
    assert resp.json()["error"]["errors"][0]["reason"] == "notImplemented"


def test_copy_duplicates_cells_under_new_id(drive: Any, sheets: Any) -> None:
    ann, bob = email("ann"), email("bob")
    created = new_sheet(drive, ann, name="Template", appProperties={"kind": "template"})
    sheets(ann).spreadsheets().values().update(
        spreadsheetId=created["id"],
        range="Sheet1!A1:B2",
        valueInputOption="USER_ENTERED",
        body={"values": [["Step", "Owner"], ["Kickoff", "=A1"]]},
    ).execute()
    share(drive, ann, created["id"], bob, "reader")
    copied = (
        drive(bob)
        .files()
        .copy(fileId=created["id"], body={"appProperties": {"deal": "acme"}}, fields="*")
        .execute()
    )
    assert copied["id"] != created["id"]
    assert copied["name"] == "Copy of Template"
    assert copied["owners"][0]["emailAddress"] == bob and copied["ownedByMe"] is True
    assert copied["appProperties"] == {"kind": "template", "deal": "acme"}
    values = (
        sheets(bob)
        .spreadsheets()
        .values()
        .get(spreadsheetId=copied["id"], range="Sheet1!A1:B2")
        .execute()["values"]
    )
    assert values == [["Step", "Owner"], ["Kickoff", "Step"]]
    title = sheets(bob).spreadsheets().get(spreadsheetId=copied["id"]).execute()["properties"]
    assert title["title"] == "Copy of Template"
    assert [p["emailAddress"] for p in copied["permissions"]] == [bob]  # the source's ACL stays


def test_gspread_copy_and_create(gspread_as: Any) -> None:
    client = gspread_as(email("ann"))
    original = client.create("Mutual plan")
    original.sheet1.update([["a", "b"]], "A1")
    duplicate = client.copy(original.id, title="Plan for Acme")
    assert duplicate.id != original.id and duplicate.title == "Plan for Acme"
    assert duplicate.sheet1.get_all_values() == [["a", "b"]]


def test_rename_updates_sheets_title_and_version(drive: Any, sheets: Any) -> None:
    ann = email("ann")
    created = new_sheet(drive, ann)
    updated = (
        drive(ann)
        .files()
        .update(fileId=created["id"], body={"name": "Renamed"}, fields="name,version")
        .execute()
    )
    assert updated["name"] == "Renamed" and int(updated["version"]) > int(created["version"])
    doc = sheets(ann).spreadsheets().get(spreadsheetId=created["id"]).execute()
    assert doc["properties"]["title"] == "Renamed"


def test_properties_merge_and_null_deletes(drive: Any) -> None:
    ann = email("ann")
    created = new_sheet(drive, ann, properties={"a": "1", "b": "2"}, description="d")
    updated = (
        drive(ann)
        .files()
        .update(
            fileId=created["id"],
            body={"properties": {"a": None, "c": "3"}, "description": None},
            fields="properties,description",
        )
        .execute()
    )
    assert updated == {"properties": {"b": "2", "c": "3"}}


def test_trash_keeps_file_visible_and_untrash_restores(drive: Any) -> None:
    ann = email("ann")
    created = new_sheet(drive, ann)
    service = drive(ann).files()
    service.update(fileId=created["id"], body={"trashed": True}).execute()
    got = service.get(
        fileId=created["id"], fields="trashed,explicitlyTrashed,trashedTime"
    ).execute()
    assert got["trashed"] is True and got["explicitlyTrashed"] is True and "trashedTime" in got
    service.update(fileId=created["id"], body={"trashed": False}).execute()
    assert service.get(fileId=created["id"], fields="trashed").execute() == {"trashed": False}


def test_writer_cannot_trash_but_can_rename(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    created = new_sheet(drive, ann)
    share(drive, ann, created["id"], bob, "writer")
    drive(bob).files().update(fileId=created["id"], body={"name": "By Bob"}).execute()
    with pytest.raises(HttpError) as exc:
        drive(bob).files().update(fileId=created["id"], body={"trashed": True}).execute()
    status, body = error_of(exc)
    assert (status, body["errors"][0]["reason"]) == (403, "insufficientFilePermissions")
    got = drive(ann).files().get(fileId=created["id"], fields="lastModifyingUser").execute()
    assert got["lastModifyingUser"]["emailAddress"] == bob


def test_reader_cannot_rename(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    created = new_sheet(drive, ann)
    share(drive, ann, created["id"], bob, "reader")
    with pytest.raises(HttpError) as exc:
        drive(bob).files().update(fileId=created["id"], body={"name": "x"}).execute()
    assert error_of(exc)[0] == 403


def test_starred_is_per_user(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    created = new_sheet(drive, ann)
    share(drive, ann, created["id"], bob, "reader")
    drive(bob).files().update(fileId=created["id"], body={"starred": True}).execute()
    assert drive(bob).files().get(fileId=created["id"], fields="starred").execute()["starred"]
    assert not drive(ann).files().get(fileId=created["id"], fields="starred").execute()["starred"]


def test_move_between_folders_with_add_and_remove_parents(drive: Any) -> None:
    ann = email("ann")
    one = drive(ann).files().create(body={"name": "One", "mimeType": FOLDER}).execute()
    two = drive(ann).files().create(body={"name": "Two", "mimeType": FOLDER}).execute()
    created = new_sheet(drive, ann, parents=[one["id"]])
    moved = (
        drive(ann)
        .files()
        .update(
            fileId=created["id"], addParents=two["id"], removeParents=one["id"], fields="parents"
        )
        .execute()
    )
    assert moved == {"parents": [two["id"]]}
    with pytest.raises(HttpError) as exc:
        drive(ann).files().update(fileId=created["id"], addParents=one["id"]).execute()
    status, body = error_of(exc)
    assert (status, body["errors"][0]["reason"]) == (403, "cannotAddParent")


def test_parents_in_update_body_is_not_writable(drive: Any) -> None:
    ann = email("ann")
    created = new_sheet(drive, ann)
    with pytest.raises(HttpError) as exc:
        drive(ann).files().update(fileId=created["id"], body={"parents": ["x"]}).execute()
    status, body = error_of(exc)
    assert (status, body["errors"][0]["reason"]) == (403, "fieldNotWritable")


def test_delete_is_owner_only_and_removes_the_file(drive: Any, sheets: Any) -> None:
    ann, bob = email("ann"), email("bob")
    created = new_sheet(drive, ann)
    share(drive, ann, created["id"], bob, "writer")
    with pytest.raises(HttpError) as exc:
        drive(bob).files().delete(fileId=created["id"]).execute()
    assert error_of(exc)[1]["errors"][0]["reason"] == "insufficientFilePermissions"
    assert drive(ann).files().delete(fileId=created["id"]).execute() == ""
    with pytest.raises(HttpError) as exc:
        drive(ann).files().get(fileId=created["id"]).execute()
    assert error_of(exc)[0] == 404
    with pytest.raises(HttpError) as exc2:
        sheets(ann).spreadsheets().get(spreadsheetId=created["id"]).execute()
    assert exc2.value.resp.status == 404


def test_deleting_a_folder_deletes_the_owners_files_inside(drive: Any) -> None:
    ann = email("ann")
    folder = drive(ann).files().create(body={"name": "F", "mimeType": FOLDER}).execute()
    inside = new_sheet(drive, ann, parents=[folder["id"]])
    drive(ann).files().delete(fileId=folder["id"]).execute()
    with pytest.raises(HttpError) as exc:
        drive(ann).files().get(fileId=inside["id"]).execute()
    assert error_of(exc)[0] == 404


def test_gspread_del_spreadsheet(gspread_as: Any) -> None:
    client = gspread_as(email("ann"))
    created = client.create("Doomed")
    client.del_spreadsheet(created.id)
    assert client.openall() == []


def test_download_of_google_sheet_is_refused(drive: Any) -> None:
    ann = email("ann")
    created = new_sheet(drive, ann)
    with pytest.raises(HttpError) as exc:
        drive(ann).files().get_media(fileId=created["id"]).execute()
    status, body = error_of(exc)
    assert (status, body["errors"][0]["reason"]) == (403, "fileNotDownloadable")


def test_unimplemented_drive_method_answers_501(drive: Any) -> None:
    with pytest.raises(HttpError) as exc:
        drive(email("ann")).files().generateIds(count=2).execute()
    status, body = error_of(exc)
    assert status == 501
    assert body["errors"][0]["reason"] == "notImplemented"
    assert "drive.files.generateIds" in body["message"]


def test_about_requires_fields_and_names_the_caller(drive: Any) -> None:
    ann = email("ann")
    with pytest.raises(HttpError) as exc:
        drive(ann).about().get().execute()
    status, body = error_of(exc)
    assert (status, body["message"]) == (400, "The 'fields' parameter is required for this method.")
    assert body["errors"][0]["reason"] == "required"
    about = drive(ann).about().get(fields="user,storageQuota(limit,usage)").execute()
    assert about["user"]["emailAddress"] == ann and about["user"]["me"] is True
    assert set(about["storageQuota"]) == {"limit", "usage"}
