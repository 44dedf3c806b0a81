"""Turn an NSDP message (IMF ECOFIN_DSD 1.0) into canonical observations.

The series of an ECOFIN message are keyed DATA_DOMAIN.REF_AREA.INDICATOR.COUNTERPART_AREA.FREQ;
what a series measures lies in its INDICATOR code alone ("AIP_ISIC4_C_IX": the industrial
production index of section C), with BASE_PER and UNIT_MULT as series attributes and no unit.

- An INDICATOR listed in flows/reference/nsdp_indicators.csv becomes the chiso series the row
  gives (indicator, industry, product, measure, unit), the same series GSO's workbook gives
  where it has one, so the two sources meet in v_conflicts. The row also states the UNIT_MULT
  and BASE_PER it was written for: a series that says otherwise is quarantined
  (`unit-mismatch`), never filed under a wrong unit.
- Any other INDICATOR is kept under the provider's code: indicator `NSDP.<code>`, measure
  `provider` (what the code itself says; no chiso range applies), unit from the code's suffix
  and UNIT_MULT (`_XDC` with 9 is BN_VND, `_USD` with 6 USD_MN, `_NUM` with 3 THOUS_PERSONS,
  `_IX` INDEX_<base year>, `_PT` PCT, `_PA` PCT_PA ...). Nothing is dropped for want of a code.
- FREQ A, S, Q, M -> periods A, H, Q, M; the TIME_PERIOD must be of that frequency.
- The value through flows/normalise/nsdp_values.py (the provider's declared rules).
- Provenance: the file, the series key and the period ("IIPVNM.xml IND.VN.AIP_ISIC4_IX._Z.M
  2024-09").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from flows.core.errors import ConfigError
from flows.core.model import Observation, Rejected
from flows.core.periods import Period
from flows.core.reference import read_rows
from flows.normalise.nsdp_values import Unread, read_value, scale_of
from flows.normalise.sdmx import sdmx_period
from flows.readers.sdmx_data import SdmxData, SdmxObservation

INDICATORS_FILE = "nsdp_indicators.csv"
NAMESPACE = "NSDP."
PROVIDER_MEASURE = "provider"
NOT_APPLICABLE = "_Z"
# ECOFIN's FREQ codes and the period type each means in chiso.
FREQUENCIES = {"A": "A", "S": "H", "Q": "Q", "M": "M"}
# The unit an uncoded indicator's last word names, and the prefix or suffix UNIT_MULT adds.
SUFFIX_UNITS = {"XDC": "VND", "USD": "USD", "NUM": "PERSONS", "PT": "PCT", "PA": "PCT_PA",
                "RATE": "VND_PER_USD", "WT": "WEIGHT"}
# chiso writes BN_VND and THOUS_PERSONS but USD_MN (flows/reference/gso_units.csv).
MULTIPLIER_PREFIX = {"3": "THOUS", "6": "MN", "9": "BN", "12": "THOUS_BN"}
SUFFIX_AFTER = frozenset({"USD"})
_NOT_A_CODE = re.compile(r"[^A-Z0-9_]+")
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Coded:
    """A row of nsdp_indicators.csv: the chiso series an ECOFIN indicator code is."""

    code: str
    indicator: str
    industry: str
    product: str
    measure: str
    unit: str
    unit_mult: str
    base: str
    name_en: str


@cache
def coded() -> dict[str, Coded]:
    """The code list by ECOFIN indicator code, checked for repeated codes."""
    rows = [Coded(**row) for row in read_rows(INDICATORS_FILE)]
    found: dict[str, Coded] = {}
    for row in rows:
        if row.code in found:
            raise ConfigError(f"{INDICATORS_FILE}: indicator code {row.code} is listed twice")
        found[row.code] = row
    return found


class _Reject(Exception):
    """One observation cannot become a figure: its quarantine code and why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def normalise_nsdp(data: SdmxData, name: str) -> tuple[list[Observation], list[Rejected]]:
    """The observations of the NSDP message in file `name`, and its quarantined values."""
    by_indicator: dict[str, list[str]] = defaultdict(list)
    for obs in data.observations:
        by_indicator[dict(obs.key).get("INDICATOR", "")].append(obs.value)
    scales = {code: scale_of(values) for code, values in by_indicator.items()}
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    for obs in data.observations:
        where = f"{name} {obs.key_text} {obs.time}"
        try:
            found = _observation(obs, scales, where)
        except _Reject as problem:
            rejected.append(Rejected(name, f"{obs.key_text} {obs.time}", obs.key_text, obs.value,
                                     problem.code, f"{where}: {problem.message}"))
            continue
        if found is not None:
            observations.append(found)
    return observations, rejected


def _observation(obs: SdmxObservation, scales: dict[str, float | None],
                 where: str) -> Observation | None:
    dims = dict(obs.key)
    code = dims.get("INDICATOR", "")
    period = _period(obs.time, dims.get("FREQ", ""))
    row = coded().get(code)
    indicator, industry, product, measure, unit = (
        _coded_series(row, obs.attributes) if row is not None
        else _provider_series(code, obs.attributes))
    try:
        reading = read_value(obs.value, scales.get(code))
    except Unread as problem:
        raise _Reject(problem.code, problem.message) from None
    if reading.value is None:  # SDMX's NaN: the provider says there is no figure
        return None
    rule = f" (read by the NSDP rule {reading.rule})" if reading.rule else ""
    return Observation(
        indicator=indicator, geo=_geo(dims), industry=industry, product=product,
        partner=NOT_APPLICABLE, measure=measure, unit=unit, period=period,
        value=reading.value, status=reading.status, provenance=where + rule,
        decimals=reading.decimals,
    )


def _coded_series(row: Coded, attributes: dict[str, str]) -> tuple[str, str, str, str, str]:
    multiplier = attributes.get("UNIT_MULT", "0") or "0"
    if multiplier != row.unit_mult:
        raise _Reject("unit-mismatch", f"UNIT_MULT {multiplier} but {INDICATORS_FILE} codes "
                      f"{row.code} as {row.unit} for UNIT_MULT {row.unit_mult}; fix the row")
    base = attributes.get("BASE_PER", "")
    if row.base and base != row.base:
        raise _Reject("unit-mismatch", f"BASE_PER {base or '(none)'} but {INDICATORS_FILE} "
                      f"codes {row.code} with base {row.base}; a rebased series needs a new row")
    return row.indicator, row.industry, row.product, row.measure, row.unit


def _provider_series(code: str, attributes: dict[str, str]) -> tuple[str, str, str, str, str]:
    clean = _NOT_A_CODE.sub("", code.upper().replace(" ", ""))
    if not clean:
        raise _Reject("unknown-code", "the series has no INDICATOR code")
    return (NAMESPACE + clean, NOT_APPLICABLE, NOT_APPLICABLE, PROVIDER_MEASURE,
            provider_unit(clean, attributes))


def provider_unit(code: str, attributes: dict[str, str]) -> str:
    """The unit an uncoded indicator's suffix and UNIT_MULT name (kept, never applied)."""
    multiplier = attributes.get("UNIT_MULT", "0") or "0"
    last = code.rsplit("_", 1)[-1]
    if last == "IX":
        base = attributes.get("BASE_PER", "")
        unit = "INDEX" if base in ("", NOT_APPLICABLE) else (
            f"INDEX_{base}" if _YEAR.fullmatch(base) else
            "INDEX_" + _NOT_A_CODE.sub("_", base.upper()).strip("_"))
    else:
        unit = SUFFIX_UNITS.get(last, last)
    if multiplier == "0":
        return unit
    prefix = MULTIPLIER_PREFIX.get(multiplier, f"E{multiplier}")
    return f"{unit}_{prefix}" if unit in SUFFIX_AFTER else f"{prefix}_{unit}"


def _geo(dims: dict[str, str]) -> str:
    area = dims.get("REF_AREA", "")
    if area != "VN":
        raise _Reject("unknown-code", f"REF_AREA {area!r}: the NSDP is Viet Nam's (VN) only")
    return area


def _period(text: str, freq: str) -> Period:
    expected = FREQUENCIES.get(freq)
    if expected is None:
        raise _Reject("unknown-code", f"FREQ {freq!r} is none of A, S, Q, M")
    period = sdmx_period(text)
    if period is None or period.type != expected:
        raise _Reject("period-unparseable", f"TIME_PERIOD {text!r} is not a period of FREQ "
                      f"{freq}")
    return period
