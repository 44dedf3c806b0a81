"""Quarter columns set right by the table's own cumulative column.

A quarterly table gives the last quarter done, the estimate for the current one and the total
so far ("Thực hiện quý II | Ước tính quý III | Cộng dồn 9 tháng", then the same three against
last year). The English edition of September 2020 translated these as "Performance 1st
quarter | Estimate 2sd quarter | Accrued 3rd quarter": the cumulative column names the quarter
it runs to, and the quarters before it are each one short. An estimate is always of the period
the cumulative column runs to, so where they disagree the quarters are counted again from it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from flows.core import periods
from flows.core.periods import Period
from flows.readers.workbook.headers import Column

# A column of the total since January ("Cộng dồn", "Lũy kế", "Accrued", "Accumulated").
_CUMULATIVE = re.compile(r"\b(cộng dồn|lũy kế|luỹ kế|accrued|accumulated|cumulative)\b", re.I)


def align_quarters(columns: list[Column]) -> list[Column]:
    """The columns; where the estimate stops short of the quarter the cumulative column names,
    that column (and those comparing it) read as the year to that quarter's end and the other
    quarter columns moved on by as many quarters."""
    cumulative = next((c for c in columns if c.period is not None and c.period.type == "Q"
                       and _is_cumulative(c.text)), None)
    if cumulative is None or cumulative.period is None:
        return columns
    end = cumulative.period
    to_date = periods.year_to_date(end.start.year, end.end.month)
    estimate = next((c for c in columns if c.status == "estimate" and c.period is not None
                     and c.period.type == "Q"), None)
    shift = (_index(end) - _index(estimate.period)
             if estimate is not None and estimate.period is not None else 0)
    if shift <= 0:
        # Agreeing, or no estimate to tell: read as written ("Cộng dồn quý I" in a March
        # table is the first quarter, as chiso files January to March everywhere).
        return columns
    return [replace(c, period=_moved(c.period, end, to_date, shift)) for c in columns]


@lru_cache(maxsize=1 << 14)  # (a quarter's headers come back in every table and month)
def _is_cumulative(text: str) -> bool:
    return _CUMULATIVE.search(text) is not None


def _moved(period: Period | None, end: Period, to_date: Period, shift: int) -> Period | None:
    if period is None or period.type != "Q":
        return period
    if period == end:
        return to_date  # the cumulative column, and those comparing it with last year
    number = _index(period) + shift
    return periods.quarter(number // 4, number % 4 + 1)


def _index(period: Period) -> int:
    return period.start.year * 4 + (period.start.month - 1) // 3
