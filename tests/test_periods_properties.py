"""Properties of periods: every way GSO and the city reports write a period parses back to it,
no text crashes the parsers, and period arithmetic steps where it should."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from flows.core import periods
from flows.core.periods import MAX_YEAR, MIN_YEAR, PERIOD_TYPES, Period, parse_period
from flows.readers.prose.lexicon import searchable
from flows.readers.prose.periods import build, find_periods

YEARS = st.integers(min_value=MIN_YEAR, max_value=MAX_YEAR)
ROMAN = ("I", "II", "III", "IV")
# Month names as GSO writes them in titles ("tháng Tám và 8 tháng năm 2024"), both spellings of
# January, April and December.
MONTH_NAMES = {1: ("Một", "Giêng"), 2: ("Hai",), 3: ("Ba",), 4: ("Tư", "Bốn"), 5: ("Năm",),
               6: ("Sáu",), 7: ("Bảy",), 8: ("Tám",), 9: ("Chín",), 10: ("Mười",),
               11: ("Mười một",), 12: ("Mười hai", "Chạp")}  # fmt: skip
# Cumulations spelt out in prose: "Chín tháng năm 2024" ("Năm tháng" is not read: see
# prose_periods.WORD_COUNTS).
COUNT_NAMES = {2: "Hai", 3: "Ba", 4: "Bốn", 6: "Sáu", 7: "Bảy", 8: "Tám", 9: "Chín",
               10: "Mười", 11: "Mười một"}  # fmt: skip
# White space as it reaches us: header cells break lines ("Tháng 9\nnăm 2024").
SPACE = st.sampled_from([" ", "  ", "\n", "\xa0"])
CASE: st.SearchStrategy[Callable[[str], str]] = st.sampled_from([str, str.lower, str.upper])
# Words around a header's period that name none themselves.
AROUND = st.tuples(st.sampled_from(["", "Ước tính ", "Sơ bộ ", "Chính thức ", "Thực hiện "]),
                   st.sampled_from(["", " (%)", " so với cùng kỳ năm trước", "\n(Triệu USD)"]))


@st.composite
def gso_labels(draw: st.DrawFn) -> tuple[Period, str]:
    """A period of a type headers name (M, Q, H2, YTD, A) and one way GSO writes it."""
    year, s = draw(YEARS), draw(SPACE)
    kind = draw(st.sampled_from(["M", "Q", "H", "YTD", "A"]))
    if kind == "M":
        n = draw(st.integers(1, 12))
        name = draw(st.sampled_from([str(n), f"{n:02d}", *MONTH_NAMES[n]]))
        form = draw(st.sampled_from(["Tháng {n}{s}năm {y}", "tháng {n}/{y}",
                                     "Tháng {n}{s}năm năm {y}"]))  # doubled in a 2018 header
        period = periods.month(year, n)
    elif kind == "Q":
        n = draw(st.integers(1, 4))
        name = draw(st.sampled_from([ROMAN[n - 1], str(n)]))
        form = draw(st.sampled_from(["Quý {n}/{y}", "Quý {n}{s}năm {y}"]))
        period = periods.quarter(year, n)
    elif kind == "H":
        name, form, period = "6", "{n} tháng cuối{s}năm {y}", periods.half(year, 2)
    elif kind == "YTD":
        n = draw(st.integers(1, 12))  # 12 months from January are the year
        name = draw(st.sampled_from([str(n), f"{n:02d}"]))
        form = draw(st.sampled_from(["{n} tháng{s}năm {y}", "{n} tháng đầu{s}năm {y}",
                                     "{n} tháng/{y}"]))
        period = periods.year_to_date(year, n)
    else:
        name, form, period = "", draw(st.sampled_from(["Năm {y}", "Cả năm {y}"])), periods.annual(
            year)
    before, after = draw(AROUND)
    label = draw(CASE)(form.format(n=name, s=s, y=year))
    return period, before + label + after


@st.composite
def prose_labels(draw: st.DrawFn) -> tuple[Period, str]:
    """A period as report sentences name it ("tháng 9/2024", "Chín tháng năm 2024")."""
    year = draw(YEARS)
    kind = draw(st.sampled_from(["M", "Q", "H", "YTD", "A"]))
    if kind == "M":
        n = draw(st.integers(1, 12))
        name = draw(st.sampled_from([str(n), f"{n:02d}", *(w for w in MONTH_NAMES[n]
                                                             if w != "Năm")]))
        text = draw(st.sampled_from([f"tháng {name}/{year}", f"tháng {name} năm {year}"]))
        period = periods.month(year, n)
    elif kind == "Q":
        n = draw(st.integers(1, 4))
        text = draw(st.sampled_from([f"quý {ROMAN[n - 1]}/{year}", f"quý {ROMAN[n - 1]} năm "
                                     f"{year}", f"quý {n} năm {year}"]))
        period = periods.quarter(year, n)
    elif kind == "H":
        text, period = f"6 tháng cuối năm {year}", periods.half(year, 2)
    elif kind == "YTD":
        n = draw(st.integers(1, 12))
        names = [str(n), f"{n:02d}"] + ([COUNT_NAMES[n]] if n in COUNT_NAMES else [])
        name = draw(st.sampled_from(names))
        text = draw(st.sampled_from([f"{name} tháng/{year}", f"{name} tháng năm {year}",
                                     f"{name} tháng đầu năm {year}", f"{name} tháng {year}"]))
        period = periods.year_to_date(year, n)
    else:
        text, period = draw(st.sampled_from([f"năm {year}", f"cả năm {year}"])), periods.annual(
            year)
    return period, draw(CASE)(text)


@st.composite
def any_period(draw: st.DrawFn) -> Period:
    """A period of every type of the model, within the years statistics are about."""
    kind, year = draw(st.sampled_from(PERIOD_TYPES)), draw(YEARS)
    if kind == "M":
        return periods.month(year, draw(st.integers(1, 12)))
    if kind == "Q":
        return periods.quarter(year, draw(st.integers(1, 4)))
    if kind == "H":
        return periods.half(year, draw(st.integers(1, 2)))
    if kind == "YTD":
        return periods.year_to_date(year, draw(st.integers(1, 11)))
    if kind == "D":
        return periods.day(draw(st.dates(date(MIN_YEAR + 1, 1, 1), date(MAX_YEAR - 1, 12, 31))))
    return periods.annual(year)


# Text made of the pieces period names are built from, so the patterns are exercised hard.
PIECES = ["tháng", "Tháng", "THÁNG", "quý", "Quý", "năm", "NĂM", "đầu", "cuối", "cả", "/", " ",
          "\n", "0", "00", "06", "9", "12", "13", "99", "2024", "0000", "1899", "9999", "20245",
          "III", "iv", "chín", "mười", "một", "chạp", "cùng kỳ", "và", ",", "(", "٢٠٢٤"]
PERIOD_SOUP = st.lists(st.sampled_from(PIECES), max_size=24).map("".join)


@given(gso_labels())
@example((periods.month(2018, 9), "Tháng 9 năm năm 2018"))  # the doubled "năm" of 2018
@example((periods.year_to_date(2024, 6), "6 tháng đầu năm 2024"))  # the first half is YTD06
def test_every_gso_label_parses_back_to_its_period(labelled: tuple[Period, str]) -> None:
    period, text = labelled
    assert parse_period(text) == period


@given(gso_labels(), YEARS)
def test_a_label_without_its_year_takes_the_default_year(
    labelled: tuple[Period, str], default: int
) -> None:
    period, text = labelled
    year = str(period.start.year)
    bare = text.replace(f"/{year}", "").replace(year, "")
    if period.type == "A":  # "Năm" alone names no year to default
        return
    assert parse_period(bare, default) == periods.shift_years(period, default - period.start.year)


@given(prose_labels())
@example((periods.year_to_date(2023, 2), "02 tháng/2023"))  # "Ước 02 tháng/2023"
def test_every_prose_label_is_found_and_built_back(labelled: tuple[Period, str]) -> None:
    period, text = labelled
    mentions = find_periods(searchable(text), [])
    assert len(mentions) == 1 and (mentions[0].start, mentions[0].end) == (0, len(text))
    assert mentions[0].year is not None
    assert build(mentions[0], mentions[0].year) == period


@given(st.text() | PERIOD_SOUP, st.none() | st.integers(-10, 10_000))
@example("năm 0000", None)  # crashed with "year 0 is out of range" before years were bounded
@example("tháng 9 năm 20245", None)
def test_parse_period_never_crashes(text: str, default: int | None) -> None:
    found = parse_period(text, default)
    if found is not None:
        assert found.type in PERIOD_TYPES and found.start <= found.end
        assert MIN_YEAR <= found.start.year <= MAX_YEAR


# The words that gate the patterns (periods._PATTERNS), in English too, in every case, and the
# letters re.IGNORECASE matches to "i" and "s" beside their own.
GATE_SOUP = st.lists(st.sampled_from([
    *PIECES, "6", " months", "Month", "quarter", "QUARTER", "3rd", "3sd", " of ", "From ",
    "jan", "Sept.", "SEPT", "ſep", "year", "YEAR", "năm học", "vụ mùa", "VỤ", "đến ngày", "ĐẾN",
    "01/01", "20/9", "Qúy", "q", "Q", "ı", "İ", "ſ", "K"]), max_size=24).map("".join)


@given(st.text() | GATE_SOUP)
@example("Cuốı năm 2024, 3SD OF 2020, QUÝ IV/2024")
def test_the_words_gate_skips_only_patterns_that_cannot_match(text: str) -> None:
    every = []
    for kind, _, pattern in periods._PATTERNS:
        match = pattern.search(text)
        if match:
            every.append((match.start(), kind, match.groupdict()))
    every.sort(key=lambda item: item[0])
    assert periods._named(text) == tuple((kind, groups) for _, kind, groups in every)


@given(st.text() | PERIOD_SOUP)
def test_find_periods_never_crashes(text: str) -> None:
    search = searchable(text)
    for mention in find_periods(search, []):
        assert 0 <= mention.start < mention.end <= len(search)
        if mention.kind != "LAST_YEAR":
            period = build(mention, mention.year or 2024)
            assert period.start <= period.end


@given(any_period(), st.integers(-50, 50))
@example(periods.day(date(2024, 2, 29)), -1)  # crashed: 29 February 2023 does not exist
def test_shifting_years_keeps_the_type_and_the_months(period: Period, years: int) -> None:
    shifted = periods.shift_years(period, years)
    assert shifted.type == period.type
    assert (shifted.start.year, shifted.end.year) == (period.start.year + years,
                                                      period.end.year + years)
    assert (shifted.start.month, shifted.end.month) == (period.start.month, period.end.month)
    if (period.start.month, period.start.day) != (2, 29):
        assert periods.shift_years(shifted, -years) == period


@given(any_period())
def test_the_previous_period_comes_right_before(period: Period) -> None:
    before = periods.previous(period)
    assert before.type == period.type
    if period.type in ("A", "YTD"):
        assert before == periods.shift_years(period, -1)
    else:
        assert before.end + timedelta(days=1) == period.start
