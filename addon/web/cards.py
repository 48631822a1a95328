"""Card v1 JSON for the Workspace add-on: small builders, and the responses that carry cards.

Cards follow `GoogleAppsCardV1Card` (https://developers.google.com/workspace/add-ons/reference/rpc/google.apps.card.v1);
HTTP add-ons answer with a RenderActions object
(https://developers.google.com/workspace/add-ons/guides/alternate-runtimes#responses).
A button's action `function` is the URL of the endpoint Google posts the next event to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from markupsafe import Markup, escape

Json = dict[str, Any]

# Three Card v1 fields render a small HTML subset (<b>, <i>, <u>, <font color>, <a href>, <br>):
# TextParagraph.text, DecoratedText.text and Section.header (their descriptions in the Chat
# discovery document that google-api-python-client bundles). Text from a sheet is hostile, so
# the builders of those fields escape what they are given; only our own `Markup` passes as HTML.
# The other fields (titles, labels, button texts, input values) are shown as plain text.


# Characters that reorder or hide the text around them (Unicode's bidirectional controls and
# marks): a name holding U+202E would show the rest of a line reversed. The card shows each as
# its code point, e.g. "[U+202E]", wherever it shows text from a sheet or a form.
# https://www.unicode.org/reports/tr9/#Directional_Formatting_Characters
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def visible(content: str) -> str:
    """Text with each bidirectional control shown as its code point instead of obeyed."""
    if not any(c in BIDI_CONTROLS for c in content):
        return content
    return "".join(f"[U+{ord(c):04X}]" if c in BIDI_CONTROLS else c for c in content)


def card(title: str, sections: Iterable[Json], subtitle: str | None = None) -> Json:
    header: Json = {"title": visible(title)}
    if subtitle:
        header["subtitle"] = visible(subtitle)
    return {"header": header, "sections": list(sections)}


def html(content: str | Markup) -> str:
    """Text for a field Google renders as HTML: escaped, unless it is our own Markup; either
    way with its bidirectional controls made visible."""
    return visible(str(escape(content)))


def section(
    widgets: Iterable[Json], header: str | Markup | None = None, *, collapsed: bool = False
) -> Json:
    """A section; `collapsed` shows only its header until the user expands it."""
    out: Json = {"widgets": list(widgets)}
    if header:
        out["header"] = html(header)
    if collapsed:
        out["collapsible"] = True
    return out


def text(content: str | Markup) -> Json:
    """A paragraph: plain text is escaped; Markup keeps its tags (Google's HTML subset)."""
    return {"textParagraph": {"text": html(content)}}


def warning(message: str) -> Json:
    """A paragraph in red: the message escaped inside our own formatting."""
    return text(Markup('<font color="#b3261e">{}</font>').format(message))


def fact(label: str, value: str | Markup, below: str | None = None) -> Json:
    """A labelled value: the value is escaped (Google renders it as HTML), the labels are not
    (Google shows them as typed)."""
    decorated: Json = {"topLabel": visible(label), "text": html(value)}
    if below:
        decorated["bottomLabel"] = visible(below)
    return {"decoratedText": decorated}


def text_input(name: str, label: str, value: str = "", hint: str | None = None) -> Json:
    widget: Json = {"name": name, "label": label, "value": value}
    if hint:
        widget["hintText"] = hint
    return {"textInput": widget}


def date_input(name: str, label: str, value: date | None = None) -> Json:
    widget: Json = {"name": name, "label": label, "type": "DATE_ONLY"}
    if value is not None:
        midnight = datetime(value.year, value.month, value.day, tzinfo=UTC)
        widget["valueMsEpoch"] = str(int(midnight.timestamp() * 1000))
    return {"dateTimePicker": widget}


def dropdown(name: str, label: str, options: Iterable[tuple[str, str]], selected: str = "") -> Json:
    items = [{"text": t, "value": v, "selected": v == selected} for t, v in options]
    return {"selectionInput": {"name": name, "label": label, "type": "DROPDOWN", "items": items}}


def action_button(label: str, url: str, parameters: Mapping[str, str] | None = None) -> Json:
    action: Json = {"function": url}
    if parameters:
        action["parameters"] = [{"key": k, "value": v} for k, v in parameters.items()]
    return {"text": label, "onClick": {"action": action}}


def link_button(label: str, url: str) -> Json:
    return {"text": label, "onClick": {"openLink": {"url": url}}}


def buttons(*items: Json) -> Json:
    return {"buttonList": {"buttons": list(items)}}


def push(shown: Json) -> Json:
    """Show `shown` on top of the current card."""
    return {"renderActions": {"action": {"navigations": [{"pushCard": shown}]}}}


def update(shown: Json) -> Json:
    """Replace the current card with `shown` (a form shown again with its errors)."""
    return {"renderActions": {"action": {"navigations": [{"updateCard": shown}]}}}


def notify(message: str, shown: Json | None = None) -> Json:
    action: Json = {"notification": {"text": message}}
    if shown is not None:
        action["navigations"] = [{"updateCard": shown}]
    return {"renderActions": {"action": action}}


def error_card(message: str) -> Json:
    """What the sidebar shows when something failed: one clear sentence, no stack trace."""
    return card("Something went wrong", [section([text(message)])], subtitle="MAP add-on")
