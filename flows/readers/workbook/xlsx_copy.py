"""Copy an .xlsx archive with some of its parts stored as they are, uncompressed.

Reading a GSO workbook inflated each sheet twice: calamine for the cells, and xlsx_cells for
what calamine does not say (error cells, hidden rows and columns), a fifth of the read. Now
xlsx_cells inflates the sheets first and hands calamine this copy, in which they are stored:
calamine only reads them. Every other part is copied as the archive holds it, compressed; the
copy keeps each part's CRC, which calamine checks.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable, Mapping

# A part's local header, its entry in the central directory, and the directory's end record.
_LOCAL = struct.Struct("<4s5H3I2H")
_CENTRAL = struct.Struct("<4s6H3I5H2I")
_END = struct.Struct("<4s4H2IH")
_VERSION = 20  # the zip version that reads stored and deflated parts
_UTF8_NAME = 0x800  # the part's name is UTF-8 (zipfile has decoded each name already)
_DATA_DESCRIPTOR = 0x8  # sizes after the data: the copy writes them in the header instead
# What a plain archive can count and address; past them it would need zip64, so no copy.
_MAX_PARTS = 0xFFFF
_MAX_OFFSET = 0xFFFFFFFF


def stored_copy(
    parts: list[zipfile.ZipInfo], stored: Mapping[zipfile.ZipInfo, bytes],
    data: Callable[[zipfile.ZipInfo], bytes | memoryview],
) -> bytes | None:
    """The archive of `parts`, in their order: those in `stored` holding those bytes,
    uncompressed, the others the data `data` reads for them (compressed as it is). None when
    the copy would need zip64 (over 65,535 parts or 4 GiB)."""
    if len(parts) > _MAX_PARTS:
        return None
    pieces: list[bytes | memoryview] = []
    directory: list[bytes] = []
    offset = 0
    for info in parts:
        name = info.filename.encode("utf-8")
        body: bytes | memoryview
        if info in stored:
            body = stored[info]
            method, size, flags = zipfile.ZIP_STORED, len(body), _UTF8_NAME
        else:
            body = data(info)
            method, size = info.compress_type, info.file_size
            flags = info.flag_bits & ~_DATA_DESCRIPTOR | _UTF8_NAME
        fields = (flags, method, 0, 0, info.CRC, len(body), size, len(name))
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, *fields, 0)
        directory.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _VERSION, *fields,
                                       0, 0, 0, 0, 0, offset) + name)
        pieces += (header, name, body)
        offset += len(header) + len(name) + len(body)
        if offset > _MAX_OFFSET:
            return None
    listing = b"".join(directory)
    if offset + len(listing) > _MAX_OFFSET:
        return None
    end = _END.pack(b"PK\x05\x06", 0, 0, len(parts), len(parts), len(listing), offset, 0)
    return b"".join([*pieces, listing, end])
