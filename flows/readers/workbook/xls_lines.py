"""Find the rows and columns a legacy .xls sheet hides, which calamine reads like any other.

python-calamine gives a hidden row's cells as it gives any other's and says nothing of which
rows and columns the sheet hides; xlsx_cells.py reads that from an .xlsx sheet's XML. A legacy
workbook (BIFF8, 2000-2015 here) keeps it in its records: a ROW record's fDyZero flag hides the
row, a COLINFO record's fHidden flag a run of columns. This module reads only those, from the
"Workbook" stream of the OLE2 compound file, with bounds on every offset and chain, and gives
up (no hidden lines) on anything it does not expect: calamine stays the reader of the cells and
reports a damaged file; hiding is what this adds. GSO hides a stale copy of a table's total
row above the published one (June 2002 and 2003, persons placed in jobs) and worked columns.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

Lines = tuple[frozenset[int], frozenset[int]]  # hidden rows, hidden columns (from 0)

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER_DIFAT = 109  # sector numbers of the FAT held in the header itself
_END_OF_CHAIN = 0xFFFFFFFE
_DIRECTORY_ENTRY = 128
_STREAM = 2  # a directory entry's object type for a stream
_WORKBOOK_STREAMS = ("Workbook", "Book")
# Records read; every other record is skipped by its length.
_BOF, _EOF, _BOUNDSHEET, _ROW, _COLINFO = 0x0809, 0x000A, 0x0085, 0x0208, 0x007D
_ROW_HIDDEN = 0x0020  # ROW.grbit fDyZero: the row is hidden
_COLUMN_HIDDEN = 0x0001  # COLINFO.grbit fHidden
_SHEET_RECORDS = frozenset({_BOUNDSHEET})
_LINE_RECORDS = frozenset({_ROW, _COLINFO})
_HEADER = struct.Struct("<HH")  # a record's type and data length
# BIFF8 has 256 columns; a COLINFO run may name one past the last.
_MAX_COLUMNS = 256
# A GSO workbook is a few MB: a stream longer than this is no workbook of ours.
MAX_STREAM_BYTES = 200 * 1024 * 1024


class _Malformed(Exception):
    """The compound file or a record is not as the format says: no hidden lines are read."""


def hidden_lines(path: Path) -> list[tuple[str, Lines]]:
    """Each sheet of the .xls workbook at `path`, in the workbook's order, with the rows and
    columns it hides; [] when the file cannot be read this way (calamine, which reads the
    cells, reports a damaged file)."""
    try:
        data = path.read_bytes()
        stream = _workbook_stream(data)
        return [(name, _sheet_lines(stream, offset)) for name, offset in _sheets(stream)]
    except (_Malformed, struct.error, OSError, UnicodeDecodeError):
        return []


@dataclass(frozen=True)
class _Compound:
    """The parts of an OLE2 compound file that lead to a stream: its sectors and their FAT."""

    data: bytes
    sector: int
    fat: list[int]

    def chain(self, start: int, size: int) -> bytes:
        """The stream of `size` bytes whose first sector is `start`."""
        out = bytearray()
        for sector in self.sectors(start):
            if len(out) >= size:
                break
            at = (sector + 1) * self.sector
            if at >= len(self.data):
                raise _Malformed("a sector past the end of the file")
            out += self.data[at:at + self.sector]
        if len(out) < size:
            raise _Malformed("a stream shorter than its directory entry says")
        return bytes(out[:size])

    def sectors(self, start: int) -> list[int]:
        """The sector chain from `start` to its end."""
        chain: list[int] = []
        seen: set[int] = set()
        sector = start
        while sector != _END_OF_CHAIN:
            if sector >= len(self.fat) or sector in seen:
                raise _Malformed("a sector chain leaves the file or loops")
            chain.append(sector)
            seen.add(sector)
            sector = self.fat[sector]
        return chain


def _compound(data: bytes) -> _Compound:
    if len(data) < 512 or not data.startswith(_OLE2_MAGIC):
        raise _Malformed("no OLE2 header")
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        raise _Malformed("an unknown sector size")
    size = 1 << shift
    fat_sectors = struct.unpack_from("<I", data, 0x2C)[0]
    difat_start, difat_count = struct.unpack_from("<2I", data, 0x44)
    ids = list(struct.unpack_from(f"<{_HEADER_DIFAT}I", data, 0x4C))
    per_sector = size // 4 - 1
    sector = difat_start
    for _ in range(difat_count):  # FAT sectors listed past the header's 109
        at = (sector + 1) * size
        if at + size > len(data):
            raise _Malformed("a DIFAT sector past the end of the file")
        entries = struct.unpack_from(f"<{per_sector + 1}I", data, at)
        ids += entries[:per_sector]
        sector = entries[per_sector]
    fat: list[int] = []
    for fat_id in ids[:fat_sectors]:
        at = (fat_id + 1) * size
        if at + size > len(data):
            raise _Malformed("a FAT sector past the end of the file")
        fat += struct.unpack_from(f"<{size // 4}I", data, at)
    return _Compound(data, size, fat)


def _workbook_stream(data: bytes) -> bytes:
    """The bytes of the compound file's workbook stream."""
    compound = _compound(data)
    directory_start = struct.unpack_from("<I", data, 0x30)[0]
    cutoff = struct.unpack_from("<I", data, 0x38)[0]
    # The directory's own length is not recorded: read its chain up to the file's size.
    directory = compound.chain(directory_start,
                               len(compound.sectors(directory_start)) * compound.sector)
    for at in range(0, len(directory) - _DIRECTORY_ENTRY + 1, _DIRECTORY_ENTRY):
        name_bytes = struct.unpack_from("<H", directory, at + 64)[0]
        kind = directory[at + 66]
        name = directory[at:at + max(0, min(name_bytes, 64) - 2)].decode("utf-16-le")
        if kind == _STREAM and name in _WORKBOOK_STREAMS:
            start, size = struct.unpack_from("<IQ", directory, at + 116)
            if size < cutoff or size > MAX_STREAM_BYTES:
                # A stream this short sits in the mini stream; no workbook is that short.
                raise _Malformed("a workbook stream of an unexpected size")
            return compound.chain(start, size)
    raise _Malformed("no workbook stream")


def _records(stream: bytes, at: int, kinds: frozenset[int]) -> list[tuple[int, int, int]]:
    """The records of types `kinds` in the substream starting at `at` (a BOF) up to its EOF:
    (type, data offset, data length) each. Every record is walked (and bounded), but only
    those asked for are kept: a sheet is thousands of cell records around a few of them."""
    found = []
    end = len(stream)
    header = _HEADER.unpack_from
    while at + 4 <= end:
        kind, length = header(stream, at)
        data = at + 4
        at = data + length
        if at > end:
            raise _Malformed("a record runs past the stream")
        if kind in kinds:
            found.append((kind, data, length))
        if kind == _EOF:
            return found
    raise _Malformed("a substream without its EOF")


def _sheets(stream: bytes) -> list[tuple[str, int]]:
    """The workbook's sheets from its globals: each one's name and where its substream
    starts."""
    records = _records(stream, 0, _SHEET_RECORDS)
    if _HEADER.unpack_from(stream, 0)[0] != _BOF:
        raise _Malformed("the stream does not open with a BOF record")
    sheets = []
    for _, at, length in records:
        if length >= 8:
            offset = struct.unpack_from("<I", stream, at)[0]
            sheets.append((_sheet_name(stream[at + 6:at + length]), offset))
    return sheets


def _sheet_name(raw: bytes) -> str:
    """A BOUNDSHEET record's name: BIFF8's short unicode string, its characters one byte
    each (Latin-1) or two (UTF-16)."""
    count, flags = raw[0], raw[1] if len(raw) > 1 else 0
    if flags & 1:
        return raw[2:2 + 2 * count].decode("utf-16-le")
    return raw[2:2 + count].decode("latin-1")


def _sheet_lines(stream: bytes, offset: int) -> Lines:
    """The rows and columns hidden in the sheet whose substream starts at `offset`."""
    if offset + 4 > len(stream) or struct.unpack_from("<H", stream, offset)[0] != _BOF:
        raise _Malformed("a sheet's substream does not open with a BOF record")
    rows: set[int] = set()
    columns: set[int] = set()
    for kind, at, length in _records(stream, offset, _LINE_RECORDS):
        if kind == _ROW and length >= 14:
            if struct.unpack_from("<H", stream, at + 12)[0] & _ROW_HIDDEN:
                rows.add(struct.unpack_from("<H", stream, at)[0])
        elif kind == _COLINFO and length >= 10:
            first, last, _, _, flags = struct.unpack_from("<5H", stream, at)
            if flags & _COLUMN_HIDDEN:
                columns.update(range(first, min(last, _MAX_COLUMNS - 1) + 1))
    return frozenset(rows), frozenset(columns)
