"""Words and numbers for the report: periods, series and units as a reader says them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import cache

from flows.core.reference import read_rows
from flows.present import charts

HAIPHONG = "VN-31"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
INDICATORS = {"IIP": "Industrial production index", "EXPORTS": "Exports of goods",
              "IMPORTS": "Imports of goods", "CPI": "Consumer price index",
              "GRDP": "Gross regional domestic product",
              "IND_PARKS_OPERATING": "Industrial parks operating",
              "IND_CLUSTERS_OPERATING": "Industrial clusters operating",
              "IND_PARK_OCCUPANCY": "Occupancy of industrial parks",
              "IND_CLUSTER_OCCUPANCY": "Occupancy of industrial clusters",
              "IND_PARKS_PLANNED": "Industrial parks planned",
              "IND_PARKS_PLANNED_AREA": "Area of the industrial parks planned"}
GEOS = {"VN": "Viet Nam", HAIPHONG: "Hải Phòng"}
MEASURES = {"index_yoy": "Index, same period a year earlier = 100",
            "index_pop": "Index, previous period = 100",
            "index_dec": "Index, December of the previous year = 100",
            "index_base": "Index, base year = 100", "share": "Per cent of the total",
            "pct_of_plan": "Per cent of the annual plan",
            "plan": "Annual plan, index, previous year = 100"}
DECIMALS = {"USD_MN": 1, "THOUS_T": 1, "PCT": 1, "COUNT": 0, "HA": 0}  # otherwise 2
UNITS = {"USD_MN": "Million USD", "THOUS_T": "Thousand tonnes", "UNIT": "Units",
         "THOUS_UNIT": "Thousand units", "PCT": "Per cent", "COUNT": "Number", "HA": "Hectares",
         "INDEX": "Index", "BN_VND": "Billion dong", "THOUS_BN_VND": "Thousand billion dong",
         "PERSONS": "Persons", "THOUS_PERSONS": "Thousand persons", "ENTERPRISES": "Enterprises"}


def labels(ends: Sequence[date]) -> list[str]:
    """Month labels, with the year under the first month and under each January."""
    return [f"{MONTHS[e.month - 1]}\n{e.year}" if i == 0 or e.month == 1 else MONTHS[e.month - 1]
            for i, e in enumerate(ends)]


def period_of(period_type: str, start: date, end: date) -> str:
    """A period in words: January–September 2024, September 2024, Q3 2024, 2024."""
    if period_type == "M":
        return f"{MONTH_NAMES[end.month - 1]} {end.year}"
    if period_type == "A" or (start.month, end.month) == (1, 12):
        return str(end.year)
    if period_type == "Q":
        return f"Q{(end.month + 2) // 3} {end.year}"
    if period_type in ("YTD", "H"):
        return f"{MONTH_NAMES[start.month - 1]}–{MONTH_NAMES[end.month - 1]} {end.year}"
    return f"{start.isoformat()} to {end.isoformat()}"


def describe(indicator: str, geo: str, industry: str, product: str) -> str:
    """A series in words: Industrial production index, Hải Phòng, Sản xuất xe có động cơ."""
    words = [INDICATORS.get(indicator, indicator)]
    if geo:
        words.append(GEOS.get(geo, geo))
    if industry not in ("_T", "_Z", ""):
        words.append(vsic().get(industry, industry))
    if product not in ("_T", "_Z", ""):
        words.append(product)
    return ", ".join(words)


def measure(measure: str, unit: str) -> str:
    if measure in ("level", "share") or measure not in MEASURES:
        return UNITS.get(unit, unit) if measure == "level" else MEASURES.get(measure, measure)
    return MEASURES[measure]


@cache
def vsic() -> dict[str, str]:
    """VSIC code -> its Vietnamese name (flows/reference/vsic.csv)."""
    return {r["code"]: r["name_vi"] for r in read_rows("vsic.csv")}


def formatter(unit: str) -> charts.Format:
    return usd if unit == "USD_MN" else index


def fmt(value: float, unit: str) -> str:
    return f"{value:,.{DECIMALS.get(unit, 2)}f}"


def usd(value: float) -> str:
    return f"{value:,.1f}"


def index(value: float) -> str:
    return f"{value:,.2f}"


def day(moment: datetime | date | None) -> str:
    return moment.strftime("%Y-%m-%d") if moment else "–"
