"""Turn SDMX observations into canonical observations, through sdmx_codes.csv and the dataset row.

The mapping, dimension by dimension (dimension ids in any case: Eurostat writes `geo`, `freq`):

- REF_AREA (IMF's data portal: COUNTRY; Eurostat: geo) -> geo: a two-letter code stays (ISO
  3166 alpha-2), others through sdmx_codes.csv (VNM and ADB's VIE are VN); a code it lacks is
  kept as the provider's, with a warning. No such dimension: a REF_AREA attribute, else the
  dataset's geo.
- FREQ (FREQUENCY) -> period type; TIME_PERIOD -> Period ("2024", "2024-S1", "2024-Q3",
  "2024-09" or "2024-M09", "2024-09-30").
- every other dimension, in the structure's order -> product, joined by "_" ("USD_EUR_SP00_E").
- the unit: the dataset's (a code or a template of dimensions, "{CURRENCY}_PER_{CURRENCY_DENOM}");
  else, for a rate (CURRENCY and CURRENCY_DENOM dimensions, whose UNIT_MEASURE names only the
  numerator), CURRENCY_PER_CURRENCY_DENOM; else a UNIT or UNIT_MEASURE dimension; else the
  UNIT_MEASURE (UNIT) attribute. UNIT_MULT (or SCALE) adds its suffix (USD with UNIT_MULT 6
  is USD_MN; a power chiso has no suffix for, E5, is kept as such); the value as published.
  A unit GSO's workbooks and the NSDP spell otherwise takes their code (sdmx_codes.csv,
  concept UNIT): VND with UNIT_MULT 9 is BN_VND, not VND_BN, so a series has one key.
- OBS_STATUS -> status (A official, P preliminary, E estimate; none given: official; a code
  sdmx_codes.csv lacks is kept as the provider's, with a warning).
- the flow, the series key and the period -> provenance ("ECB:EXR M.USD.EUR.SP00.E 2010-08").

Nothing is dropped without a quarantine row: no number (NaN, null), a number sent with a
status saying it is missing (M, L, O, Q), no time dimension, no unit each have their code.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from datetime import date

from flows.core import periods
from flows.core.errors import ConfigError
from flows.core.model import Observation, Rejected
from flows.core.periods import Period
from flows.core.sdmx_catalog import CODES_FILE, Dataset, codes
from flows.readers.sdmx_data import SdmxData, SdmxObservation

log = logging.getLogger(__name__)

NOT_APPLICABLE = "_Z"  # SDMX's code for a dimension that does not apply
# Concept ids as providers spell them (compared in upper case); IMF's data portal (IMF.STA)
# renamed the first two, Eurostat writes its own in lower case.
FREQ_DIMENSIONS = ("FREQ", "FREQUENCY")
AREA_DIMENSIONS = ("REF_AREA", "COUNTRY", "GEO")
UNIT_ATTRIBUTES = ("UNIT_MEASURE", "UNIT")  # SDMX 3.0 structures (ECB's EXR 1.0) say UNIT
MULTIPLIER_ATTRIBUTES = ("UNIT_MULT", "SCALE")
# A rate's dimensions: its UNIT_MEASURE names only the numerator (ECB's EXR: CHF for CHF/EUR).
RATE_DIMENSIONS = ("CURRENCY", "CURRENCY_DENOM")
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


class _Mapping:
    """The codes an observation is mapped through (sdmx_codes.csv, with a mapping file's on
    top), and the provider's codes kept for want of a mapping, warned about once a message."""

    def __init__(self, overrides: Mapping[tuple[str, str], str] | None) -> None:
        self.codes = {**codes(), **(overrides or {})}
        self.kept: dict[str, set[str]] = {}

    def get(self, concept: str, code: str) -> str | None:
        return self.codes.get((concept, code))

    def keep(self, concept: str, code: str) -> str:
        self.kept.setdefault(concept, set()).add(code)
        return code

    def warn(self, where: str) -> None:
        if self.kept:
            listed = "; ".join(f"{concept} {', '.join(sorted(found)[:10])}"
                               for concept, found in sorted(self.kept.items()))
            log.warning("%s: kept as the provider's codes, chiso has no mapping for them: %s; "
                        "map them in a mapping file ([codes]) or in %s of your reference "
                        "folder (CHISO_REFERENCE_DIR)", where, listed, CODES_FILE)


def normalise_sdmx(
    data: SdmxData, item: Dataset, overrides: Mapping[tuple[str, str], str] | None = None
) -> tuple[list[Observation], list[Rejected]]:
    """The valid observations of an SDMX message read for dataset `item`, and the rejects.

    `overrides`: (concept, code) -> chiso's value, on top of sdmx_codes.csv (a mapping file's).
    """
    mapping = _Mapping(overrides)
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    for obs in data.observations:
        where = f"{item.flow_label} {obs.key_text} {obs.time}"
        try:
            observations.append(_observation(obs, item, data.codes, where, mapping))
        except _Reject as problem:
            rejected.append(Rejected(
                item.flow_label, f"{obs.key_text} {obs.time}", obs.key_text, obs.value,
                problem.code, f"{where}: {problem.message}",
            ))
    mapping.warn(item.flow_label)
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
    """The unit with the UNIT_MULT suffix: ("USD", "6") is USD_MN, ("usd", "0") is USD, and
    ("VND", "9") BN_VND, the code chiso's other sources give billion dong.

    None when sdmx_codes.csv has no suffix for the multiplier.
    """
    suffix = codes().get(("UNIT_MULT", multiplier.strip()))
    if suffix is None:
        return None
    base = _code(unit)
    code = f"{base}_{suffix}" if suffix else base
    # The unit ends the series key: a second spelling of a unit would split one series in two.
    return codes().get(("UNIT", code)) or code


def _observation(
    obs: SdmxObservation, item: Dataset, known: dict[str, frozenset[str]], where: str,
    mapping: _Mapping,
) -> Observation:
    _check_codes(obs, known)
    dims = {dimension.upper(): code for dimension, code in obs.key}
    attributes = {name.upper(): text for name, text in obs.attributes.items()}
    code = attributes.get("OBS_STATUS", "")
    status = _status(code, mapping)
    value = _value(obs.value, code)
    if not status:
        raise _Reject("value-flagged-missing", f"OBS_STATUS {code!r} says the value is missing, "
                      f"yet the message gives {obs.value}; check it with the provider")
    if not obs.time:
        raise _Reject("period-unparseable", "no time dimension (TIME_PERIOD): the message gives "
                      "no period; give the structure (--structure) if it names another")
    decimals = attributes.get("DECIMALS", "")
    return Observation(
        indicator=item.indicator,
        geo=_geo(dims, attributes, item, mapping),
        industry=NOT_APPLICABLE,
        product=_product(obs.key),
        partner=NOT_APPLICABLE,
        measure=item.measure,
        unit=_unit(dims, attributes, item),
        period=_period(obs.time, dims, mapping),
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


def _status(code: str, mapping: _Mapping) -> str:
    """chiso's status for OBS_STATUS `code`; "" for the codes of a missing value."""
    if not code:
        return DEFAULT_STATUS
    status = mapping.get("OBS_STATUS", code)
    return mapping.keep("OBS_STATUS", code) if status is None else status


def _value(text: str, status: str) -> float:
    try:
        value = float(text)
    except ValueError:
        if not text.strip():  # SDMX-JSON's null, an empty OBS_VALUE
            raise _Reject("value-missing", _no_number("no value", status)) from None
        raise _Reject("value-unparseable", f"OBS_VALUE {text!r} is not a number") from None
    if math.isnan(value):  # SDMX-ML writes a missing value as NaN
        raise _Reject("value-missing", _no_number(f"OBS_VALUE {text}", status))
    return value


def _no_number(what: str, status: str) -> str:
    said = f" (OBS_STATUS {status})" if status else ""
    return f"{what}{said}: the provider sent no figure for this period"


def _geo(dims: dict[str, str], attributes: dict[str, str], item: Dataset,
         mapping: _Mapping) -> str:
    area = next((dims[d] for d in AREA_DIMENSIONS if d in dims), None)
    if area is None:
        area = attributes.get("REF_AREA") or None
    if area is None:
        if not item.geo:
            raise ConfigError(
                f"sdmx_datasets.csv: {item.dataset}'s data has no REF_AREA dimension and its "
                "row no geo; set geo (\"_Z\" when the figures belong to no territory)"
            )
        return item.geo
    geo = mapping.get("REF_AREA", area)
    if geo:
        return geo
    if _ISO2.fullmatch(area):
        return area
    return mapping.keep("REF_AREA", area)


def _product(key: tuple[tuple[str, str], ...]) -> str:
    left_out = FREQ_DIMENSIONS + AREA_DIMENSIONS + UNIT_ATTRIBUTES + MULTIPLIER_ATTRIBUTES
    rest = [code for dim, code in key if dim.upper() not in left_out]
    return _code("_".join(rest)) if rest else NOT_APPLICABLE


def _unit(dims: dict[str, str], attributes: dict[str, str], item: Dataset) -> str:
    if item.unit:
        try:
            unit = item.unit.format_map(dims)
        except KeyError as missing:
            raise _Reject("unit-missing", f"the unit {item.unit!r} of the dataset needs "
                          f"dimension {missing}, which this series lacks") from None
    elif all(d in dims for d in RATE_DIMENSIONS):
        unit = "{}_PER_{}".format(*(dims[d] for d in RATE_DIMENSIONS))
    else:
        unit = next((source[a] for source in (dims, attributes) for a in UNIT_ATTRIBUTES
                     if source.get(a)), "")
    if not unit:
        raise _Reject("unit-missing", "no unit: no UNIT_MEASURE or UNIT dimension or "
                      "attribute; give one in a mapping file (unit = \"...\") or the dataset's "
                      "row of sdmx_datasets.csv")
    multiplier = next((source[a] for source in (dims, attributes) for a in MULTIPLIER_ATTRIBUTES
                       if source.get(a)), "0")
    code = unit_code(unit, multiplier)
    if code is None:  # a power chiso has no word for is kept in the unit, never ignored
        power = multiplier.strip()
        suffix = f"E{power}" if power.lstrip("-").isdigit() else _code(power)
        return f"{_code(unit)}_{suffix}"
    return code


def _period(text: str, dims: dict[str, str], mapping: _Mapping) -> Period:
    period = sdmx_period(text)
    freq = next((dims[d] for d in FREQ_DIMENSIONS if d in dims), None)
    expected = mapping.get("FREQ", freq) if freq is not None else None
    if freq is not None and expected is None:
        mapping.keep("FREQ", freq)  # the period's own form says what it is
    if freq is not None and expected == "":
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
