"""Turn the rows of World Bank API pages into observations, through worldbank_*.csv.

A null value is a year the World Bank has no figure for: no observation and no reject. A row
of an indicator or country not asked for, or with an unknown unit or status, is quarantined.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, TypeVar

from flows.core.config import REFERENCE_DIR
from flows.core.errors import ConfigError
from flows.core.model import Observation, Rejected
from flows.core.periods import Period, annual, month, quarter
from flows.readers.worldbank import Answer, Page

INDICATORS_FILE = "worldbank_indicators.csv"
COUNTRIES_FILE = "worldbank_countries.csv"
OBS_STATUS_FILE = "worldbank_obs_status.csv"
# The measures of the canonical model; a row of worldbank_indicators.csv must name one.
MEASURES = frozenset(
    {"level", "share", "index_yoy", "index_pop", "index_dec", "index_base", "pct_of_plan", "plan"}
)
# The API's `date` by frequency: "2023" in annual databases such as WDI, "2023Q1" in quarterly
# ones (QEDS), "2023M01" in monthly ones (Global Economic Monitor).
_DATE = re.compile(r"(?P<year>\d{4})(?:Q(?P<quarter>[1-4])|M(?P<month>0[1-9]|1[0-2]))?")

V = TypeVar("V")  # the values of a reference table, for _lookup


@dataclass(frozen=True)
class IndicatorSpec:
    """One row of worldbank_indicators.csv: a World Bank indicator and its place in the model."""

    wb_id: str
    indicator: str
    industry: str
    product: str
    measure: str
    unit: str
    wb_unit: str  # the API's own `unit` field for this indicator ("" throughout WDI)
    scale: int  # the published figure is divided by 10**scale (6: US$ to million US$)
    offset: Decimal  # then this is added (100: an annual % change to an index, last year = 100)
    per_page: int
    name: str

    def convert(self, published: Decimal) -> float:
        # Decimal arithmetic, so 100 + 8.5375 is stored as 108.5375, not 108.53750000000001.
        return float(published.scaleb(-self.scale) + self.offset)


@dataclass(frozen=True)
class Asked:
    """What a release asked the API for: rows of anything else are quarantined."""

    indicators: Mapping[str, IndicatorSpec]
    countries: Mapping[str, str]  # ISO 3166 alpha-3 -> chiso geo
    statuses: Mapping[str, str]  # the API's obs_status -> chiso status


class _Reject(Exception):
    """A row that becomes a quarantine entry, with its error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def normalise_pages(answer: Answer, asked: Asked) -> tuple[list[Observation], list[Rejected]]:
    """Every row with a value as an observation, or a reject naming its page and row."""
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    for page, name in zip(answer.pages, answer.names, strict=True):
        for index, row in enumerate(page.rows, start=1):
            if row["value"] is None:
                continue
            try:
                observations.append(_observation(row, asked))
            except _Reject as exc:
                rejected.append(_rejected(row, page, index, name, exc))
    return observations, rejected


def latest_month(observations: list[Observation]) -> str | None:
    """YYYY-MM of the latest period with a figure; None: no figure."""
    latest = max((o.period.end for o in observations), default=None)
    return None if latest is None else f"{latest:%Y-%m}"


def parse_date(text: object) -> Period | None:
    """The period of the API's `date`: "2023", "2023Q1" or "2023M01"; None for anything else."""
    match = _DATE.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    year = int(match["year"])
    if match["quarter"]:
        return quarter(year, int(match["quarter"]))
    if match["month"]:
        return month(year, int(match["month"]))
    return annual(year)


def _observation(row: dict[str, Any], asked: Asked) -> Observation:
    wb_id, iso3 = str(row["indicator"]["id"]), _iso3(row)
    spec = _lookup(asked.indicators, wb_id, "unexpected-indicator",
                   f"indicator {wb_id} was not asked for in this release (asked: "
                   f"{', '.join(sorted(asked.indicators))}); the API mixed answers or the file "
                   f"is another indicator's: load it as its own release")
    geo = _lookup(asked.countries, iso3, "unexpected-country",
                  f"country {iso3!r} is not in flows/reference/{COUNTRIES_FILE}; add it there "
                  "if chiso should keep it")
    period = parse_date(row["date"])
    if period is None:
        raise _Reject("period-unparseable", f"date {row['date']!r}: expected a year (2023), a "
                      "quarter (2023Q1) or a month (2023M01)")
    unit = row.get("unit") or ""
    if unit != spec.wb_unit:
        raise _Reject("unit-mismatch", f"unit {unit!r}, but flows/reference/{INDICATORS_FILE} "
                      f"expects {spec.wb_unit!r} for {wb_id}; check the figures' unit and fix "
                      "the row's wb_unit, unit and scale")
    obs_status = str(row.get("obs_status") or "")
    status = _lookup(asked.statuses, obs_status, "unknown-label",
                     f"obs_status {obs_status!r} is not in flows/reference/{OBS_STATUS_FILE}; "
                     "add it with the status it means")
    decimal = row.get("decimal")
    places = decimal + spec.scale if type(decimal) is int else None
    return Observation(
        spec.indicator, geo, spec.industry, spec.product, "_Z", spec.measure, spec.unit, period,
        spec.convert(_number(row["value"])), status, f"{wb_id} {iso3} {row['date']}", places,
    )


def _number(value: object) -> Decimal:
    # Numbers are JSON numbers today; the API once sent them as strings ("31270").
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise _Reject("value-unparseable", f"value {value!r}: expected a number or null")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise _Reject("value-unparseable", f"value {value!r}: expected a number or null") from None


def _lookup(table: Mapping[str, V], key: str, code: str, message: str) -> V:
    try:
        return table[key]
    except KeyError:
        raise _Reject(code, message) from None


def _iso3(row: dict[str, Any]) -> str:
    # Aggregates and a few territories have an empty countryiso3code; their country.id remains.
    country = row.get("country")
    fallback = country.get("id", "") if isinstance(country, dict) else ""
    return str(row.get("countryiso3code") or fallback)


def _rejected(row: dict[str, Any], page: Page, index: int, name: str, exc: _Reject) -> Rejected:
    label = f"{row['indicator']['id']} {_iso3(row)} {row['date']}"
    raw = json.dumps(row, ensure_ascii=False, default=str, separators=(",", ":"))
    return Rejected(f"page {page.number}", f"row {index}", label, raw, exc.code,
                    f"{name}, row {index} ({label}): {exc}")


def _table(name: str) -> list[dict[str, str]]:
    path = REFERENCE_DIR / name
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except FileNotFoundError:
        raise ConfigError(f"reference file {path} is missing; restore it from the repository") \
            from None


@cache
def indicators() -> dict[str, IndicatorSpec]:
    """World Bank indicator id -> how chiso stores it (flows/reference/worldbank_indicators.csv)."""
    specs = {}
    for number, row in enumerate(_table(INDICATORS_FILE), start=2):
        try:
            spec = IndicatorSpec(
                row["wb_id"], row["indicator"], row["industry"], row["product"], row["measure"],
                row["unit"], row["wb_unit"], int(row["scale"]), Decimal(row["offset"]),
                int(row["per_page"]), row["name_en"],
            )
        except (KeyError, ValueError, InvalidOperation, TypeError) as exc:
            raise ConfigError(f"{INDICATORS_FILE} line {number}: {exc!r}; expected the columns "
                              "of its header with whole numbers in scale and per_page") from None
        if spec.measure not in MEASURES or spec.per_page < 1:
            raise ConfigError(f"{INDICATORS_FILE} line {number}: measure {spec.measure!r} must "
                              f"be one of {sorted(MEASURES)} and per_page at least 1")
        specs[spec.wb_id] = spec
    return specs


@cache
def countries() -> dict[str, str]:
    """ISO 3166 alpha-3 code the API is asked for -> chiso geo ("VNM" -> "VN")."""
    return {row["iso3"]: row["geo"] for row in _table(COUNTRIES_FILE)}


@cache
def obs_statuses() -> dict[str, str]:
    """The API's obs_status -> chiso status ("" -> official)."""
    return {row["obs_status"]: row["status"] for row in _table(OBS_STATUS_FILE)}
