"""Prefect flows: one flow per source with one task per release, a flow running them all,
backfills and manual ingests, each run reported as artifacts.

The only Prefect-aware module: every task calls plain functions of flows.pipeline and friends.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

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

from flows import sources
from flows.archive import Archive
from flows.core import config, secrets
from flows.core.errors import ChisoError, ConfigError
from flows.core.model import ReleaseRef
from flows.fetch import get_bytes
from flows.orchestration.backfill import (
    Prepared,
    folder_refs,
    in_range,
    load_in_batches,
    prepare,
    progress_bar,
)
from flows.orchestration.freshness import due_period, has_release, overdue
from flows.pipeline import (
    Outcome,
    default_archive,
    fetch_release,
    file_name,
    ingest_local,
    load_archived,
)
from flows.present.artifacts import quality_markdown, run_rows
from flows.present.report import write_report
from flows.sources.base import Source
from warehouse.connect import Writer, reader, writer

OVERDUE_EVENT = "chiso.release.overdue"
# Releases read ahead of the load in a fan-out backfill: enough to keep the workers busy,
# few enough that parsed releases waiting for the writer stay small in memory.
FANOUT_WINDOW = 8


@task(name="release", task_run_name="{ref.source} {ref.reference_period}", cache_policy=NO_CACHE)
def release_task(
    ref: ReleaseRef, archive: Archive, session: Writer, mirror: Path | None, force: bool = False
) -> Outcome:
    """Fetch, archive, read, normalise, validate and load one release."""
    name = file_name(ref)
    try:
        archived = fetch_release(ref, archive, mirror, force)
    except ChisoError as exc:
        get_run_logger().error("%s", exc)
        message = secrets.scrub(str(exc))
        return Outcome(ref.source, ref.reference_period, name, "failed", message=message)
    outcome = load_archived(archived, session)
    if outcome.status == "failed":
        get_run_logger().error("%s", outcome.message)
    return outcome


@flow(name="source", flow_run_name="{source}")
def source_flow(
    source: str = "gso", since: date | None = None, period: str | None = None,
    force: bool = False,
) -> list[Outcome]:
    """Discover a source's releases and load each one that is new.

    A scheduled run (no `period`, no `force`) of a source with a release calendar stops at
    once when the release due by the calendar is already loaded. `period` (YYYY-MM) loads that
    period's release only; `force` fetches again even when the publisher says nothing changed.
    """
    spec = _discoverable(source)
    if period is None and not force and _already_current(source):
        return []
    mirror = config.mirror_dir()
    assert spec.discover is not None
    with secrets.using(_credential(spec, mirror)):
        refs = spec.discover(lambda url: get_bytes(url, mirror=mirror), since)
        if period is not None:
            refs = [r for r in refs if r.reference_period == period]
        get_run_logger().info("%s: %d releases listed", source, len(refs))
        archive = default_archive()
        with writer() as session:
            outcomes = [release_task(ref, archive, session, mirror, force) for ref in refs]
    _report(source, outcomes)
    # run_all refreshes the HTML report once, after all its sources
    _refresh_report(session.changed and flow_run.parent_flow_run_id is None)
    return outcomes


@flow(name="chiso-run")
def run_all(names: list[str] | None = None, since: date | None = None) -> list[Outcome]:
    """Every source in turn; one source failing does not stop the others."""
    outcomes: list[Outcome] = []
    scheduled = [s.name for s in sources.SOURCES.values() if s.discover is not None]
    for source in names or scheduled:
        try:
            outcomes.extend(source_flow(source, since))
        except Exception as exc:
            message = secrets.scrub(f"source {source} failed: {type(exc).__name__}: {exc}")
            get_run_logger().error("%s", message)
            outcomes.append(Outcome(source, "", "(discovery)", "failed", message=message))
    _refresh_report(any(o.status == "new" for o in outcomes))
    return outcomes


@task(name="read", task_run_name="{ref.source} {ref.reference_period}", cache_policy=NO_CACHE)
def read_task(ref: ReleaseRef, archive: Archive, mirror: Path | None,
              loaded: frozenset[str]) -> Prepared:
    """Fetch, archive, read, normalise and validate one release, on a fan-out worker."""
    return prepare(ref, archive, mirror, loaded)


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
        pending.append(read_task.submit(ref, archive, mirror, loaded))
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
    mirror = config.mirror_dir()
    key = None if folder else _credential(sources.source(source), mirror)
    if folder:
        refs = folder_refs(source, Path(folder))
    else:
        spec = _discoverable(source)
        assert spec.discover is not None
        with secrets.using(key):
            refs = spec.discover(lambda url: get_bytes(url, mirror=mirror), None)
    refs = in_range(refs, start, end)
    archive = default_archive()
    artifact = create_progress_artifact(0.0, key=_key(source, "backfill"),
                                        description=f"backfill {source} {start}..{end}")
    assert isinstance(artifact, UUID)  # the synchronous call returns the id
    outcomes: list[Outcome] = []
    with (
        secrets.using(key), writer() as session,
        progress_bar(len(refs), f"{source} {start}..{end}") as advance,
    ):
        loaded = frozenset(row[0] for row in session.con.execute("select sha256 from release")
                           .fetchall())
        read = (_fanned_out(refs, archive, mirror, loaded) if _fans_out()
                else (read_task(ref, archive, mirror, loaded) for ref in refs))
        steps = load_in_batches(read, session)
        for n, (ref, outcome) in enumerate(zip(refs, steps, strict=True), start=1):
            if outcome.status == "failed":
                outcome.message = secrets.scrub(outcome.message)
                get_run_logger().error("%s", outcome.message)
            outcomes.append(outcome)
            advance(f"{ref.reference_period} {outcome.status}")
            update_progress_artifact(artifact, 100.0 * n / max(len(refs), 1))
    _report(source, outcomes)
    _refresh_report(session.changed)
    return outcomes


@flow(name="ingest-file", flow_run_name="{source} {path}")
def ingest_flow(
    source: str,
    path: str,
    published_at: datetime,
    reference_period: str = "",
    dataset: str = "local-file",
    parts: list[str] | None = None,
) -> Outcome:
    """Load a local file (downloaded by hand; with its mapping, for `files`) as a release."""
    sources.source(source)  # fail early on an unknown source
    paths = [Path(path), *(Path(p) for p in parts or [])]
    ref = ReleaseRef(source, dataset, "", published_at, reference_period, title=paths[0].name,
                     parts=tuple(p.name for p in paths[1:]))
    with writer() as session:
        outcome = ingest_local(paths, ref, default_archive(), session)
    _report(source, [outcome])
    _refresh_report(session.changed)
    return outcome


def _discoverable(source: str) -> Source[Any]:
    spec = sources.source(source)
    if spec.discover is None:
        raise ConfigError(f"source {source!r} takes files by hand: use `chiso ingest {source}`")
    return spec


def _credential(spec: Source[Any], mirror: Path | None) -> secrets.Credential | None:
    """The API key `spec` sends; none is looked up when the mirror stands in for the network."""
    return None if mirror is not None else secrets.credential(spec.name, spec.api_key)


def _already_current(source: str) -> bool:
    """Whether the release due by `source`'s calendar is loaded (then a poll has nothing to do)."""
    period = due_period(source, date.today())
    if period is None or not (config.lake_catalog() or config.warehouse_path().exists()):
        return False
    try:
        con = reader()
    except FileNotFoundError:  # a lake no writer has created yet
        return False
    try:
        current = has_release(con, source, period)
    finally:
        con.close()
    if current:
        get_run_logger().info("%s: the %s release is already loaded; nothing to poll", source,
                              period)
    return current


def _report(source: str, outcomes: list[Outcome]) -> None:
    """Publish the run's table and data-quality artifacts, and raise the overdue alarm."""
    if not (config.lake_catalog() or config.warehouse_path().exists()):
        return
    rows = [{k: secrets.scrub(v) if isinstance(v, str) else v for k, v in row.items()}
            for row in run_rows(outcomes)]
    create_table_artifact(rows, key=_key(source, "run"),
                          description=f"{source}: releases of this run")
    con = reader()
    try:
        create_markdown_artifact(secrets.scrub(quality_markdown(con, source, outcomes)),
                                 key=_key(source, "quality"),
                                 description=f"{source}: data quality of this run")
        late = overdue(con, source, date.today())
    finally:
        con.close()
    if late is not None:
        get_run_logger().warning("%s: the %s release expected on %s has not arrived",
                                 source, late.period, late.expected)
        emit_event(OVERDUE_EVENT, resource={"prefect.resource.id": f"chiso.source.{source}"},
                   payload={"source": source, "period": late.period,
                            "expected": late.expected.isoformat()})


def _refresh_report(changed: bool) -> None:
    """After a load that changed the warehouse, write the HTML report (config.report_path())
    and link it as the artifact `chiso-report`. A report that cannot be written is logged, not
    raised: the load it follows has succeeded."""
    if not changed or not (config.lake_catalog() or config.warehouse_path().exists()):
        return
    try:
        path = write_report().resolve()
    except Exception as exc:  # any failure of the report must leave the run's result alone
        get_run_logger().warning("the HTML report was not refreshed: %s: %s",
                                 type(exc).__name__, exc)
        return
    create_link_artifact(path.as_uri(), link_text=str(path), key="chiso-report",
                         description=f"The HTML report, refreshed after this run: {path}")
    get_run_logger().info("report: %s", path)


def _key(source: str, what: str) -> str:
    """Artifact keys: lower-case letters, digits and dashes only (Prefect's rule)."""
    return f"chiso-{source}-{what}".replace("_", "-")
