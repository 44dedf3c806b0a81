"""Labour tables whose period is not in their column headers: the job-placement tables of
2001-2003 (kind `jobs`: persons placed in jobs, of them in stable jobs, job seekers not yet
placed), dated by their title, the 2001 one by its title's third line; and the December 2016
and 2017 tables whose rows are periods ("Năm 2015 | Quý I | ... | Năm 2016 | Quý I"), a year
row dating the quarters below it. Real figures pinned and checked against the workbook."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from flows.core.model import Observation
from flows.pipeline import read_gso_workbook
from tests.test_files import write_xlsx

from samples import assert_pinned, figures_by_cell, read_once

# The June 2001 layout (real figures): a title over three lines, the period on the third;
# the column headers name what is counted, no period (the group headings, merged there, are
# written over each of their columns here).
PLACED = "Số người đã được giải quyết việc làm"
SEEKING = "Số người đăng ký xin việc nhưng chưa được giải quyết"
JOB_CENTRES = [
    ["15. Tình hình giải quyết việc làm cho những người"],
    ["đăng ký xin việc tại các cơ sở sắp xếp việc làm"],
    ["6 tháng đầu năm 2001"],
    [None, None, None, None, None, None, None, None, None, None, None, None, None, None,
     "Lượt người"],
    [None, None, None, None, PLACED, None, PLACED, None, None, SEEKING, None, SEEKING, None,
     SEEKING],
    [None, None, None, None, "Tổng số", None, "Trong đó: ổn định", None, None, "Tổng số", None,
     "Trong đó: Bộ đội", None, "Học sinh thôi học"],
    ["Tổng số", None, None, None, 204142.0, None, 160749.0, None, None, 267935.0, None,
     10606.0, None, 64423.0],
    [None, "Hà Nội", None, None, 13864.0, None, 7376.0, None, None, 26242.0, None, 1515.0,
     None, 7079.0],
]


def test_a_title_whose_third_line_names_the_period_dates_the_table(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "2001-06.xlsx", "Tambo", JOB_CENTRES)
    contents = read_gso_workbook(path, "2001-06")
    found = {o.provenance: (o.series_key, str(o.period), o.value)
             for o in contents.observations}
    assert found["Tambo!E7"] == (
        "JOBS_PLACED.VN._Z._T._Z.LEVEL.PERSONS", "2001-YTD06", 204142.0)
    assert found["Tambo!G8"] == (
        "JOBS_PLACED_STABLE.VN-01._Z._Z._Z.LEVEL.PERSONS", "2001-YTD06", 7376.0)
    assert found["Tambo!J7"][0] == "JOBS_SEEKERS_UNPLACED.VN._Z._T._Z.LEVEL.PERSONS"
    assert found["Tambo!L8"][0] == "JOBS_SEEKERS_UNPLACED_DEMOBILISED.VN-01._Z._Z._Z.LEVEL.PERSONS"
    assert found["Tambo!N8"][0] == (
        "JOBS_SEEKERS_UNPLACED_SCHOOL_LEAVERS.VN-01._Z._Z._Z.LEVEL.PERSONS")
    assert len(found) == 10 and not contents.rejected


# The December 2016 layout (real figures): no year in the title, a year row over its quarters.
EMPLOYED = [
    ["36. Lao động từ 15 tuổi trở lên đang làm việc trong nền kinh tế"],
    [],
    [],
    [None, None, None, None, "Đơn vị tính: Nghìn người"],
    [None, "Tổng số", "Chia ra:"],
    [None, None, "Nông, lâm và thủy sản", "Công nghiệp và xây dựng", "Dịch vụ"],
    [],
    ["Năm 2015"],
    ["Quý I", 52427.0, 23592.1, 11271.9, 17563.0],
    ["Quý IV", 53500.2, 22630.6, 13000.5, 17869.1],
    ["Năm 2016"],
    ["Quý I", 53288.8, 22549.2, 13027.5, 17712.1],
]


def test_a_year_row_dates_the_quarters_below_it(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "2016-12.xlsx", "Sheet1 (2)", EMPLOYED)
    contents = read_gso_workbook(path, "2016-12")
    found = {o.provenance: (o.series_key, str(o.period), o.value)
             for o in contents.observations}
    assert found["Sheet1 (2)!B9"] == (
        "LABOUR.VN._Z._T._Z.LEVEL.THOUS_PERSONS", "2015-Q1", 52427.0)
    assert found["Sheet1 (2)!C10"] == (
        "LABOUR.VN._Z.NONG_LAM_NGHIEP_VA_THUY_SAN._Z.LEVEL.THOUS_PERSONS", "2015-Q4", 22630.6)
    assert found["Sheet1 (2)!E12"][1:] == ("2016-Q1", 17712.1)
    assert len(found) == 12 and not contents.rejected


JUNE_2001 = "2001-06-29-Bieu06-1.xls"
JUNE_2002 = "2002-06-29-Bieu0602-1.xls"
JUNE_2003 = "2003-06-30-Bieu0603-1.xls"
DECEMBER_2016 = "2016-12-29-Bieu-2016.xlsx"
DECEMBER_2017 = "2017-12-29-03-Bieu-2017.xlsx"

# (workbook, sheet!cell, value, period, series key)
FIGURES = [
    (JUNE_2001, "Tambo!E11", 204142.0, "2001-YTD06", "JOBS_PLACED.VN._Z._T._Z.LEVEL.PERSONS"),
    (JUNE_2001, "Tambo!G51", 74642.0, "2001-YTD06",
     "JOBS_PLACED_STABLE.VN-79._Z._Z._Z.LEVEL.PERSONS"),
    (JUNE_2001, "Tambo!J46", 16500.0, "2001-YTD06",  # the continued table, below row 36
     "JOBS_SEEKERS_UNPLACED.VN-48._Z._Z._Z.LEVEL.PERSONS"),
    (JUNE_2001, "Tambo!N55", 16817.0, "2001-YTD06",
     "JOBS_SEEKERS_UNPLACED_SCHOOL_LEAVERS.VN-75._Z._Z._Z.LEVEL.PERSONS"),
    # June 2002: the published total (row 8; row 7, hidden, is a stale copy).
    (JUNE_2002, "13VL!C8", 241988.0, "2002-YTD06", "JOBS_PLACED.VN._Z._T._Z.LEVEL.PERSONS"),
    (JUNE_2002, "13VL!E36", 87136.0, "2002-YTD06",
     "JOBS_PLACED_STABLE.VN-79._Z._Z._Z.LEVEL.PERSONS"),
    (JUNE_2002, "13VL!I8", 76.6, "2002-YTD06", "JOBS_PLACED_STABLE.VN._Z._T._Z.SHARE.PCT"),
    # June 2003 counts urban areas only: a series of its own.
    (JUNE_2003, "13VL!C8", 257698.0, "2003-YTD06",
     "JOBS_PLACED_URBAN.VN._Z._T._Z.LEVEL.PERSONS"),
    (JUNE_2003, "13VL!E63", 78909.0, "2003-YTD06",
     "JOBS_PLACED_URBAN_STABLE.VN-79._Z._Z._Z.LEVEL.PERSONS"),
    (JUNE_2003, "13VL!I9", 61.02019856213625, "2003-YTD06",
     "JOBS_PLACED_URBAN_STABLE.VN._Z.DONG_BANG_SONG_HONG._Z.SHARE.PCT"),
    # December 2016 and 2017: rows are periods, "Năm 2015" over the quarters of 2015.
    (DECEMBER_2016, "Sheet1 (2)!B9", 52427.0, "2015-Q1",
     "LABOUR.VN._Z._T._Z.LEVEL.THOUS_PERSONS"),
    (DECEMBER_2016, "Sheet1 (2)!E17", 17890.3541169, "2016-Q4",
     "LABOUR.VN._Z.DICH_VU._Z.LEVEL.THOUS_PERSONS"),
    (DECEMBER_2017, "Sheet1 (2)!C8", 22315.2, "2016",
     "LABOUR.VN._Z.NONG_LAM_NGHIEP_VA_THUY_SAN._Z.LEVEL.THOUS_PERSONS"),
    (DECEMBER_2017, "Sheet1 (2)!B14", 53363.5, "2017-Q1",
     "LABOUR.VN._Z._T._Z.LEVEL.THOUS_PERSONS"),
    # "Ước tính năm 2016 | Quý I": the quarters of 2016.
    (DECEMBER_2016, "Sheet2!C12", 3.08, "2016-Q1",
     "LABOUR_TY_LE_THAT_NGHIEP_TRONG_DO_TUOI_LAO_DONG.VN._Z.THANH_THI._Z.LEVEL.PCT"),
    (DECEMBER_2017, "Sheet2!D24", 2.05, "2017-Q4",
     "LABOUR_TY_LE_THIEU_VIEC_LAM_TRONG_DO_TUOI_LAO_DONG.VN._Z.NONG_THON._Z.LEVEL.PCT"),
    # No heading over the rows: the title names the rate (as the 2018 table's heading does).
    (DECEMBER_2016, "Sheet3 (2)!B10", 7.03, "2015",
     "LABOUR_TY_LE_THAT_NGHIEP_THANH_NIEN_TU_15_24_TUOI.VN._Z._T._Z.LEVEL.PCT"),
    (DECEMBER_2017, "Sheet3 (2)!C15", 11.21, "2017-Q4",
     "LABOUR_TY_LE_THAT_NGHIEP_THANH_NIEN_TU_15_24_TUOI.VN._Z.THANH_THI._Z.LEVEL.PCT"),
]


def _read(path: Path) -> tuple[dict[str, Observation], Counter[tuple[str, str]]]:
    return (figures_by_cell(path),
            Counter({(r.sheet, r.code): 1 for r in read_once(path).rejected}))


@pytest.mark.extended
@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f"{f[0][:7]}:{f[1]}")
def test_job_placement_and_period_row_figures(shared_releases: Path, figure: tuple) -> None:
    name, ref, value, period, key = figure
    assert_pinned(shared_releases / "gso" / name, ref, value, period, key)


@pytest.mark.extended
@pytest.mark.parametrize(("name", "sheet"), [
    (JUNE_2001, "Tambo"), (JUNE_2002, "13VL"), (JUNE_2003, "13VL"),
    (DECEMBER_2016, "Sheet1 (2)"), (DECEMBER_2016, "Sheet2"), (DECEMBER_2016, "Sheet3 (2)"),
    (DECEMBER_2017, "Sheet1 (2)"), (DECEMBER_2017, "Sheet2"), (DECEMBER_2017, "Sheet3 (2)"),
])
def test_nothing_of_these_tables_is_quarantined(
        shared_releases: Path, name: str, sheet: str) -> None:
    observations, rejected = _read(shared_releases / "gso" / name)
    assert not [code for (s, code) in rejected if s == sheet]
    keys = [(o.series_key, str(o.period)) for ref, o in observations.items()
            if ref.startswith(f"{sheet}!")]
    assert keys and len(keys) == len(set(keys))
