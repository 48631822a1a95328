"""Checking command-line values while the arguments are read, before any work starts.

Each converter is an argparse `type=`: a bad value ends the command with one line on stderr
and exit status 2 (`CliParser.error`), before a store is opened or Google is called. Only light
modules are imported here: `map-addon --help` stays instant.
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NoReturn

from .domain.plan_request import InvalidPlanRequest, normalise_email

ArgType = Callable[[str], object]


class CliParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line: what is wrong, and where help is."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An int in [low, high]; the message says the range."""

    def convert(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not between {low} and {high}")
        return value

    convert.__name__ = "whole number"
    return convert


def port(text: str) -> int:
    """A TCP port, 0 (any free port) to 65535."""
    return whole_number(0, 65535)(text)


def seconds(text: str) -> float:
    """A positive, finite number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def share(text: str) -> float:
    """A fraction from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"{text!r} is not between 0 and 1")
    return value


def iso_date(text: str) -> date:
    """A calendar date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date as YYYY-MM-DD") from None


def email(text: str) -> str:
    """An email address, trimmed and lower-cased."""
    try:
        return normalise_email(text, "")
    except InvalidPlanRequest:
        raise argparse.ArgumentTypeError(f"{text.strip()!r} is not an email address") from None


def _writable_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"the folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"the folder {str(folder)!r} is not writable")


def xlsx_file(text: str) -> Path:
    """Where an .xlsx file may be written: its folder exists and is writable."""
    path = Path(text).expanduser()
    if path.suffix.lower() != ".xlsx":
        raise argparse.ArgumentTypeError(f"{text!r} does not end in .xlsx")
    _writable_folder(path.parent.resolve())
    if path.exists() and (not path.is_file() or not os.access(path, os.W_OK)):
        raise argparse.ArgumentTypeError(f"{text!r} exists and cannot be overwritten")
    return path


def data_folder(text: str) -> Path:
    """A folder for data: an existing writable one, or one that can be made under one."""
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is not a folder")
    existing = path.resolve()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} cannot be a folder: {existing} is a file")
    _writable_folder(existing)
    return path


def existing_file(text: str) -> Path:
    """A file that exists and can be read."""
    path = Path(text).expanduser()
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{text!r} is not a file")
    if not os.access(path, os.R_OK):
        raise argparse.ArgumentTypeError(f"{text!r} cannot be read")
    return path
