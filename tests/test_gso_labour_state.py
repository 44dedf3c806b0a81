"""Labour tables whose rows or columns break a figure down: the state sector's labour and income
by industry, each industry followed by its "Trung ương" / "Địa phương" rows (2001, 2004), and
the March unemployment rates by urban and rural columns (2019-2024). Each figure keeps its
industry and its part, and the unit its header states; real figures pinned and checked against
the workbook's own cell."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core import periods
from flows.core.model import Observation
from flows.normalise.gso import normalise
from flows.readers.workbook.grid import Cell, Grid
from flows.readers.workbook.tables import find_tables

from samples import assert_pinned, figures_by_cell, read_once

JUNE_2001 = "2001-06-29-Bieu06-1.xls"
DECEMBER_2004 = "2004-12-25-Bieu1204.xls"
JUNE_2002 = "2002-06-29-Bieu0602-1.xls"
JUNE_2006 = "2006-06-29-Bieu0606.xls"
JUNE_2007 = "2007-06-29-Bieu0607.xls"

# (workbook, sheet!cell, value, period, series key)
FIGURES = [
    # The state sector's total, then its centrally and locally managed parts: the series the
    # 2002-2010 tables give from their "Trung ương" / "Địa phương" columns.
    (JUNE_2001, "13LD (2)!C9", 1421.6, "2001-YTD06",
     "LABOUR_EMPLOYMENT_CENTRAL.VN._Z._T._Z.LEVEL.THOUS_PERSONS"),
    (JUNE_2002, "LD!C13", 1503.7, "2002-YTD06",
     "LABOUR_EMPLOYMENT_CENTRAL.VN._Z._T._Z.LEVEL.THOUS_PERSONS"),
    # "Nông, lâm nghiệp" (A11), then its "Trung ương" (B12) and "Địa phương" (B13).
    (JUNE_2001, "13LD (2)!C11", 216.0, "2001-YTD06",
     "LABOUR_EMPLOYMENT.VN._Z.NONG_LAM_NGHIEP._Z.LEVEL.THOUS_PERSONS"),
    (JUNE_2001, "13LD (2)!C12", 116.0, "2001-YTD06",
     "LABOUR_EMPLOYMENT_CENTRAL.VN._Z.NONG_LAM_NGHIEP._Z.LEVEL.THOUS_PERSONS"),
    (JUNE_2001, "13LD (2)!E12", 750.5, "2001-YTD06",
     "LABOUR_INCOME_CENTRAL.VN._Z.NONG_LAM_NGHIEP._Z.LEVEL.THOUS_VND"),
    (JUNE_2001, "13LD (2)!H13", 114.64181450707387, "2001-YTD06",
     "LABOUR_INCOME_LOCAL.VN._Z.NONG_LAM_NGHIEP._Z.INDEX_YOY.INDEX"),
    # An industry coded by VSIC keeps its code on its parts ("Công nghiệp chế biến", C).
    (JUNE_2001, "13LD (2)!C22", 328.5, "2001-YTD06",
     "LABOUR_EMPLOYMENT_LOCAL.VN.C._Z._Z.LEVEL.THOUS_PERSONS"),
    # 2004: industries and their parts all in column B.
    (DECEMBER_2004, "Thunhap!C13", 2500.9, "2004",
     "LABOUR_EMPLOYMENT_LOCAL.VN._Z._T._Z.LEVEL.THOUS_PERSONS"),
    (DECEMBER_2004, "Thunhap!C16", 121.0, "2004",
     "LABOUR_EMPLOYMENT_CENTRAL.VN._Z.NONG_LAM_NGHIEP._Z.LEVEL.THOUS_PERSONS"),
    (DECEMBER_2004, "Thunhap!D67", 1133.8, "2004",
     "LABOUR_INCOME_LOCAL.VN._Z.GIAO_DUC_VA_DAO_TAO._Z.LEVEL.THOUS_VND"),
    (DECEMBER_2004, "Thunhap!F19", 125.0, "2004",
     "LABOUR_EMPLOYMENT_CENTRAL.VN._Z.THUY_SAN._Z.INDEX_YOY.INDEX"),
    # The unit written under the column heading wins over the one gso_columns.csv gives
    # "Lao động bình quân": June 2007 counts workers in persons ("(Người)": 4 million, not 4
    # billion), the other years in thousands ("(Nghìn người)"); income is in thousand dong.
    (JUNE_2007, "TN!B13", 3998649.0, "2007-YTD06",
     "LABOUR_EMPLOYMENT.VN._Z._T._Z.LEVEL.PERSONS"),
    (JUNE_2007, "TN!D15", 87350.0, "2007-YTD06",
     "LABOUR_EMPLOYMENT_LOCAL.VN._Z.NONG_NGHIEP_VA_LAM_NGHIEP._Z.LEVEL.PERSONS"),
    (JUNE_2007, "TN!F13", 1963.1, "2007-YTD06",
     "LABOUR_INCOME.VN._Z._T._Z.LEVEL.THOUS_VND"),
    (JUNE_2006, "TN!B13", 4109.7, "2006-YTD06",
     "LABOUR_EMPLOYMENT.VN._Z._T._Z.LEVEL.THOUS_PERSONS"),
    ("2009-06-29-Bieu0609-1.xls", "Lao dong-thu nhap!B12", 4069.2, "2009-YTD06",
     "LABOUR_EMPLOYMENT.VN._Z._T._Z.LEVEL.THOUS_PERSONS"),
    # The March unemployment rates: the rates as rows under "Chung", "Thành thị", "Nông
    # thôn" columns, keyed as the other quarters' tables key them (rates as columns over
    # periods, the areas as rows): one series a rate and area, its first quarter included.
    ("2019-03-29-02-Bieu-3-2019-1.xlsx", "31.TN!B7", 2.1677581544269233, "2019-Q1",
     "LABOUR_TY_LE_THAT_NGHIEP_TRONG_DO_TUOI_LAO_DONG.VN._Z._T._Z.LEVEL.PCT"),
    ("2019-03-29-02-Bieu-3-2019-1.xlsx", "31.TN!C7", 3.1055533907211257, "2019-Q1",
     "LABOUR_TY_LE_THAT_NGHIEP_TRONG_DO_TUOI_LAO_DONG.VN._Z.THANH_THI._Z.LEVEL.PCT"),
    ("2019-03-29-02-Bieu-3-2019-1.xlsx", "31.TN!D8", 4.635299027501843, "2019-Q1",
     "LABOUR_TY_LE_THAT_NGHIEP_THANH_NIEN_TU_15_24_TUOI.VN._Z.NONG_THON._Z.LEVEL.PCT"),
    ("2024-03-29-02-Bieu-3.2024-ngay-28.3-1.xlsx", "33.34.LĐ, That nghiep !D43",
     2.5766709905704754, "2024-Q1",
     "LABOUR_TY_LE_THIEU_VIEC_LAM_TRONG_DO_TUOI_LAO_DONG.VN._Z.NONG_THON._Z.LEVEL.PCT"),
    # June 2019 gives the first quarter again, revised, in the other layout: the same series
    ("2019-06-28-03-Bieu-6.2019.xlsx", "41.thatnghiep!C8", 3.104666523999325, "2019-Q1",
     "LABOUR_TY_LE_THAT_NGHIEP_TRONG_DO_TUOI_LAO_DONG.VN._Z.THANH_THI._Z.LEVEL.PCT"),
]


def _read(path: Path) -> tuple[dict[str, Observation], frozenset[str]]:
    return figures_by_cell(path), frozenset(f"{r.code} {r.cell}" for r in read_once(path).rejected)


@pytest.mark.extended
@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f"{f[0][:7]}:{f[1]}")
def test_state_sector_and_area_figures(shared_releases: Path, figure: tuple) -> None:
    name, ref, value, period, key = figure
    assert_pinned(shared_releases / "gso" / name, ref, value, period, key)


@pytest.mark.extended
@pytest.mark.parametrize(("name", "sheet"), [(JUNE_2001, "13LD (2)"), (DECEMBER_2004, "Thunhap")])
def test_no_part_of_one_industry_is_filed_under_another(
        shared_releases: Path, name: str, sheet: str) -> None:
    # Before, every industry's "Trung ương" row went to one series, the first kept and 144
    # cells of the table quarantined as duplicates: 18 industries and the total, 3 rows
    # each, 4 figures a row.
    observations, rejected = _read(shared_releases / "gso" / name)
    assert not [r for r in rejected if r.startswith("duplicate-observation")]
    keys = [(o.series_key, str(o.period)) for ref, o in observations.items()
            if ref.startswith(f"{sheet}!")]
    assert len(keys) == len(set(keys)) == 228


def test_area_columns_over_rate_rows_are_the_rates_areas() -> None:
    """The March table's layout (rates as rows; "Chung", then "Chia ra:" over "Thành thị" and
    "Nông thôn"), laid out as in March 2024 with its first-quarter figures: each rate is the
    indicator and each column its area, the keys the other quarters' tables give."""
    rows: list[list[Cell]] = [
        ["34. Tỷ lệ thất nghiệp và tỷ lệ thiếu việc làm quý I năm 2024", "", "", ""],
        ["", "", "", ""],
        ["", "", "", "%"],
        ["", "Chung", "Chia ra:", ""],
        ["", "", "Thành thị", "Nông thôn"],
        ["", "", "", ""],
        ["Tỷ lệ thất nghiệp trong độ tuổi lao động", 2.2440311173725687, 2.637016642435404,
         1.9875128474129644],
        ["Tỷ lệ thất nghiệp thanh niên (từ 15-24 tuổi)", 7.992074157861401, 10.178362558156365,
         6.871374692651264],
    ]
    march = periods.month(2024, 3)
    (table,) = find_tables([Grid("34.That nghiep", rows, [((3, 1), (4, 1)), ((3, 2), (3, 3))])],
                           march)
    observations, rejected = normalise(table, march)
    got = {(o.series_key, str(o.period)): o.value for o in observations}
    unemployment = "LABOUR_TY_LE_THAT_NGHIEP_TRONG_DO_TUOI_LAO_DONG.VN._Z.{}._Z.LEVEL.PCT"
    youth = "LABOUR_TY_LE_THAT_NGHIEP_THANH_NIEN_TU_15_24_TUOI.VN._Z.{}._Z.LEVEL.PCT"
    assert got == {
        (unemployment.format("_T"), "2024-Q1"): 2.2440311173725687,
        (unemployment.format("THANH_THI"), "2024-Q1"): 2.637016642435404,
        (unemployment.format("NONG_THON"), "2024-Q1"): 1.9875128474129644,
        (youth.format("_T"), "2024-Q1"): 7.992074157861401,
        (youth.format("THANH_THI"), "2024-Q1"): 10.178362558156365,
        (youth.format("NONG_THON"), "2024-Q1"): 6.871374692651264,
    }
    assert rejected == []
