"""A row's unit written in the brackets closing its label ("Số học sinh (Nghìn học sinh)",
"Trường học (Trường)") is the row's unit where the table has no unit column; unit words added
for the school, storm-damage and housing tables (gso_units.csv); and the 2016-2017 "Một số chỉ
tiêu dân số và lao động" table read as the population table it is in 2018-2024, its labour
rows as the employed population. Real figures pinned and checked against the workbook."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.core.model import Observation
from flows.normalise.gso_items import label_unit
from flows.pipeline import read_gso_workbook
from tests.test_files import write_xlsx

from samples import assert_pinned, figures_by_cell, read_once


@pytest.mark.parametrize(("label", "unit"), [
    ("Số học sinh (Nghìn học sinh)", "THOUS_PUPILS"),
    ("Số phòng học (Nghìn phòng)", "THOUS_ROOMS"),
    ("Trường học (Trường)", "SCHOOLS"),
    ("Dân số trung bình (Nghìn người)", "THOUS_PERSONS"),
    ("Tỷ lệ tăng dân số (%)", "PCT"),
    ("Tỷ suất sinh thô (‰) ", "PER_THOUS"),
    # Brackets that name no unit, or do not close the label.
    ("Tỷ số giới tính của dân số (Số nam/100 nữ)", ""),
    ("Sản xuất sản phẩm từ kim loại đúc sẵn (trừ máy móc, thiết bị)", ""),
    ("Tỷ lệ thất nghiệp thanh niên (từ 15-24 tuổi)", ""),
    ("Giáo viên (Người) các trường", ""),
    ("Nhà ở", ""),
])
def test_the_unit_a_label_closes_with(label: str, unit: str) -> None:
    assert label_unit(label) == unit


# The January 2000 layout (real figures): units only in the labels, school levels as headings.
SCHOOLS = [
    ["10. Kết quả khai giảng giáo dục phổ thông"],
    ["năm học 1999-2000"],
    [],
    [None, None, "Số lượng", "So với cùng kỳ năm trước (%)"],
    ["A. Tiểu học"],
    [None, "Số học sinh (Nghìn học sinh)", 10063.0, 98.19],
    [None, "Số giáo viên (Nghìn người)", 340.9, 101.36],
    ["B. Trung học cơ sở"],
    [None, "Số phòng học (Nghìn phòng)", 92.0, 106.04],
]


def test_a_label_states_its_rows_unit(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "2000-01.xlsx", "GDPT", SCHOOLS)
    contents = read_gso_workbook(path, "2000-01")
    found = {o.provenance: (o.series_key, str(o.period), o.value)
             for o in contents.observations}
    assert found["GDPT!C6"] == (
        "EDUCATION.VN._Z.SO_HOC_SINH_NGHIN_HOC_SINH._Z.LEVEL.THOUS_PUPILS", "2000", 10063.0)
    assert found["GDPT!C7"][0].endswith(".LEVEL.THOUS_PERSONS")
    assert found["GDPT!C9"] == (
        "EDUCATION.VN._Z.TRUNG_HOC_CO_SO__SO_PHONG_HOC_NGHIN_PHONG._Z.LEVEL.THOUS_ROOMS",
        "2000", 92.0)
    assert found["GDPT!D9"][0].endswith(".INDEX_YOY.INDEX")  # an index keeps its unit
    assert len(found) == 6 and not contents.rejected


JANUARY_2000 = "2000-01-31-bieu-thang-1.xls"
DECEMBER_2004 = "2004-12-25-Bieu1204.xls"
DECEMBER_2008 = "2008-12-30-Bieu1208-1.xls"
DECEMBER_2016 = "2016-12-29-Bieu-2016.xlsx"
DECEMBER_2017 = "2017-12-29-03-Bieu-2017.xlsx"

# (workbook, sheet!cell, value, period, series key)
FIGURES = [
    (JANUARY_2000, "GDPT!C10", 10063.0, "2000",
     "EDUCATION.VN._Z.SO_HOC_SINH_NGHIN_HOC_SINH._Z.LEVEL.THOUS_PUPILS"),
    (JANUARY_2000, "GDPT!C20", 26.8, "2000",
     "EDUCATION.VN._Z.PHO_THONG_TRUNG_HOC__SO_PHONG_HOC_NGHIN_PHONG._Z.LEVEL.THOUS_ROOMS"),
    # General education at the start of the 2004-2005 school year: each heading ("Trường học
    # (Trường)", "Lớp học (Lớp)", "Giáo viên/Lớp (Người)") opens its variable with its unit, the
    # total of the school levels below it; public and non-public are the columns.
    (DECEMBER_2004, "Sheet3!B8", 26819.0, "2005",
     "EDUCATION_SCHOOLS.VN._Z._T._Z.LEVEL.SCHOOLS"),
    (DECEMBER_2004, "Sheet3!B9", 14518.0, "2005",
     "EDUCATION_SCHOOLS.VN._Z.TIEU_HOC._Z.LEVEL.SCHOOLS"),
    (DECEMBER_2004, "Sheet3!D14", 497469.0, "2005",
     "EDUCATION_CLASSES_PUBLIC.VN._Z._T._Z.LEVEL.CLASSES"),
    (DECEMBER_2004, "Sheet3!F22", 1003377.0, "2005",
     "EDUCATION_PUPILS_NON_PUBLIC.VN._Z._T._Z.LEVEL.PERSONS"),
    (DECEMBER_2004, "Sheet3!D24", 6556652.0, "2005",
     "EDUCATION_PUPILS_PUBLIC.VN._Z.TRUNG_HOC_CO_SO._Z.LEVEL.PERSONS"),
    (DECEMBER_2004, "Sheet3!F27", 1.73, "2005",
     "EDUCATION_TEACHERS_PER_CLASS_NON_PUBLIC.VN._Z.TIEU_HOC._Z.LEVEL.TEACHERS_PER_CLASS"),
    # Storm damage, December 2008: units in the unit column ("Cột", "Trạm", "Nghìn nhà").
    (DECEMBER_2008, "thiethai t11!D18", 395.0, "2008",
     "SOCIAL.VN._Z.SO_COT_DIEN_TRUNG_VA_CAO_THE_BI_GAY_DO._Z.LEVEL.POLES"),
    (DECEMBER_2008, "thiethai t11!D20", 171.0, "2008",
     "SOCIAL.VN._Z.SO_TRAM_BIEN_THE_BI_NGAP_HU_HAI._Z.LEVEL.STATIONS"),
    (DECEMBER_2008, "thiethai t11!D29", 318.0, "2008",
     "SOCIAL.VN._Z.SO_NHA_O_BI_NGAP_NUOC_VA_HU_HONG._Z.LEVEL.THOUS_PIECES"),
    # The population table of December 2016 and 2017, the series of 2018-2024's.
    (DECEMBER_2016, "DSo-TAnh!E6", 92701.1, "2016", "POPULATION.VN._Z._T._Z.LEVEL.THOUS_PERSONS"),
    (DECEMBER_2016, "DSo-TAnh!C9", 45970.8, "2014",
     "POPULATION_FEMALE.VN._Z._T._Z.LEVEL.THOUS_PERSONS"),
    (DECEMBER_2016, "DSo-TAnh!B24", 77.2, "2013",  # under "Tỷ lệ phụ nữ 15-49 tuổi có chồng"
     "POPULATION_CONTRACEPTIVE_PREVALENCE.VN._Z._T._Z.LEVEL.PCT"),
    (DECEMBER_2016, "DSo-TAnh!C28", 24408.7333701497, "2014",
     "POPULATION_EMPLOYED.VN._Z.NONG_LAM_NGHIEP_VA_THUY_SAN._Z.LEVEL.THOUS_PERSONS"),
    (DECEMBER_2017, "DSo-TAnh!D14", 97.27, "2016",
     "POPULATION_SEX_RATIO.VN._Z._T._Z.LEVEL.MALES_PER_100_FEMALES"),
    (DECEMBER_2017, "DSo-TAnh!B27", 52744.5, "2014",
     "POPULATION_EMPLOYED.VN._Z._T._Z.LEVEL.THOUS_PERSONS"),
    ("2018-12-27-03-So-lieu-2018-1.xls", "44DS!C9", 46938.8, "2016",
     "POPULATION_FEMALE.VN._Z._T._Z.LEVEL.THOUS_PERSONS"),
]


def _read(path: Path) -> tuple[dict[str, Observation], list[str]]:
    return figures_by_cell(path), [f"{r.sheet} {r.code}" for r in read_once(path).rejected]


@pytest.mark.extended
@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f"{f[0][:7]}:{f[1]}")
def test_figures_with_their_written_units(shared_releases: Path, figure: tuple) -> None:
    name, ref, value, period, key = figure
    assert_pinned(shared_releases / "gso" / name, ref, value, period, key)


@pytest.mark.extended
def test_the_education_table_of_2004_is_read_whole(shared_releases: Path) -> None:
    # Its school levels had no unit before (the heading above them states it): 51 rejects.
    observations, rejected = _read(shared_releases / "gso" / DECEMBER_2004)
    assert not [r for r in rejected if r.startswith("Sheet3 ")]
    assert sum(ref.startswith("Sheet3!") for ref in observations) == 63


@pytest.mark.extended
@pytest.mark.parametrize("name", [DECEMBER_2016, DECEMBER_2017])
def test_the_population_and_labour_table_is_read_whole(shared_releases: Path, name: str) -> None:
    # Read with the labour list before, all 85 figures of the table were quarantined.
    observations, rejected = _read(shared_releases / "gso" / name)
    assert not [r for r in rejected if r.startswith("DSo-TAnh ")]
    assert sum(ref.startswith("DSo-TAnh!") for ref in observations) == 85
