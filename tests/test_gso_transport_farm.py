"""Transport, visitors and farm tables of the GSO workbook: real figures pinned from several
eras, each with its provenance cell checked against the workbook itself."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from flows.core.config import REFERENCE_DIR
from flows.pipeline import WorkbookContents, read_gso_workbook

from samples import workbook_number

BUNDLED = REFERENCE_DIR.parent / "mirror" / "www.gso.gov.vn" / "wp-content" / "uploads" / "2024"
SEPTEMBER_2024 = BUNDLED / "10" / "2.Bieu-T9.2024.xlsx"


@cache
def _read(path: Path) -> WorkbookContents:
    return read_gso_workbook(path)


def _check(path: Path, ref: str, value: float, period: str, measure: str, unit: str,
           key: str) -> None:
    found = [o for o in _read(path).observations if o.provenance == ref]
    assert found, f"no figure from {ref}"
    obs = found[0]
    assert (str(obs.period), obs.measure, obs.unit, obs.series_key) == (period, measure, unit, key)
    assert obs.value == pytest.approx(value, abs=0.01)
    assert workbook_number(path, ref) == pytest.approx(obs.value)


# September 2024: one table of passengers and one of freight, each with a "I. Vận chuyển
# (Nghìn HK)" row that is the total of the rows below it and names their variable and unit.
@pytest.mark.parametrize(("ref", "value", "period", "measure", "unit", "key"), [
    ("35.Van tai HK!C9", 435435.1, "2024-09", "level", "THOUS_PASSENGERS",
     "TRANSPORT_PASSENGERS_CARRIED.VN._Z._T._Z.LEVEL.THOUS_PASSENGERS"),
    ("35.Van tai HK!F20", 118.01, "2024-09", "index_yoy", "INDEX",
     "TRANSPORT_PASSENGERS_TRAFFIC.VN._Z._T._Z.INDEX_YOY.INDEX"),
    ("36.Van tai HK quy!C11", 4316.787, "2024-Q2", "level", "THOUS_PASSENGERS",
     "TRANSPORT_PASSENGERS_CARRIED.VN._Z.INTERNATIONAL._Z.LEVEL.THOUS_PASSENGERS"),
])
def test_transport_passengers_2024(
    ref: str, value: float, period: str, measure: str, unit: str, key: str
) -> None:
    _check(SEPTEMBER_2024, ref, value, period, measure, unit, key)


@pytest.mark.parametrize(("ref", "value", "period", "measure", "unit", "key"), [
    ("37. VT HH!C11", 215187.19, "2024-09", "level", "THOUS_T",
     "TRANSPORT_FREIGHT_CARRIED.VN._Z.DOMESTIC._Z.LEVEL.THOUS_T"),
    ("38.Van tai HH quy!F20", 105.52, "2024-Q3", "index_yoy", "INDEX",
     "TRANSPORT_FREIGHT_TRAFFIC.VN._Z.DOMESTIC._Z.INDEX_YOY.INDEX"),
])
def test_transport_freight_2024(
    ref: str, value: float, period: str, measure: str, unit: str, key: str
) -> None:
    _check(SEPTEMBER_2024, ref, value, period, measure, unit, key)


def test_transport_tables_2024_have_no_duplicates_or_unknown_units() -> None:
    codes = {r.code for r in _read(SEPTEMBER_2024).rejected
             if "Van tai" in r.sheet or "VT HH" in r.sheet}
    assert not codes & {"duplicate-observation", "unit-unknown", "header-unparseable"}


@pytest.mark.parametrize(("ref", "value", "period", "measure", "unit", "key"), [
    ("40.Du lich quý!D7", 4189473.0, "2024-Q2", "level", "PERSONS",
     "VISITORS.VN._Z._T._Z.LEVEL.PERSONS"),
])
def test_visitors_2024(
    ref: str, value: float, period: str, measure: str, unit: str, key: str
) -> None:
    _check(SEPTEMBER_2024, ref, value, period, measure, unit, key)


@pytest.mark.parametrize(("ref", "value", "period", "measure", "unit", "key"), [
    ("6.Thuy san!C8", 2638.4, "2024-Q3", "level", "THOUS_T", "FISHERY.VN._Z._T._Z.LEVEL.THOUS_T"),
])
def test_fishery_2024(
    ref: str, value: float, period: str, measure: str, unit: str, key: str
) -> None:
    _check(SEPTEMBER_2024, ref, value, period, measure, unit, key)


# January 2000 (TCVN3): one table, "A. Hành khách | Nghìn HK | Triệu HK.km" above the first
# body row and "B. Hàng hoá | Nghìn tấn | Triệu tấn.km" half way down; the columns are
# "Khối lượng vận chuyển" and "Khối lượng luân chuyển".
@pytest.mark.extended
@pytest.mark.parametrize(("ref", "value", "period", "measure", "unit", "key"), [
    ("Vantai!D10", 63737.2, "2000-01", "level", "THOUS_PASSENGERS",
     "TRANSPORT_PASSENGERS_CARRIED.VN._Z._T._Z.LEVEL.THOUS_PASSENGERS"),
    ("Vantai!E18", 2669.4, "2000-01", "level", "MN_TKM",
     "TRANSPORT_FREIGHT_TRAFFIC.VN._Z._T._Z.LEVEL.MN_TKM"),
    ("Vantai!F18", 108.6, "2000-01", "index_yoy", "INDEX",
     "TRANSPORT_FREIGHT_CARRIED.VN._Z._T._Z.INDEX_YOY.INDEX"),
])
def test_transport_2000(
    shared_releases: Path, ref: str, value: float, period: str, measure: str, unit: str, key: str
) -> None:
    path = next((shared_releases / "gso").glob("2000-01-*.xls"))
    _check(path, ref, value, period, measure, unit, key)


# December 2008: passengers and freight in tables of their own, with sections
# "A. NGHÌN HÀNH KHÁCH" / "B. TRIỆU HÀNH KHÁCH.KM" and "A. NGHÌN TẤN" / "B. TRIỆU TẤN.KM".
@pytest.mark.extended
@pytest.mark.parametrize(("ref", "value", "period", "measure", "unit", "key"), [
    ("21VTHK!F7", 108.1, "2008", "index_yoy", "INDEX",
     "TRANSPORT_PASSENGERS_CARRIED.VN._Z._T._Z.INDEX_YOY.INDEX"),
    ("21VTHH!E24", 174266.7, "2008", "level", "MN_TKM",
     "TRANSPORT_FREIGHT_TRAFFIC.VN._Z._T._Z.LEVEL.MN_TKM"),
])
def test_transport_2008(
    shared_releases: Path, ref: str, value: float, period: str, measure: str, unit: str, key: str
) -> None:
    path = next((shared_releases / "gso").glob("2008-12-*.xls"))
    _check(path, ref, value, period, measure, unit, key)


@pytest.mark.extended
def test_transport_rows_off_their_labels_are_quarantined(shared_releases: Path) -> None:
    """December 2022: the freight rows sit one row above their labels ("B. HÀNG HÓA" carries
    the total); none of them may become a figure."""
    contents = _read(next((shared_releases / "gso").glob("2022-12-*.xlsx")))
    refs = {r.cell for r in contents.rejected if r.code == "rows-misaligned"}
    assert "40.Vantaithang!A31" in refs and "40.Vantaithang!A39" in refs
    assert not any(o.provenance in ("40.Vantaithang!B34", "40.Vantaithang!B37")
                   for o in contents.observations)


# November 2021 and 2024: "Phân theo ngành vận tải" (by mode) opens the modes with the
# total's figures printed again, to the double's last digits or nearly: a repeat of the total,
# neither a figure of its own nor a reject.
@pytest.mark.extended
@pytest.mark.parametrize(("name", "sheets", "repeated"), [
    ("2021-11-29-02-So-lieu-11.2021.xlsx", ("VT HK", "VT HH"), 10),
    ("2024-11-29-02.-Bieu-T11.2024.xlsx", ("18. VT HH",), 5),
])
def test_the_total_printed_again_over_the_modes_is_a_repeat(
    shared_releases: Path, name: str, sheets: tuple[str, ...], repeated: int
) -> None:
    contents = _read(shared_releases / "gso" / name)
    assert not [r for r in contents.rejected if r.sheet in sheets]
    for sheet in sheets:
        skipped = {c.reason: c.cells for c in contents.cells
                   if c.sheet == sheet and c.outcome == "skipped"}
        assert skipped == {"header-year": 2, "repeated-figure": repeated}  # ("năm | 2021")


# June 2008: winter-spring rice by province; "Thực hiện vụ đông xuân 2008" over "Diện tích |
# Năng suất | Sản lượng" with their units, and "Tăng/giảm so với vụ đông xuân 2007". A
# province's row is its winter-spring rice (the kind's subject, gso_totals.csv), and the
# country's row the national table's winter-spring rice, printed again.
@pytest.mark.extended
@pytest.mark.parametrize(("ref", "value", "period", "measure", "unit", "key"), [
    ("dxdp!B11", 19.5, "2008", "level", "THOUS_HA",
     "AGRICULTURE_AREA.VN-01._Z.LUA_DONG_XUAN._Z.LEVEL.THOUS_HA"),
    ("dx!C18", 18027.7, "2008", "level", "THOUS_T",
     "AGRICULTURE_OUTPUT.VN._Z.LUA_DONG_XUAN._Z.LEVEL.THOUS_T"),
])
def test_agriculture_2008(
    shared_releases: Path, ref: str, value: float, period: str, measure: str, unit: str, key: str
) -> None:
    path = next((shared_releases / "gso").glob("2008-06-*.xls"))
    _check(path, ref, value, period, measure, unit, key)


# The same table in its first and its latest layout. June 2002 (TCVN3 .xls, sheet "184"):
# "Thực hiện vụ đông xuân 2002" then "Tăng giảm so với vụ đông xuân 2001"; the country's
# rice there is the national crop table's ("02NN", the winter-spring crop), printed again.
# June 2024 ("5. NSSL Dong Xuan"): "Thực hiện vụ đông xuân năm 2024" then "Vụ đông xuân
# năm 2024 so với vụ đông xuân 2023 (%)", an index where the older tables gave the change.
@pytest.mark.extended
@pytest.mark.parametrize(("name", "ref", "value", "period", "measure", "unit", "key"), [
    ("2002-06-29-Bieu0602-1.xls", "184!B12", 24.8, "2002", "level", "THOUS_HA",
     "AGRICULTURE_AREA.VN-01._Z.LUA_DONG_XUAN._Z.LEVEL.THOUS_HA"),
    ("2002-06-29-Bieu0602-1.xls", "02NN!C12", 16484.7, "2002", "level", "THOUS_T",
     "AGRICULTURE_OUTPUT.VN._Z.LUA_DONG_XUAN._Z.LEVEL.THOUS_T"),
    ("2002-06-29-Bieu0602-1.xls", "184!D13", 260.6, "2002", "level", "THOUS_T",
     "AGRICULTURE_OUTPUT.VN-31._Z.LUA_DONG_XUAN._Z.LEVEL.THOUS_T"),
    ("2024-06-29-02.Bieu-T6.2024.xlsx", "5. NSSL Dong Xuan!E11", 81.0, "2024", "level",
     "THOUS_HA", "AGRICULTURE_AREA.VN-01._Z.LUA_DONG_XUAN._Z.LEVEL.THOUS_HA"),
    ("2024-06-29-02.Bieu-T6.2024.xlsx", "5. NSSL Dong Xuan!J12", 101.32, "2024", "index_yoy",
     "INDEX", "AGRICULTURE_YIELD.VN-26._Z.LUA_DONG_XUAN._Z.INDEX_YOY.INDEX"),
])
def test_winter_spring_rice_by_province_in_two_eras(
    shared_releases: Path, name: str, ref: str, value: float, period: str, measure: str,
    unit: str, key: str,
) -> None:
    _check(shared_releases / "gso" / name, ref, value, period, measure, unit, key)


@pytest.mark.extended
def test_the_countrys_row_is_the_national_tables_figure_again(shared_releases: Path) -> None:
    contents = _read(next((shared_releases / "gso").glob("2008-06-*.xls")))
    # (row 9, "Cả nước": area, yield and output)
    assert not any(o.provenance in ("dxdp!B9", "dxdp!C9", "dxdp!D9")
                   for o in contents.observations)
    repeated = [c for c in contents.cells if c.sheet == "dxdp" and c.reason == "repeated-figure"]
    assert [(c.table, c.cells) for c in repeated] == [("agriculture_winter_spring_rice", 3)]


@pytest.mark.extended
def test_agriculture_absolute_change_is_quarantined(shared_releases: Path) -> None:
    contents = _read(next((shared_releases / "gso").glob("2008-06-*.xls")))
    assert {r.code for r in contents.rejected if r.cell == "dxdp!F9"} == {"absolute-change"}
    assert not any(o.provenance == "dxdp!F9" for o in contents.observations)
