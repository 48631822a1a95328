"""`/preview`: the Sheets sidebar played locally, against the real add-on endpoints.

It builds the event object Google would send (with ID tokens minted by the local stand-in),
posts it to the real `/addon/...` endpoint with the same verification as production, and renders
the returned card as HTML: text, facts, inputs, date pickers, dropdowns, buttons and links.
Registered only when the backend is the local stand-in.
"""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, render_template_string, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from ..config import Config
from ..demo.deals import SELLERS
from .resources import services

bp = Blueprint("preview", __name__, url_prefix="/preview")

# Google's HTML subset of card text (Card v1 TextParagraph, DecoratedText.text, Section.header):
# these tags come back as tags, every other "<" stays text, and entities show as their character.
_ALLOWED = re.compile(
    r"&lt;(/?(?:b|i|u|s|strike)|br ?/?|/font|/a|font color=&#34;#[0-9a-fA-F]{6}&#34;"
    r"|a href=&#34;https?://[^&\s]*&#34;)&gt;"
)
_ENTITY = re.compile(r"&amp;(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_SHEET_URL = re.compile(r"^https://docs\.google\.com/spreadsheets/d/([\w-]+)/edit")


def rich(text: str) -> Markup:
    """Card HTML as Google shows it: its small tag subset kept, anything else shown as text.

    So the preview shows what a seller would see: text the add-on escaped reads as typed, and
    markup that reached a card unescaped would be live here too.
    """
    escaped = str(escape(text))
    tagged = _ALLOWED.sub(lambda m: "<" + m.group(1).replace("&#34;", '"') + ">", escaped)
    return Markup(_ENTITY.sub(r"&\1;", tagged))


def _mint(config: Config, audience: str, email: str) -> str:
    body = json.dumps({"audience": audience, "email": email}).encode()
    req = urllib.request.Request(
        f"{config.local_google_url}/_local/id-token",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as response:
        return str(json.loads(response.read())["id_token"])


def _event(config: Config, seller: str, sheet_id: str, form: dict[str, Any]) -> dict[str, Any]:
    inputs: dict[str, Any] = {}
    for key, value in form.items():
        if key.startswith("input_"):
            inputs[key[6:]] = {"stringInputs": {"value": [value]}}
        elif key.startswith("date_") and value:
            day = datetime.fromisoformat(value).replace(tzinfo=UTC)
            inputs[key[5:]] = {"dateInput": {"msSinceEpoch": str(int(day.timestamp() * 1000))}}
    event: dict[str, Any] = {
        "commonEventObject": {"hostApp": "SHEETS", "platform": "WEB", "formInputs": inputs},
        "authorizationEventObject": {
            "userIdToken": _mint(config, config.addon_user_audience, seller),
            "userOAuthToken": "local",
        },
    }
    if form.get("parameters"):
        event["commonEventObject"]["parameters"] = dict(json.loads(form["parameters"]))
    if sheet_id:
        event["sheets"] = {"id": sheet_id, "addonHasFileScopePermission": True}
    return event


def _call(path: str, event: dict[str, Any]) -> dict[str, Any]:
    """Post the event to the real endpoint, signed as Google's add-ons service would sign it."""
    config: Config = current_app.config["MAP"]
    token = _mint(config, config.addon_audience.rstrip("/") + path, config.addon_caller)
    client = current_app.test_client()
    response = client.post(path, json=event, headers={"Authorization": f"Bearer {token}"})
    if response.status_code != 200:
        return {"error": f"{response.status_code}: {response.get_data(as_text=True)[:300]}"}
    return dict(response.get_json())


def _shown(answer: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    action = (answer.get("renderActions") or {}).get("action") or {}
    card = None
    for navigation in action.get("navigations") or []:
        card = navigation.get("pushCard") or navigation.get("updateCard") or card
    note = (action.get("notification") or {}).get("text")
    return card, note or answer.get("error")


@bp.route("/", methods=["GET", "POST"])
def sidebar() -> ResponseReturnValue:
    """The page: pick a seller and a sheet, open the add-on, click through its cards."""
    config: Config = current_app.config["MAP"]
    seller = (request.values.get("as") or SELLERS[0]).strip().lower()
    sheet_id = request.values.get("sheet", "")
    with services().store.transaction() as tx:
        plans = [d for d in tx.deals.newest_first(owner_email=seller) if d.spreadsheet_id]
    card, note = None, None
    if request.method == "POST":
        path, _, parameters = request.form.get("action", "/addon/home").partition("||")
        if not path.startswith("/addon/"):
            path = "/addon/home"
        form = {**request.form, "parameters": parameters}
        card, note = _shown(_call(path, _event(config, seller, sheet_id, form)))
    return render_template_string(
        _PAGE,
        seller=seller,
        sheet_id=sheet_id,
        plans=plans,
        card=card,
        note=note,
        rich=rich,
        link=lambda url: _local_link(config, url, seller),
        date_value=_date_value,
        params=lambda button: json.dumps(
            {p["key"]: p["value"] for p in button["onClick"]["action"].get("parameters", [])}
        ),
        path_of=lambda url: "/" + url.split("/", 3)[-1] if "://" in url else url,
        sellers=SELLERS,
    )


def _local_link(config: Config, url: str, seller: str) -> str:
    """A link to a plan sheet opens it in the stand-in's UI (as the seller) instead of Google."""
    match = _SHEET_URL.match(url)
    if match:
        return f"{config.local_google_url}/_local/ui/s/{match.group(1)}?as={seller}"
    return url


def _date_value(widget: dict[str, Any]) -> str:
    ms = widget.get("valueMsEpoch")
    return datetime.fromtimestamp(int(ms) / 1000, UTC).date().isoformat() if ms else ""


_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>MAP add-on preview</title>
<style>
 body { font: 14px system-ui, sans-serif; margin: 0; display: flex; background: #f1f3f4; }
 .host { flex: 1; padding: 1.5rem; } .side { width: 340px; background: #fff; min-height: 100vh;
   border-left: 1px solid #dadce0; padding: 1rem; box-sizing: border-box; }
 h1 { font-size: 18px; } h2 { font-size: 16px; margin: 0 0 .2rem; } .sub { color: #5f6368; }
 .section { border-top: 1px solid #e0e0e0; padding: .6rem 0; } .sh { font-weight: 600;
   color: #1a73e8; margin-bottom: .3rem; } .label { color: #5f6368; font-size: 12px; }
 .fact { margin: .35rem 0; } input, select { width: 100%; box-sizing: border-box; padding: 4px;
   margin: 2px 0 8px; } button { margin: 4px 4px 4px 0; padding: 6px 10px; background: #1a73e8;
   color: #fff; border: 0; border-radius: 4px; cursor: pointer; } a.button { display: inline-block;
   margin: 4px 0; } .note { background: #e6f4ea; padding: 6px; margin-bottom: 8px; }
</style></head><body>
<div class="host">
 <h1>Google Sheets (local preview)</h1>
 <form method="get">Seller <select name="as">{% for s in sellers %}
  <option {{ 'selected' if s == seller }}>{{ s }}</option>{% endfor %}
  {% if seller not in sellers %}<option selected>{{ seller }}</option>{% endif %}</select>
  Open sheet <select name="sheet"><option value="">(an ordinary spreadsheet)</option>
  {% for d in plans %}<option value="{{ d.spreadsheet_id }}" {{ 'selected' if d.spreadsheet_id
  == sheet_id }}>
  {{ d.name }}</option>{% endfor %}</select>
  <button>Switch</button></form>
 <form method="post"><input type="hidden" name="as" value="{{ seller }}">
  <input type="hidden" name="sheet" value="{{ sheet_id }}">
  <button name="action" value="/addon/home" id="open-addon">Open the MAP add-on</button></form>
</div>
<div class="side" id="sidebar">
{% if note %}<div class="note" id="note">{{ note }}</div>{% endif %}
{% if card %}
<form method="post" id="card"><input type="hidden" name="as" value="{{ seller }}">
 <input type="hidden" name="sheet" value="{{ sheet_id }}">
 <h2>{{ card.header.title }}</h2>{% if card.header.subtitle %}<div class="sub">{{
  card.header.subtitle }}</div>{% endif %}
 {% for section in card.sections %}<div class="section">
  {% if section.header %}<div class="sh">{{ rich(section.header) }}</div>{% endif %}
  {% for w in section.widgets %}
   {% if w.textParagraph %}<p>{{ rich(w.textParagraph.text) }}</p>
   {% elif w.decoratedText %}<div class="fact"><div class="label">{{ w.decoratedText.topLabel
  }}</div>
     <div>{{ rich(w.decoratedText.text) }}</div>{% if w.decoratedText.bottomLabel %}
     <div class="label">{{ w.decoratedText.bottomLabel }}</div>{% endif %}</div>
   {% elif w.textInput %}<label class="label">{{ w.textInput.label }}</label>
     <input name="input_{{ w.textInput.name }}" value="{{ w.textInput.value }}"
      placeholder="{{ w.textInput.hintText or '' }}">
   {% elif w.dateTimePicker %}<label class="label">{{ w.dateTimePicker.label }}</label>
     <input type="date" name="date_{{ w.dateTimePicker.name }}" value="{{
  date_value(w.dateTimePicker) }}">
   {% elif w.selectionInput %}<label class="label">{{ w.selectionInput.label }}</label>
     <select name="input_{{ w.selectionInput.name }}">{% for item in w.selectionInput['items'] %}
      <option value="{{ item.value }}" {{ 'selected' if item.selected }}>{{ item.text
  }}</option>{% endfor %}</select>
   {% elif w.buttonList %}<div>{% for b in w.buttonList.buttons %}
     {% if b.onClick.openLink %}<a class="button" href="{{ link(b.onClick.openLink.url) }}"
  target="_blank">{{ b.text }}</a>
     {% else %}<button type="submit" name="action"
       value="{{ path_of(b.onClick.action.function) }}||{{ params(b) }}">{{ b.text
  }}</button>{% endif %}
   {% endfor %}</div>{% endif %}
  {% endfor %}</div>{% endfor %}
</form>
{% else %}<p class="sub">Open the add-on to see its homepage card.</p>{% endif %}
</div></body></html>"""
