"""Drive v3 files.list: the `q` language, paging, ordering, and gspread's use of it."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from googleapiclient.errors import HttpError

SHEET = "application/vnd.google-apps.spreadsheet"
FOLDER = "application/vnd.google-apps.folder"


def email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}@acme.test"


def new_file(drive: Any, owner: str, name: str, mime: str = SHEET, **extra: Any) -> str:
    body = {"name": name, "mimeType": mime, **extra}
    return str(drive(owner).files().create(body=body).execute()["id"])


def names(drive: Any, who: str, q: str, **kw: Any) -> list[str]:
    found = drive(who).files().list(q=q, fields="files(name)", **kw).execute()["files"]
    return [f["name"] for f in found]


def share(drive: Any, owner: str, file_id: str, who: str, role: str) -> None:
    drive(owner).permissions().create(
        fileId=file_id, body={"type": "user", "role": role, "emailAddress": who}
    ).execute()


def test_list_without_fields_returns_default_shape(drive: Any) -> None:
    ann = email("ann")
    file_id = new_file(drive, ann, "Plan")
    got = drive(ann).files().list().execute()
    assert got == {
        "kind": "drive#fileList",
        "incompleteSearch": False,
        "files": [{"kind": "drive#file", "id": file_id, "name": "Plan", "mimeType": SHEET}],
    }


def test_query_by_mime_type_name_and_contains(drive: Any) -> None:
    ann = email("ann")
    new_file(drive, ann, "Acme mutual plan")
    new_file(drive, ann, "Globex plan")
    new_file(drive, ann, "Acme folder", FOLDER)
    assert sorted(names(drive, ann, f"mimeType = '{SHEET}'")) == ["Acme mutual plan", "Globex plan"]
    assert names(drive, ann, "name = 'globex plan'") == ["Globex plan"]
    assert sorted(names(drive, ann, "name contains 'acme'")) == ["Acme folder", "Acme mutual plan"]
    assert names(drive, ann, "name contains 'mut'") == ["Acme mutual plan"]
    assert names(drive, ann, "name contains 'utual'") == []  # prefix matching on words
    assert names(drive, ann, f"mimeType != '{SHEET}'") == ["Acme folder"]


def test_query_with_and_or_not_and_parentheses(drive: Any) -> None:
    ann = email("ann")
    new_file(drive, ann, "A1")
    new_file(drive, ann, "B1")
    new_file(drive, ann, "C1", FOLDER)
    q = f"(name = 'A1' or name = 'C1') and not mimeType = '{FOLDER}'"
    assert names(drive, ann, q) == ["A1"]
    q = f"name = 'B1' or mimeType = '{FOLDER}' and name = 'C1'"  # and binds tighter
    assert sorted(names(drive, ann, q)) == ["B1", "C1"]


def test_double_quoted_strings_and_escapes(drive: Any) -> None:
    ann = email("ann")
    new_file(drive, ann, "Valentine's Day")
    assert names(drive, ann, "name = 'Valentine\\'s Day'") == ["Valentine's Day"]
    assert names(drive, ann, f'mimeType="{SHEET}" and name = "Valentine\'s Day"') == [
        "Valentine's Day"
    ]


def test_trashed_files_are_listed_unless_filtered(drive: Any) -> None:
    ann = email("ann")
    gone = new_file(drive, ann, "Gone")
    new_file(drive, ann, "Kept")
    drive(ann).files().update(fileId=gone, body={"trashed": True}).execute()
    assert sorted(names(drive, ann, "")) == ["Gone", "Kept"]
    assert names(drive, ann, "trashed = false") == ["Kept"]
    assert names(drive, ann, "trashed = true") == ["Gone"]


def test_query_by_owners_writers_readers_and_shared_with_me(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    mine = new_file(drive, bob, "Bob's own")
    edit = new_file(drive, ann, "Bob edits")
    view = new_file(drive, ann, "Bob views")
    share(drive, ann, edit, bob, "writer")
    share(drive, ann, view, bob, "reader")
    assert mine
    assert names(drive, bob, f"'{bob}' in owners") == ["Bob's own"]
    assert names(drive, bob, "'me' in owners") == ["Bob's own"]
    assert names(drive, bob, f"'{bob}' in writers") == ["Bob edits"]
    assert names(drive, bob, f"'{bob}' in readers") == ["Bob views"]
    assert sorted(names(drive, bob, "sharedWithMe")) == ["Bob edits", "Bob views"]
    assert names(drive, bob, "sharedWithMe = false") == ["Bob's own"]
    assert sorted(names(drive, ann, f"'{ann}' in owners")) == ["Bob edits", "Bob views"]


def test_files_shared_only_by_link_are_not_listed(drive: Any) -> None:
    ann, bob = email("ann"), email("bob")
    file_id = new_file(drive, ann, "Link only")
    drive(ann).permissions().create(
        fileId=file_id, body={"type": "anyone", "role": "reader"}
    ).execute()
    assert names(drive, bob, "") == []
    assert drive(bob).files().get(fileId=file_id).execute()["name"] == "Link only"


def test_query_by_app_properties_and_properties(drive: Any) -> None:
    ann = email("ann")
    new_file(drive, ann, "Acme", appProperties={"deal": "acme", "kind": "map"})
    new_file(drive, ann, "Globex", appProperties={"deal": "globex"}, properties={"tier": "gold"})
    q = "appProperties has { key='deal' and value='acme' }"
    assert names(drive, ann, q) == ["Acme"]
    assert names(drive, ann, "properties has {key='tier' and value='gold'}") == ["Globex"]
    assert names(drive, ann, "properties has {key='deal' and value='acme'}") == []


def test_query_by_modified_time(drive: Any) -> None:
    ann = email("ann")
    new_file(drive, ann, "Old")
    time.sleep(0.05)
    cutoff = drive(ann).files().list(fields="files(modifiedTime)").execute()["files"][0]
    time.sleep(0.05)
    new_file(drive, ann, "New")
    stamp = cutoff["modifiedTime"]
    assert names(drive, ann, f"modifiedTime > '{stamp}'") == ["New"]
    assert names(drive, ann, f"modifiedTime <= '{stamp}'") == ["Old"]
    assert sorted(names(drive, ann, "modifiedTime > '2020-01-01T00:00:00'")) == ["New", "Old"]


def test_query_by_parent_folder_and_root(drive: Any) -> None:
    ann = email("ann")
    folder = new_file(drive, ann, "Deals", FOLDER)
    new_file(drive, ann, "Inside", parents=[folder])
    new_file(drive, ann, "Top")
    assert names(drive, ann, f"'{folder}' in parents") == ["Inside"]
    assert sorted(names(drive, ann, "'root' in parents")) == ["Deals", "Top"]


@pytest.mark.parametrize(
    "q",
    [
        "name = ",
        "name == 'x'",
        "nme = 'x'",
        "name = 'unterminated",
        "(name = 'x'",
        "modifiedTime > 'yesterday'",
        "trashed = maybe",
        "name > 'x'",
        "'x' in nowhere",
        "name = 'a' and",
    ],
)
def test_unparsable_query_is_invalid_value(drive: Any, q: str) -> None:
    with pytest.raises(HttpError) as exc:
        drive(email("ann")).files().list(q=q).execute()
    assert exc.value.resp.status == 400
    body = json.loads(exc.value.content)["error"]
    assert body["message"] == "Invalid Value"
    assert body["errors"][0] == {
        "message": "Invalid Value",
        "domain": "global",
        "reason": "invalid",
        "location": "q",
        "locationType": "parameter",
    }


def test_list_pages_with_next_page_token(drive: Any) -> None:
    ann = email("ann")
    for i in range(5):
        new_file(drive, ann, f"File {i}")
    service = drive(ann).files()
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        page = service.list(pageSize=2, pageToken=token, orderBy="name").execute()
        seen += [f["name"] for f in page["files"]]
        pages += 1
        token = page.get("nextPageToken")
        if not token:
            break
    assert pages == 3
    assert seen == [f"File {i}" for i in range(5)]


def test_list_next_helper_of_the_client_library(drive: Any) -> None:
    ann = email("ann")
    for i in range(3):
        new_file(drive, ann, f"F{i}")
    service = drive(ann).files()
    request = service.list(pageSize=2, fields="nextPageToken,files(id)")
    count = 0
    while request is not None:
        response = request.execute()
        count += len(response["files"])
        request = service.list_next(request, response)
    assert count == 3


def test_invalid_page_token_and_page_size(drive: Any) -> None:
    service = drive(email("ann")).files()
    with pytest.raises(HttpError) as exc:
        service.list(pageToken="garbage").execute()
    assert exc.value.resp.status == 400
    assert json.loads(exc.value.content)["error"]["errors"][0]["location"] == "pageToken"
    with pytest.raises(HttpError) as exc:
        service.list(pageSize=0).execute()
    assert json.loads(exc.value.content)["error"]["errors"][0]["location"] == "pageSize"
    assert service.list(pageSize=5000).execute()["files"] == []  # coerced to 1000


def test_order_by_name_created_time_and_modified_time_desc(drive: Any) -> None:
    ann = email("ann")
    first = new_file(drive, ann, "b")
    new_file(drive, ann, "a")
    new_file(drive, ann, "C")
    assert names(drive, ann, "", orderBy="name") == ["a", "b", "C"]
    assert names(drive, ann, "", orderBy="name desc") == ["C", "b", "a"]
    assert names(drive, ann, "", orderBy="createdTime") == ["b", "a", "C"]
    time.sleep(0.01)
    drive(ann).files().update(fileId=first, body={"description": "touched"}).execute()
    assert names(drive, ann, "", orderBy="modifiedTime desc")[0] == "b"
    with pytest.raises(HttpError) as exc:
        drive(ann).files().list(orderBy="size").execute()
    assert json.loads(exc.value.content)["error"]["errors"][0]["location"] == "orderBy"


def test_corpora_spaces_and_all_drives_flags_are_accepted(drive: Any) -> None:
    ann = email("ann")
    new_file(drive, ann, "Plan")
    got = (
        drive(ann)
        .files()
        .list(
            corpora="allDrives",
            spaces="drive",
            includeItemsFromAllDrives=True,
            supportsAllDrives=True,
            fields="files(name)",
        )
        .execute()
    )
    assert got == {"files": [{"name": "Plan"}]}
    assert drive(ann).files().list(spaces="appDataFolder").execute()["files"] == []


def test_gspread_openall_open_and_list_spreadsheet_files(gspread_as: Any, drive: Any) -> None:
    ann = email("ann")
    client = gspread_as(ann)
    one = client.create("Plan one")
    client.create("Plan two")
    new_file(drive, ann, "Not a sheet", FOLDER)
    assert sorted(s.title for s in client.openall()) == ["Plan one", "Plan two"]
    assert [s.title for s in client.openall("Plan two")] == ["Plan two"]
    assert client.open("Plan one").id == one.id
    files = client.list_spreadsheet_files()
    assert sorted(f["name"] for f in files) == ["Plan one", "Plan two"]
    assert set(files[0]) == {"id", "name", "createdTime", "modifiedTime"}


def test_gspread_open_in_folder(gspread_as: Any, drive: Any) -> None:
    ann = email("ann")
    folder = new_file(drive, ann, "Deals", FOLDER)
    client = gspread_as(ann)
    inside = client.create("Plan", folder_id=folder)
    client.create("Plan")
    assert client.open("Plan", folder_id=folder).id == inside.id
