"""A small web UI to look at and edit a spreadsheet as a chosen user (to play the buyer locally).

Cells show what Sheets shows (`ui_cells`: dropdowns, checkboxes, date pickers, colours, wrapped
text, formulas' calculated values; `ui_conditional`: conditional formats). Edits go through the
same code as `values.update` with USER_ENTERED input — permissions, protected ranges, revisions
and the Drive change feed included — so what a person types here is what a buyer typing in
Sheets makes; a value a strict validation rule does not accept is refused, as Sheets refuses it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, redirect, render_template_string, request, url_for
from flask.typing import ResponseReturnValue

from . import access
from . import sheetmodel as sm
from .a1 import cell_name, col_letters, quote_sheet
from .context import Caller, local_google
from .errors import ApiError
from .sheets_common import opened
from .ui_cells import cell_view, refusal
from .ui_conditional import conditional_formats
from .values_api import write

bp = Blueprint("ui", __name__, url_prefix="/_local/ui")

EXTRA_ROWS = 5

_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{{ title }} · local Google</title>
<style>
 body { font: 14px system-ui, sans-serif; margin: 1.5rem; color: #202124; }
 table { border-collapse: collapse; } td, th { border: 1px solid #dadce0; padding: 0; }
 th { background: #f1f3f4; font-weight: 500; padding: 2px 6px; }
 input.cell { border: 0; padding: 3px 6px; width: 9rem; font: inherit; }
 .tabs a { margin-right: 1rem; } .tabs a.on { font-weight: 700; }
 .error { color: #b3261e; } .muted { color: #5f6368; }
</style></head><body>
<form method="get" action="{{ url_for('ui.home') }}">Acting as
 <input name="as" value="{{ user }}" size="30"> <button>switch</button></form>
{% if error %}<p class="error">{{ error }}</p>{% endif %}
{{ body|safe }}
</body></html>"""


def _page(title: str, user: str, body: str, error: str | None = None) -> str:
    return render_template_string(_PAGE, title=title, user=user, body=body, error=error)


def _user() -> str:
    return (request.values.get("as") or "").strip().lower()


@bp.get("/")
def home() -> ResponseReturnValue:
    """The files the chosen user can see."""
    user = _user()
    if not user:
        body = render_template_string(
            "<p>Enter an email address to act as.</p>"
            "<p><a href='{{ url_for('ui_mail.mail') }}'>Mail</a>: every message sent and "
            "every draft saved through the Gmail API</p>"
        )
        return _page("local Google", "", body)
    with local_google().storage.transaction() as tx:
        files = [
            (meta, role)
            for meta in tx.files()
            if (role := access.role_of(tx, meta, user)) and not meta.get("trashed")
        ]
    body = render_template_string(
        "<p><a href='{{ url_for('ui_mail.mail', **{'as': user}) }}'>Mail</a>: the messages "
        "sent and drafted through the Gmail API</p>"
        "<h1>Files shared with {{ user }}</h1>{% if not files %}<p class=muted>None.</p>{% endif %}"
        "<ul>{% for meta, role in files %}<li>"
        "{% if meta.mimeType.endswith('spreadsheet') %}"
        "<a href='{{ url_for('ui.sheet', file_id=meta.id, **{'as': user}) }}'>{{ meta.name }}</a>"
        "{% else %}{{ meta.name }}{% endif %} <span class=muted>({{ role }})</span></li>"
        "{% endfor %}</ul>",
        files=files,
        user=user,
    )
    return _page("local Google", user, body)


@bp.route("/s/<file_id>", methods=["GET", "POST"])
def sheet(file_id: str) -> ResponseReturnValue:
    """One tab of a spreadsheet as Sheets shows it, editable; POST writes the changed cells."""
    user = _user()
    tab = request.values.get("tab")
    error = None
    if request.method == "POST":
        try:
            refused = save_edits(user, file_id, tab or "", _edits())
        except ApiError as exc:
            refused = [exc.message]
        if not refused:
            query = urlencode({"as": user, "tab": tab or ""})
            return redirect(url_for("ui.sheet", file_id=file_id) + "?" + query)
        error = " ".join(refused)
    try:
        with opened(Caller(user, {}), file_id, "reader") as o:
            doc = o.doc
            role = access.role_of(o.tx, o.meta, user)
    except ApiError as exc:
        return _page("local Google", user, "", exc.message), exc.code
    target = sm.sheet_by_title(doc, tab or "") or doc["sheets"][0]
    context = grid_context(doc, target, user, role or "", file_id)
    return _page(doc["properties"]["title"], user, render_template_string(_GRID, **context), error)


Edit = tuple[int, int, str]  # (row, column, typed value), 0-based


def _edits() -> list[Edit]:
    """The cells the form changed: a checkbox posts its unchecked value, then its checked value
    when ticked (the last one counts); unchanged cells are left out. A browser sends a text
    area's line breaks as CRLF: they are compared and written as the cell's LF."""
    edits = []
    for key in request.form:
        where = key.split("_")
        if len(where) != 3 or where[0] != "c" or not (where[1] + where[2]).isdigit():
            continue
        value = request.form.getlist(key)[-1].replace("\r\n", "\n")
        if value == (request.form.get("o" + key[1:]) or "").replace("\r\n", "\n"):
            continue
        edits.append((int(where[1]), int(where[2]), value))
    return edits


def save_edits(user: str, file_id: str, tab: str, edits: list[Edit]) -> list[str]:
    """Write the edits as `values.update` with USER_ENTERED input does (permissions, protected
    ranges, recalculation, revision and Drive change included), all or nothing; the refusals
    of strict validation rules, by cell, when any (then nothing is written)."""
    with opened(Caller(user, {}), file_id, "writer") as o:
        target = sm.sheet_by_title(o.doc, tab) or o.doc["sheets"][0]
        name = quote_sheet(sm.title(target))
        refused = [
            f"{name}!{cell_name(row, col)}: {reason}"
            for row, col, value in edits
            if (reason := refusal(sm.cell(target, row, col), value)) is not None
        ]
        if refused or not edits:
            return refused
        for row, col, value in edits:
            write(o, f"{name}!{cell_name(row, col)}", {"values": [[value]]}, "USER_ENTERED")
        o.save()
    return []


_GRID = """<h1>{{ title }}</h1>
<p class="muted">{{ role }} · <a href="{{ url_for('ui.home', **{'as': user}) }}">all files</a></p>
<p class="tabs">{% for t in tabs %}<a class="{{ 'on' if t == tab else '' }}"
 href="{{ url_for('ui.sheet', file_id=file_id, tab=t, **{'as': user}) }}">{{ t }}</a>
{% endfor %}</p>
<form method="post"><input type="hidden" name="as" value="{{ user }}">
<input type="hidden" name="tab" value="{{ tab }}">
<table class="grid"><tr><th></th>{% for c, px in columns %}<th style="width: {{ px }}px">{{ c }}
</th>{% endfor %}</tr>
{% for r, row in rows %}<tr><th>{{ r + 1 }}</th>{% for v in row %}{% set n = v.row ~ '_' ~ v.col %}
<td class="{{ v.kind }}{{ ' noted' if v.note else '' }}{{ ' invalid' if v.invalid else '' }}"
 style="{{ v.style }}" title="{{ ('Invalid: ' ~ v.invalid) if v.invalid else (v.note or v.hint) }}">
{%- if v.kind == 'select' -%}
<select class="cell" name="c_{{ n }}" {{ off }}><option value=""></option>
{% for choice in v.choices -%}
<option {{ 'selected' if choice == v.value else '' }}>{{ choice }}</option>
{% endfor %}{% if v.value and v.value not in v.choices %}<option selected>{{ v.value }}</option>
{% endif %}</select>
{%- elif v.kind == 'checkbox' -%}
<input type="hidden" name="c_{{ n }}" value="{{ v.unchecked_value }}">
<input type="checkbox" class="box" name="c_{{ n }}" value="{{ v.checked_value }}"
 {{ 'checked' if v.value == v.checked_value else '' }} {{ off }}>
{%- elif v.kind == 'date' -%}
<input type="date" class="cell" name="c_{{ n }}" value="{{ v.value }}" {{ ro }}>
{%- elif v.kind == 'wrap' -%}
<textarea class="cell" name="c_{{ n }}" rows="{{ lines(v.value, v.col) }}" {{ ro }}>
{{- v.value }}</textarea>
{%- else -%}
<input class="cell" name="c_{{ n }}" value="{{ v.value }}" {{ ro }}
 {% if v.formula %}data-formula="{{ v.formula }}"{% endif %}>
{%- endif %}
<input type="hidden" name="o_{{ n }}" value="{{ v.value }}"></td>{% endfor %}</tr>{% endfor %}
</table>{% if not readonly %}<p><button>Save changes</button></p>{% endif %}</form>
<style>
 table.grid td { vertical-align: top; } table.grid .cell { width: 100%; box-sizing: border-box;
  background: transparent; color: inherit; font-weight: inherit; font-style: inherit;
  text-decoration: inherit; text-align: inherit; }
 table.grid textarea.cell { border: 0; padding: 3px 6px; font: inherit; resize: vertical;
  white-space: pre-wrap; overflow-wrap: anywhere; }
 table.grid select.cell { border: 0; padding: 2px 4px; }
 table.grid td.checkbox { text-align: center; }
 table.grid td.noted { box-shadow: inset -6px 6px 0 -3px #f29900; }
 table.grid td.invalid { box-shadow: inset -6px 6px 0 -3px #d93025; }
</style>
<script>
 document.querySelectorAll("input[data-formula]").forEach(function (input) {
  input.addEventListener("focus", function () {
   if (input.dataset.editing) { return; }
   input.dataset.editing = "1";
   var original = document.getElementsByName("o" + input.name.slice(1))[0];
   input.value = input.dataset.formula; original.value = input.dataset.formula;
  });
 });
</script>"""


def grid_context(
    doc: sm.Doc, target: sm.Sheet, user: str, role: str, file_id: str
) -> dict[str, Any]:
    """What the grid template draws: the used area and a few empty rows, each cell's view."""
    used_rows, used_cols = sm.used_extent(target)
    rows_total, cols_total = sm.grid_size(target)
    height = min(rows_total, used_rows + EXTRA_ROWS)
    width = min(cols_total, max(used_cols, 1) + 1)
    formats = conditional_formats(doc, target, height, width, datetime.now(UTC).date())
    # A column hidden by a user (DimensionProperties.hiddenByUser) is not drawn, as in Sheets;
    # its cells are not in the form, so a save leaves them as they are.
    columns = [sm.dimension_size(target, "COLUMNS", c) for c in range(width)]
    shown = [c for c in range(width) if not columns[c].get("hiddenByUser")]
    rows = [
        (r, [cell_view(sm.cell(target, r, c), r, c, formats.get((r, c))) for c in shown])
        for r in range(height)
    ]
    readonly = access.ROLE_RANK.get(role, 0) < access.ROLE_RANK["writer"]
    widths = [props["pixelSize"] for props in columns]
    return {
        "lines": lambda text, col: wrapped_lines(text, widths[col]),
        "title": doc["properties"]["title"],
        "tabs": [sm.title(s) for s in doc["sheets"]],
        "tab": sm.title(target),
        "columns": [(col_letters(c), widths[c]) for c in shown],
        "rows": rows,
        "user": user,
        "role": role,
        "readonly": readonly,
        "ro": "readonly" if readonly else "",
        "off": "disabled" if readonly else "",
        "file_id": file_id,
    }


def wrapped_lines(text: str, pixels: int) -> int:
    """How many lines a wrapped cell's text takes in a column this wide (about 7 pixels a
    character): Sheets grows a row to show its wrapped text whole; capped at 12 lines here."""
    per_line = max(1, (int(pixels) - 12) // 7)
    lines = sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
    return max(1, min(12, lines))
