"""A figure cell holding an Excel error ("#DIV/0!") or a formula saved without its value is
quarantined as `error-cell`, naming the cell; python-calamine alone reads both as empty."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from flows.pipeline import read_gso_workbook
from flows.readers.workbook.grid import read_workbook
from flows.readers.workbook.xlsx_cells import cell_name, cell_position, hidden_cells

from samples import GSO_UPLOADS, SEPTEMBER_2024

IIP_SHEET_PART = "xl/worksheets/sheet7.xml"  # "7.IIPthang" of the September 2024 workbook
# Whole industry, September 2024 vs September 2023: 110.84 (README), and the same row's
# August figure beside it.
SEPTEMBER_IIP = b'<c r="D9" s="84"><v>110.84</v></c>'
AUGUST_IIP = b'<c r="B9" s="84"><v>108.38</v></c>'


def altered(tmp_path: Path, replacements: dict[bytes, bytes]) -> Path:
    """The September 2024 workbook with cells of its IIP sheet rewritten, all else as is."""
    target = tmp_path / SEPTEMBER_2024.name
    with zipfile.ZipFile(SEPTEMBER_2024) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == IIP_SHEET_PART:
                for old, new in replacements.items():
                    assert data.count(old) == 1, old
                    data = data.replace(old, new)
            copy.writestr(info, data)
    return target


def test_calamine_alone_reads_an_error_cell_as_empty(tmp_path: Path) -> None:
    """Why the sheet XML is scanned at all (dimastbk/python-calamine#105)."""
    path = altered(tmp_path, {SEPTEMBER_IIP: b'<c r="D9" s="84" t="e"><v>#DIV/0!</v></c>'})
    book = CalamineWorkbook.from_path(str(path))
    assert book.get_sheet_by_name("7.IIPthang").to_python(skip_empty_area=False)[8][3] == ""


def test_an_error_in_a_real_workbook_is_quarantined_and_the_rest_loads(tmp_path: Path) -> None:
    path = altered(tmp_path, {
        SEPTEMBER_IIP: b'<c r="D9" s="84" t="e"><f>D10/0</f><v>#DIV/0!</v></c>',
        AUGUST_IIP: b'<c r="B9" s="84"><f>B10*1.1</f></c>',  # saved without its value
    })
    good = read_gso_workbook(SEPTEMBER_2024, "2024-09")
    broken = read_gso_workbook(path, "2024-09")

    new = [r for r in broken.rejected if r not in good.rejected]
    assert [(r.cell, r.label, r.raw, r.code) for r in new] == [
        ("7.IIPthang!B9", "Toàn ngành công nghiệp", "=B10*1.1", "error-cell"),
        ("7.IIPthang!D9", "Toàn ngành công nghiệp", "#DIV/0!", "error-cell"),
    ]
    assert new[1].message.startswith(
        "7.IIPthang!D9: the iip figure for 'Toàn ngành công nghiệp' is the Excel error #DIV/0!")
    assert "the formula =B10*1.1 saved without its computed value" in new[0].message
    # Every other figure of the workbook loads as before.
    kept = [o for o in good.observations if o.provenance not in ("7.IIPthang!B9", "7.IIPthang!D9")]
    assert broken.observations == kept and len(kept) == len(good.observations) - 2
    # and the two cells are counted as quarantined, not lost.
    lost = {(t.sheet, t.outcome, t.reason): t.cells for t in broken.cells}
    assert lost[("7.IIPthang", "quarantined", "error-cell")] == 2


def test_the_bundled_workbooks_quarantine_no_error_cell() -> None:
    for path in sorted(GSO_UPLOADS.rglob("*.xlsx")):
        contents = read_gso_workbook(path)
        assert not [r for r in contents.rejected if r.code == "error-cell"], path.name


def test_errors_beside_a_table_are_no_figures(shared_releases: Path) -> None:
    """August 2019's exports sheet has 29 #REF! in column E, the spacer between the month's
    quantity and value columns and the year's: no figure is missing, nothing is quarantined."""
    path = shared_releases / "gso" / "2019-08-29-03-Bieu-8.2019.xlsx"
    grid = next(g for g in read_workbook(path) if g.sheet == "xuat khau thang")
    assert len(grid.hidden) == 29 and {c for _, c in grid.hidden} == {4}
    assert set(grid.hidden.values()) == {"#REF!"}
    contents = read_gso_workbook(path)
    assert not [r for r in contents.rejected if r.code == "error-cell"]
    assert len(contents.observations) > 500


@pytest.mark.parametrize(("xml", "expected"), [
    (b'<c r="B9" s="1" t="e"><v>#REF!</v></c>', {(8, 1): "#REF!"}),
    (b"<c t='e' r='AA10'><f>1/0</f><v>#DIV/0!</v></c>", {(9, 26): "#DIV/0!"}),
    (b'<c r="A1" t="e"/><c r="A2"><v>5</v></c>', {(0, 0): "#ERROR"}),  # self-closed
    (b'<c r="D9"><f>1/0</f></c>', {(8, 3): "=1/0"}),
    (b'<c r="D9"><f t="shared" si="1"/></c>', {(8, 3): "=(shared formula)"}),
    (b'<c r="D9"><f>A1&amp;B1</f></c>', {(8, 3): "=A1&B1"}),
    (b'<c r="D9">\n  <f>1/0</f>\n</c>', {(8, 3): "=1/0"}),  # pretty-printed
    (b'<c r="D9"><v>2</v><f>1+1</f></c>', {}),  # a value, even out of the usual order
    # values computed and saved, text results, plain numbers: nothing hidden
    (b'<c r="D9"><f>1+1</f><v>2</v></c><c r="E9" t="str"><f>A1</f><v></v></c>', {}),
    (b'<c r="A1" s="2"/><c r="B1" t="s"><v>0</v></c><c r="C1"><v>1.5</v></c>', {}),
    (b'<c t="e"><v>#REF!</v></c>', {}),  # no reference: no place to name
    # a formula after a hundred inline strings of f's (formulas are looked for f by f at first)
    (b'<c r="A1" t="inlineStr"><is><t>' + b"f" * 100 + b'</t></is></c><c r="B1"><f>1/0</f></c>',
     {(0, 1): "=1/0"}),
])
def test_hidden_cells_in_sheet_xml(xml: bytes, expected: dict[tuple[int, int], str]) -> None:
    assert hidden_cells(b"<sheetData><row>" + xml + b"</row></sheetData>") == expected


def test_hidden_cells_with_a_namespace_prefix() -> None:
    xml = (b'<x:sheetData><x:row><x:c r="C3" t="e"><x:v>#N/A</x:v></x:c>'
           b'<x:c r="D3"><x:f>C3*2</x:f></x:c></x:row></x:sheetData>')
    assert hidden_cells(xml) == {(2, 2): "#N/A", (2, 3): "=C3*2"}


@pytest.mark.parametrize(("name", "position"), [
    ("A1", (0, 0)), ("Z9", (8, 25)), ("AA10", (9, 26)), ("XFD1048576", (1048575, 16383)),
])
def test_cell_names_and_positions_round_trip(name: str, position: tuple[int, int]) -> None:
    assert cell_position(name) == position and cell_name(*position) == name


def test_the_grid_keeps_the_hidden_cells_of_the_sheets_it_reads(tmp_path: Path) -> None:
    path = altered(tmp_path, {SEPTEMBER_IIP: b'<c r="D9" s="84" t="e"><v>#VALUE!</v></c>'})
    grids = read_workbook(path, keep=lambda grid: grid.sheet.startswith(("7.", "8.")))
    assert {g.sheet: g.hidden for g in grids} == {"7.IIPthang": {(8, 3): "#VALUE!"},
                                                  "8.IIPquy": {}}
