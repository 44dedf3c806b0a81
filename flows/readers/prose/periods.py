"""Find the periods a report sentence names, and give a year to those written without one.

"tháng 9/2024", "quý III", "9 tháng đầu năm 2024", "Chín tháng", "cùng kỳ năm trước".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flows.core import periods
from flows.core.periods import MONTH_WORDS, ROMAN, Period

# Years are 1900-2099: "9 tháng 20.000 ha" names no year.
_YEAR = r"(?P<year>(?:19|20)\d{2})(?!\d)"
# Prose writes the year after "/" ("9 tháng/2024"), after "năm" ("tháng 9 năm 2024"), or bare
# after a cumulation ("9 tháng 2024", the Department of Industry and Trade's style).
_SLASH_OR_NAM = rf"(?:\s*/\s*|\s+năm\s+){_YEAR}"
_MONTHS = r"0?(?P<n>1[0-2]|[1-9])"
# Cumulations spelt out at the start of a sentence: "Chín tháng năm 2024", "Sáu tháng đầu năm".
# "năm" (five) is left out: "năm tháng" is too easily "the year's months".
WORD_COUNTS = {"hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
               "mười": 10, "mười một": 11, "mười hai": 12}  # fmt: skip
_WORD_COUNT = "|".join(sorted(WORD_COUNTS, key=len, reverse=True))
_MONTH_WORD = "|".join(sorted(set(MONTH_WORDS) - {"năm"}, key=len, reverse=True))
# Tried together; where two overlap the earlier, then the longer, wins ("6 tháng cuối năm" over
# "6 tháng", "9 tháng năm 2024" over "năm 2024").
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # Cumulation from January: "9 tháng", "9 tháng/2024", "9 tháng đầu năm 2024", "02 tháng".
    ("YTD", re.compile(
        rf"(?<![\d/.,]){_MONTHS}\s+tháng(?:\s+đầu)?(?:\s+năm)?(?:(?:\s*/\s*|\s+){_YEAR})?(?!\w)")),
    ("YTD", re.compile(
        rf"(?<!\w)(?P<word>{_WORD_COUNT})\s+tháng(?:\s+đầu)?(?:\s+năm)?(?:(?:\s*/\s*|\s+){_YEAR})?"
        r"(?!\w)")),
    # The second half: "6 tháng cuối năm 2024".
    ("H2", re.compile(rf"(?<![\d/.,])0?6\s+tháng\s+cuối\s+năm(?:\s*/?\s*{_YEAR})?")),
    ("M", re.compile(rf"(?<!\w)tháng\s*{_MONTHS}(?!\d)(?:{_SLASH_OR_NAM})?")),
    # Months by name: "tháng Chín năm 2024", "tháng Tư". "năm" is May only when no year follows
    # it: "tháng năm 2024" is not read at all.
    ("M", re.compile(rf"(?<!\w)tháng\s+(?P<mword>{_MONTH_WORD}|năm(?!\s*/?\s*\d))(?!\w)"
                     rf"(?:{_SLASH_OR_NAM})?")),
    ("Q", re.compile(rf"(?<!\w)quý\s+(?P<n>iv|iii|ii|i|[1-4])(?!\w)(?:{_SLASH_OR_NAM})?")),
    ("A", re.compile(rf"(?<!\w)(?:cả\s+)?năm\s+{_YEAR}")),
    # "(cùng kỳ năm trước tăng 16,20%)": the period of the figure it qualifies, a year earlier.
    # "so với cùng kỳ" is a comparison and is masked before periods are looked for.
    ("LAST_YEAR", re.compile(r"(?<!\w)cùng\s+kỳ(?:\s+năm\s+(?:trước|ngoái))?(?!\w)")),
)  # fmt: skip


@dataclass(frozen=True)
class PeriodMention:
    """A period named in a sentence, at sentence offsets [start, end), maybe without its year."""

    start: int
    end: int
    kind: str  # M, Q, YTD, H2, A, or LAST_YEAR (relative to another period)
    number: int  # the month, quarter or number of months; 0 for H2, A and LAST_YEAR
    year: int | None


def find_periods(text: str, masked: list[tuple[int, int]]) -> list[PeriodMention]:
    """The periods named in `text` (a searchable sentence) outside the `masked` spans, in order.

    Comparisons are masked first: "so với cùng kỳ năm 2023" compares, it does not name a period.
    """
    found = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            found.append(_mention(kind, match))
    kept: list[PeriodMention] = []
    taken = list(masked)
    for mention in sorted(found, key=lambda m: (m.start, m.start - m.end)):
        if not any(mention.start < end and start < mention.end for start, end in taken):
            kept.append(mention)
            taken.append((mention.start, mention.end))
    return sorted(kept, key=lambda m: m.start)


def build(mention: PeriodMention, year: int) -> Period:
    """The period a mention names, in `year` (its own year when it has one)."""
    kind, number = mention.kind, mention.number
    if kind == "M":
        return periods.month(year, number)
    if kind == "Q":
        return periods.quarter(year, number)
    if kind == "YTD":
        return periods.year_to_date(year, number)
    if kind == "H2":
        return periods.half(year, 2)
    return periods.annual(year)


def year_from_publication(mention: PeriodMention, published: date) -> int:
    """The latest year in which the period's last month had begun by `published`.

    A report estimates the month it is published in ("tháng 9" on 29/09/2024 is September
    2024), and names no period that has not begun: "9 tháng" on 5 January 2025 is 2024.
    """
    last_month = build(mention, published.year).end.month
    return published.year if date(published.year, last_month, 1) <= published else (
        published.year - 1)


def _mention(kind: str, match: re.Match[str]) -> PeriodMention:
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else None
    number = 0
    if groups.get("mword"):
        number = MONTH_WORDS[" ".join(groups["mword"].split())]
    elif groups.get("word"):
        number = WORD_COUNTS[groups["word"]]
    elif kind in ("M", "YTD"):
        number = int(groups["n"])
    elif kind == "Q":
        number = ROMAN.get(groups["n"]) or int(groups["n"])
    return PeriodMention(match.start(), match.end(), kind, number, year)
