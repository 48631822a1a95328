"""The stand-in's storage keeps what it is given, whatever JSON library encodes it."""

from __future__ import annotations

from pathlib import Path

from localgoogle.storage import Storage


def test_a_spreadsheet_round_trips_with_text_numbers_and_an_integer_beyond_64_bits(
    tmp_path: Path,
) -> None:
    # orjson refuses integers beyond 64 bits; a value a client sends as one is kept all the same
    doc = {
        "spreadsheetId": "s1",
        "properties": {"title": "Plan — Acme, ünïcode"},
        "cells": [[1, 2.5, True, None, "=A1", 2**70, -(2**64)]],
    }
    storage = Storage(tmp_path)
    try:
        with storage.transaction() as tx:
            tx.put_spreadsheet(doc)
        with storage.transaction() as tx:
            assert tx.spreadsheet("s1") == doc
            assert tx.spreadsheet("missing") is None
    finally:
        storage.close()
