"""Every command explains itself: each option has a help line with an example."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from addon import cli


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """(the words that reach it, the parser) for the top parser and every sub-command."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _commands(child, (*path, name))


COMMANDS = list(_commands(cli._parser()))
LEAVES = [
    (path, parser)
    for path, parser in COMMANDS
    if not any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)
]


def test_the_walk_finds_every_command() -> None:
    names = {" ".join(path) for path, _ in LEAVES}
    assert {"run", "local-google", "serve", "plan create", "plan list", "templates list"} <= names
    assert {"templates check", "demo", "deal close", "deal hold", "deal reopen"} <= names
    assert {"deal end-sharing", "notify", "watch", "consolidate"} <= names


@pytest.mark.parametrize(("path", "parser"), LEAVES, ids=[" ".join(p) for p, _ in LEAVES])
def test_every_option_has_a_help_line_with_an_example(
    path: tuple[str, ...], parser: argparse.ArgumentParser
) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        name = "/".join(action.option_strings) or action.dest
        assert action.help, f"map-addon {' '.join(path)} {name} has no help"
        assert "e.g. " in action.help, f"map-addon {' '.join(path)} {name}: no example"


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=[" ".join(p) for p, _ in COMMANDS])
def test_help_of_every_command_exits_0(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: map-addon {' '.join(path)}".rstrip())
