"""One definition of overdue (sql/views/freshness_as_of.sql): the run's warning and
`chiso query freshness` name the same release and the same delay; the demo says once that
its mirror ends, instead of a warning per publisher."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.core import config
from flows.orchestration.freshness import overdue
from flows.pipeline import Outcome
from flows.present.summary import MIRROR_NOTE, render
from warehouse.query import query


@pytest.fixture
def con(bundled_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> duckdb.DuckDBPyConnection:
    monkeypatch.setenv("CHISO_WAREHOUSE", str(bundled_warehouse))
    with duckdb.connect(str(bundled_warehouse), read_only=True) as connection:
        yield connection


def test_the_warning_and_the_query_name_the_same_release_and_delay(
    con: duckdb.DuckDBPyConnection,
) -> None:
    today = date.today()
    frame = query("freshness").set_index("source")
    for source in ("gso", "haiphong_stats", "haiphong_doit"):
        late = overdue(con, source, today)
        row = frame.loc[source]
        assert late is not None and bool(row["overdue"]), source
        assert (late.period, late.expected, late.days) == (
            row["next_period"], row["next_expected_on"].date(), row["days_overdue"]), source
    gso = overdue(con, "gso", today)
    assert gso is not None
    # the oldest release missing: January 2025, the first after the mirror's December 2024
    assert (gso.period, gso.expected) == ("2025-01", date(2025, 2, 6))
    assert gso.days == (today - date(2025, 2, 6)).days
    assert gso.sentence() == (f"gso: the 2025-01 release, expected on 2025-02-06, has not "
                              f"arrived ({gso.days} days overdue)")
    for source in ("worldbank", "sdmx", "files", "press"):  # no calendar: never overdue
        assert overdue(con, source, today) is None


def test_overdue_after_a_day_of_grace_as_things_stood(con: duckdb.DuckDBPyConnection) -> None:
    # the city office's October 2024 report was expected on 29 October
    assert overdue(con, "haiphong_stats", date(2024, 10, 29)) is None
    late = overdue(con, "haiphong_stats", date(2024, 10, 31))
    assert late is not None and (late.period, late.days) == ("2024-10", 2)
    then = query("freshness", "2024-10-31").set_index("source").loc["haiphong_stats"]
    assert (then["next_period"], then["days_overdue"]) == ("2024-10", 2)
    # GSO's September report came out on 6 October: as of the 7th nothing is owed yet
    assert overdue(con, "gso", date(2024, 10, 7)) is None


def test_the_demo_says_once_that_its_mirror_ends(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch,
) -> None:
    last = con.execute("select max(reference_period) from release where source = 'gso'")
    assert last.fetchone() == (f"{config.BUNDLED_MIRROR_ENDS}-12",)
    outcomes = [Outcome("gso", "2024-12", "02.Bieu-T12.2024.xlsx", "unchanged")]
    monkeypatch.setenv("CHISO_MIRROR", "bundled")
    lines = render(outcomes).splitlines()
    assert lines[0] == MIRROR_NOTE and "ends in 2024" in MIRROR_NOTE
    assert sum("mirror" in line for line in lines) == 1
    monkeypatch.setenv("CHISO_MIRROR", str(Path.cwd()))
    assert MIRROR_NOTE not in render(outcomes)


def test_reopening_the_warehouse_changes_no_view(bundled_warehouse: Path, tmp_path: Path) -> None:
    # A definition DuckDB writes back differently (a DATE cast, a CROSS JOIN in a macro) would
    # look changed on every open: each writer would republish the file and rewrite the report.
    import shutil

    from warehouse.migrate import migrate, view_definitions

    copy = shutil.copyfile(bundled_warehouse, tmp_path / "chiso.duckdb")
    with duckdb.connect(str(copy)) as connection:
        before = view_definitions(connection)
        assert migrate(connection) == []
        assert view_definitions(connection) == before
        assert "freshness_as_of" in {name for name, _, _ in before}
