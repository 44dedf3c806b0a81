"""Parse and format numbers the way Vietnamese prose prints them: "26.351,9" is 26351.9."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Vietnamese prose and HTML group thousands with "." and mark decimals with ",". The rule is
# fixed for the format, never guessed per value: "8.878" is 8878, never 8.878 (DOMAIN.md).
THOUSANDS_SEPARATOR = "."
DECIMAL_MARK = ","
# Signs as they reach us: ASCII, and U+2212 MINUS SIGN, which word processors substitute.
_MINUS = ("-", "\u2212")
# Digits grouped by three with dots ("26.351") or not grouped at all ("2024", "02"), then
# decimals after a comma. A dot followed by other than three digits is not this format.
# ASCII digits only: `\d` would take Arabic-Indic and other digits Decimal() happily reads.
_BODY = r"(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?"
_WHOLE = re.compile(rf"(?P<sign>[+\-\u2212]?)(?P<body>{_BODY})")
# A number inside running text: not glued to other digits, dots or commas that continue it
# ("1.1" in a heading number is no number; "26.351,9" is one, "tăng 15,14%." ends before ".").
NUMBER_IN_TEXT = re.compile(rf"(?<![0-9.,]){_BODY}(?![0-9]|[.,][0-9])")


class UnparseableNumberError(ValueError):
    """The text is not a number in the Vietnamese prose format (dot thousands, comma decimals)."""


@dataclass(frozen=True)
class FoundNumber:
    """A number found in running text: where it is, its exact value and its published decimals."""

    start: int
    end: int
    value: Decimal
    decimals: int


def parse_decimal(text: str) -> tuple[Decimal, int]:
    """The exact value of a prose number and its decimal places: "26.351,9" -> (26351.9, 1).

    Raises UnparseableNumberError for anything else ("1.5", "26,351.9", "", "12a").
    """
    stripped = text.strip()
    match = _WHOLE.fullmatch(stripped)
    if match is None:
        raise UnparseableNumberError(
            f"{text!r} is not a Vietnamese prose number; expected digits grouped by three with "
            "'.' and an optional ',' decimal part, such as '26.351,9' or '15,14'"
        )
    body = match.group("body")
    whole, _, fraction = body.partition(DECIMAL_MARK)
    value = Decimal(whole.replace(THOUSANDS_SEPARATOR, "") + ("." + fraction if fraction else ""))
    if match.group("sign") in _MINUS:
        value = -value
    return value, len(fraction)


def parse_number(text: str) -> tuple[float, int]:
    """`parse_decimal` as a float: "9.447,348" -> (9447.348, 3), "8.878" -> (8878.0, 0)."""
    value, decimals = parse_decimal(text)
    return float(value), decimals


def format_number(value: float | Decimal, decimals: int) -> str:
    """`value` rounded half up to `decimals` places, printed as prose prints it: "26.351,9".

    `parse_number(format_number(v, d))` gives back `v` rounded to `d` places, and `d`.
    """
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, got {decimals}")
    # A float from its shortest repr (2.675 is "2.675", not 2.67499999...); ints exactly.
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not exact.is_finite():
        raise ValueError(f"{value!r} has no prose form; expected a finite number")
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", THOUSANDS_SEPARATOR)
    return sign + grouped + (DECIMAL_MARK + fraction if decimals else "")


def find_numbers(text: str) -> Iterator[FoundNumber]:
    """Every unsigned number in running text, in order (signs are the reader's business)."""
    for match in NUMBER_IN_TEXT.finditer(text):
        value, decimals = parse_decimal(match.group())
        yield FoundNumber(match.start(), match.end(), value, decimals)
