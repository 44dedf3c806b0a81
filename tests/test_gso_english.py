"""The English edition of the GSO workbook (September 2020) is read like the Vietnamese one."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from flows.core import periods
from flows.pipeline import read_gso_workbook
from flows.readers.workbook.headers import interpret

EN = "gso/2020-09-29-03-Bieu-9.2020-EN.xlsx"
OCTOBER = "gso/2020-10-29-02-Bieu-10.2020.xlsx"
SEPTEMBER = periods.month(2020, 9)


@pytest.mark.parametrize(("text", "period", "measures", "status", "basis"), [
    ("Estimate September 2020 Volume", "2020-09", ("level",), "estimate", "quantity"),
    ("9 months of 2020 versus same period last year (%) Value", "2020-YTD09", ("index_yoy",),
     None, "value"),
    ("September 2020 versus last month", "2020-09", ("index_pop",), None, None),
    ("September 2020 versus: Base Year (2019)", "2020-09", ("index_base",), None, None),
    ("September 2020 versus: December 2019", "2020-09", ("index_dec",), None, None),
    ("Performance 2sd quarter of 2020 versus same period in 2019", "2020-Q2", ("index_yoy",),
     "official", None),
    ("Compared to same period last year (%) 3rd quarter of 2020", "2020-Q3", ("index_yoy",),
     None, None),
    ("Mill. dongs Compared to same period last year (%) Nine months in 2020", "2020-YTD09",
     ("index_yoy",), None, None),
    ("September of 2020 over (%) August of 2020", "2020-09", ("index_pop",), None, None),
    ("Bill. dongs Structure (%) 9 months of 2020", "2020-YTD09", ("share",), None, None),
])
def test_english_headers(text: str, period: str, measures: tuple[str, ...], status: str | None,
                         basis: str | None) -> None:
    column = interpret(1, text, SEPTEMBER)
    assert (str(column.period), column.measures, column.status, column.basis) == (
        period, measures, status, basis)


def test_an_english_month_needs_its_year() -> None:
    # "may" alone is Vietnamese ("dệt may", garments), never May.
    assert periods.parse_period("Dệt may", 2020) is None
    assert periods.parse_period("Q3 2020") == periods.quarter(2020, 3)
    assert periods.parse_period("from January 01 to September 20, 2020") == (
        periods.year_to_date(2020, 9))


@pytest.mark.extended
def test_the_english_edition_is_read(shared_releases: Path) -> None:
    path = shared_releases / EN
    contents = read_gso_workbook(path)
    assert contents.reference_period == SEPTEMBER
    got = {o.provenance: o for o in contents.observations}
    pinned = [  # sheet!cell, series key, period, value, status
        ("7!D9", "IIP.VN._T._Z._Z.INDEX_YOY.INDEX", "2020-09", 103.8, "estimate"),
        ("27!D9", "IMPORTS.VN._Z._T._Z.LEVEL.USD_MN", "2020-09", 24000.0, "estimate"),
        ("30!E11", "CPI.VN._Z._T._Z.INDEX_YOY.INDEX", "2020-09", 102.98, "official"),
    ]
    book = CalamineWorkbook.from_path(str(path))
    for ref, key, period, value, status in pinned:
        obs = got[ref]
        assert (obs.series_key, str(obs.period), obs.status) == (key, period, status)
        assert obs.value == pytest.approx(value, abs=0.005)
        sheet, _, cell = ref.partition("!")
        row, col = int(cell[1:]) - 1, ord(cell[0]) - 65
        assert book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)[row][col] == obs.value
    core = {"iip", "exports", "imports", "cpi"}
    for tally in contents.cells:
        assert tally.outcome != "unaccounted" or tally.table not in core
        assert tally.outcome != "quarantined" or tally.table not in core


@pytest.mark.extended
def test_the_english_edition_agrees_with_october_where_october_did_not_revise(
    shared_releases: Path,
) -> None:
    # October's "Tháng 9" columns are revised figures; where a September figure is unchanged
    # the two editions give the same value for the same series (mining IIP, Nghệ An's
    # state-budget investment). Most September figures were revised (IIP 36 of 37).
    english = read_gso_workbook(shared_releases / EN)
    october = read_gso_workbook(shared_releases / OCTOBER)
    october_values = {(o.series_key, o.period): o.value for o in october.observations}
    shared = [(o, october_values[o.series_key, o.period]) for o in english.observations
              if (o.series_key, o.period) in october_values]
    same = {(o.series_key, str(o.period)) for o, value in shared if value == o.value}
    assert ("IIP.VN.B._Z._Z.INDEX_YOY.INDEX", "2020-09") in same
    assert ("INV_STATE_BUDGET.VN-40._Z._Z._Z.LEVEL.BN_VND", "2020-09") in same
    assert len(shared) >= 70
