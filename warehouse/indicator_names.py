"""Names for the indicators the GSO table catalogue builds rather than lists: a table kind's
indicator extended by the variables its rows, columns and parts name. `FDI_CHARTER_CAPITAL`
is the FDI table's "charter capital" column, `POPULATION_CENSUS_URBAN_FEMALE` the 1999
census's urban section, female column, `LABOUR_TY_LE_THAT_NGHIEP_TRONG_DO_TUOI_LAO_DONG` the
labour table's "Tỷ lệ thất nghiệp trong độ tuổi lao động". Each is named after its kind's
indicator with its variables' names in brackets, so that search and series names say what
the figures measure (two series in three were named by their place alone before).

A variable's names: the labels of the item rows coded `variable:X` or `part:X` (the English
edition's label of the list is the English name), else for a column variable of
gso_columns.csv its pattern when that is plain words ("vốn đăng ký"), else its code's words
("charter capital").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

from flows.core import catalogue
from flows.core.reference import read_rows
from flows.core.text import has_diacritics

Names = tuple[str, str]  # (Vietnamese, English); either may be ''

# A gso_columns.csv pattern that is plain words, readable as a name.
_PLAIN = re.compile(r"^[^\W\d_]+(?: [^\W\d_]+)*$")


def derived_names(indicators: Iterable[str], named: Mapping[str, Names]
                  ) -> dict[str, Names]:
    """For each of `indicators` that extends a named one (`named`: code -> names) by known
    variables, its names: the longest named code it starts with, then its variables."""
    found = {}
    for indicator in indicators:
        base = max((code for code in named if indicator.startswith(code + "_")), key=len,
                   default=None)
        if base is None:
            continue
        parts = _variables(indicator[len(base) + 1:])
        vi, en = named[base]
        vi_parts = ", ".join(v for v, _ in parts if v)
        found[indicator] = (
            f"{vi} ({vi_parts})" if vi and vi_parts else vi or vi_parts[:1].upper() + vi_parts[1:],
            f"{en} ({', '.join(e for _, e in parts)})" if en else "",
        )
    return found


def _variables(suffix: str) -> list[Names]:
    """The variables an indicator's suffix is made of, longest known codes first."""
    known = variable_names()
    words, parts, start = suffix.split("_"), [], 0
    while start < len(words):
        end = next((end for end in range(len(words), start, -1)
                    if "_".join(words[start:end]) in known), start + 1)
        code = "_".join(words[start:end])
        parts.append(known.get(code, ("", _words(code))))
        start = end
    return parts


@cache
def variable_names() -> dict[str, Names]:
    """Variable code -> (Vietnamese, English) name, from the item lists and gso_columns.csv."""
    names: dict[str, Names] = {}
    for (_, _, label), item in catalogue.items().items():
        if item.dimension in ("variable", "part") and item.value != "_T":
            vi, en = names.get(item.value, ("", ""))
            if has_diacritics(label):
                vi = vi or label
            else:
                en = en or label
            names[item.value] = (vi, en)
    for row in read_rows("gso_columns.csv"):
        code = row["variable"]
        if code and ":" not in code:
            vi, en = names.get(code, ("", ""))
            pattern = row["pattern"]
            if _PLAIN.match(pattern) and has_diacritics(pattern):
                vi = vi or pattern
            names[code] = (vi, en)
    return {code: (vi, en or _words(code)) for code, (vi, en) in names.items()}


def _words(code: str) -> str:
    return code.replace("_", " ").lower()
