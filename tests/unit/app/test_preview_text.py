"""The preview renders card text as Google does: a small formatting subset, nothing else."""

from __future__ import annotations

from addon.web.preview import rich


def test_formatting_subset_is_kept_and_everything_else_is_escaped() -> None:
    shown = str(rich('<b>Due</b> <font color="#b3261e">late</font> <script>alert(1)</script>'))
    assert shown.startswith('<b>Due</b> <font color="#b3261e">late</font> ')
    assert "<script>" not in shown and "&lt;script&gt;" in shown


def test_attributes_other_than_a_hex_colour_are_escaped() -> None:
    shown = str(rich('<font color="red" onmouseover="x()">hi</font>'))
    assert "<font" not in shown.replace("</font>", "")
