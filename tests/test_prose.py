"""The prose reader and the `press` source on reports written in the Hải Phòng offices' style.

The fixtures in tests/fixtures/prose are our own sentences in the publishers' register. Their
figures are real: the seed article's (IIP and exports of Hải Phòng, January-September 2024, from
the Department of Industry and Trade), GSO's September 2024 release (the country's IIP and
exports) and the Hải Phòng phrasings quoted in shared/DOMAIN.md. DOMAIN.md does not say which
indicator some of those belong to ("ước đạt 8.878 tỷ đồng", "bằng 86,1%", "đạt 14,1% Dự toán",
"ước giảm 10,16% so với tháng trước", "đóng góp 8,93 điểm phần trăm"); the fixtures attach them
to the indicator their wording fits (budget revenue, the IIP, manufacturing's contribution).
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest

from flows.core import periods
from flows.core.errors import NotAnArticleError
from flows.core.model import Observation, ReleaseRef
from flows.core.reference import vsic_codes
from flows.pipeline import read_release, read_report
from flows.readers.prose.lexicon import indicator_phrases, phrases, searchable
from flows.readers.prose.periods import build, find_periods
from flows.readers.prose.text import Heading, Sentence, split_report
from flows.sources import source
from flows.sources.press import article_text, main_place

FIXTURES = Path(__file__).parent / "fixtures" / "prose"
REFERENCE = Path(__file__).parents[1] / "flows" / "reference"
DOIT_2024 = FIXTURES / "haiphong-doit-2024-09.txt"
STATS_2019 = FIXTURES / "haiphong-stats-2019-09.txt"
STATS_2020 = FIXTURES / "haiphong-stats-2020-02.txt"
COUNTRY_2024 = FIXTURES / "vietnam-2024-09.html"


def read(path: Path, published: date, geo: str = "VN-31") -> tuple[list[Observation], list]:
    return read_report(path.read_text(encoding="utf-8"), geo=geo, published=published,
                      source_name=path.name)


def table(observations: list[Observation]) -> set[tuple[str, str, float, str, int | None]]:
    return {(o.series_key, str(o.period), o.value, o.status, o.decimals) for o in observations}


# -- splitting ---------------------------------------------------------------------------------


def test_headings_bullets_and_sentences() -> None:
    parts = split_report(DOIT_2024.read_text(encoding="utf-8"))
    headings = [p.text for p in parts if isinstance(p, Heading)]
    assert headings == [
        "BÁO CÁO TÌNH HÌNH SẢN XUẤT CÔNG NGHIỆP VÀ HOẠT ĐỘNG THƯƠNG MẠI THÁNG 9 VÀ 9 THÁNG NĂM "
        "2024",
        "I. SẢN XUẤT CÔNG NGHIỆP", "II. HOẠT ĐỘNG THƯƠNG MẠI", "1. Xuất khẩu",
        "2. Hạ tầng khu, cụm công nghiệp",
    ]
    sentences = [p for p in parts if isinstance(p, Sentence)]
    exports = next(s for s in sentences if "26.351,9" in s.text)
    # Neither the dots of "26.351,9" nor the abbreviation "TP." end the sentence; the bullet goes.
    assert exports.text.startswith("Kim ngạch xuất khẩu hàng hóa trên địa bàn TP. Hải Phòng")
    assert exports.text.endswith("(9 tháng/2023 đạt 20.786,7 triệu USD).")
    assert (exports.number, exports.heading) == (5, "1. Xuất khẩu")
    assert "2.1 Tài chính" in [p.text for p in split_report(STATS_2020.read_text("utf-8"))
                               if isinstance(p, Heading)]


def test_sentences_split_at_an_ellipsis_and_keep_numbers_whole() -> None:
    text = ("Ngành điện tử tăng cao (+14,50%); … Tổng kim ngạch xuất khẩu ước đạt 26.351,9 "
            "triệu USD. UBND TP. Hải Phòng chỉ đạo tiếp.")
    assert [p.text for p in split_report(text) if isinstance(p, Sentence)] == [
        "Ngành điện tử tăng cao (+14,50%); …",
        "Tổng kim ngạch xuất khẩu ước đạt 26.351,9 triệu USD.",
        "UBND TP. Hải Phòng chỉ đạo tiếp.",
    ]


# -- the Department of Industry and Trade's report ----------------------------------------------


def test_industry_and_trade_report() -> None:
    observations, rejected = read(DOIT_2024, date(2024, 10, 15))
    iip, exports = "IIP.VN-31.{}._Z._Z.INDEX_YOY.INDEX", "EXPORTS.VN-31._Z._T._Z.{}"
    assert table(observations) == {
        # "Kế hoạch năm: tăng 15% so năm 2023": the plan itself, for 2024, under the heading's IIP.
        ("IIP.VN-31._T._Z._Z.PLAN.INDEX", "2024", 115.0, "official", 0),
        (iip.format("_T"), "2024-YTD09", 115.14, "estimate", 2),
        # The list carries the IIP, the period, "so với cùng kỳ" and "Ước" to each industry.
        (iip.format("2620"), "2024-YTD09", 206.17, "estimate", 2),
        (iip.format("29"), "2024-YTD09", 156.38, "estimate", 2),
        (iip.format("1392"), "2024-YTD09", 128.42, "estimate", 2),
        (iip.format("3011"), "2024-YTD09", 127.74, "estimate", 2),
        (iip.format("2710"), "2024-YTD09", 126.12, "estimate", 2),
        (iip.format("2750"), "2024-YTD09", 121.87, "estimate", 2),
        (iip.format("2610"), "2024-YTD09", 114.5, "estimate", 2),
        (exports.format("LEVEL.USD_MN"), "2024-YTD09", 26351.9, "estimate", 1),
        (exports.format("INDEX_YOY.INDEX"), "2024-YTD09", 126.77, "estimate", 2),
        (exports.format("PCT_OF_PLAN.PCT"), "2024-YTD09", 79.8, "estimate", 1),
        # The bracketed figure for last year is its own observation, official by now.
        (exports.format("LEVEL.USD_MN"), "2023-YTD09", 20786.7, "official", 1),
    }
    exports_sentence = next(o.provenance for o in observations if o.value == 26351.9)
    assert exports_sentence.startswith("Kim ngạch xuất khẩu hàng hóa trên địa bàn TP. Hải Phòng")
    assert {o.provenance for o in observations if o.value in (20786.7, 79.8)} == {
        exports_sentence}
    # An absolute change and a scale word without a unit are quarantined with their sentence.
    assert [(r.sheet, r.cell, r.raw, r.code) for r in rejected] == [
        ("1. Xuất khẩu", "s6", "5.565,2 triệu USD", "figure-uninterpretable"),
        ("1. Xuất khẩu", "s6", "2,93 tỷ", "figure-uninterpretable"),
    ]
    assert rejected[0].label.startswith("So với cùng kỳ, kim ngạch xuất khẩu 9 tháng tăng thêm")
    assert rejected[0].message.startswith(
        "haiphong-doit-2024-09.txt sentence s6: '5.565,2 triệu USD': '5.565,2 triệu USD' is an "
        "absolute change")


def test_counting_numbers_and_dates_are_not_figures() -> None:
    observations, rejected = read(DOIT_2024, date(2024, 10, 15))
    cited = {o.provenance for o in observations} | {r.label for r in rejected}
    assert not [s for s in cited if "khu công nghiệp" in s or "(1 + 2)" in s]


# -- the statistics office's reports -------------------------------------------------------------


def test_statistics_office_growth_plan_and_contribution() -> None:
    observations, rejected = read(STATS_2019, date(2019, 9, 29))
    assert table(observations) == {
        ("GRDP.VN-31._T._Z._Z.INDEX_YOY.INDEX", "2019-YTD09", 116.42, "estimate", 2),
        ("GRDP.VN-31._T._Z._Z.INDEX_YOY.INDEX", "2018-YTD09", 116.2, "official", 2),
        # "vượt kế hoạch năm (tăng 15,5%)": the bracket is the plan the growth beat.
        ("GRDP.VN-31._T._Z._Z.PLAN.INDEX", "2019", 115.5, "official", 1),
        ("GRDP.VN-31.C._Z._Z.CONTRIBUTION_PP.PP", "2019-YTD09", 8.93, "estimate", 2),
    }
    # "đạt 16,42%" compares with nothing: quarantined, never read as an index of 16.42.
    [reject] = rejected
    assert (reject.cell, reject.raw, reject.code) == ("s1", "16,42%", "figure-uninterpretable")
    assert reject.sheet.startswith("BÁO CÁO TÌNH HÌNH KINH TẾ - XÃ HỘI THÁNG 9, 9 THÁNG NĂM 2019")


def test_statistics_office_budget_and_month_on_month() -> None:
    observations, rejected = read(STATS_2020, date(2020, 2, 28))
    assert rejected == []
    assert table(observations) == {
        # "tháng 02" without a year takes it from the heading "THÁNG 02 NĂM 2020".
        ("IIP.VN-31._T._Z._Z.INDEX_POP.INDEX", "2020-02", 89.84, "estimate", 2),
        ("BUDGET_REVENUE.VN-31._Z._Z._Z.LEVEL.BN_VND", "2020-YTD02", 8878.0, "estimate", 0),
        ("BUDGET_REVENUE.VN-31._Z._Z._Z.INDEX_YOY.INDEX", "2020-YTD02", 86.1, "estimate", 1),
        ("BUDGET_REVENUE.VN-31._Z._Z._Z.PCT_OF_PLAN.PCT", "2020-YTD02", 14.1, "estimate", 1),
    }


# -- periods, years, status, units ------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("tháng 9/2024", periods.month(2024, 9)),
        ("tháng 9 năm 2024", periods.month(2024, 9)),
        ("tháng Chín năm 2024", periods.month(2024, 9)),
        ("quý III/2024", periods.quarter(2024, 3)),
        ("quý III năm 2024", periods.quarter(2024, 3)),
        ("9 tháng 2024", periods.year_to_date(2024, 9)),
        ("9 tháng/2024", periods.year_to_date(2024, 9)),
        ("9 tháng năm 2024", periods.year_to_date(2024, 9)),
        ("9 tháng đầu năm 2024", periods.year_to_date(2024, 9)),
        ("Chín tháng năm 2024", periods.year_to_date(2024, 9)),
        ("Ước 02 tháng/2023", periods.year_to_date(2023, 2)),
        ("Tính chung 02 tháng đầu năm 2020", periods.year_to_date(2020, 2)),
        ("Cộng dồn 5 tháng đầu năm 2018", periods.year_to_date(2018, 5)),
        ("12 tháng năm 2023", periods.annual(2023)),
        ("năm 2024", periods.annual(2024)),
        ("6 tháng cuối năm 2024", periods.Period(date(2024, 7, 1), date(2024, 12, 31), "H")),
    ],
)
def test_periods_as_reports_write_them(phrase: str, expected: periods.Period) -> None:
    [mention] = find_periods(searchable(phrase), [])
    assert mention.year is not None and build(mention, mention.year) == expected


def test_a_period_without_a_year_takes_the_publication_year_it_can_explain() -> None:
    text = "Tính chung 9 tháng, IIP tăng 8,64% so với cùng kỳ năm trước."
    # Published in January 2025, January-September 2025 has not begun its last month: 2024.
    [early] = read_report(text, geo="VN", published=date(2025, 1, 5))[0]
    [late] = read_report(text, geo="VN", published=date(2024, 10, 6))[0]
    assert str(early.period) == str(late.period) == "2024-YTD09"
    assert early.status == "official"


@pytest.mark.parametrize(
    ("words", "status"),
    [("ước đạt", "estimate"), ("sơ bộ đạt", "preliminary"), ("chính thức đạt", "official"),
     ("đạt", "official")],
)
def test_status_words(words: str, status: str) -> None:
    text = f"Kim ngạch xuất khẩu hàng hóa tháng 9/2024 {words} 34.049,6 triệu USD."
    [observation] = read_report(text, geo="VN", published=date(2024, 11, 6))[0]
    assert (observation.value, observation.status) == (34049.6, status)


def test_a_month_not_yet_over_is_an_estimate() -> None:
    text = "Kim ngạch xuất khẩu hàng hóa tháng 9/2024 đạt 34.049,6 triệu USD."
    [observation] = read_report(text, geo="VN", published=date(2024, 9, 29))[0]
    assert observation.status == "estimate"


@pytest.mark.parametrize(
    ("figure", "value", "decimals"),
    [("8.878 tỷ đồng", 8878.0, 0), ("8,878 nghìn tỷ đồng", 8878.0, 0),
     ("8.878.000 triệu đồng", 8878.0, 3)],
)
def test_units_are_scaled_into_the_indicators_unit(figure: str, value: float,
                                                   decimals: int) -> None:
    text = f"Thu ngân sách 02 tháng năm 2020 ước đạt {figure}."
    [observation] = read_report(text, geo="VN-31", published=date(2020, 2, 28))[0]
    assert (observation.unit, observation.value, observation.decimals) == (
        "BN_VND", value, decimals)


def test_a_level_in_the_wrong_unit_is_quarantined() -> None:
    text = "Kim ngạch xuất khẩu 9 tháng năm 2024 ước đạt 26.351,9 nghìn tấn."
    observations, [reject] = read_report(text, geo="VN-31", published=date(2024, 10, 15))
    assert observations == [] and reject.code == "figure-uninterpretable"
    assert "in THOUS_T but the indicator is kept in USD_MN" in reject.message


def test_a_figure_without_an_indicator_or_a_period_is_quarantined() -> None:
    no_indicator = "9 tháng năm 2024, tỷ lệ lấp đầy các khu công nghiệp đạt 100%."
    no_period = "Kim ngạch xuất khẩu tăng 26,77% so với cùng kỳ."
    published = date(2024, 10, 15)
    for text, code in ((no_indicator, "unknown-indicator"), (no_period, "period-unparseable")):
        observations, rejected = read_report(text, geo="VN-31", published=published)
        assert observations == [] and [r.code for r in rejected] == [code]


@pytest.mark.parametrize(
    ("subject", "industry"),
    [
        ("ngành công nghiệp chế biến, chế tạo", "C"),
        # The whole industry (sections B-E) is the IIP's total but only a part of GRDP.
        ("ngành công nghiệp", None),
        # "dệt" (textiles, 13) is an alias, but "dệt may" is textiles and garments together.
        ("ngành dệt may", None),
        ("các sở, ban, ngành ghi nhận", "_T"),  # "ngành" here names no industry
    ],
)
def test_industries_named_after_nganh(subject: str, industry: str | None) -> None:
    text = (f"Tổng sản phẩm trên địa bàn (GRDP) ước tính 9 tháng năm 2019 tăng 16,42% so cùng kỳ "
            f"năm trước; {subject} đóng góp 8,93 điểm phần trăm.")
    observations, rejected = read_report(text, geo="VN-31", published=date(2019, 9, 29))
    contributions = [o.industry for o in observations if o.measure == "contribution_pp"]
    if industry is None:
        assert contributions == [] and [r.code for r in rejected] == ["unknown-label"]
    else:
        assert contributions == [industry] and rejected == []


NINE_MONTHS = "9 tháng năm 2024"


@pytest.mark.parametrize(
    ("subject", "figure", "geo", "key"),
    [
        # Total and state-budget investment are two of GSO's tables; words naming neither stay
        # INVESTMENT, compared with no one.
        ("Vốn đầu tư thực hiện từ nguồn ngân sách Nhà nước", "ước đạt 11.930,4 tỷ đồng",
         "VN-31", "INV_STATE_BUDGET.VN-31._Z._Z._Z.LEVEL.BN_VND"),
        ("Vốn đầu tư thực hiện từ nguồn ngân sách Nhà nước", "ước đạt 428.067,9 tỷ đồng",
         "VN", "INV_STATE_BUDGET.VN._Z._T._Z.LEVEL.BN_VND"),
        ("Vốn đầu tư phát triển toàn xã hội", "ước đạt 36.000 tỷ đồng",
         "VN-31", "INV_TOTAL.VN-31._Z._T._Z.LEVEL.BN_VND"),
        ("Vốn đầu tư thực hiện", "ước đạt 11.930,4 tỷ đồng",
         "VN-31", "INVESTMENT.VN-31._Z._Z._Z.LEVEL.BN_VND"),
        # FDI attracted is new and added capital together, which GSO's tables do not give.
        ("Vốn đầu tư trực tiếp nước ngoài", "đạt 1.068,5 triệu USD",
         "VN-31", "FDI.VN-31._Z._Z._Z.LEVEL.USD_MN"),
        ("Vốn đăng ký cấp mới", "đạt 449,0 triệu USD",
         "VN-31", "FDI_CAPITAL_NEW.VN-31._Z._Z._Z.LEVEL.USD_MN"),
        ("Vốn đăng ký điều chỉnh", "đạt 619,5 triệu USD",
         "VN", "FDI_CAPITAL_ADJUSTED_NET.VN._Z._T._Z.LEVEL.USD_MN"),
        ("Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", "ước đạt 100.000 tỷ đồng",
         "VN-31", "RETAIL.VN-31._Z._T._Z.LEVEL.BN_VND"),
        # Gross output: GSO's total row, its province rows, and an industry as GSO codes one.
        ("Giá trị sản xuất công nghiệp", "tăng 12,5% so với cùng kỳ năm trước",
         "VN", "GROSS_IND_OUTPUT.VN._Z._T._Z.INDEX_YOY.INDEX"),
        ("Giá trị sản xuất công nghiệp", "tăng 12,5% so với cùng kỳ năm trước",
         "VN-31", "GROSS_IND_OUTPUT.VN-31._Z._Z._Z.INDEX_YOY.INDEX"),
        ("Giá trị sản xuất công nghiệp của toàn ngành công nghiệp",
         "tăng 12,5% so với cùng kỳ năm trước",
         "VN", "GROSS_IND_OUTPUT.VN._Z._T._Z.INDEX_YOY.INDEX"),
        ("Giá trị sản xuất công nghiệp ngành công nghiệp chế biến, chế tạo",
         "tăng 13,1% so với cùng kỳ năm trước",
         "VN-31", "GROSS_IND_OUTPUT.VN-31.C._Z._Z.INDEX_YOY.INDEX"),
        ("Khách du lịch", "ước đạt 8,3 triệu lượt", "VN-31", "TOURISTS.VN-31._Z._Z._Z.LEVEL.COUNT"),
    ],
)
def test_phrases_name_the_series_gso_gives_the_same_concept(
    subject: str, figure: str, geo: str, key: str,
) -> None:
    text = f"{subject} {NINE_MONTHS} {figure}."
    [observation], rejected = read_report(text, geo=geo, published=date(2024, 10, 15))
    assert rejected == []
    assert observation.series_key == key


def test_two_figures_for_one_fact_are_a_duplicate() -> None:
    # GSO's August 2024 IIP: 109.5 when first estimated, 108.38 a month later.
    text = ("Chỉ số sản xuất công nghiệp tháng 8/2024 ước tính tăng 9,5% so với cùng kỳ năm "
            "trước.\nSố liệu chính thức: chỉ số sản xuất công nghiệp tháng 8/2024 tăng 8,38% so "
            "với cùng kỳ năm trước.")
    observations, [reject] = read_report(text, geo="VN", published=date(2024, 10, 6))
    assert [o.value for o in observations] == [109.5]
    assert (reject.cell, reject.code) == ("s2", "duplicate-observation")
    assert reject.label.startswith("Số liệu chính thức")


# -- the vocabulary files -------------------------------------------------------------------------


def test_vocabulary_files_are_consistent() -> None:
    units = {p.code for p in phrases("unit").values()}
    assert {p.unit for p in indicator_phrases().values()} <= units | {"INDEX"}
    assert {p.breakdown for p in indicator_phrases().values()} <= {
        "industry", "activity", "product", ""}
    assert {p.industry for p in indicator_phrases().values()} <= vsic_codes() | {"_Z"}
    assert {p.province_whole for p in indicator_phrases().values()} == {"", "_Z"}
    assert {p.code for p in phrases("comparison").values()} == {
        "yoy", "pop", "dec", "base", "plan", "year"}
    assert {p.code for p in phrases("status").values()} == {
        "estimate", "preliminary", "official"}
    with (REFERENCE / "places.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    geos = {row["geo"] for row in rows}
    # the country, the 63 provinces before the 2025 merger, and Hà Tây (merged into Hà Nội, 2008)
    assert len(geos) == 65
    # GSO's two-digit province codes; a province retired before 2025 without one has letters
    # (Hà Tây, VN-HT, merged into Hà Nội in 2008).
    assert all(g == "VN" or (g[:3] == "VN-" and len(g) == 5
                             and (g[3:].isdigit() or g[3:].isalpha())) for g in geos)
    assert {row["name"]: row["geo"] for row in rows}["Hải Phòng"] == "VN-31"


# -- the press source ---------------------------------------------------------------------------


def ref(name: str, published: datetime) -> ReleaseRef:
    return ReleaseRef("press", "Báo Hải Phòng", "", published, "", title=name)


def test_press_reads_an_html_article() -> None:
    press = source("press")
    assert press.discover is None and press.accepts == (".txt", ".html", ".htm")
    contents = read_release(press, [COUNTRY_2024], ref(COUNTRY_2024.name, datetime(2024, 10, 6)))
    # The footer names Hà Nội three times; page furniture is dropped, so the article is the
    # country's ("cả nước"), and the title stays as the first line.
    assert {o.geo for o in contents.observations} == {"VN"}
    assert contents.reference_period == "2024-09"
    assert table(contents.observations) >= {
        ("IIP.VN._T._Z._Z.INDEX_YOY.INDEX", "2024-09", 110.84, "estimate", 2),  # across <strong>
        ("IIP.VN._T._Z._Z.INDEX_YOY.INDEX", "2024-Q3", 110.04, "estimate", 2),
        ("IIP.VN._T._Z._Z.INDEX_YOY.INDEX", "2024-YTD09", 108.64, "official", 2),
        ("IIP.VN.C._Z._Z.INDEX_YOY.INDEX", "2024-YTD09", 109.87, "official", 2),
        ("IIP.VN.26._Z._Z.INDEX_YOY.INDEX", "2024-YTD09", 109.07, "official", 2),
        ("IIP.VN.27._Z._Z.INDEX_YOY.INDEX", "2024-YTD09", 108.72, "official", 2),
        ("IIP.VN.30._Z._Z.INDEX_YOY.INDEX", "2024-YTD09", 103.82, "official", 2),
        ("EXPORTS.VN._Z._T._Z.LEVEL.USD_MN", "2024-09", 34049.6, "estimate", 1),
        ("EXPORTS.VN._Z._T._Z.LEVEL.USD_MN", "2024-YTD09", 299625.1, "estimate", 1),
    }
    assert len(contents.observations) == 9
    # A list item in a wording chiso does not know is quarantined, not guessed.
    [reject] = contents.rejected
    assert (reject.raw, reject.code) == ("sản xuất ô tô +12,96%", "unknown-label")
    assert reject.message.startswith("vietnam-2024-09.html sentence s4:")


def test_the_main_place_is_the_one_named_most() -> None:
    assert main_place(article_text(STATS_2020)) == "VN-31"  # "HẢI PHÒNG", in capitals
    text = "Cả nước tăng 8,64%. Hải Phòng tăng 15,14%, dẫn đầu vùng; Hải Phòng và Quảng Ninh."
    assert main_place(text) == "VN-31"
    assert main_place("Quảng Ninh và Hà Nội; Hà Nội và Quảng Ninh.") == "VN-22"  # first named
    assert main_place("Thành phố giữ gìn hoà bình và ổn định, cả nước đồng lòng.") == "VN"


def test_press_refuses_files_that_are_no_article(tmp_path: Path) -> None:
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.7\0\0\x93")
    nowhere = tmp_path / "nowhere.txt"
    nowhere.write_text("Kim ngạch xuất khẩu 9 tháng năm 2024 ước đạt 26.351,9 triệu USD.",
                       encoding="utf-8")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Hải Phòng".encode("cp1258", errors="replace") + b"\xff\xfe")
    press = source("press")
    published = datetime(2024, 10, 15)
    with pytest.raises(NotAnArticleError, match=r"scan\.txt: a binary file, not an article"):
        read_release(press, [binary], ref("scan.txt", published))
    with pytest.raises(NotAnArticleError, match=r"nowhere\.txt: names no place"):
        read_release(press, [nowhere], ref("nowhere.txt", published))
    with pytest.raises(NotAnArticleError, match=r"latin\.txt: not UTF-8 text"):
        read_release(press, [latin], ref("latin.txt", published))


def test_an_article_without_figures_is_placed_by_its_publication(tmp_path: Path) -> None:
    article = tmp_path / "kcn.txt"
    article.write_text("Hải Phòng hiện có 14 KCN và 6 cụm công nghiệp đang hoạt động.",
                       encoding="utf-8")
    contents = read_release(source("press"), [article], ref(article.name, datetime(2024, 10, 15)))
    assert (contents.observations, contents.rejected) == ([], [])
    assert contents.reference_period == "2024-10"


def test_a_web_page_saved_as_text_is_read_as_html(tmp_path: Path) -> None:
    page = tmp_path / "bai-viet.txt"
    page.write_text(
        "<!DOCTYPE html><html><body><h1>Hải Phòng: xuất khẩu 9 tháng</h1><p>Tổng kim ngạch xuất "
        "khẩu 9 tháng/2024 ước đạt <b>26.351,9</b> triệu USD.</p></body></html>", encoding="utf-8")
    contents = read_release(source("press"), [page], ref(page.name, datetime(2024, 10, 15)))
    assert table(contents.observations) == {
        ("EXPORTS.VN-31._Z._T._Z.LEVEL.USD_MN", "2024-YTD09", 26351.9, "estimate", 1)}
