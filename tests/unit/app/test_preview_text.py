"""The preview renders card text as Google does: a small formatting subset, nothing else."""

from __future__ import annotations

from markupsafe import escape

from addon.web.preview import rich


def test_formatting_subset_is_kept_and_everything_else_is_escaped() -> None:
    shown = str(rich('<b>Due</b> <font color="#b3261e">late</font> <script>alert(1)</script>'))
    assert shown.startswith('<b>Due</b> <font color="#b3261e">late</font> ')
    assert "<script>" not in shown and "&lt;script&gt;" in shown


def test_attributes_other_than_a_hex_colour_are_escaped() -> None:
    shown = str(rich('<font color="red" onmouseover="x()">hi</font>'))
    assert "<font" not in shown.replace("</font>", "")


def test_text_the_add_on_escaped_reads_as_typed_and_raw_markup_would_be_live() -> None:
    typed = '<a href="http://evil.example/phish">Re-authenticate</a>'
    escaped = str(rich(str(escape(typed))))
    assert "<a " not in escaped and "&lt;a href=" in escaped  # the browser shows the text
    assert '<a href="http://evil.example/phish">' in str(rich(typed))  # as Google would render
    assert str(rich("Q&amp;A")) == "Q&amp;A"
