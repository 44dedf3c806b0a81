"""Hostile input: every file of the corpus in tests/hostile/ goes through the real pipeline
(Archive.store_local, then flows.pipeline.load_archived) and must end in a named error (a
load_failure row whose message names the file) or a named quarantine code, never a raw
traceback, a hang, a memory blow-up, or harm to what the warehouse already holds.

The corpus is written by tests/hostile/make_corpus.py (committed with its output). Each load
runs in a forked child allowed 2 GiB of address space beyond its parent's (a zip or entity
bomb that expanded would die there) and is timed with time.perf_counter: the 10 s bound is a
hang guard, not a speed test (every case takes well under a second).

Size limits: a fetched file over flows.core.config.MAX_DOWNLOAD_BYTES is refused by flows.fetch
before anything is archived (test_a_mirror_file_over_the_size_limit_is_refused). A local file
given by hand (`chiso ingest --file`) has no byte limit of its own: it is the analyst's file,
and what would make one dangerous is bounded where it is read (a workbook that unpacks past
workbook.MAX_UNZIPPED_BYTES is refused unread; a CSV field past csv's 128 KiB limit is a
CorruptFileError).

`pytest -s tests/test_hostile.py` prints a summary of how each case ended.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from flows.archive import Archive
from flows.core.errors import FetchError, TooLargeError
from flows.core.model import ReleaseRef
from flows.fetch import fetch
from flows.pipeline import ingest_local, load_archived, store_local
from warehouse.connect import writer

from samples import SEPTEMBER_2024

HOSTILE = Path(__file__).resolve().parent / "hostile"
SQL = "'); drop table observation; --"
MAX_SECONDS = 10.0  # hang guard: every case takes well under a second
MEMORY_LIMIT = 2 * 1024**3  # RLIMIT_AS of the child that loads one file
IIP_TOTAL_YOY = "IIP.VN._T._Z._Z.INDEX_YOY.INDEX"
FAILED, QUARANTINED = "failed", "quarantined"


@dataclass(frozen=True)
class Case:
    """One hostile file, the source it is given to, and how it must end.

    `expect` is a fragment of the failure message (FAILED) or a quarantine code (QUARANTINED);
    `cells`, for QUARANTINED, the cells its quarantine rows name, none of which gives a figure.
    """

    file: str
    source: str
    outcome: str
    expect: str
    error: str = ""  # the error class recorded in load_failure
    parts: tuple[str, ...] = ()
    dataset: str = "local-file"
    title: str = ""  # the name the file is given under (default: its own)
    url: str = ""
    cells: tuple[str, ...] = ()
    tamper: str = ""  # a corpus file whose bytes replace the archived blob before it is read


def gso(file: str, outcome: str, expect: str, error: str = "", **kw: Any) -> Case:
    return Case(file, "gso", outcome, expect, error, **kw)


def sdmx(file: str, outcome: str, expect: str, error: str = "", **kw: Any) -> Case:
    return Case(file, "sdmx", outcome, expect, error, dataset="ecb-exr-monthly", **kw)


def wb(file: str, outcome: str, expect: str, error: str = "") -> Case:
    return Case(file, "worldbank", outcome, expect, error, dataset="NV.IND.MANF.ZS")


def files(file: str, outcome: str, expect: str, error: str = "",
          mapping: str = "mapping.toml") -> Case:
    return Case(file, "files", outcome, expect, error, parts=(mapping,))


def press(file: str, outcome: str, expect: str, error: str = "") -> Case:
    return Case(file, "press", outcome, expect, error)


DAMAGED = "damaged or truncated"
NOT_UTF8 = "not UTF-8 text"
ENTITIES = "XML declaring entities is refused"
CASES = [
    # workbooks: truncated, corrupt, not workbooks at all
    gso("gso_truncated_22.xlsx", FAILED, DAMAGED, "CorruptFileError"),
    gso("gso_truncated_1000.xlsx", FAILED, DAMAGED, "CorruptFileError"),
    gso("gso_truncated_5883.xlsx", FAILED, DAMAGED, "CorruptFileError"),
    gso("gso_truncated_11737.xlsx", FAILED, DAMAGED, "CorruptFileError"),
    gso("gso_truncated_real_60000.xlsx", FAILED, DAMAGED, "CorruptFileError"),
    gso("gso_flipped_bytes.xlsx", FAILED, "corrupt deflate stream", "CorruptFileError"),
    gso("gso_central_directory_garbage.xlsx", FAILED, DAMAGED, "CorruptFileError"),
    gso("gso_missing_sheet_part.xlsx", FAILED, DAMAGED, "CorruptFileError"),
    gso("gso_missing_shared_strings.xlsx", FAILED, "shared strings", "CorruptFileError"),
    gso("zip_bomb.xlsx", FAILED, "a zip bomb", "CorruptFileError"),
    gso("empty.xlsx", FAILED, "not an Excel file", "NotAWorkbookError"),
    gso("pdf_named.xlsx", FAILED, "this is a PDF", "NotAWorkbookError"),
    gso("html_error_page.xlsx", FAILED, "HTML page, not a workbook", "NotAWorkbookError"),
    gso("plain_text.xlsx", FAILED, "not an Excel file", "NotAWorkbookError"),
    gso("ole2_signature_only.xls", FAILED, DAMAGED, "CorruptFileError"),
    gso("ole2_truncated_header.xls", FAILED, DAMAGED, "CorruptFileError"),
    gso("ole2_absurd_fat.xls", FAILED, DAMAGED, "CorruptFileError"),
    gso("html_named.xls", FAILED, "HTML page, not a workbook", "NotAWorkbookError"),
    # workbook cells: values out of range, a label carrying SQL, error and formula cells
    gso("gso_nan_inf.xlsx", QUARANTINED, "value-out-of-range"),
    gso("gso_absurd_values.xlsx", QUARANTINED, "value-out-of-range"),
    gso("gso_sql_label.xlsx", QUARANTINED, "unknown-label"),
    gso("gso_error_cells.xlsx", QUARANTINED, "error-cell",
        cells=("7.IIPthang!B9", "7.IIPthang!C9", "7.IIPthang!D9")),
    # D9 is "=1/0" saved without a value; E9's formula gives the text "x" ("no figure" in GSO)
    gso("gso_formula_no_value.xlsx", QUARANTINED, "error-cell", cells=("7.IIPthang!D9",)),
    # remote names with path traversal: the name is only a label, the blob is its sha256
    gso("html_error_page.xlsx", FAILED, "HTML page, not a workbook", "NotAWorkbookError",
        title="../../etc/passwd.xlsx"),
    gso("pdf_named.xlsx", FAILED, "this is a PDF", "NotAWorkbookError",
        url="https://www.gso.gov.vn/wp-content/uploads/../../../../etc/passwd"),
    # SDMX: entity bombs, external entities, broken and odd messages
    sdmx("billion_laughs.xml", FAILED, ENTITIES, "UnsupportedFormatError"),
    sdmx("bomb_after_padding.xml", FAILED, ENTITIES, "UnsupportedFormatError"),
    sdmx("xxe_passwd.xml", FAILED, ENTITIES, "UnsupportedFormatError"),
    sdmx("xxe_after_padding.xml", FAILED, ENTITIES, "UnsupportedFormatError"),
    sdmx("xxe_parameter_entity.xml", FAILED, ENTITIES, "UnsupportedFormatError"),
    sdmx("sdmx_truncated.xml", FAILED, "could not read this SDMX-ML", "CorruptFileError"),
    sdmx("sdmx_html_error_page.xml", FAILED, "root <html> is not an SDMX data message",
         "UnsupportedFormatError"),
    sdmx("sdmx_empty.xml", FAILED, "not an SDMX message", "UnsupportedFormatError"),
    sdmx("sdmx_deep.json", FAILED, "not valid JSON", "CorruptFileError"),
    sdmx("sdmx_unknown_code.xml", QUARANTINED, "unknown-code", parts=("sdmx_structure.xml",)),
    sdmx("sdmx_nan_inf_absurd.xml", QUARANTINED, "value-out-of-range"),
    sdmx("xxe_passwd.xml", FAILED, ENTITIES, "UnsupportedFormatError",
         parts=("xxe_parameter_entity.xml",), title="xxe-in-structure-part.xml"),
    # World Bank JSON
    wb("wb_error_array.json", FAILED, "answered with an error instead of data",
       "UnexpectedResponseError"),
    wb("wb_deep.json", FAILED, "not JSON", "UnexpectedResponseError"),
    wb("wb_deep_object.json", FAILED, "not JSON", "UnexpectedResponseError"),
    wb("wb_html_error_page.json", FAILED, "not JSON", "UnexpectedResponseError"),
    wb("wb_empty.json", FAILED, "not JSON", "UnexpectedResponseError"),
    wb("wb_truncated.json", FAILED, "not JSON", "UnexpectedResponseError"),
    wb("wb_nan_infinity.json", QUARANTINED, "value-out-of-range"),
    wb("wb_absurd_values.json", QUARANTINED, "value-unparseable"),
    wb("wb_sql_codes.json", QUARANTINED, "unexpected-indicator"),
    # the analyst's CSV tables and their TOML mappings
    files("table_cp1258.csv", FAILED, NOT_UTF8, "CorruptFileError"),
    files("table_utf16.csv", FAILED, NOT_UTF8, "CorruptFileError"),
    files("table_binary.csv", FAILED, NOT_UTF8, "CorruptFileError"),
    files("table_html.csv", FAILED, "HTML page, not a CSV table", "NotAWorkbookError"),
    files("table_empty.csv", FAILED, "has 0 rows", "MappingError"),
    files("table_huge_field.csv", FAILED, "field larger than field limit", "CorruptFileError"),
    files("table_sql_label.csv", QUARANTINED, "unknown-label"),
    files("table_sql_value.csv", QUARANTINED, "value-unparseable"),
    files("table_nan_inf.csv", QUARANTINED, "value-unparseable"),
    files("table_absurd.csv", QUARANTINED, "value-out-of-range", mapping="mapping_level.toml"),
    files("table_good_reference.csv", FAILED, "names column 'ty_le'", "MappingError",
          mapping="mapping_missing_column.toml"),
    files("table_good_reference.csv", FAILED, "not a valid UTF-8 TOML file", "MappingError",
          mapping="mapping_not_toml.toml"),
    files("table_good_reference.csv", FAILED, "not a valid UTF-8 TOML file", "MappingError",
          mapping="mapping_binary.toml"),
    files("table_good_reference.csv", FAILED, "not a valid UTF-8 TOML file", "MappingError",
          mapping="mapping_passwd.toml"),  # `--mapping /etc/passwd`
    # press articles
    press("press_latin1.txt", FAILED, NOT_UTF8, "NotAnArticleError"),
    press("press_tcvn3.html", FAILED, NOT_UTF8, "NotAnArticleError"),
    press("press_utf16.txt", FAILED, "UTF-16 text", "NotAnArticleError"),
    press("press_empty.txt", FAILED, "holds no text", "NotAnArticleError"),
    press("press_binary.txt", FAILED, "a binary file", "NotAnArticleError"),
    press("press_no_place.txt", FAILED, "names no place", "NotAnArticleError"),
    press("press_sql_sentence.txt", QUARANTINED, "unknown-indicator"),
    press("press_nan.txt", QUARANTINED, "unknown-indicator"),
    # the archive: a good workbook whose blob is overwritten, after archiving, by another
    # workbook (other figures, same blob name) must not load under the good one's sha256
    gso("gso_iip_only_reference.xlsx", FAILED, "changed since", "CorruptBlobError",
        tamper="gso_absurd_values.xlsx"),
]
RESULTS: list[tuple[Case, str, float, int]] = []  # case, how it ended, seconds, peak RSS (kB)


def case_id(case: Case) -> str:
    extra = f"+{case.parts[0]}" if case.parts and case.source != "files" else ""
    extra += f"+{case.parts[0]}" if case.source == "files" and case.parts[0] != "mapping.toml" \
        else ""
    named = "-as-title" if case.title else "-as-url" if case.url else ""
    named += f"-blob-overwritten-by-{case.tamper}" if case.tamper else ""
    return f"{case.source}:{case.file}{extra}{named}"


def ref_for(case: Case, published: datetime) -> ReleaseRef:
    return ReleaseRef(case.source, case.dataset, case.url, published,
                      "2024-09" if case.source == "gso" else "",
                      title=case.title or case.file, parts=case.parts)


def display_name(case: Case) -> str:
    if case.url:
        return case.url.rsplit("/", 1)[-1]
    return case.title or case.file


def _load_in_child(case: Case, published: datetime, archive_root: Path, pipe: Any) -> None:
    """Runs in the forked child: bounded address space, then the real pipeline."""
    # A forked child starts with its parent's address space (in a full test run: Prefect,
    # DuckDB, every reader), so the bound is on what the load adds on top of it.
    page = resource.getpagesize()
    already = int(Path("/proc/self/statm").read_text().split()[0]) * page
    resource.setrlimit(resource.RLIMIT_AS, (already + MEMORY_LIMIT, already + MEMORY_LIMIT))
    try:
        paths = [HOSTILE / case.file, *(HOSTILE / p for p in case.parts)]
        archive = Archive(archive_root)
        before = {p for p in archive_root.rglob("*") if p.is_file()}
        lines = archive.manifest.read_bytes()
        with writer() as session:
            if case.tamper:  # archived first, as a fetch would, then edited in the archive
                archived = store_local(paths, ref_for(case, published), archive)
                archived[0].path.write_bytes((HOSTILE / case.tamper).read_bytes())
                before = {p for p in archive_root.rglob("*") if p.is_file()}
                lines = archive.manifest.read_bytes()
                outcome = load_archived(archived, session)
            else:  # as `chiso ingest` loads a file given by hand
                outcome = ingest_local(paths, ref_for(case, published), archive, session)
        result: dict[str, Any] = {
            "status": outcome.status, "message": outcome.message,
            "release_id": outcome.release_id, "codes": dict(outcome.quarantine_codes),
            "reported": outcome.reported,
            "blobs": [str(p) for p in {p for p in archive_root.rglob("*") if p.is_file()}
                      - before - {archive.manifest}],
            "manifest_grew": archive.manifest.read_bytes() != lines,
        }
    except BaseException as exc:  # reported to the parent, which fails the test
        result = {"status": "crashed", "message": f"{type(exc).__name__}: {exc}"}
    result["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    pipe.send(result)
    pipe.close()


def load_bounded(case: Case, published: datetime, archive_root: Path) -> tuple[dict[str, Any],
                                                                              float]:
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    start = time.perf_counter()
    process = context.Process(target=_load_in_child, args=(case, published, archive_root, child))
    process.start()
    child.close()
    ready = parent.poll(MAX_SECONDS * 3)
    result = parent.recv() if ready else {"status": "hung", "message": "no answer"}
    process.join(5)
    elapsed = time.perf_counter() - start
    if process.is_alive():
        process.kill()
        process.join()
    if not ready and process.exitcode not in (0, None):
        result = {"status": "died", "message": f"child exit code {process.exitcode}"}
    return result, elapsed


@dataclass
class Corpus:
    warehouse: Path
    archive: Path
    counts: dict[str, int]
    september: list[tuple[Any, ...]]
    september_id: str


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {table: con.execute(f"select count(*) from {table}").fetchone()[0]  # type: ignore[index]
            for table in ("release", "observation", "reported", "quarantine", "load_failure")}


def september_rows(con: duckdb.DuckDBPyConnection, release: str) -> list[tuple[Any, ...]]:
    return con.execute("select * from observation where release_id = ? order by all",
                       [release]).fetchall()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """A warehouse holding the good September 2024 GSO workbook, shared by the whole corpus."""
    root = tmp_path_factory.mktemp("hostile")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHISO_WAREHOUSE", str(root / "wh" / "chiso.duckdb"))
        patch.setenv("CHISO_ARCHIVE", str(root / "wh" / "archive"))
        patch.delenv("CHISO_MIRROR", raising=False)
        ref = ReleaseRef("gso", "local-file", "", datetime(2024, 10, 6), "2024-09",
                         title=SEPTEMBER_2024.name)
        archive = root / "archive"
        with writer() as session:
            good = load_archived(store_local([SEPTEMBER_2024], ref, Archive(archive)), session)
        assert good.status == "new" and good.quarantined == 0 and good.release_id
        warehouse = root / "wh" / "chiso.duckdb"
        with duckdb.connect(str(warehouse), read_only=True) as con:
            before = counts(con)
            september = september_rows(con, good.release_id)
        yield Corpus(warehouse, archive, before, september, good.release_id)


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_hostile_file_ends_in_a_named_error_or_quarantine(case: Case, corpus: Corpus) -> None:
    # one vintage each, after the months the cases report (the World Bank's: December 2024)
    published = datetime(2025, 1, 1) + timedelta(hours=CASES.index(case))
    result, elapsed = load_bounded(case, published, corpus.archive)
    status, message = result["status"], result["message"]
    codes: dict[str, int] = result.get("codes", {})
    ended = f"{status}: {message[:120]}" if status not in ("new", "unchanged") else \
        "quarantined: " + ", ".join(f"{c} x{n}" for c, n in sorted(codes.items())) if codes \
        else "loaded: no quarantine"
    RESULTS.append((case, ended, elapsed, result.get("maxrss_kb", 0)))
    assert status not in ("crashed", "hung", "died"), message
    assert elapsed < MAX_SECONDS, f"{case.file} took {elapsed:.1f} s (hang guard)"
    assert "root:x:0:0" not in message and "/bin/bash" not in message
    for blob in result.get("blobs", []):  # a hostile name never places a file outside the archive
        assert Path(blob).resolve().is_relative_to(corpus.archive.resolve())
    with duckdb.connect(str(corpus.warehouse), read_only=True) as con:
        if case.outcome == FAILED:
            assert status == "failed", f"{case.file}: expected a failure, got {ended}"
            assert case.expect in message, message
            # the message names the file at fault: the table, or its broken mapping
            assert any(n in message for n in (display_name(case), *case.parts)), message
            failure = con.execute(
                "select file_name, error, message from load_failure where message = ?",
                [message]).fetchall()
            assert failure == [(display_name(case), case.error, message)]
            # a file that fails to load is not archived (the edited blob was, before)
            assert not result["blobs"] and not result["manifest_grew"], result["blobs"]
            return
        assert status == "new", f"{case.file}: expected a loaded release, got {ended}"
        release = result["release_id"]
        quarantined = con.execute(
            "select error_code, count(*) from quarantine where release_id = ? group by all",
            [release]).fetchall()
        assert case.expect in codes and (case.expect, codes[case.expect]) in quarantined
        if case.cells:
            named = {row[0] for row in con.execute(
                "select cell from quarantine where release_id = ? and error_code = ?",
                [release, case.expect]).fetchall()}
            assert named == set(case.cells)
            provenance = {row[0] for row in con.execute(
                "select provenance from reported where release_id = ?", [release]).fetchall()}
            assert not provenance & named


def test_a_mirror_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    """MAX_DOWNLOAD_BYTES, on the mirror path: a sparse file, so no disk is spent."""
    from flows.core import config

    url = "https://www.gso.gov.vn/wp-content/uploads/2024/10/huge.xlsx"
    mirrored = tmp_path / "mirror" / "www.gso.gov.vn" / "wp-content" / "uploads" / "2024" / "10"
    mirrored.mkdir(parents=True)
    with (mirrored / "huge.xlsx").open("wb") as handle:
        handle.truncate(config.MAX_DOWNLOAD_BYTES + 1)
    start = time.perf_counter()
    with pytest.raises(TooLargeError):
        fetch(url, tmp_path / "tmp", mirror=tmp_path / "mirror")
    assert time.perf_counter() - start < MAX_SECONDS
    assert not any((tmp_path / "tmp").iterdir())  # nothing left behind


@pytest.mark.parametrize("url", [
    "https://www.gso.gov.vn/wp-content/uploads/../../../../etc/passwd",
    "https://www.gso.gov.vn/wp-content/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "https://www.gso.gov.vn/./etc/passwd",
    "https://../outside/x.xlsx",  # the host is a folder of the mirror too
    "https://../x.xlsx",
])
def test_a_mirror_url_with_dot_segments_is_refused(url: str, tmp_path: Path) -> None:
    (tmp_path / "mirror").mkdir()
    outside = tmp_path / "outside"  # beside the mirror: what "https://../outside/" would name
    outside.mkdir()
    (outside / "x.xlsx").write_bytes(b"not the mirror's")
    (tmp_path / "x.xlsx").write_bytes(b"not the mirror's")
    with pytest.raises(FetchError, match=r"'\.' or '\.\.' as the host or in the path would "
                       "escape the mirror"):
        fetch(url, tmp_path / "tmp", mirror=tmp_path / "mirror")


def test_the_corpus_left_the_good_release_intact(corpus: Corpus) -> None:
    """Runs after the corpus (file order): the September workbook's figures are untouched and
    every row added belongs to a corpus release; prints the summary `pytest -s` shows."""
    if not RESULTS:
        pytest.skip("run with the corpus cases (file order) to check what they left behind")
    with duckdb.connect(str(corpus.warehouse), read_only=True) as con:
        after = counts(con)
        assert september_rows(con, corpus.september_id) == corpus.september
        latest = con.execute(
            "select value from v_latest where series_key = ? and period_type = 'M' and "
            "period_end = '2024-09-30'", [IIP_TOTAL_YOY]).fetchone()
        assert latest == (110.84,)
        added = con.execute(
            "select count(*), coalesce(sum(n), 0), coalesce(sum(q), 0), coalesce(sum(p), 0)"
            " from (select r.release_id,"
            " (select count(*) from observation o where o.release_id = r.release_id) n,"
            " (select count(*) from reported p where p.release_id = r.release_id) p,"
            " (select count(*) from quarantine q where q.release_id = r.release_id) q"
            " from release r where r.release_id <> ?)", [corpus.september_id]).fetchone()
        assert added is not None
        loaded = [r for r in RESULTS if not r[1].startswith("failed")]
        failed = [r for r in RESULTS if r[1].startswith("failed")]
        assert after["release"] == corpus.counts["release"] + added[0] == 1 + len(loaded)
        assert after["observation"] == corpus.counts["observation"] + added[1]
        assert after["reported"] == corpus.counts["reported"] + added[3]
        assert after["quarantine"] == corpus.counts["quarantine"] + added[2]
        assert after["load_failure"] == corpus.counts["load_failure"] + len(failed)
        text = " ".join(str(row) for table in ("load_failure", "quarantine", "release")
                        for row in con.execute(f"select * from {table}").fetchall())
        assert "root:x:0:0" not in text and "lollollol" not in text
        assert SQL in text  # kept as data (the quarantined label), never run
    print_summary()


def print_summary() -> None:
    failed = Counter(ended.split(":")[0] for _c, ended, _s, _m in RESULTS)
    print(f"\n\nhostile corpus: {len(RESULTS)} loads tried, {len(list(HOSTILE.iterdir())) - 1} "
          f"files in tests/hostile/ ({sum(p.stat().st_size for p in HOSTILE.iterdir()):,} bytes)")
    print("ended: " + ", ".join(f"{k} {n}" for k, n in sorted(failed.items())))
    errors = Counter(c.error for c, ended, _s, _m in RESULTS if ended.startswith("failed"))
    print("failed with: " + ", ".join(f"{k} {n}" for k, n in errors.most_common()))
    codes: Counter[str] = Counter()
    for _c, ended, _s, _m in RESULTS:
        if ended.startswith("quarantined"):
            codes.update(part.split(" x")[0] for part in ended.split(": ", 1)[1].split(", "))
    print("quarantined with: " + ", ".join(f"{k} {n}" for k, n in codes.most_common()))
    print("archived by the loads that failed: 0 files (each case checks); rows lost from the "
          "good release: 0 (test_the_corpus_left_the_good_release_intact)")
    slowest = max(RESULTS, key=lambda r: r[2])
    biggest = max(RESULTS, key=lambda r: r[3])
    print(f"slowest: {slowest[2]:.2f} s ({slowest[0].file}); largest child peak RSS: "
          f"{biggest[3] / 1024:.0f} MB ({biggest[0].file}); bounds {MAX_SECONDS:g} s, "
          f"RLIMIT_AS {MEMORY_LIMIT / 1024**3:g} GiB")
    for case, ended, seconds, _m in RESULTS:
        print(f"  {case_id(case):58} {ended[:110]}  ({seconds:.2f} s)")


def test_every_corpus_file_is_used() -> None:
    used = {c.file for c in CASES} | {p for c in CASES for p in c.parts} | {
        c.tamper for c in CASES if c.tamper}
    kept = {p.name for p in HOSTILE.iterdir()} - {"make_corpus.py"}
    assert kept == used  # the good bases too: the reference workbook is the overwritten blob
    assert len(kept) >= 50
    assert sum(p.stat().st_size for p in HOSTILE.iterdir()) < 2 * 1024**2
    assert os.path.getsize(HOSTILE / "zip_bomb.xlsx") < 64 * 1024
