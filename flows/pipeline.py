"""The path of one release as plain functions: fetch, archive, read, normalise, validate, load.

Prefect wraps these in flows/orchestration.py; tests call them directly.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from flows import config
from flows.archive import Archive, ArchivedFile
from flows.errors import ChisoError, NotModified
from flows.fetch import fetch
from flows.readers.gso_workbook import read_gso_workbook
from flows.release import ReleaseRef
from warehouse.connect import Writer
from warehouse.load import ReleaseRecord, load_release, loaded_release, release_id

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What happened to one release in a run."""

    source: str
    reference_period: str
    file_name: str
    status: str  # new | unchanged | failed
    release_id: str | None = None
    reported: int = 0
    added: int = 0
    revised: int = 0
    quarantined: int = 0
    message: str = ""
    quarantine_codes: Counter[str] = field(default_factory=Counter)


def fetch_release(ref: ReleaseRef, archive: Archive, mirror: Path | None) -> ArchivedFile | None:
    """Fetch a release's file into the archive; None when the publisher says it is unchanged."""
    previous = archive.latest_for(ref.url)
    try:
        fetched = fetch(
            ref.url,
            archive.tmp_dir,
            etag=previous.etag if previous else None,
            last_modified=previous.last_modified if previous else None,
            mirror=mirror,
        )
    except NotModified:
        return None
    return archive.store(fetched, ref)


def load_archived(archived: ArchivedFile, writer: Writer) -> Outcome:
    """Read, normalise, validate and load one archived file; failures fail this release only."""
    ref = archived.ref
    name = ref.url.rsplit("/", 1)[-1] if ref.url else ref.title
    existing = loaded_release(writer.con, ref.source, archived.sha256)
    if existing:
        return Outcome(ref.source, ref.reference_period, name, "unchanged", existing)
    try:
        contents = read_gso_workbook(archived.path, ref.reference_period or None)
    except ChisoError as exc:
        message = str(exc).replace(archived.path.name, name)
        _record_failure(writer, archived, name, exc, message)
        return Outcome(ref.source, ref.reference_period, name, "failed", message=message)
    period = ref.reference_period or f"{contents.reference_period.start:%Y-%m}"
    record = ReleaseRecord(
        release_id(ref.source, period, archived.sha256), ref.source, ref.dataset, period,
        ref.published_at, archived.fetched_at, ref.url or None, name, archived.sha256,
        str(archived.path.relative_to(archived.path.parents[2])),
    )
    result = load_release(writer.con, record, contents.observations, contents.rejected)
    writer.changed = writer.changed or result.loaded
    return Outcome(
        ref.source, period, name, "new" if result.loaded else "unchanged", result.release_id,
        result.reported, result.added, result.revised, result.quarantined,
        quarantine_codes=Counter(r.code for r in contents.rejected),
    )


def _record_failure(
    writer: Writer, archived: ArchivedFile, name: str, exc: ChisoError, message: str
) -> None:
    writer.con.execute(
        "insert into load_failure values (?, ?, ?, ?, ?, ?, current_timestamp)",
        [archived.sha256, archived.ref.source, archived.ref.url or None, name,
         type(exc).__name__, message],
    )
    writer.changed = True
    log.error("%s", message)


def default_archive() -> Archive:
    return Archive(config.archive_dir())
