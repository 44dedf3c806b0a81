"""The rows and columns a legacy .xls sheet hides are found in its BIFF records (ROW's fDyZero,
COLINFO's fHidden) and taken out of the grid like an .xlsx sheet's: GSO hid a stale copy of
the total row above the published one in June 2002 and 2003 (persons placed in jobs)."""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path

import pytest

from flows.pipeline import read_gso_workbook
from flows.readers.workbook.grid import read_workbook
from flows.readers.workbook.xls_lines import hidden_lines

from samples import workbook_number

SECTOR = 512
END_OF_CHAIN, FAT_SECTOR, FREE = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _sheet(rows: dict[int, bool], columns: list[tuple[int, int, bool]]) -> bytes:
    """A sheet substream: BOF, a ROW record per row (hidden or not), COLINFO runs, EOF."""
    body = _record(0x0809, struct.pack("<HH", 0x0600, 0x0010) + bytes(12))
    for first, last, hidden in columns:
        body += _record(0x007D, struct.pack("<5HH", first, last, 2000, 15, int(hidden), 0))
    for row, hidden in rows.items():
        body += _record(0x0208, struct.pack("<6HI", row, 0, 4, 255, 0, 0,
                                            0x0100 | (0x20 if hidden else 0)))
    return body + _record(0x000A, b"")


def _workbook(sheets: list[tuple[str, bytes]]) -> bytes:
    """A BIFF8 workbook stream: globals (BOF, a BOUNDSHEET per sheet, padding past the mini
    stream's 4096 bytes, EOF), then each sheet's substream."""
    def globals_(offsets: list[int]) -> bytes:
        out = _record(0x0809, struct.pack("<HH", 0x0600, 0x0005) + bytes(12))
        for (name, _), offset in zip(sheets, offsets, strict=True):
            raw = name.encode("utf-16-le")
            out += _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 1) + raw)
        return out + _record(0x00E1, bytes(4200)) + _record(0x000A, b"")

    offsets = [0] * len(sheets)
    start = len(globals_(offsets))
    for n, (_, body) in enumerate(sheets):
        offsets[n] = start
        start += len(body)
    return globals_(offsets) + b"".join(body for _, body in sheets)


def _compound(stream: bytes) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding one stream, "Workbook":
    sector 0 the FAT, sector 1 the directory, the stream from sector 2."""
    count = -(-len(stream) // SECTOR)
    fat = [FAT_SECTOR, END_OF_CHAIN] + [2 + n + 1 for n in range(count - 1)] + [END_OF_CHAIN]
    fat += [FREE] * (SECTOR // 4 - len(fat))
    header = bytearray(SECTOR)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 0x2C, 1, 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([FREE] * 108))

    def entry(name: str, kind: int, start: int, size: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        out = bytearray(128)
        out[:len(raw)] = raw
        struct.pack_into("<HBB", out, 64, len(raw), kind, 1)
        struct.pack_into("<III", out, 68, FREE, FREE, 1 if kind == 5 else FREE)
        struct.pack_into("<IQ", out, 116, start, size)
        return bytes(out)

    directory = entry("Root Entry", 5, END_OF_CHAIN, 0) + entry("Workbook", 2, 2, len(stream))
    directory += bytes(SECTOR - len(directory))
    padded = stream + bytes(count * SECTOR - len(stream))
    return bytes(header) + struct.pack(f"<{SECTOR // 4}I", *fat) + directory + padded


def test_hidden_rows_and_columns_from_biff_records(tmp_path: Path) -> None:
    path = tmp_path / "book.xls"
    path.write_bytes(_compound(_workbook([
        ("Bảng 1", _sheet({0: False, 6: True, 7: False}, [(6, 7, True), (8, 8, False)])),
        ("Sheet2", _sheet({3: False}, [(2, 300, True)])),
    ])))
    assert hidden_lines(path) == [
        ("Bảng 1", (frozenset({6}), frozenset({6, 7}))),
        # A run to the end of the sheet stops at its 256th column.
        ("Sheet2", (frozenset(), frozenset(range(2, 256)))),
    ]


@pytest.mark.parametrize("damage", [
    lambda data: data[:600],  # the stream's sectors cut off
    lambda data: data[:0x2C] + struct.pack("<I", 50) + data[0x30:],  # 50 FAT sectors named
    lambda data: data[:SECTOR + 8] + struct.pack("<I", 2) + data[SECTOR + 12:],  # a loop
    lambda data: b"PK\x03\x04" + data[4:],
])
def test_a_damaged_file_hides_nothing_and_raises_nothing(
        tmp_path: Path, damage: Callable[[bytes], bytes]) -> None:
    good = _compound(_workbook([("S", _sheet({1: True}, []))]))
    path = tmp_path / "book.xls"
    path.write_bytes(good)
    assert hidden_lines(path) == [("S", (frozenset({1}), frozenset()))]
    path.write_bytes(damage(good))
    assert hidden_lines(path) == []


JUNE_2002 = "2002-06-29-Bieu0602-1.xls"


@pytest.mark.extended
def test_the_stale_total_row_of_june_2002_is_hidden(shared_releases: Path) -> None:
    # 13VL (persons placed in jobs): row 7 repeats an older "Tổng số" (217718) with worked
    # columns G:H, hidden; the published total is row 8 (241988, 76.6 % in stable jobs).
    path = shared_releases / "gso" / JUNE_2002
    grid = next(g for g in read_workbook(path) if g.sheet == "13VL")
    assert grid.concealed[6, 2] == 217718.0 and grid.rows[6][2] == ""
    assert grid.concealed[6, 7] == 735.3  # column H, hidden on every row
    figures = {o.provenance: o.value for o in read_gso_workbook(path).observations
               if o.provenance.startswith("13VL!")}
    assert figures["13VL!C8"] == workbook_number(path, "13VL!C8") == 241988.0
    assert "13VL!C7" not in figures
    tallies = {(t.outcome, t.reason): t.cells for t in read_gso_workbook(path).cells
               if t.sheet == "13VL"}
    assert tallies[("skipped", "hidden-cell")] == 4  # C7, E7, G7, H7
