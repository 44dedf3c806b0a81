"""The named queries (sql/queries) and the Python API (warehouse.query) on the demo warehouse:
the figures GSO's workbooks and Hải Phòng's reports hold, as published and as revised."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from flows.present.cli import main
from warehouse import queries, query, search, sql
from warehouse.query import (
    QUERIES_DIR,
    ParameterError,
    QuerySqlError,
    ReadOnlyError,
    UnknownQueryError,
    WarehouseMissingError,
    named_queries,
)

NAMES = sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


@pytest.fixture
def wh(bundled_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CHISO_WAREHOUSE", str(bundled_warehouse))
    return bundled_warehouse


def by(frame: pd.DataFrame, **where: object) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    return frame[mask]


def one(frame: pd.DataFrame, column: str, **where: object) -> Any:
    rows = by(frame, **where)
    assert len(rows) == 1, rows
    return rows[column].iloc[0]


# --- every query -------------------------------------------------------------------------------


def test_every_query_is_listed_with_its_header() -> None:
    listed = queries()
    assert sorted(listed["name"]) == NAMES
    assert {"hp_industry_ytd", "national_iip_by_industry", "trade_ytd_vs_plan",
            "revision_history", "conflicts", "freshness", "catalog_search"} <= set(NAMES)
    for named in named_queries().values():
        assert named.summary and named.example.startswith(f"chiso query {named.name}")
        assert "$as_of" in named.sql, f"{named.name} ignores --as-of"
        for p in named.params:
            assert f"${p.name}" in named.sql, f"{named.name}: ${p.name} declared, never used"
            assert p.example and p.meaning


@pytest.mark.parametrize("name", NAMES)
def test_every_query_answers_with_its_defaults_now_and_as_of(wh: Path, name: str) -> None:
    params = {"text": "IIP"} if name == "catalog_search" else {}
    assert len(query(name, **params)) > 0
    assert isinstance(query(name, "2024-10-31", **params), pd.DataFrame)


# --- the figures -------------------------------------------------------------------------------


def test_national_iip_september_2024_first_published_and_revised(wh: Path) -> None:
    frame = query("national_iip_by_industry", period="2024-09")
    assert one(frame, "month_yoy_first", industry="_T") == 110.84
    assert one(frame, "month_yoy", industry="_T") == 108.30  # revised in October's release
    assert one(frame, "ytd_yoy", industry="_T") == 108.64
    assert one(frame, "industry_name", industry="_T") == "Toàn ngành công nghiệp"
    ytd = dict(zip(frame["industry"], frame["ytd_yoy"], strict=True))
    assert {k: ytd[k] for k in ("C", "26", "27", "29", "30")} == {
        "C": 109.87, "26": 109.07, "27": 108.72, "29": 112.96, "30": 103.82}
    assert list(frame["industry"][:2]) == ["_T", "B"]  # VSIC order
    assert len(frame) == 37


def test_as_of_gives_august_iip_as_first_published(wh: Path) -> None:
    then = query("national_iip_by_industry", "2024-09-10", period="2024-08")
    now = query("national_iip_by_industry", period="2024-08")
    assert one(then, "month_yoy", industry="_T") == 109.50
    assert one(now, "month_yoy", industry="_T") == 108.38
    assert one(now, "month_yoy_first", industry="_T") == 109.50
    # before GSO published September, September is not there at all
    assert query("national_iip_by_industry", "2024-10-05", period="2024-09").empty
    # a date is the end of that day: GSO's September release came out on 6 October
    assert one(query("national_iip_by_industry", "2024-10-06", period="2024-09"),
               "month_yoy", industry="_T") == 110.84


def test_trade_ytd_for_viet_nam_has_no_plan(wh: Path) -> None:
    frame = query("trade_ytd_vs_plan", period="2024-09")
    assert list(frame["indicator"]) == ["EXPORTS", "IMPORTS"]
    assert round(one(frame, "month", indicator="EXPORTS"), 1) == 34049.6
    assert round(one(frame, "ytd", indicator="EXPORTS"), 1) == 299625.1
    assert round(one(frame, "ytd_index_yoy", indicator="EXPORTS"), 2) == 115.36
    assert round(one(frame, "ytd", indicator="IMPORTS"), 1) == 278842.2
    assert frame["plan"].isna().all()
    assert all("no plan published for VN" in note for note in frame["note"])


def test_trade_ytd_for_hai_phong_against_plan_and_last_year(wh: Path) -> None:
    frame = query("trade_ytd_vs_plan", period="2024-09", geo="VN-31")
    exports = by(frame, indicator="EXPORTS").iloc[0]
    assert (exports["ytd"], exports["last_year_ytd"], exports["ytd_index_yoy"],
            exports["pct_of_plan"]) == (26351.9, 20786.7, 126.77, 79.8)
    assert round(exports["plan"], 1) == 33022.4  # 26,351.9 is 79.8% of it
    assert exports["note"] == "plan derived from pct_of_plan"
    assert exports["sources"] == "haiphong_doit"
    assert "no year-to-date figure for VN-31 2024-09" in one(frame, "note", indicator="IMPORTS")


def test_hai_phong_iip_ytd_from_both_city_sources(wh: Path) -> None:
    frame = query("hp_industry_ytd", period="2024-09")
    rows = set(zip(frame["industry"], frame["source"], frame["index_yoy"], frame["preferred"],
                   strict=True))
    assert rows == {("_T", "haiphong_stats", 114.09, True), ("_T", "haiphong_doit", 115.14, False)}
    assert set(frame["plan_index"]) == {115.0}  # "Kế hoạch năm: tăng 15%"
    assert one(frame, "growth_pct", source="haiphong_doit") == 15.14
    # the department published on 4 October, the statistics office on 29 September
    early = query("hp_industry_ytd", "2024-10-01", period="2024-09")
    assert list(zip(early["source"], early["index_yoy"], strict=True)) == [
        ("haiphong_stats", 114.09)]
    august = query("hp_industry_ytd", period="2024-08")
    assert list(zip(august["source"], august["index_yoy"], strict=True)) == [
        ("haiphong_doit", 115.14)]


def test_revision_history_of_august_iip(wh: Path) -> None:
    frame = query("revision_history", series="IIP.VN._T._Z._Z.INDEX_YOY.INDEX", period="2024-08")
    got = [(r.kind, r.value, r.published_at, r.days_after_period_end, r.days_since_first)
           for r in frame.itertuples()]
    assert got == [("first release", 109.50, datetime(2024, 9, 6), 6, 0),
                   ("revision", 108.38, datetime(2024, 10, 6), 36, 30)]
    assert round(frame["revision"].iloc[1], 2) == -1.12
    then = query("revision_history", "2024-09-10", period="2024-08")  # the default series
    assert list(then["value"]) == [109.50]


def test_revision_history_of_quarterly_exports(wh: Path) -> None:
    frame = query("revision_history", series="EXPORTS.VN._Z._T._Z.LEVEL.USD_MN",
                  period_type="Q", period="2024-09")
    assert [round(v, 1) for v in frame["value"]] == [108565.1, 108590.2]
    assert list(frame["kind"]) == ["first release", "revision"]


def test_conflicts_match_v_conflicts_and_move_with_as_of(wh: Path) -> None:
    frame = query("conflicts")
    with duckdb.connect(str(wh), read_only=True) as con:
        view = con.execute("select series_key, period_type, period_end, source, other_source "
                           "from v_conflicts").fetchall()
    keys = {(r.series_key, r.period_type, r.period_end.date(), r.source, r.other_source)
            for r in frame.itertuples()}
    assert keys == set(view)
    hp = query("conflicts", geo="VN-31")
    assert list(zip(hp["source"], hp["value"], hp["other_source"], hp["other_value"],
                    strict=True)) == [("haiphong_stats", 114.09, "haiphong_doit", 115.14)]
    assert query("conflicts", "2024-10-03").empty  # before the department's September page
    assert len(query("conflicts", "2024-10-04", indicator="IIP")) == 1


def test_freshness_matches_v_freshness_and_as_of(wh: Path) -> None:
    frame = query("freshness")
    with duckdb.connect(str(wh), read_only=True) as con:
        view = con.execute("select source, releases, last_period, next_period, overdue "
                           "from v_freshness").df()
    merged = frame.merge(view, on="source", suffixes=("", "_view"))
    assert len(merged) == len(view) == 8
    for column in ("last_period", "next_period", "overdue"):
        assert merged[column].fillna("").tolist() == merged[f"{column}_view"].fillna("").tolist()
    then = query("freshness", "2024-10-31").set_index("source")
    assert (then.loc["gso", "last_period"], then.loc["gso", "next_period"]) == ("2024-09",
                                                                                "2024-10")
    assert then.loc["gso", "next_expected_on"].date().isoformat() == "2024-11-06"
    assert not then.loc["gso", "overdue"]
    assert then.loc["haiphong_stats", "overdue"]  # October's report was due on 29 October
    assert then.loc["haiphong_stats", "days_overdue"] == 2


def test_catalog_search_ignores_case_and_diacritics(wh: Path) -> None:
    plain = search("xuat khau dien thoai")
    # the level (million USD) before its index on last year
    assert list(plain["series_key"]) == ["EXPORTS.VN._Z.PHONES._Z.LEVEL.USD_MN",
                                         "EXPORTS.VN._Z.PHONES._Z.INDEX_YOY.INDEX"]
    assert search("Xuất khẩu ĐIỆN THOẠI")["series_key"].tolist() == plain["series_key"].tolist()
    assert "điện thoại" in plain["name_vi"].iloc[0]
    english = search("telephones imports")
    assert set(english["series_key"]) == {"IMPORTS.VN._Z.PHONES._Z.INDEX_YOY.INDEX",
                                          "IMPORTS.VN._Z.PHONES._Z.LEVEL.USD_MN"}
    hp = search("hai phong chỉ số sản xuất công nghiệp")
    assert set(hp["series_key"]) == {"IIP.VN-31._T._Z._Z.INDEX_YOY.INDEX",
                                     "IIP.VN-31._T._Z._Z.PLAN.INDEX"}
    assert "IND_PARKS_OPERATING.VN-31._Z._Z._Z.LEVEL.COUNT" in set(search("parks")["series_key"])
    assert search("no such thing").empty
    assert len(search("IIP", limit=3)) == 3
    # at 1 September 2024 the Hải Phòng department's IIP page was not out yet
    assert search("hai phong iip", "2024-09-01").empty


# --- the Python API ----------------------------------------------------------------------------


def test_sql_reads_and_refuses_writes(wh: Path) -> None:
    assert sql("select count(*) as n from v_latest")["n"].iloc[0] > 8000
    assert sql("select name_vi from label where dimension = 'geo' and code = 'VN-31'")[
        "name_vi"].tolist() == ["Hải Phòng (đến 30/6/2025)"]  # the city before the merger
    for statement in ("drop table series", "insert into source values ('x', 'x', 1, '')",
                      "copy series to '/tmp/chiso-should-not-exist.csv'",
                      "attach '/tmp/chiso-should-not-exist.duckdb'"):
        with pytest.raises(ReadOnlyError, match="statements are refused"):
            sql(statement)
    with pytest.raises(QuerySqlError, match="one SQL statement"):
        sql("select 1; select 2")
    with pytest.raises(QuerySqlError, match=r"SQL error: .*no_such_table"):
        sql("select * from no_such_table")


def test_sql_reads_the_warehouse_and_nothing_else(wh: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """No file reaches `chiso sql` (nor, the settings say, a URL or an extension) unless
    --allow-files is given."""
    outside = tmp_path / "outside.csv"
    outside.write_text("secret\nroot:x:0:0\n", encoding="utf-8")
    for text in (f"select * from read_csv('{outside}')", f"select * from glob('{tmp_path}/*')",
                 f"select * from read_text('{outside}')"):
        with pytest.raises(QuerySqlError, match="reads the warehouse only: give --allow-files"):
            sql(text)
    settings = sql("select name, value from duckdb_settings() where name in "
                   "('enable_external_access', 'autoinstall_known_extensions', "
                   "'autoload_known_extensions', 'lock_configuration') order by name")
    assert settings.values.tolist() == [["autoinstall_known_extensions", "false"],
                                        ["autoload_known_extensions", "false"],
                                        ["enable_external_access", "false"],
                                        ["lock_configuration", "true"]]
    assert sql(f"select * from read_csv('{outside}')", allow_files=True)["secret"].tolist() == [
        "root:x:0:0"]
    assert main(["sql", "--allow-files", f"select * from read_csv('{outside}')"]) == 0
    assert "root:x:0:0" in capsys.readouterr().out
    assert main(["sql", f"select * from read_csv('{outside}')"]) != 0
    assert "root:x:0:0" not in capsys.readouterr().out


def test_errors_are_one_clear_line(wh: Path, tmp_path: Path) -> None:
    cases: list[tuple[type[Exception], str, dict[str, object]]] = [
        (UnknownQueryError, "unknown query 'hp_ytd' (did you mean hp_industry_ytd or ytd?); "
         "known: catalog_search, ",
         {"name": "hp_ytd"}),
        (ParameterError, "period='2024-13' is not a month like 2024-09",
         {"name": "hp_industry_ytd", "period": "2024-13"}),
        (ParameterError, "has no parameter 'year'; it takes: period=2024-09, geo=VN-31",
         {"name": "hp_industry_ytd", "year": "2024"}),
        (ParameterError, "needs --param text=",
         {"name": "catalog_search"}),
        (ParameterError, "limit='many' is not a whole number",
         {"name": "catalog_search", "text": "x", "limit": "many"}),
        (ParameterError, "as_of 'yesterday' is not a date",
         {"name": "freshness", "as_of": "yesterday"}),
        (WarehouseMissingError, "does not exist yet: run `chiso run`",
         {"name": "freshness", "path": tmp_path / "none.duckdb"}),
    ]
    for error, message, kwargs in cases:
        name = str(kwargs.pop("name"))
        with pytest.raises(error) as caught:
            query(name, **kwargs)  # type: ignore[arg-type]
        assert message in str(caught.value)
        assert "\n" not in str(caught.value)


def test_a_path_argument_opens_another_warehouse(bundled_warehouse: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHISO_WAREHOUSE", str(tmp_path / "missing.duckdb"))
    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(bundled_warehouse, copy)
    assert one(query("national_iip_by_industry", path=copy, period="2024-09"), "ytd_yoy",
               industry="_T") == 108.64


@pytest.mark.extended
def test_the_seed_article_adds_hai_phong_industries(
    bundled_warehouse: Path, shared_releases: Path, tmp_path: Path
) -> None:
    from flows.archive import Archive
    from flows.core.model import ReleaseRef
    from flows.pipeline import load_archived, store_local
    from warehouse.connect import writer

    copy = tmp_path / "chiso.duckdb"
    shutil.copyfile(bundled_warehouse, copy)
    seed = shared_releases.parent / "seed" / "haiphong-industry-2024.txt"
    ref = ReleaseRef("press", "local-file", "", datetime(2024, 10, 15), "", title=seed.name)
    files = store_local([seed], ref, Archive(tmp_path / "archive"))
    with writer(copy) as session:
        load_archived(files, session)
    frame = query("hp_industry_ytd", path=copy, period="2024-09")
    press = by(frame, source="press")
    assert dict(zip(press["industry"], press["index_yoy"], strict=True)) == {
        "_T": 115.14, "2620": 206.17, "29": 156.38, "2750": 121.87, "3011": 127.74,
        "1392": 128.42, "2710": 126.12, "2610": 114.50}
    assert one(press, "industry_name", industry="2620") == (
        "Sản xuất máy vi tính và thiết bị ngoại vi của máy vi tính")
    assert list(frame["industry"][:3]) == ["_T", "_T", "_T"]
