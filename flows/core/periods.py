"""Reference periods: parse the Vietnamese ways of naming them, and do period arithmetic."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

# Period types of the canonical model: month, quarter, half, year, and January-to-month
# cumulations ("9 tháng năm 2024"), which GSO publishes as often as single months.
PERIOD_TYPES = ("M", "Q", "H", "A", "YTD", "D")  # D: a day (SDMX daily exchange rates)

MONTH_WORDS = {
    "một": 1, "giêng": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
    "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12,
}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# The English edition (September 2020): "September 2020", "Sept. 2020", "9 months of 2020",
# "Nine months in 2020", "3rd quarter of 2020" (and its typo "2sd"), "Quarter III in 2020".
ENGLISH_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
ENGLISH_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "thirsd": 3,  # sic, September 2020
}
# Years a statistic can be about: a header's "năm 0000" or "năm 9999" names no period (and year 0
# has no date). The prose reader takes the same range (flows/readers/prose/periods.py).
MIN_YEAR, MAX_YEAR = 1900, 2099

# "năm 2024", "/2024", and the doubled "năm năm 2018" of a 2018 header.
# A bare year after the period ("6 tháng 2001 so với 6 tháng 2000", 2001-2003 labour tables).
_YEAR = r"(?:(?:(?:\s*(?:năm|/))+\s*|\s+(?=(?:19|20)\d\d(?!\d)))(?P<year>\d{4})(?!\d))?"
# "mười một" with any white space between its words (a line break inside a header cell).
_MONTH_WORD = "|".join(w.replace(" ", r"\s+") for w in sorted(MONTH_WORDS, key=len, reverse=True))
# English: "of 2020", "in 2020", ", 2020", or the year alone after a space.
_YEAR_EN = r"(?:\s*(?:of|in|,)?\s*(?P<year>\d{4})(?!\d))?"
# A month's name or its abbreviation, always with its year: "may" alone is Vietnamese ("dệt
# may", garments).
_MONTH_EN = (r"(?<![^\W\d_])(?P<month_en>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
             r"(?:uary|ruary|ch|il|e|y|ust|t|tember|ober|ember)?\.?"
             r"(?:\s*(?P<day>\d{1,2})(?!\d))?\s*(?:of|in|,)?\s*(?P<year>\d{4})(?!\d)")
_NUMBER_EN = "|".join(sorted(ENGLISH_NUMBERS, key=len, reverse=True))
# Months counted in words before "tháng" ("chín tháng năm 2012", "sáu tháng đầu năm"): the
# months of the year so far. Not "năm" (five), which is also the word for year.
_COUNT_WORDS = ("mười một", "mười hai", "hai", "ba", "bốn", "sáu", "bảy", "tám", "chín", "mười")
_COUNT_WORD = "|".join(w.replace(" ", r"\s+") for w in _COUNT_WORDS)
# Order matters: "9 tháng" (cumulative) must be tried before "tháng 9" (a month).
# Each pattern comes with words one of which every match of it holds (lower case; () for none):
# a text without them is not searched (`_named`). A header or label holds few of them: over
# the 5,956 texts the 125 shared workbooks ask about, `_named` took 0.17 s CPU searching with
# every pattern, 0.07 s so. No word holds an "i" or an "s": re.IGNORECASE also matches "ı" and
# "ſ" to those, which str.lower() leaves as they are.
_PATTERNS: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    # The second half, "6 tháng cuối năm 2024", before "6 tháng" (January-June) can take it.
    ("H2", ("tháng",), re.compile(r"(?<![\d/])0?6\s*tháng\s+cuối" + _YEAR, re.I)),
    # Not "12 tháng qua" / "12 tháng trước" (the past 12 months, 1999 census tables).
    ("YTD", ("tháng",),
     re.compile(r"(?<![\d/])(?P<n>\d{1,2})\s*tháng(?!\s+(?:qua|trước)\b)(?:\s*đầu)?" + _YEAR,
                re.I)),
    ("YTD", ("tháng",),
     re.compile(rf"(?<![^\W\d_])(?P<word>{_COUNT_WORD})\s+tháng(?:\s*đầu)?" + _YEAR, re.I)),
    # Licensed from 1 January to a day ("từ 01/01 - 20/9/2024", FDI) and progress to a day
    # ("đến ngày 15 tháng 9 năm 2024", "đến ngày 15/9", agriculture): the months so far.
    # "từ 01/01/2001 đến 21/06/2001" (FDI, 2001) as well.
    ("YTD", ("/",),
     re.compile(r"(?<!\d)0?1/0?1(?:/\d{4})?\s*(?:[-–]|đến)\s*\d{1,2}/(?P<n>\d{1,2})(?!\d)"
                + _YEAR, re.I)),
    ("YTD", ("đến",),
     re.compile(r"đến\s+ngày\s+\d{1,2}(?:\s+tháng\s+|/)(?P<n>\d{1,2})(?!\d)" + _YEAR, re.I)),
    ("M", ("tháng",), re.compile(r"tháng\s*(?P<n>\d{1,2})(?!\d)" + _YEAR, re.I)),
    # A stock at a day ("thời điểm 30/9/2024", inventories, employment): that day's month;
    # at the first day of a month ("thời điểm 01/6/2015", the 2014-2017 inventory tables,
    # beside sales for "tháng 5"), the close of the month before.
    ("M", ("/",),
     re.compile(r"(?<![\d/])(?P<day>\d{1,2})/(?P<n>\d{1,2})/(?P<year>\d{4})(?!\d)", re.I)),
    ("M", ("tháng",),
     re.compile(rf"tháng\s+(?P<word>{_MONTH_WORD})(?![^\W\d_])" + _YEAR, re.I)),
    # "Qúy I năm 2014": the tone mark typed on the u (a misspelling GSO made in 2014).
    ("Q", ("q",),
     re.compile(r"q(?:u[ýí]|[úí]y)\s*(?P<q>iv|i{1,3}|[1-4])(?![a-z])" + _YEAR, re.I)),
    ("YTD", ("month",),
     re.compile(rf"(?<![\d/])(?:(?P<n>\d{{1,2}})|(?P<n_en>{_NUMBER_EN}))\s+months?\b"
                + _YEAR_EN, re.I)),
    # "3rd quarter of 2020", "thirsd quarter", and "3sd of 2020" with "quarter" left out.
    ("Q", ("quarter", "of"),
     re.compile(rf"(?:(?P<q>[1-4])(?:st|nd|sd|rd|th)|(?P<n_en>{_NUMBER_EN}))\s+"
                r"(?:quarter\b|(?=of\s+\d{4}))" + _YEAR_EN, re.I)),
    ("Q", ("q",),
     re.compile(r"(?:(?<![^\W\d_])q|quarter\s+)(?P<q>iv|i{1,3}|[1-4])(?![^\W\d_])" + _YEAR_EN,
                re.I)),
    # Licensed "from January 01 to September 20, 2020" (FDI): the months so far.
    ("YTD", ("from",), re.compile(r"from\s+jan\w*\.?\s+0?1\s+to\s+" + _MONTH_EN, re.I)),
    # September by its "ep": re.IGNORECASE also matches "ſ" to the "s" of "sep".
    ("M", ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "ep", "oct", "nov", "dec"),
     re.compile(_MONTH_EN, re.I)),
    # A school year ("năm học 2007-2008", "năm học 2001 - 2002") is the calendar year it ends
    # in, when its graduation exams are sat: UNESCO's convention for school-year data.
    ("A", ("học",),
     re.compile(r"năm\s+học\s+(?:19|20)\d\d\s*[-–/]\s*(?P<year>\d{4})(?!\d)", re.I)),
    # A crop season ("vụ đông xuân 2008", "vụ mùa năm 2024") is its harvest year's: GSO
    # names each season by that year (winter-spring 2008 is sown late 2007, reaped by June).
    ("A", ("vụ",),
     re.compile(r"vụ\s+(?:đông\s+xuân|hè\s+thu|thu\s+đông|mùa|chiêm|xuân|lúa)\s*"
                r"(?:năm\s*)?(?P<year>\d{4})(?!\d)", re.I)),
    ("A", ("năm",), re.compile(r"năm\s*(?P<year>\d{4})(?!\d)", re.I)),
    ("A", ("year",), re.compile(r"(?<![^\W\d_])year\s*(?P<year>\d{4})(?!\d)", re.I)),
)


# Every word that gates a pattern.
_WORDS = frozenset(word for _, words, _ in _PATTERNS for word in words)


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


# A period is immutable, and the same few are made again and again (every header and label
# naming "tháng 9 năm 2024", each figure's comparison period): each is made once. The years
# a statistic can be about make a few thousand.
PERIOD_CACHE = 1 << 12


@lru_cache(maxsize=PERIOD_CACHE)
def month(year: int, number: int) -> Period:
    return Period(date(year, number, 1), _month_end(year, number), "M")


@lru_cache(maxsize=PERIOD_CACHE)
def quarter(year: int, number: int) -> Period:
    first = 3 * number - 2
    return Period(date(year, first, 1), _month_end(year, first + 2), "Q")


@lru_cache(maxsize=PERIOD_CACHE)
def year_to_date(year: int, months: int) -> Period:
    if months == 12:
        return annual(year)
    return Period(date(year, 1, 1), _month_end(year, months), "YTD")


@lru_cache(maxsize=PERIOD_CACHE)
def half(year: int, number: int) -> Period:
    first = 6 * number - 5
    return Period(date(year, first, 1), _month_end(year, first + 5), "H")


@lru_cache(maxsize=PERIOD_CACHE)
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
    found = _named(text)
    if len(found) > 1 and found[0][0] == "A" and _HEADING_YEAR.match(text):
        # "Năm 2024 | Quý II", "Năm 2024 | 9 tháng": a year heading over the columns of its
        # quarters and cumulations; the period under it takes its year.
        year = int(found[0][1]["year"])
        later = next((p for kind, groups in found[1:] if not groups.get("year")
                      and (p := _build(kind, groups, year)) is not None), None)
        if later is not None:
            return later
    for kind, groups in found:
        period = _build(kind, groups, default_year)
        if period is not None:
            return period
    return None


@lru_cache(maxsize=1 << 14)  # asked of every row label of every table
def names_period(text: str) -> bool:
    """Whether `text` names a period the way parse_period reads one, of whatever year: a text
    that does not is dated by none, whatever the default year (one lookup, not a parse)."""
    return bool(_named(text))


@lru_cache(maxsize=1 << 14)  # by text alone: the year a header lacks differs by workbook
def _named(text: str) -> tuple[tuple[str, dict[str, Any]], ...]:
    """Every pattern's first match in `text` in the order they start: its kind and groups."""
    found = []
    lowered = text.lower()
    # (each word looked for once, not once for each pattern it gates: most texts hold few)
    held = {word for word in _WORDS if word in lowered}
    for kind, words, pattern in _PATTERNS:
        if words and held.isdisjoint(words):
            continue  # (no match without one of its words: see _PATTERNS)
        match = pattern.search(text)
        if match:
            found.append((match.start(), kind, match.groupdict()))
    found.sort(key=lambda item: item[0])
    return tuple((kind, groups) for _, kind, groups in found)


# A header opening with its year and nothing else before it ("Năm 2024 Quý II"; the English
# edition's "Year 2020 | 2nd quarter").
_HEADING_YEAR = re.compile(r"^\s*(?:năm|year)\s*\d{4}(?!\d)(?!.*(?:năm trước|last year))",
                           re.I | re.S)


def _build(kind: str, groups: dict[str, Any], default_year: int | None) -> Period | None:
    year = int(groups["year"]) if groups.get("year") else default_year
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if kind == "A":
        return annual(year)
    if kind == "H2":
        return half(year, 2)
    if kind == "Q":
        q = (groups.get("q") or groups["n_en"]).lower()
        number = ROMAN.get(q) or ENGLISH_NUMBERS.get(q) or int(q)
        return quarter(year, number) if number <= 4 else None
    number = _number(groups)
    if not 1 <= number <= 12:
        return None
    if kind == "M" and groups.get("day") and int(groups["day"] or 0) == 1:
        return previous(month(year, number))
    return month(year, number) if kind == "M" else year_to_date(year, number)


def _number(groups: dict[str, str | None]) -> int:
    """The month number a match names: digits, a Vietnamese month word or an English one."""
    if groups.get("n"):
        return int(groups["n"] or 0)
    if groups.get("n_en"):
        return ENGLISH_NUMBERS[(groups["n_en"] or "").lower()]
    if groups.get("month_en"):
        return ENGLISH_MONTHS[(groups["month_en"] or "").lower()]
    return MONTH_WORDS[" ".join((groups["word"] or "").lower().split())]


def _month_end(year: int, number: int) -> date:
    return date(year, number, calendar.monthrange(year, number)[1])
