"""The archive alone is enough: `chiso rebuild` replays it into a warehouse equal to the live
one, row for row, and in any order of loading."""

from __future__ import annotations

import random
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from flows.archive import Archive
from flows.core.config import BUNDLED_MIRROR, REFERENCE_DIR, warehouse_path
from flows.core.model import ReleaseRef
from flows.fetch import get_bytes
from flows.orchestration.rebuild import rebuild, releases
from flows.pipeline import fetch_release, load_archived, store_local
from flows.sources import SOURCES
from warehouse.connect import writer

from samples import AUGUST_2024, SEPTEMBER_2024

# Every table, less the timestamps of loading (they say when, not what).
COMPARED = {
    "release": "select * exclude (loaded_at) from release order by release_id",
    "series": "select * from series order by series_key",
    "reported": "select * from reported order by all",
    "observation": "select * from observation order by all",
    "quarantine": "select * from quarantine order by all",
    "cell_account": "select * from cell_account order by all",
    # a log of attempts: a file tried twice failed twice; what failed, and why, is the same
    "load_failure": "select distinct * exclude (failed_at) from load_failure order by all",
}
REGISTERS = REFERENCE_DIR / "registers"


def snapshot(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in COMPARED.items()}


def discovered(names: list[str]) -> list[ReleaseRef]:
    refs = []
    for name in names:
        discover = SOURCES[name].discover
        assert discover is not None
        refs += discover(lambda url: get_bytes(url, mirror=BUNDLED_MIRROR), None)
    return refs


def local(archive: Archive, tmp_path: Path) -> list[list]:  # type: ignore[type-arg]
    """Files given by hand: the parks register with its mapping, and an HTML error page."""
    published = datetime(2024, 10, 15)
    register = [REGISTERS / "haiphong_industrial_park_totals.csv",
                REGISTERS / "haiphong_industrial_park_totals.toml"]
    page = tmp_path / "Bieu-T10.2024.xlsx"
    page.write_text("<html><body>503</body></html>", encoding="utf-8")
    return [
        store_local(register, ReleaseRef("files", "local-file", "", published, "",
                                         title=register[0].name, parts=(register[1].name,)),
                    archive),
        store_local([page], ReleaseRef("gso", "local-file", "", published, "2024-10",
                                       title=page.name), archive),
    ]


@pytest.fixture(scope="module")
def live_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A live warehouse and its archive: several sources from the bundled mirror and files given
    by hand. Loaded once for the module (~2 s), not per test: each test gets a copy (`live`)."""
    root = tmp_path_factory.mktemp("live")
    archive = Archive(root / "wh" / "archive")
    refs = discovered(["gso", "worldbank", "haiphong_stats", "haiphong_doit", "sdmx"])
    fetched = [fetch_release(ref, archive, BUNDLED_MIRROR) for ref in refs]
    with writer(root / "wh" / "chiso.duckdb") as session:
        for files in [*fetched, *local(archive, root)]:
            assert files is not None
            load_archived(files, session)
    return root / "wh"


@pytest.fixture
def live(live_folder: Path, warehouse_env: Path) -> Archive:
    """A copy of the live warehouse and archive where warehouse_env points chiso: a test may
    rebuild over it, load into it or break it without touching the others'."""
    shutil.copytree(live_folder, warehouse_env.parent)
    return Archive(warehouse_env.parent / "archive")


def test_rebuild_equals_the_live_warehouse(live: Archive, tmp_path: Path) -> None:
    target = tmp_path / "rebuilt.duckdb"
    outcomes = rebuild(live, target)
    assert [o.status for o in outcomes].count("failed") == 1  # the HTML page, again
    before, after = snapshot(warehouse_path()), snapshot(target)
    assert len(before["release"]) == 26
    for table in COMPARED:
        assert after[table] == before[table], table


def test_shuffled_and_repeated_loads_give_the_same_warehouse(
    live: Archive, tmp_path: Path
) -> None:
    groups, problems = releases(live.entries())
    assert not problems
    shuffled = groups * 2
    random.Random(20241006).shuffle(shuffled)
    target = tmp_path / "shuffled.duckdb"
    with writer(target) as session:
        for files in shuffled:
            load_archived(files, session)
    before, after = snapshot(warehouse_path()), snapshot(target)
    for table in COMPARED:
        assert after[table] == before[table], table


def test_rebuild_refuses_to_overwrite(live: Archive) -> None:
    with pytest.raises(FileExistsError, match="rebuild into a new path"):
        rebuild(live, warehouse_path())


def two_workbooks(archive: Archive) -> list[list]:  # type: ignore[type-arg]
    """September's and August's 2024 GSO workbooks, archived as files given by hand."""
    return [store_local([path], ReleaseRef("gso", "local-file", "", published, period,
                                           title=path.name), archive)
            for path, published, period in ((SEPTEMBER_2024, datetime(2024, 10, 6), "2024-09"),
                                            (AUGUST_2024, datetime(2024, 9, 6), "2024-08"))]


def test_a_blob_edited_after_archiving_fails_its_release_alone(
    warehouse_env: Path, tmp_path: Path
) -> None:
    """September's blob is overwritten with August's workbook, a valid file with other figures:
    the rebuild must not load them under September's hash; August still loads."""
    archive = Archive(tmp_path / "archive")
    september, _august = two_workbooks(archive)
    blob = september[0].path
    blob.write_bytes(AUGUST_2024.read_bytes())
    target = tmp_path / "rebuilt.duckdb"
    outcomes = rebuild(archive, target)
    assert [o.status for o in outcomes] == ["failed", "new"]
    message = outcomes[0].message
    assert str(blob) in message and september[0].sha256 in message and "\n" not in message
    assert "Restore the blob from a backup, or delete it and fetch the release again" in message
    with duckdb.connect(str(target), read_only=True) as con:
        assert con.execute("select file_name from release").fetchall() == [(AUGUST_2024.name,)]
        assert con.execute("select count(*) from observation").fetchone() == (
            outcomes[1].added,)
        failure = con.execute("select sha256, error from load_failure").fetchall()
    assert failure == [(september[0].sha256, "CorruptBlobError")]


def test_a_torn_manifest_line_fails_the_rebuild_naming_the_release(
    warehouse_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The live warehouse has both releases; the manifest's last line lost its end (a crash
    mid-write): the rebuild loads one, and says it could not load the other."""
    archive = Archive(warehouse_env.parent / "archive")
    with writer() as session:
        for files in two_workbooks(archive):
            assert load_archived(files, session).status == "new"
    text = archive.manifest.read_text(encoding="utf-8")
    archive.manifest.write_text(text[:-40], encoding="utf-8")
    outcomes = rebuild(archive, tmp_path / "rebuilt.duckdb")
    assert [o.status for o in outcomes] == ["new", "failed"]
    assert "line 2 is torn" in outcomes[1].message
    assert f"it recorded the fetch of {AUGUST_2024.name}" in outcomes[1].message
    from flows.present.cli import main

    assert main(["rebuild", "--into", str(tmp_path / "again.duckdb")]) != 0
    printed = capsys.readouterr().out
    assert "1 failed" in printed and f"fetch of {AUGUST_2024.name}" in printed


def test_a_torn_line_repeating_an_archived_file_loses_nothing(
    warehouse_env: Path, tmp_path: Path
) -> None:
    """August given twice: the second line torn names a file the first line archived."""
    archive = Archive(tmp_path / "archive")
    two_workbooks(archive)
    store_local([AUGUST_2024], ReleaseRef("gso", "local-file", "", datetime(2024, 9, 6),
                                          "2024-08", title=AUGUST_2024.name), archive)
    text = archive.manifest.read_text(encoding="utf-8")
    archive.manifest.write_text(text[:-40], encoding="utf-8")
    outcomes = rebuild(archive, tmp_path / "rebuilt.duckdb")
    assert [o.status for o in outcomes] == ["new", "new"]
