"""Background processes (flows/orchestration/processes.py): a process started while chiso
ignores SIGINT (started by a script with `&`, or nohup) can still be stopped the way Prefect's
workers stop, by interrupting themselves."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.orchestration.processes import Background, wait_until

# A Python child that logs how it treats SIGINT, then waits to be stopped. The marker names
# it in its command line (Background.words).
MARKER = "chiso-test-child"
TELLS = f"""# {MARKER}
import signal, sys, time
print("SIGINT:", signal.getsignal(signal.SIGINT), flush=True)
time.sleep(60)
"""
# The same child with a Prefect worker's signal handling (prefect worker start): a SIGTERM
# is answered by sending itself SIGINT, the SIGINT handler it found at start-up restored.
WORKER = f"""# {MARKER}
import os, sys, time
from prefect.utilities.processutils import setup_signal_handlers_worker
setup_signal_handlers_worker(os.getpid(), "the test worker", print)
print("ready", flush=True)
try:
    time.sleep(60)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(0)
"""


@pytest.fixture
def interrupts_ignored() -> Iterator[None]:
    """This process ignoring SIGINT while the test runs, as one started in the background by a
    shell without job control does."""
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _start(tmp_path: Path, code: str) -> Background:
    child = Background(tmp_path, "child", (MARKER,))
    child.start([sys.executable, "-c", code], tmp_path, os.environ)
    return child


def _logged(child: Background, text: str) -> bool:
    return wait_until(lambda: text in child.log_file.read_text(encoding="utf-8"), 30)


def test_a_child_gets_sigint_at_its_default_when_chiso_ignores_it(
    interrupts_ignored: None, tmp_path: Path
) -> None:
    child = _start(tmp_path, TELLS)
    try:
        assert _logged(child, "SIGINT:"), child.tail()
        # Python installs its KeyboardInterrupt handler only over a default SIGINT
        assert "default_int_handler" in child.tail(), child.tail()
    finally:
        child.stop()


def test_a_prefect_worker_started_while_sigint_is_ignored_stops_when_asked(
    interrupts_ignored: None, tmp_path: Path
) -> None:
    """Inheriting SIGINT ignored, the worker's SIGINT to itself did nothing: `stop` waited
    STOP_TIMEOUT_SECONDS, then the group's SIGTERM made the worker SIGKILL itself."""
    child = _start(tmp_path, WORKER)
    try:
        assert _logged(child, "ready"), child.tail()
    finally:
        child.stop()
    assert "interrupted" in child.tail(), child.tail()
