"""The demo warehouse, built without Prefect: every discoverable source from the bundled mirror
and Hải Phòng's industrial parks register, as `make run` loads them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flows.archive import Archive
from flows.core.config import BUNDLED_MIRROR, REFERENCE_DIR
from flows.core.model import ReleaseRef
from flows.fetch import get_bytes
from flows.pipeline import fetch_release, load_archived, store_local
from flows.sources import SOURCES
from warehouse.connect import writer

REGISTERS = REFERENCE_DIR / "registers"
DISCOVERABLE = ["gso", "worldbank", "haiphong_stats", "haiphong_doit", "sdmx", "nsdp"]


def build(warehouse: Path, archive_dir: Path) -> Path:
    """Load the bundled releases into a new warehouse at `warehouse`; returns its path."""
    archive = Archive(archive_dir)
    batches = []
    for name in DISCOVERABLE:
        discover = SOURCES[name].discover
        assert discover is not None
        for ref in discover(lambda url: get_bytes(url, mirror=BUNDLED_MIRROR), None):
            files = fetch_release(ref, archive, BUNDLED_MIRROR)
            assert files is not None
            batches.append(files)
    published = datetime(2024, 10, 15)
    for stem in ("haiphong_industrial_parks", "haiphong_industrial_park_totals"):
        paths = [REGISTERS / f"{stem}.csv", REGISTERS / f"{stem}.toml"]
        ref = ReleaseRef("files", "local-file", "", published, "", title=paths[0].name,
                         parts=(paths[1].name,))
        batches.append(store_local(paths, ref, archive))
    with writer(warehouse) as session:
        for files in batches:
            load_archived(files, session)
    return warehouse
