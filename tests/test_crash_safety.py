"""Crash safety: a load killed with SIGKILL at every named point of fetch, archive, read, load
and publish (flows/core/killpoints.py) never leaves a partial release, never touches an earlier
vintage, leaves no orphan blob or dangling manifest line behind for good, and the next run
completes it to exactly the rows of a load that was never interrupted.

The releases are served over HTTP by tests/httpserver.py with ETags, so a resumed run meets
304 Not Modified for whatever the killed run had archived. A dry run lists the points a load
reaches and how often; then one child process per (point, n) is killed there. The children are
forked from one process that has imported the loader already, so each starts in milliseconds
rather than the second that importing pandas, DuckDB and the readers takes.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

import duckdb
import pytest
import requests

from flows.archive import Archive
from flows.core.config import BUNDLED_MIRROR
from flows.core.killpoints import KILL_AT_VAR, TRACE_VAR
from flows.core.model import ReleaseRef
from flows.fetch import TEMP_PREFIX, get_bytes, mirror_path
from flows.pipeline import fetch_release, load_archived
from flows.sources import SOURCES
from warehouse.checks import run_checks
from warehouse.connect import writer

from httpserver import LocalServer, static

pytestmark = pytest.mark.kill

STAGES = ("fetch", "archive", "read", "load", "publish")
# Loaded before any kill: the earlier vintage that no kill may touch (GSO, January 2024).
BASE = [("gso", "2024-01")]
# Loaded by each killed child after listing BASE again (304 Not Modified): February's workbook,
# which revises January's figures, and a World Bank answer of two pages (a two-file release).
KILLED = [("gso", "2024-02"), ("worldbank", "NY.GDP.MKTP.KD.ZG")]
COMPARED = {
    "release": "select * exclude (loaded_at, fetched_at) from release order by release_id",
    "reported": "select * from reported order by all",
    "observation": "select * from observation order by all",
    "series": "select * from series order by series_key",
    "cell_account": "select * from cell_account order by all",
}
WHOLE = ("select count(*) from release r where r.rows_reported <> "
         "(select count(*) from reported p where p.release_id = r.release_id)")
WAREHOUSE = "chiso.duckdb"

Rows = list[tuple[object, ...]]


def load(refs: list[ReleaseRef], root: Path) -> None:
    """What a child runs, as `chiso run` does: for each source one writer session, published at
    its end, that fetches, archives, reads and loads the source's releases in turn."""
    store = Archive(root / "archive")
    for name in dict.fromkeys(ref.source for ref in refs):
        with writer(root / WAREHOUSE) as session:
            for ref in (r for r in refs if r.source == name):
                load_archived(fetch_release(ref, store, None), session)


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """A folder in memory (/dev/shm) where there is one, else tmp_path. A SIGKILL leaves the
    page cache whole, so fsync matters nothing to these tests; in memory it also costs nothing
    (on a busy disk the fsyncs of 80 loads take minutes)."""
    shm = Path("/dev/shm")
    if not shm.is_dir():
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=shm, prefix="chiso-crash-") as folder:
        yield Path(folder)


def serve(server: LocalServer, url: str) -> str:
    """Serve the bundled mirror's copy of `url` on `server`; its URL there."""
    body = mirror_path(url, BUNDLED_MIRROR).read_bytes()
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    local = server.url(f"/{parts.hostname}{parts.path}{query}")
    target = requests.Request("GET", local).prepare().path_url
    media = mimetypes.guess_type(parts.path)[0] or "application/json"
    etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
    server.route(target, static(body, etag=etag, content_type=media))
    return local


def releases(server: LocalServer) -> tuple[list[ReleaseRef], list[ReleaseRef]]:
    """The BASE and KILLED releases as discovered from the mirror, served by `server`."""
    found = {}
    for name in ("gso", "worldbank"):
        discover = SOURCES[name].discover
        assert discover is not None
        for ref in discover(lambda u: get_bytes(u, mirror=BUNDLED_MIRROR), None):
            key = ref.reference_period if name == "gso" else ref.dataset
            local = replace(ref, url=serve(server, ref.url),
                            parts=tuple(serve(server, part) for part in ref.parts))
            found[(name, key)] = local
    assert found[KILLED[1]].parts, "the World Bank release should come in two pages"
    return [found[k] for k in BASE], [found[k] for k in KILLED]


class Children:
    """A process that imports the loader once, then forks a child for each `run`."""

    def __init__(self, refs: Path) -> None:
        self._server = subprocess.Popen([sys.executable, __file__, str(refs)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, root: Path, **env: str) -> int:
        """Run `load` on `root` in a child with these environment variables; its exit code
        (-9 when it was killed by SIGKILL)."""
        assert self._server.stdin and self._server.stdout
        self._server.stdin.write(json.dumps({"root": str(root), "env": env}) + "\n")
        self._server.stdin.flush()
        answer = self._server.stdout.readline()
        assert answer, f"the process forking the children died (exit {self._server.poll()})"
        return int(answer)

    def __enter__(self) -> Children:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self._server.stdin
        self._server.stdin.close()
        self._server.wait(timeout=60)


def fork_children(refs: list[ReleaseRef]) -> None:
    """The `Children` side: one child per request line, each exit code as an answer line."""
    for line in sys.stdin:
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                os.environ.update(job["env"])
                load(refs, Path(job["root"]))
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status), flush=True)


def snapshot(path: Path) -> dict[str, Rows]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in COMPARED.items()}


def by_release(rows: Rows) -> dict[str, Rows]:
    """`reported` rows (release_id first) grouped by release."""
    grouped: dict[str, Rows] = {}
    for row in rows:
        grouped.setdefault(str(row[0]), []).append(row)
    return grouped


def pairs(trace: list[str]) -> list[tuple[str, int]]:
    """Where to kill: the first and the last time each point is reached, stage by stage."""
    counts = Counter(trace)
    order = sorted(dict.fromkeys(trace), key=lambda name: STAGES.index(name.split(".")[0]))
    return [(name, n) for name in order for n in sorted({1, counts[name]})]


def temporary(root: Path) -> set[str]:
    """Temporary files in the archive: downloads a kill cut short, swept after an hour."""
    return {p.name for p in (root / "archive" / "tmp").iterdir()}


def check_killed(root: Path, point: str, expected: dict[str, Rows], base: dict[str, Rows]) -> None:
    """What readers and the archive see right after a kill at `point`."""
    with duckdb.connect(str(root / WAREHOUSE), read_only=True) as con:
        assert con.execute(WHOLE).fetchone() == (0,), f"{point}: a partial release"
        failed = {name: rows for name, rows in run_checks(con).items() if rows}
        assert failed == {}, f"{point}: warehouse checks fail"
        published = by_release(con.execute("select * from reported order by all").fetchall())
    assert base.items() <= published.items(), f"{point}: an earlier vintage changed"
    for release, rows in published.items():  # each release whole, exactly as when loaded whole
        assert rows == expected[release], f"{point}: release {release} differs"
    problems = Archive(root / "archive").verify()
    # A kill between a blob's rename and its manifest line leaves that one blob unlisted; the
    # next store of the release lists it. Anything else (a line without its blob) is damage.
    allowed = 1 if point.startswith("archive.renamed:") else 0
    assert len(problems) == allowed and all("orphan" in p for p in problems), (point, problems)
    temps = temporary(root)
    assert all(n.startswith(TEMP_PREFIX) for n in temps), f"{point}: unexpected files {temps}"


def test_killed_at_every_point_leaves_whole_releases_and_resumes_exactly(scratch: Path) -> None:
    with LocalServer() as server:
        base_refs, killed_refs = releases(server)
        refs = base_refs + killed_refs  # the base is listed again: 304 Not Modified
        refs_file = scratch / "refs.pickle"
        refs_file.write_bytes(pickle.dumps(refs))
        base = scratch / "base"
        load(base_refs, base)
        whole = scratch / "whole"
        shutil.copytree(base, whole)
        load(refs, whole)
        expected = snapshot(whole / WAREHOUSE)

        with Children(refs_file) as children:
            dry = scratch / "dry"
            shutil.copytree(base, dry)
            trace_file = scratch / "trace.txt"
            assert children.run(dry, **{TRACE_VAR: str(trace_file)}) == 0
            assert snapshot(dry / WAREHOUSE) == expected
            trace = trace_file.read_text().split()
            chosen = pairs(trace)
            survived = kill_and_resume(children, chosen, base, whole, refs)

    reached = Counter(trace)
    print(f"\nkill points: {len(reached)} named, reached {len(trace)} times in a dry run: "
          + ", ".join(f"{name} x{count}" for name, count in reached.items()))
    print(f"kill points survived: {sum(survived.values())} ("
          + ", ".join(f"{stage} {survived[stage]}" for stage in STAGES) + ")")
    assert len(chosen) >= 30
    assert all(survived[stage] for stage in STAGES)


def kill_and_resume(children: Children, chosen: list[tuple[str, int]], base: Path, whole: Path,
                    refs: list[ReleaseRef]) -> Counter[str]:
    """Kill a child at each (point, n), check what it left, run again and compare with the
    uninterrupted load in `whole`; how many points of each stage were survived."""
    expected = snapshot(whole / WAREHOUSE)
    expected_reported = by_release(expected["reported"])
    base_reported = by_release(snapshot(base / WAREHOUSE)["reported"])
    files = sorted(p.name for p in whole.iterdir())
    survived: Counter[str] = Counter()
    for point, nth in chosen:
        where = f"{point}:{nth}"
        root = base.with_name(where.replace(":", "-"))
        shutil.copytree(base, root)
        code = children.run(root, **{KILL_AT_VAR: where})
        assert code == -signal.SIGKILL, f"{where}: not killed (exit {code})"
        check_killed(root, where, expected_reported, base_reported)
        temps = temporary(root)
        load(refs, root)  # the next run
        assert snapshot(root / WAREHOUSE) == expected, f"{where}: resumed to other rows"
        assert Archive(root / "archive").verify() == [], f"{where}: archive damaged"
        assert sorted(p.name for p in root.iterdir()) == files, f"{where}: debris left"
        assert temporary(root) <= temps, f"{where}: the next run left temporary files"
        shutil.rmtree(root)
        survived[point.split(".")[0]] += 1
    return survived


def test_killpoint_kills_on_the_nth_time_and_names_a_bad_setting(tmp_path: Path) -> None:
    script = ("from flows.core.killpoints import killpoint\n"
              "for n in range(3):\n    killpoint('load.committed')\n    print(n, flush=True)\n")
    trace = tmp_path / "trace.txt"
    env = {**os.environ, KILL_AT_VAR: "load.committed:2", TRACE_VAR: str(trace)}
    child = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                           text=True, check=False)
    assert (child.returncode, child.stdout) == (-signal.SIGKILL, "0\n")
    assert trace.read_text() == "load.committed\nload.committed\n"
    env[KILL_AT_VAR] = "load.committed"
    child = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                           text=True, check=False)
    assert child.returncode == 1
    assert "CHISO_KILL_AT='load.committed': expected '<point name>:<n>'" in child.stderr


if __name__ == "__main__":  # the process Children forks from
    fork_children(pickle.loads(Path(sys.argv[1]).read_bytes()))
