"""No process outlives `chiso` (issue 15): a by-hand run stopped with SIGTERM, SIGINT or SIGKILL
leaves nothing running behind it. The run starts in a session of its own, so everything it
started (a Prefect server, before by-hand runs went in-process, stayed behind reparented to
init) shares its process group; after the run ends the group must be empty."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.kill

ROOT = Path(__file__).resolve().parents[1]
# Long enough for the run to be reading and loading the mirror's releases when it is stopped.
STOP_AFTER_S = 4.0
SETTLE_S = 10.0
STOPPED_WITHIN_S = 60.0


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _stuck(run: subprocess.Popen[bytes], log: Path, stop: signal.Signals) -> str:
    """What a run that outlived its stop signal was doing: its stacks (faulthandler prints
    them on SIGABRT) and the end of its output. The run's group is killed after."""
    run.send_signal(signal.SIGABRT)
    try:
        run.wait(timeout=5)
    finally:
        if _group_alive(run.pid):
            os.killpg(run.pid, signal.SIGKILL)
    tail = log.read_text(encoding="utf-8", errors="replace")[-6000:]
    return f"the run still ran {STOPPED_WITHIN_S:.0f} s after {stop.name}; it ended with:\n{tail}"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL],
                         ids=["SIGTERM", "SIGINT", "SIGKILL"])
def test_a_stopped_run_leaves_no_process_behind(tmp_path: Path, stop: signal.Signals) -> None:
    env = {**os.environ, "CHISO_WAREHOUSE": str(tmp_path / "chiso.duckdb"),
           "CHISO_ARCHIVE": str(tmp_path / "archive"), "CHISO_REPORT": str(tmp_path / "r.html"),
           "CHISO_MIRROR": "bundled", "PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("PREFECT_API_URL", None)
    env["PYTHONFAULTHANDLER"] = "1"  # SIGABRT prints every thread's stack (see _stuck)
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        # A shell without job control (CI's, say) starts its commands with SIGINT ignored, and
        # Python keeps it so: give the run the default, as a terminal's Ctrl-C finds it.
        run = subprocess.Popen([sys.executable, "-m", "flows.present.cli", "run"], cwd=ROOT,
                               env=env, start_new_session=True, stdout=out, stderr=out,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(STOP_AFTER_S)
    assert run.poll() is None, "the run ended before it could be stopped: nothing was tested"
    run.send_signal(stop)
    try:
        run.wait(timeout=STOPPED_WITHIN_S)
    except subprocess.TimeoutExpired:
        pytest.fail(_stuck(run, log, stop))
    deadline = time.monotonic() + SETTLE_S
    while _group_alive(run.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = _group_alive(run.pid)
    if alive:  # leave the machine clean before failing
        os.killpg(run.pid, signal.SIGKILL)
    assert not alive, f"processes of the stopped run still running after {stop.name}"


def test_ctrl_c_inside_duckdb_stops_a_run_of_every_source(
        warehouse_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB 1.5 turns the KeyboardInterrupt of a SIGINT during a query into
    RuntimeError('Query interrupted'); the run must stop, not take it for one source's failure
    and go on to the next (flows/core/interrupts.py)."""
    import duckdb

    from flows.core import interrupts
    from flows.orchestration import steps

    asked: list[str] = []

    class Run(steps.Run):
        def source(self, name: str, since: object) -> list[steps.Outcome]:
            asked.append(name)
            # One thread, as the writer runs (warehouse/file_backend.WRITER_CONFIG): on more,
            # DuckDB 1.5 saw a signal only when the query ended, 0.3 to 60 s later at random.
            with duckdb.connect(config={"threads": 1}) as con:
                con.execute("select 1").fetchall()  # connected: the signal lands in the query
                threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
                # Long enough for the signal to land in it (about a minute uninterrupted).
                con.execute("select sum(i) from range(20000000000) t(i)").fetchall()
            return []

    previous = signal.getsignal(signal.SIGINT)
    monkeypatch.setattr(interrupts, "_received", False)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    interrupts.install()
    try:
        with pytest.raises(KeyboardInterrupt) as stopped:
            steps.run_sources(["gso", "worldbank"], run=Run())
    finally:
        signal.signal(signal.SIGINT, previous)
    assert asked == ["gso"]
    # The interrupt reached run_sources inside the query, dressed as DuckDB dresses it.
    assert str(stopped.value.__context__) == "Query interrupted"
