"""The prose reader's vocabulary: phrases of indicators, units, comparisons, status and change.

Read from flows/reference/prose_indicators.csv and prose_phrases.csv (README there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from flows.core.config import REFERENCE_DIR
from flows.core.errors import ConfigError
from flows.core.reference import read_rows
from flows.core.text import _TONE_PLACEMENT, fold, nfc

INDICATORS_FILE = "prose_indicators.csv"
PHRASES_FILE = "prose_phrases.csv"
# Breakdowns whose items are VSIC codes (industry_aliases.csv); see IndicatorPhrase.
VSIC_BREAKDOWNS = ("industry", "activity")
# The kinds of phrase prose_phrases.csv holds (README there); anything else is a typo.
KINDS = ("unit", "scale", "comparison", "status", "change", "generic")
# A comparison may carry its year: "so với cùng kỳ năm 2023", "kế hoạch năm 2024", "so năm 2023",
# "so với kỳ gốc 2019". Years are limited to 1900-2099 so "so năm 20.000" is never a year.
_YEAR_TAIL = r"(?:\s*(?:năm\s*)?/?\s*(?P<year>(?:19|20)\d{2})(?!\d))?"


@dataclass(frozen=True)
class IndicatorPhrase:
    """What a phrase of prose_indicators.csv names: an indicator, its unit and default codes.

    `breakdown` says what the items of a list under this indicator are: "industry" (VSIC, through
    industry_aliases.csv; the total `_T` is the whole industry, sections B-E), "activity" (VSIC
    too, but the total is the whole economy: GRDP), "product" (commodities.csv) or "" (none).
    `province_whole` is the industry and product code of a province's whole where it is not the
    country's: `_Z` for the indicators GSO's workbook gives by province, whose province rows it
    codes `_Z` beside the country's `_T` (INV_STATE_BUDGET.VN-31._Z._Z against
    INV_STATE_BUDGET.VN._Z._T), so the two sources of a province's figure meet; "" otherwise.
    """

    phrase: str
    indicator: str
    unit: str
    industry: str
    product: str
    breakdown: str
    province_whole: str = ""


@dataclass(frozen=True)
class Phrase:
    """A row of prose_phrases.csv: a unit (with its scale), a comparison, a status or a change."""

    phrase: str
    kind: str
    code: str
    scale: Decimal


@dataclass(frozen=True)
class Mention:
    """A phrase found in a sentence: where (in the sentence's characters), which code, and the
    year written after it, if any."""

    start: int
    end: int
    code: str
    phrase: str
    year: int | None = None


def searchable(text: str) -> str:
    """`text` lower-cased with modern tone placement ("hóa" -> "hoá"), same length and offsets,
    so phrases folded with flows.core.text.fold match it and positions map back to the original."""
    # One character at a time: a few letters (Turkish dotted I) grow when lower-cased.
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    for old, new in _TONE_PLACEMENT.items():
        lowered = lowered.replace(old, new)
    return lowered


@cache
def indicator_phrases() -> dict[str, IndicatorPhrase]:
    """Folded phrase -> what it names."""
    rows = read_rows(INDICATORS_FILE)
    found = {
        r["phrase"]: IndicatorPhrase(
            r["phrase"], r["indicator"], r["unit"], r["industry"], r["product"], r["breakdown"],
            r.get("province_whole") or "",
        )
        for r in rows
    }
    _check_folded(INDICATORS_FILE, list(found))
    return found


@cache
def phrases(kind: str) -> dict[str, Phrase]:
    """Folded phrase -> its row, for one kind of prose_phrases.csv."""
    rows = read_rows(PHRASES_FILE)
    bad = sorted({r["kind"] for r in rows} - set(KINDS))
    if bad:
        raise ConfigError(f"{REFERENCE_DIR / PHRASES_FILE}: unknown kinds {bad}; use {KINDS}")
    found = {
        r["phrase"]: Phrase(r["phrase"], r["kind"], r["code"], Decimal(r["scale"] or "1"))
        for r in rows
        if r["kind"] == kind
    }
    _check_folded(PHRASES_FILE, list(found))
    return found


@cache
def pattern(kind: str) -> re.Pattern[str]:
    """Any phrase of `kind` ("indicator" or a kind of prose_phrases.csv) as a whole word or
    words, longest first so "tổng kim ngạch xuất khẩu" wins over "kim ngạch xuất khẩu"."""
    words = indicator_phrases() if kind == "indicator" else phrases(kind)
    alternation = "|".join(re.escape(p) for p in sorted(words, key=len, reverse=True))
    tail = _YEAR_TAIL if kind == "comparison" else ""
    return re.compile(rf"(?<!\w)(?P<phrase>{alternation})(?!\w){tail}")


@cache
def unit_pattern() -> re.Pattern[str]:
    """A unit right after a number: "26.351,9 triệu USD", "15,14%", "6.200 ha"."""
    words = {**phrases("unit"), **phrases("scale")}
    alternation = "|".join(re.escape(p) for p in sorted(words, key=len, reverse=True))
    return re.compile(rf"\s*(?P<phrase>{alternation})(?!\w)")


def find(kind: str, text: str) -> list[Mention]:
    """Every phrase of `kind` in `text` (a `searchable` sentence), in order, not overlapping."""
    table = indicator_phrases() if kind == "indicator" else phrases(kind)
    found = []
    for match in pattern(kind).finditer(text):
        row = table[match.group("phrase")]
        code = row.indicator if isinstance(row, IndicatorPhrase) else row.code
        year = match.groupdict().get("year")
        found.append(Mention(match.start(), match.end(), code, match.group("phrase"),
                             int(year) if year else None))
    return found


def _check_folded(name: str, keys: list[str]) -> None:
    bad = [key for key in keys if fold(key) != key or nfc(key) != key]
    if bad:
        raise ConfigError(
            f"{REFERENCE_DIR / name}: phrases must be written as flows.core.text.fold gives them "
            f"(lower case, 'hoá' not 'hóa'): {bad[:5]}"
        )
