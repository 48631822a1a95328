"""Card text builders: sheet and form text is escaped, and bidirectional controls are shown as
their code points instead of reordering the line (https://www.unicode.org/reports/tr9/)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from addon.web import cards

CONTROLS = sorted(cards.BIDI_CONTROLS)


def test_a_right_to_left_override_is_shown_not_obeyed() -> None:
    assert cards.visible("invoice\u202excod.exe") == "invoice[U+202E]xcod.exe"
    assert cards.html("<b>Eve</b>\u2066") == "&lt;b&gt;Eve&lt;/b&gt;[U+2066]"
    assert cards.html(Markup("<b>{}</b>").format("\u200fx")) == "<b>[U+200F]x</b>"


def test_titles_and_labels_show_controls_too() -> None:
    card = cards.card("Deal \u202e", [], subtitle="Co\u202d")
    assert card["header"] == {"title": "Deal [U+202E]", "subtitle": "Co[U+202D]"}
    fact = cards.fact("Role\u202e", "Name", "below\u2067")["decoratedText"]
    assert fact["topLabel"] == "Role[U+202E]" and fact["bottomLabel"] == "below[U+2067]"


@given(st.text(alphabet=st.sampled_from([*CONTROLS, "a", "<", ">", "&", '"', "'", " "])))
def test_no_control_or_markup_survives_in_html_text(typed: str) -> None:
    shown = cards.html(typed)
    assert not any(c in shown for c in cards.BIDI_CONTROLS)
    assert "<" not in shown and ">" not in shown


@given(st.text())
def test_text_without_controls_is_left_as_typed(typed: str) -> None:
    if not any(c in typed for c in cards.BIDI_CONTROLS):
        assert cards.visible(typed) == typed
