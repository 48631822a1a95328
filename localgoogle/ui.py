"""A small web UI to look at and edit a spreadsheet as a chosen user (to play the buyer locally).

Edits go through the same code as `values.update` with USER_ENTERED input — permissions and
protected ranges included — so what a person types here is what a buyer typing in Sheets makes.
"""

from __future__ import annotations

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
    """One tab of a spreadsheet as an editable grid; POST writes the changed cells."""
    user = _user()
    tab = request.values.get("tab")
    error = None
    if request.method == "POST":
        try:
            with opened(Caller(user, {}), file_id, "writer") as o:
                target = sm.sheet_by_title(o.doc, tab or "") or o.doc["sheets"][0]
                for key, value in request.form.items():
                    if not key.startswith("c_") or value == request.form.get("o" + key[1:]):
                        continue
                    _, row, col = key.split("_")
                    a1 = f"{quote_sheet(sm.title(target))}!{cell_name(int(row), int(col))}"
                    write(o, a1, {"values": [[value]]}, "USER_ENTERED")
                o.save()
            query = urlencode({"as": user, "tab": tab or ""})
            return redirect(url_for("ui.sheet", file_id=file_id) + "?" + query)
        except ApiError as exc:
            error = exc.message
    try:
        with opened(Caller(user, {}), file_id, "reader") as o:
            doc = o.doc
            role = access.role_of(o.tx, o.meta, user)
    except ApiError as exc:
        return _page("local Google", user, "", exc.message), exc.code
    target = sm.sheet_by_title(doc, tab or "") or doc["sheets"][0]
    body = render_template_string(_GRID, **_grid_context(doc, target, user, role or "", file_id))
    return _page(doc["properties"]["title"], user, body, error)


_GRID = """<h1>{{ title }}</h1>
<p class="muted">{{ role }} · <a href="{{ url_for('ui.home', **{'as': user}) }}">all files</a></p>
<p class="tabs">{% for t in tabs %}<a class="{{ 'on' if t == tab else '' }}"
 href="{{ url_for('ui.sheet', file_id=file_id, tab=t, **{'as': user}) }}">{{ t }}</a>
{% endfor %}</p>
<form method="post"><input type="hidden" name="as" value="{{ user }}">
<input type="hidden" name="tab" value="{{ tab }}">
<table><tr><th></th>{% for c in columns %}<th>{{ c }}</th>{% endfor %}</tr>
{% for r, row in rows %}<tr><th>{{ r + 1 }}</th>{% for c, shown, typed in row %}<td>
<input class="cell" name="c_{{ r }}_{{ c }}" value="{{ typed }}" title="{{ shown }}"
 {{ 'readonly' if readonly else '' }}>
<input type="hidden" name="o_{{ r }}_{{ c }}" value="{{ typed }}"></td>{% endfor %}</tr>{% endfor %}
</table>{% if not readonly %}<p><button>Save changes</button></p>{% endif %}</form>"""


def _grid_context(
    doc: sm.Doc, target: sm.Sheet, user: str, role: str, file_id: str
) -> dict[str, Any]:
    used_rows, used_cols = sm.used_extent(target)
    rows_total, cols_total = sm.grid_size(target)
    height = min(rows_total, used_rows + EXTRA_ROWS)
    width = min(cols_total, max(used_cols, 1) + 1)
    rows = []
    for r in range(height):
        row = []
        for c in range(width):
            stored = sm.cell(target, r, c) or {}
            entered = stored.get("userEnteredValue") or {}
            typed = entered.get("formulaValue", stored.get("formattedValue", ""))
            row.append((c, stored.get("formattedValue", ""), typed))
        rows.append((r, row))
    return {
        "title": doc["properties"]["title"],
        "tabs": [sm.title(s) for s in doc["sheets"]],
        "tab": sm.title(target),
        "columns": [col_letters(c) for c in range(width)],
        "rows": rows,
        "user": user,
        "role": role,
        "readonly": access.ROLE_RANK.get(role, 0) < access.ROLE_RANK["writer"],
        "file_id": file_id,
    }
