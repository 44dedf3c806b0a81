"""Where a command run by hand (`chiso run`, `ingest`, `backfill`) does its work: in this
process, unless a Prefect server is configured; then as a flow run on that server, created
under its name (flows.orchestration.naming), with its logs, artifacts and events there, as a
scheduled run has them.

No temporary Prefect server is started for a by-hand command any more: starting one took
nearly all of the 20-odd seconds a one-article ingest used to take. Both ways run the same
functions (flows.orchestration.steps), so the loads, their transactions and the publish step
are the same.
"""

from __future__ import annotations

import logging
import os
import sys
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from flows.orchestration import service

if TYPE_CHECKING:
    from datetime import date, datetime

    from flows.pipeline import Outcome

# Project loggers a by-hand run shows on the terminal (Prefect's are Prefect's business).
LOGGERS = ("flows", "warehouse")


def prefect_api() -> str | None:
    """The Prefect API the user has configured: PREFECT_API_URL in the environment or in the
    active Prefect profile, else the server `make serve` started, while it runs; None when
    there is none."""
    url = os.environ.get("PREFECT_API_URL", "").strip() or _profile_api_url()
    if url:
        return url
    served = service.running()
    return served.api_url if served else None


def _profile_api_url() -> str:
    """PREFECT_API_URL in the active profile of PREFECT_HOME/profiles.toml (`prefect config
    set` writes it there), read without importing Prefect."""
    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return ""
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active") or "ephemeral"
    return str(profiles.get("profiles", {}).get(active, {}).get("PREFECT_API_URL", "")).strip()


def set_verbosity(verbose: bool) -> None:
    """Quiet unless `verbose`: warnings and errors only, from chiso (a run in this process)
    or from Prefect (a run on a server); `verbose` adds what each step did."""
    _HANDLER.setLevel(logging.INFO if verbose else logging.WARNING)
    if verbose:
        for name in LOGGERS:
            logging.getLogger(name).setLevel(logging.INFO)
    else:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def _in_process() -> None:
    """Show chiso's log lines on the terminal (Prefect's logging does it on a server run)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _HANDLER not in logger.handlers:
            logger.addHandler(_HANDLER)


class _Terminal(logging.Handler):
    """`warning: ...` on whatever sys.stderr is when the line is logged."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}"

    def emit(self, record: logging.LogRecord) -> None:
        try:
            print(self.format(record), file=sys.stderr)
        except Exception:
            self.handleError(record)


_HANDLER = _Terminal()


def _on_prefect() -> bool:
    """Whether this run goes to a configured Prefect server (then PREFECT_API_URL names it,
    for the Prefect client imported next)."""
    url = prefect_api()
    if url is None:
        _in_process()
        return False
    os.environ["PREFECT_API_URL"] = url
    return True


def run_sources(names: list[str] | None, since: date | None) -> list[Outcome]:
    """`chiso run`: every source (or `names`) in turn."""
    if _on_prefect():
        from flows.orchestration.flows import run_all
        from flows.orchestration.naming import run_named

        return run_named(run_all, names=names, since=since)
    from flows.orchestration import steps

    return steps.run_sources(names, since)


def ingest_file(source: str, path: str, published_at: datetime, reference_period: str,
                dataset: str, parts: list[str], force_date: bool = False) -> Outcome:
    """`chiso ingest`: one file downloaded by hand, as a release."""
    if _on_prefect():
        from flows.orchestration.flows import ingest_flow
        from flows.orchestration.naming import run_named

        return run_named(ingest_flow, source=source, path=path, published_at=published_at,
                         reference_period=reference_period, dataset=dataset, parts=parts,
                         force_date=force_date)
    from flows.orchestration import steps

    return steps.ingest_file(source, path, published_at, reference_period, dataset, parts,
                             force_date=force_date)


def backfill(source: str, start: str, end: str, folder: str | None) -> list[Outcome]:
    """`chiso backfill`: every release of a range of periods."""
    if _on_prefect():
        from flows.orchestration.flows import backfill_flow
        from flows.orchestration.naming import run_named

        return run_named(backfill_flow, source=source, start=start, end=end, folder=folder)
    from flows.orchestration import steps

    return steps.backfill(source, start, end, folder)
