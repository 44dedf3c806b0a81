"""The path of one release as plain functions: fetch, archive, read, normalise, validate, load.

A release goes through its source's `read` and `normalise` (flows/sources/), then `validate`
(flows/validate.py), called here and nowhere else, then the source's `settle`. Prefect wraps
these in flows/orchestration/flows.py; tests call them directly.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from urllib.parse import unquote, urlparse, urlsplit
from urllib.request import url2pathname

from flows.archive import Archive, ArchivedFile, Staged, check_blob
from flows.core import config
from flows.core.errors import ArchiveError, ChisoError, NotModified, PublicationDateError
from flows.core.killpoints import killpoint
from flows.core.model import CellTally, Observation, Rejected, ReleaseRef
from flows.core.periods import Period
from flows.fetch import fetch
from flows.readers.prose.report import read_prose
from flows.readers.workbook.tables import Table
from flows.sources import gso, source
from flows.sources.base import Contents, R, Source
from flows.validate import validate
from warehouse.connect import Writer, load_release, load_releases
from warehouse.load import (
    LoadResult,
    PendingRelease,
    ReleaseRecord,
    loaded_release,
    loaded_releases,
    named,
    release_id,
)

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


def fetch_release(
    ref: ReleaseRef, archive: Archive, mirror: Path | None, force: bool = False
) -> list[ArchivedFile]:
    """Fetch a release's files into the archive (the archived ones if the publisher says
    nothing changed).

    A conditional GET answers for the release's main file (unless `force`); its parts are
    fetched whenever the main file is. On 304 Not Modified the files archived last are handed
    on all the same: a run killed between archiving and loading has not loaded them yet, and
    loading skips a release already loaded. `file://` URLs (a backfill from a local folder)
    are copied in.
    """
    if ref.url.startswith("file://"):
        return [archive.store_local(Path(url2pathname(urlparse(ref.url).path)), ref)]
    files = []
    for n, url in enumerate((ref.url, *ref.parts)):
        previous = archive.latest_for(url) if n == 0 and not force else None
        try:
            fetched = fetch(
                url,
                archive.tmp_dir,
                etag=previous.etag if previous else None,
                last_modified=previous.last_modified if previous else None,
                mirror=mirror,
            )
        except NotModified:
            archived = _archived(ref, archive)
            return archived if archived is not None else fetch_release(ref, archive, mirror, True)
        killpoint("fetch.fetched")
        files.append(archive.store(fetched, ref))
    return files


def _archived(ref: ReleaseRef, archive: Archive) -> list[ArchivedFile] | None:
    """The release's files as last archived; None when one of them never was."""
    files = [archive.latest_for(url) for url in (ref.url, *ref.parts)]
    found = [f for f in files if f is not None]
    return found if len(found) == len(files) else None


def store_local(paths: list[Path], ref: ReleaseRef, archive: Archive) -> list[ArchivedFile]:
    """Archive files an analyst gives by hand (a workbook; a table and its mapping)."""
    return [archive.store_local(path, ref) for path in paths]


def ingest_local(paths: list[Path], ref: ReleaseRef, archive: Archive, writer: Writer,
                 force_date: bool = False) -> Outcome:
    """Load files an analyst gives by hand (`chiso ingest`): read from copies staged in the
    archive's tmp/ and archived only once they read, so a file or mapping that fails
    (`--mapping /etc/passwd`) leaves nothing in the archive; its failure is recorded in
    load_failure all the same. A release loaded already is archived again (the manifest is
    the log of what was given) and is unchanged. A file dated before the period it turns out
    to report began fails the same way, unless `force_date` (PublicationDateError)."""
    staged: list[Staged] = []
    try:
        for path in paths:  # one by one: those staged before a missing one are discarded
            staged.append(archive.stage_local(path, ref))
        name, sha256 = file_name(ref), release_hash(staged)
        contents = None
        if not loaded_release(writer.con, ref.source, sha256):
            try:
                contents = read_release(source(ref.source), [s.path for s in staged], ref)
                if not force_date:
                    check_period_begun(ref, contents)
            except ChisoError as exc:
                message = str(exc)
                names = (name, *ref.parts) if len(ref.parts) == len(staged) - 1 else ()
                for s, given in zip(staged, names or [s.name for s in staged], strict=True):
                    message = message.replace(s.path.name, given)  # as the analyst named it
                _record_failure(writer, ref, sha256, name, exc, message)
                return Outcome(ref.source, ref.reference_period, name, "failed", message=message)
        files = [archive.commit_local(s, ref) for s in staged]
        return load_archived(files, writer, contents)
    finally:
        for s in staged:
            archive.discard(s)


def check_period_begun(ref: ReleaseRef, contents: Contents) -> None:
    """PublicationDateError when `ref` is dated before the month the file reports (YYYY-MM,
    read from it) began: the check `chiso ingest` makes on the arguments when
    --reference-period is given (flows/present/arguments.check_published), made once the file
    is read when it was not. A year's or a quarter's figures are reported in their last month
    at the earliest (GSO's December workbook, on the 29th); before that, only a plan or a
    forecast, which --force-date lets in."""
    period = contents.reference_period
    if ref.reference_period or len(period) != 7:
        return
    if ref.published_at.date() < date.fromisoformat(f"{period}-01"):
        raise PublicationDateError(
            f"{ref.title}: --published-at {ref.published_at.date()} is before {period}, the "
            "period the file reports, began; give the day it was published, or --force-date "
            "for a plan or forecast")


def release_hash(files: Sequence[ArchivedFile | Staged]) -> str:
    """The release's identity: its file's sha256, or a hash of its files' hashes."""
    if len(files) == 1:
        return files[0].sha256
    return hashlib.sha256("\n".join(f.sha256 for f in files).encode()).hexdigest()


def read_archived(files: list[ArchivedFile]) -> Contents:
    """Read, normalise and validate an archived release; needs no warehouse, so fan-out tasks
    run it on other processes (flows/orchestration/flows.py, backfill with
    CHISO_TASK_RUNNER=dask). Each blob is checked against its sha256 first (CorruptBlobError):
    a file edited in the archive must not load under the hash of the one archived."""
    for f in files:
        check_blob(f)
    ref = files[0].ref
    return read_release(source(ref.source), [f.path for f in files], ref)


def read_release(src: Source[R], paths: list[Path], ref: ReleaseRef) -> Contents:
    """A release's files through its source's stages: read, normalise, validate, settle."""
    read = src.read(paths, ref)
    contents = validated(src.normalise(read, ref))
    return contents if src.settle is None else src.settle(read, contents, ref)


def validated(contents: Contents) -> Contents:
    """The validate stage, the only one, for every source: bad observations become rejects,
    addressed as their reader addresses its own."""
    repeats: list[str] = []
    good, invalid = validate(contents.observations, contents.addresses, repeats)
    # The cells of the figures left out as repeats, but those a reject accounts for. One may be
    # a kept figure's cell too (of another measure): the cell accounting counts it as a figure,
    # so no set of every kept figure's cell is made here (the 22 of the 125 shared workbooks
    # with repeats hold 73,000 figures).
    repeated = frozenset(repeats).difference(r.cell for r in invalid) if repeats else frozenset()
    return replace(contents, observations=good, rejected=[*contents.rejected, *invalid],
                   addresses={}, repeated=repeated)


@dataclass(frozen=True)
class WorkbookContents:
    """A GSO workbook read outside a release: valid observations, rejects, its tables and month."""

    observations: list[Observation]
    rejected: list[Rejected]
    tables: list[Table]
    reference_period: Period
    # Every numeric cell of every sheet, counted by sheet and outcome (cell accounting).
    cells: list[CellTally] = field(default_factory=list)


def read_gso_workbook(path: Path, reference_period: str | None = None) -> WorkbookContents:
    """Read, normalise and validate one GSO workbook through the gso source's stages (tests,
    benchmarks, coverage checks). `reference_period` (YYYY-MM) is the release's month; when
    None it is the latest month any table reports."""
    ref = ReleaseRef(gso.NAME, "", "", datetime.min, reference_period or "", title=path.name)
    found = gso.read([path], ref)
    contents = gso.settle(found, validated(gso.normalise(found, ref)), ref)
    return WorkbookContents(contents.observations, contents.rejected, found.tables,
                            found.reference_period, contents.cells)


def read_report(
    text: str, *, geo: str, published: date, source_name: str = ""
) -> tuple[list[Observation], list[Rejected]]:
    """Read and validate a report's prose outside a release (tests): its valid observations
    and its rejects, validation's addressed by sentence like the reader's own."""
    figures = read_prose(text, geo=geo, published=published, source_name=source_name)
    contents = validated(Contents(figures.observations, figures.rejected, "",
                                  addresses=figures.addresses))
    return contents.observations, contents.rejected


def load_archived(
    files: list[ArchivedFile], writer: Writer, read: Contents | ChisoError | None = None
) -> Outcome:
    """Read, normalise, validate and load one archived release; failures fail it alone.

    `read` is what read_archived gave (or raised) when the release was read elsewhere.
    """
    ready = _ready(files, writer, read)
    if isinstance(ready, Outcome):
        return ready
    result = load_release(writer.con, ready.record, ready.figures, ready.rejected, ready.cells)
    return _loaded(ready, result, writer)


def load_archived_together(
    releases: Sequence[tuple[list[ArchivedFile], Contents | ChisoError | None]], writer: Writer
) -> list[Outcome]:
    """`load_archived` for several releases of one source in order of publication (a
    backfill's batch), with the same outcomes; those to load go in one transaction where the
    backend can (warehouse.connect.load_releases), which is most of a backfill's load time."""
    ready: list[Outcome | PendingRelease] = []
    pending: dict[str, str] = {}  # the releases about to load, by sha256: loaded, to the rest
    keys = [(files[0].ref.source, release_hash(files), blob_path(files)) for files, _ in releases]
    loaded = {origin: loaded_releases(  # asked once for the batch, not once a release
                  writer.con, origin, [sha for o, sha, _ in keys if o == origin],
                  [blob for o, _, blob in keys if o == origin and blob])
              for origin in {origin for origin, _, _ in keys}}
    for (files, read), (origin, sha, blob) in zip(releases, keys, strict=True):
        by_sha, by_blob = loaded[origin]
        known = by_sha.get(sha) or (by_blob.get(blob, "") if blob else "")
        ready.append(_ready(files, writer, read, pending, known))
        if isinstance(ready[-1], PendingRelease):
            pending[ready[-1].record.sha256] = ready[-1].record.release_id
    results = iter(load_releases(writer.con, [r for r in ready if isinstance(r, PendingRelease)]))
    return [_loaded(r, next(results), writer) if isinstance(r, PendingRelease) else r
            for r in ready]


def _ready(
    files: list[ArchivedFile], writer: Writer, read: Contents | ChisoError | None,
    pending: Mapping[str, str] = MappingProxyType({}), loaded: str | None = None,
) -> Outcome | PendingRelease:
    """An archived release read and ready to load, or its outcome when there is nothing to
    load: loaded already (or `pending`: about to be), or unreadable (recorded as a failure).
    `loaded`: the id of the release loaded from its files ('' for none), when already asked."""
    ref = files[0].ref
    name = file_name(ref)
    sha256 = release_hash(files)
    if loaded is None:
        loaded = loaded_release(writer.con, ref.source, sha256, blob_path(files))
    existing = loaded or pending.get(sha256)
    if existing:
        return Outcome(ref.source, ref.reference_period, name, "unchanged", existing)
    killpoint("read.start")
    try:
        if isinstance(read, ChisoError):
            raise read
        contents = read_archived(files) if read is None else read
    except ChisoError as exc:
        message = str(exc)
        for f in files:  # name the file as the user knows it, not its archive blob
            if not isinstance(exc, ArchiveError):  # unless the blob is what is wrong
                message = message.replace(f.path.name, name)
        _record_failure(writer, ref, sha256, name, exc, message)
        return Outcome(ref.source, ref.reference_period, name, "failed", message=message)
    killpoint("read.done")
    if contents.identity and contents.identity != sha256:  # the same figures in other bytes
        sha256 = contents.identity
        existing = loaded_release(writer.con, ref.source, sha256) or pending.get(sha256)
        if existing:
            return Outcome(ref.source, ref.reference_period, name, "unchanged", existing)
    period = contents.reference_period
    record = ReleaseRecord(
        release_id(ref.source, period, sha256), ref.source, ref.dataset, period,
        ref.published_at, files[0].fetched_at, ref.url or None, name, sha256,
        _archive_path(files[0]),
    )
    figures = (contents.observations if contents.frame is None
               else named(contents.frame, record.release_id))
    return PendingRelease(record, figures, contents.rejected, contents.cells)


def blob_path(files: Sequence[ArchivedFile]) -> str | None:
    """The archived blob a one-file release is read from, as its release row names it
    (`release.archive_path`); None for a release of several files, which the blob of its
    first does not tell apart (the same data file with another mapping)."""
    return _archive_path(files[0]) if len(files) == 1 else None


def _archive_path(file: ArchivedFile) -> str:
    """The blob's path inside the archive ("blobs/ab/ab12....xlsx")."""
    return str(file.path.relative_to(file.path.parents[2]))


def _loaded(release: PendingRelease, result: LoadResult, writer: Writer) -> Outcome:
    """The outcome of a release's load."""
    writer.changed = writer.changed or result.loaded
    record = release.record
    return Outcome(
        record.source, record.reference_period, record.file_name,
        "new" if result.loaded else "unchanged", result.release_id,
        result.reported, result.added, result.revised, result.quarantined,
        quarantine_codes=Counter(r.code for r in release.rejected),
    )


def file_name(ref: ReleaseRef) -> str:
    """The release's file as the user knows it: the last segment of the URL's path, unescaped
    ("MOF SPI032025 (1).xml"), or the local name. A server that names the file it serves only
    in the query (the State Bank's `ShowProperty?nodeId=...`) leaves its path no file name:
    then the release's title, which its source sets to the file's name."""
    if not ref.url:
        return ref.title
    url = urlsplit(ref.url)
    name = unquote(url.path.rstrip("/").rsplit("/", 1)[-1])
    return ref.title if url.query and "." not in name and ref.title else name


def _record_failure(
    writer: Writer, ref: ReleaseRef, sha256: str, name: str, exc: ChisoError, message: str
) -> None:
    writer.con.execute(
        "insert into load_failure values (?, ?, ?, ?, ?, ?, current_timestamp)",
        [sha256, ref.source, ref.url or None, name, type(exc).__name__, message],
    )
    writer.changed = True
    log.error("%s", message)


def default_archive() -> Archive:
    return Archive(config.archive_dir())
