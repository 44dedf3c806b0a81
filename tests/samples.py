"""Where the tests find real releases: the bundled mirror, and the workplace's folder."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from python_calamine import CalamineWorkbook

from flows.core.config import BUNDLED_MIRROR
from flows.core.model import Observation
from flows.pipeline import WorkbookContents, read_gso_workbook
from flows.readers.workbook.xlsx_cells import cell_position

SHARED_RELEASES = Path(__file__).resolve().parents[2] / "shared" / "releases"
GSO_UPLOADS = BUNDLED_MIRROR / "www.gso.gov.vn" / "wp-content" / "uploads"
SEPTEMBER_2024 = GSO_UPLOADS / "2024" / "10" / "2.Bieu-T9.2024.xlsx"
AUGUST_2024 = GSO_UPLOADS / "2024" / "09" / "02.-Bieu-T8.2024.xlsx"


@cache
def _sheet_rows(path: Path, sheet: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(
        skip_empty_area=False)


def workbook_cell(path: Path, ref: str) -> object:
    """The value of a workbook's cell ("Sheet!C9") as python-calamine reads it: what a pinned
    figure's provenance must point at."""
    sheet, _, cell = ref.rpartition("!")
    row, col = cell_position(cell)
    return _sheet_rows(path, sheet)[row][col]


def workbook_number(path: Path, ref: str) -> float:
    """The number in a workbook's cell; a number written as text ("0.17") counts as one."""
    return float(workbook_cell(path, ref))  # type: ignore[arg-type]


@cache
def read_once(path: Path) -> WorkbookContents:
    """`read_gso_workbook` of a workbook, once a session: several tests pin its cells."""
    return read_gso_workbook(path)


def figures_by_cell(path: Path) -> dict[str, Observation]:
    """The workbook's figures by provenance ("Sheet!C9"), the last one of a cell giving two."""
    return {o.provenance: o for o in read_once(path).observations}


def assert_pinned(path: Path, ref: str, value: float, period: str, key: str) -> None:
    """The figure read from cell `ref` has this value, period and series key, and the workbook's
    own cell holds it."""
    found = figures_by_cell(path).get(ref)
    assert found is not None, f"no figure from {ref}"
    assert (found.value, str(found.period), found.series_key) == (value, period, key)
    assert workbook_number(path, ref) == found.value
