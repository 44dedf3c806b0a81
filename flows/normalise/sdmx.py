"""Turn SDMX observations into canonical observations, through sdmx_codes.csv and the dataset row.

The mapping, dimension by dimension:

- REF_AREA (IMF's data portal: COUNTRY) -> geo: a two-letter code stays (ISO 3166 alpha-2),
  others through sdmx_codes.csv (VNM and ADB's VIE are VN); no such dimension: the row's geo.
- FREQ (FREQUENCY) -> period type; TIME_PERIOD -> Period ("2024", "2024-S1", "2024-Q3",
  "2024-09" or "2024-M09", "2024-09-30").
- every other dimension, in key order -> product, joined by "_" ("USD_EUR_SP00_E").
- UNIT_MEASURE (UNIT) and UNIT_MULT -> unit: the unit code with the multiplier's suffix
  (USD with UNIT_MULT 6 is USD_MN); the value is kept as published. A dataset row may give
  the unit as a code or a template of dimensions ("{CURRENCY}_PER_{CURRENCY_DENOM}").
- OBS_STATUS -> status (A official, P preliminary, E estimate; none given: official).
- the flow, the series key and the period -> provenance ("ECB:EXR M.USD.EUR.SP00.E 2010-08").
"""

from __future__ import annotations

import math
import re
from datetime import date

from flows.core import periods
from flows.core.errors import ConfigError
from flows.core.model import Observation, Rejected
from flows.core.periods import Period
from flows.core.sdmx_catalog import CODES_FILE, Dataset, codes
from flows.readers.sdmx import SdmxData, SdmxObservation

NOT_APPLICABLE = "_Z"  # SDMX's code for a dimension that does not apply
# Concept ids as providers spell them; IMF's data portal (IMF.STA) renamed the first two.
FREQ_DIMENSIONS = ("FREQ", "FREQUENCY")
AREA_DIMENSIONS = ("REF_AREA", "COUNTRY")
UNIT_ATTRIBUTES = ("UNIT_MEASURE", "UNIT")  # SDMX 3.0 structures (ECB's EXR 1.0) say UNIT
# SDMX's default status: a value published without OBS_STATUS is a normal value.
DEFAULT_STATUS = "official"
_ISO2 = re.compile(r"[A-Z][A-Z0-9]")
_NOT_A_CODE = re.compile(r"[^A-Z0-9_]+")
# TIME_PERIOD as SDMX writes it, with the period type each form means.
_TIME_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\d{4})(?:-A1)?"), "A"),
    (re.compile(r"(\d{4})-S([12])"), "H"),
    (re.compile(r"(\d{4})-Q([1-4])"), "Q"),
    (re.compile(r"(\d{4})-M?(0[1-9]|1[0-2])"), "M"),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "D"),
)


class _Reject(Exception):
    """One observation cannot become a figure: its error code and why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class _NoFigure(Exception):
    """The provider says there is no figure (NaN, OBS_STATUS M, L, O, Q): nothing to keep."""


def normalise_sdmx(data: SdmxData, item: Dataset) -> tuple[list[Observation], list[Rejected]]:
    """The valid observations of an SDMX message read for dataset `item`, and the rejects."""
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    for obs in data.observations:
        where = f"{item.flow_label} {obs.key_text} {obs.time}"
        try:
            observations.append(_observation(obs, item, data.codes, where))
        except _NoFigure:
            continue
        except _Reject as problem:
            rejected.append(Rejected(
                item.flow_label, f"{obs.key_text} {obs.time}", obs.key_text, obs.value,
                problem.code, f"{where}: {problem.message}",
            ))
    return observations, rejected


def sdmx_period(text: str) -> Period | None:
    """The period an SDMX TIME_PERIOD names, or None for forms chiso does not model."""
    for pattern, kind in _TIME_FORMS:
        match = pattern.fullmatch(text.strip())
        if match is None:
            continue
        year, *rest = (int(group) for group in match.groups() if group is not None)
        if kind == "A":
            return periods.annual(year)
        if kind == "H":
            first = 1 if rest[0] == 1 else 7
            return Period(date(year, first, 1), periods.month(year, first + 5).end, "H")
        if kind == "Q":
            return periods.quarter(year, rest[0])
        if kind == "M":
            return periods.month(year, rest[0])
        return _day(year, rest[0], rest[1])
    return None


def unit_code(unit: str, multiplier: str) -> str | None:
    """The unit with the UNIT_MULT suffix: ("USD", "6") is USD_MN, ("usd", "0") is USD.

    None when sdmx_codes.csv has no suffix for the multiplier.
    """
    suffix = codes().get(("UNIT_MULT", multiplier.strip()))
    if suffix is None:
        return None
    base = _code(unit)
    return f"{base}_{suffix}" if suffix else base


def _observation(
    obs: SdmxObservation, item: Dataset, known: dict[str, frozenset[str]], where: str
) -> Observation:
    _check_codes(obs, known)
    dims = dict(obs.key)
    status = _status(obs.attributes.get("OBS_STATUS", ""))
    if not status:
        raise _NoFigure
    value = _value(obs.value)
    decimals = obs.attributes.get("DECIMALS", "")
    return Observation(
        indicator=item.indicator,
        geo=_geo(dims, item),
        industry=NOT_APPLICABLE,
        product=_product(obs.key),
        partner=NOT_APPLICABLE,
        measure=item.measure,
        unit=_unit(dims, obs.attributes, item),
        period=_period(obs.time, dims),
        value=value,
        status=status,
        provenance=where,
        decimals=int(decimals) if decimals.isdigit() else None,
    )


def _check_codes(obs: SdmxObservation, known: dict[str, frozenset[str]]) -> None:
    for dimension, code in obs.key:
        if dimension in known and code not in known[dimension]:
            listed = ", ".join(sorted(known[dimension])[:12])
            raise _Reject(
                "unknown-code",
                f"{dimension} {code!r} is not in the structure's codelist ({listed}); the data "
                "and its structure disagree: fetch the structure again or report it to the "
                "provider",
            )


def _status(code: str) -> str:
    if not code:
        return DEFAULT_STATUS
    status = codes().get(("OBS_STATUS", code))
    if status is None:
        raise _Reject("unknown-code", f"OBS_STATUS {code!r} has no chiso status; add it to "
                      f"flows/reference/{CODES_FILE}")
    return status


def _value(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        if not text.strip():  # SDMX-JSON's null
            raise _NoFigure from None
        raise _Reject("value-unparseable", f"OBS_VALUE {text!r} is not a number") from None
    if math.isnan(value):  # SDMX-ML writes a missing value as NaN
        raise _NoFigure
    return value


def _geo(dims: dict[str, str], item: Dataset) -> str:
    area = next((dims[d] for d in AREA_DIMENSIONS if d in dims), None)
    if area is None:
        if not item.geo:
            raise ConfigError(
                f"sdmx_datasets.csv: {item.dataset}'s data has no REF_AREA dimension and its "
                "row no geo; set geo (\"_Z\" when the figures belong to no territory)"
            )
        return item.geo
    geo = codes().get(("REF_AREA", area))
    if geo:
        return geo
    if _ISO2.fullmatch(area):
        return area
    raise _Reject("unknown-code", f"REF_AREA {area!r} has no chiso geography (ISO 3166 "
                  f"alpha-2); add it to flows/reference/{CODES_FILE}")


def _product(key: tuple[tuple[str, str], ...]) -> str:
    rest = [code for dim, code in key if dim not in FREQ_DIMENSIONS + AREA_DIMENSIONS]
    return _code("_".join(rest)) if rest else NOT_APPLICABLE


def _unit(dims: dict[str, str], attributes: dict[str, str], item: Dataset) -> str:
    if item.unit:
        try:
            unit = item.unit.format_map(dims)
        except KeyError as missing:
            raise _Reject("unit-missing", f"the unit {item.unit!r} of sdmx_datasets.csv needs "
                          f"dimension {missing}, which this series lacks") from None
    else:
        unit = next((attributes[a] for a in UNIT_ATTRIBUTES if attributes.get(a)), "")
    if not unit:
        raise _Reject("unit-missing", "no UNIT_MEASURE or UNIT attribute; give the dataset "
                      "a unit in flows/reference/sdmx_datasets.csv")
    multiplier = attributes.get("UNIT_MULT", "0")
    code = unit_code(unit, multiplier)
    if code is None:
        raise _Reject("unknown-code", f"UNIT_MULT {multiplier!r} is not a power of ten chiso "
                      f"has a unit suffix for; add it to flows/reference/{CODES_FILE}")
    return code


def _period(text: str, dims: dict[str, str]) -> Period:
    period = sdmx_period(text)
    freq = next((dims[d] for d in FREQ_DIMENSIONS if d in dims), None)
    expected = codes().get(("FREQ", freq)) if freq is not None else None
    if freq is not None and expected is None:
        raise _Reject("unknown-code", f"FREQ {freq!r} is not a frequency chiso knows; add it "
                      f"to flows/reference/{CODES_FILE}")
    if freq is not None and not expected:
        raise _Reject("period-unparseable", f"FREQ {freq!r} periods ({text}) have no period "
                      "type in chiso (M, Q, H, A, YTD, D)")
    if period is None or (expected and period.type != expected):
        raise _Reject("period-unparseable", f"TIME_PERIOD {text!r} is not a period of "
                      f"FREQ {freq}; expected 2024, 2024-S1, 2024-Q3, 2024-09 or 2024-09-30")
    return period


def _day(year: int, number: int, day: int) -> Period | None:
    try:
        when = date(year, number, day)
    except ValueError:
        return None
    return Period(when, when, "D")


def _code(text: str) -> str:
    """An upper-case code of letters, digits and "_" ("sp00" -> "SP00", "EUR/USD" -> "EUR_USD")."""
    return _NOT_A_CODE.sub("_", text.upper()).strip("_") or NOT_APPLICABLE
