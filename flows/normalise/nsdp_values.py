"""How the NSDP's observation values are read: SDMX numbers, and the provider's declared rules.

SDMX writes a value as an xs:double ("116.27", "-3.5E2", "NaN"); white space around it (one
stock index value ends in a no-break space) is trimmed, as Python's float() does. Viet Nam's
NSDP files are exported from spreadsheets and 100 of their 30,212 values (November 2024) are
written otherwise.
Each is read by one of the rules below, declared for this provider only, or quarantined with a
code naming what it is; none is dropped and none is guessed:

- `519.4sb`: a number followed by "sb", *sơ bộ*, the statistics office's mark for a
  preliminary figure: read as 519.4 with status preliminary.
- `7 347.0`: digits grouped by three with single spaces (the ISO thousands separator) before a
  decimal point: read as 7347.0, when the scale is confirmed (below).
- `1.067.817,12`, `99,30`: dots grouping digits by three and a decimal comma: read as
  1067817.12 and 99.30, when the scale is confirmed. `1,234` (one comma, three digits after it)
  could be a thousands comma: never read by this rule.
- `na`: the provider's "not available": quarantined, `value-not-available`.
- `ERROR:  #N/A`: a spreadsheet's error exported as text: quarantined, `value-spreadsheet-error`.
- anything else (`1336167. 72`, a space inside the decimals): quarantined, `value-unparseable`.

The scale is confirmed when the value lies within a factor of ten of the median of the plain
SDMX values the message gives for the same indicator (any frequency): a reading that moves the
separators wrongly is off by a factor of a thousand. Without such values, or outside that band,
the value is quarantined with `value-scale-unconfirmed` ("99,30" in a series of 26,946 is not
read as 99.30, nor as 9,930).
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

# An SDMX xs:double as the NSDP files write them (NaN is SDMX's "no value").
PLAIN = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
MISSING = "NaN"
PRELIMINARY = re.compile(rf"({PLAIN.pattern})\s*sb", re.IGNORECASE)
SPACE_GROUPED = re.compile(r"[-+]?\d{1,3}(?: \d{3})+(?:\.\d+)?")
DOT_GROUPED_DECIMAL_COMMA = re.compile(r"[-+]?\d{1,3}(?:\.\d{3})*,\d+")
NOT_AVAILABLE = frozenset({"na", "n.a.", "n/a", "n.a"})
SPREADSHEET_ERROR = re.compile(r"ERROR:|#N/A|#REF!|#DIV/0!|#VALUE!|#NAME\?|#NUM!", re.IGNORECASE)
# How far from the indicator's other values a re-separated number may lie and still be read.
SCALE_FACTOR = 10.0


@dataclass(frozen=True)
class Reading:
    """What a value says: a number with the status it implies (None: SDMX's NaN, no figure).

    `rule` names the declared rule that read it ("" for a plain SDMX number); `decimals` the
    decimal places the provider wrote (None when it wrote an exponent), so a figure another
    publisher printed is compared with it at the precision both printed (v_conflicts).
    """

    value: float | None
    status: str = "official"
    rule: str = ""
    decimals: int | None = None


class Unread(Exception):
    """A value no rule reads: the quarantine code naming what it is, and why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def plain(text: str) -> float | None:
    """The value of a plain SDMX number, or None."""
    stripped = text.strip()
    return float(stripped) if PLAIN.fullmatch(stripped) else None


def scale_of(texts: Iterable[str]) -> float | None:
    """The median magnitude of the plain non-zero values among `texts`, or None."""
    values = [abs(v) for t in texts if (v := plain(t)) is not None and v != 0.0]
    return statistics.median(values) if values else None


def read_value(text: str, scale: float | None) -> Reading:
    """Read one NSDP value; `scale` is `scale_of` the indicator's values in the message.
    Raises Unread, with its quarantine code, for a value no rule reads."""
    stripped = text.strip()
    if stripped == MISSING:
        return Reading(None)
    number = plain(stripped)
    if number is not None:
        return Reading(number, decimals=written_decimals(stripped))
    if (match := PRELIMINARY.fullmatch(stripped)) is not None:
        return Reading(float(match.group(1)), "preliminary", "sb-preliminary",
                       written_decimals(match.group(1)))
    if SPACE_GROUPED.fullmatch(stripped):
        return _confirmed(float(stripped.replace(" ", "")), scale, "space-thousands", text,
                          written_decimals(stripped))
    if DOT_GROUPED_DECIMAL_COMMA.fullmatch(stripped) and not _thousands_comma(stripped):
        number = float(stripped.replace(".", "").replace(",", "."))
        return _confirmed(number, scale, "dot-thousands-decimal-comma", text,
                          written_decimals(stripped, ","))
    if stripped.lower() in NOT_AVAILABLE:
        raise Unread("value-not-available",
                     f"{text!r} is the provider's mark for a figure not available")
    if SPREADSHEET_ERROR.search(stripped):
        raise Unread("value-spreadsheet-error",
                     f"{text!r} is a spreadsheet error exported as the value")
    raise Unread("value-unparseable",
                 f"{text!r} is not an SDMX number and no rule declared for the NSDP reads it")


def written_decimals(number: str, mark: str = ".") -> int | None:
    """The decimal places written in `number` (its decimal `mark` given); None with an
    exponent, where the places written do not say the precision."""
    if "e" in number.lower():
        return None
    return len(number.rsplit(mark, 1)[1]) if mark in number else 0


def _thousands_comma(text: str) -> bool:
    """"1,234": one comma with three digits after it and no dots could be a thousands comma."""
    return "." not in text and len(text.rsplit(",", 1)[1]) == 3


def _confirmed(number: float, scale: float | None, rule: str, text: str,
               decimals: int | None) -> Reading:
    if scale is not None and number != 0.0 and math.isfinite(number):
        ratio = abs(number) / scale
        if 1 / SCALE_FACTOR <= ratio <= SCALE_FACTOR:
            return Reading(number, rule=rule, decimals=decimals)
    around = f"around {scale:g}" if scale is not None else "none"
    raise Unread("value-scale-unconfirmed",
                 f"{text!r} would read as {number:g} by rule {rule}, but the indicator's other "
                 f"values ({around}) do not confirm that scale")
