"""Test hook: kill this process with SIGKILL at a named point of a load, to prove crash safety.

Each stage marks its risky moments with `killpoint("stage.what")` (`fetch.headers`,
`archive.renamed`, `load.committed`, `publish.replaced` ...). In normal use both variables
below are unset and a point costs one check of a cached flag.

- `CHISO_KILL_AT="<name>:<n>"`: the n-th time (from 1) this process reaches point `<name>`,
  it sends itself SIGKILL: no `finally`, no `atexit`, no flush, exactly like `kill -9` or the
  OOM killer. tests/test_crash_safety.py kills a load at every point and checks that the
  warehouse and the archive stay whole and that the next run completes the load.
- `CHISO_KILL_TRACE=<file>`: every point reached is appended to `<file>`, one name a line,
  so a dry run lists the points of a load and how often each is reached.

The variables are read at the first point a process reaches (again in a forked child).
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from dataclasses import dataclass, field

KILL_AT_VAR = "CHISO_KILL_AT"
TRACE_VAR = "CHISO_KILL_TRACE"


@dataclass
class _Plan:
    """Where to die (point name, how many times reached) and where to trace, from the env."""

    name: str | None
    nth: int
    trace: str | None
    reached: Counter[str] = field(default_factory=Counter)


# None: no variable set, every point returns at once. Read lazily, once per process.
_plan: _Plan | None = None
_read = False


def killpoint(name: str) -> None:
    """Trace and maybe kill this process here (see the module docstring); usually a no-op."""
    if not _read:
        _configure()
    if _plan is None:
        return
    _plan.reached[name] += 1
    if _plan.trace:
        with open(_plan.trace, "a", encoding="utf-8") as out:  # closed: a kill loses no line
            out.write(name + "\n")
    if name == _plan.name and _plan.reached[name] == _plan.nth:
        os.kill(os.getpid(), signal.SIGKILL)


def _configure() -> None:
    global _plan, _read
    kill_at = os.environ.get(KILL_AT_VAR, "").strip()
    trace = os.environ.get(TRACE_VAR, "").strip() or None
    _read = True
    if not kill_at and trace is None:
        _plan = None
        return
    name, nth = None, 0
    if kill_at:
        name, _, count = kill_at.rpartition(":")
        if not name or not count.isdigit() or int(count) < 1:
            raise ValueError(
                f"{KILL_AT_VAR}={kill_at!r}: expected '<point name>:<n>' with n >= 1, "
                "e.g. 'load.committed:2'. Unset it outside crash-safety tests."
            )
        nth = int(count)
    _plan = _Plan(name, nth, trace)


def _forget() -> None:
    """In a forked child: read the variables again, count from zero."""
    global _plan, _read
    _plan, _read = None, False


os.register_at_fork(after_in_child=_forget)
