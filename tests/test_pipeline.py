"""The path of a release as plain functions: archive, read, load, publish, and bad input."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flows.archive import Archive
from flows.core.model import ReleaseRef
from flows.pipeline import Outcome, load_archived
from warehouse.connect import writer

from samples import AUGUST_2024, SEPTEMBER_2024

IIP_TOTAL_YOY = "IIP.VN._T._Z._Z.INDEX_YOY.INDEX"
EXPORTS_TOTAL = "EXPORTS.VN._Z._T._Z.LEVEL.USD_MN"


def ingest(path: Path, published: str, period: str, archive_root: Path) -> Outcome:
    ref = ReleaseRef("gso", "local-file", "", datetime.fromisoformat(published), period,
                     title=path.name)
    archived = [Archive(archive_root).store_local(path, ref)]
    with writer() as session:
        return load_archived(archived, session)


def value(con: duckdb.DuckDBPyConnection, view: str, key: str, period: str, ptype: str) -> float:
    """The value of a series for a month ("2024-09-01", "M") or a year to date ending in the
    given month ("2024-09-01", "YTD" means January to September)."""
    row = con.execute(
        f"select value from {view} where series_key = ? and period_type = ? and "
        "date_trunc('month', period_end) = ?::date",
        [key, ptype, period],
    ).fetchone()
    assert row is not None, f"{key} {period} {ptype} missing from {view}"
    return float(row[0])


def test_september_2024_figures_as_published(warehouse_env: Path, tmp_path: Path) -> None:
    outcome = ingest(SEPTEMBER_2024, "2024-10-06", "2024-09", tmp_path / "archive")
    assert outcome.status == "new" and outcome.quarantined == 0
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert value(con, "v_latest", IIP_TOTAL_YOY, "2024-09-01", "M") == 110.84
        assert value(con, "v_latest", IIP_TOTAL_YOY, "2024-09-01", "YTD") == 108.64
        assert round(value(con, "v_latest", EXPORTS_TOTAL, "2024-09-01", "M"), 1) == 34049.6
        assert round(value(con, "v_latest", EXPORTS_TOTAL, "2024-09-01", "YTD"), 1) == 299625.1
        industries = con.execute(
            "select count(distinct industry) from v_latest where indicator = 'IIP'"
        ).fetchone()
        assert industries == (37,)  # whole industry, 4 sections, 32 divisions in the table


def test_a_revision_keeps_the_first_release(warehouse_env: Path, tmp_path: Path) -> None:
    ingest(AUGUST_2024, "2024-09-06", "2024-08", tmp_path / "archive")
    ingest(SEPTEMBER_2024, "2024-10-06", "2024-09", tmp_path / "archive")
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert value(con, "v_first_release", IIP_TOTAL_YOY, "2024-08-01", "M") == 109.5
        assert value(con, "v_latest", IIP_TOTAL_YOY, "2024-08-01", "M") == 108.38
        as_of = con.execute(
            "select value from as_of('2024-09-30') where series_key = ? and period_start = ?"
            " and period_type = 'M'", [IIP_TOTAL_YOY, "2024-08-01"]).fetchone()
        assert as_of == (109.5,)
        revision = con.execute(
            "select previous_value, value, lag_days from v_revisions where series_key = ? "
            "and period_start = '2024-08-01' and period_type = 'M'", [IIP_TOTAL_YOY]).fetchone()
        assert revision == (109.5, 108.38, 30)


def test_out_of_order_loads_land_in_publication_order(warehouse_env: Path, tmp_path: Path) -> None:
    ingest(SEPTEMBER_2024, "2024-10-06", "2024-09", tmp_path / "archive")
    late = ingest(AUGUST_2024, "2024-09-06", "2024-08", tmp_path / "archive")
    assert late.status == "new"
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert value(con, "v_first_release", IIP_TOTAL_YOY, "2024-08-01", "M") == 109.5
        assert value(con, "v_latest", IIP_TOTAL_YOY, "2024-08-01", "M") == 108.38
        in_order = con.execute(
            "select count(*) from observation o join release r using (release_id) "
            "where o.valid_from <> r.published_at or o.valid_to <= o.valid_from").fetchone()
        assert in_order == (0,)


def test_loading_the_same_file_again_changes_nothing(warehouse_env: Path, tmp_path: Path) -> None:
    ingest(SEPTEMBER_2024, "2024-10-06", "2024-09", tmp_path / "archive")
    before = warehouse_env.stat().st_mtime_ns
    again = ingest(SEPTEMBER_2024, "2024-10-06", "2024-09", tmp_path / "archive")
    assert again.status == "unchanged"
    assert warehouse_env.stat().st_mtime_ns == before  # not even republished
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert con.execute("select count(*) from release").fetchone() == (1,)


def truncated(path: Path) -> Path:
    """The first 60 kB of a real workbook, as a download cut short leaves it."""
    path.write_bytes(SEPTEMBER_2024.read_bytes()[:60_000])
    return path


def html_error_page(path: Path) -> Path:
    path.write_text("<!DOCTYPE html><html><head><title>503 Service Unavailable</title></head>"
                    "<body><h1>Hệ thống đang bảo trì</h1></body></html>", encoding="utf-8")
    return path


def workbook_without_tables(path: Path) -> Path:
    """A valid .xlsx with one sheet whose title is no table of the catalogue."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats'
            '.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="Lao dong" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" '
            't="inlineStr"><is><t>Ghi chú của người lập biểu</t></is></c></row><row r="2">'
            '<c r="A2" t="inlineStr"><is><t>Lực lượng lao động</t></is></c><c r="B2"><v>52.9'
            '</v></c></row></sheetData></worksheet>'),
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (truncated, "damaged or truncated"),
        (html_error_page, "HTML page, not a workbook"),
        (workbook_without_tables, "none of the tables in chiso's catalogue"),
    ],
    ids=["truncated", "html-error-page", "no-tables"],
)
def test_bad_input_fails_only_its_own_release(
    make: object, expected: str, warehouse_env: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "Bieu-T10.2024.xlsx"
    make(bad)  # type: ignore[operator]
    ingest(AUGUST_2024, "2024-09-06", "2024-08", tmp_path / "archive")
    failed = ingest(bad, "2024-11-06", "2024-10", tmp_path / "archive")
    later = ingest(SEPTEMBER_2024, "2024-10-06", "2024-09", tmp_path / "archive")
    assert failed.status == "failed"
    assert "Bieu-T10.2024.xlsx" in failed.message and expected in failed.message
    assert later.status == "new"
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        assert con.execute("select count(*) from release").fetchone() == (2,)
        failure = con.execute("select file_name, message from load_failure").fetchall()
        assert failure == [("Bieu-T10.2024.xlsx", failed.message)]
        assert value(con, "v_first_release", IIP_TOTAL_YOY, "2024-08-01", "M") == 109.5
