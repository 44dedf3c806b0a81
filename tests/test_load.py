"""The vintage model: repeats add nothing, changes open vintages, and any load order gives the
same history as publication order."""

from __future__ import annotations

import hashlib
import itertools
import re
import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.core.config import SQL_DIR
from flows.core.model import Observation
from flows.core.periods import month, year_to_date
from flows.core.reference import read_rows
from flows.pipeline import read_report
from warehouse import file_backend
from warehouse.checks import run_checks
from warehouse.connect import load_release, load_releases
from warehouse.corrections import Correction, apply
from warehouse.load import LoadResult, PendingRelease, ReleaseRecord, release_id
from warehouse.migrate import migrate

from samples import GSO_UPLOADS, SEPTEMBER_2024, read_once, workbook_number

KEY = "IIP.VN._T._Z._Z.INDEX_YOY.INDEX"
# Hải Phòng's statistics office, February 2020: budget revenue "ước đạt 8.878 tỷ đồng".
STATS_2020 = Path(__file__).parent / "fixtures" / "prose" / "haiphong-stats-2020-02.txt"
# The tables that hold series keys (sql/schema).
KEYED_TABLES = ("series", "reported", "observation", "vintage_retired")


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    migrate(connection)
    return connection


Release = tuple[ReleaseRecord, list[Observation]]


def release(day: str, value: float, status: str = "estimate") -> Release:
    sha = f"{day.replace('-', '')}{value}".ljust(64, "0")
    record = ReleaseRecord(release_id("gso", "2024-08", sha), "gso", "monthly-workbook", "2024-08",
                           datetime.fromisoformat(day), None, None, f"{day}.xlsx", sha, "")
    obs = Observation("IIP", "VN", "_T", "_Z", "_Z", "index_yoy", "INDEX", month(2024, 8), value,
                      status, "IIP!B9")
    return record, [obs]


def history(con: duckdb.DuckDBPyConnection) -> list[tuple[object, ...]]:
    return con.execute(
        "select value, status, valid_from, valid_to, release_id from observation "
        "order by valid_from").fetchall()


def test_a_repeated_figure_adds_no_vintage(con: duckdb.DuckDBPyConnection) -> None:
    load_release(con, *release("2024-09-06", 109.5), [])
    result = load_release(con, *release("2024-10-06", 109.5), [])
    assert (result.added, result.revised) == (0, 0)
    assert [row[0] for row in history(con)] == [109.5]


def test_a_changed_figure_closes_the_old_vintage(con: duckdb.DuckDBPyConnection) -> None:
    load_release(con, *release("2024-09-06", 109.5), [])
    result = load_release(con, *release("2024-10-06", 108.38, "preliminary"), [])
    assert (result.added, result.revised) == (1, 1)
    rows = history(con)
    assert [(r[0], r[2], r[3]) for r in rows] == [
        (109.5, datetime(2024, 9, 6), datetime(2024, 10, 6)),
        (108.38, datetime(2024, 10, 6), None),
    ]


def test_a_status_change_alone_is_a_vintage_but_not_a_revision(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_release(con, *release("2024-09-06", 109.5, "estimate"), [])
    result = load_release(con, *release("2024-10-06", 109.5, "official"), [])
    assert (result.added, result.revised) == (1, 0)
    assert con.execute("select count(*) from v_revisions").fetchone() == (0,)


def test_a_status_change_after_a_revision_counts_as_a_revision_either_way(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # The newest release's short way (`_append_vintages`) must count what deriving counts:
    # the value now official was not the one first published, so it is a revision.
    results = [load_release(con, *release(day, value, status), []) for day, value, status in (
        ("2024-09-06", 109.5, "estimate"), ("2024-10-06", 108.38, "estimate"),
        ("2024-11-06", 108.38, "official"))]
    assert [(r.added, r.revised) for r in results] == [(1, 0), (1, 1), (1, 1)]
    late = duckdb.connect(":memory:")
    migrate(late)
    for day, value, status in (("2024-11-06", 108.38, "official"),
                               ("2024-09-06", 109.5, "estimate")):
        load_release(late, *release(day, value, status), [])
    derived = load_release(late, *release("2024-10-06", 108.38, "estimate"), [])
    assert history(late) == history(con)
    assert (derived.added, derived.revised) == (1, 1)


def test_every_load_order_gives_the_same_history() -> None:
    # A value that goes away and comes back must survive any order of arrival.
    releases = [release("2024-09-06", 109.5), release("2024-10-06", 108.38),
                release("2024-11-06", 109.5)]
    histories = set()
    for order in itertools.permutations(releases):
        connection = duckdb.connect(":memory:")
        migrate(connection)
        for record, observations in order:
            load_release(connection, record, observations, [])
        histories.add(tuple(history(connection)))
        assert not any(run_checks(connection).values())
    assert len(histories) == 1
    assert [row[0] for row in next(iter(histories))] == [109.5, 108.38, 109.5]


def test_loading_a_release_twice_changes_nothing(con: duckdb.DuckDBPyConnection) -> None:
    record, observations = release("2024-09-06", 109.5)
    assert load_release(con, record, observations, []).loaded
    before = history(con)
    assert not load_release(con, record, observations, []).loaded
    assert history(con) == before


def test_a_failed_load_leaves_nothing_behind(con: duckdb.DuckDBPyConnection) -> None:
    record, observations = release("2024-09-06", 109.5)
    broken = [observations[0], observations[0]]  # the same figure twice: the load refuses it
    with pytest.raises(duckdb.ConstraintException, match="given 2 times in one release"):
        load_release(con, record, broken, [])
    for table in ("release", "reported", "observation", "series"):
        assert con.execute(f"select count(*) from {table}").fetchone() == (0,), table


def test_two_releases_stamped_with_the_same_moment_give_one_vintage(
    con: duckdb.DuckDBPyConnection,
) -> None:
    first, observations = release("2024-09-06", 108.5)
    load_release(con, first, observations, [])
    second, changed = release("2024-09-06", 109.7)  # same day, another file, another value
    assert load_release(con, second, changed, []).loaded
    winner = max((first.release_id, 108.5), (second.release_id, 109.7))[1]
    assert [row[0] for row in history(con)] == [winner]
    assert con.execute("select count(*) from reported").fetchone() == (2,)


def test_a_warehouse_made_before_a_migration_upgrades(tmp_path: Path) -> None:
    """Migrations apply to a warehouse created at an older version, views and data intact."""
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    migrate(old, _sql_up_to(tmp_path, 4))
    record, _ = release("2024-09-06", 109.5)
    old.execute(
        "insert into release values (?, 'gso', 'monthly-workbook', '2024-08', ?, null, null, "
        "'x.xlsx', ?, '', 1, 1, 0, 0, current_timestamp)",
        [record.release_id, record.published_at, record.sha256])
    old.close()
    con = duckdb.connect(str(path))
    assert migrate(con) == ["005_release_counts_derived", "006_keys_kept_by_the_load",
                            "007_comments", "008_release_identity", "009_cell_account",
                            "010_territory", "011_release_corrections",
                            "012_one_code_per_unit", "013_prose_indicators_as_gso"]
    assert con.execute("select release_id from v_releases").fetchall() == [(record.release_id,)]
    con.close()



def _record(source: str, day: str, period: str, name: str) -> ReleaseRecord:
    sha = hashlib.sha256(f"{source} {day} {name}".encode()).hexdigest()
    return ReleaseRecord(release_id(source, period, sha), source, "report", period,
                         datetime.fromisoformat(day), None, None, name, sha, "")


def _renamed_units() -> dict[str, str]:
    """The codes migration 012 renames: those the readers wrote before it, each with the code
    the readers write now (sdmx_codes.csv, concept UNIT; billion dong for the prose reader too)."""
    return {r["code"]: r["chiso"] for r in read_rows("sdmx_codes.csv") if r["concept"] == "UNIT"}


def _units(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """The unit of every key, table by table (the key's last part)."""
    return {table: {row[0] for row in con.execute(
        f"select distinct regexp_extract(series_key, '[^.]*$') from {table}").fetchall()}
        for table in KEYED_TABLES}


def _old_prose_report() -> list[Observation]:
    """The report's figures as the prose reader wrote them before 012: billion dong VND_BN."""
    observations, rejected = read_report(STATS_2020.read_text(encoding="utf-8"), geo="VN-31",
                                         published=date(2020, 2, 28), source_name=STATS_2020.name)
    assert rejected == []
    return [replace(o, unit="VND_BN") if o.unit == "BN_VND" else o for o in observations]


def test_the_unit_migration_renames_every_key_and_merges_a_series_under_both(
    tmp_path: Path,
) -> None:
    """A warehouse of 011 holds the Hải Phòng report's budget revenue as VND_BN (its vintages
    retired by a redate too), an analyst's file of the same figure as BN_VND, and the SDMX
    reader's old currency multiples (the IMF zinc price of January 2021 in each). 012 leaves
    one code per unit in every table, one series row where there were two, every figure and
    vintage, and the checks clean; the two sources of the revenue then meet."""
    renamed = _renamed_units()
    assert renamed["VND_BN"] == "BN_VND"
    con = duckdb.connect(":memory:")
    migrate(con, _sql_up_to(tmp_path, 11))
    report = _old_prose_report()
    stats = _record("haiphong_stats", "2020-02-28", "2020-02", STATS_2020.name)
    load_release(con, stats, report, [])
    [revenue] = [o for o in report if o.unit == "VND_BN"]
    analysts = replace(revenue, unit="BN_VND", status="official", provenance="revenue.csv row 2")
    load_release(con, _record("files", "2020-03-20", "2020-02", "revenue.csv"), [analysts], [])
    zinc = [Observation("COMMODITY_PRICE", "1W", "_Z", "PZINC", "_Z", "level", unit,
                        month(2021, 1), 2705.345, "official", "IMF:PCPS M.W00.PZINC 2021-01")
            for unit in renamed]
    load_release(con, _record("sdmx", "2021-02-10", "2021-01", "imf-pcps-zinc"), zinc, [])
    applied = apply(con, Correction(1, stats.release_id, "redate", datetime(2020, 2, 29),
                                    datetime(2020, 3, 1), "the office's date line",
                                    datetime(2020, 3, 1)))
    assert applied.retired > 0
    before = _units(con)
    assert all("VND_BN" in before[table] for table in KEYED_TABLES)
    assert set(renamed) <= before["series"] and "BN_VND" in before["series"]
    counts = {t: con.execute(f"select count(*) from {t}").fetchone() for t in KEYED_TABLES}

    assert migrate(con) == ["012_one_code_per_unit", "013_prose_indicators_as_gso"]

    after = _units(con)
    assert {table: units & set(renamed) for table, units in after.items()} == {
        table: set() for table in KEYED_TABLES}
    assert all("BN_VND" in after[table] for table in KEYED_TABLES)
    assert set(renamed.values()) <= after["series"]
    assert {t: con.execute(f"select count(*) from {t}").fetchone() for t in KEYED_TABLES} == {
        **counts, "series": (counts["series"][0] - 1,)}  # the revenue's two rows are one
    assert con.execute("select count(*) from series where not ends_with(series_key, "
                       "'.' || unit)").fetchone() == (0,)
    assert con.execute("select count(*) from (select series_key from reported union "
                       "select series_key from observation union select series_key from "
                       "vintage_retired) where series_key not in (select series_key from series)"
                       ).fetchone() == (0,)
    assert {name: rows for name, rows in run_checks(con).items() if rows} == {}
    key = analysts.series_key
    assert con.execute("select source, value from v_vintages where series_key = ? "
                       "order by source", [key]).fetchall() == [
        ("files", 8878.0), ("haiphong_stats", 8878.0)]
    assert con.execute("select source from v_latest where series_key = ?", [key]).fetchall() == [
        ("haiphong_stats",)]
    (comment,) = con.execute("select comment from duckdb_columns() where table_name = 'series' "
                             "and column_name = 'unit'").fetchone() or ("",)
    assert "BN_VND (billion dong)" in comment and "VND_BN" not in comment


@pytest.mark.parametrize("apart", [False, True], ids=["one release", "two releases"])
def test_the_unit_migration_stops_at_a_figure_it_cannot_merge(tmp_path: Path, apart: bool) -> None:
    """One source giving a series and period under both codes, in one release or two (no reader
    of chiso did), cannot be renamed without two figures, or two current vintages, for one key:
    012 stops and changes nothing."""
    con = duckdb.connect(":memory:")
    migrate(con, _sql_up_to(tmp_path, 11))
    [old] = [o for o in _old_prose_report() if o.unit == "VND_BN"]
    new = replace(old, unit="BN_VND")
    if apart:
        load_release(con, _record("files", "2020-03-20", "2020-02", "a.csv"), [old], [])
        load_release(con, _record("files", "2020-03-21", "2020-02", "b.csv"), [new], [])
    else:
        load_release(con, _record("files", "2020-03-20", "2020-02", "a.csv"), [old, new], [])
    before = {t: con.execute(f"select * from {t} order by all").fetchall() for t in KEYED_TABLES}
    with pytest.raises(duckdb.InvalidInputException, match="under two unit codes"):
        migrate(con)
    assert con.execute("select max(version) from schema_migration").fetchone() == (11,)
    assert {t: con.execute(f"select * from {t} order by all").fetchall()
            for t in KEYED_TABLES} == before

# A city report's and a press article's sentences, written for these tests in their register:
# figures the prose reader filed under codes of its own before migration 013.
CITY_2024 = (
    "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng 9 tháng năm 2024 ước đạt "
    "100.000 tỷ đồng.\n"
    "Giá trị sản xuất công nghiệp 9 tháng năm 2024 tăng 12,5% so với cùng kỳ năm trước, trong "
    "đó ngành công nghiệp chế biến, chế tạo tăng 13,1%.\n"
    "Khách du lịch 9 tháng năm 2024 ước đạt 8,3 triệu lượt.\n"
    "Vốn đầu tư thực hiện từ nguồn ngân sách Nhà nước 9 tháng năm 2024 ước đạt 11.930,4 tỷ "
    "đồng.")
PRESS_2024 = (
    "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng 9 tháng năm 2024 ước đạt "
    "4.703,4 nghìn tỷ đồng.\n"
    "Giá trị sản xuất công nghiệp 9 tháng năm 2024 tăng 12,5% so với cùng kỳ năm trước.")
RENAMED_INDICATORS = {"RETAIL_SALES", "INDUSTRIAL_OUTPUT", "VISITORS"}


def _before_013(o: Observation) -> Observation:
    """A figure as the prose reader wrote it before 013 (prose_indicators.csv then): retail sales
    RETAIL_SALES with product _Z; gross output INDUSTRIAL_OUTPUT, its whole industry _T; tourist
    arrivals VISITORS; total and state-budget investment both INVESTMENT."""
    if o.indicator == "RETAIL":
        return replace(o, indicator="RETAIL_SALES", product="_Z")
    if o.indicator == "GROSS_IND_OUTPUT":
        industry = "_T" if o.industry == "_Z" else o.industry
        return replace(o, indicator="INDUSTRIAL_OUTPUT", industry=industry, product="_Z")
    if o.indicator == "TOURISTS":
        return replace(o, indicator="VISITORS")
    if o.indicator in ("INV_TOTAL", "INV_STATE_BUDGET"):
        return replace(o, indicator="INVESTMENT", industry="_Z", product="_Z")
    return o


def _keys(con: duckdb.DuckDBPyConnection, table: str, source: str | None = None) -> set[str]:
    where = "" if source is None else f" where source = '{source}'"
    return {row[0] for row in con.execute(
        f"select distinct series_key from {table}{where}").fetchall()}


def test_the_indicator_migration_renames_the_report_readers_keys(tmp_path: Path) -> None:
    """A warehouse of 012 holds a city report's and a press article's figures under the prose
    reader's old codes (the city's vintages retired by a redate too) and GSO's retail total
    under RETAIL. 013 gives every figure and vintage the key today's reader gives the same
    sentence, one series row where the press and GSO had two, and leaves INVESTMENT alone (it
    meant total and state-budget investment alike: `chiso rebuild` re-reads those)."""
    city, rejected = read_report(CITY_2024, geo="VN-31", published=date(2024, 9, 29))
    assert rejected == []
    press, rejected = read_report(PRESS_2024, geo="VN", published=date(2024, 10, 15))
    assert rejected == []
    con = duckdb.connect(":memory:")
    migrate(con, _sql_up_to(tmp_path, 12))
    stats = _record("haiphong_stats", "2024-09-29", "2024-09", "city.html")
    load_release(con, stats, [_before_013(o) for o in city], [])
    load_release(con, _record("press", "2024-10-15", "2024-09", "press.html"),
                 [_before_013(o) for o in press], [])
    cell = "21.Tongmuc!E11"
    retail = Observation("RETAIL", "VN", "_Z", "_T", "_Z", "level", "BN_VND",
                         year_to_date(2024, 9), workbook_number(SEPTEMBER_2024, cell),
                         "estimate", cell)
    load_release(con, _record("gso", "2024-10-06", "2024-09", SEPTEMBER_2024.name), [retail], [])
    applied = apply(con, Correction(1, stats.release_id, "redate", datetime(2024, 9, 30),
                                    datetime(2024, 9, 30), "the office's date line",
                                    datetime(2024, 9, 30)))
    assert applied.retired > 0
    assert {k.split(".")[0] for k in _keys(con, "series")} == {
        "RETAIL_SALES", "RETAIL", "INDUSTRIAL_OUTPUT", "VISITORS", "INVESTMENT"}
    counts = {t: con.execute(f"select count(*) from {t}").fetchone() for t in KEYED_TABLES}

    assert migrate(con) == ["013_prose_indicators_as_gso"]

    investment = {_before_013(o).series_key for o in city if o.indicator == "INV_STATE_BUDGET"}
    city_now = {o.series_key for o in city if o.indicator != "INV_STATE_BUDGET"} | investment
    assert investment == {"INVESTMENT.VN-31._Z._Z._Z.LEVEL.BN_VND"}
    assert _keys(con, "reported") == city_now | {o.series_key for o in press}
    assert _keys(con, "observation", "haiphong_stats") == city_now
    assert _keys(con, "vintage_retired") == city_now
    assert _keys(con, "observation", "press") == {o.series_key for o in press} == {
        "RETAIL.VN._Z._T._Z.LEVEL.BN_VND", "GROSS_IND_OUTPUT.VN._Z._T._Z.INDEX_YOY.INDEX"}
    assert city_now - investment == {
        "RETAIL.VN-31._Z._T._Z.LEVEL.BN_VND", "GROSS_IND_OUTPUT.VN-31._Z._Z._Z.INDEX_YOY.INDEX",
        "GROSS_IND_OUTPUT.VN-31.C._Z._Z.INDEX_YOY.INDEX", "TOURISTS.VN-31._Z._Z._Z.LEVEL.COUNT"}
    assert {t: con.execute(f"select count(*) from {t}").fetchone() for t in KEYED_TABLES} == {
        **counts, "series": (counts["series"][0] - 1,)}  # the press's and GSO's retail are one
    assert con.execute(
        "select count(*) from series where series_key <> concat_ws('.', indicator, geo, "
        "industry, product, partner, upper(measure), unit)").fetchone() == (0,)
    assert con.execute("select count(*) from (select series_key from reported union "
                       "select series_key from observation union select series_key from "
                       "vintage_retired) where series_key not in (select series_key from series)"
                       ).fetchone() == (0,)
    assert {name: rows for name, rows in run_checks(con).items() if rows} == {}
    assert con.execute("select source, value from v_vintages where series_key = ? "
                       "order by source", [retail.series_key]).fetchall() == [
        ("gso", retail.value), ("press", 4703400.0)]
    assert con.execute("select count(*) from v_conflicts").fetchone() == (0,)  # agree: -2 places
    (comment,) = con.execute("select comment from duckdb_columns() where table_name = 'series' "
                             "and column_name = 'indicator'").fetchone() or ("",)
    assert "TOURISTS" in comment and "RETAIL_SALES" not in comment


@pytest.mark.parametrize(
    ("first", "second", "apart"),
    [(("RETAIL_SALES", "VN", "_Z", "_Z"), ("RETAIL", "VN", "_Z", "_T"), False),
     (("RETAIL_SALES", "VN", "_Z", "_Z"), ("RETAIL", "VN", "_Z", "_T"), True),
     (("INDUSTRIAL_OUTPUT", "VN-31", "_T", "_Z"), ("INDUSTRIAL_OUTPUT", "VN-31", "_Z", "_Z"),
      False)],
    ids=["old and new key, one release", "old and new key, two releases", "two old keys"])
def test_the_indicator_migration_stops_at_a_figure_it_cannot_merge(
    tmp_path: Path, first: tuple[str, str, str, str], second: tuple[str, str, str, str],
    apart: bool,
) -> None:
    """One source giving a series and period under two keys that 013 makes one (no reader of
    chiso did; an analyst's files may) cannot be renamed without two figures, or two current
    vintages, for one key: 013 stops and changes nothing."""
    con = duckdb.connect(":memory:")
    migrate(con, _sql_up_to(tmp_path, 12))
    old, new = (Observation(*codes, "_Z", "level", "BN_VND", year_to_date(2024, 9), 100.0,
                            "estimate", "a.csv row 2") for codes in (first, second))
    if apart:
        load_release(con, _record("files", "2024-10-20", "2024-09", "a.csv"), [old], [])
        load_release(con, _record("files", "2024-10-21", "2024-09", "b.csv"), [new], [])
    else:
        load_release(con, _record("files", "2024-10-20", "2024-09", "a.csv"), [old, new], [])
    before = {t: con.execute(f"select * from {t} order by all").fetchall() for t in KEYED_TABLES}
    with pytest.raises(duckdb.InvalidInputException, match=r"migration 013: (release|source) "):
        migrate(con)
    assert con.execute("select max(version) from schema_migration").fetchone() == (12,)
    assert {t: con.execute(f"select * from {t} order by all").fetchall()
            for t in KEYED_TABLES} == before


def _sql_up_to(tmp_path: Path, version: int) -> Path:
    """A copy of sql/ holding only the migrations up to `version`, and only the views that
    need no table a later migration creates."""
    root = tmp_path / "sql"
    shutil.copytree(SQL_DIR, root)
    later: set[str] = set()
    for path in (root / "schema").glob("*.sql"):
        if int(path.name[:3]) > version:
            later |= set(re.findall(r"create table (\w+)", path.read_text(encoding="utf-8")))
            path.unlink()
    removed = True
    while removed:  # and the views on those views
        removed = False
        for path in (root / "views").glob("*.sql"):
            if later & set(re.findall(r"\w+", path.read_text(encoding="utf-8"))):
                path.unlink()
                later.add(path.stem)
                removed = True
    return root


def test_the_checks_find_a_figure_or_vintage_given_twice(con: duckdb.DuckDBPyConnection) -> None:
    record, observations = release("2024-09-06", 109.5)
    load_release(con, record, observations, [])
    assert run_checks(con)["duplicate_keys"] == []
    con.execute("insert into reported select * from reported")  # what no load does
    con.execute("insert into observation select * from observation")
    found = run_checks(con)["duplicate_keys"]
    assert sorted(row[0] for row in found) == ["observation", "reported"]
    assert all(row[2] == 2 for row in found)


def _batch(releases: list[Release]) -> list[PendingRelease]:
    return [PendingRelease(record, observations, []) for record, observations in releases]


def _alone_and_batched(
    releases: list[Release], before: int, tamper: str = ""
) -> tuple[list[LoadResult], list[LoadResult], duckdb.DuckDBPyConnection,
           duckdb.DuckDBPyConnection]:
    """Two new warehouses given the first `before` releases one at a time (then the statement
    `tamper`, if any); the rest loaded one at a time into the first and as a batch into the
    second. Their results, one at a time and together, and the two warehouses."""
    alone, batched = duckdb.connect(":memory:"), duckdb.connect(":memory:")
    for connection in (alone, batched):
        migrate(connection)
        for r in releases[:before]:
            load_release(connection, *r, [])
        if tamper:
            connection.execute(tamper)
    one_by_one = [load_release(alone, *r, []) for r in releases[before:]]
    together = load_releases(batched, _batch(releases[before:]))
    return one_by_one, together, alone, batched


def test_a_batch_loads_as_its_releases_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # A backfill's batch (one transaction, vintages derived once) after a release loaded
    # alone: the same history, checks and counts as loading each in turn; again, nothing.
    releases = [release(day, value, status) for day, value, status in (
        ("2024-08-06", 110.0, "estimate"), ("2024-09-06", 109.5, "estimate"),
        ("2024-10-06", 109.5, "estimate"), ("2024-11-06", 108.38, "estimate"),
        ("2024-12-06", 108.38, "official"), ("2025-01-06", 109.5, "official"))]
    batches: list[int] = []
    write = file_backend.write_releases
    monkeypatch.setattr(file_backend, "write_releases",
                        lambda con, batch: batches.append(len(batch)) or write(con, batch))
    one_by_one, together, alone, batched = _alone_and_batched(releases, 1)
    assert batches == [5]  # together, in one transaction
    assert together == one_by_one
    assert [(r.added, r.revised) for r in together] == [(1, 1), (0, 0), (1, 1), (1, 1), (1, 1)]
    assert history(batched) == history(alone)
    assert not any(run_checks(batched).values())
    assert all(not r.loaded for r in load_releases(batched, _batch(releases)))
    assert history(batched) == history(alone)


def test_a_batch_restating_a_revised_figure_counts_a_revision() -> None:
    # August's 110 was revised to 109.5 before the batch; the batch's first release only
    # makes 109.5 official: a vintage, and a revision, for the key's history held another
    # value (as loading it alone counts it).
    releases = [release(day, value, status) for day, value, status in (
        ("2024-09-06", 110.0, "estimate"), ("2024-10-06", 109.5, "estimate"),
        ("2024-11-06", 109.5, "official"), ("2024-12-06", 109.5, "official"))]
    one_by_one, together, alone, batched = _alone_and_batched(releases, 2)
    assert together == one_by_one
    assert [(r.added, r.revised) for r in together] == [(1, 1), (0, 0)]
    assert history(batched) == history(alone)
    assert not any(run_checks(batched).values())


def test_a_batch_opens_a_vintage_where_a_keys_history_has_no_current_one() -> None:
    # A chain whose last vintage was closed by hand (no load leaves one so): the batch's
    # figure of the key opens a vintage even with the closed one's value, as a load alone does.
    releases = [release(day, value) for day, value in (
        ("2024-09-06", 110.0), ("2024-10-06", 110.0), ("2024-11-06", 109.5))]
    one_by_one, together, alone, batched = _alone_and_batched(
        releases, 1, "update observation set valid_to = timestamp '2024-09-20'")
    assert together == one_by_one
    assert [(r.added, r.revised) for r in together] == [(1, 0), (1, 1)]
    assert history(batched) == history(alone)


def test_a_sources_first_batch_loads_as_its_releases_one_at_a_time() -> None:
    # Into a warehouse without a vintage of the source, a batch's vintages are worked out
    # from its own figures (warehouse/batch_vintages.py): the same history, checks and
    # counts as loading each release in turn. A status-only change opens a vintage; it
    # revises only after a value changed (2024-12: official after 108.38 twice, but 110 and
    # 109.5 came before).
    releases = [release(day, value, status) for day, value, status in (
        ("2024-08-06", 110.0, "estimate"), ("2024-09-06", 109.5, "estimate"),
        ("2024-10-06", 109.5, "estimate"), ("2024-11-06", 108.38, "estimate"),
        ("2024-12-06", 108.38, "official"), ("2025-01-06", 109.5, "official"))]
    one_by_one, together, alone, batched = _alone_and_batched(releases, 0)
    assert together == one_by_one
    assert [(r.added, r.revised) for r in together] == [
        (1, 0), (1, 1), (0, 0), (1, 1), (1, 1), (1, 1)]
    assert history(batched) == history(alone)
    assert not any(run_checks(batched).values())


@pytest.mark.parametrize("before", [0, 1], ids=["first batch", "after a release"])
def test_a_batch_of_real_workbooks_loads_as_its_releases_one_at_a_time(before: int) -> None:
    # Three monthly workbooks (July-September 2024), whose tables repeat and revise each
    # other's months, as a source's first batch or after July loaded alone: the vintages
    # and counts warehouse/batch_vintages.py works out are those loading each release in
    # turn gives (_append_vintages, in SQL).
    books = [GSO_UPLOADS / "2024" / month for month in (
        "07/02-Bieu-so-lieu-T7.2024.xlsx", "09/02.-Bieu-T8.2024.xlsx", "10/2.Bieu-T9.2024.xlsx")]
    releases = []
    for n, path in enumerate(books):
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        record = ReleaseRecord(release_id("gso", f"2024-0{7 + n}", sha), "gso",
                               "monthly-workbook", f"2024-0{7 + n}",
                               datetime(2024, 8 + n, 6), None, None, path.name, sha, "")
        releases.append((record, read_once(path).observations))
    one_by_one, together, alone, batched = _alone_and_batched(releases, before)
    assert together == one_by_one
    vintages = "select * from observation order by all"
    assert batched.execute(vintages).fetchall() == alone.execute(vintages).fetchall()
    assert not any(run_checks(batched).values())
    assert sum(r.revised for r in together) > 0
    closed = batched.execute("select count(valid_to) from observation").fetchone()
    assert closed is not None and closed[0] > 0


def test_a_batch_that_cannot_go_together_loads_one_at_a_time(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Out of order, or with a release already loaded: each release alone, the same history.
    late, early = release("2024-10-06", 108.38), release("2024-09-06", 109.5)
    assert [r.loaded for r in load_releases(con, _batch([late, early]))] == [True, True]
    assert [row[0] for row in history(con)] == [109.5, 108.38]
    more = release("2024-11-06", 107.0)
    assert [r.loaded for r in load_releases(con, _batch([late, more]))] == [False, True]
    assert [row[0] for row in history(con)] == [109.5, 108.38, 107.0]


def test_a_bad_release_in_a_batch_fails_alone(con: duckdb.DuckDBPyConnection) -> None:
    # The batch's transaction fails whole; then its releases load one at a time, so those
    # before the bad one are in and the bad one fails as a load of it alone does.
    good = release("2024-09-06", 109.5)
    record, observations = release("2024-10-06", 108.38)
    with pytest.raises(duckdb.ConstraintException, match="given 2 times in one release"):
        load_releases(con, _batch([good, (record, observations * 2)]))
    assert con.execute("select release_id from release").fetchall() == [(good[0].release_id,)]
    assert [row[0] for row in history(con)] == [109.5]
