"""Properties of the prose reader: a figure written the way reports write it ("ước đạt 26.351,9
triệu USD", "tăng 15,14% so với cùng kỳ năm trước") reads back to exactly that figure, and no
text crashes the reader: it gives observations and named quarantine codes, nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from flows.core.model import Observation
from flows.core.periods import Period
from flows.pipeline import read_report
from flows.readers.numbers import format_number
from flows.readers.prose.lexicon import searchable
from flows.readers.prose.measures import find_figures

from test_periods_properties import prose_labels

PUBLISHED = date(2100, 1, 15)  # after every period generated: none is still running
SOURCE = "bao-cao.html"
# Every code a reject may carry: the reader's own and validate's.
CODES = {"unknown-indicator", "period-unparseable", "unknown-label", "figure-uninterpretable",
         "value-out-of-range", "duplicate-observation"}
# Levels: the indicator's phrase and unit, and each way of writing an amount in it with the
# factor into the unit ("nghìn tỷ đồng" is 1,000 BN_VND).
LEVELS = {
    "EXPORTS": ("Kim ngạch xuất khẩu", "USD_MN"),
    "IMPORTS": ("Tổng kim ngạch nhập khẩu", "USD_MN"),
    "BUDGET_REVENUE": ("Thu ngân sách nhà nước", "BN_VND"),
    "INVESTMENT": ("Vốn đầu tư thực hiện", "BN_VND"),
    "INV_STATE_BUDGET": ("Vốn đầu tư thực hiện từ nguồn ngân sách Nhà nước", "BN_VND"),
    "INV_TOTAL": ("Vốn đầu tư phát triển toàn xã hội", "BN_VND"),
    "RETAIL": ("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", "BN_VND"),
}
AMOUNTS = {
    "USD_MN": [("triệu USD", Decimal(1)), ("tỷ USD", Decimal(1000)),
               ("nghìn USD", Decimal("0.001")), ("triệu đô la Mỹ", Decimal(1))],
    "BN_VND": [("tỷ đồng", Decimal(1)), ("nghìn tỷ đồng", Decimal(1000)),
               ("ngàn tỷ đồng", Decimal(1000)), ("triệu đồng", Decimal("0.001"))],
}
# A change against a comparison: the words, and the measure and unit they give.
COMPARISONS = [("so với cùng kỳ năm trước", "index_yoy", "INDEX"),
               ("so cùng kỳ", "index_yoy", "INDEX"),
               ("so với tháng trước", "index_pop", "INDEX"),
               ("so với tháng 12 năm trước", "index_dec", "INDEX"),
               ("so với kỳ gốc 2019", "index_base", "INDEX_2019")]  # fmt: skip
STATUS = st.sampled_from([("ước ", "estimate"), ("sơ bộ ", "preliminary"), ("", "official")])


@dataclass(frozen=True)
class Written:
    """A sentence a report could print, and the one observation it states."""

    text: str
    indicator: str
    measure: str
    unit: str
    period: Period
    value: Decimal
    decimals: int
    status: str


def amounts(max_units: int) -> st.SearchStrategy[tuple[Decimal, int]]:
    """An exact amount with its published decimals: 1.234,5 is (Decimal("1234.5"), 1)."""
    return st.tuples(st.integers(0, max_units), st.integers(0, 3)).map(
        lambda pair: (Decimal(pair[0]).scaleb(-pair[1]), pair[1]))


@st.composite
def levels(draw: st.DrawFn) -> Written:
    """ "Kim ngạch xuất khẩu 9 tháng/2024 ước đạt 26.351,9 triệu USD." """
    indicator = draw(st.sampled_from(sorted(LEVELS)))
    phrase, unit = LEVELS[indicator]
    words, scale = draw(st.sampled_from(AMOUNTS[unit]))
    period, label = draw(prose_labels())
    value, decimals = draw(amounts(10**12))
    status, code = draw(STATUS)
    text = f"{phrase} {label} {status}đạt {format_number(value, decimals)} {words}."
    return Written(text, indicator, "level", unit, period, value * scale,
                   decimals - scale.adjusted(), code)


@st.composite
def changes(draw: st.DrawFn) -> Written:
    """ "Chỉ số sản xuất công nghiệp tháng 9/2024 ước tăng 15,14% so với cùng kỳ năm trước." """
    comparison, measure, unit = draw(st.sampled_from(COMPARISONS))
    way = draw(st.sampled_from(["tăng", "giảm", "bằng"]))
    period, label = draw(prose_labels())
    value, decimals = draw(amounts(99_899))
    if way == "giảm":
        value %= 100  # an index stays in (0, 100000]: a fall is under 100%
    if way == "bằng" and value == 0:
        value = Decimal(1).scaleb(-decimals)
    status, code = draw(STATUS)
    index = value if way == "bằng" else 100 - value if way == "giảm" else 100 + value
    text = (f"Chỉ số sản xuất công nghiệp {label} {status}{way} {format_number(value, decimals)}% "
            f"{comparison}.")
    return Written(text, "IIP", measure, unit, period, index, decimals, code)


@st.composite
def plan_shares(draw: st.DrawFn) -> Written:
    """ "Thu ngân sách nhà nước 9 tháng năm 2024 đạt 79,8% dự toán năm." """
    indicator = draw(st.sampled_from(sorted(LEVELS)))
    period, label = draw(prose_labels())
    value, decimals = draw(amounts(99_999))
    plan = draw(st.sampled_from(["kế hoạch năm", "kế hoạch", "dự toán năm",
                                 "dự toán Hội đồng nhân dân thành phố giao"]))
    status, code = draw(STATUS)
    text = (f"{LEVELS[indicator][0]} {label} {status}đạt {format_number(value, decimals)}% "
            f"{plan}.")
    return Written(text, indicator, "pct_of_plan", "PCT", period, value, decimals, code)


def read_one(written: Written) -> Observation:
    observations, rejected = read_report(written.text, geo="VN-31", published=PUBLISHED,
                                        source_name=SOURCE)
    assert rejected == [], [r.message for r in rejected]
    assert len(observations) == 1, written.text
    return observations[0]


@given(levels())
@example(Written("Kim ngạch xuất khẩu 9 tháng/2024 ước đạt 26.351,9 triệu USD.", "EXPORTS",
                 "level", "USD_MN", Period(date(2024, 1, 1), date(2024, 9, 30), "YTD"),
                 Decimal("26351.9"), 1, "estimate"))
def test_a_level_reads_back_exactly(written: Written) -> None:
    found = read_one(written)
    assert (found.indicator, found.measure, found.unit, found.period, found.status) == (
        written.indicator, "level", written.unit, written.period, written.status)
    assert (found.value, found.decimals) == (float(written.value), written.decimals)
    assert found.provenance == written.text


@given(changes())
@example(Written("Chỉ số sản xuất công nghiệp 9 tháng năm 2024 ước tăng 15,14% so với cùng kỳ "
                 "năm trước.", "IIP", "index_yoy", "INDEX",
                 Period(date(2024, 1, 1), date(2024, 9, 30), "YTD"), Decimal("115.14"), 2,
                 "estimate"))
def test_a_change_reads_back_as_its_index(written: Written) -> None:
    found = read_one(written)
    assert (found.indicator, found.measure, found.unit, found.period, found.status) == (
        written.indicator, written.measure, written.unit, written.period, written.status)
    assert (found.value, found.decimals) == (float(written.value), written.decimals)


@given(plan_shares())
def test_a_share_of_the_plan_reads_back(written: Written) -> None:
    found = read_one(written)
    assert (found.indicator, found.measure, found.unit, found.period) == (
        written.indicator, "pct_of_plan", "PCT", written.period)
    assert (found.value, found.decimals) == (float(written.value), written.decimals)


# Text made of the pieces report sentences are built from, so the reader's rules meet.
PIECES = ["Kim ngạch xuất khẩu", "chỉ số sản xuất công nghiệp", "ngành", "dệt may", "tháng",
          " 9", "/2024", " năm", " 2024", "quý III", "cùng kỳ", "ước", " đạt", " tăng", " giảm",
          " bằng", " đóng góp", " 15,14", " 1.234,5", "9.999.999.999.999.999.999,9", "%",
          " triệu USD", " nghìn tỷ đồng", " tỷ", " điểm phần trăm", " so với cùng kỳ",
          " so với kỳ gốc", " so năm", " kế hoạch năm", ":", "(", ")", "+", "-", "\u2212", ";",
          ", ", ". ", "\n", "I. ", "a) ", "TP. ", "…", "İ", "\u0301", " "]
PROSE_SOUP = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@given(st.text() | PROSE_SOUP, st.dates(date(1901, 1, 1), date(2098, 12, 31)))
@example("Kế hoạch năm: tăng 15% so năm 2023 (", date(2024, 10, 1))
@example("9.999.999.999.999.999.999.999.999.999.999,9 tỷ USD kim ngạch xuất khẩu năm 2024.",
         date(2024, 10, 1))
def test_the_reader_never_crashes(text: str, published: date) -> None:
    observations, rejected = read_report(text, geo="VN-31", published=published,
                                        source_name=SOURCE)
    for observation in observations:
        assert observation.provenance and observation.decimals is not None
    for reject in rejected:
        assert reject.code in CODES and reject.message


@given(st.text() | PROSE_SOUP)
def test_every_figure_found_is_the_text_it_spans(text: str) -> None:
    for figure in find_figures(text, searchable(text)):
        assert text[figure.start : figure.end] == figure.raw
        assert figure.value >= 0 and figure.sign in (-1, 0, 1)
