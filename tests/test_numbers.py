"""Vietnamese prose numbers: dot thousands, comma decimals, one fixed rule, exact round trips."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from flows.readers.numbers import (
    UnparseableNumberError,
    find_numbers,
    format_number,
    parse_decimal,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26.351,9", (26351.9, 1)),  # the seed article's nine-month exports, million USD
        ("20.786,7", (20786.7, 1)),
        ("9.447,348", (9447.348, 3)),
        ("15,14", (15.14, 2)),
        ("8.878", (8878.0, 0)),  # thousands, never 8.878: the prose rule is fixed
        ("299.625,1", (299625.1, 1)),
        ("1.000.000", (1000000.0, 0)),
        ("02", (2.0, 0)),  # "Ước 02 tháng/2023"
        ("2024", (2024.0, 0)),
        ("+106,17", (106.17, 2)),
        ("-8,39", (-8.39, 2)),
        ("\u22128,39", (-8.39, 2)),  # U+2212 MINUS SIGN, as word processors write it
        (" 86,1 ", (86.1, 1)),
    ],
)
def test_parses_prose_numbers(text: str, expected: tuple[float, int]) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "1.5", "1.23", "26,351.9", "1.0000", ",5", "5,", "1..000", "12a", "1 000", "15%",
     "--5", "١٢"],
)
def test_refuses_what_is_not_a_prose_number(text: str) -> None:
    with pytest.raises(UnparseableNumberError, match="not a Vietnamese prose number"):
        parse_number(text)


def test_keeps_the_exact_decimal() -> None:
    assert parse_decimal("9.447,348") == (Decimal("9447.348"), 3)
    assert parse_decimal("26.351,90") == (Decimal("26351.90"), 2)


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (26351.9, 1, "26.351,9"),
        (1234567.891, 2, "1.234.567,89"),
        (-8.39, 2, "-8,39"),
        (8878, 0, "8.878"),
        (0.05, 1, "0,1"),  # half up, as publishers round
        (2.675, 2, "2,68"),  # from the float's shortest repr, not its binary expansion
        (Decimal("115.14"), 2, "115,14"),
        (999.96, 1, "1.000,0"),
    ],
)
def test_formats_as_prose_prints(value: float | Decimal, decimals: int, text: str) -> None:
    assert format_number(value, decimals) == text


def test_format_refuses_what_has_no_prose_form() -> None:
    with pytest.raises(ValueError, match="decimals must be 0 or more"):
        format_number(1.5, -1)
    with pytest.raises(ValueError, match="no prose form"):
        format_number(float("nan"), 1)


def test_finds_numbers_in_running_text() -> None:
    text = "đạt 26.351,9 triệu USD, tăng 26,77%. 1.1 Tài chính; ngày 30/9/2024"
    found = [(text[n.start : n.end], n.value, n.decimals) for n in find_numbers(text)]
    assert found == [
        ("26.351,9", Decimal("26351.9"), 1), ("26,77", Decimal("26.77"), 2),
        ("30", Decimal(30), 0), ("9", Decimal(9), 0), ("2024", Decimal(2024), 0),
    ]  # "1.1" (a heading number) is no prose number, so nothing is taken from it


@given(st.text())
@example("1.1.1,")
@example("9.447,348,1")
def test_never_crashes_on_arbitrary_text(text: str) -> None:
    try:
        value, decimals = parse_decimal(text)
    except UnparseableNumberError:
        return
    assert value.is_finite() and decimals >= 0


@given(st.text(alphabet=st.sampled_from("0123456789.,+-% abđ\n")))
def test_every_number_found_in_text_parses_back(text: str) -> None:
    for number in find_numbers(text):
        assert parse_decimal(text[number.start : number.end]) == (number.value, number.decimals)


@given(st.integers(min_value=-(10**15), max_value=10**15), st.integers(min_value=0, max_value=6))
def test_exact_values_round_trip(units: int, decimals: int) -> None:
    value = Decimal(units).scaleb(-decimals)
    assert parse_decimal(format_number(value, decimals)) == (value, decimals)


@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=4),
)
def test_floats_round_trip_to_their_published_precision(value: float, decimals: int) -> None:
    text = format_number(value, decimals)
    expected = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    assert parse_number(text) == (float(expected), decimals)
