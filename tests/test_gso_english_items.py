"""The English edition of the GSO workbook (September 2020): its item tables read through the
same item lists as the Vietnamese edition, each English label landing on the series of the
Vietnamese row it translates (June 2020 workbook, the same tables a quarter earlier)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from flows.core.model import Observation
from flows.core.periods import parse_period
from flows.pipeline import read_gso_workbook

from samples import workbook_cell

ENGLISH = "2020-09-29-03-Bieu-9.2020-EN.xlsx"
VIETNAMESE = "2020-06-29-03-Bieu-6.2020.xlsx"

# (English sheet!cell, value, period, measure, the Vietnamese edition's cell of the same item)
FIGURES = [
    ("1!D16", 84856.0545500523, "2020-Q3", "level", "1.GDP-HH!D16"),  # mining and quarrying
    ("2!G16", 94.0987576571019, "2020-Q3", "index_yoy", "2.GDP-SS!G17"),
    ("14!B9", 13402.0, "2020-08", "level", "Sheet2!E11"),  # newly established enterprises
    ("15!C14", 500.0, "2020-YTD09", "level", "DN1 (2)!G14"),
    ("19!D9", 145.5858519, "2020-Q3", "level", "1.VĐTTXH!D10"),  # capital under state budget
    ("22!C31", 271.0, "2020-YTD09", "level", "4.DTNN!C31"),  # China: projects
    ("31!B13", 90.1362853465272, "2020-Q3", "index_yoy", "34.Gia SX!B13"),
    ("32!B8", 101.412918076473, "2020-Q3", "index_yoy", "35.Gia NVL!B8"),  # general index
    ("33!B8", 93.9175363023052, "2020-Q3", "index_yoy", "36.Gia Van tai!B8"),
    ("34!B34", 99.9643979109871, "2020-Q3", "index_yoy", "37.Gia XK!B36"),
    ("35!B21", 101.29638290515, "2020-Q3", "index_yoy", "38.Gia NK!B21"),  # coal
    ("36!B8", 99.3980877450376, "2020-Q3", "index_yoy", "39.TygiaTM!B8"),
    ("43!C8", 53147.4, "2020-Q2", "level", "40.Laodong!B10"),  # labour force
    ("43!C22", 100.0, "2020-Q2", "share", "40.Laodong!B24"),  # under "Structure - %"
    ("44!B8", 2.22, "2020-Q1", "level", "41.thatnghiep!B8"),  # heading over the first rows
    ("44!C14", 9.91, "2020-Q1", "level", "41.thatnghiep!C13"),
    # "Year 2020 | 3rd quarter": each column under the year heading is its own period.
    ("45!E14", 1634.0, "2020-Q3", "level", "42.XHMT!E15"),  # traffic deaths
    ("45!D31", 21.0, "2020-Q2", "level", "42.XHMT!D32"),  # deaths by fire
]


@cache
def _observations(path: Path) -> dict[str, Observation]:
    return {o.provenance: o for o in read_gso_workbook(path).observations}


def _series(o: Observation) -> tuple[str, ...]:
    return (o.indicator, o.geo, o.industry, o.product, o.partner, o.measure, o.unit)


@pytest.mark.extended
@pytest.mark.parametrize("figure", FIGURES, ids=lambda f: f[0])
def test_english_figures_land_on_the_vietnamese_series(shared_releases: Path,
                                                       figure: tuple) -> None:
    ref, value, period, measure, vietnamese = figure
    english_path = shared_releases / "gso" / ENGLISH
    found = _observations(english_path).get(ref)
    assert found is not None, f"no figure from {ref}"
    assert (found.value, str(found.period), found.measure) == (
        pytest.approx(value), period, measure)
    assert workbook_cell(english_path, ref) == pytest.approx(found.value)
    twin = _observations(shared_releases / "gso" / VIETNAMESE).get(vietnamese)
    assert twin is not None, f"no figure from {vietnamese}"
    assert _series(found) == _series(twin)


@pytest.mark.extended
def test_english_services_rows_land_on_the_vietnamese_series(shared_releases: Path) -> None:
    """Travel exports, a row under "Exports of services" (the edition's headers of this table
    are mistranslated, "Performance 1st quarter" over the second quarter's figures: only the
    series is pinned here)."""
    english = _observations(shared_releases / "gso" / ENGLISH)["29!B9"]
    vietnamese = _observations(shared_releases / "gso" / VIETNAMESE)["XNK Dich vu!B10"]
    assert _series(english) == _series(vietnamese) == (
        "SERVICES_TRADE", "VN", "_Z", "EXPORTS_TRAVEL", "_Z", "level", "USD_MN")


@pytest.mark.extended
def test_english_edition_has_no_unknown_labels(shared_releases: Path) -> None:
    rejected = read_gso_workbook(shared_releases / "gso" / ENGLISH).rejected
    assert [r.cell for r in rejected if r.code == "unknown-label"] == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Year 2020 2nd quarter", "2020-Q2"),
    ("Year 2020 9 months", "2020-YTD09"),
    ("Year 2020", "2020"),
])
def test_english_year_heading_over_its_periods(text: str, expected: str) -> None:
    assert str(parse_period(text, 1999)) == expected
