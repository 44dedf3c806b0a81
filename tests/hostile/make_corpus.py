"""Write the hostile-input corpus of tests/test_hostile.py into this folder.

Run `python tests/hostile/make_corpus.py` from the repository root; the files it writes are
committed, so the tests do not depend on running it. Every file is small (the corpus is well
under 2 MB); the zip bomb only *declares* gigabytes in its central directory. Bases are the
bundled mirror's files (a GSO workbook cut down to its IIP sheet, a World Bank page, an ECB
SDMX message) so the hostile part is the only thing wrong with each file.
"""

from __future__ import annotations

import json
import re
import struct
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MIRROR = ROOT / "flows" / "mirror"
GSO = MIRROR / "www.gso.gov.vn" / "wp-content" / "uploads" / "2024" / "10" / "2.Bieu-T9.2024.xlsx"
WB = (MIRROR / "api.worldbank.org" / "v2" / "country" / "VNM" / "indicator"
      / "NV.IND.MANF.ZS@format=json&per_page=1000&date=2000%3A2024")
ECB = (MIRROR / "data-api.ecb.europa.eu" / "service" / "data" / "EXR"
       / "M.CHF+GBP+JPY+USD.EUR.SP00.E@format=structurespecificdata")
SDMX_FIXTURES = ROOT / "tests" / "fixtures" / "sdmx"
SQL = "'); drop table observation; --"
PASSWD = 'SYSTEM "file:///etc/passwd"'

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="7.IIPthang" sheetId="1" r:id="rId1"/></sheets>'
    '</workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')


def write(name: str, data: bytes | str) -> None:
    (HERE / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def gso_parts(sheet_edit: dict[str, str] | None = None) -> dict[str, str]:
    """The September 2024 workbook cut down to its monthly IIP sheet; `sheet_edit` replaces
    cells of that sheet (`'D9': '<c r="D9" t="e"><v>#DIV/0!</v></c>'`)."""
    with zipfile.ZipFile(GSO) as book:
        sheet = book.read("xl/worksheets/sheet7.xml").decode("utf-8")
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
    for ref, cell in (sheet_edit or {}).items():
        sheet, n = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', cell, sheet, count=1)
        assert n == 1, ref
    return {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
            "xl/workbook.xml": WORKBOOK, "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
            "xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": strings}


def zipped(parts: dict[str, str], leave_out: str = "") -> bytes:
    path = HERE / ".tmp.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            if name != leave_out:
                archive.writestr(name, text)
    data = path.read_bytes()
    path.unlink()
    return data


def number(ref: str, value: str) -> str:
    return f'<c r="{ref}"><v>{value}</v></c>'


def zip_bomb() -> bytes:
    """A real .xlsx's parts plus one entry whose headers declare 4 GiB - 1 uncompressed: a few
    KB on disk that would unpack to gigabytes (the data itself is a deflate stream of zeros
    cut short, so nothing here can inflate much even if read)."""
    body = zipped(gso_parts())
    cut = body.rfind(b"PK\x01\x02", 0, body.rfind(b"PK\x05\x06"))
    central_start = struct.unpack("<I", body[body.rfind(b"PK\x05\x06") + 16:][:4])[0]
    locals_, central = body[:central_start], body[central_start:body.rfind(b"PK\x05\x06")]
    del cut
    name = b"xl/worksheets/sheet2.xml"
    data = zlib.compressobj(9, zlib.DEFLATED, -15).compress(b"\0" * 1_000_000)  # ~1 KB
    size = 0xFFFFFFFF
    crc = 0
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(data), size,
                        len(name), 0) + name + data
    offset = len(locals_)
    entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(data),
                        size, len(name), 0, 0, 0, 0, 0, offset) + name
    count = central.count(b"PK\x01\x02") + 1
    new_central = central + entry
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(new_central),
                      offset + len(local), 0)
    return locals_ + local + new_central + end


def make_workbooks() -> None:
    write("gso_truncated_real_60000.xlsx", GSO.read_bytes()[:60_000])  # a download cut short
    good = zipped(gso_parts())  # the IIP sheet alone, a valid workbook of ~15 kB
    write("gso_iip_only_reference.xlsx", good)  # loads: the base the hostile ones break
    for cut in (22, 1_000, len(good) // 2, len(good) - 30):
        write(f"gso_truncated_{cut}.xlsx", good[:cut])
    flipped = bytearray(good)
    for i in range(2_000, 3_000, 7):  # inside the sheet's deflate stream
        flipped[i] ^= 0xFF
    write("gso_flipped_bytes.xlsx", bytes(flipped))
    central = bytearray(good)
    at = good.rfind(b"PK\x01\x02")
    central[at:at + 46] = b"\xff" * 46  # the last central directory entry overwritten
    write("gso_central_directory_garbage.xlsx", bytes(central))
    write("gso_missing_sheet_part.xlsx", zipped(gso_parts(), leave_out="xl/worksheets/sheet1.xml"))
    write("gso_missing_shared_strings.xlsx", zipped(gso_parts(), leave_out="xl/sharedStrings.xml"))
    write("zip_bomb.xlsx", zip_bomb())
    write("empty.xlsx", b"")
    write("pdf_named.xlsx", b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n")
    write("html_error_page.xlsx", "<!DOCTYPE html><html><head><title>404 Not Found</title>"
          "</head><body><h1>Không tìm thấy trang</h1></body></html>")
    write("plain_text.xlsx", "Bieu so lieu thang 9 nam 2024\n")
    # Legacy .xls: the OLE2 signature and nothing else, a cut-down header, a garbled sector.
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    write("ole2_signature_only.xls", ole2)
    write("ole2_truncated_header.xls", ole2 + b"\0" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00")
    header = bytearray(ole2 + b"\0" * 504)
    header[0x1C:0x1E] = b"\xfe\xff"  # byte order
    header[0x1E:0x20] = b"\x09\x00"  # 512-byte sectors
    header[0x2C:0x30] = struct.pack("<I", 0xFFFFFF)  # sixteen million FAT sectors claimed
    write("ole2_absurd_fat.xls", bytes(header) + b"\xff" * 512)
    write("html_named.xls", "<html><body>Lỗi 500</body></html>")
    # GSO-shaped cells that are not figures.
    write("gso_error_cells.xlsx", zipped(gso_parts({
        "B9": '<c r="B9" t="e"><v>#DIV/0!</v></c>', "C9": '<c r="C9" t="e"><v>#REF!</v></c>',
        "D9": '<c r="D9" t="e"><v>#N/A</v></c>'})))
    write("gso_formula_no_value.xlsx", zipped(gso_parts({
        "D9": '<c r="D9"><f>1/0</f></c>', "E9": '<c r="E9" t="str"><f>A1&amp;B1</f><v>x</v></c>'})))
    write("gso_nan_inf.xlsx", zipped(gso_parts({"B9": number("B9", "NaN"),
                                                 "C9": number("C9", "INF"),
                                                 "D9": number("D9", "-inf")})))
    write("gso_absurd_values.xlsx", zipped(gso_parts({"B9": number("B9", "1e308"),
                                                       "C9": number("C9", "0"),
                                                       "D9": number("D9", "-5")})))
    write("gso_sql_label.xlsx", zipped(gso_parts({
        "A9": f'<c r="A9" t="inlineStr"><is><t>{SQL.replace("&", "&amp;")}</t></is></c>'})))


def make_sdmx() -> None:
    good = ECB.read_bytes()
    decl, rest = good.split(b"?>", 1) if good.startswith(b"<?xml") else (b"", good)
    prolog = decl + b"?>" if decl else b""
    laughs = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)]
    bomb = f"<!DOCTYPE lolz [{''.join(laughs)}]>".encode()
    write("billion_laughs.xml", prolog + bomb + rest.replace(b"<message:Name",
          b"<message:Name>&lol9;</message:Name><message:Name", 1))
    xxe = f'<!DOCTYPE m [<!ENTITY xxe {PASSWD}>]>'.encode()
    write("xxe_passwd.xml", prolog + xxe + rest.replace(b"<message:ID>", b"<message:ID>&xxe;", 1))
    # The same, with the DOCTYPE pushed past the first 4 KB by a comment.
    padding = b"<!--" + b" padding " * 600 + b"-->"
    write("xxe_after_padding.xml", prolog + padding + xxe + rest.replace(
        b"<message:ID>", b"<message:ID>&xxe;", 1))
    write("bomb_after_padding.xml", prolog + padding + bomb + rest.replace(
        b"<message:Name", b"<message:Name>&lol9;</message:Name><message:Name", 1))
    param = b'<!DOCTYPE m [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>'
    write("xxe_parameter_entity.xml", prolog + param + rest)
    write("sdmx_truncated.xml", good[: len(good) // 2])
    write("sdmx_html_error_page.xml", "<!DOCTYPE html><html><head><title>502 Bad Gateway"
          "</title></head><body>nginx</body></html>")
    write("sdmx_empty.xml", b"")
    unknown = SDMX_FIXTURES / "ECB_EXR_ng-ts-ss-unknown-code.xml"
    write("sdmx_unknown_code.xml", unknown.read_bytes())
    write("sdmx_structure.xml", (SDMX_FIXTURES / "ECB_EXR_ng-structure-codes.xml").read_bytes())
    text = good.decode("utf-8")
    values = iter(["NaN", "INF", "-1e308", "-5"])
    text = re.sub(r'OBS_VALUE="[^"]*"', lambda m: f'OBS_VALUE="{next(values, "1e308")}"', text)
    write("sdmx_nan_inf_absurd.xml", text)
    write("sdmx_deep.json", "[" * 100_000 + "]" * 100_000)


def make_worldbank() -> None:
    header, rows = json.loads(WB.read_text(encoding="utf-8"))
    rows = rows[:4]
    write("wb_error_array.json", json.dumps([{"message": [{"id": "120", "key": "Invalid value",
          "value": "The provided parameter value is not valid"}]}]))
    write("wb_deep.json", "[" * 100_000 + "]" * 100_000)
    write("wb_deep_object.json", '{"a":' * 50_000 + "1" + "}" * 50_000)
    write("wb_html_error_page.json", "<!DOCTYPE html><html><body><h1>Service Unavailable</h1>"
          "</body></html>")
    write("wb_empty.json", b"")
    write("wb_truncated.json", json.dumps([header, rows])[:300])
    odd = [dict(r) for r in rows]
    for row, value in zip(odd, ("@NaN", "@Infinity", "@-Infinity", "@1e999"), strict=True):
        row["value"] = value  # json.dumps quotes them; unquoted below, as a server would send
    write("wb_nan_infinity.json", re.sub(r'"@([^"]*)"', r"\1", json.dumps([header, odd])))
    absurd = [dict(r) for r in rows]
    for row, figure in zip(absurd, (1e308, -5, 0, "12,5"), strict=True):
        row["value"] = figure
    write("wb_absurd_values.json", json.dumps([header, absurd]))
    sql = [dict(r) for r in rows]
    sql[0]["indicator"] = {"id": SQL, "value": SQL}
    sql[1]["countryiso3code"] = SQL
    write("wb_sql_codes.json", json.dumps([header, sql]))


MAPPING = (
    '[table]\nnumbers = "vi"\n'
    '[period]\ncolumn = "period"\nformat = "YYYY-MM"\ntype = "M"\n'
    '[constants]\ngeo = "VN-31"\nstatus = "official"\nunit = "PCT"\nmeasure = "share"\n'
    '[columns]\nproduct = "kind"\n'
    '[labels.product]\nKCN = "IND_PARK"\n'
    '[[values]]\ncolumn = "value"\nindicator = "IND_PARK_OCCUPANCY"\n')


PASSWD = ("root:x:0:0:root:/root:/bin/bash\n"
          "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")


def make_files() -> None:
    write("mapping.toml", MAPPING)
    write("mapping_level.toml", MAPPING.replace('unit = "PCT"\nmeasure = "share"',
                                                'unit = "HA"\nmeasure = "level"'))
    write("mapping_missing_column.toml", MAPPING.replace('column = "value"', 'column = "ty_le"'))
    write("mapping_not_toml.toml", "[table\nnumbers = vi\n<<<<<<< HEAD\n")
    write("mapping_binary.toml", b"\x00\xff\xfe\x00PK\x03\x04")
    write("mapping_passwd.toml", PASSWD)  # `--mapping /etc/passwd`: must leave no copy behind
    good = "kind,period,value\nKCN,2024-09,\"85,5\"\n"
    write("table_good_reference.csv", good)  # never loaded: documents the shape the others break
    write("table_cp1258.csv", "kind,period,value,ghi_chú\nKCN,2024-09,\"85,5\",Đô\u0300 Sơn\n"
          .encode("cp1258"))
    write("table_utf16.csv", good.encode("utf-16"))
    write("table_sql_label.csv", f"kind,period,value\nKCN,2024-08,\"85,5\"\n"
          f"\"{SQL}\",2024-09,\"85,5\"\n")
    write("table_sql_value.csv", f"kind,period,value\nKCN,2024-09,\"{SQL}\"\n")
    write("table_nan_inf.csv", "kind,period,value\nKCN,2024-06,NaN\nKCN,2024-07,inf\n"
          "KCN,2024-08,-Infinity\n")
    write("table_absurd.csv", "kind,period,value\nKCN,2024-07,1e308\nKCN,2024-08,-5\n"
          "KCN,2024-09,1e400\n")
    write("table_empty.csv", b"")
    write("table_html.csv", "<!DOCTYPE html><html><body>403 Forbidden</body></html>")
    write("table_binary.csv", b"\x00\x01\x02PK\x03\x04\xff\xfe")
    write("table_huge_field.csv", "kind,period,value\nKCN,2024-09," + "9" * 200_000 + "\n")


def make_press() -> None:
    article = ("Tình hình kinh tế thành phố Hải Phòng tháng 9 năm 2024\n"
               "Chỉ số sản xuất công nghiệp tháng 9 năm 2024 của thành phố Hải Phòng ước tăng "
               "15,14% so với cùng kỳ năm trước.\n")
    write("press_latin1.txt", "Économie: la production industrielle de Hai Phong".encode(
        "latin-1") + " a augmenté de 15 % en septembre 2024 à Hai Phòng.".encode("latin-1"))
    # TCVN3 (ABC) bytes of an article: single-byte Vietnamese, not UTF-8.
    tcvn3 = ("<html><head><meta charset=\"TCVN3\"></head><body><p>Chỉ số sản xuất công nghiệp "
             "tháng 9/2024 của thành phố Hải Phòng ước tăng 15,14%</p></body></html>")
    write("press_tcvn3.html", tcvn3.encode("utf-8").replace("ỉ".encode(), b"\xb6").replace(
        "ả".encode(), b"\xb6").replace("ấ".encode(), b"\xca").replace("ệ".encode(), b"\xd6")
        .replace("ố".encode(), b"\xe8").replace("ô".encode(), b"\xab").replace(
        "á".encode(), b"\xb8").replace("ủ".encode(), b"\xf1").replace("à".encode(), b"\xb5")
        .replace("ố".encode(), b"\xe8").replace("ò".encode(), b"\xe3").replace(
        "ớ".encode(), b"\xed").replace("ă".encode(), b"\xa8").replace("ư".encode(), b"\xad"))
    write("press_utf16.txt", article.encode("utf-16"))
    write("press_sql_sentence.txt", article + f"Sản lượng {SQL} tháng 9 năm 2024 của thành phố "
          "Hải Phòng ước tăng 12,5% so với cùng kỳ năm trước.\n")
    write("press_empty.txt", b"")
    write("press_binary.txt", b"%PDF-1.4\n\x00\x00\x00binary")
    write("press_no_place.txt", "Chỉ số sản xuất công nghiệp tháng 9 năm 2024 ước tăng 15,14%.\n")
    write("press_nan.txt", article.replace("15,14%", "NaN%") + "Xuất khẩu tháng 9 năm 2024 "
          "của thành phố Hải Phòng đạt 1e308 triệu USD, tăng -5% so với cùng kỳ.\n")


if __name__ == "__main__":
    for old in HERE.iterdir():
        if old.is_file() and old.name not in ("make_corpus.py", "README.md"):
            old.unlink()
    make_workbooks()
    make_sdmx()
    make_worldbank()
    make_files()
    make_press()
    files = [p for p in HERE.iterdir() if p.name != "make_corpus.py"]
    print(f"{len(files)} files, {sum(p.stat().st_size for p in files):,} bytes")
