"""One statistic, one series key, whatever a month's table calls it: GSO rewords a row from one
edition to the next ("Bộ Giáo dục và Đào tạo" one month, "Bộ Giáo dục - Đào tạo" the next;
"Lao động từ 15 tuổi trở lên đang làm việc" in March, "Lao động có việc làm" in June), and a
figure printed under both names must be one series, so that its first publication and its
revisions are vintages of each other. Real figures of the bundled 2024 workbooks, each checked
against the workbook's own cell and the label beside it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from flows.core.text import fold
from flows.readers.workbook.tcvn3 import looks_tcvn3, to_unicode

from samples import GSO_UPLOADS, assert_pinned, workbook_cell

JANUARY = GSO_UPLOADS / "2024" / "01" / "02-Bieu-T1-2024-1.xlsx"
FEBRUARY = GSO_UPLOADS / "2024" / "02" / "02-Bieu-T2.2024-1.xlsx"
MARCH = GSO_UPLOADS / "2024" / "03" / "02-Bieu-3.2024-ngay-28.3-1.xlsx"
JUNE = GSO_UPLOADS / "2024" / "06" / "02.Bieu-T6.2024.xlsx"

EDUCATION = "INV_STATE_BUDGET.VN._Z.BO_GIAO_DUC_VA_DAO_TAO._Z.LEVEL.BN_VND"
EMPLOYED = "LABOUR.VN._Z.LAO_DONG_TU_15_TUOI_TRO_LEN_DANG_LAM_VIEC_HANG_N._Z.LEVEL.THOUS_PERSONS"

# (workbook, figure cell, label cell, label, value, period, series key)
FIGURES = [
    # state-budget investment of the Ministry of Education in January 2024: estimated in
    # January's workbook, then official in February's, under the ministry's other spelling
    (JANUARY, "11. VĐT!D13", "11. VĐT!B13", "Bộ Giáo dục và Đào tạo", 42.72, "2024-01",
     EDUCATION),
    (FEBRUARY, "11.VDT!C14", "11.VDT!B14", "Bộ Giáo dục - Đào tạo", 43.22, "2024-01",
     EDUCATION),
    # the employed population of the first quarter, in March's table and again in June's
    (MARCH, "33.34.LĐ, That nghiep !C14", "33.34.LĐ, That nghiep !A14",
     "Lao động từ 15 tuổi trở lên đang làm việc hàng năm", 51322.977516288694, "2024-Q1",
     EMPLOYED),
    (JUNE, "45.Laodong!B17", "45.Laodong!A17", "Lao động có việc làm", 51322.977516288694,
     "2024-Q1", EMPLOYED),
]


@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f"{f[0].name[:12]}:{f[1]}")
def test_each_wording_gives_the_same_key(figure: tuple) -> None:
    path, ref, label_ref, label, value, period, key = figure
    assert fold(str(workbook_cell(path, label_ref))) == fold(label)
    assert_pinned(path, ref, value, period, key)


def test_the_official_figure_revises_the_estimate(bundled_warehouse: Path) -> None:
    """Loaded, February's official January figure is a revision of January's estimate, not the
    first figure of a series of its own."""
    with duckdb.connect(str(bundled_warehouse), read_only=True) as con:
        rows = con.execute(
            "select value from v_vintages where series_key = ? and period_type = 'M' "
            "and period_end = date '2024-01-31' order by valid_from", [EDUCATION]).fetchall()
    assert [value for (value,) in rows] == [42.72, 43.22]


# Across eras: one item whose label gained or lost a function word ("các loại", "và").
ACROSS_ERAS = [
    ("2012-03-29-Bieu-032012.xls", "Xuat khau!B25", "Xuat khau!A25", "Giầy dép", 116.02,
     "2012-Q1", "EXPORT_PRICES.VN._Z.GIAY_DEP_CAC_LOAI._Z.INDEX_YOY.INDEX"),
    ("2024-12-29-02.Bieu-T12.2024.xlsx", "37.Gia XK!D35", "37.Gia XK!A35", "Giày dép các loại",
     98.3551698434365, "2024", "EXPORT_PRICES.VN._Z.GIAY_DEP_CAC_LOAI._Z.INDEX_YOY.INDEX"),
    ("2004-12-25-Bieu1204.xls", "Thunhap!C65", "Thunhap!B65", "Giáo dục, đào tạo", 1045.4,
     "2004", "LABOUR_EMPLOYMENT.VN._Z.GIAO_DUC_VA_DAO_TAO._Z.LEVEL.THOUS_PERSONS"),
    ("2010-06-29-Bieu-0610-2.xls", "Lao dong-thu nhap!B30", "Lao dong-thu nhap!A30",
     "Giáo dục và đào tạo", 1237.2, "2010-YTD06",
     "LABOUR_EMPLOYMENT.VN._Z.GIAO_DUC_VA_DAO_TAO._Z.LEVEL.THOUS_PERSONS"),
]


@pytest.mark.extended
@pytest.mark.parametrize("figure", ACROSS_ERAS, ids=lambda f: f"{f[0][:7]}:{f[1]}")
def test_a_wording_of_another_era_gives_the_same_key(shared_releases: Path,
                                                     figure: tuple) -> None:
    name, ref, label_ref, label, value, period, key = figure
    path = shared_releases / "gso" / name
    assert fold(_text(workbook_cell(path, label_ref))) == fold(label)
    assert_pinned(path, ref, value, period, key)


def _text(cell: object) -> str:
    """A label as the reader sees it: the 2004 workbook's in the TCVN3 font encoding."""
    text = str(cell)
    return to_unicode(text) if looks_tcvn3(text) else text
