"""Reference periods: parse the Vietnamese ways of naming them, and do period arithmetic."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

# Period types of the canonical model: month, quarter, half, year, and January-to-month
# cumulations ("9 tháng năm 2024"), which GSO publishes as often as single months.
PERIOD_TYPES = ("M", "Q", "H", "A", "YTD", "D")  # D: a day (SDMX daily exchange rates)

MONTH_WORDS = {
    "một": 1, "giêng": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
    "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12,
}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Years a statistic can be about: a header's "năm 0000" or "năm 9999" names no period (and year 0
# has no date). The prose reader takes the same range (flows/readers/prose/periods.py).
MIN_YEAR, MAX_YEAR = 1900, 2099

# "năm 2024", "/2024", and the doubled "năm năm 2018" of a 2018 header.
_YEAR = r"(?:(?:\s*(?:năm|/))+\s*(?P<year>\d{4})(?!\d))?"
# "mười một" with any white space between its words (a line break inside a header cell).
_MONTH_WORD = "|".join(w.replace(" ", r"\s+") for w in sorted(MONTH_WORDS, key=len, reverse=True))
# Months counted in words before "tháng" ("chín tháng năm 2012", "sáu tháng đầu năm"): the
# months of the year so far. Not "năm" (five), which is also the word for year.
_COUNT_WORDS = ("mười một", "mười hai", "hai", "ba", "bốn", "sáu", "bảy", "tám", "chín", "mười")
_COUNT_WORD = "|".join(w.replace(" ", r"\s+") for w in _COUNT_WORDS)
# Order matters: "9 tháng" (cumulative) must be tried before "tháng 9" (a month).
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # The second half, "6 tháng cuối năm 2024", before "6 tháng" (January-June) can take it.
    ("H2", re.compile(r"(?<![\d/])0?6\s*tháng\s+cuối" + _YEAR, re.I)),
    ("YTD", re.compile(r"(?<![\d/])(?P<n>\d{1,2})\s*tháng(?:\s*đầu)?" + _YEAR, re.I)),
    ("YTD", re.compile(rf"(?<![^\W\d_])(?P<word>{_COUNT_WORD})\s+tháng(?:\s*đầu)?" + _YEAR, re.I)),
    # Licensed from 1 January to a day ("từ 01/01 - 20/9/2024", FDI) and progress to a day
    # ("đến ngày 15 tháng 9 năm 2024", "đến ngày 15/9", agriculture): the months so far.
    ("YTD", re.compile(r"(?<!\d)0?1/0?1\s*[-–]\s*\d{1,2}/(?P<n>\d{1,2})(?!\d)" + _YEAR, re.I)),
    ("YTD", re.compile(r"đến\s+ngày\s+\d{1,2}(?:\s+tháng\s+|/)(?P<n>\d{1,2})(?!\d)" + _YEAR,
                       re.I)),
    ("M", re.compile(r"tháng\s*(?P<n>\d{1,2})(?!\d)" + _YEAR, re.I)),
    # A stock at a day ("thời điểm 01/9/2024", inventories, employment): that day's month.
    ("M", re.compile(r"(?<![\d/])\d{1,2}/(?P<n>\d{1,2})/(?P<year>\d{4})(?!\d)", re.I)),
    ("M", re.compile(rf"tháng\s+(?P<word>{_MONTH_WORD})(?![^\W\d_])" + _YEAR, re.I)),
    ("Q", re.compile(r"qu[ýí]\s*(?P<q>iv|i{1,3}|[1-4])(?![a-z])" + _YEAR, re.I)),
    ("A", re.compile(r"năm\s*(?P<year>\d{4})(?!\d)", re.I)),
)


@dataclass(frozen=True, order=True)
class Period:
    """A reference period: its type and the first and last day it covers."""

    start: date
    end: date
    type: str

    def __str__(self) -> str:
        if self.type == "M":
            return f"{self.start:%Y-%m}"
        if self.type == "Q":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.type == "H":
            return f"{self.start.year}-H{1 if self.start.month == 1 else 2}"
        if self.type == "A":
            return str(self.start.year)
        if self.type == "D":
            return f"{self.start:%Y-%m-%d}"
        return f"{self.start.year}-YTD{self.end.month:02d}"


def month(year: int, number: int) -> Period:
    return Period(date(year, number, 1), _month_end(year, number), "M")


def quarter(year: int, number: int) -> Period:
    first = 3 * number - 2
    return Period(date(year, first, 1), _month_end(year, first + 2), "Q")


def year_to_date(year: int, months: int) -> Period:
    if months == 12:
        return annual(year)
    return Period(date(year, 1, 1), _month_end(year, months), "YTD")


def half(year: int, number: int) -> Period:
    first = 6 * number - 5
    return Period(date(year, first, 1), _month_end(year, first + 5), "H")


def annual(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), "A")


def day(when: date) -> Period:
    return Period(when, when, "D")


def shift_years(period: Period, years: int) -> Period:
    """The same period `years` later (negative: earlier); 29 February gives the 28th."""
    if period.type == "D":
        year = period.start.year + years
        return day(period.start.replace(
            year=year, day=min(period.start.day, calendar.monthrange(year, period.start.month)[1])))
    end_month = period.end.month
    end = date(period.end.year + years, end_month, calendar.monthrange(
        period.end.year + years, end_month)[1])
    return Period(period.start.replace(year=period.start.year + years), end, period.type)


def previous(period: Period) -> Period:
    """The period just before: the previous day, month, quarter or half; for A and YTD the
    same months of the year before."""
    if period.type == "D":
        return day(date.fromordinal(period.start.toordinal() - 1))
    if period.type == "H":
        return half(period.start.year, 1) if period.start.month > 6 else half(
            period.start.year - 1, 2)
    if period.type == "M":
        y, m = (period.start.year, period.start.month - 1) if period.start.month > 1 else (
            period.start.year - 1, 12)
        return month(y, m)
    if period.type == "Q":
        q = (period.start.month - 1) // 3 + 1
        return quarter(period.start.year, q - 1) if q > 1 else quarter(period.start.year - 1, 4)
    return shift_years(period, -1)


@lru_cache(maxsize=1 << 14)  # workbooks repeat their headers month after month
def parse_period(text: str, default_year: int | None = None) -> Period | None:
    """The first period named in `text` ("tháng 9 năm 2024", "9 tháng/2024", "quý III năm 2024").

    A period without its year takes `default_year`; None when no period is named or the year
    is unknown or outside MIN_YEAR-MAX_YEAR.
    """
    found = []
    for kind, pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            found.append((match.start(), kind, match))
    for _, kind, match in sorted(found, key=lambda item: item[0]):
        period = _build(kind, match, default_year)
        if period is not None:
            return period
    return None


def _build(kind: str, match: re.Match[str], default_year: int | None) -> Period | None:
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else default_year
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if kind == "A":
        return annual(year)
    if kind == "H2":
        return half(year, 2)
    if kind == "Q":
        q = groups["q"].lower()
        return quarter(year, ROMAN.get(q) or int(q))
    number = int(groups["n"]) if groups.get("n") else MONTH_WORDS[
        " ".join(groups["word"].lower().split())]
    if not 1 <= number <= 12:
        return None
    return month(year, number) if kind == "M" else year_to_date(year, number)


def _month_end(year: int, number: int) -> date:
    return date(year, number, calendar.monthrange(year, number)[1])
