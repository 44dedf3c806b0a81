"""The raw archive: each fetched file kept once under its sha256, plus a manifest of every fetch."""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import mimetypes
import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from flows.archive_index import Line, ManifestIndex, canonical
from flows.core.errors import ArchiveError, CorruptBlobError
from flows.core.killpoints import killpoint
from flows.core.model import ReleaseRef
from flows.fetch import CHUNK_BYTES, Fetched, redact

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.jsonl"
BLOB_DIR = "sha256"
TMP_DIR = "tmp"
# No download or copy takes an hour; a temporary file older than that was left by a crash.
STALE_TEMP_SECONDS = 3600
# ".xlsx", ".xls", ".pdf", ".html": ten characters is plenty and keeps odd URLs from leaking in.
MAX_SUFFIX_CHARS = 10
_SUFFIX_JUNK = re.compile(r"[^a-z0-9.]")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SHA256_FIELD = re.compile(r'"sha256": "([0-9a-f]{64})"')
# What a manifest line may point at; anything else (an absolute path, "..") is a damaged line.
_ARCHIVE_PATH = re.compile(
    rf"{BLOB_DIR}/[0-9a-f]{{2}}/([0-9a-f]{{64}})[a-z0-9.]{{0,{MAX_SUFFIX_CHARS}}}"
)
# A media type that says nothing about the format, so it gives no suffix.
_OPAQUE_MEDIA = "application/octet-stream"


@dataclass(frozen=True)
class ArchivedFile:
    """One manifest line: a blob in the archive and the fetch that brought it.

    `url` (and `ref.url`) are redacted as written to the manifest. `fetched_at` is aware UTC.
    `origin` is "network", "mirror" or "local" (an analyst's file given to `store_local`).
    """

    sha256: str
    path: Path
    ref: ReleaseRef
    size: int
    fetched_at: datetime
    etag: str | None
    last_modified: str | None
    media_type: str | None
    url: str
    origin: str = "network"
    file_name: str = ""  # the name it was fetched or given under (not the blob's name)


@dataclass(frozen=True)
class Staged:
    """An analyst's file copied into the archive's tmp/ and hashed, before it is archived."""

    fetched: Fetched
    name: str  # the name it was given under

    @property
    def path(self) -> Path:
        return self.fetched.path

    @property
    def sha256(self) -> str:
        return self.fetched.sha256


class Archive:
    """A content-addressed folder of raw releases: `root/sha256/<2 hex>/<hex><suffix>`.

    Every `store` appends a manifest line, even when the bytes are already archived: the manifest
    is the log of fetches (when, from where, with which ETag), the blobs are the set of contents.
    Replaying the very same record (same fetch, same ref) adds nothing, so `store` is idempotent.

    Each Archive keeps an index of the manifest (flows/archive_index.py) that reads only the
    lines appended since its last use, by this object or another process: a store and a
    `latest_for` cost the same whether the manifest holds ten lines or ten thousand.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.manifest = root / MANIFEST_NAME
        self.tmp_dir = root / TMP_DIR  # give this to fetch(): same filesystem, atomic rename
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        (root / BLOB_DIR).mkdir(exist_ok=True)
        if not self.manifest.exists():
            self.manifest.touch()
            _fsync_dir(root)  # so the manifest's own directory entry survives a power cut
        self._index: ManifestIndex[ArchivedFile] = ManifestIndex(self.manifest, self._line)
        self._sweep_stale_temps()

    def __getstate__(self) -> dict[str, Any]:
        # A copy sent to another process (a Dask worker) reads the manifest itself: the index
        # and its thread lock belong to this process.
        return {name: value for name, value in vars(self).items() if name != "_index"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(state)
        self._index = ManifestIndex(self.manifest, self._line)

    def store(self, fetched: Fetched, ref: ReleaseRef) -> ArchivedFile:
        """Move a fetched temporary file into the archive (or drop it if the blob exists)."""
        temp = fetched.path
        if temp.exists():
            temp = self._adopt(temp)
            sha256, size = _hash_file(temp)
            if (sha256, size) != (fetched.sha256, fetched.size):
                temp.unlink(missing_ok=True)
                raise ArchiveError(
                    f"{fetched.path}: hashes to {sha256} ({size} bytes) but the fetch of "
                    f"{redact(fetched.url)} recorded {fetched.sha256} ({fetched.size} bytes); it "
                    "changed after download. Fetch the URL again."
                )
        name = unquote(PurePosixPath(urlsplit(fetched.url).path).name) or "index.html"
        origin = "mirror" if fetched.from_mirror else "network"
        return self._commit(replace(fetched, path=temp), ref, name, origin)

    def store_local(self, path: Path, ref: ReleaseRef) -> ArchivedFile:
        """Copy an analyst's local file into the archive; the original is left untouched."""
        return self.commit_local(self.stage_local(path, ref), ref)

    def stage_local(self, path: Path, ref: ReleaseRef) -> Staged:
        """A hashed copy of an analyst's file in tmp/ (with the file's suffix), not archived
        yet: `commit_local` archives it, `discard` drops it (a file that fails to load is not
        kept)."""
        if not path.is_file():
            raise ArchiveError(
                f"{path}: no such file; expected a local copy of {redact(ref.url)}. "
                "Check the path, or let the flow fetch the URL itself."
            )
        media_type, _ = mimetypes.guess_type(path.name)
        temp, sha256, size = self._copy_in(path, _suffix(path.name, media_type))
        local = Fetched(
            ref.url, temp, sha256, size, datetime.now(UTC), None, None, media_type, False
        )
        return Staged(local, path.name)

    def commit_local(self, staged: Staged, ref: ReleaseRef) -> ArchivedFile:
        """Archive a staged file: its blob, then its manifest line."""
        return self._commit(staged.fetched, ref, staged.name, "local")

    def discard(self, staged: Staged) -> None:
        """Drop a staged file (nothing, once it is committed: its temporary file was moved)."""
        staged.path.unlink(missing_ok=True)

    def entries(self) -> list[ArchivedFile]:
        """Every readable manifest line, in the order written; unreadable lines are logged."""
        entries, problems = self.readable()
        for problem in problems:
            log.warning("%s", problem)
        return entries

    def readable(self) -> tuple[list[ArchivedFile], list[str]]:
        """Every readable manifest line, in the order written, and a description of each line
        that is not (a rebuild reports those as releases it could not load).

        The whole manifest is read again: a check sees the file as it is, not as remembered."""
        with self._indexed(again=True) as index:
            return index.readable()

    def latest_for(self, url: str) -> ArchivedFile | None:
        """The most recent fetch of `url` (its ETag and Last-Modified feed a conditional GET);
        among fetches at the same time, the one written last."""
        with self._indexed() as index:
            return index.latest_for(redact(url))

    def path_of(self, sha256: str) -> Path:
        """The blob holding content `sha256`; ArchiveError when it is not archived."""
        if not _SHA256.fullmatch(sha256):
            raise ArchiveError(f"{sha256!r}: expected 64 lower-case hex digits of a sha256.")
        blob = self._find_blob(sha256)
        if blob is None:
            raise ArchiveError(
                f"{sha256}: no blob under {self.root / BLOB_DIR / sha256[:2]}. "
                "Run Archive.verify() to list what is missing, then fetch the release again."
            )
        return blob

    def verify(self) -> list[str]:
        """Problems found: unreadable manifest lines, missing or corrupt blobs, orphan blobs."""
        entries, problems = self.readable()
        referenced = set()
        for entry in entries:
            referenced.add(entry.path.relative_to(self.root).as_posix())
            if not entry.path.is_file():
                problems.append(
                    f"{entry.path}: blob missing for {entry.url} (sha256 {entry.sha256}); "
                    "fetch the release again to restore it."
                )
        for blob in sorted((self.root / BLOB_DIR).glob("*/*")):
            if blob.is_file():
                problems.extend(self._check_blob(blob, referenced))
        return problems

    # -- writing ---------------------------------------------------------------------------------

    def _commit(self, fetched: Fetched, ref: ReleaseRef, name: str, origin: str) -> ArchivedFile:
        """Blob first, then the manifest line, both under the manifest lock."""
        row = _row(fetched, ref, name, origin)
        with self._locked() as handle:
            blob = self._place(fetched.path, fetched.sha256, _suffix(name, fetched.media_type))
            row["archive_path"] = blob.relative_to(self.root).as_posix()
            # read under the lock, so another process storing the same row is done or waits
            with self._indexed() as index:
                if not index.holds(row):
                    append_json_line(handle, row)
        killpoint("archive.appended")
        return self._entry(row)

    def _place(self, temp: Path, sha256: str, suffix: str) -> Path:
        """The blob for `sha256`: the existing one (temp dropped) or `temp` renamed into place."""
        blob = self._find_blob(sha256)
        if blob is not None:
            temp.unlink(missing_ok=True)
            return blob
        if not temp.exists():
            raise ArchiveError(
                f"{temp}: the temporary file is gone and no blob {sha256} is archived. "
                "It was stored or swept already; fetch the URL again."
            )
        blob = self.root / BLOB_DIR / sha256[:2] / f"{sha256}{suffix}"
        blob.parent.mkdir(parents=True, exist_ok=True)
        killpoint("archive.written")
        _fsync_file(temp)
        os.replace(temp, blob)
        killpoint("archive.renamed")
        _fsync_dir(blob.parent)
        return blob

    def _adopt(self, temp: Path) -> Path:
        """`temp` itself when it is already in tmp/; otherwise copied there and removed."""
        if temp.parent.resolve() == self.tmp_dir.resolve():
            return temp
        copied, _sha, _size = self._copy_in(temp)
        temp.unlink()
        return copied

    def _copy_in(self, source: Path, suffix: str = "") -> tuple[Path, str, int]:
        """Copy `source` to a new temporary file in tmp/, hashing it on the way; `suffix`
        (".xlsx") goes after ".part", so a reader can tell its format as from the original."""
        handle, name = tempfile.mkstemp(dir=self.tmp_dir, prefix=".local-",
                                        suffix=f".part{suffix}")
        temp, digest, size = Path(name), hashlib.sha256(), 0
        try:
            with os.fdopen(handle, "wb") as out, source.open("rb") as src:
                for chunk in iter(lambda: src.read(CHUNK_BYTES), b""):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return temp, digest.hexdigest(), size

    @contextmanager
    def _locked(self) -> Iterator[IO[bytes]]:
        """The manifest opened for appending, under an exclusive lock across processes."""
        with self.manifest.open("a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield handle
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    def _sweep_stale_temps(self) -> None:
        """Remove temporary files a crashed fetch or store left behind more than an hour ago."""
        cutoff = time.time() - STALE_TEMP_SECONDS
        for temp in self.tmp_dir.iterdir():
            try:
                if temp.is_file() and temp.stat().st_mtime < cutoff:
                    temp.unlink()
                    log.info("%s: removed a stale temporary file", temp)
            except FileNotFoundError:
                continue  # another process swept it first

    # -- reading ---------------------------------------------------------------------------------

    @contextmanager
    def _indexed(self, again: bool = False) -> Iterator[ManifestIndex[ArchivedFile]]:
        """The manifest's index, up to date (`again`: read from the start), for this thread
        alone meanwhile (one Archive may serve several)."""
        with self._index.lock:
            if again:
                self._index.clear()
            self._index.refresh()
            yield self._index

    def _line(self, number: int, line: str, torn: bool) -> Line[ArchivedFile]:
        """What manifest line `number` says; `torn`: no newline ends it (yet)."""
        key = None
        try:
            row = json.loads(line)
            key = canonical(row)
            return Line(key, self._entry(row))
        except (ValueError, KeyError, TypeError) as exc:
            what = "is torn (a crash stopped mid-write)" if torn else "is unreadable"
            return Line(key, None,
                         f"{self.manifest}: line {number} {what}, skipped ({type(exc).__name__}: "
                         f"{exc}){_named(line)}; its blob, if any, shows as an orphan until the "
                         "release is stored again.")

    def _entry(self, row: dict[str, Any]) -> ArchivedFile:
        """The ArchivedFile a manifest row describes; KeyError/ValueError when it is malformed."""
        where = _ARCHIVE_PATH.fullmatch(row["archive_path"])
        if where is None or where.group(1) != row["sha256"]:
            raise ValueError(f"archive_path {row['archive_path']!r} is not this sha256's blob")
        ref = ReleaseRef(
            source=row["source"],
            dataset=row["dataset"],
            url=row.get("release_url", row["url"]),
            published_at=datetime.fromisoformat(row["published_at"]),
            reference_period=row["reference_period"],
            title=row.get("title", ""),
            page_url=row.get("page_url"),
            parts=tuple(row.get("parts") or ()),
        )
        return ArchivedFile(
            sha256=row["sha256"],
            path=self.root / row["archive_path"],
            ref=ref,
            size=int(row["size"]),
            fetched_at=datetime.fromisoformat(row["fetched_at"]),
            etag=row.get("etag"),
            last_modified=row.get("last_modified"),
            media_type=row.get("media_type"),
            url=row["url"],
            origin=row.get("origin", "network"),
            file_name=row.get("file_name", ""),
        )

    def _find_blob(self, sha256: str) -> Path | None:
        """The blob named `sha256` (with any suffix), if archived. Its folder is listed rather
        than globbed: a glob compiles a pattern for each hash (0.03 s of a 125-file backfill)."""
        folder = self.root / BLOB_DIR / sha256[:2]
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            return None
        return next((folder / name for name in names if name.startswith(sha256)), None)

    def _check_blob(self, blob: Path, referenced: set[str]) -> list[str]:
        """What is wrong with one blob file: bad name, content not matching it, no manifest line."""
        claimed = blob.name[:64]
        if not _SHA256.fullmatch(claimed) or blob.parent.name != claimed[:2]:
            return [f"{blob}: not named <sha256><suffix> like a blob; move it out of the archive."]
        problems = []
        actual, _size = _hash_file(blob)
        if actual != claimed:
            problems.append(
                f"{blob}: hash mismatch, the content hashes to {actual}; the blob is corrupt. "
                "Delete it and fetch the release again."
            )
        if blob.relative_to(self.root).as_posix() not in referenced:
            problems.append(
                f"{blob}: orphan, no manifest line names it (a crash between blob and manifest). "
                "Store the same release again to complete it, or delete the blob."
            )
        return problems


def _named(line: str) -> str:
    """What a damaged manifest line still says of its fetch (its URL, else its file name, and
    its sha256), so a report can say which release it was."""
    sha256 = _SHA256_FIELD.search(line)
    hashed = f" (sha256 {sha256.group(1)})" if sha256 else ""
    for key in ("url", "file_name"):
        found = re.search(rf'"{key}": "((?:[^"\\]|\\.)+)"', line)
        if found:
            return f"; it recorded the fetch of {found.group(1)}{hashed}"
    return f"; it recorded the fetch of a file{hashed}" if hashed else ""


def unreadable_sha256(problem: str) -> str | None:
    """The sha256 an unreadable line's description names (see `_named`), if it names one."""
    found = re.search(r"\(sha256 ([0-9a-f]{64})\)", problem)
    return found.group(1) if found else None


def check_blob(entry: ArchivedFile) -> None:
    """Raise CorruptBlobError unless `entry`'s blob still holds the bytes its manifest line
    records: the archive is trusted (a rebuild, a load from it) only as far as its hashes.

    Hashing is cheap next to reading (about a millisecond a megabyte), so every read does it.
    """
    name = entry.file_name or entry.sha256
    try:
        actual, size = _hash_file(entry.path)
    except FileNotFoundError:
        raise CorruptBlobError(
            f"{name}: its archived blob {entry.path} is missing, so nothing of this release was "
            "loaded; fetch the release again (or restore the blob from a backup)."
        ) from None
    if actual != entry.sha256:
        raise CorruptBlobError(
            f"{name}: its archived blob {entry.path} hashes to {actual} ({size:,} bytes), not "
            f"the sha256 recorded when it was archived: it changed since, so nothing of this "
            "release was loaded. Restore the blob from a backup, or delete it and fetch the "
            "release again."
        )


def _row(fetched: Fetched, ref: ReleaseRef, name: str, origin: str) -> dict[str, Any]:
    """The manifest line for a fetch, before `archive_path` is known."""
    return {
        "sha256": fetched.sha256,
        "size": fetched.size,
        "url": redact(fetched.url),
        # the release's own URL: a part (page 2, a structure message) is fetched from another
        "release_url": redact(ref.url) if ref.url else "",
        "source": ref.source,
        "dataset": ref.dataset,
        "file_name": name,
        "published_at": ref.published_at.isoformat(),
        "reference_period": ref.reference_period,
        "fetched_at": fetched.fetched_at.isoformat(),
        "etag": fetched.etag,
        "last_modified": fetched.last_modified,
        "media_type": fetched.media_type,
        "archive_path": None,
        "title": ref.title,
        "page_url": redact(ref.page_url) if ref.page_url else None,
        "parts": [redact(part) for part in ref.parts],
        "origin": origin,
    }


def _suffix(name: str, media_type: str | None) -> str:
    """The blob's suffix: the file's extension, else one implied by the media type, else ""."""
    ext = PurePosixPath(name.lower()).suffix
    if len(ext) < 2 and media_type and media_type != _OPAQUE_MEDIA:
        ext = mimetypes.guess_extension(media_type) or ""
    ext = "." + _SUFFIX_JUNK.sub("", ext.lstrip("."))
    return ext[:MAX_SUFFIX_CHARS] if len(ext) > 1 else ""


def append_json_line(handle: IO[bytes], row: dict[str, Any]) -> None:
    """Append one JSON line to a journal (the manifest, corrections.jsonl) and fsync; first
    end a torn last line so this one stands alone."""
    line = json.dumps(row, ensure_ascii=False) + "\n"
    handle.seek(0, os.SEEK_END)
    if handle.tell() > 0:
        handle.seek(-1, os.SEEK_END)
        if handle.read(1) != b"\n":
            line = "\n" + line
    handle.write(line.encode("utf-8"))
    handle.flush()
    os.fsync(handle.fileno())


def _hash_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as src:
        for chunk in iter(lambda: src.read(CHUNK_BYTES), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
