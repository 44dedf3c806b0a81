"""Background processes known by a PID file and a log: start, check and stop them, and never
signal a process that is not the one the PID file was written for."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

POLL_SECONDS = 0.3
# `stop` asks the process to end (SIGTERM) and waits this long: a Prefect worker first lets
# its running flow finish (a poll takes seconds). Then the rest of its process group gets
# SIGTERM (a flow run reports itself crashed), and SIGKILL after GROUP_STOP_SECONDS more.
STOP_TIMEOUT_SECONDS = 20.0
GROUP_STOP_SECONDS = 10.0

# Popen objects of the processes this interpreter started, so they are reaped, not zombies.
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


@dataclass(frozen=True)
class Background:
    """The process NAME: NAME.pid and NAME.log in `folder`; its command line holds `words`
    (so a PID reused by another program is never taken for it)."""

    folder: Path
    name: str
    words: tuple[str, ...]

    @property
    def pid_file(self) -> Path:
        return self.folder / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return self.folder / f"{self.name}.log"

    def pid(self) -> int | None:
        """The PID recorded in the PID file (running or not)."""
        try:
            return int(self.pid_file.read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return None

    def running(self) -> int | None:
        """The PID if the process is running and is ours, else None."""
        pid = self.pid()
        return pid if pid is not None and _is_ours(pid, self.words) else None

    def start(self, command: Sequence[str], cwd: Path, env: Mapping[str, str]) -> int:
        """Start `command` in its own session (so `stop` ends its children too), appending
        its output to the log; writes the PID file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            child = subprocess.Popen(
                list(command), cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=_interruptible if _interrupts_ignored() else None,
            )
        _CHILDREN[child.pid] = child
        self.pid_file.write_text(f"{child.pid}\n", encoding="utf-8")
        return child.pid

    def stop(self) -> int | None:
        """Stop the process and its group if running; returns its PID, or None."""
        pid = self.running()
        if pid is not None:
            _terminate(pid)
        self.pid_file.unlink(missing_ok=True)
        return pid

    def exited(self) -> bool:
        """Started, but no longer running."""
        pid = self.pid()
        return pid is None or not alive(pid)

    def describe(self) -> str:
        pid = self.pid()
        if pid is None:
            return "not running"
        if self.running() is None:
            return f"not running (stale {self.pid_file.name}: pid {pid})"
        return f"running (pid {pid}, log {self.log_file})"

    def tail(self, lines: int = 25) -> str:
        """The end of the log, for error messages."""
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


def _interrupts_ignored() -> bool:
    """Whether this process ignores SIGINT, as a process started in the background by a script
    or a shell without job control does (`chiso service start &`, nohup), and a child would
    inherit."""
    return signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def _interruptible() -> None:
    """In a child about to run its command: SIGINT back to its default. A Prefect worker asked
    to stop (SIGTERM) stops by sending itself SIGINT; inheriting it ignored, the worker never
    saw it and was killed STOP_TIMEOUT_SECONDS later, its flow run with it. The child has a
    session of its own, so no terminal's Ctrl-C reaches it either way. (Only when SIGINT is
    ignored: code run between fork and exec is best kept to the rare case that needs it.)"""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def alive(pid: int) -> bool:
    child = _CHILDREN.get(pid)
    if child is not None:
        return child.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Dead but not reaped yet (its parent exited and init has not got to it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return False  # no /proc (macOS): trust kill(pid, 0)
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"


def _is_ours(pid: int, words: Sequence[str]) -> bool:
    if not alive(pid):
        return False
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        command = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True,
                                 text=True, check=False).stdout
    return all(word in command for word in words)


def _terminate(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGTERM)
    wait_until(lambda: not alive(pid), STOP_TIMEOUT_SECONDS)
    _signal_group(pid, signal.SIGTERM)
    wait_until(lambda: not _group_alive(pid), GROUP_STOP_SECONDS)
    _signal_group(pid, signal.SIGKILL)
    child = _CHILDREN.pop(pid, None)
    if child is not None:
        child.wait()


def wait_until(done: Callable[[], bool], seconds: float) -> bool:
    """Poll `done` until it is true or `seconds` have passed; returns its last answer."""
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            return False
        time.sleep(POLL_SECONDS)
    return True


def _group_alive(pid: int) -> bool:
    alive(pid)  # reaps the leader if it is our own child
    try:
        os.killpg(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _signal_group(pid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone
        os.killpg(pid, signum)
