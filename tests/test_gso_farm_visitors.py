"""Farm (crops, progress, fishery, forestry, livestock) and visitor tables of the GSO workbook:
real figures pinned from several eras, each with its provenance cell checked against the
workbook itself, and the reader rules they needed, on small hand-built grids."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from flows.core import periods
from flows.core.config import REFERENCE_DIR
from flows.pipeline import WorkbookContents, read_gso_workbook
from flows.readers.workbook.grid import Cell, Grid
from flows.readers.workbook.tables import find_tables

from samples import workbook_number

BUNDLED = REFERENCE_DIR.parent / "mirror" / "www.gso.gov.vn" / "wp-content" / "uploads" / "2024"
JUNE_2024 = BUNDLED / "06" / "02.Bieu-T6.2024.xlsx"
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


FIGURES_2024 = [
    # June 2024, winter-spring crop: the crop heading names the item, the row the variable
    # and its unit; "Chia ra Miền Bắc" is a column variable. Every crop is the season's
    # (the kind agriculture_winter_spring): the year's whole grain output is December's.
    (JUNE_2024, "4. Vu Dong xuan!C10", 22161.54, "2024", "level", "THOUS_T",
     "AGRICULTURE_OUTPUT.VN._Z.LUONG_THUC_CO_HAT_DONG_XUAN._Z.LEVEL.THOUS_T"),
    (JUNE_2024, "4. Vu Dong xuan!D15", 1059.82, "2024", "level", "THOUS_HA",
     "AGRICULTURE_AREA_NORTH.VN._Z.LUA_DONG_XUAN._Z.LEVEL.THOUS_HA"),
    (JUNE_2024, "4. Vu Dong xuan!I37", 103.92, "2024", "index_yoy", "INDEX",
     "AGRICULTURE_OUTPUT_SOUTH.VN._Z.RAU_DONG_XUAN._Z.INDEX_YOY.INDEX"),
    # September 2024, progress to 20 September: region rows under their crop.
    (SEPTEMBER_2024, "3.Nong nghiep!D9", 1363.21, "2024-YTD09", "level", "THOUS_HA",
     "AGRICULTURE.VN._Z.THU_HOACH_LUA_HE_THU_DBSCL._Z.LEVEL.THOUS_HA"),
    (SEPTEMBER_2024, "3.Nong nghiep!C11", 1005.35, "2023-YTD09", "level", "THOUS_HA",
     "AGRICULTURE.VN._Z.GIEO_CAY_LUA_MUA_MIEN_BAC._Z.LEVEL.THOUS_HA"),
    # Fishery: catch and aquaculture each broken down by fish, shrimp and other.
    (SEPTEMBER_2024, "6.Thuy san!C14", 33.7, "2024-Q3", "level", "THOUS_T",
     "FISHERY.VN._Z.KHAI_THAC_TOM._Z.LEVEL.THOUS_T"),
    (SEPTEMBER_2024, "6.Thuy san!D18", 976.0, "2024-YTD09", "level", "THOUS_T",
     "FISHERY.VN._Z.NUOI_TRONG_TOM._Z.LEVEL.THOUS_T"),
    # Visitors: countries are partners (ISO 3166, as in FDI); the rest of a continent is its
    # own item.
    (SEPTEMBER_2024, "39.Du lich !D29", 51228.0, "2024-08", "level", "PERSONS",
     "VISITORS.VN._Z._Z.US.LEVEL.PERSONS"),
    (SEPTEMBER_2024, "39.Du lich !D46", 14568.0, "2024-08", "level", "PERSONS",
     "VISITORS.VN._Z.EUROPE_OTHER._Z.LEVEL.PERSONS"),
]


@pytest.mark.parametrize(("path", "ref", "value", "period", "measure", "unit", "key"),
                         FIGURES_2024)
def test_farm_and_visitor_figures_2024(
    path: Path, ref: str, value: float, period: str, measure: str, unit: str, key: str
) -> None:
    _check(path, ref, value, period, measure, unit, key)


def test_farm_and_visitor_tables_2024_have_no_false_rejects() -> None:
    for path, sheets in ((JUNE_2024, ("Vu Dong xuan",)),
                         (SEPTEMBER_2024, ("Nong nghiep", "Thuy san", "Du lich"))):
        codes = {r.code for r in _read(path).rejected if any(s in r.sheet for s in sheets)}
        assert not codes & {"duplicate-observation", "unit-unknown", "unknown-label"}, path


@pytest.mark.extended
def test_no_winter_spring_crop_is_filed_as_the_whole_years(shared_releases: Path) -> None:
    """The June tables of the winter-spring crop give that crop's area and output, not the
    year's: filed under the year's keys, 2016's 21,419 thousand tonnes of grain were the
    first vintage of the year's 48,000, "revised" in December."""
    def yearly(month: str) -> dict[str, str]:
        return {o.series_key: f"{path.name} {o.provenance}"
                for path in sorted((shared_releases / "gso").glob(f"*-{month}-*.xls*"))
                for o in _read(path).observations
                if o.indicator.startswith("AGRICULTURE") and o.period.type == "A"}

    june, december = yearly("06"), yearly("12")
    # (December's crop table gives the winter-spring rice again: the season's own series)
    shared = {key for key in june.keys() & december.keys()
              if not key.split(".")[3].endswith("DONG_XUAN")}
    assert june and december
    assert {key: june[key] for key in shared} == {}


@pytest.mark.extended
@pytest.mark.parametrize(("glob", "ref", "value", "period", "measure", "unit", "key"), [
    # June 2008 (TCVN3): the crop rows under the section heading that reads like a title.
    ("2008-06-*.xls", "dx!C18", 18027.7, "2008", "level", "THOUS_T",
     "AGRICULTURE_OUTPUT.VN._Z.LUA_DONG_XUAN._Z.LEVEL.THOUS_T"),
    ("2008-06-*.xls", "dx!G20", 102.9, "2008", "index_yoy", "INDEX",
     "AGRICULTURE_AREA.VN._Z.NGO_DONG_XUAN._Z.INDEX_YOY.INDEX"),
    # October and December 2016, progress: the maize under "Gieo trồng một số cây vụ đông"
    # ("... ở miền Bắc" in December) is the winter crop's, not the year's maize planted so far.
    ("2016-10-*.xls", "01NN!C13", 97.4, "2015-YTD10", "level", "THOUS_HA",
     "AGRICULTURE.VN._Z.NGO_VU_DONG._Z.LEVEL.THOUS_HA"),
    ("2016-12-*.xlsx", "01NN1!C12", 135.1, "2015", "level", "THOUS_HA",
     "AGRICULTURE.VN._Z.NGO_VU_DONG_MIEN_BAC._Z.LEVEL.THOUS_HA"),
    # The value of agricultural, forestry and fishery output at constant prices, whose base
    # the title names ("theo giá so sánh 1994", "... 2010"): one series per base.
    ("2012-09-*.xls", "2GTSX !E8", 173722.1, "2012-YTD09", "level", "BN_VND",
     "AGRICULTURE_VALUE_CONSTANT_1994.VN._Z._T._Z.LEVEL.BN_VND"),
    ("2016-06-*.xlsx", "GTSX!D8", 397692.04, "2015-YTD06", "level", "BN_VND",
     "AGRICULTURE_VALUE_CONSTANT_2010.VN._Z._T._Z.LEVEL.BN_VND"),
    # June 2001, "Kết quả sơ bộ vụ đông xuân": its "Lúa" is the winter-spring rice.
    ("2001-06-*.xls", "02NN!C19", 3056.0, "2001", "level", "THOUS_HA",
     "AGRICULTURE_AREA.VN._Z.LUA_DONG_XUAN._Z.LEVEL.THOUS_HA"),
    # December 2004: forestry units from the items; fishery total.
    ("2004-12-*.xls", "Lamnghiep!F14", 26425.4, "2004", "level", "THOUS_STERE",
     "FORESTRY.VN._Z.CUI_KHAI_THAC._Z.LEVEL.THOUS_STERE"),
    ("2004-12-*.xls", "GiaTriThuySan!F8", 3073.6, "2004", "level", "THOUS_T",
     "FISHERY.VN._Z._T._Z.LEVEL.THOUS_T"),
    # September 2020, the English edition: same codes as the Vietnamese labels.
    ("2020-09-*EN.xlsx", "3!D9", 1272.1, "2020-09", "level", "THOUS_HA",
     "AGRICULTURE.VN._Z.THU_HOACH_LUA_HE_THU_DBSCL._Z.LEVEL.THOUS_HA"),
    ("2020-09-*EN.xlsx", "4-5!D34", 687.3, "2020-YTD09", "level", "HA",
     "FORESTRY.VN._Z.RUNG_BI_CHAT_PHA._Z.LEVEL.HA"),
    ("2020-09-*EN.xlsx", "6!B17", 829.9, "2020-Q2", "level", "THOUS_T",
     "FISHERY.VN._Z.KHAI_THAC_CA._Z.LEVEL.THOUS_T"),
    ("2020-09-*EN.xlsx", "42!C8", 3686779.0, "2020-Q1", "level", "PERSONS",
     "VISITORS.VN._Z._T._Z.LEVEL.PERSONS"),
    # September 2018: "Nghìn lượt người; %" over the table, thousands for the levels and
    # per cent for the indexes (the visitors tables of September 2018 to May 2019).
    ("2018-09-*.xlsx", "38.KQTthang!C9", 1323.546, "2018-08", "level", "THOUS_PERSONS",
     "VISITORS.VN._Z._T._Z.LEVEL.THOUS_PERSONS"),
    # December 2017: "Đơn vị tính: Nghìn lượt người" over the table, "(%)" under the last
    # index's header: the levels are thousands.
    ("2017-12-*.xlsx", "Du lich!C9", 1276.353, "2017-12", "level", "THOUS_PERSONS",
     "VISITORS.VN._Z._T._Z.LEVEL.THOUS_PERSONS"),
    # April 2020: "So cùng kỳ năm trước (%)" over "Tháng 4 | 4 tháng", the indexes of a month
    # with almost no visitors (1.79: April 2020 had 1.79% of April 2019's arrivals).
    ("2020-04-*.xlsx", "Du lich!F10", 1.7866018140398132, "2020-04", "index_yoy", "INDEX",
     "VISITORS.VN._Z._T._Z.INDEX_YOY.INDEX"),
    ("2020-04-*.xlsx", "Du lich!G16", 52.33364894054932, "2020-YTD04", "index_yoy", "INDEX",
     "VISITORS.VN._Z._Z.CN.INDEX_YOY.INDEX"),
])
def test_farm_and_visitor_figures_older_eras(
    shared_releases: Path, glob: str, ref: str, value: float, period: str, measure: str,
    unit: str, key: str
) -> None:
    _check(next((shared_releases / "gso").glob(glob)), ref, value, period, measure, unit, key)


def _pad(rows: list[list[Cell]]) -> list[list[Cell]]:
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def test_a_section_heading_that_reads_like_a_title_is_not_a_second_table() -> None:
    # June tables, 2001-2024: "Diện tích, năng suất và sản lượng / một số cây trồng" over the
    # crop rows matches a title pattern but has only row labels below it, no header.
    rows: list[list[Cell]] = [
        ["4. Sản xuất vụ đông xuân năm 2024"],
        ["", "", "Thực hiện vụ đông xuân năm 2024", "So với vụ đông xuân 2023 (%)"],
        ["Tổng sản lượng lương thực"],
        ["có hạt (Nghìn tấn)", "", 22161.5, 100.8],
        [""],
        ["Diện tích, năng suất và sản lượng"],
        ["một số cây trồng"],
        ["", "Lúa đông xuân"],
        ["", "Diện tích (Nghìn ha)", 2954.0, 100.0],
    ]
    tables = find_tables([Grid("dx", _pad(rows), [])], periods.month(2024, 6))
    assert [t.title for t in tables] == ["4. Sản xuất vụ đông xuân năm 2024"]
    assert [r.label for r in tables[0].rows if not r.is_heading][-1] == "Diện tích (Nghìn ha)"
    assert [c.index for c in tables[0].columns] == [2, 3]


def test_a_second_table_below_a_first_keeps_its_own_title() -> None:
    rows: list[list[Cell]] = [
        ["3. Sản lượng thuỷ sản"],
        ["", "Quý III năm 2024"],
        ["Tổng số", 2638.4],
        [""],
        ["4. Sản phẩm chăn nuôi"],
        ["", "Quý III năm 2024"],
        ["Thịt lợn", 1234.5],
    ]
    tables = find_tables([Grid("NN", _pad(rows), [])], periods.month(2024, 9))
    assert [t.kind for t in tables] == ["fishery", "livestock"]
