"""No process outlives `chiso` (issue 15): a by-hand run stopped with SIGTERM, SIGINT or SIGKILL
leaves nothing running behind it. The run starts in a session of its own, so everything it
started (a Prefect server, before by-hand runs went in-process, stayed behind reparented to
init) shares its process group; after the run ends the group must be empty."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.kill

ROOT = Path(__file__).resolve().parents[1]
# Long enough for the run to be reading and loading the mirror's releases when it is stopped.
STOP_AFTER_S = 4.0
SETTLE_S = 10.0


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL],
                         ids=["SIGTERM", "SIGINT", "SIGKILL"])
def test_a_stopped_run_leaves_no_process_behind(tmp_path: Path, stop: signal.Signals) -> None:
    env = {**os.environ, "CHISO_WAREHOUSE": str(tmp_path / "chiso.duckdb"),
           "CHISO_ARCHIVE": str(tmp_path / "archive"), "CHISO_REPORT": str(tmp_path / "r.html"),
           "CHISO_MIRROR": "bundled", "PREFECT_HOME": str(tmp_path / "prefect")}
    env.pop("PREFECT_API_URL", None)
    run = subprocess.Popen([sys.executable, "-m", "flows.present.cli", "run"], cwd=ROOT,
                           env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    time.sleep(STOP_AFTER_S)
    assert run.poll() is None, "the run ended before it could be stopped: nothing was tested"
    run.send_signal(stop)
    run.wait(timeout=60)
    deadline = time.monotonic() + SETTLE_S
    while _group_alive(run.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = _group_alive(run.pid)
    if alive:  # leave the machine clean before failing
        os.killpg(run.pid, signal.SIGKILL)
    assert not alive, f"processes of the stopped run still running after {stop.name}"
