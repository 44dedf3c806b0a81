"""Prefect flows: one flow per source with one task per release, a flow running them all,
backfills and manual ingests, each run reported as artifacts.

The only Prefect-aware module: each flow wraps a plain function of flows.orchestration.steps
(what `chiso run`, `ingest` and `backfill` call in-process when no Prefect server is
configured), with a PrefectRun that makes its releases task runs and its sources subflows.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import duckdb
from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.events import emit_event
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from flows.archive import Archive
from flows.core import config, secrets
from flows.core.errors import ConfigError, SourcesFailedError
from flows.core.model import ReleaseRef
from flows.orchestration import steps
from flows.orchestration.announce import PUBLISHED_EVENT, announce
from flows.orchestration.backfill import Prepared, prepare
from flows.orchestration.freshness import Overdue
from flows.orchestration.naming import run_all_name
from flows.pipeline import Outcome
from flows.present.artifacts import quality_markdown, run_rows, summary_markdown
from flows.present.summary import every_source_failed
from warehouse.connect import Writer, reader

OVERDUE_EVENT = "chiso.release.overdue"
# Releases read ahead of the load in a fan-out backfill: enough to keep the workers busy,
# few enough that parsed releases waiting for the writer stay small in memory.
FANOUT_WINDOW = 8


@task(name="release", task_run_name="{ref.source} {ref.reference_period}", cache_policy=NO_CACHE)
def release_task(
    ref: ReleaseRef, archive: Archive, session: Writer, mirror: Path | None, force: bool = False
) -> Outcome:
    """Fetch, archive, read, normalise, validate and load one release."""
    return steps.load_release(ref, archive, session, mirror, force, PrefectRun())


@task(name="read", task_run_name="{ref.source} {ref.reference_period}", cache_policy=NO_CACHE)
def read_task(ref: ReleaseRef, archive: Archive, mirror: Path | None,
              loaded: frozenset[str], framed: bool = False) -> Prepared:
    """Fetch, archive, read, normalise and validate one release, on a fan-out worker
    (`framed`: one in another process, which hands the figures back as a table)."""
    return prepare(ref, archive, mirror, loaded, framed=framed)


class PrefectRun(steps.Run):
    """The steps inside a Prefect flow run: logs to the run, a task run per release, a subflow
    per source, and artifacts and events for the UI and the automations."""

    def logger(self) -> logging.Logger | logging.LoggerAdapter[Any]:
        return get_run_logger()

    def top_level(self) -> bool:
        return flow_run.parent_flow_run_id is None

    def failed(self, message: str) -> None:
        get_run_logger().error("%s", message)

    def release(self, ref: ReleaseRef, archive: Archive, session: Writer, mirror: Path | None,
                force: bool) -> Outcome:
        return release_task(ref, archive, session, mirror, force)

    def reads(self, refs: list[ReleaseRef], archive: Archive, mirror: Path | None,
              loaded: frozenset[str]) -> Iterator[Prepared]:
        if _fans_out():
            return _fanned_out(refs, archive, mirror, loaded)
        return (read_task(ref, archive, mirror, loaded) for ref in refs)

    def source(self, name: str, since: date | None) -> list[Outcome]:
        return source_flow(name, since)

    def publish(self, source: str, outcomes: list[Outcome],
                con: duckdb.DuckDBPyConnection) -> None:
        rows = [{k: secrets.scrub(v) if isinstance(v, str) else v for k, v in row.items()}
                for row in run_rows(outcomes)]
        if rows:
            create_table_artifact(rows, key=_key(source, "run"),
                                  description=f"{source}: releases of this run")
        create_markdown_artifact(secrets.scrub(quality_markdown(con, source, outcomes)),
                                 key=_key(source, "quality"),
                                 description=f"{source}: data quality of this run")

    def announce(self, outcomes: list[Outcome]) -> None:
        con = reader()
        try:
            for release in announce(con, outcomes):
                self.logger().info("announced %s (%s)", release, PUBLISHED_EVENT)
        finally:
            con.close()

    def alarm(self, late: Overdue) -> None:
        emit_event(OVERDUE_EVENT, resource={"prefect.resource.id": f"chiso.source.{late.source}"},
                   payload={"source": late.source, "period": late.period,
                            "expected": late.expected.isoformat(),
                            "days_overdue": str(late.days)})

    def progress(self, source: str, description: str) -> Callable[[float], None]:
        artifact = create_progress_artifact(0.0, key=_key(source, "backfill"),
                                            description=description)
        assert isinstance(artifact, UUID)  # the synchronous call returns the id

        def advance(percent: float) -> None:
            update_progress_artifact(artifact, percent)

        return advance

    def report_written(self, path: Path) -> None:
        create_link_artifact(path.as_uri(), link_text=str(path), key="chiso-report",
                             description=f"The HTML report, refreshed after this run: {path}")
        super().report_written(path)

    def report_unchanged(self, path: Path) -> None:
        create_link_artifact(path.as_uri(), link_text=str(path), key="chiso-report",
                             description=f"The HTML report, unchanged by this run: {path}")

    def summary(self, source: str, outcomes: list[Outcome], note: str = "",
                title: str = "") -> None:
        create_markdown_artifact(secrets.scrub(summary_markdown(title or source, outcomes, note)),
                                 key=_key(source, "summary"),
                                 description=f"{title or source}: summary of this run")


@flow(name="source", flow_run_name="{source}")
def source_flow(
    source: str = "gso", since: date | None = None, period: str | None = None,
    force: bool = False, poll: bool = False,
) -> list[Outcome]:
    """Discover a source's releases and load each one that is new.

    A scheduled run (no `period`, no `force`) of a source with a release calendar stops at
    once when the release due by the calendar is already loaded. `period` (YYYY-MM) loads that
    period's release only; `force` fetches again even when the publisher says nothing changed.
    `poll` (the calendar's schedules set it) first asks the source's listing whether it
    changed since the last poll, with one conditional request, and stops when it did not.
    A new release is announced with the event chiso.release.published once it is published.
    """
    return steps.load_source(source, since, period, force, PrefectRun(), poll)


@flow(name="chiso-run", flow_run_name=run_all_name)
def run_all(names: list[str] | None = None, since: date | None = None) -> list[Outcome]:
    """Every source in turn; one source failing does not stop the others, but the run fails
    (naming each source and why) when every one failed."""
    outcomes = steps.run_sources(names, since, PrefectRun())
    if failures := every_source_failed(names or steps.scheduled_sources(), outcomes):
        raise SourcesFailedError(f"every source failed: {failures}")
    return outcomes


def backfill_runner(workers: int | None = None) -> TaskRunner[Any]:
    """The backfill's task runner: Prefect's thread pool, or with CHISO_TASK_RUNNER=dask a
    local Dask cluster of `workers` processes (prefect-dask) reading releases in parallel."""
    name = config.task_runner_name()
    if name == "threads":
        return ThreadPoolTaskRunner()
    if name != "dask":
        raise ConfigError(f"CHISO_TASK_RUNNER={name!r}: use 'threads' or 'dask'")
    from prefect_dask.task_runners import DaskTaskRunner

    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1})


def _fanned_out(refs: list[ReleaseRef], archive: Archive, mirror: Path | None,
                loaded: frozenset[str]) -> Iterator[Prepared]:
    """Reads go to the task runner's workers, FANOUT_WINDOW ahead of the loads, which stay
    with the flow, in order (the file-mode warehouse has one writer)."""
    pending: deque[PrefectFuture[Prepared]] = deque()
    for ref in refs:
        pending.append(read_task.submit(ref, archive, mirror, loaded, framed=True))
        if len(pending) >= FANOUT_WINDOW:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _fans_out() -> bool:
    """Whether this flow runs with a task runner other than the thread pool (Dask)."""
    context = FlowRunContext.get()
    return context is not None and not isinstance(context.task_runner, ThreadPoolTaskRunner)


@flow(name="backfill", flow_run_name="{source} {start}..{end}", task_runner=backfill_runner())
def backfill_flow(source: str, start: str, end: str, folder: str | None = None) -> list[Outcome]:
    """Every release of `source` for periods `start`..`end` (YYYY-MM), from the publisher or a
    local `folder`; interrupted, it resumes where it stopped (loaded releases are skipped)."""
    return steps.backfill(source, start, end, folder, PrefectRun())


@flow(name="ingest-file", flow_run_name="{source} {path}")
def ingest_flow(
    source: str,
    path: str,
    published_at: datetime,
    reference_period: str = "",
    dataset: str = "local-file",
    parts: list[str] | None = None,
    force_date: bool = False,
) -> Outcome:
    """Load a local file (downloaded by hand; with its mapping, for `files`) as a release;
    `force_date` loads it even when dated before the period it reports began."""
    return steps.ingest_file(source, path, published_at, reference_period, dataset, parts,
                             PrefectRun(), force_date)


def _key(source: str, what: str) -> str:
    """Artifact keys: lower-case letters, digits and dashes only (Prefect's rule)."""
    return f"chiso-{source}-{what}".replace("_", "-")
