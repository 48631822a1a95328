"""Generate the Workspace add-on deployment descriptor (deployment.json) for the HTTP runtime.

    .venv/bin/python scripts/make_deployment.py --base-url https://map-addon.example.com \
        [--name "Mutual action plans"] [--logo-url URL] [--out deployment.json]

The descriptor is what `gcloud workspace-add-ons deployments create NAME
--deployment-file=deployment.json` takes (format:
https://developers.google.com/workspace/add-ons/guides/alternate-runtimes#create-deployment and
the `projects.deployments` resource of the Google Workspace Add-ons API). Every trigger points at
a card endpoint of `addon/web/addon.py` under the base URL, which must also be the app's
MAP_ADDON_AUDIENCE: Google signs each call with an ID token whose audience is the endpoint's URL.
Prints the JSON on stdout, or writes it to --out. Exit status 2 with one line on stderr for a
base URL that is not https (http only for localhost / 127.0.0.1).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_NAME = "Mutual action plans"
# A Material icon on Google's static host, as Google's own add-on samples use; replace with
# your own 48x48+ square logo (any public https URL) for a published add-on.
DEFAULT_LOGO_URL = (
    "https://www.gstatic.com/images/icons/material/system/1x/assignment_black_48dp.png"
)

HOME_PATH = "/addon/home"  # the homepage trigger: POST /addon/home (addon/web/addon.py)
LOCAL_HOSTS = ("localhost", "127.0.0.1")

OAUTH_SCOPES = (
    # Per-file Drive access: the spreadsheets the add-on creates for the seller (the plan is
    # made with `spreadsheets.create` and shared with `permissions.create` under the user's
    # token) and the spreadsheet the user opens the add-on in once they grant it through
    # `requestFileScopeForActiveDocument` (then the event carries `sheets.id`). The Sheets API
    # accepts drive.file for these calls, so neither the sensitive `spreadsheets` scope nor the
    # restricted full `drive` scope (which needs a security assessment) is requested. The
    # backend's service account reads plans because each one is shared with it at creation;
    # its own scopes never go through user consent.
    "https://www.googleapis.com/auth/drive.file",
    # The user's locale and time zone in the event object (`commonEventObject.userLocale`,
    # `timeZone`), together with `common.useLocaleFromApp` below.
    "https://www.googleapis.com/auth/script.locale",
    # The user's email address, so the event's `userIdToken` carries a verified `email` claim:
    # the app identifies the seller by it (addon/web/addon.py `_user`).
    "https://www.googleapis.com/auth/userinfo.email",
    # OpenID Connect sign-in, so Google can issue the user ID token at all. Not sure Google
    # requires it to be listed for HTTP add-ons (`userIdToken` may come without it); it is
    # non-sensitive and harmless.
    "openid",
)
# Deliberately absent:
# - https://www.googleapis.com/auth/drive and .../drive.readonly: restricted scopes.
# - https://www.googleapis.com/auth/spreadsheets.currentonly: Apps Script only; HTTP add-ons
#   call the REST API, which does not accept it.
# - https://www.googleapis.com/auth/drive.addons.metadata.readonly: metadata of items selected
#   in the Drive host app, which this Sheets-only add-on does not extend.
# - httpOptions.granularOauthPermissionSupport (granular consent opt-in): not certain of its
#   name and values in the Add-ons API, so it is left to its default.


class UsageError(ValueError):
    """A command-line value that cannot be used; the message is the one line to print."""


def validate_base_url(url: str) -> str:
    """The base URL without a trailing slash; https, or http only on localhost / 127.0.0.1."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UsageError(f"--base-url must be an absolute https URL, not {url!r}")
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        raise UsageError(
            f"--base-url must use https (Google calls add-on endpoints over TLS), not {url!r}"
        )
    if parts.username or parts.password or parts.query or parts.fragment:
        raise UsageError(f"--base-url must have no credentials, query or fragment, not {url!r}")
    return url.strip().rstrip("/")


def validate_logo_url(url: str) -> str:
    """The logo URL, which Google fetches over https."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise UsageError(f"--logo-url must be an https URL, not {url!r}")
    return url.strip()


def build_descriptor(
    base_url: str, name: str = DEFAULT_NAME, logo_url: str = DEFAULT_LOGO_URL
) -> dict[str, Any]:
    """The deployment descriptor for an add-on served at `base_url` (already validated)."""
    home = {"runFunction": f"{base_url}{HOME_PATH}"}
    return {
        "oauthScopes": list(OAUTH_SCOPES),
        "addOns": {
            "common": {
                "name": name,
                "logoUrl": logo_url,
                "homepageTrigger": dict(home),
                "useLocaleFromApp": True,
                # HTTPS links a card's openLink may open: the plan spreadsheets ("Open sheet",
                # "Open the plan") and pages of the app itself.
                "openLinkUrlPrefixes": ["https://docs.google.com/spreadsheets/", f"{base_url}/"],
            },
            "sheets": {
                "homepageTrigger": dict(home),
                # Runs when the user grants the current spreadsheet
                # (requestFileScopeForActiveDocument); the homepage then sees `sheets.id`.
                "onFileScopeGrantedTrigger": dict(home),
            },
            # Google signs each call with an ID token of the project's Workspace add-ons service
            # account (MAP_ADDON_CALLER) for the endpoint's URL; the event itself carries the
            # user's `userIdToken` and `userOAuthToken` in `authorizationEventObject`.
            "httpOptions": {"authorizationHeader": "SYSTEM_ID_TOKEN"},
        },
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="make_deployment.py", description="Generate the add-on's deployment.json."
    )
    parser.add_argument("--base-url", required=True, help="the app's public https base URL")
    parser.add_argument("--name", default=DEFAULT_NAME, help="the add-on's name")
    parser.add_argument("--logo-url", default=DEFAULT_LOGO_URL, help="an https logo URL")
    parser.add_argument("--out", type=Path, help="write the JSON here instead of stdout")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Print or write the descriptor; 2 with one line on stderr for bad input."""
    args = parse_args(argv)
    try:
        base_url = validate_base_url(args.base_url)
        logo_url = validate_logo_url(args.logo_url)
        if not args.name.strip():
            raise UsageError("--name must not be empty")
    except UsageError as exc:
        print(f"make_deployment.py: {exc}", file=sys.stderr)
        return 2
    text = json.dumps(build_descriptor(base_url, args.name.strip(), logo_url), indent=2) + "\n"
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"make_deployment.py: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
