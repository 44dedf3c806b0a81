"""archive.py: content-addressed blobs, an append-only manifest, crash debris found and healed."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows import archive as archive_module
from flows import fetch
from flows.archive import Archive
from flows.core.errors import ArchiveError, NotModified
from flows.core.model import ReleaseRef
from flows.fetch import Fetched

from httpserver import LocalServer, static

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BODY = b"PK\x03\x04 CPI thang 6 " * 50
REF = ReleaseRef(
    source="gso",
    dataset="cpi",
    url="https://www.nso.gov.vn/wp-content/uploads/2024/07/CPI-T6.XLSX",
    published_at=datetime(2024, 7, 6, 9, 0),
    reference_period="2024-06",
    title="Chỉ số giá tiêu dùng tháng 6",
)
MANIFEST_KEYS = {
    "sha256", "size", "url", "source", "dataset", "file_name", "published_at",
    "reference_period", "fetched_at", "etag", "last_modified", "media_type", "archive_path",
}


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(tmp_path / "archive")


def handed_over(
    archive: Archive, body: bytes, url: str = REF.url, *, etag: str | None = None,
    when: datetime | None = None, media_type: str | None = XLSX,
) -> Fetched:
    """What fetch() hands over: the body in a temporary file under archive.tmp_dir."""
    handle, name = tempfile.mkstemp(dir=archive.tmp_dir, prefix=".fetch-", suffix=".part")
    os.write(handle, body)
    os.close(handle)
    sha256 = hashlib.sha256(body).hexdigest()
    at = when or datetime.now(UTC)
    return Fetched(url, Path(name), sha256, len(body), at, etag, None, media_type, False)


def manifest_lines(archive: Archive) -> list[str]:
    return archive.manifest.read_text(encoding="utf-8").splitlines()


def latest_etag(archive: Archive) -> str | None:
    latest = archive.latest_for(REF.url)
    return latest.etag if latest else None


def blobs(archive: Archive) -> list[Path]:
    return sorted((archive.root / "sha256").glob("*/*"))


def test_store_moves_the_temp_into_a_content_addressed_blob(archive: Archive) -> None:
    got = handed_over(archive, BODY, REF.url + "?token=abc", etag='"v1"')
    stored = archive.store(got, REF)
    sha = hashlib.sha256(BODY).hexdigest()
    assert stored.path == archive.root / "sha256" / sha[:2] / f"{sha}.xlsx"
    assert stored.path.read_bytes() == BODY
    assert not got.path.exists()
    assert list(archive.tmp_dir.iterdir()) == []
    [line] = manifest_lines(archive)
    row = json.loads(line)
    assert row.keys() >= MANIFEST_KEYS
    assert row["url"] == REF.url + "?token=REDACTED"
    assert row["archive_path"] == f"sha256/{sha[:2]}/{sha}.xlsx"
    assert row["file_name"] == "CPI-T6.XLSX"
    assert row["published_at"] == "2024-07-06T09:00:00"
    assert "Chỉ số giá" in line  # Vietnamese stays readable in the manifest
    assert archive.entries() == [stored]
    assert stored.ref.title == REF.title and stored.ref.published_at == REF.published_at
    assert stored.etag == '"v1"' and stored.origin == "network"


def test_same_bytes_twice_keep_one_blob_and_log_both_fetches(archive: Archive) -> None:
    first = archive.store(handed_over(archive, BODY, etag='"v1"'), REF)
    later = datetime.now(UTC) + timedelta(days=30)
    second = archive.store(handed_over(archive, BODY, etag='"v2"', when=later), REF)
    assert first.path == second.path
    assert len(blobs(archive)) == 1
    assert len(manifest_lines(archive)) == 2
    assert list(archive.tmp_dir.iterdir()) == []
    latest = archive.latest_for(REF.url)
    assert latest is not None and latest.etag == '"v2"'
    assert archive.latest_for("https://www.nso.gov.vn/other.xlsx") is None


def test_replaying_the_same_store_adds_nothing(archive: Archive) -> None:
    got = handed_over(archive, BODY)
    stored = archive.store(got, REF)
    assert archive.store(got, REF) == stored  # temp already moved; the blob answers
    assert len(manifest_lines(archive)) == 1


def test_orphan_from_a_crash_before_the_manifest_line_is_completed_later(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_args: object) -> None:
        raise KeyboardInterrupt("power cut")

    got = handed_over(archive, BODY)
    monkeypatch.setattr(archive_module, "append_json_line", crash)
    with pytest.raises(KeyboardInterrupt):
        archive.store(got, REF)
    monkeypatch.undo()
    [orphan] = archive.verify()
    assert "orphan" in orphan and hashlib.sha256(BODY).hexdigest() in orphan
    archive.store(got, REF)  # the retried task: its temp is gone, the blob is there
    assert archive.verify() == []
    assert len(manifest_lines(archive)) == 1


def test_torn_last_line_is_skipped_and_the_next_line_starts_clean(
    archive: Archive, caplog: pytest.LogCaptureFixture
) -> None:
    archive.store(handed_over(archive, BODY), REF)
    with archive.manifest.open("a", encoding="utf-8") as handle:
        handle.write('{"sha256": "ab12", "size": 4')  # the crash came mid-line
    caplog.set_level(logging.WARNING, logger="flows.archive")
    assert len(archive.entries()) == 1
    assert "line 2 is torn" in caplog.text
    archive.store(handed_over(archive, b"another release"), REF)
    assert len(archive.entries()) == 2
    assert len(manifest_lines(archive)) == 3
    assert [p for p in archive.verify() if "line 2 is unreadable" in p]


def test_a_line_pointing_outside_the_archive_is_damaged_not_followed(archive: Archive) -> None:
    stored = archive.store(handed_over(archive, BODY), REF)
    row = json.loads(manifest_lines(archive)[0]) | {"archive_path": "/etc/passwd"}
    with archive.manifest.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row) + "\n")
    assert archive.entries() == [stored]
    [problem] = archive.verify()
    assert "line 2 is unreadable" in problem and "/etc/passwd" in problem


def test_same_bytes_under_another_name_reuse_the_first_blob(archive: Archive) -> None:
    first = archive.store(handed_over(archive, BODY, "https://h/a.xlsx"), REF)
    second = archive.store(handed_over(archive, BODY, "https://h/b.xls"), REF)
    assert second.path == first.path and first.path.suffix == ".xlsx"
    assert [json.loads(line)["file_name"] for line in manifest_lines(archive)] == [
        "a.xlsx", "b.xls",
    ]


def test_verify_finds_missing_corrupt_and_orphan_blobs(archive: Archive) -> None:
    kept = archive.store(handed_over(archive, BODY), REF)
    lost = archive.store(handed_over(archive, b"will be deleted"), REF)
    assert archive.verify() == []
    lost.path.unlink()
    kept.path.write_bytes(BODY + b"bit rot")
    stray = b"never in the manifest"
    sha = hashlib.sha256(stray).hexdigest()
    (archive.root / "sha256" / sha[:2]).mkdir(parents=True, exist_ok=True)
    (archive.root / "sha256" / sha[:2] / f"{sha}.xlsx").write_bytes(stray)
    problems = archive.verify()
    assert len(problems) == 3
    assert any("blob missing" in p and str(lost.path) in p for p in problems)
    assert any("hash mismatch" in p and str(kept.path) in p for p in problems)
    assert any("orphan" in p and sha in p for p in problems)


def test_store_local_copies_an_analysts_file(archive: Archive, tmp_path: Path) -> None:
    mine = tmp_path / "Downloads" / "CPI T6.xlsx"
    mine.parent.mkdir()
    mine.write_bytes(BODY)
    stored = archive.store_local(mine, REF)
    assert mine.read_bytes() == BODY  # untouched
    assert stored.path.read_bytes() == BODY and stored.path.suffix == ".xlsx"
    assert stored.origin == "local" and stored.media_type == XLSX
    assert json.loads(manifest_lines(archive)[0])["file_name"] == "CPI T6.xlsx"
    assert list(archive.tmp_dir.iterdir()) == []
    with pytest.raises(ArchiveError, match="no such file"):
        archive.store_local(tmp_path / "nope.xlsx", REF)


def test_store_refuses_a_temp_that_no_longer_matches_its_hash(archive: Archive) -> None:
    got = handed_over(archive, BODY)
    got.path.write_bytes(b"changed behind our back")
    with pytest.raises(ArchiveError, match="changed after download"):
        archive.store(got, REF)
    assert blobs(archive) == [] and manifest_lines(archive) == []
    assert list(archive.tmp_dir.iterdir()) == []


def test_a_temp_outside_tmp_is_copied_in(archive: Archive, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.part"
    elsewhere.write_bytes(BODY)
    got = replace(handed_over(archive, BODY), path=elsewhere)
    for stray in archive.tmp_dir.iterdir():
        stray.unlink()
    stored = archive.store(got, REF)
    assert stored.path.read_bytes() == BODY and not elsewhere.exists()
    assert list(archive.tmp_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("url", "media_type", "suffix"),
    [
        ("https://h/a/CPI.XLSX", None, ".xlsx"),
        ("https://h/download?id=5", XLSX, ".xlsx"),
        ("https://h/download", "application/octet-stream", ""),
        ("https://h/a/file.X-L_S!X", None, ".xlsx"),
        ("https://h/a/file.abcdefghijklmnop", None, ".abcdefghi"),
        ("https://h/a/file.%E1%BA%A1x", None, ".x"),
    ],
)
def test_blob_suffix_is_a_clean_lower_case_extension(
    archive: Archive, url: str, media_type: str | None, suffix: str
) -> None:
    stored = archive.store(handed_over(archive, url.encode(), url, media_type=media_type), REF)
    assert stored.path.name == stored.sha256 + suffix


def test_stale_temps_are_swept_on_open(tmp_path: Path) -> None:
    first = Archive(tmp_path / "a")
    stale, fresh = first.tmp_dir / ".fetch-old.part", first.tmp_dir / ".fetch-new.part"
    stale.write_bytes(b"left by a crash")
    fresh.write_bytes(b"a download in progress")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    Archive(tmp_path / "a")
    assert not stale.exists() and fresh.exists()


def test_path_of(archive: Archive) -> None:
    stored = archive.store(handed_over(archive, BODY), REF)
    assert archive.path_of(stored.sha256) == stored.path
    with pytest.raises(ArchiveError, match="no blob"):
        archive.path_of("0" * 64)
    with pytest.raises(ArchiveError, match="64 lower-case hex"):
        archive.path_of("../../etc/passwd")


def test_concurrent_stores_keep_the_manifest_whole(archive: Archive) -> None:
    bodies = [b"same bytes"] * 4 + [f"release {n}".encode() for n in range(12)]
    handed = [handed_over(archive, body) for body in bodies]
    threads = [threading.Thread(target=archive.store, args=(got, REF)) for got in handed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(archive.entries()) == len(bodies)
    assert len(blobs(archive)) == 13
    assert archive.verify() == []


# -- the manifest's index: another Archive on the same folder stands in for another process ---


def test_two_archives_on_one_folder_see_each_others_lines(archive: Archive) -> None:
    other = Archive(archive.root)
    assert other.latest_for(REF.url) is None  # its index is built, on an empty manifest
    first = archive.store(handed_over(archive, BODY, etag='"v1"'), REF)
    assert other.latest_for(REF.url) == first
    later = datetime.now(UTC) + timedelta(days=30)
    second = other.store(handed_over(other, b"revised", etag='"v2"', when=later), REF)
    assert archive.latest_for(REF.url) == second
    assert archive.entries() == other.entries() == [first, second]


def test_the_same_row_stored_through_either_archive_is_written_once(archive: Archive) -> None:
    other = Archive(archive.root)
    other.latest_for(REF.url)
    got = handed_over(archive, BODY)
    stored = archive.store(got, REF)
    assert other.store(got, REF) == stored  # the other's index learns of the line first
    assert archive.store(got, REF) == stored
    assert len(manifest_lines(archive)) == 1


def test_the_check_for_the_row_is_made_under_the_lock(
    archive: Archive, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process stores the same row while this one waits for the lock: one line."""
    other = Archive(archive.root)
    got = handed_over(archive, BODY)
    archive.latest_for(REF.url)  # the index is built before the other's line
    lock = archive._locked

    @contextmanager
    def after_the_other() -> Iterator[object]:
        other.store(replace(got, path=handed_over(other, BODY).path), REF)
        with lock() as handle:
            yield handle

    monkeypatch.setattr(archive, "_locked", after_the_other)
    archive.store(got, REF)
    assert len(manifest_lines(archive)) == 1


def test_equal_fetch_times_the_line_written_last_wins(archive: Archive) -> None:
    when = datetime(2024, 7, 6, 9, 30, tzinfo=UTC)
    archive.store(handed_over(archive, BODY, etag='"v1"', when=when), REF)
    assert latest_etag(archive) == '"v1"'
    archive.store(handed_over(archive, b"same time", etag='"v2"', when=when), REF)
    assert latest_etag(archive) == '"v2"'
    assert latest_etag(Archive(archive.root)) == '"v2"'


def test_a_line_half_written_is_not_taken_in_until_its_newline(archive: Archive) -> None:
    """What a reader outside the lock may see of another process's write in progress."""
    first = archive.store(handed_over(archive, BODY, etag='"v1"'), REF)
    later = (first.fetched_at + timedelta(days=1)).isoformat()
    row = json.loads(manifest_lines(archive)[0]) | {"etag": '"v2"', "fetched_at": later}
    line = (json.dumps(row, ensure_ascii=False) + "\n").encode()
    with archive.manifest.open("ab") as handle:
        handle.write(line[:40])
    assert archive.latest_for(REF.url) == first
    assert "line 2 is torn" in archive.readable()[1][0]
    with archive.manifest.open("ab") as handle:
        handle.write(line[40:])
    latest = archive.latest_for(REF.url)
    assert latest is not None and latest.etag == '"v2"'
    assert archive.readable() == ([first, latest], [])


def test_a_torn_line_is_ended_by_the_next_store_and_stays_unreadable(archive: Archive) -> None:
    other = Archive(archive.root)
    archive.store(handed_over(archive, BODY), REF)
    with archive.manifest.open("a", encoding="utf-8") as handle:
        handle.write('{"sha256": "ab12", "size": 4')  # a crash came mid-line
    assert archive.latest_for(REF.url) is not None  # seen, not taken in
    later = datetime.now(UTC) + timedelta(days=1)
    newer = other.store(handed_over(other, b"next release", etag='"v2"', when=later), REF)
    assert archive.latest_for(REF.url) == newer
    entries, [problem] = archive.readable()
    assert len(entries) == 2 and "line 2 is unreadable" in problem
    assert len(manifest_lines(archive)) == 3


def test_a_last_line_that_lost_its_newline_still_counts(archive: Archive) -> None:
    """A crash between a line's last byte and its newline (the file cut one byte short, under
    an Archive that had read it whole): the line is read again, and still holds its row."""
    archive.store(handed_over(archive, BODY, etag='"v1"'), REF)
    got = handed_over(archive, b"second", etag='"v2"', when=datetime.now(UTC) + timedelta(days=1))
    second = archive.store(got, REF)
    with archive.manifest.open("r+b") as handle:
        handle.truncate(archive.manifest.stat().st_size - 1)
    assert archive.latest_for(REF.url) == second
    assert archive.store(got, REF) == second  # replayed: the row is there already
    assert not archive.manifest.read_bytes().endswith(b"\n")
    archive.store(handed_over(archive, b"third"), REF)
    assert len(manifest_lines(archive)) == 3 and len(archive.entries()) == 3


def test_a_manifest_cut_short_under_an_archive_is_read_again(archive: Archive) -> None:
    got = handed_over(archive, b"second", etag='"v2"', when=datetime.now(UTC) + timedelta(days=1))
    first = archive.store(handed_over(archive, BODY, etag='"v1"'), REF)
    second = archive.store(got, REF)
    assert archive.latest_for(REF.url) == second  # both lines read
    archive.manifest.write_text(manifest_lines(archive)[0] + "\n", encoding="utf-8")
    assert archive.latest_for(REF.url) == first
    archive.store(got, REF)  # no longer in the manifest, so written again
    assert len(manifest_lines(archive)) == 2


def test_a_manifest_rewritten_in_place_is_read_again(archive: Archive) -> None:
    archive.store(handed_over(archive, BODY, etag='"v1"'), REF)
    assert latest_etag(archive) == '"v1"'
    row, before = json.loads(manifest_lines(archive)[0]), archive.manifest.stat()

    def rewrite(etag: str) -> None:
        line = json.dumps(row | {"etag": etag}, ensure_ascii=False) + "\n"
        archive.manifest.write_text(line, encoding="utf-8")
        assert archive.manifest.stat().st_ino == before.st_ino

    rewrite('"v9"')  # the same size and newlines: only reading it all sees it, as a check does
    assert archive.manifest.stat().st_size == before.st_size
    assert [entry.etag for entry in archive.entries()] == ['"v9"']
    rewrite('"v10"')  # longer: the newline that ended the line read is gone from its place
    assert latest_etag(archive) == '"v10"'


def test_a_manifest_replaced_under_an_archive_is_read_again(archive: Archive) -> None:
    """The new file has the same size and newlines as the old: only its inode tells."""
    archive.store(handed_over(archive, BODY, etag='"v1"'), REF)
    assert latest_etag(archive) == '"v1"'
    replacement = archive.root / "manifest.new"
    row = json.loads(manifest_lines(archive)[0]) | {"etag": '"v9"'}
    replacement.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    before, after = archive.manifest.stat(), replacement.stat()
    assert after.st_size == before.st_size and after.st_ino != before.st_ino
    os.replace(replacement, archive.manifest)
    assert latest_etag(archive) == '"v9"'


def test_an_archive_sent_to_another_process_reads_the_manifest_itself(
    archive: Archive,
) -> None:
    first = archive.store(handed_over(archive, BODY), REF)
    copy = pickle.loads(pickle.dumps(archive))
    assert copy.latest_for(REF.url) == first
    later = datetime.now(UTC) + timedelta(days=1)
    second = copy.store(handed_over(copy, b"from the worker", when=later), REF)
    assert archive.latest_for(REF.url) == second


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalServer]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with LocalServer() as running:
        yield running


def test_fetch_store_then_conditional_get(server: LocalServer, archive: Archive) -> None:
    server.route("/cpi.xlsx", static(BODY, etag='"v1"', content_type=XLSX))
    url = server.url("/cpi.xlsx")
    stored = archive.store(fetch.fetch(url, archive.tmp_dir, mirror=None), replace(REF, url=url))
    assert stored.path.read_bytes() == BODY
    previous = archive.latest_for(url)
    assert previous is not None
    with pytest.raises(NotModified):
        fetch.fetch(url, archive.tmp_dir, mirror=None, etag=previous.etag)
    assert list(archive.tmp_dir.iterdir()) == []
