"""Month columns set right by the estimate beside them.

A monthly table gives the month before as done and the current month as estimated ("Thực
hiện tháng 8 | Ước tính tháng 9 | Ước tính 9 tháng"). The English edition of September 2020
headed the first "Performance September 2020" beside "Estimate September 2020" over the
visitors of August (16,301, the August workbook's own estimate). One release cannot hold both
the done and the estimated figure of a month: a done month column beside an estimate of the
same month is the month before.
"""

from __future__ import annotations

from dataclasses import replace

from flows.core import periods
from flows.readers.workbook.headers import Column


def official_before_estimate(columns: list[Column]) -> list[Column]:
    """The columns, a done ("Thực hiện", "Performance") month of levels that an estimate of
    the same month stands beside read as the month before."""
    estimated = {c.period for c in columns if c.status == "estimate" and _monthly_level(c)}
    if not estimated:
        return columns
    return [_month_before(c)
            if c.status == "official" and _monthly_level(c) and c.period in estimated else c
            for c in columns]


def _month_before(column: Column) -> Column:
    period = column.period
    return column if period is None else replace(column, period=periods.previous(period))


def _monthly_level(column: Column) -> bool:
    return (column.period is not None and column.period.type == "M"
            and column.measures == ("level",))
