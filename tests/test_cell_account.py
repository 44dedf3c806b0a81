"""Cell accounting: the load keeps a release's tallies in its own transaction, `chiso coverage`
shows them from the warehouse or from workbooks read without loading, and the run's artifact
shows them for the releases it loaded."""

from __future__ import annotations

import math
import shutil
from collections import Counter
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flows.archive import Archive
from flows.core.model import CellTally, Observation, Rejected, ReleaseRef
from flows.core.periods import month
from flows.pipeline import Outcome, load_archived
from flows.present.artifacts import quality_markdown
from flows.present.cli import main
from flows.present.coverage import Account, by_table_kind, from_warehouse, summary
from flows.sources.base import Contents
from warehouse.checks import run_checks
from warehouse.connect import load_release, writer
from warehouse.load import ReleaseRecord, release_id
from warehouse.migrate import migrate
from warehouse.query import query

from samples import AUGUST_2024, SEPTEMBER_2024


@pytest.fixture(autouse=True)
def full_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """The coverage tables as a pipe or CI prints them: chiso cuts its tables to COLUMNS
    (flows/present/terminal.py), which a developer's terminal may have exported."""
    monkeypatch.delenv("COLUMNS", raising=False)


ALL_ROWS = "select * exclude (release_id) from cell_account order by all"
# A workbook's tallies as the reader gives them: IIP recognised, one row quarantined, the
# column numbers skipped, a stray figure unaccounted, and a sheet with no table.
TALLIES = [
    CellTally("7.IIPthang", "iip", "figure", "", 120),
    CellTally("7.IIPthang", "iip", "quarantined", "unknown-label", 4),
    CellTally("7.IIPthang", "iip", "skipped", "column-numbers", 5),
    CellTally("7.IIPthang", "iip", "unaccounted", "", 1),
    CellTally("41.Lao dong", "", "unaccounted", "", 10),
]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    migrate(connection)
    return connection


def release(day: str, value: float, source: str = "gso") -> tuple[ReleaseRecord,
                                                                   list[Observation]]:
    sha = f"{source}{day.replace('-', '')}{value}".ljust(64, "0")
    record = ReleaseRecord(release_id(source, "2024-08", sha), source, "monthly-workbook",
                           "2024-08", datetime.fromisoformat(day), None, None, f"{day}.xlsx",
                           sha, "")
    return record, [Observation("IIP", "VN", "_T", "_Z", "_Z", "index_yoy", "INDEX",
                                month(2024, 8), value, "estimate", "7.IIPthang!B9")]


# --- the load ----------------------------------------------------------------------------------


def test_the_load_keeps_the_tallies_of_its_release(con: duckdb.DuckDBPyConnection) -> None:
    record, figures = release("2024-09-06", 109.5)
    # A reader may count one sheet and outcome in parts: the warehouse keeps their sum.
    split = [*TALLIES, CellTally("7.IIPthang", "iip", "figure", "", 30)]
    load_release(con, record, figures, [], split)
    rows = con.execute("select * from cell_account order by all").fetchall()
    assert rows == [
        (record.release_id, "41.Lao dong", "", "unaccounted", "", 10),
        (record.release_id, "7.IIPthang", "iip", "figure", "", 150),
        (record.release_id, "7.IIPthang", "iip", "quarantined", "unknown-label", 4),
        (record.release_id, "7.IIPthang", "iip", "skipped", "column-numbers", 5),
        (record.release_id, "7.IIPthang", "iip", "unaccounted", "", 1),
    ]
    assert not any(run_checks(con).values())


def test_loading_a_release_twice_keeps_one_account(con: duckdb.DuckDBPyConnection) -> None:
    record, figures = release("2024-09-06", 109.5)
    assert load_release(con, record, figures, [], TALLIES).loaded
    before = con.execute(ALL_ROWS).fetchall()
    assert not load_release(con, record, figures, [], TALLIES).loaded
    assert con.execute(ALL_ROWS).fetchall() == before and len(before) == len(TALLIES)


def test_a_failed_load_leaves_no_cell_account(con: duckdb.DuckDBPyConnection) -> None:
    record, figures = release("2024-09-06", 109.5)
    # The same figure twice: refused after the tallies are written, so they must roll back.
    with pytest.raises(duckdb.ConstraintException, match="given 2 times"):
        load_release(con, record, [figures[0], figures[0]], [], TALLIES)
    assert con.execute("select count(*) from cell_account").fetchone() == (0,)
    assert con.execute("select count(*) from release").fetchone() == (0,)
    assert load_release(con, record, figures, [], TALLIES).loaded  # the same release, whole
    assert con.execute("select count(*) from cell_account").fetchone() == (len(TALLIES),)


def test_a_release_without_cells_has_no_account(con: duckdb.DuckDBPyConnection) -> None:
    record, figures = release("2024-09-06", 109.5, source="worldbank")
    load_release(con, record, figures, [])
    assert con.execute("select count(*) from cell_account").fetchone() == (0,)
    assert from_warehouse(con).without == [record.release_id]


def test_the_pipeline_passes_the_readers_tallies_to_the_load(
    warehouse_env: Path, tmp_path: Path, published: object
) -> None:
    ref = ReleaseRef("gso", "local-file", "", datetime(2024, 10, 6), "2024-09",
                     title=SEPTEMBER_2024.name)
    files = [Archive(tmp_path / "archive").store_local(SEPTEMBER_2024, ref)]
    _, figures = release("2024-10-06", 110.84)
    # The tallies as the gso reader will give them (issue 13): here made by hand.
    read = Contents(figures, [], "2024-09", cells=TALLIES)
    with writer() as session:
        outcome = load_archived(files, session, read)
    assert outcome.status == "new"
    con = published()  # type: ignore[operator]
    assert con.execute("select sum(cells) from cell_account where release_id = ?",
                       [outcome.release_id]).fetchone() == (140,)


# --- what coverage counts ----------------------------------------------------------------------


def test_summary_counts_each_outcome_and_the_unrecognised_sheets() -> None:
    frame = summary([Account("gso:2024-09:abc", TALLIES)], "release")
    row = frame.iloc[0].to_dict()
    assert row == {"release": "gso:2024-09:abc", "sheets": 2, "table kinds": 1, "figured": 120,
                   "quarantined": 4, "skipped": 5, "hidden": 0, "unaccounted": 11,
                   "% figured": 85.71,
                   "unrecognised sheets": "41.Lao dong"}
    kinds = by_table_kind([Account("a", TALLIES), Account("b", TALLIES)])
    assert list(kinds["table kind"]) == ["iip", "(unrecognised)"]
    assert list(kinds["sheets"]) == [2, 2] and list(kinds["figured"]) == [240, 0]


def test_hidden_cells_have_a_column_of_their_own_and_no_part_in_the_share() -> None:
    tallies = [*TALLIES, CellTally("7.IIPthang", "iip", "skipped", "hidden-cell", 40),
               CellTally("6NN", "", "skipped", "hidden-cell", 43)]  # a hidden sheet
    row = summary([Account("a", tallies)], "release").iloc[0]
    assert (row["skipped"], row["hidden"], row["% figured"]) == (5, 83, 85.71)
    assert row["unrecognised sheets"] == "41.Lao dong"
    # By kind, the hidden sheet is a row of its own, not an unrecognised one.
    kinds = by_table_kind([Account("a", tallies)]).set_index("table kind")
    assert list(kinds.index) == ["iip", "(unrecognised)", "(hidden)"]
    assert (kinds.loc["(hidden)", "sheets"], kinds.loc["(hidden)", "hidden"]) == (1, 43)
    assert kinds.loc["(unrecognised)", "hidden"] == 0


def test_a_workbook_read_before_its_cells_were_counted_still_lists_its_sheets() -> None:
    account = Account("x.xlsx", [], [("7.IIPthang", "iip"), ("28.CPI", "cpi")])
    row = summary([account], "workbook").iloc[0]
    assert (row["sheets"], row["table kinds"], row["figured"]) == (2, 2, 0)
    assert math.isnan(row["% figured"])  # nothing counted is not 0 % figured


# --- chiso coverage on the warehouse -----------------------------------------------------------


@pytest.fixture(scope="module")
def loaded_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A published warehouse: two gso releases with tallies (September's newer) and a World
    Bank release without; its folder and the gso release ids, latest first. Loaded once for
    the module, not per test: each test gets a copy (`loaded`)."""
    folder = tmp_path_factory.mktemp("loaded") / "wh"
    august, september = release("2024-09-06", 109.5), release("2024-10-06", 110.84)
    clean = [CellTally("7.IIPthang", "iip", "figure", "", 100),
             CellTally("7.IIPthang", "iip", "skipped", "hidden-cell", 7)]
    with writer(folder / "chiso.duckdb") as session:
        load_release(session.con, *august, [], clean)
        load_release(session.con, *september, [Rejected("7.IIPthang", "A12", "Khác", "4",
                                                        "unknown-label", "no code")], TALLIES)
        load_release(session.con, *release("2024-10-07", 2.5, source="worldbank"), [])
        session.changed = True
    return folder, [september[0].release_id, august[0].release_id]


@pytest.fixture
def loaded(loaded_folder: tuple[Path, list[str]], warehouse_env: Path) -> list[str]:
    """A copy of that warehouse where warehouse_env points chiso; the gso release ids."""
    folder, ids = loaded_folder
    shutil.copytree(folder, warehouse_env.parent)
    return list(ids)


def test_coverage_lists_the_releases_latest_first(
    loaded: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["coverage"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "2 releases with cell accounting, latest first"
    assert lines[1].split()[:9] == ["release", "sheets", "table", "kinds", "figured",
                                    "quarantined", "skipped", "hidden", "unaccounted"]
    assert lines[2].split() == [loaded[0], "2", "1", "120", "4", "5", "0", "11", "85.71",
                                "41.Lao", "dong"]
    assert lines[3].split() == [loaded[1], "1", "1", "100", "0", "0", "7", "0", "100.00"]
    assert "1 release without cell accounting" in out
    assert "by sheet" not in out  # sheet by sheet only for one release


def test_coverage_of_one_release_goes_sheet_by_sheet(
    loaded: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["coverage", "--release", loaded[0]]) == 0
    out = capsys.readouterr().out
    assert f"by sheet of {loaded[0]}" in out
    sheet = next(line for line in out.splitlines() if line.startswith("7.IIPthang"))
    assert sheet.split() == ["7.IIPthang", "iip", "120", "4", "5", "0", "1", "92.31",
                             "column-numbers", "5,", "unknown-label", "4"]
    assert any(line.split()[:2] == ["41.Lao", "dong"] and "(unrecognised)" in line
               for line in out.splitlines())


def test_coverage_filters_by_source_and_names_an_unknown_release(
    loaded: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["coverage", "--source", "worldbank"]) == 0
    assert "1 release without cell accounting" in capsys.readouterr().out
    assert main(["coverage", "--release", "gso:2099-01:nothing"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("chiso: no release 'gso:2099-01:nothing' in the warehouse")
    assert "Traceback" not in err


def test_the_named_query_counts_as_coverage_does(loaded: list[str], published: object) -> None:
    frame = query("coverage", source="gso")
    assert list(frame["release_id"]) == loaded
    accounts = from_warehouse(published(), source="gso").accounts  # type: ignore[operator]
    expected = summary(accounts, "release")
    for column, named in [("sheets", "sheets"), ("table kinds", "table_kinds"),
                          ("figured", "figured"), ("quarantined", "quarantined"),
                          ("skipped", "skipped"), ("hidden", "hidden"),
                          ("unaccounted", "unaccounted"),
                          ("% figured", "pct_figured"),
                          ("unrecognised sheets", "unrecognised_sheets")]:
        assert list(frame[named]) == list(expected[column]), column
    everything = query("coverage")
    assert everything["figured"].isna().sum() == 1  # the World Bank release: no accounting


def test_the_run_artifact_shows_the_cell_accounting(loaded: list[str], published: object
                                                    ) -> None:
    con = published()  # type: ignore[operator]
    new = Outcome("gso", "2024-09", "2.Bieu-T9.2024.xlsx", "new", loaded[0], reported=1,
                  quarantined=1, quarantine_codes=Counter({"unknown-label": 1}))
    text = quality_markdown(con, "gso", [new])
    section = text.split("## Cell accounting", 1)[1].split("\n## ", 1)[0]
    assert f"| `{loaded[0]}` | 2 | 120 | 4 | 5 | 11 | 85.71 | 41.Lao dong |" in section
    unchanged = Outcome("gso", "2024-09", "2.Bieu-T9.2024.xlsx", "unchanged", loaded[0])
    assert "## Cell accounting" not in quality_markdown(con, "gso", [unchanged])


# --- chiso coverage on workbooks ---------------------------------------------------------------


def test_coverage_of_a_workbook_reads_it_without_loading(
    warehouse_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["coverage", "--file", str(SEPTEMBER_2024)]) == 0
    out = capsys.readouterr().out
    # Until the gso reader counts cells (issue 13, the reader's change), only the sheets of
    # its tables are known: assert those; then assert the counts of each outcome as well.
    for sheet in ("7.IIPthang", "8.IIPquy", "23.XK tháng", "25.NK tháng", "28.CPI"):
        assert sheet in out
    assert out.splitlines()[1].startswith(SEPTEMBER_2024.name)
    assert not warehouse_env.exists()  # nothing was loaded


def test_coverage_of_a_folder_names_the_file_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "gso"
    folder.mkdir()
    (folder / SEPTEMBER_2024.name).write_bytes(SEPTEMBER_2024.read_bytes())
    (folder / AUGUST_2024.name).write_bytes(AUGUST_2024.read_bytes())
    (folder / "Bieu-T10.2024.xlsx").write_bytes(SEPTEMBER_2024.read_bytes()[:60_000])
    (folder / "notes.txt").write_text("not a workbook, not read", encoding="utf-8")
    assert main(["coverage", "--folder", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        "chiso: Bieu-T10.2024.xlsx: the .xlsx container is damaged or truncated (File is not a "
        "zip file); download it again"]
    rows = {line.split()[0] for line in out.splitlines() if line}
    assert {AUGUST_2024.name, SEPTEMBER_2024.name, "total"} <= rows
    assert "by table kind" in out and "notes.txt" not in out
    assert out.rstrip().endswith("not read (1 of 3, see above): Bieu-T10.2024.xlsx")


def test_coverage_of_a_file_it_cannot_read_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "Bieu-T10.2024.xlsx"
    bad.write_text("<!DOCTYPE html><html></html>", encoding="utf-8")
    assert main(["coverage", "--file", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("chiso: Bieu-T10.2024.xlsx: ") and "\n" not in err
