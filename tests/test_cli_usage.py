"""The command line as a user meets it by hand: a bad argument is one line naming it and the
forms accepted (exit 2, no traceback, the warehouse untouched), an offline machine is said to
be offline once, and `chiso ingest` loads in its own process unless a Prefect server is
configured (then the load is a flow run on that server)."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.core.model import ReleaseRef
from flows.orchestration import by_hand
from flows.pipeline import read_release
from flows.present.cli import main
from flows.sources import press

ROOT = Path(__file__).resolve().parents[1]
# The department's September 2024 report, loaded as a press article (13 figures).
ARTICLE = ROOT / "tests" / "fixtures" / "prose" / "haiphong-doit-2024-09.txt"
PUBLISHED = "2024-10-15"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`chiso ARGV` in this process: its exit status, stdout and stderr."""
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's own errors
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def fingerprint(warehouse: Path) -> dict[str, str]:
    """The hash of every file next to the warehouse and in its archive."""
    folder = warehouse.parent
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def article_figures() -> list[tuple[str, date, float]]:
    """The figures the press reader reads in ARTICLE (none would make the tests moot)."""
    ref = ReleaseRef("press", "local-file", "", datetime(2024, 10, 15), "", title=ARTICLE.name)
    figures = sorted((o.series_key, o.period.end, o.value)
                     for o in read_release(press.SOURCE, [ARTICLE], ref).observations)
    assert figures
    return figures


def loaded_figures(warehouse: Path) -> list[tuple[str, date, float]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return sorted(con.execute("select series_key, period_end, value from reported")
                      .fetchall())


@pytest.fixture
def demo(bundled_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo warehouse and its archive, chiso pointed at it."""
    folder = tmp_path / "demo"
    folder.mkdir()
    warehouse = folder / "chiso.duckdb"
    warehouse.write_bytes(bundled_warehouse.read_bytes())
    monkeypatch.setenv("CHISO_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("CHISO_ARCHIVE", str(folder / "archive"))
    monkeypatch.setenv("CHISO_REPORT", str(folder / "report.html"))
    monkeypatch.delenv("CHISO_MIRROR", raising=False)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setattr(by_hand.service, "default_home", lambda: tmp_path / "no-service")
    return warehouse


KEY = "IIP.VN._T._Z._Z.INDEX_YOY.INDEX"
# Each bad input of issue 14, and words its one line must hold: the problem and what to write.
BAD = {
    "period Aug 2024": (["query", "revision_history", "--param", "period=Aug 2024"],
                        ["period='Aug 2024'", "month like 2024-09", "YYYY-MM"]),
    "period 2024-8": (["query", "revision_history", "--param", "period=2024-8"],
                      ["period='2024-8'", "month like 2024-09"]),
    "period 2024-13": (["query", "revision_history", "--param", "period=2024-13"],
                       ["period='2024-13'", "month like 2024-09"]),
    "period a day": (["query", "revision_history", "--param", "period=2024-08-31"],
                     ["period='2024-08-31'", "month like 2024-09"]),
    "mistyped series key": (["query", "revision_history", "--param", f"series={KEY[:-1]}"],
                            [f"unknown series '{KEY[:-1]}'", f"did you mean {KEY}"]),
    "backfill month": (["backfill", "gso", "--from", "2024-9", "--to", "2024-07"],
                       ["--from", "'2024-9'", "YYYY-MM, e.g. 2024-09"]),
    "backfill backwards": (["backfill", "gso", "--from", "2024-09", "--to", "2024-07"],
                           ["--from 2024-09 is after --to 2024-07", "--from 2024-07 --to 2024-09"]),
    "param path": (["query", "revision_history", "--param", "path=/tmp/other.duckdb"],
                   ["no parameter 'path'", "it takes: series="]),
    "param as_of": (["query", "revision_history", "--param", "as_of=2024-01-01"],
                    ["--param as_of", "--as-of DATE"]),
    "no --file": (["ingest", "press", "--published-at", PUBLISHED],
                  ["required: --file", "chiso ingest --help"]),
    "folder as --file": (["ingest", "press", "--file", str(ARTICLE.parent), "--published-at",
                          PUBLISHED], ["is a folder, not a file", "/NAME"]),
    "missing --file": (["ingest", "press", "--file", "no-such-article.txt", "--published-at",
                        PUBLISHED], ["no-such-article.txt: no such file"]),
    "unknown source": (["ingest", "presss", "--file", str(ARTICLE), "--published-at", PUBLISHED],
                       ["unknown source 'presss'", "did you mean press?", "gso, haiphong_doit"]),
    "unknown source to run": (["run", "--source", "gsoo"],
                              ["unknown source 'gsoo'", "did you mean gso?"]),
    "source by hand only": (["run", "--source", "press"],
                            ["'press' takes files by hand", "chiso ingest press --file"]),
    "no publication day": (["ingest", "press", "--file", str(ARTICLE)],
                           ["needs --published-at YYYY-MM-DD"]),
    "unknown query": (["query", "revision_histry"],
                      ["unknown query 'revision_histry'", "did you mean revision_history?"]),
    "bad --as-of": (["query", "revision_history", "--as-of", "yesterday"],
                    ["'yesterday' is not a date like 2024-10-31"]),
    "published in the future": (["ingest", "press", "--file", str(ARTICLE), "--published-at",
                                 "2099-01-01"], ["2099-01-01 is in the future", "--force-date"]),
    "published before its period": (["ingest", "press", "--file", str(ARTICLE),
                                     "--published-at", "2024-08-15", "--reference-period",
                                     "2024-09"], ["2024-08-15 is before 2024-09 began"]),
}


@pytest.mark.parametrize("argv, words", BAD.values(), ids=list(BAD))
def test_a_bad_argument_is_one_line_and_exit_2(
    argv: list[str], words: list[str], demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fingerprint(demo)
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in err
    assert fingerprint(demo) == before


def test_debug_shows_the_traceback(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["--debug", "query", "revision_history", "--param", "period=2024-8"],
                       capsys)
    assert code == 2
    assert err.startswith("Traceback") and "ParameterError" in err
    assert err.strip().splitlines()[-1].startswith("chiso: query 'revision_history': period=")


def test_offline_is_said_once_and_blamed_on_this_machine(
    warehouse_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_dns(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    code, out, err = run(["run", "--source", "gso"], capsys)
    assert code == 1
    said = [line for line in (out + err).splitlines() if "resolve" in line]
    assert len(said) == 1, out + err
    assert "www.gso.gov.vn: this machine could not resolve the name" in said[0]
    assert "throttling" not in out + err
    assert "attempt" not in err  # not retried: the name will not resolve in a second either


def test_force_date_lets_a_date_the_checks_refuse_through(
        demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["ingest", "press", "--file", str(ARTICLE), "--published-at",
                        "2099-01-01", "--force-date"], capsys)
    assert code == 0, err
    with duckdb.connect(str(demo), read_only=True) as con:
        assert con.execute("select count(*) from release where published_at = "
                           "timestamp '2099-01-01'").fetchone() == (1,)


def test_a_file_dated_before_the_period_it_turns_out_to_report_is_refused(
        demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No --reference-period: the article's month (September 2024) is known once it is read,
    and a day in August is refused then; nothing archived or loaded, unless --force-date."""
    archive = demo.parent / "archive"
    figures = loaded_figures(demo)
    code, out, err = run(["ingest", "press", "--file", str(ARTICLE), "--published-at",
                          "2024-08-15"], capsys)
    assert code == 1
    assert ("--published-at 2024-08-15 is before 2024-09, the period the file reports, began"
            in out + err), out + err
    assert "--force-date" in out + err
    assert loaded_figures(demo) == figures
    assert not [p for p in archive.rglob("*") if p.is_file() and p.stat().st_size]  # no blob
    code, _, err = run(["ingest", "press", "--file", str(ARTICLE), "--published-at",
                        "2024-08-15", "--force-date"], capsys)
    assert code == 0, err


def test_ingest_by_hand_runs_without_prefect(tmp_path: Path) -> None:
    """In a fresh process with no Prefect server configured: the article loads, Prefect is
    never imported and no temporary server's database appears in PREFECT_HOME."""
    warehouse = tmp_path / "wh" / "chiso.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"CHISO_WAREHOUSE": str(warehouse), "CHISO_ARCHIVE": str(tmp_path / "wh" / "archive"),
            "PREFECT_HOME": str(tmp_path / "prefect"), "PYTHONPATH": str(ROOT)}
    script = (
        "import json, sys\n"
        "from flows.present.cli import main\n"
        f"code = main(['ingest', 'press', '--file', {str(ARTICLE)!r}, '--published-at', "
        f"{PUBLISHED!r}])\n"
        "print(json.dumps({'code': code, 'prefect': sorted(m for m in sys.modules "
        "if m.split('.')[0] == 'prefect')}))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"code": 0, "prefect": []}
    assert not (tmp_path / "prefect").exists() or not any((tmp_path / "prefect").iterdir())
    assert "Traceback" not in done.stderr and "prefect" not in done.stderr.lower()

    assert loaded_figures(warehouse) == article_figures()


def test_a_configured_prefect_api_is_found_without_importing_prefect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_PROFILE", raising=False)
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.setattr(by_hand.service, "default_home", lambda: tmp_path / "no-service")
    assert by_hand.prefect_api() is None
    (tmp_path / "profiles.toml").write_text(
        'active = "office"\n[profiles.office]\nPREFECT_API_URL = "http://10.0.0.5:4200/api"\n'
        '[profiles.ephemeral]\n', encoding="utf-8")
    assert by_hand.prefect_api() == "http://10.0.0.5:4200/api"
    monkeypatch.setenv("PREFECT_PROFILE", "ephemeral")
    assert by_hand.prefect_api() is None
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4300/api")
    assert by_hand.prefect_api() == "http://127.0.0.1:4300/api"


def test_with_a_server_configured_ingest_is_a_flow_run_there(
    prefect_harness: None, warehouse_env: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.settings import PREFECT_API_URL

    api = PREFECT_API_URL.value()
    monkeypatch.setenv("PREFECT_API_URL", api)
    with get_client(sync_client=True) as client:
        only_ingest = FlowFilter(name=FlowFilterName(any_=["ingest-file"]))
        before = {run.id for run in client.read_flow_runs(flow_filter=only_ingest)}
    code, out, _ = run(["ingest", "press", "--file", str(ARTICLE), "--published-at", PUBLISHED],
                       capsys)
    assert code == 0 and "1 new" in out
    with get_client(sync_client=True) as client:
        runs = [r for r in client.read_flow_runs(flow_filter=only_ingest) if r.id not in before]
    assert len(runs) == 1
    assert runs[0].name == f"press {ARTICLE}" and runs[0].state is not None
    assert runs[0].state.is_completed()
    assert loaded_figures(warehouse_env) == article_figures()
