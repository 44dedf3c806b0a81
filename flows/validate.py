"""Check normalised observations, once for every source; bad ones become rejects with a code.

Only the pipeline (flows/pipeline.py) calls `validate`.

Codes: `value-out-of-range` (not finite, a negative level of a quantity that cannot be
negative, an index outside (0, 100000]),
`duplicate-observation` (one release giving two different figures for the same series and
period; the first is kept), besides the readers' `unknown-label`, `value-unparseable` and
`header-unparseable`.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping
from dataclasses import replace

from flows.core.model import Observation, Rejected

# An index of 100,000 is a thousandfold rise on the comparison period. Real indices go far
# past 1,000: imports of built-up cars in January 2019 were 4,048 (40 times January 2018,
# when a new decree had all but stopped them).
MAX_INDEX = 100_000.0
# Net flows and balances go below zero for real (net FDI inflows when investors pull out, a
# trade deficit); an indicator code naming NET or BALANCE as a word is such a series.
SIGNED_INDICATOR = re.compile(r"(?:^|_)(?:NET|BALANCE)(?:_|$)")


def validate(
    observations: list[Observation], addresses: Mapping[str, tuple[str, str, str]] | None = None,
    repeats: list[str] | None = None,
) -> tuple[list[Observation], list[Rejected]]:
    """The observations that pass, and rejects for those that do not.

    `addresses` maps a provenance to the (sheet, cell, label) its reader addresses rejects by
    (prose: heading, "s12", sentence); such a reject keeps its series and value in `raw`.
    `repeats`, when given, gets the provenance of each observation left out as a repeat of one
    kept (the same series, period and value: a national total printed again in a later table).
    """
    good: list[Observation] = []
    rejected: list[Rejected] = []
    seen: dict[tuple[str, str, object, object], Observation] = {}
    ranges: dict[tuple[str, str], tuple[float, float]] = {}
    for obs in observations:
        # A value in (0, MAX_INDEX], as most are, lies in every range; only another one is
        # looked at closer, against its series' range and then for the reason it is out.
        if not 0.0 < obs.value <= MAX_INDEX and (problem := _out_of_range(obs, ranges)):
            rejected.append(_reject(obs, "value-out-of-range", problem))
            continue
        period = obs.period
        known = len(seen)
        first = seen.setdefault((obs.series_key, period.type, period.start, period.end), obs)
        if len(seen) > known:  # (by its size: a list may hold an observation twice)
            good.append(obs)
        elif first.value != obs.value and not same_as_printed(first, obs):
            rejected.append(_reject(
                obs, "duplicate-observation",
                f"{obs.series_key} {obs.period} is {obs.value} here but {first.value} at "
                f"{first.provenance}; keeping the first",
            ))
        elif repeats is not None:
            repeats.append(obs.provenance)
    return good, [_placed(r, addresses or {}) for r in rejected]


def same_as_printed(one: Observation, other: Observation) -> bool:
    """Whether two values of a figure agree at the decimal places the coarser was printed at,
    as v_conflicts compares publishers (sql/views/compared_places.sql): a table that prints a
    yield as 58.8 and another of the same workbook that computes it as 58.751043... give one
    figure twice (the second is a repeat), while 37595 and 37596 enterprises are two."""
    places = min(_places(one), _places(other))
    return round(one.value, places) == round(other.value, places)


def _places(obs: Observation) -> int:
    """The places a value was printed at: as its publisher stated, else those of its number
    written shortest (58.8: 1; a whole number 0; one that needs an exponent 15), at most
    those of its first SIGNIFICANT digits: past them a double holds the noise of the order it
    was summed in (114.10458641754815 and 114.10458641754812, one total computed twice)."""
    if obs.decimals is not None:
        return obs.decimals
    written = repr(obs.value)
    if "e" in written.lower():
        return 15
    decimals = written.partition(".")[2]
    whole_digits = len(str(int(abs(obs.value)))) if abs(obs.value) >= 1 else 0
    return 0 if decimals in ("", "0") else min(len(decimals), SIGNIFICANT - whole_digits)


# The significant digits a value written shortest is compared at (sql/views/compared_places.sql
# caps written_places the same way): no table prints more, and a double's last few are noise.
SIGNIFICANT = 12


def _placed(reject: Rejected, addresses: Mapping[str, tuple[str, str, str]]) -> Rejected:
    """A reject addressed like the reader's own, when the reader gave its address."""
    address = addresses.get(reject.cell)
    if address is None:
        return reject
    sheet, cell, label = address
    return replace(reject, sheet=sheet, cell=cell, label=label,
                   raw=f"{reject.label} = {reject.raw}")


def _out_of_range(obs: Observation, ranges: dict[tuple[str, str], tuple[float, float]]
                  ) -> str | None:
    """Why the observation's value is out of its series' range, or None; `ranges` keeps
    each (indicator, measure)'s range once worked out."""
    span = ranges.get((obs.indicator, obs.measure))
    if span is None:
        span = ranges[obs.indicator, obs.measure] = _range(obs.indicator, obs.measure)
    return None if span[0] <= obs.value <= span[1] else _range_problem(obs)


def _range(indicator: str, measure: str) -> tuple[float, float]:
    """The closed range of finite values `_range_problem` passes for a series' indicator and
    measure: (0, MAX_INDEX] for an index starts at the least float above zero."""
    if measure.startswith("index"):
        return math.ulp(0.0), MAX_INDEX
    if measure == "level" and not SIGNED_INDICATOR.search(indicator):
        return 0.0, sys.float_info.max
    return -sys.float_info.max, sys.float_info.max


def _range_problem(obs: Observation) -> str | None:
    if not math.isfinite(obs.value):
        return f"{obs.value} is not a finite number"
    if obs.measure == "level" and obs.value < 0 and not SIGNED_INDICATOR.search(obs.indicator):
        return f"a level cannot be negative: {obs.value}"
    if obs.measure.startswith("index") and not 0 < obs.value <= MAX_INDEX:
        return f"an index must lie in (0, {MAX_INDEX:g}]: {obs.value}"
    return None


def _reject(obs: Observation, code: str, message: str) -> Rejected:
    sheet = obs.provenance.split("!", 1)[0]
    return Rejected(sheet, obs.provenance, obs.series_key, repr(obs.value), code,
                    f"{obs.provenance}: {message}")
