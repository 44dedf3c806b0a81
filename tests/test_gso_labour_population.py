"""Population and census tables: the 1999 census of the January 2000 workbook (dated by
gso_periods.csv), the average-population tables of 2004 and 2008 and the key population
indicators of 2018-2024; real figures pinned and checked against the workbook's own cell."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from flows.core.model import Observation
from flows.core.periods import parse_period
from flows.pipeline import read_gso_workbook
from tests.test_files import write_xlsx

from samples import workbook_cell

# The layout of the census tables: ages typed as numbers in column B under "Cả nước" and
# "Thành thị", school grades typed as numbers in the header (real figures, January 2000).
CENSUS = [
    ["15. Dân số từ 5 tuổi trở lên có trình độ văn hoá phổ thông"],
    ["chia theo nhóm tuổi và chia theo lớp đang học"],
    ["hoặc đã học xong đối với người đã thôi học phổ thông"],
    ["", "", "", "", "", "Đơn vị tính: Người"],
    ["", "", "Tổng số", "Chia theo lớp phổ thông đang học"],
    ["", "", "", 0.0, 1.0, 2.0],
    ["Cả nước", "", 41933316.0, 995.0, 531005.0, 2110136.0],
    ["", 5.0, 3000.0, "-", 2459.0, 415.0],
    ["", "6-9", 74450.0, 27.0, 25340.0, 22839.0],
    ["Thành thị", "", 10042119.0, 431.0, 100264.0, 336567.0],
    ["", 5.0, 471.0, "-", 426.0, 12.0],
]


def test_census_layout(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "2000-01-census.xlsx", "15", CENSUS)
    contents = read_gso_workbook(path, "2000-01")
    found = {(o.indicator, o.product): (o.value, str(o.period), o.unit, o.provenance)
             for o in contents.observations}
    assert found[("POPULATION_CENSUS_LEFT_SCHOOL_GENERAL", "_T")] == (
        41933316.0, "1999-04", "PERSONS", "15!C7")
    assert found[("POPULATION_CENSUS_LEFT_SCHOOL_GRADE_0", "AGE_6_9")][:2] == (27.0, "1999-04")
    assert found[("POPULATION_CENSUS_LEFT_SCHOOL_GRADE_1", "AGE_5")][0] == 2459.0
    assert found[("POPULATION_CENSUS_URBAN_LEFT_SCHOOL_GRADE_2", "AGE_5")][0] == 12.0
    assert found[("POPULATION_CENSUS_URBAN_LEFT_SCHOOL_GENERAL", "_T")][0] == 10042119.0
    cells = Counter({(t.outcome, t.reason): t.cells for t in contents.cells})
    # The grades 0, 1, 2 name columns; the ages 5 name rows.
    assert cells[("skipped", "header-label")] == 3
    assert cells[("skipped", "row-label")] == 2
    assert not cells[("unaccounted", "")] and not contents.rejected


@pytest.mark.parametrize(("text", "expected"), [
    ("trong 12 tháng qua chia theo TPKT", "None"),
    ("(Trong 12 tháng trước thời điểm TĐT)", "None"),
    ("12 tháng năm 2023", "2023"),
])
def test_the_past_twelve_months_are_no_year(text: str, expected: str) -> None:
    assert str(parse_period(text, 2000)) == expected


# (workbook, sheet!cell, value, period, measure, unit, indicator, geo, product)
FIGURES = [
    ("2000-01-31-bieu-thang-1.xls", "11!B9", 76327919.0, "1999-04", "level", "PERSONS",
     "POPULATION_CENSUS", "VN", "_T"),
    ("2000-01-31-bieu-thang-1.xls", "11!E12", 765042.0, "1999-04", "level", "PERSONS",
     "POPULATION_CENSUS_URBAN_FEMALE", "VN-01", "_Z"),
    ("2000-01-31-bieu-thang-1.xls", "12!C11", 1303867.0, "1999-04", "level", "PERSONS",
     "POPULATION_CENSUS", "VN", "AGE_0"),
    ("2000-01-31-bieu-thang-1.xls", "15(Tiep)!J10", 2078.0, "1999-04", "level", "PERSONS",
     "POPULATION_CENSUS_LEFT_SCHOOL_GRADE_UNKNOWN", "VN", "_T"),
    ("2000-01-31-bieu-thang-1.xls", "17!C44", 94.77, "1999-04", "share", "PCT",
     "POPULATION_CENSUS_RURAL_NO_QUALIFICATION", "VN", "MALE"),
    ("2000-01-31-bieu-thang-1.xls", "19!H9", 191681.0, "1999-04", "level", "PERSONS",
     "POPULATION_CENSUS_EMPLOYED_FOREIGN", "VN", "_T"),
    ("2000-01-31-bieu-thang-1.xls", "20!B28", 754582.0, "1999-04", "level", "HOUSEHOLDS",
     "HOUSEHOLDS_CENSUS", "VN", "BUILT_1996"),
    ("2000-01-31-bieu-thang-1.xls", "22!E20", 18.3, "1999-04", "level", "PER_THOUS",
     "POPULATION_CENSUS_URBAN_INFANT_MORTALITY_RATE", "VN", "_T"),
    ("2004-12-25-Bieu1204.xls", "ok-Danso (2)!G21", 71.9, "2004", "level", "THOUS_PERSONS",
     "POPULATION_URBAN", "VN-02", "_Z"),
    ("2008-12-30-Bieu1208-1.xls", "Danso !C9", 42347.1, "2008", "level", "THOUS_PERSONS",
     "POPULATION_MALE", "VN", "_T"),
    ("2024-12-29-02.Bieu-T12.2024.xlsx", "46.DS!F17", 1.91, "2024", "level", "CHILDREN_PER_WOMAN",
     "POPULATION_TOTAL_FERTILITY_RATE", "VN", "_T"),
    ("2024-12-29-02.Bieu-T12.2024.xlsx", "46.DS!B9", 48956.71, "2020", "level", "THOUS_PERSONS",
     "POPULATION_FEMALE", "VN", "_T"),
]


@cache
def _observations(path: Path) -> dict[str, Observation]:
    return {o.provenance: o for o in read_gso_workbook(path).observations}


@pytest.mark.extended
@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f"{f[0][:7]}:{f[1]}")
def test_population_figures(shared_releases: Path, figure: tuple) -> None:
    name, ref, value, period, measure, unit, indicator, geo, product = figure
    path = shared_releases / "gso" / name
    found = _observations(path).get(ref)
    assert found is not None, f"no figure from {ref}"
    assert (found.value, str(found.period), found.measure, found.unit, found.indicator,
            found.geo, found.product) == (
        pytest.approx(value), period, measure, unit, indicator, geo, product)
    assert workbook_cell(path, ref) == pytest.approx(found.value)
