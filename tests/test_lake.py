"""DuckLake mode: several worker processes load into one lake (catalog in a real PostgreSQL)
at the same time while an analyst queries it; nothing is lost, nothing doubled, and the lake
ends up holding exactly what the single-file warehouse holds after loading the same releases."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from lake_server import (  # noqa: F401  (fixtures)
    COMPARED,
    KEYS,
    WHOLE_RELEASES,
    count,
    duplicates,
    lake_env,
    lake_server,
    missing,
)

pytestmark = pytest.mark.lake

# Three writers: two load different sources, the third loads GSO too, newest release first,
# so the two GSO workers race for the releases where they meet and vintages arrive out of order.
WORKERS = {
    "gso": ["gso"],
    "gso-backwards": ["gso"],
    "others": ["worldbank", "sdmx", "nsdp", "haiphong_stats", "haiphong_doit", "files"],
}
def _work(archive: str, names: list[str], backwards: bool, go: str, out: str) -> None:
    """A worker: every archived release of its sources through one lake writer."""
    from flows.archive import Archive
    from flows.orchestration.rebuild import releases
    from flows.pipeline import load_archived, load_archived_together
    from warehouse import lake
    from warehouse.connect import writer

    groups, _ = releases(Archive(Path(archive)).entries())
    mine = [files for files in groups if files[0].ref.source in names]
    while not Path(go).exists():
        time.sleep(0.01)
    done = []
    with writer() as session:
        if names == ["gso"] and not backwards:  # as a backfill loads (in a lake, one by one)
            outcomes = load_archived_together([(files, None) for files in mine], session)
        else:
            outcomes = [load_archived(files, session)
                        for files in (reversed(mine) if backwards else mine)]
        for outcome in outcomes:
            done.append({"release": outcome.release_id, "status": outcome.status,
                         "rows": outcome.reported})
    Path(out).write_text(json.dumps({"releases": done, "retried": lake.RETRIES.count}))


def _read(stop: str, out: str) -> None:
    """An analyst: connect, check, query, disconnect, until told to stop."""
    from warehouse.connect import reader

    errors: list[str] = []
    queries = torn = 0
    while not Path(stop).exists():
        try:
            con = reader()
            try:
                torn += con.execute(WHOLE_RELEASES).fetchone()[0]  # type: ignore[index]
                con.execute("select count(*) from v_latest").fetchone()
                queries += 1
            finally:
                con.close()
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    Path(out).write_text(json.dumps({"errors": errors, "queries": queries, "torn": torn}))


def test_workers_load_the_lake_at_once(
    lake_env: str, bundled_warehouse: Path, tmp_path: Path  # noqa: F811
) -> None:
    from warehouse.connect import writer
    from warehouse.lake import reader

    with writer():  # the lake is created once, when chiso is deployed; workers start after
        pass
    archive = str(bundled_warehouse.parent / "archive")  # the demo's releases, archived once
    go, stop = tmp_path / "go", tmp_path / "stop"
    context = multiprocessing.get_context("spawn")
    results = {name: tmp_path / f"{name}.json" for name in WORKERS}
    workers = [context.Process(target=_work, args=(archive, names, name.endswith("backwards"),
                                                   str(go), str(results[name])))
               for name, names in WORKERS.items()]
    analyst = context.Process(target=_read, args=(str(stop), str(tmp_path / "reader.json")))
    for process in [*workers, analyst]:
        process.start()
    go.touch()
    for process in workers:
        process.join(timeout=600)
    stop.touch()
    analyst.join(timeout=120)
    assert [p.exitcode for p in [*workers, analyst]] == [0] * (len(workers) + 1)

    reports = {name: json.loads(path.read_text()) for name, path in results.items()}
    done = {name: report["releases"] for name, report in reports.items()}
    retried = {name: report["retried"] for name, report in reports.items()}
    read = json.loads((tmp_path / "reader.json").read_text())
    written = {name: sum(r["rows"] for r in rows if r["status"] == "new")
               for name, rows in done.items()}
    loaded = [r["release"] for rows in done.values() for r in rows if r["status"] == "new"]
    con = reader()
    try:
        con.execute(f"attach '{bundled_warehouse}' as file_mode (read_only)")
        in_lake = con.execute("select count(*) from reported").fetchone()[0]  # type: ignore[index]
        doubled = duplicates(con)
        lost = missing(con, "file_mode", "lake")
        extra = missing(con, "lake", "file_mode")
        latest = count(con, "(select * from v_latest except all select * from file_mode.v_latest)"
                             " union all (select * from file_mode.v_latest "
                             "except all select * from v_latest)")
    finally:
        con.close()
    print(f"\nrows written: {written}; releases loaded {len(loaded)} "
          f"(gso by gso {_new(done['gso'])}, by gso-backwards {_new(done['gso-backwards'])}); "
          f"transactions retried after a conflict {retried}; "
          f"rows in the lake {in_lake}; duplicates {sum(doubled.values())} {doubled}; "
          f"lost {sum(lost.values())}; extra {sum(extra.values())}; "
          f"v_latest differences {latest}; reader queries {read['queries']}, "
          f"errors {len(read['errors'])}, half-loaded releases seen {read['torn']}")
    assert len(loaded) == len(set(loaded)) == 41  # each release loaded once, by one worker
    assert _new(done["gso"]) + _new(done["gso-backwards"]) == 12
    assert sum(written.values()) == in_lake
    assert doubled == dict.fromkeys(KEYS, 0)
    assert lost == dict.fromkeys(COMPARED, 0)
    assert extra == dict.fromkeys(COMPARED, 0)
    assert latest == 0
    assert read["errors"] == []
    assert read["torn"] == 0
    assert read["queries"] > 0


def test_lake_has_the_file_schema_views_and_macro(lake_env: str) -> None:  # noqa: F811
    from warehouse.connect import writer
    from warehouse.migrate import migrate

    with writer() as session:
        lake = _columns(session.con, "lake")
        views = {r[0] for r in session.con.execute(
            "select view_name from duckdb_views() where database_name = 'lake'").fetchall()}
        as_of = session.con.execute("select count(*) from as_of('2024-01-01')").fetchone()
    scratch = duckdb.connect()
    migrate(scratch)
    assert {t: c for t, c in lake.items() if t != "lake_state"} == _columns(scratch, "memory")
    assert views == {r[0] for r in scratch.execute(
        "select view_name from duckdb_views() where not internal").fetchall()}
    assert as_of == (0,)
    with writer() as session:  # a second worker starting finds it all in place
        assert not session.changed


def _columns(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        "select c.table_name, c.column_name, c.data_type from duckdb_columns() c "
        "join duckdb_tables() t using (database_name, schema_name, table_name) "
        "where c.database_name = ? order by c.table_name, c.column_index", [database]).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        tables.setdefault(table, []).append((column, kind))
    return tables


def _new(rows: list[dict[str, object]]) -> int:
    return sum(r["status"] == "new" for r in rows)


assert os.name == "posix"  # the PostgreSQL fixture runs initdb and pg_ctl


def test_the_report_reads_the_lake(lake_env: str, tmp_path: Path) -> None:  # noqa: F811
    from flows.archive import Archive
    from flows.core.model import ReleaseRef
    from flows.pipeline import load_archived, store_local
    from flows.present.report import write_report
    from warehouse.connect import writer

    from samples import SEPTEMBER_2024

    archive = Archive(tmp_path / "archive")
    ref = ReleaseRef("gso", "local-file", "", datetime(2024, 10, 6), "2024-09",
                     title=SEPTEMBER_2024.name)
    with writer() as session:
        assert load_archived(store_local([SEPTEMBER_2024], ref, archive), session).status == "new"
    page = write_report(tmp_path / "report.html").read_text(encoding="utf-8")
    assert "the lake" in page
    assert "110.84" in page  # national IIP, September 2024 on September 2023


def test_a_lake_loaded_before_the_key_migrations_is_renamed_by_them(
    lake_env: str, tmp_path: Path  # noqa: F811
) -> None:
    """Migrations 012 and 013 rewrite rows (the unit and indicator codes of series keys) rather
    than tables: the lake runs them too, so a lake that holds the prose reader's VND_BN and
    RETAIL_SALES holds BN_VND and RETAIL after them."""
    import shutil
    from dataclasses import replace
    from datetime import date

    from flows.core.config import SQL_DIR
    from flows.core.model import Observation
    from flows.core.periods import year_to_date
    from flows.pipeline import read_report
    from warehouse import lake
    from warehouse.checks import run_checks
    from warehouse.load import ReleaseRecord, release_id

    older = tmp_path / "sql"  # the schema as it stood before 012
    shutil.copytree(SQL_DIR, older)
    for name in ("012_one_code_per_unit.sql", "013_prose_indicators_as_gso.sql"):
        (older / "schema" / name).unlink()
    report = Path(__file__).parent / "fixtures" / "prose" / "haiphong-stats-2020-02.txt"
    figures, _ = read_report(report.read_text(encoding="utf-8"), geo="VN-31",
                             published=date(2020, 2, 28), source_name=report.name)
    old = [replace(o, unit="VND_BN") if o.unit == "BN_VND" else o for o in figures]
    # Retail sales as the reader wrote them before 013 (a stand-in figure: the report has none).
    old.append(Observation("RETAIL_SALES", "VN-31", "_Z", "_Z", "_Z", "level", "VND_BN",
                           year_to_date(2020, 2), 15000.0, "estimate", "a sentence", 0))
    sha = "12".ljust(64, "0")
    record = ReleaseRecord(release_id("haiphong_stats", "2020-02", sha), "haiphong_stats",
                           "monthly-report", "2020-02", datetime(2020, 2, 28), None, None,
                           report.name, sha, "")
    keys = ("select regexp_extract(series_key, '[^.]*$') as code, count(*) from {} "
            "where series_key like '%VND%' group by code order by code")
    con = lake.connect()
    try:
        lake.migrate(con, older)
        assert lake.load_release(con, record, old, []).loaded
        held = {t: con.execute(keys.format(t)).fetchall() for t in ("series", "reported",
                                                                     "observation")}
        assert held == {"series": [("VND_BN", 2)], "reported": [("VND_BN", 2)],
                        "observation": [("VND_BN", 2)]}
        assert lake.migrate(con) == ["012_one_code_per_unit", "013_prose_indicators_as_gso"]
        assert {t: con.execute(keys.format(t)).fetchall() for t in held} == {
            t: [("BN_VND", 2)] for t in held}
        assert {t: con.execute(f"select series_key from {t} where series_key like 'RETAIL%'"
                               ).fetchall() for t in held} == {
            t: [("RETAIL.VN-31._Z._T._Z.LEVEL.BN_VND",)] for t in held}
        assert {name: rows for name, rows in run_checks(con).items() if rows} == {}
    finally:
        con.close()
