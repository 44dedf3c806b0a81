"""Pairs of published figures the reader once filed under one series and period (quarantined as
`duplicate-observation`), each now read under its own key, or left quarantined where the
workbook cannot say which is which: real figures pinned by cell, each checked against the
workbook's own cell, from two eras where the table has two."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core import catalogue
from flows.core.text import fold
from flows.readers.workbook.headers import headed_alike, interpret
from flows.readers.workbook.months import official_before_estimate

from samples import read_once, workbook_cell, workbook_number


def _workbook(shared_releases: Path, name: str) -> Path:
    return shared_releases / "gso" / name


def _check(path: Path, ref: str, value: float, period: str, measure: str, unit: str,
           key: str) -> None:
    found = [o for o in read_once(path).observations if o.provenance == ref]
    assert len(found) == 1, f"{len(found)} figures from {ref}"
    obs = found[0]
    assert (str(obs.period), obs.measure, obs.unit, obs.series_key) == (period, measure, unit, key)
    assert obs.value == pytest.approx(value)
    assert workbook_number(path, ref) == pytest.approx(obs.value)


def _rejected(path: Path, code: str) -> dict[str, str]:
    """Cell -> message of the workbook's rejects with that code."""
    return {r.cell: r.message for r in read_once(path).rejected if r.code == code}


DECEMBER_2011 = "2011-12-29-Bieu-12-2011.xls"

# Producer prices. Until 2017 one table each for agricultural, forestry and fishery products,
# industrial products and (2016-2017) services, each with its "Chỉ số chung"; from 2018 one
# table with a section for each. The older totals are the sections' series: VSIC section A,
# industry B-E (`_T`, as the IIP's) and services.
PPI = [
    (DECEMBER_2011, "CSG_NLTS!B8", 132.881137570413, "2011-Q4", "index_yoy",
     "PPI.VN.A._Z._Z.INDEX_YOY.INDEX"),
    (DECEMBER_2011, "CSG_CN!D8", 118.43280035371649, "2011", "index_yoy",
     "PPI.VN._T._Z._Z.INDEX_YOY.INDEX"),
    ("2017-12-29-03-Bieu-2017.xlsx", "CSG_CN!B8", 103.47, "2017-Q4", "index_yoy",
     "PPI.VN._T._Z._Z.INDEX_YOY.INDEX"),
    ("2017-12-29-03-Bieu-2017.xlsx", "CSGDichvu!B8", 103.24, "2017-Q4", "index_yoy",
     "PPI.VN._Z.DICH_VU._Z.INDEX_YOY.INDEX"),
    ("2019-12-27-03-Bieu-2019.xlsx", "30.Gia SX!B8", 101.887219563132, "2019-Q4", "index_yoy",
     "PPI.VN.A._Z._Z.INDEX_YOY.INDEX"),
    ("2019-12-27-03-Bieu-2019.xlsx", "30.Gia SX!B12", 100.52441967405865, "2019-Q4",
     "index_yoy", "PPI.VN._T._Z._Z.INDEX_YOY.INDEX"),
    ("2019-12-27-03-Bieu-2019.xlsx", "30.Gia SX!B18", 102.80338119613728, "2019-Q4",
     "index_yoy", "PPI.VN._Z.DICH_VU._Z.INDEX_YOY.INDEX"),
    # "Nông nghiệp, lâm nghiệp và thủy sản" (2021-2024) is the same section.
    ("2024-12-29-02.Bieu-T12.2024.xlsx", "34.Gia SX!B8", 110.0496193988254, "2024-Q4",
     "index_yoy", "PPI.VN.A._Z._Z.INDEX_YOY.INDEX"),
]


@pytest.mark.extended
@pytest.mark.parametrize("figure", PPI, ids=lambda f: f"{f[0][:7]}:{f[1]}")
def test_producer_price_totals_are_their_sections(shared_releases: Path, figure: tuple) -> None:
    _check(_workbook(shared_releases, figure[0]), *figure[1:5], "INDEX", figure[5])


# A producer price row is its VSIC industry whatever the era calls it (gso_items/ppi.csv), so
# one series runs from the 2011-2017 tables into the single table of 2018-2024, and meets the
# NSDP's ISIC series in v_conflicts. Each pair: two wordings of one industry.
PPI_INDUSTRIES = [
    (DECEMBER_2011, "CSG_NLTS!B9", 134.493172181082, "2011-Q4", "Nông nghiệp", "01"),
    ("2024-12-29-02.Bieu-T12.2024.xlsx", "34.Gia SX!B9", 112.51120763403364, "2024-Q4",
     "Nông nghiệp và dịch vụ có liên quan", "01"),
    (DECEMBER_2011, "CSG_CN!B9", 125.32987039871996, "2011-Q4", "Sản phẩm khai khoáng", "B"),
    ("2024-12-29-02.Bieu-T12.2024.xlsx", "34.Gia SX!B13", 96.39203493675592, "2024-Q4",
     "Khai khoáng", "B"),
    ("2016-06-29-Bieu-6.2016.xlsx", "CSGDichvu!B10", 98.75209705268627, "2016-Q2",
     "Vận tải kho bãi (bao gồm bưu chính và chuyển phát)", "H"),
    ("2024-12-29-02.Bieu-T12.2024.xlsx", "34.Gia SX!B19", 107.83990538837047, "2024-Q4",
     "Vận tải kho bãi", "H"),
    (DECEMBER_2011, "CSG_CN!B15", 119.72327029840145, "2011-Q4", "Chế biến thực phẩm", "10"),
    ("2017-12-29-03-Bieu-2017.xlsx", "CSG_CN!B16", 100.75, "2017-Q4", "Thực phẩm chế biến",
     "10"),
]


@pytest.mark.extended
@pytest.mark.parametrize("figure", PPI_INDUSTRIES, ids=lambda f: f"{f[0][:7]}:{f[1]}")
def test_producer_prices_keep_their_industry_across_eras(shared_releases: Path,
                                                        figure: tuple) -> None:
    name, ref, value, period, label, industry = figure
    path = _workbook(shared_releases, name)
    _check(path, ref, value, period, "index_yoy", "INDEX",
           f"PPI.VN.{industry}._Z._Z.INDEX_YOY.INDEX")
    sheet, _, cell = ref.rpartition("!")
    label_cell = f"{sheet}!A{cell.lstrip('ABCDEFGHIJKLMNOPQRSTUVWXYZ')}"
    assert fold(str(workbook_cell(path, label_cell))) == fold(label)


def test_each_total_is_an_item_of_its_kinds_list() -> None:
    """gso_totals.csv names catalogued kinds, and codes their item list gives a section row, so
    the older total lands on a key the later table uses."""
    kinds = {k.kind: k for k in catalogue.table_kinds()}
    assert catalogue.kind_totals()
    for kind, total in catalogue.kind_totals().items():
        codes = {i.code for (name, _, _), i in catalogue.items().items()
                 if name == kinds[kind].items}
        assert total in codes, (kind, total)


@pytest.mark.extended
def test_no_producer_price_table_is_the_whole_ppi(shared_releases: Path) -> None:
    # GSO publishes no all-products PPI: none of the three older totals is PPI _T.
    for name in (DECEMBER_2011, "2016-06-29-Bieu-6.2016.xlsx"):
        path = _workbook(shared_releases, name)
        assert not [o for o in read_once(path).observations
                    if o.indicator == "PPI" and o.product == "_T"]
    # Left quarantined: December 2011's "Điện, nước" and "Điện nước" rows, which the labels
    # cannot tell apart (the second's figures differ a little: 116.16 against 116.98).
    dupes = _rejected(_workbook(shared_releases, DECEMBER_2011), "duplicate-observation")
    assert {c for c in dupes if c.startswith("CSG_")} == {"CSG_CN!B37", "CSG_CN!D37"}


# Transport prices, December 2011: the passenger and freight rows under a mode are the mode's.
TRANSPORT_PRICES = [
    (DECEMBER_2011, "CSG_cuoc van tai!B9", 124.29536050849606, "2011-Q4", "index_yoy",
     "TRANSPORT_PRICES.VN._Z.VAN_TAI_HANH_KHACH._Z.INDEX_YOY.INDEX"),
    (DECEMBER_2011, "CSG_cuoc van tai!B13", 122.72181378153569, "2011-Q4", "index_yoy",
     "TRANSPORT_PRICES.VN._Z.VAN_TAI_DUONG_BO_HANH_KHACH._Z.INDEX_YOY.INDEX"),
    (DECEMBER_2011, "CSG_cuoc van tai!C22", 100.56, "2011-Q4", "index_pop",
     "TRANSPORT_PRICES.VN._Z.VAN_TAI_DUONG_SONG_HANH_KHACH._Z.INDEX_POP.INDEX"),
    (DECEMBER_2011, "CSG_cuoc van tai!D23", 114.2115267119863, "2011", "index_yoy",
     "TRANSPORT_PRICES.VN._Z.VAN_TAI_DUONG_SONG_HANG_HOA._Z.INDEX_YOY.INDEX"),
    # From 2012 only the all-mode passenger and freight rows remain.
    ("2012-03-29-Bieu-032012.xls", "Cuoc Van tai!B9", 133.05, "2012-Q1", "index_yoy",
     "TRANSPORT_PRICES.VN._Z.VAN_TAI_HANH_KHACH._Z.INDEX_YOY.INDEX"),
]


@pytest.mark.extended
@pytest.mark.parametrize("figure", TRANSPORT_PRICES, ids=lambda f: f"{f[0][:7]}:{f[1]}")
def test_transport_price_rows_under_a_mode_are_its(shared_releases: Path, figure: tuple) -> None:
    _check(_workbook(shared_releases, figure[0]), *figure[1:5], "INDEX", figure[5])


# Services trade: "Thực hiện (Triệu USD)" over "2007 | 2008" (December 2008); quarters and
# the year from 2018.
SERVICES = [
    ("2008-12-30-Bieu1208-1.xls", "Sheet2!B7", 6460.0, "2007",
     "SERVICES_TRADE.VN._Z.EXPORTS._Z.LEVEL.USD_MN"),
    ("2008-12-30-Bieu1208-1.xls", "Sheet2!C7", 7096.0, "2008",
     "SERVICES_TRADE.VN._Z.EXPORTS._Z.LEVEL.USD_MN"),
    ("2008-12-30-Bieu1208-1.xls", "Sheet2!B19", 820.0, "2007",
     "SERVICES_TRADE.VN._Z.IMPORTS_AIR_TRANSPORT._Z.LEVEL.USD_MN"),
    ("2018-12-27-03-So-lieu-2018-1.xls", "XNKdichvu!D10", 14800.0, "2018",
     "SERVICES_TRADE.VN._Z.EXPORTS._Z.LEVEL.USD_MN"),
]


@pytest.mark.extended
@pytest.mark.parametrize("figure", SERVICES, ids=lambda f: f"{f[0][:7]}:{f[1]}")
def test_services_trade_years(shared_releases: Path, figure: tuple) -> None:
    _check(_workbook(shared_releases, figure[0]), *figure[1:4], "level", "USD_MN", figure[4])


def test_a_year_typed_under_a_heading_dates_its_column() -> None:
    column = interpret(1, "Thực hiện (Triệu USD) 2007", None)
    assert (str(column.period), column.measures, column.status) == (
        "2007", ("level",), "official")


# General education, December 2008: schools, then classes, teachers and pupils by level.
# (Classes, teachers and pupils in thousands are in this table only: one era.) Each heading
# ("Trường học (Trường)", "Lớp học (Nghìn lớp)") is the total of the levels below it and
# states their unit, so "Tiểu học" under schools is a count of schools, not a reject.
EDUCATION = [
    ("Sheet1 (2)!C7", 15195.0, "2008", "level", "SCHOOLS",
     "EDUCATION_SCHOOLS.VN._Z.TIEU_HOC._Z.LEVEL.SCHOOLS"),
    ("Sheet1 (2)!D6", 28140.0, "2009", "level", "SCHOOLS",
     "EDUCATION_SCHOOLS.VN._Z._T._Z.LEVEL.SCHOOLS"),
    ("Sheet1 (2)!C13", 266.5, "2008", "level", "THOUS_CLASSES",
     "EDUCATION_CLASSES.VN._Z.TIEU_HOC._Z.LEVEL.THOUS_CLASSES"),
    ("Sheet1 (2)!E14", 96.12742036227358, "2009", "index_yoy", "INDEX",
     "EDUCATION_CLASSES.VN._Z.TRUNG_HOC_CO_SO._Z.INDEX_YOY.INDEX"),
    ("Sheet1 (2)!D17", 346.5, "2009", "level", "THOUS_TEACHERS",
     "EDUCATION_TEACHERS.VN._Z.TIEU_HOC._Z.LEVEL.THOUS_TEACHERS"),
    ("Sheet1 (2)!C20", 15450.7, "2008", "level", "THOUS_PUPILS",
     "EDUCATION_PUPILS.VN._Z._T._Z.LEVEL.THOUS_PUPILS"),
    ("Sheet1 (2)!E7", 99.20368542283646, "2009", "index_yoy", "INDEX",
     "EDUCATION_SCHOOLS.VN._Z.TIEU_HOC._Z.INDEX_YOY.INDEX"),
]


@pytest.mark.extended
@pytest.mark.parametrize("figure", EDUCATION, ids=lambda f: f[0])
def test_education_sections_of_2008(shared_releases: Path, figure: tuple) -> None:
    _check(_workbook(shared_releases, "2008-12-30-Bieu1208-1.xls"), *figure)


@pytest.mark.extended
def test_no_education_figure_of_2008_is_quarantined(shared_releases: Path) -> None:
    contents = read_once(_workbook(shared_releases, "2008-12-30-Bieu1208-1.xls"))
    assert not [r for r in contents.rejected if r.sheet == "Sheet1 (2)"]
    figured = [o for o in contents.observations if o.provenance.startswith("Sheet1 (2)!")]
    assert len(figured) == 54  # 18 rows, each a level of two school years and an index


SEPTEMBER_2020_EN = "2020-09-29-03-Bieu-9.2020-EN.xlsx"


@pytest.mark.extended
@pytest.mark.parametrize(("ref", "value", "period", "key"), [
    # "Performance September 2020" beside "Estimate September 2020": August's figures.
    ("41!C9", 16301.0, "2020-08", "VISITORS.VN._Z._T._Z.LEVEL.PERSONS"),
    ("41!D9", 13769.0, "2020-09", "VISITORS.VN._Z._T._Z.LEVEL.PERSONS"),
    ("41!D11", 7171.0, "2020-09", "VISITORS.VN._Z.DUONG_KHONG._Z.LEVEL.PERSONS"),
])
def test_english_visitors_months(
    shared_releases: Path, ref: str, value: float, period: str, key: str
) -> None:
    _check(_workbook(shared_releases, SEPTEMBER_2020_EN), ref, value, period, "level",
           "PERSONS", key)


@pytest.mark.extended
def test_english_visitors_agree_with_the_vietnamese_months(shared_releases: Path) -> None:
    """The English table's done month is the August workbook's August, its estimate the
    October workbook's done September, country by country."""
    def levels(name: str, prefix: str, period: str) -> dict[str, float]:
        read = read_once(_workbook(shared_releases, name))
        return {o.series_key: o.value for o in read.observations
                if o.indicator == "VISITORS" and o.measure == "level"
                and o.provenance.startswith(prefix) and str(o.period) == period}
    english_august = levels(SEPTEMBER_2020_EN, "41!C", "2020-08")
    english_september = levels(SEPTEMBER_2020_EN, "41!D", "2020-09")
    august = levels("2020-08-29-03-Bieu-8.2020.xlsx", "Sheet1 (2)!D", "2020-08")
    september = levels("2020-10-29-02-Bieu-10.2020.xlsx", "Khach QT!C", "2020-09")
    shared = english_august.keys() & august.keys()
    assert len(shared) >= 40
    assert {k: english_august[k] for k in shared} == {k: august[k] for k in shared}
    shared = english_september.keys() & september.keys()
    assert len(shared) >= 40
    assert {k: english_september[k] for k in shared} == {k: september[k] for k in shared}


def test_a_done_month_beside_its_estimate_is_the_month_before() -> None:
    done, estimate, running = (interpret(2, "Performance September 2020", None),
                               interpret(3, "Estimate September 2020", None),
                               interpret(4, "Estimate 9 months 2020", None))
    moved = official_before_estimate([done, estimate, running])
    assert [str(c.period) for c in moved] == ["2020-08", "2020-09", "2020-YTD09"]
    # A done month beside an estimate of another month stays as written.
    vietnamese = [interpret(2, "Thực hiện tháng 8 năm 2020", None),
                  interpret(3, "Ước tính tháng 9 năm 2020", None)]
    assert official_before_estimate(vietnamese) == vietnamese


@pytest.mark.extended
def test_english_inventory_columns_headed_alike_are_notread_once(shared_releases: Path) -> None:
    path = _workbook(shared_releases, SEPTEMBER_2020_EN)
    unread = _rejected(path, "header-unparseable")
    assert "headed exactly like column G" in unread["11!F11"]
    assert "headed exactly like column F" in unread["11!G11"]
    assert not [o for o in read_once(path).observations
                if o.provenance.startswith(("11!F", "11!G"))]
    # The consumption columns beside them are read, and the Vietnamese tables' inventories.
    _check(path, "11!C11", 104.71, "2020-09", "index_yoy", "INDEX",
           "IND_CONSUMPTION_INVENTORY_CONSUMPTION.VN.C._Z._Z.INDEX_YOY.INDEX")
    june = _workbook(shared_releases, "2020-06-29-03-Bieu-6.2020.xlsx")
    _check(june, "13.CS TT TK!G11", 126.7, "2020-06", "index_yoy", "INDEX",
           "IND_CONSUMPTION_INVENTORY_INVENTORY.VN.C._Z._Z.INDEX_YOY.INDEX")


def test_two_columns_headed_alike_are_twins() -> None:
    text = "Inventory index As of Sept. 30, 2019 versus same period last month"
    columns = headed_alike([interpret(4, "Consumption index September 2020 versus August 2020",
                                      None), interpret(5, text, None), interpret(6, text, None)])
    assert [c.twin for c in columns] == [None, 6, 5]
    assert columns[0].problem is None and "column G" in (columns[1].problem or "")


@pytest.mark.extended
def test_a_label_wrapped_onto_a_figured_row_misaligns_the_rows_below(
        shared_releases: Path) -> None:
    """March 2019: "Cung cấp nước; ... xử lý | rác thải, nước thải" over two rows with figures
    on both; the figures from the second line on are the next label's (the last row, labelled
    38, holds 39's 100.0 | 100.0)."""
    path = _workbook(shared_releases, "2019-03-29-02-Bieu-3-2019-1.xlsx")
    assert {c for c in _rejected(path, "rows-misaligned") if c.startswith("9.")} == {
        "9.LĐCN!A42", "9.LĐCN!A43", "9.LĐCN!A44", "9.LĐCN!A45"}
    assert not [o for o in read_once(path).observations
                if o.provenance.startswith("9.LĐCN!") and int(o.provenance[8:]) >= 42]
    _check(path, "9.LĐCN!B41", 99.96, "2019-02", "index_pop", "INDEX",
           "IND_EMPLOYMENT.VN.E._Z._Z.INDEX_POP.INDEX")
    april = _workbook(shared_releases, "2019-04-29-02-Bieu-4.-2019.xlsx")
    _check(april, "12.LĐCN!B44", 100.08, "2019-03", "index_pop", "INDEX",
           "IND_EMPLOYMENT.VN.36._Z._Z.INDEX_POP.INDEX")


@pytest.mark.extended
def test_rates_under_index_headers_are_notread_once(shared_releases: Path) -> None:
    """February 2021: "Tháng 02 năm 2021 so với tháng trước (%)" over -9.85 (passengers
    324,350 thousand against January's 359,781): rates of change under an index header. No
    cell of such a column is a figure, the positive ones (rail 11.46) neither."""
    path = _workbook(shared_releases, "2021-02-28-02.-Bieu-02-2021_cap-nhap-XNK.xlsx")
    out = _rejected(path, "value-out-of-range")
    assert "holds figures below zero (VT HK!E9 is -9.84795)" in out["VT HK!E14"]
    assert len([c for c in out if c.startswith(("VT HK!", "VT HH!"))]) == 96
    assert not [o for o in read_once(path).observations
                if o.provenance.startswith(("VT HK!", "VT HH!")) and o.measure != "level"]
    _check(path, "VT HK!C9", 324349.9723132309, "2021-02", "level", "THOUS_PASSENGERS",
           "TRANSPORT_PASSENGERS_CARRIED.VN._Z._T._Z.LEVEL.THOUS_PASSENGERS")
    march = _workbook(shared_releases, "2021-03-29-02-Bieu-3-2021-1.xlsx")
    _check(march, "Vantai HK!D9", 98.5030264698261, "2021-03", "index_pop", "INDEX",
           "TRANSPORT_PASSENGERS_CARRIED.VN._Z._T._Z.INDEX_POP.INDEX")
