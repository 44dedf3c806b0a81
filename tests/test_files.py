"""The `files` source: an analyst's CSV or Excel table read through its TOML mapping, and its
first user, the register of Hải Phòng's industrial parks in flows/reference/registers/."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb
import pytest

from flows.archive import Archive
from flows.core.config import REFERENCE_DIR
from flows.core.errors import MappingError
from flows.core.model import ReleaseRef
from flows.core.periods import month
from flows.normalise.table import parse_number, period_of
from flows.pipeline import Outcome, load_archived, read_release, store_local
from flows.readers.table.mapping import load_mapping
from flows.sources.base import Contents
from flows.sources.files import SOURCE
from warehouse.connect import writer

REGISTERS = REFERENCE_DIR / "registers"
PARKS = REGISTERS / "haiphong_industrial_parks.csv"
PARKS_MAPPING = REGISTERS / "haiphong_industrial_parks.toml"
TOTALS = REGISTERS / "haiphong_industrial_park_totals.csv"
TOTALS_MAPPING = REGISTERS / "haiphong_industrial_park_totals.toml"
ARTICLE_DAY = "2024-10-15"  # the seed article's publication date


def read(paths: list[Path], ref: ReleaseRef) -> Contents:
    return read_release(SOURCE, paths, ref)


def ref_for(table: Path, mapping: Path, published: str) -> ReleaseRef:
    """The release `chiso ingest files` makes of a table and its mapping."""
    return ReleaseRef("files", "local-file", "", datetime.fromisoformat(published), "",
                      title=table.name, parts=(mapping.name,))


def ingest(table: Path, mapping: Path, published: str, archive_root: Path) -> Outcome:
    archived = store_local([table, mapping], ref_for(table, mapping, published),
                           Archive(archive_root))
    with writer() as session:
        return load_archived(archived, session)


def latest(con: duckdb.DuckDBPyConnection, indicator: str) -> dict[date, float]:
    """The series' current values by the last day of their period (all VN-31, monthly)."""
    rows = con.execute(
        "select period_end, value from v_latest where indicator = ? and geo = 'VN-31' "
        "and period_type = 'M' order by period_end", [indicator]).fetchall()
    return dict(rows)


def copy_with(source: Path, target: Path, old: str = "", new: str = "", extra: str = "") -> Path:
    """`source` with one text replaced and rows appended, written to `target`."""
    text = source.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1) + extra, encoding="utf-8")
    return target


# --- the register as shipped ---------------------------------------------------------------------


def test_the_register_gives_the_articles_series(warehouse_env: Path, tmp_path: Path) -> None:
    totals = ingest(TOTALS, TOTALS_MAPPING, ARTICLE_DAY, tmp_path / "archive")
    parks = ingest(PARKS, PARKS_MAPPING, ARTICLE_DAY, tmp_path / "archive")
    assert (totals.status, totals.reported, totals.quarantined) == ("new", 4, 0)
    assert (parks.status, parks.reported, parks.quarantined) == ("new", 2, 0)
    september = date(2024, 9, 30)
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert latest(con, "IND_PARKS_OPERATING") == {september: 14}
        assert latest(con, "IND_CLUSTERS_OPERATING") == {september: 6}
        assert latest(con, "IND_PARKS_PLANNED") == {september: 15}
        assert latest(con, "IND_PARKS_PLANNED_AREA") == {september: 6200}
        assert latest(con, "IND_PARK_OCCUPANCY") == {september: 100}
        assert latest(con, "IND_CLUSTER_OCCUPANCY") == {september: 100}
        assert con.execute(
            "select reference_period, published_at, file_name from release order by file_name"
        ).fetchall() == [
            ("2024-09", datetime(2024, 10, 15), "haiphong_industrial_park_totals.csv"),
            ("2024-09", datetime(2024, 10, 15), "haiphong_industrial_parks.csv"),
        ]
        keys = dict(con.execute(
            "select series_key, provenance || ' ' || decimals from v_vintages").fetchall())
        # "6.200 ha" as the article writes it: 6,200 hectares, no decimals, from cell D4.
        assert keys["IND_PARKS_PLANNED_AREA.VN-31._Z._Z._Z.LEVEL.HA"] == (
            "haiphong_industrial_park_totals.csv!D4 0")
        assert keys["IND_PARK_OCCUPANCY.VN-31._Z._Z._Z.SHARE.PCT"] == (
            "haiphong_industrial_parks.csv!D2:D5: mean of occupancy_pct where kind = KCN, "
            "status = operating 0")
        assert con.execute("select count(*) from quarantine").fetchone() == (0,)


def test_the_register_holds_only_what_the_article_names() -> None:
    text = PARKS.read_text(encoding="utf-8").splitlines()
    assert len(text) == 1 + 4 + 3  # header, 4 parks and 3 clusters named as essentially full
    contents = read([PARKS, PARKS_MAPPING], ref_for(PARKS, PARKS_MAPPING, ARTICLE_DAY))
    # No count comes from the register: it names 4 of the 14 parks, and "(1 + 2)" rows may
    # each stand for two. The counts are the article's own, in the totals table.
    assert {o.indicator for o in contents.observations} == {
        "IND_PARK_OCCUPANCY", "IND_CLUSTER_OCCUPANCY"}


# --- failures and quarantine ---------------------------------------------------------------------


def test_a_mapping_naming_a_missing_column_fails_its_release_alone(
    warehouse_env: Path, tmp_path: Path
) -> None:
    ingest(PARKS, PARKS_MAPPING, ARTICLE_DAY, tmp_path / "archive")
    mapping = copy_with(TOTALS_MAPPING, tmp_path / "totals_typo.toml",
                        'column = "area_ha"', 'column = "area"')
    failed = ingest(TOTALS, mapping, ARTICLE_DAY, tmp_path / "archive")
    assert failed.status == "failed"
    assert failed.message == (
        "totals_typo.toml: [[values]] #4 column names column 'area', which "
        "haiphong_industrial_park_totals.csv lacks; its columns (header row 1) are: kind, "
        "status, parks, area_ha, as_of, note")
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert con.execute("select count(*) from release").fetchone() == (1,)
        assert con.execute("select file_name, error from load_failure").fetchall() == [
            ("haiphong_industrial_park_totals.csv", "MappingError")]
        assert latest(con, "IND_PARK_OCCUPANCY") == {date(2024, 9, 30): 100}
        assert latest(con, "IND_PARKS_OPERATING") == {}


# Slips in Tràng Duệ's row (row 3): "1OO" with letter O; a date typed the other way round.
@pytest.mark.parametrize(
    ("typed", "cell", "column", "code", "said"),
    [
        ("1OO,operating,2024-09-30", "D3", "occupancy_pct", "value-unparseable",
         "'1OO' is not a number as haiphong_industrial_parks.toml says this file writes them"),
        ("100,operating,30/09/2024", "F3", "as_of", "period-unparseable",
         "'30/09/2024' is not a period in format '%Y-%m-%d'"),
    ],
    ids=["number", "date"],
)
def test_an_unreadable_cell_is_quarantined_with_its_row(
    typed: str, cell: str, column: str, code: str, said: str, warehouse_env: Path,
    tmp_path: Path,
) -> None:
    slip = copy_with(PARKS, tmp_path / "haiphong_industrial_parks.csv",
                     "Tràng Duệ (1 + 2),KCN,,100,operating,2024-09-30",
                     f"Tràng Duệ (1 + 2),KCN,,{typed}")
    outcome = ingest(slip, PARKS_MAPPING, ARTICLE_DAY, tmp_path / "archive")
    assert (outcome.status, outcome.quarantined) == ("new", 1)
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        rejected = con.execute(
            "select sheet, cell, label, raw, error_code, message from quarantine").fetchall()
        assert len(rejected) == 1
        sheet, at, label, raw, error, message = rejected[0]
        assert (sheet, at, label, error) == ("haiphong_industrial_parks.csv", cell, column, code)
        assert raw.startswith(f"name=Tràng Duệ (1 + 2); kind=KCN; occupancy_pct={typed[:3]}; ")
        assert message.startswith(f"haiphong_industrial_parks.csv row 3, column {column}: {said}")
        # The mean is of the other three parks, whose occupancy is known.
        assert con.execute(
            "select value, provenance from v_latest where indicator = 'IND_PARK_OCCUPANCY'"
        ).fetchall() == [(100.0, "haiphong_industrial_parks.csv!D2,D4:D5: mean of "
                                 "occupancy_pct where kind = KCN, status = operating")]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('numbers = "vi"', 'numbers = "fr"',
         "[table] numbers must be one of vi, en, native (decided for the whole file), found 'fr'"),
        ('format = "%Y-%m-%d"', 'format = "DD/MM/YYYY"',
         "[period] format 'DD/MM/YYYY' is not one of YYYY-MM, YYYY, vi nor a strptime pattern"),
        ('unit = "COUNT"', 'units = "COUNT"', "unknown key 'units' in [[values]] #1; expected"),
        ('status = "official"', 'status = "final"', "'final' is not a status"),
        ('geo = "VN-31"', 'geo = "Hải Phòng"', "'Hải Phòng' is not a geography code"),
        ('indicator = "IND_PARKS_PLANNED_AREA"', "",
         "[[values]] #4 has no indicator; set it in the entry, in [constants] or in [columns]"),
    ],
    ids=["number-format", "period-format", "unknown-key", "status", "geo", "no-indicator"],
)
def test_a_bad_mapping_is_a_clear_error(old: str, new: str, expected: str, tmp_path: Path) -> None:
    mapping = copy_with(TOTALS_MAPPING, tmp_path / "totals.toml", old, new)
    with pytest.raises(MappingError) as error:
        load_mapping(mapping)
    assert str(error.value).startswith("totals.toml: ") and expected in str(error.value)


def test_a_table_without_its_mapping_or_with_native_csv_numbers_is_refused(
    tmp_path: Path,
) -> None:
    with pytest.raises(MappingError, match="needs the mapping that says how to read the table"):
        read([TOTALS], ref_for(TOTALS, TOTALS_MAPPING, ARTICLE_DAY))
    native = copy_with(TOTALS_MAPPING, tmp_path / "totals.toml", 'numbers = "vi"',
                       'numbers = "native"')
    with pytest.raises(MappingError, match='numbers = "native" is for Excel cells'):
        read([TOTALS, native], ref_for(TOTALS, native, ARTICLE_DAY))


# --- number and period formats -------------------------------------------------------------------


def test_numbers_are_read_by_the_files_format_never_guessed() -> None:
    assert parse_number("6.200", "vi") == parse_number("6,200", "en")
    assert (parse_number("6.200", "vi").value, parse_number("6.200", "vi").decimals) == (6200, 0)
    assert parse_number("6.200", "en").value == 6.2  # the same text, the other convention
    assert (parse_number("26.351,9", "vi").value, parse_number("26.351,9", "vi").decimals) == (
        26351.9, 1)
    assert parse_number("26,351.9", "en").value == 26351.9
    assert parse_number("", "vi") is None and parse_number("-", "en") is None
    assert parse_number(6200.0, "native").decimals is None  # an Excel number is exact
    for text, style in (("1.5", "vi"), ("26.351.9", "en"), ("6200", "native"), ("6 200", "vi")):
        with pytest.raises(ValueError):
            parse_number(text, style)


def test_an_english_csv_reads_the_same_figures(tmp_path: Path) -> None:
    table = copy_with(TOTALS, tmp_path / "totals_en.csv", "15,6.200,", '15,"6,200",')
    mapping = copy_with(TOTALS_MAPPING, tmp_path / "totals_en.toml", 'numbers = "vi"',
                        'numbers = "en"')
    contents = read([table, mapping], ref_for(table, mapping, ARTICLE_DAY))
    area = [o for o in contents.observations if o.indicator == "IND_PARKS_PLANNED_AREA"]
    assert [(o.value, o.provenance) for o in area] == [(6200.0, "totals_en.csv!D4")]


def test_periods_in_each_declared_format() -> None:
    assert str(period_of("2024-09-30", "%Y-%m-%d", "M")) == "2024-09"
    assert str(period_of("30/09/2024", "%d/%m/%Y", "Q")) == "2024-Q3"
    assert str(period_of("2024-09", "YYYY-MM", "M")) == "2024-09"
    assert str(period_of("quý III/2024", "vi", "M")) == "2024-Q3"
    assert str(period_of("9 tháng năm 2024", "vi", "M")) == "2024-YTD09"
    assert str(period_of(2024.0, "YYYY", "A")) == "2024"
    with pytest.raises(ValueError):
        period_of("30/09/2024", "%Y-%m-%d", "M")


# --- aggregations ----------------------------------------------------------------------------


def test_count_by_a_columns_value_and_no_partial_sums(tmp_path: Path) -> None:
    mapping = tmp_path / "by_kind.toml"
    mapping.write_text(
        '[table]\nnumbers = "vi"\n'
        '[period]\ncolumn = "as_of"\nformat = "%Y-%m-%d"\n'
        '[constants]\ngeo = "VN-31"\nstatus = "official"\n'
        '[columns]\nproduct = "kind"\n'
        '[labels.product]\nKCN = "IND_PARK"\nCCN = "IND_CLUSTER"\n'
        '[[aggregations]]\nfunction = "count"\nindicator = "NAMED_IN_SOURCE"\nunit = "COUNT"\n'
        '[[aggregations]]\nfunction = "sum"\ncolumn = "area_ha"\nindicator = "AREA"\n'
        'unit = "HA"\n', encoding="utf-8")
    counted = read([PARKS, mapping], ref_for(PARKS, mapping, ARTICLE_DAY))
    assert sorted((o.product, o.value, o.provenance) for o in counted.observations) == [
        ("IND_CLUSTER", 3.0, "haiphong_industrial_parks.csv!6:8: count of rows"),
        ("IND_PARK", 4.0, "haiphong_industrial_parks.csv!2:5: count of rows"),
    ]  # and no AREA: no park's area is known, so no sum is claimed
    summed = read([TOTALS, mapping], ref_for(TOTALS, mapping, ARTICLE_DAY))
    # Only the planned parks' area is known: summing all parks' areas would understate.
    assert [(o.product, o.value) for o in summed.observations if o.indicator == "AREA"] == []
    assert [(r.code, r.cell, r.raw) for r in summed.rejected] == [
        ("aggregate-incomplete", "D2", "rows without a value: 2")]
    # A label the mapping cannot code quarantines its row rather than counting it elsewhere.
    no_ccn = copy_with(mapping, tmp_path / "no_ccn.toml", 'CCN = "IND_CLUSTER"\n')
    partial = read([PARKS, no_ccn], ref_for(PARKS, no_ccn, ARTICLE_DAY))
    assert [(o.product, o.value) for o in partial.observations] == [("IND_PARK", 4.0)]
    assert [(r.code, r.cell) for r in partial.rejected] == [
        ("unknown-label", "B6"), ("unknown-label", "B7"), ("unknown-label", "B8")]
    assert partial.rejected[0].message == (
        "haiphong_industrial_parks.csv row 6, column kind: 'CCN' cannot be the product: no code "
        "in [labels] for it; correct the cell or add the label to [labels.product] in "
        "no_ccn.toml")


# --- Excel -----------------------------------------------------------------------------------


def test_an_excel_table_read_with_a_mapping(tmp_path: Path) -> None:
    # The totals as a workbook: a title, a blank row, the header in row 3, native numbers and
    # date cells, as an analyst's Excel sheet keeps them.
    rows = [
        ["Khu, cụm công nghiệp trên địa bàn thành phố Hải Phòng"],
        [],
        ["kind", "status", "parks", "area_ha", "as_of"],
        ["KCN", "operating", 14, None, date(2024, 9, 30)],
        ["CCN", "operating", 6, None, date(2024, 9, 30)],
        ["KCN", "planned", 15, 6200, date(2024, 9, 30)],
    ]
    workbook = write_xlsx(tmp_path / "khu_cong_nghiep.xlsx", "Tổng hợp", rows)
    mapping = copy_with(TOTALS_MAPPING, tmp_path / "khu_cong_nghiep.toml",
                        'numbers = "vi"', 'numbers = "native"\nsheet = "Tổng hợp"\nheader_row = 3')
    contents = read([workbook, mapping], ref_for(workbook, mapping, ARTICLE_DAY))
    assert contents.rejected == [] and contents.reference_period == "2024-09"
    assert [(o.indicator, o.value, o.decimals, o.provenance, o.period)
            for o in contents.observations] == [
        ("IND_PARKS_OPERATING", 14.0, None, "Tổng hợp!C4", month(2024, 9)),
        ("IND_CLUSTERS_OPERATING", 6.0, None, "Tổng hợp!C5", month(2024, 9)),
        ("IND_PARKS_PLANNED", 15.0, None, "Tổng hợp!C6", month(2024, 9)),
        ("IND_PARKS_PLANNED_AREA", 6200.0, None, "Tổng hợp!D6", month(2024, 9)),
    ]
    wrong_sheet = copy_with(mapping, tmp_path / "wrong_sheet.toml", "Tổng hợp", "KCN")
    with pytest.raises(MappingError, match=r"sheet 'KCN' is not in khu_cong_nghiep.xlsx; its "
                                           r"sheets are: Tổng hợp"):
        read([workbook, wrong_sheet], ref_for(workbook, wrong_sheet, ARTICLE_DAY))


def write_xlsx(path: Path, sheet: str, rows: list[list[object]]) -> Path:
    """A minimal .xlsx: inline strings, numbers, and dates styled with Excel's format 14."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    body = "".join(
        f'<row r="{r}">' + "".join(cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(row)
                                   if v is not None) + "</row>"
        for r, row in enumerate(rows, start=1))
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            f'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            f'"{ct}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
            f'"{ct}.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="{ct}.styles'
            '+xml"/></Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship '
            f'Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets>'
            f'<sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship '
            f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship '
            f'Id="rId2" Type="{rel}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {ns}><cellXfs count="2"><xf '
            'numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>{body}'
            "</sheetData></worksheet>"),
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


def cell(ref: str, value: object) -> str:
    if isinstance(value, date):  # Excel's serial day: 1 = 1900-01-01, with its 1900 leap day
        return f'<c r="{ref}" s="1"><v>{(value - date(1899, 12, 30)).days}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


# --- history ---------------------------------------------------------------------------------

# TEST FIXTURE, not a claim about Hải Phòng: a register kept with history, the shipped rows of
# 2024-09-30 followed by a made-up snapshot of 2024-12-31 in which Đồ Sơn's occupancy is 95 and
# one planned park has opened (15 operating, 14 planned, their area not restated).
LATER_PARKS = """\
Nomura,KCN,,100,operating,2024-12-31,test fixture
Tràng Duệ (1 + 2),KCN,,100,operating,2024-12-31,test fixture
Đình Vũ (1 + 2),KCN,,100,operating,2024-12-31,test fixture
Đồ Sơn,KCN,,95,operating,2024-12-31,test fixture: occupancy changed
Vĩnh Niệm,CCN,,100,operating,2024-12-31,test fixture
Tân Liên,CCN,,100,operating,2024-12-31,test fixture
An Lão,CCN,,100,operating,2024-12-31,test fixture
"""
LATER_TOTALS = """\
KCN,operating,15,,2024-12-31,test fixture: one planned park opened
CCN,operating,6,,2024-12-31,test fixture
KCN,planned,14,,2024-12-31,test fixture: area not restated
"""


def test_a_later_register_adds_vintages(warehouse_env: Path, tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    ingest(TOTALS, TOTALS_MAPPING, ARTICLE_DAY, archive)
    ingest(PARKS, PARKS_MAPPING, ARTICLE_DAY, archive)
    parks = copy_with(PARKS, tmp_path / "haiphong_industrial_parks.csv", extra=LATER_PARKS)
    totals = copy_with(TOTALS, tmp_path / "haiphong_industrial_park_totals.csv",
                       extra=LATER_TOTALS)
    later = [ingest(totals, TOTALS_MAPPING, "2025-01-15", archive),
             ingest(parks, PARKS_MAPPING, "2025-01-15", archive)]
    # Only the new snapshot adds vintages: the repeated 2024-09-30 rows add nothing.
    assert [(o.status, o.reference_period, o.reported, o.added) for o in later] == [
        ("new", "2024-12", 7, 3), ("new", "2024-12", 4, 2)]
    september, december = date(2024, 9, 30), date(2024, 12, 31)
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert latest(con, "IND_PARKS_OPERATING") == {september: 14, december: 15}
        assert latest(con, "IND_PARKS_PLANNED") == {september: 15, december: 14}
        assert latest(con, "IND_CLUSTERS_OPERATING") == {september: 6, december: 6}
        assert latest(con, "IND_PARK_OCCUPANCY") == {september: 100, december: 98.75}
        assert latest(con, "IND_PARKS_PLANNED_AREA") == {september: 6200}  # none claimed later
        vintages = con.execute(
            "select period_end, value, valid_from from v_vintages "
            "where indicator = 'IND_PARKS_OPERATING' order by period_end").fetchall()
        assert vintages == [(september, 14, datetime(2024, 10, 15)),
                            (december, 15, datetime(2025, 1, 15))]
        before = con.execute(
            "select count(*) from as_of('2024-12-31') where indicator like 'IND_%'").fetchone()
        assert before == (6,)  # what the warehouse knew before the later register


def test_reloading_the_same_files_loads_nothing(warehouse_env: Path, tmp_path: Path) -> None:
    first = ingest(PARKS, PARKS_MAPPING, ARTICLE_DAY, tmp_path / "archive")
    again = ingest(PARKS, PARKS_MAPPING, ARTICLE_DAY, tmp_path / "archive")
    assert (first.status, again.status) == ("new", "unchanged")
    assert again.release_id == first.release_id
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert con.execute("select count(*) from release").fetchone() == (1,)
    # The archive holds the table and its mapping under one release: it alone rebuilds it.
    entries = Archive(tmp_path / "archive").entries()
    assert {e.path.read_bytes() for e in entries} == {PARKS.read_bytes(),
                                                      PARKS_MAPPING.read_bytes()}
    assert {e.ref.parts for e in entries} == {("haiphong_industrial_parks.toml",)}


# --- the command line ------------------------------------------------------------------------


def test_ingest_a_register_from_the_command_line(
    warehouse_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.present.cli import main

    argv = ["ingest", "files", "--file", str(TOTALS), "--mapping", str(TOTALS_MAPPING),
            "--published-at", ARTICLE_DAY]
    assert main(argv) == 0
    assert "1 new, 0 unchanged, 0 failed" in capsys.readouterr().out
    assert main(argv) == 0
    assert "nothing new" in capsys.readouterr().out
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert latest(con, "IND_PARKS_OPERATING") == {date(2024, 9, 30): 14}
        assert latest(con, "IND_PARKS_PLANNED_AREA") == {date(2024, 9, 30): 6200}
        assert con.execute("select source, file_name from release").fetchall() == [
            ("files", "haiphong_industrial_park_totals.csv")]
