"""Ctrl-C stops a by-hand run even when it lands inside DuckDB.

DuckDB's Python client (1.5) turns the KeyboardInterrupt a SIGINT raises during a query into
`RuntimeError('Query interrupted')`: an Exception, which a run that lets one source fail
without stopping the others (flows/orchestration/steps.run_sources) caught and went on from.
`install` records the signal as well as raising it, and `check` raises KeyboardInterrupt again
wherever a broad `except` might have caught it dressed as something else.
"""

from __future__ import annotations

import signal
from types import FrameType

_received = False


def install() -> None:
    """Record SIGINT before raising KeyboardInterrupt as Python does; a SIGINT the process was
    started ignoring (a background job) stays ignored."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupted)


def check() -> None:
    """KeyboardInterrupt if the user has pressed Ctrl-C, whatever error reached the caller."""
    if _received:
        raise KeyboardInterrupt


def _interrupted(signum: int, frame: FrameType | None) -> None:
    global _received
    _received = True
    raise KeyboardInterrupt
