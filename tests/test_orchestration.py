"""The flows as `make run` runs them: the bundled mirror into a fresh warehouse, twice."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flows.core.config import BUNDLED_MIRROR, SQL_DIR
from flows.present.summary import render
from warehouse.checks import run_checks

from samples import SEPTEMBER_2024

CHECKS = sorted(p.stem for p in (SQL_DIR / "checks").glob("*.sql"))


@pytest.fixture
def demo_env(warehouse_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CHISO_MIRROR", str(BUNDLED_MIRROR))
    return warehouse_env


@pytest.mark.slow
def test_run_loads_the_bundled_mirror_then_nothing(prefect_harness: None, demo_env: Path) -> None:
    from flows.orchestration.flows import run_all

    first = run_all()
    assert {o.status for o in first} == {"new"}, render(first)
    gso = [o.reference_period for o in first if o.source == "gso"]
    assert gso == [f"2024-{m:02d}" for m in range(1, 13)]
    assert len([o for o in first if o.source == "worldbank"]) == 6  # one per indicator
    assert sum(o.revised for o in first) > 0
    with duckdb.connect(str(demo_env), read_only=True) as con:
        figures = dict(con.execute(
            "select period_type || ' ' || period_end, value from v_first_release "
            "where series_key = 'IIP.VN._T._Z._Z.INDEX_YOY.INDEX' and period_start >= '2024-01-01'"
        ).fetchall())
        assert figures["M 2024-09-30"] == 110.84
        assert figures["YTD 2024-09-30"] == 108.64
        # Year to date for February and April-November; March's is published as quarter I
        # and December's as the year.
        assert len([k for k in figures if k.startswith("YTD")]) == 9
        assert "Q 2024-03-31" in figures and "A 2024-12-31" in figures
        latest_aug = con.execute(
            "select value, release_id from v_latest where series_key = "
            "'IIP.VN._T._Z._Z.INDEX_YOY.INDEX' and period_type = 'M' "
            "and period_start = '2024-08-01'").fetchone()
        assert latest_aug is not None and latest_aug[0] == 108.38
        assert latest_aug[1].startswith("gso:2024-09:")

        # Hải Phòng's IIP for January-September 2024: the city statistics office and the
        # Department of Industry and Trade disagree; the statistics office is preferred.
        hp_iip = ("series_key = 'IIP.VN-31._T._Z._Z.INDEX_YOY.INDEX' and period_type = 'YTD' "
                  "and period_end = '2024-09-30'")
        assert con.execute(f"select value, source from v_latest where {hp_iip}").fetchall() == [
            (114.09, "haiphong_stats")]
        assert con.execute(
            f"select source, value, other_source, other_value from v_conflicts where {hp_iip}"
        ).fetchall() == [("haiphong_stats", 114.09, "haiphong_doit", 115.14)]
        assert {o.source for o in first} == {
            "gso", "worldbank", "haiphong_stats", "haiphong_doit", "sdmx", "nsdp"}
        assert run_checks(con) == {name: [] for name in CHECKS}

    second = run_all()
    assert [o.status for o in second] == ["unchanged"] * len(first)
    assert "nothing new" in render(second)


def test_ingest_a_file_from_the_command_line(
    warehouse_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """By hand, with no Prefect server configured: in this process (tests/test_cli_usage.py
    has the same through a server)."""
    from flows.present.cli import main

    assert main(["ingest", "gso", "--file", str(SEPTEMBER_2024)]) == 0
    out = capsys.readouterr().out
    assert "taking 2024-10-06 from GSO's release calendar for 2024-09" in out
    assert "1 new, 0 unchanged, 0 failed" in out
    assert main(["ingest", "gso", "--file", str(SEPTEMBER_2024), "--published-at",
                 "2024-10-06"]) == 0
    assert "nothing new" in capsys.readouterr().out
    with duckdb.connect(str(warehouse_env), read_only=True) as con:
        row = con.execute("select reference_period, published_at, file_name from release")
        assert row.fetchall() == [("2024-09", datetime(2024, 10, 6), "2.Bieu-T9.2024.xlsx")]


def test_a_bad_file_from_the_command_line_is_one_clear_line(
    warehouse_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    from flows.present.cli import main

    page = tmp_path / "Bieu-T9.2024.xlsx"
    page.write_text("<html><body>404 Not Found</body></html>", encoding="utf-8")
    assert main(["ingest", "gso", "--file", str(page), "--published-at", "2024-10-06",
                 "--reference-period", "2024-09"]) == 1
    out = capsys.readouterr().out
    assert "FAILED  gso 2024-09 Bieu-T9.2024.xlsx: this is an HTML page" in out


@pytest.mark.extended
def test_the_seed_article_joins_the_city_reports_in_conflict(
    prefect_harness: None, demo_env: Path, shared_releases: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from flows.orchestration.flows import run_all
    from flows.present.cli import main

    seed = shared_releases.parent / "seed" / "haiphong-industry-2024.txt"
    run_all(names=["haiphong_stats", "haiphong_doit"])
    assert main(["ingest", "press", "--file", str(seed), "--published-at", "2024-10-15"]) == 0
    assert "1 new" in capsys.readouterr().out
    with duckdb.connect(str(demo_env), read_only=True) as con:
        conflicts = con.execute(
            "select source, value, other_source, other_value from v_conflicts "
            "where series_key = 'IIP.VN-31._T._Z._Z.INDEX_YOY.INDEX' and period_type = 'YTD' "
            "and period_end = '2024-09-30' order by other_source").fetchall()
        assert conflicts == [("haiphong_stats", 114.09, "haiphong_doit", 115.14),
                             ("haiphong_stats", 114.09, "press", 115.14)]
        # Exports: the department and the article agree at their published precision.
        assert con.execute("select count(*) from v_conflicts where indicator = 'EXPORTS' "
                           "and geo = 'VN-31'").fetchone() == (0,)


@pytest.mark.slow
def test_one_source_failing_does_not_stop_the_others(
    prefect_harness: None, warehouse_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.orchestration.flows import run_all

    # A mirror with GSO only: for the city sources it is as if their sites were down.
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "www.gso.gov.vn").symlink_to(BUNDLED_MIRROR / "www.gso.gov.vn")
    monkeypatch.setenv("CHISO_MIRROR", str(mirror))
    outcomes = run_all(names=["haiphong_stats", "gso"])
    failed = [o for o in outcomes if o.status == "failed"]
    assert len(failed) == 1 and failed[0].source == "haiphong_stats"
    assert "source haiphong_stats failed" in failed[0].message
    assert "thongkehaiphong.gov.vn" in failed[0].message  # the cause: the page it could not get
    assert [o.status for o in outcomes if o.source == "gso"] == ["new"] * 12
