"""Find the cells of an .xlsx sheet that read as empty but are not: Excel errors ("#DIV/0!",
"#REF!") and formulas saved without their computed value; and the rows and columns the sheet
hides, which calamine reads like any other.

python-calamine 0.9.1 gives '' for both (dimastbk/python-calamine#105, open), so a figure cell
holding one would vanish without a trace. They are found in the sheet's XML with regular
expressions, not an XML parser: nothing is resolved, so no entity can expand, and the sheet is
inflated no further than the size the archive declares (the whole workbook's declared size is
bounded before anything is read: workbook.MAX_UNZIPPED_BYTES).
"""

from __future__ import annotations

import os
import posixpath
import re
import struct
import zipfile
import zlib
from functools import cache, cached_property
from xml.sax.saxutils import unescape

from flows.readers.workbook.xlsx_copy import stored_copy

try:  # ISA-L's inflate and CRC-32: zlib's results, in less time (docs/benchmarks.md)
    from isal import isal_zlib as inflating
except ImportError:  # a platform isal has no wheel for (pyproject.toml says which have)
    import zlib as inflating  # type: ignore[no-redef]
# (isal's stub types its `error` as an Exception, not as the class it is)
INFLATE_ERROR: type[Exception] = inflating.error  # type: ignore[assignment]

Position = tuple[int, int]  # (row, column), from 0, as in workbook.Grid

WORKBOOK_PART = "xl/workbook.xml"
RELATIONS_PART = "xl/_rels/workbook.xml.rels"
# Parts calamine never opens (it reads workbook.xml, its relationships, the shared strings,
# the styles and the sheets), left out of the stored copy: the cached values of the workbooks
# a formula links to, and the printer's settings, half the parts of GSO's workbooks and half
# their compressed bytes (6,172 of 12,280 parts, 19 of 40 MB, in the shared folder's).
UNREAD_PARTS = ("xl/externalLinks/", "xl/printerSettings/")
# A formula's text is shown in the quarantine message up to this many characters.
MAX_FORMULA_CHARS = 60
_NS = rb"(?:\w+:)?"  # elements may carry a namespace prefix ("<x:c>")
_SHEET = re.compile(rb"<" + _NS + rb"sheet\b([^>]*)>")
_RELATION = re.compile(rb"<" + _NS + rb"Relationship\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
# workbook.xml lists its sheets first; the defined names after them can run to 100s of KB.
_END_OF_SHEETS = re.compile(rb"</" + _NS + rb"sheets>")
_WORKBOOK_ROOT = re.compile(rb"<(" + _NS + rb"workbook)[\s>]")
CHUNK_BYTES = 16 * 1024
# A zip part's local header (its name and extra field lengths last), and the flag of an
# encrypted part.
_LOCAL_HEADER = struct.Struct("<4s5H3I2H")
_ENCRYPTED = 0x1
# A sheet without formulas has a few dozen f's at most (its header and footer elements): past
# this many, formulas are looked for as a whole tag.
MAX_F_PROBES = 64
# The prefix a sheet's elements carry ("x:"), found once so every pattern after it starts with
# a literal: the regex engine then jumps between candidates instead of trying every byte.
_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b")
# Where an error cell is: its type attribute, as Excel, LibreOffice and openpyxl write it (no
# space around "=": searching for that literal is what keeps the scan cheap).
_ERROR_TYPE = re.compile(rb"\st=[\"']e[\"']")
_REFERENCE = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
# A hidden row or column: the attribute (Excel writes "1", some writers "true"), then the
# element holding it.
_HIDDEN = re.compile(rb"hidden\s*=\s*[\"'](?:1|true)[\"']")
_LINE = re.compile(rb"<(?:\w+:)?(?P<tag>row|col)\b(?P<attrs>[^>]*)>")


class HiddenCells:
    """The error and formula-only cells of each sheet of an open .xlsx archive, read when
    first asked for, or all at once by `stored_copy`; `close()` closes the archive. Each part
    read stops at `limit` bytes."""

    def __init__(self, archive: zipfile.ZipFile, limit: int) -> None:
        self.limit = limit
        self._archive = archive
        self._parts: dict[str, str] | None = None
        self._head = b""  # workbook.xml as far as _sheet_parts read it
        self._last: tuple[str, bytes] = ("", b"")  # the part read last, asked for twice
        self._inflated: dict[str, bytes] = {}  # by stored_copy

    def stored_copy(self) -> bytes | None:
        """The archive with its sheets inflated and stored uncompressed, each without its
        empty rows at the end (`without_empty_rows`; kept so for `of` and `hidden_lines`),
        workbook.xml cut after its sheets (`_sheets_only`), the parts calamine never opens
        left out (UNREAD_PARTS), every other part as it was (xlsx_copy): calamine reads that
        without inflating the sheets a second time, nor parsing what holds no cell.
        None when the archive has no file name, would need zip64, or does not read: calamine,
        reading the archive itself, then names the damage as it always has."""
        try:
            contents = self._contents
            if contents is None:
                return None
            stored: dict[zipfile.ZipInfo, bytes] = {}  # by their entry in the copy
            renewed: dict[zipfile.ZipInfo, zipfile.ZipInfo] = {}  # by the archive's entry
            for part in set(self._sheet_parts().values()):
                info = self._archive.NameToInfo.get(part)
                if info is not None and (xml := _inflate(contents, info, self.limit)) is not None:
                    short = without_empty_rows(xml)
                    # `of` and `hidden_lines` read it short too, half of what they would scan:
                    # the rows cut lie below calamine's cells, where the grid ends whatever
                    # they hide or hold (grid._grid), and hold no formula or value
                    self._inflated[part] = short
                    entry = renewed[info] = info if short is xml else _entry(part, short)
                    stored[entry] = short
            workbook = _sheets_only(self._head)
            if workbook is not None:
                entry = renewed[self._archive.NameToInfo[WORKBOOK_PART]] = _entry(
                    WORKBOOK_PART, workbook)
                stored[entry] = workbook
            parts = [renewed.get(part, part) for part in self._archive.infolist()
                     if not part.filename.startswith(UNREAD_PARTS)]
            return stored_copy(parts, stored, lambda info: _data(contents, info))
        except DAMAGED:
            return None

    def of(self, sheet: str) -> dict[Position, str]:
        """What each such cell of `sheet` (its name as calamine gives it) holds instead of a
        figure: an error ("#DIV/0!"), or a formula without its value ("=B9/C9").

        Raises one of DAMAGED for a damaged archive.
        """
        xml = self._xml(sheet)
        return hidden_cells(xml) if xml else {}

    def hidden_lines(self, sheet: str) -> tuple[frozenset[int], frozenset[int]]:
        """The rows and the columns (from 0) that `sheet` hides: a reader of the release does
        not see them. Raises as `of` does."""
        xml = self._xml(sheet)
        return hidden_lines(xml) if xml else (frozenset(), frozenset())

    def _xml(self, sheet: str) -> bytes:
        part = self._sheet_parts().get(sheet)
        if part is None or part not in self._archive.NameToInfo:
            return b""
        if part in self._inflated:
            return self._inflated[part]
        if self._last[0] != part:
            self._last = (part, self._sheet_xml(self._archive.NameToInfo[part]))
        return self._last[1]

    def _sheet_parts(self) -> dict[str, str]:
        if self._parts is None:
            self._parts, self._head = _sheet_parts(self._archive, self.limit)
        return self._parts

    def _sheet_xml(self, info: zipfile.ZipInfo) -> bytes:
        """A sheet's part, inflated in one call from its bytes in the archive's file (calamine
        has just read the same part, checking its CRC); through zipfile when the archive has
        no file name or the part is stored otherwise than plain or deflated."""
        contents = self._contents
        xml = _inflate(contents, info, self.limit) if contents is not None else None
        return xml if xml is not None else _read(self._archive, info.filename, self.limit)

    @cached_property
    def _contents(self) -> memoryview | None:
        """The archive's file, read whole once, to read parts raw from; None when the archive
        has no file name, or a file larger than `limit` (no workbook's is)."""
        if self._archive.filename is None:
            return None
        with open(self._archive.filename, "rb") as file:
            if os.fstat(file.fileno()).st_size > self.limit:
                return None
            return memoryview(file.read())

    def close(self) -> None:
        self._archive.close()


# The exceptions a damaged archive raises while a part is read (here, or by zipfile).
DAMAGED = (zipfile.BadZipFile, KeyError, zlib.error, EOFError, OSError, INFLATE_ERROR)


def hidden_cells(xml: bytes) -> dict[Position, str]:
    """The error and formula-only cells of one sheet's XML, by position."""
    prefix = _prefix(xml)
    cell, formula_only, value = _patterns(prefix)
    # (a sheet without an apostrophe, nearly all, is settled by one quick scan for t='e')
    # (rfind: searching backwards skips on the needle's first byte, rarer here than its last)
    single_quoted = b"'" in xml and xml.rfind(b"t='e'") >= 0
    # (formula_only starts with a literal, "<f": the regex engine jumps between formulas)
    if (xml.rfind(b't="e"') < 0 and not single_quoted
            and not (_has_formula(xml, prefix) and formula_only.search(xml))):
        return {}  # no error cell and no formula that ends its cell: most sheets
    found: dict[Position, str] = {}
    for match in formula_only.finditer(xml):
        # The formula must be the cell's first child too: nothing (no <v>) before it.
        start = xml.rfind(b"<" + prefix + b"c", 0, match.start())
        opened = cell.match(xml, start) if start >= 0 else None
        if opened is None or opened.end() != match.start():
            continue
        position = _position(opened.group("attrs"))
        if position is not None:
            text = _text(match.group("formula") or b"") or "(shared formula)"
            if len(text) > MAX_FORMULA_CHARS:
                text = text[: MAX_FORMULA_CHARS - 1] + "…"
            found[position] = f"={text}"
    for match in _ERROR_TYPE.finditer(xml):
        start = xml.rfind(b"<" + prefix + b"c", 0, match.start())
        opened = cell.match(xml, start) if start >= 0 else None
        if opened is None or opened.end() <= match.start():
            continue  # the attribute of another element
        position = _position(opened.group("attrs"))
        if position is not None:
            body = xml[opened.end() : xml.find(b"</" + prefix + b"c>", opened.end())]
            shown = value.search(body) if not opened.group().endswith(b"/>") else None
            found[position] = _text(shown.group(1)) if shown else "#ERROR"
    return found


def hidden_lines(xml: bytes) -> tuple[frozenset[int], frozenset[int]]:
    """The hidden rows and columns (from 0) of one sheet's XML: `<row r="9" hidden="1">`,
    `<col min="14" max="20" hidden="1"/>`."""
    rows: set[int] = set()
    columns: set[int] = set()
    if xml.rfind(b"hidden") < 0:  # most sheets: one quick scan, not the regex's
        return frozenset(), frozenset()
    for match in _HIDDEN.finditer(xml):
        start = xml.rfind(b"<", 0, match.start())
        element = _LINE.match(xml, start) if start >= 0 else None
        if element is None or element.end() < match.end():
            continue  # the attribute of another element (a sheet view, a filter)
        attrs = _attributes(element.group("attrs"))
        try:
            if element.group("tag") == b"row":
                rows.add(int(attrs["r"]) - 1)
            else:
                columns.update(range(int(attrs["min"]) - 1, int(attrs["max"])))
        except (KeyError, ValueError):
            continue  # a row without its number: Excel numbers it, so none in practice
    return frozenset(rows), frozenset(columns)


def _prefix(xml: bytes) -> bytes:
    """The namespace prefix of the sheet's elements ("x:" in `<x:sheetData>`), or b""."""
    at = xml.find(b"sheetData")
    if at < 0:
        return b""
    start = xml.rfind(b"<", 0, at)
    match = _SHEET_DATA.match(xml, start) if start >= 0 else None
    return (match.group(1) or b"") if match else b""


def _has_formula(xml: bytes, prefix: bytes) -> bool:
    """Whether the sheet may hold a formula: an `<f` element opening (with `prefix`).

    Most sheets hold none, and outside formulas a sheet's cells hardly use the letter f (a
    few dozen in its other elements): finding each f (memchr) and looking at the bytes before
    it is several times cheaper than searching for "<f", whose "<" opens every element.
    """
    tag = b"<" + prefix + b"f"
    before = len(tag) - 1
    at = xml.find(b"f")
    for _ in range(MAX_F_PROBES):
        if at < 0:
            return False
        if at >= before and xml.startswith(tag, at - before):
            return True
        at = xml.find(b"f", at + 1)
    # Text full of f's (inline strings): search for the tag itself from here.
    return at >= 0 and xml.find(tag, max(0, at - before)) >= 0


@cache
def _patterns(prefix: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    """For elements with `prefix`: a cell's opening tag (self-closed or not; it ends at its
    first child), a formula that is the last thing in its cell, and a value."""
    p = re.escape(prefix)
    cell = re.compile(rb"<" + p + rb"c\b(?P<attrs>[^>]*?)(?:/>|(?<!/)>\s*)")
    formula_only = re.compile(
        rb"<" + p + rb"f\b[^>]*?(?:/>|(?<!/)>(?P<formula>[^<]*)</" + p + rb"f>)\s*</" + p
        + rb"c>")
    value = re.compile(rb"<" + p + rb"v>([^<]*)</" + p + rb"v>")
    return cell, formula_only, value


def cell_position(reference: str) -> Position | None:
    """(row, column) of an A1 reference: "B9" is (8, 1); None for anything else."""
    match = _REFERENCE.fullmatch(reference)
    if match is None:
        return None
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, column - 1


def cell_name(row: int, column: int) -> str:
    """The A1 reference of (row, column): (8, 1) is "B9"."""
    return f"{column_letters(column)}{row + 1}"


@cache
def column_letters(column: int) -> str:
    """A column's letters (from 0): 3 is "D", 26 "AA"; cached, as every figure's reference
    starts with its column's."""
    letters, index = "", column + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_parts(archive: zipfile.ZipFile, limit: int) -> tuple[dict[str, str], bytes]:
    """Sheet name -> the part holding it ("xl/worksheets/sheet7.xml"); and workbook.xml as far
    as it was read for them, to the end of its sheets."""
    if WORKBOOK_PART not in archive.NameToInfo or RELATIONS_PART not in archive.NameToInfo:
        return {}, b""
    targets = {}
    for match in _RELATION.finditer(_read(archive, RELATIONS_PART, limit)):
        attrs = _attributes(match.group(1))
        if "Id" in attrs and "Target" in attrs:
            targets[attrs["Id"]] = attrs["Target"]
    parts = {}
    head = _read(archive, WORKBOOK_PART, limit, _END_OF_SHEETS)
    for match in _SHEET.finditer(head):
        attrs = _attributes(match.group(1))
        relation = next((v for k, v in attrs.items() if k.endswith(":id")), None)
        if "name" in attrs and relation in targets:
            parts[attrs["name"]] = _part(targets[relation])
    return parts, head


def _sheets_only(head: bytes) -> bytes | None:
    """workbook.xml up to the end of its sheets, closed: what calamine reads of it (the sheets,
    and the workbookPr with the date system, which the schema places before them), without the
    defined names after them, which python-calamine does not give and which in GSO's workbooks
    run to megabytes (9.6 MB over the shared folder's, a fifth of opening each). None when
    `head`, the start of the part, does not reach the end of the sheets."""
    end = _END_OF_SHEETS.search(head)
    root = _WORKBOOK_ROOT.search(head, 0, end.start()) if end is not None else None
    if end is None or root is None:
        return None
    return head[:end.end()] + b"</" + root.group(1) + b">"


def without_empty_rows(xml: bytes) -> bytes:
    """A sheet's XML without the rows after the last that holds a cell with anything in it (a
    value, a formula, a string); `xml` itself when there are none such.

    A cell that holds nothing is written self-closed (`<c r="B9" s="3"/>`, a style alone), so
    such rows follow the last `</c>`. Calamine parses them only to drop their cells, and in
    GSO's workbooks formatted empty rows run far below the tables: half of every sheet's XML
    (43 of the 88 MB in the shared folder's workbooks) and two thirds of its cells.
    """
    prefix = _prefix(xml)
    end = xml.rfind(b"</" + prefix + b"sheetData>")
    last = xml.rfind(b"</" + prefix + b"c>", 0, end) if end >= 0 else -1
    closed = b"</" + prefix + b"row>"
    cut = xml.find(closed, last, end) + len(closed) if last >= 0 else -1
    # Nothing closes in what is cut but rows: a cell with anything in it closes (`</c>`), so
    # none is lost whatever the file's prefixes, or a second sheetData.
    if cut < len(closed) or cut == end or _closing_but_row(prefix).search(xml, cut, end):
        return xml
    return xml[:cut] + xml[end:]


@cache
def _closing_but_row(prefix: bytes) -> re.Pattern[bytes]:
    """An end tag other than a row's, for elements with `prefix`."""
    return re.compile(rb"</(?!" + re.escape(prefix) + rb"row>)")


def _entry(name: str, data: bytes) -> zipfile.ZipInfo:
    """An entry for the part `name` holding `data` in place of what the archive holds."""
    info = zipfile.ZipInfo(name)
    info.CRC = inflating.crc32(data)
    return info


@cache
def _part(target: str) -> str:
    """The part a relationship's target names, from the archive's root; cached, as workbooks
    name their sheets alike ("worksheets/sheet7.xml" is "xl/worksheets/sheet7.xml")."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def _read(
    archive: zipfile.ZipFile, part: str, limit: int, until: re.Pattern[bytes] | None = None
) -> bytes:
    """The part's bytes, at most `limit`, stopping early once `until` is found."""
    if until is None:
        with archive.open(part) as handle:
            return handle.read(limit)
    data = bytearray()
    with archive.open(part) as handle:
        while len(data) < limit and (chunk := handle.read(CHUNK_BYTES)):
            data += chunk
            if until.search(data, max(0, len(data) - len(chunk) - 64)):
                break
    return bytes(data[:limit])


def _inflate(contents: memoryview, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    """The bytes of the deflated or stored part `info` of the archive `contents`: its data read
    whole and inflated in one call, where zipfile's reader goes through a stream; at most
    `limit` bytes, and no more than the part declares. None for a part this does not read
    (encrypted, or compressed another way). Raises zipfile.BadZipFile for a missing local
    header and EOFError for data cut short, as zipfile's reader does, and the inflater's
    error (INFLATE_ERROR, in DAMAGED) for data that does not inflate."""
    if info.flag_bits & _ENCRYPTED or info.compress_type not in (zipfile.ZIP_DEFLATED,
                                                                 zipfile.ZIP_STORED):
        return None
    raw = _data(contents, info)
    size = min(info.file_size, limit)
    if info.compress_type == zipfile.ZIP_STORED:
        data, ended = bytes(raw[:size]), len(raw) == info.compress_size
    else:
        inflater = inflating.decompressobj(-inflating.MAX_WBITS)
        # (a max_length of 0 is no bound at all: a part declaring no bytes is read as none)
        data = inflater.decompress(raw, size) if size else b""
        ended = inflater.eof
    if len(data) < size and not ended:
        raise EOFError(f"the data of {info.filename} is cut short")
    return data


def _data(contents: memoryview, info: zipfile.ZipInfo) -> memoryview:
    """The part's data as the archive `contents` holds it (compressed, or not), from behind its
    local header; shorter than the archive declares when the file ends first."""
    at = info.header_offset
    header = contents[at:at + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or bytes(header[:4]) != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for {info.filename}")
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    start = at + _LOCAL_HEADER.size + name_length + extra_length
    return contents[start:start + info.compress_size]


def _attributes(raw: bytes) -> dict[str, str]:
    # (findall: a workbook's relationships and sheets are thousands of attributes)
    return {name.decode("ascii", "replace"): _text(double or single)
            for name, double, single in _ATTRIBUTE.findall(raw)}


def _position(attrs: bytes) -> Position | None:
    reference = _attributes(attrs).get("r")
    return cell_position(reference) if reference else None


def _text(raw: bytes) -> str:
    """XML text with the five predefined entities, nothing more, turned back into characters."""
    text = raw.decode("utf-8", "replace")
    return unescape(text, {"&quot;": '"', "&apos;": "'"}) if "&" in text else text
