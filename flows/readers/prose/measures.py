"""Find the figures of a sentence and say what each one measures.

A level in its unit, an index against a comparison period, a share of the plan, the plan itself,
or a contribution to growth.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flows.readers.numbers import find_numbers
from flows.readers.prose.lexicon import Mention, phrases, unit_pattern

HUNDRED = Decimal(100)
PERCENT = "PCT"
POINTS = "PP"
# Signs written right before a number in lists: "(+106,17%)", "(-5,2%)", U+2212 from editors.
SIGNS = {"+": 1, "-": -1, "\u2212": -1}
# Comparisons a change ("tăng 15,14%") is measured against, and the measure each one gives.
GROWTH_MEASURES = {"yoy": "index_yoy", "pop": "index_pop", "dec": "index_dec",
                   "base": "index_base"}  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """A number with a unit, a scale word or "%" after it, at sentence offsets [start, end).

    `unit` is the code from prose_phrases.csv ("PCT", "USD_MN", ...) with `scale` the factor
    into it ("nghìn tỷ đồng" is BN_VND x 1000); "" when only a scale word follows ("2 triệu
    người"). A number with none of these after it is a count or a date, not a figure.
    """

    start: int
    end: int
    raw: str
    value: Decimal
    decimals: int
    sign: int
    unit: str
    scale: Decimal


@dataclass(frozen=True)
class Clues:
    """What the words around a figure say about it."""

    change: str | None  # up, down, ratio or contribute (prose_phrases.csv, kind change)
    comparison: Mention | None  # yoy, pop, dec, base, plan or year
    plan_label: bool  # under "Kế hoạch năm:": the figure is the plan itself
    indicator_unit: str  # the unit the indicator's levels are kept in
    period_year: int  # the year of the figure's period (the plan's year under a plan label)


@dataclass(frozen=True)
class Reading:
    """A figure as the canonical model stores it."""

    measure: str
    value: Decimal
    unit: str
    decimals: int


def find_figures(text: str, search: str) -> list[Figure]:
    """The figures of a sentence (`search` is its searchable form, offsets equal to `text`)."""
    figures = []
    units, scales = phrases("unit"), phrases("scale")
    for number in find_numbers(text):
        match = unit_pattern().match(search, number.end)
        if match is None:
            continue
        phrase = match.group("phrase")
        sign = _sign(text, number.start)
        start = number.start - (1 if sign else 0)
        unit = units[phrase].code if phrase in units else ""
        scale = units[phrase].scale if phrase in units else scales[phrase].scale
        figures.append(Figure(start, match.end(), text[start : match.end()], number.value,
                              number.decimals, sign, unit, scale))
    return figures


def interpret(figure: Figure, clues: Clues) -> Reading | str:
    """What the figure measures, or a one-line reason why the words do not say."""
    if not figure.unit:
        return f"'{figure.raw}' has a scale word but no unit chiso knows"
    if figure.unit == PERCENT:
        return _percent(figure, clues)
    if figure.unit == POINTS:
        if clues.change == "contribute":
            return Reading("contribution_pp", figure.value, POINTS, figure.decimals)
        return (f"'{figure.raw}' in percentage points is not a contribution ('đóng góp'); "
                "a change in a rate is not stored")
    return _level(figure, clues)


def direction(figure: Figure, clues: Clues) -> str | None:
    """up, down or ratio: the sign wins over the words ("(+106,17%)")."""
    if figure.sign:
        return "up" if figure.sign > 0 else "down"
    return clues.change


def _percent(figure: Figure, clues: Clues) -> Reading | str:
    comparison, way = clues.comparison, direction(figure, clues)
    if comparison is None:
        return (f"'{figure.raw}' compares with nothing the sentence names (expected 'so với cùng "
                "kỳ', 'so với tháng trước', 'kế hoạch' or 'dự toán')")
    if way in ("up", "down"):
        value = HUNDRED + figure.value if way == "up" else HUNDRED - figure.value
    elif way == "ratio":
        value = figure.value
    else:
        return (f"'{figure.raw}': no word says whether it rose ('tăng'), fell ('giảm') or is a "
                "ratio ('bằng', 'đạt')")
    if comparison.code == "plan":
        if clues.plan_label:
            return f"'{figure.raw}' under a plan label compares with the plan itself"
        return Reading("pct_of_plan", value, PERCENT, figure.decimals)
    measure, unit = _index(comparison, clues.period_year)
    if not measure:
        return f"'{figure.raw}': {unit}"
    if clues.plan_label:
        if measure != "index_yoy":
            return f"'{figure.raw}': a planned index must compare with the year before the plan"
        measure = "plan"
    return Reading(measure, value, unit, figure.decimals)


def _index(comparison: Mention, period_year: int) -> tuple[str, str]:
    """The index measure and unit a comparison gives; ("", reason) when it gives none."""
    code, year = comparison.code, comparison.year
    if code == "year":
        if year is None:
            return "", "'so với năm' names no year"
        code = "yoy" if year == period_year - 1 else "base"
    if code == "base":
        if year is None:
            return "", "the base year is not named ('so với kỳ gốc 2019')"
        return "index_base", f"INDEX_{year}"
    return GROWTH_MEASURES[code], "INDEX"


def _level(figure: Figure, clues: Clues) -> Reading | str:
    way = direction(figure, clues)
    if way in ("up", "down"):
        return (f"'{figure.raw}' is an absolute change; chiso stores the level and the index, "
                "not differences")
    if figure.unit != clues.indicator_unit:
        return (f"'{figure.raw}' is in {figure.unit} but the indicator is kept in "
                f"{clues.indicator_unit}")
    value = figure.value * figure.scale
    decimals = figure.decimals - figure.scale.adjusted()
    return Reading("plan" if clues.plan_label else "level", value, figure.unit, decimals)


def _sign(text: str, start: int) -> int:
    """+1 or -1 for a sign glued to the number and not part of a range ("5-7%")."""
    if start == 0 or text[start - 1] not in SIGNS:
        return 0
    if start >= 2 and text[start - 2].isalnum():
        return 0
    return SIGNS[text[start - 1]]
