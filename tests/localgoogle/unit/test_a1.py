"""A1 notation: the range forms Sheets accepts, its quoting rules and its normalised echo."""

from __future__ import annotations

import pytest

from localgoogle.a1 import (
    MAX_COLUMNS,
    MAX_ROWS,
    A1Error,
    A1Range,
    cell_name,
    col_index,
    col_letters,
    format_range,
    parse_range,
    quote_sheet,
)


@pytest.mark.parametrize(
    ("index", "letters"),
    [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"), (701, "ZZ")],
)
def test_column_letters_and_indexes_are_inverse(index: int, letters: str) -> None:
    assert col_letters(index) == letters
    assert col_index(letters) == index


def test_column_zzz_is_the_last_column() -> None:
    assert col_letters(MAX_COLUMNS - 1) == "ZZZ"
    assert col_index("ZZZ") == MAX_COLUMNS - 1


def test_column_letters_round_trip_over_the_whole_grid_width() -> None:
    assert all(col_index(col_letters(i)) == i for i in range(MAX_COLUMNS))


def test_column_index_is_case_insensitive() -> None:
    assert col_index("ab") == col_index("AB") == 27


@pytest.mark.parametrize("bad", ["", "A1", "$A", "Ä"])
def test_column_index_rejects_anything_but_letters(bad: str) -> None:
    with pytest.raises(A1Error):
        col_index(bad)


def test_negative_column_index_has_no_letters() -> None:
    with pytest.raises(ValueError):
        col_letters(-1)


def test_cell_names_count_rows_from_one() -> None:
    assert cell_name(0, 0) == "A1"
    assert cell_name(9, 27) == "AB10"


def test_sheet_and_box_range() -> None:
    assert parse_range("Sheet1!A1:B2") == A1Range("Sheet1", 0, 0, 2, 2)


def test_quoted_sheet_names_may_contain_spaces() -> None:
    assert parse_range("'My Sheet'!A1:B2") == A1Range("My Sheet", 0, 0, 2, 2)


def test_quoted_sheet_names_double_their_quotes() -> None:
    assert parse_range("'It''s'!A1") == A1Range("It's", 0, 0, 1, 1)
    assert parse_range("'''quoted'''") == A1Range("'quoted'", None, None, None, None)


def test_quoted_sheet_names_may_contain_bangs_and_colons() -> None:
    assert parse_range("'Q1: plan!'!C3") == A1Range("Q1: plan!", 2, 2, 3, 3)


def test_a_sheet_title_alone_is_the_whole_sheet() -> None:
    whole = parse_range("Sheet1")
    assert whole == A1Range("Sheet1", None, None, None, None)
    assert whole.is_whole_sheet


def test_a_quoted_sheet_title_alone_is_the_whole_sheet() -> None:
    assert parse_range("'My Sheet'") == A1Range("My Sheet", None, None, None, None)


@pytest.mark.parametrize(
    "title", ["Plan", "Deal", "Activity", "Sheet1", "R2D2x", "ABCD1", "My Plan"]
)
def test_a_bare_word_that_is_not_a_cell_is_a_sheet(title: str) -> None:
    assert parse_range(title) == A1Range(title, None, None, None, None)


def test_a_range_without_a_sheet_has_sheet_none() -> None:
    assert parse_range("A1:B2") == A1Range(None, 0, 0, 2, 2)


def test_a_bare_cell_is_a_cell_not_a_sheet() -> None:
    assert parse_range("A1") == A1Range(None, 0, 0, 1, 1)
    assert parse_range("'A1'") == A1Range("A1", None, None, None, None)


def test_a_single_cell_spans_one_row_and_one_column() -> None:
    assert parse_range("Sheet1!C5") == A1Range("Sheet1", 4, 2, 5, 3)


def test_whole_columns_leave_rows_open() -> None:
    assert parse_range("A:A") == A1Range(None, None, 0, None, 1)
    assert parse_range("Sheet1!A:C") == A1Range("Sheet1", None, 0, None, 3)


def test_whole_rows_leave_columns_open() -> None:
    assert parse_range("1:1") == A1Range(None, 0, None, 1, None)
    assert parse_range("Sheet1!2:5") == A1Range("Sheet1", 1, None, 5, None)


def test_a_cell_to_a_column_runs_to_the_bottom() -> None:
    assert parse_range("A2:C") == A1Range(None, 1, 0, None, 3)
    assert parse_range("Sheet1!C2:C") == A1Range("Sheet1", 1, 2, None, 3)


def test_a_cell_to_a_row_runs_to_the_right_edge() -> None:
    assert parse_range("B3:4") == A1Range(None, 2, 1, 4, None)


def test_reversed_corners_are_normalised() -> None:
    assert parse_range("B2:A1") == parse_range("A1:B2")
    assert parse_range("A1:B2") == A1Range(None, 0, 0, 2, 2)
    assert parse_range("C:A") == parse_range("A:C")
    assert parse_range("5:2") == parse_range("2:5")
    assert parse_range("C5:A") == A1Range(None, 4, 0, None, 3)


def test_lowercase_references_are_accepted() -> None:
    assert parse_range("a1:b2") == A1Range(None, 0, 0, 2, 2)
    assert parse_range("Sheet1!aa10") == A1Range("Sheet1", 9, 26, 10, 27)


def test_absolute_markers_are_ignored() -> None:
    assert parse_range("$A$1:$B$2") == A1Range(None, 0, 0, 2, 2)
    assert parse_range("Sheet1!A$1:$B2") == A1Range("Sheet1", 0, 0, 2, 2)
    assert parse_range("$A:$A") == A1Range(None, None, 0, None, 1)
    assert parse_range("$1:$1") == A1Range(None, 0, None, 1, None)


def test_the_last_cell_of_the_grid_is_accepted() -> None:
    assert parse_range(f"ZZZ{MAX_ROWS}") == A1Range(
        None, MAX_ROWS - 1, MAX_COLUMNS - 1, MAX_ROWS, MAX_COLUMNS
    )


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "Sheet1!",
        "!A1",
        "A0",
        "Sheet1!A0",
        "'unterminated",
        "'unterminated!A1",
        "''!A1",
        "'Sheet1'A1",
        "'Sheet1'!",
        "A1:B2:C3",
        "A1:",
        ":B2",
        "Sheet1!A",
        "Sheet1!5",
        "A:5",
        "5:A",
        "Sheet1!A1!B2",
        "AAAA1:B2",
        f"A{MAX_ROWS + 1}",
        "Sheet1!A1 :B2",
        "Sheet1!A$$1",
        "Bob's",
    ],
)
def test_malformed_ranges_raise_with_the_text_as_message(bad: str) -> None:
    with pytest.raises(A1Error) as info:
        parse_range(bad)
    assert str(info.value) == bad


def test_a1_error_is_a_value_error() -> None:
    assert issubclass(A1Error, ValueError)


@pytest.mark.parametrize("title", ["Sheet1", "Plan", "Deal_2024", "_private", "ABCD1"])
def test_plain_titles_are_not_quoted(title: str) -> None:
    assert quote_sheet(title) == title


@pytest.mark.parametrize(
    ("title", "quoted"),
    [
        ("My Sheet", "'My Sheet'"),
        ("it's", "'it''s'"),
        ("2024", "'2024'"),
        ("1st", "'1st'"),
        ("A1", "'A1'"),
        ("AB12", "'AB12'"),
        ("R1C1", "'R1C1'"),
        ("RC", "'RC'"),
        ("C3", "'C3'"),
        ("Plan-B", "'Plan-B'"),
        ("Données", "'Données'"),
        ("", "''"),
    ],
)
def test_titles_that_are_not_plain_or_look_like_references_are_quoted(
    title: str, quoted: str
) -> None:
    assert quote_sheet(title) == quoted


@pytest.mark.parametrize("title", ["My Sheet", "it's", "A1", "R1C1", "Plan", "'x'", "a!b:c"])
def test_quoted_titles_parse_back_to_the_same_title(title: str) -> None:
    assert parse_range(f"{quote_sheet(title)}!B2").sheet == title
    assert parse_range(quote_sheet(title)).sheet == title


def test_format_range_echoes_a_box_like_google() -> None:
    assert format_range("Sheet1", 0, 0, 10, 3) == "Sheet1!A1:C10"


def test_format_range_echoes_a_single_cell_without_a_colon() -> None:
    assert format_range("Sheet1", 1, 1, 2, 2) == "Sheet1!B2"


def test_format_range_quotes_the_sheet_when_needed() -> None:
    assert format_range("My Sheet", 0, 0, 2, 2) == "'My Sheet'!A1:B2"
    assert format_range("it's", 4, 26, 5, 27) == "'it''s'!AA5"


def test_format_range_round_trips_through_parse_range() -> None:
    text = format_range("Deal Room", 3, 2, 9, 7)
    assert parse_range(text) == A1Range("Deal Room", 3, 2, 9, 7)
