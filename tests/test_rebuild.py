"""The archive alone is enough: `chiso rebuild` replays it into a warehouse equal to the live
one, row for row, and in any order of loading."""

from __future__ import annotations

import random
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


@pytest.fixture
def live(warehouse_env: Path, tmp_path: Path) -> Archive:
    """A live warehouse: several sources from the bundled mirror and files given by hand."""
    archive = Archive(tmp_path / "wh" / "archive")
    refs = discovered(["gso", "worldbank", "haiphong_stats", "haiphong_doit", "sdmx"])
    fetched = [fetch_release(ref, archive, BUNDLED_MIRROR) for ref in refs]
    with writer() as session:
        for files in [*fetched, *local(archive, tmp_path)]:
            assert files is not None
            load_archived(files, session)
    return archive


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
