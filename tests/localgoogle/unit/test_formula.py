"""The local formula evaluator: syntax, precedence, coercions, functions and errors as in Sheets."""

from __future__ import annotations

import datetime

import pytest

from localgoogle.a1 import parse_range
from localgoogle.formula import CellError, Value, evaluate, references

TODAY = datetime.date(2024, 3, 15)
OWN = "Sheet1"


class DictResolver:
    """Cells keyed by A1 text (`"B2"` on the formula's sheet, `"Sheet2!B2"` elsewhere)."""

    def __init__(self, cells: dict[str, Value] | None = None, rows: int = 20, cols: int = 6):
        self.rows, self.cols = rows, cols
        self.sheets = {OWN, "Sheet2", "My Sheet"}
        self.values: dict[tuple[str, int, int], Value] = {}
        for key, value in (cells or {}).items():
            r = parse_range(key)
            assert r.start_row is not None and r.start_col is not None
            self.values[(r.sheet or OWN, r.start_row, r.start_col)] = value
        self.calls: list[str] = []

    def cell(self, sheet: str | None, row: int, col: int) -> Value:
        self.calls.append("cell")
        return self.values.get((sheet or OWN, row, col))

    def area(
        self,
        sheet: str | None,
        start_row: int,
        start_col: int,
        end_row: int | None,
        end_col: int | None,
    ) -> list[list[Value]]:
        self.calls.append("area")
        end_row = self.rows if end_row is None else min(end_row, self.rows)
        end_col = self.cols if end_col is None else min(end_col, self.cols)
        return [
            [self.values.get((sheet or OWN, r, c)) for c in range(start_col, end_col)]
            for r in range(start_row, end_row)
        ]

    def has_sheet(self, sheet: str) -> bool:
        return sheet in self.sheets


def ev(formula: str, cells: dict[str, Value] | None = None) -> Value:
    return evaluate(formula, DictResolver(cells), TODAY)


def error_of(formula: str, cells: dict[str, Value] | None = None) -> CellError:
    result = ev(formula, cells)
    assert isinstance(result, CellError), result
    return result


# --- literals and operators ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=42", 42.0),
        ("=3.25", 3.25),
        ("=.5", 0.5),
        ("=1e3", 1000.0),
        ("=2.5E-1", 0.25),
        ('="hello"', "hello"),
        ('="say ""hi"""', 'say "hi"'),
        ('=""', ""),
        ("=TRUE", True),
        ("=false", False),
        ("=TRUE()", True),
    ],
)
def test_literals_evaluate_to_themselves(formula: str, expected: Value) -> None:
    assert ev(formula) == expected


def test_number_results_are_floats() -> None:
    result = ev("=1+2")
    assert result == 3.0 and isinstance(result, float)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=1+2*3", 7.0),
        ("=(1+2)*3", 9.0),
        ("=10-4-3", 3.0),
        ("=12/4/3", 1.0),
        ("=2^3", 8.0),
        ("=2^3^2", 64.0),
        ("=-2^2", 4.0),
        ("=2*-3", -6.0),
        ("=--1", 1.0),
        ("=+5", 5.0),
        ("=50%", 0.5),
        ("=-50%", -0.5),
        ("=200*10%", 20.0),
        ("=2^50%*4", 2**0.5 * 4),
        ("= 1 +  1 ", 2.0),
        ("=1+2&3", "33"),
        ("=1+2=3", True),
        ('="a"&"b"="AB"', True),
    ],
)
def test_operators_follow_sheets_precedence(formula: str, expected: Value) -> None:
    assert ev(formula) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=1=1", True),
        ("=1<>1", False),
        ("=1<2", True),
        ("=2>1", True),
        ("=2<=2", True),
        ("=3>=4", False),
        ('="abc"="ABC"', True),
        ('="apple"<"Banana"', True),
        ('="10"=10', False),
        ('=1<"a"', True),
        ('="z"<TRUE', True),
        ("=FALSE>99", True),
        ("=A1=0", True),
        ('=A1=""', True),
        ("=A1=FALSE", True),
    ],
)
def test_comparisons_order_numbers_text_booleans_and_ignore_case(
    formula: str, expected: bool
) -> None:
    assert ev(formula) is expected


def test_concatenation_writes_numbers_and_booleans_as_text() -> None:
    assert ev('="n="&3&" "&0.5&" "&TRUE&A1') == "n=3 0.5 TRUE"
    assert ev('=""&1e21') == "1E+21"
    assert ev('=""&(0.1+0.2)') == "0.3"


# --- references ---------------------------------------------------------------------------


def test_cell_references_read_the_resolver() -> None:
    cells: dict[str, Value] = {"A1": 2.0, "B2": 3.0, "Sheet2!A1": 10.0, "My Sheet!C3": 5.0}
    assert ev("=A1*B2", cells) == 6.0
    assert ev("=$A$1+$B2", cells) == 5.0
    assert ev("=a1", cells) == 2.0
    assert ev("=Sheet2!A1+1", cells) == 11.0
    assert ev("='My Sheet'!C3*2", cells) == 10.0


def test_a_direct_reference_to_an_empty_cell_is_empty() -> None:
    assert ev("=Z9") is None


def test_ranges_feed_functions_including_open_ranges() -> None:
    cells: dict[str, Value] = {"A1": 1.0, "A2": 2.0, "A3": 3.0, "B2": 4.0, "Sheet2!A9": 7.0}
    assert ev("=SUM(A1:B3)", cells) == 10.0
    assert ev("=SUM(A:A)", cells) == 6.0
    assert ev("=SUM(2:2)", cells) == 6.0
    assert ev("=SUM(A2:B)", cells) == 9.0
    assert ev("=SUM(Sheet2!A1:A9)", cells) == 7.0
    assert ev("=SUM(B3:A1)", cells) == 10.0


def test_a_reference_to_a_missing_sheet_is_a_ref_error() -> None:
    assert error_of("=Nope!A1+1") == CellError("REF", "Unresolved sheet name 'Nope'.")
    assert error_of("=SUM('No Such'!A:A)").message == "Unresolved sheet name 'No Such'."


def test_a_multi_cell_range_where_one_value_is_needed_is_a_value_error() -> None:
    assert error_of("=A1:A3+1").type == "VALUE"
    assert error_of("=A1:B2").type == "VALUE"


def test_references_lists_cells_and_ranges_in_order() -> None:
    formula = "=SUM(A1:B2, Sheet2!C3) + 'My Sheet'!A:A + SUM(2:3) + COUNT(A2:C) + $D$4"
    assert references(formula) == [
        (None, 0, 0, 2, 2),
        ("Sheet2", 2, 2, 3, 3),
        ("My Sheet", 0, 0, None, 1),
        (None, 1, 0, 3, None),
        (None, 1, 0, None, 3),
        (None, 3, 3, 4, 4),
    ]


def test_references_of_an_unparsable_formula_are_empty() -> None:
    assert references("=SUM(A1") == []
    assert references("not a formula") == []


def test_references_include_missing_sheets_and_skip_literals() -> None:
    assert references('=Nope!B2&"A1"') == [("Nope", 1, 1, 2, 2)]


# --- coercions ----------------------------------------------------------------------------


def test_empty_cells_are_zero_in_arithmetic_and_empty_in_text() -> None:
    assert ev("=A1+1") == 1.0
    assert ev('="x"&A1&"y"') == "xy"


def test_numeric_text_is_coerced_in_arithmetic() -> None:
    assert ev('="3"+1') == 4.0
    assert ev("=A1*2", {"A1": " 1,500.5 "}) == 3001.0
    assert ev('="50%"*2') == 1.0
    assert ev('=-"2e2"') == -200.0


def test_booleans_are_one_and_zero_in_arithmetic() -> None:
    assert ev("=TRUE+TRUE") == 2.0
    assert ev("=FALSE*5+1") == 1.0


def test_non_numeric_text_in_arithmetic_is_a_value_error() -> None:
    assert error_of('="abc"+1') == CellError(
        "VALUE",
        "Function ADD parameter 1 expects number values. "
        "But 'abc' is a text and cannot be coerced to a number.",
    )
    assert error_of("=2*A1", {"A1": "n/a"}).message.startswith("Function MULTIPLY parameter 2")


# --- errors -------------------------------------------------------------------------------


def test_division_by_zero_is_div0_error() -> None:
    error = error_of("=1/0")
    assert error == CellError("DIVIDE_BY_ZERO", "Function DIVIDE parameter 2 cannot be zero.")
    assert error.display == "#DIV/0!"
    assert error_of("=5/A1").type == "DIVIDE_BY_ZERO"


def test_unknown_functions_are_name_errors_in_lowercase() -> None:
    assert error_of("=FOO(1)") == CellError("NAME", "Unknown function: 'foo'.")
    assert error_of('=IMPORTXML("u","x")').message == "Unknown function: 'importxml'."


def test_unknown_bare_identifiers_are_name_errors() -> None:
    assert error_of("=XYZ") == CellError("NAME", "Unknown range name: 'XYZ'.")
    assert error_of("=A0+1").message == "Unknown range name: 'A0'."


@pytest.mark.parametrize(
    "formula",
    ["=", "=1+", "=(1", "=1)", "=SUM(1,2", "=1 2", '="open', "=1==1", "=#", "=A1:", "1+1", ""],
)
def test_syntax_errors_are_formula_parse_errors(formula: str) -> None:
    error = error_of(formula)
    assert error == CellError("ERROR", "Formula parse error.")
    assert error.display == "#ERROR!"


def test_overflow_and_impossible_powers_are_num_errors() -> None:
    assert error_of("=10^400").type == "NUM"
    assert error_of("=(-8)^(1/3)").type == "NUM"
    assert error_of("=0^-1").type == "DIVIDE_BY_ZERO"


def test_errors_in_cells_propagate_through_arithmetic_and_functions() -> None:
    na = CellError("N_A", "Not found.")
    assert ev("=A1+1", {"A1": na}) == na
    assert ev('=A1&"x"', {"A1": na}) == na
    assert ev("=-A1", {"A1": na}) == na
    assert ev("=SUM(A1:A3)", {"A1": 1.0, "A2": na}) == na
    assert ev("=ABS(A1)", {"A1": na}) == na
    assert ev("=A1>1", {"A1": na}) == na


def test_the_first_error_wins() -> None:
    assert error_of("=1/0+FOO(1)").type == "DIVIDE_BY_ZERO"
    assert error_of("=FOO(1)+1/0").type == "NAME"
    assert error_of('=SUM(1/0,"x"+1)').type == "DIVIDE_BY_ZERO"


@pytest.mark.parametrize(
    ("kind", "display"),
    [
        ("ERROR", "#ERROR!"),
        ("NULL_VALUE", "#NULL!"),
        ("DIVIDE_BY_ZERO", "#DIV/0!"),
        ("VALUE", "#VALUE!"),
        ("REF", "#REF!"),
        ("NAME", "#NAME?"),
        ("NUM", "#NUM!"),
        ("N_A", "#N/A"),
    ],
)
def test_error_types_display_like_sheets(kind: str, display: str) -> None:
    assert CellError(kind, "m").display == display


def test_wrong_argument_counts_are_na_errors() -> None:
    assert error_of("=SUM()") == CellError(
        "N_A",
        "Wrong number of arguments to SUM. Expected at least 1 arguments, but got 0 arguments.",
    )
    assert "Expected between 2 and 3 arguments, but got 1" in error_of("=IF(TRUE)").message
    assert "Expected 0 arguments, but got 1" in error_of("=TODAY(1)").message
    assert "Expected 1 arguments, but got 2" in error_of("=abs(1,2)").message


# --- functions ----------------------------------------------------------------------------

MIXED: dict[str, Value] = {"A1": 1.0, "A2": "text", "A3": 2.0, "A4": True, "A5": "7", "B1": 3.0}


def test_function_names_are_case_insensitive() -> None:
    assert ev("=sum(1,2)") == ev("=Sum(1,2)") == ev("=SUM(1,2)") == 3.0


def test_sum_adds_numbers_and_ignores_text_blanks_and_booleans_in_ranges() -> None:
    assert ev("=SUM(A1:A6)", MIXED) == 3.0
    assert ev("=SUM(A1:B1, 10)", MIXED) == 14.0
    assert ev('=SUM("4", TRUE, 1)') == 6.0
    assert ev("=SUM(A2)", MIXED) == 0.0


def test_sum_of_direct_text_is_a_value_error() -> None:
    assert error_of('=SUM("abc")').message.startswith("Function SUM parameter 1")


def test_min_and_max_ignore_text_and_default_to_zero() -> None:
    assert ev("=MIN(A1:A6)", MIXED) == 1.0
    assert ev("=MAX(A1:A6)", MIXED) == 2.0
    assert ev("=MIN(A1:B3, -4)", MIXED) == -4.0
    assert ev("=MAX(C1:C9)") == 0.0
    assert ev("=MIN(C1:C9)") == 0.0


def test_count_counts_numbers_and_counta_counts_non_empty_values() -> None:
    cells = dict(MIXED, A6=CellError("VALUE", "x"))
    assert ev("=COUNT(A1:A9)", cells) == 2.0
    assert ev("=COUNTA(A1:A9)", cells) == 6.0
    assert ev('=COUNT(1, "a", 2)') == 2.0
    assert ev('=COUNTA(1, "a", "")') == 3.0


def test_average_divides_the_sum_by_the_count_of_numbers() -> None:
    assert ev("=AVERAGE(A1:A6)", MIXED) == 1.5
    assert ev("=AVERAGE(2, 4, 9)") == 5.0
    assert error_of("=AVERAGE(C1:C3)").type == "DIVIDE_BY_ZERO"


def test_if_picks_a_branch_and_evaluates_only_that_branch() -> None:
    assert ev('=IF(1>0, "yes", "no")') == "yes"
    assert ev('=IF(0, "yes", "no")') == "no"
    assert ev("=IF(FALSE, 1)") is False
    assert ev("=IF(A1=0, 0, 1/A1)") == 0.0
    assert ev('=IF("true", 1, 2)') == 1.0
    assert ev("=IF(A1, 1, 2)") == 2.0


def test_if_with_a_text_condition_is_a_value_error() -> None:
    assert error_of('=IF("maybe", 1, 2)').message == (
        "Function IF parameter 1 expects boolean values. "
        "But 'maybe' is a text and cannot be coerced to a boolean."
    )


def test_an_empty_argument_is_an_empty_value() -> None:
    assert ev("=IF(TRUE,,1)") is None
    assert ev("=SUM(1,,2)") == 3.0


def test_and_or_not_combine_truth_values() -> None:
    assert ev("=AND(TRUE, 1, 2>1)") is True
    assert ev("=AND(TRUE, 0)") is False
    assert ev("=OR(FALSE, 0, 1)") is True
    assert ev("=OR(FALSE, 0)") is False
    assert ev("=NOT(FALSE)") is True
    assert ev("=NOT(3)") is False
    assert ev("=AND(A1:A4)", MIXED) is True
    assert ev("=OR(C1:C3, FALSE)") is False


def test_and_without_any_truth_value_is_a_value_error() -> None:
    assert error_of("=AND(A2)", MIXED) == CellError("VALUE", "AND has no valid input data.")
    assert error_of('=OR("x")').type == "VALUE"


def test_today_is_the_serial_number_of_the_given_date() -> None:
    expected = float((TODAY - datetime.date(1899, 12, 30)).days)
    assert ev("=TODAY()") == expected == 45366.0
    assert ev("=today()-1") == expected - 1


def test_round_rounds_half_away_from_zero() -> None:
    assert ev("=ROUND(2.5)") == 3.0
    assert ev("=ROUND(-2.5)") == -3.0
    assert ev("=ROUND(3.14159, 2)") == 3.14
    assert ev("=ROUND(1.005, 2)") == 1.01
    assert ev("=ROUND(1234.5, -2)") == 1200.0
    assert ev("=ROUND(2.7, 0.9)") == 3.0


def test_abs_len_and_concatenate() -> None:
    assert ev("=ABS(-4.5)") == 4.5
    assert ev('=ABS("-2")') == 2.0
    assert ev('=LEN("hello")') == 5.0
    assert ev("=LEN(123)") == 3.0
    assert ev("=LEN(A1)") == 0.0
    assert ev('=CONCATENATE("a", 1, TRUE)') == "a1TRUE"
    assert ev("=CONCATENATE(A1:A3)", MIXED) == "1text2"


def test_functions_nest() -> None:
    cells: dict[str, Value] = {"A1": 4.0, "A2": 6.0}
    assert ev('=IF(AND(SUM(A1:A2)>5, NOT(A1>5)), CONCATENATE("ok:", MAX(A1:A2)), "no")', cells)
    assert ev("=ROUND(AVERAGE(A1:A2)/3, 1)", cells) == 1.7


def test_scalar_functions_reject_multi_cell_ranges() -> None:
    assert error_of("=ABS(A1:A2)").type == "VALUE"


def test_resolver_is_asked_for_a_cell_for_single_references() -> None:
    resolver = DictResolver({"A1": 1.0})
    evaluate("=A1+SUM(A1:A2)", resolver, TODAY)
    assert resolver.calls == ["cell", "area"]
