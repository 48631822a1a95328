"""Partial responses: the standard `fields` parameter applied to a JSON response.

Google accepts both `sheets.properties.title` / `files/id` paths and the nested form
`sheets(properties(sheetId,title)),spreadsheetId`; `*` selects everything at its level
(https://developers.google.com/drive/api/guides/fields-parameter,
https://developers.google.com/sheets/api/guides/field-masks).
"""

from __future__ import annotations

from typing import Any

from .errors import bad_request

Mask = dict[str, "Mask"]  # empty dict = the whole value at that key


def parse(text: str) -> Mask:
    """Parse a fields expression into a tree; raises ApiError(400) if malformed."""
    mask, pos = _parse_list(text.replace(" ", ""), 0)
    if pos != len(text.replace(" ", "")):
        raise bad_request(f"Invalid field selection {text}")
    return mask


def _parse_list(text: str, pos: int) -> tuple[Mask, int]:
    mask: Mask = {}
    while pos < len(text):
        start = pos
        while pos < len(text) and text[pos] not in ",()":
            pos += 1
        path = text[start:pos]
        if not path:
            raise bad_request(f"Invalid field selection {text}")
        node = mask
        parts = path.replace("/", ".").split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        leaf = node.setdefault(parts[-1], {})
        if pos < len(text) and text[pos] == "(":
            sub, pos = _parse_list(text, pos + 1)
            if pos >= len(text) or text[pos] != ")":
                raise bad_request(f"Invalid field selection {text}")
            pos += 1
            _merge(leaf, sub)
        elif len(parts) == 1 or leaf == {}:
            leaf.clear()
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        break
    return mask, pos


def _merge(into: Mask, other: Mask) -> None:
    for key, sub in other.items():
        if key in into and into[key] and sub:
            _merge(into[key], sub)
        else:
            into[key] = {} if (key in into and not into[key]) or not sub else sub


def apply(value: Any, mask: Mask) -> Any:
    """Keep only the selected fields; lists are filtered element by element."""
    if not mask or "*" in mask and len(mask) == 1 and not mask["*"]:
        return value
    if isinstance(value, list):
        return [apply(item, mask) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, sub in mask.items():
        if key == "*":
            for k, v in value.items():
                out.setdefault(k, apply(v, sub))
        elif key in value:
            out[key] = apply(value[key], sub)
    return out
