"""The gateway's Drive calls: sharing a plan, the change feed and its push channel, a plan's
revisions and its comments. One method per API request (plus retries), counted like every other.
"""

from __future__ import annotations

from typing import Any

from googleapiclient.http import HttpRequest

from .connection import GoogleConnection
from .errors import NotFound
from .retry import execute_raw

REVISION_FIELDS = (
    "nextPageToken,revisions(id,modifiedTime,lastModifyingUser(emailAddress),exportLinks)"
)
COMMENT_FIELDS = (
    "nextPageToken,comments(id,author(displayName,me),content,createdTime,modifiedTime,"
    "resolved,deleted,anchor,quotedFileContent,"
    "replies(id,author(displayName,me),content,createdTime,modifiedTime,action,deleted))"
)
PERMISSION_FIELDS = "nextPageToken,permissions(type,emailAddress,displayName)"
CHANGE_FIELDS = (
    "nextPageToken,newStartPageToken,changes(fileId,removed,time,"
    "file(id,version,modifiedTime,createdTime,trashed,lastModifyingUser(emailAddress)))"
)


class DriveCalls(GoogleConnection):
    """Drive calls made as the identity in `backend` (`GoogleGateway` adds the Sheets calls)."""

    def share(
        self,
        file_id: str,
        email: str,
        role: str = "writer",
        *,
        notify: bool = False,
        message: str | None = None,
    ) -> str:
        """Give `email` a role on the file (again is harmless); the permission id.

        https://developers.google.com/drive/api/reference/rest/v3/permissions/create
        """
        params: dict[str, Any] = {
            "fileId": file_id,
            "body": {"type": "user", "role": role, "emailAddress": email},
            "sendNotificationEmail": notify,
            "fields": "id",
        }
        if notify and message:
            params["emailMessage"] = message
        return str(self._run(self._permissions.create(**params))["id"])

    def shared_with(self, file_id: str) -> list[tuple[str, str]]:
        """(Google account name, email) of each person the file is shared with.

        One request per 100 permissions. A user permission's `displayName` is "User's full
        name, as defined for their Google Account", the name a comment's author carries.
        https://developers.google.com/drive/api/reference/rest/v3/permissions/list
        """
        found: list[tuple[str, str]] = []
        token: str | None = None
        while True:
            params: dict[str, Any] = {
                "fileId": file_id,
                "pageSize": 100,
                "fields": PERMISSION_FIELDS,
            }
            if token:
                params["pageToken"] = token
            page = self._run(self._permissions.list(**params))
            found += [
                (str(p.get("displayName") or ""), str(p["emailAddress"]))
                for p in page.get("permissions", [])
                if p.get("type") == "user" and p.get("emailAddress")
            ]
            token = page.get("nextPageToken")
            if not token:
                return found

    def unshare(self, file_id: str, permission_id: str) -> bool:
        """Remove a permission from the file; False if it was gone already (404).

        https://developers.google.com/drive/api/reference/rest/v3/permissions/delete
        """
        try:
            self._run(self._permissions.delete(fileId=file_id, permissionId=permission_id))
        except NotFound:
            return False
        return True

    # ---------------------------------------------------------------- the watch

    def start_page_token(self) -> str:
        """The change feed's current position.

        https://developers.google.com/drive/api/reference/rest/v3/changes/getStartPageToken
        """
        return str(self._run(self._changes.getStartPageToken())["startPageToken"])

    def list_changes(self, page_token: str) -> dict[str, Any]:
        """One page of the change feed (up to 1,000 changes) with what the watch needs.

        https://developers.google.com/drive/api/reference/rest/v3/changes/list
        """
        request = self._changes.list(
            pageToken=page_token,
            pageSize=1000,
            includeRemoved=True,
            fields=CHANGE_FIELDS,
        )
        return self._run(request)

    def list_revisions(self, file_id: str) -> list[dict[str, Any]]:
        """Every revision of the file Drive lists, oldest first: id, time, who, export links.

        One request per 1,000 revisions. Drive may leave out old revisions of a busy Google
        Sheet and merges a person's consecutive edits (docs/LOCAL_GOOGLE.md, "Revisions").
        https://developers.google.com/drive/api/reference/rest/v3/revisions/list
        """
        found: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            params: dict[str, Any] = {
                "fileId": file_id,
                "pageSize": 1000,
                "fields": REVISION_FIELDS,
            }
            if token:
                params["pageToken"] = token
            page = self._run(self._revisions.list(**params))
            found += page.get("revisions", [])
            token = page.get("nextPageToken")
            if not token:
                return found

    def list_comments(self, file_id: str, since: str | None = None) -> list[dict[str, Any]]:
        """The file's comments (with their replies) modified at or after `since` (RFC 3339;
        every comment when None), deleted ones left out.

        One request per 100 comments. A comment's modifiedTime moves with each reply, so a
        thread with a new reply comes back whole.
        https://developers.google.com/drive/api/reference/rest/v3/comments/list
        """
        found: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            params: dict[str, Any] = {"fileId": file_id, "pageSize": 100, "fields": COMMENT_FIELDS}
            if since:
                params["startModifiedTime"] = since
            if token:
                params["pageToken"] = token
            page = self._run(self._comments.list(**params))
            found += page.get("comments", [])
            token = page.get("nextPageToken")
            if not token:
                return found

    def download(self, url: str) -> bytes:
        """The content at a link Drive gave (a revision's `exportLinks` entry), as this identity.

        Counted as a Drive request (`drive.revisions.export`), retried like one.
        https://developers.google.com/drive/api/reference/rest/v3/revisions#Revision.FIELDS.export_links
        """
        request = HttpRequest(
            self._http,
            lambda _response, content: content,
            url,
            method="GET",
            methodId="drive.revisions.export",
        )
        content = execute_raw(request, policy=self.policy, counter=self.counter)
        return content if isinstance(content, bytes) else str(content).encode()

    # ---------------------------------------------------------------- push notifications

    def watch_changes(
        self, page_token: str, channel_id: str, address: str, token: str, expiration_ms: int
    ) -> dict[str, Any]:
        """Ask Drive to post to `address` whenever the change feed moves.

        https://developers.google.com/drive/api/reference/rest/v3/changes/watch
        """
        body = {
            "id": channel_id,
            "type": "web_hook",
            "address": address,
            "token": token,
            "expiration": str(expiration_ms),
        }
        return self._run(self._changes.watch(pageToken=page_token, body=body))

    def stop_channel(self, channel_id: str, resource_id: str) -> None:
        """Stop a push channel. https://developers.google.com/drive/api/reference/rest/v3/channels/stop"""
        body = {"id": channel_id, "resourceId": resource_id}
        self._run(self._channels.stop(body=body))
