"""Prefect flows: one flow per source with one task per release, a flow running them all,
backfills and manual ingests, each run reported as artifacts.

The only Prefect-aware module: every task calls plain functions of flows.pipeline and friends.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from uuid import UUID

from prefect import flow, get_run_logger, task
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE
from prefect.events import emit_event

from flows import config, sources
from flows.archive import Archive
from flows.backfill import folder_refs, in_range, progress_bar
from flows.errors import ChisoError, ConfigError
from flows.fetch import get_bytes
from flows.freshness import due_period, has_release, overdue
from flows.pipeline import (
    Outcome,
    default_archive,
    fetch_release,
    file_name,
    load_archived,
    store_local,
)
from flows.release import ReleaseRef
from flows.reports import quality_markdown, run_rows
from flows.sources.base import Source
from warehouse.connect import Writer, reader, writer

OVERDUE_EVENT = "chiso.release.overdue"


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
        return Outcome(ref.source, ref.reference_period, name, "failed", message=str(exc))
    if archived is None:
        return Outcome(ref.source, ref.reference_period, name, "unchanged",
                       message="not modified since the last fetch")
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
    refs = spec.discover(lambda url: get_bytes(url, mirror=mirror), since)
    if period is not None:
        refs = [r for r in refs if r.reference_period == period]
    get_run_logger().info("%s: %d releases listed", source, len(refs))
    archive = default_archive()
    with writer() as session:
        outcomes = [release_task(ref, archive, session, mirror, force) for ref in refs]
    _report(source, outcomes)
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
            message = f"source {source} failed: {type(exc).__name__}: {exc}"
            get_run_logger().error("%s", message)
            outcomes.append(Outcome(source, "", "(discovery)", "failed", message=message))
    return outcomes


@flow(name="backfill", flow_run_name="{source} {start}..{end}")
def backfill_flow(source: str, start: str, end: str, folder: str | None = None) -> list[Outcome]:
    """Every release of `source` for periods `start`..`end` (YYYY-MM), from the publisher or a
    local `folder`; interrupted, it resumes where it stopped (loaded releases are skipped)."""
    mirror = config.mirror_dir()
    if folder:
        refs = folder_refs(source, Path(folder))
    else:
        spec = _discoverable(source)
        assert spec.discover is not None
        refs = spec.discover(lambda url: get_bytes(url, mirror=mirror), None)
    refs = in_range(refs, start, end)
    archive = default_archive()
    artifact = create_progress_artifact(0.0, key=_key(source, "backfill"),
                                        description=f"backfill {source} {start}..{end}")
    assert isinstance(artifact, UUID)  # the synchronous call returns the id
    outcomes: list[Outcome] = []
    with writer() as session, progress_bar(len(refs), f"{source} {start}..{end}") as advance:
        for n, ref in enumerate(refs, start=1):
            outcome = release_task(ref, archive, session, mirror)
            outcomes.append(outcome)
            advance(f"{ref.reference_period} {outcome.status}")
            update_progress_artifact(artifact, 100.0 * n / max(len(refs), 1))
    _report(source, outcomes)
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
    archived = store_local(paths, ref, default_archive())
    with writer() as session:
        outcome = load_archived(archived, session)
    _report(source, [outcome])
    return outcome


def _discoverable(source: str) -> Source:
    spec = sources.source(source)
    if spec.discover is None:
        raise ConfigError(f"source {source!r} takes files by hand: use `chiso ingest {source}`")
    return spec


def _already_current(source: str) -> bool:
    """Whether the release due by `source`'s calendar is loaded (then a poll has nothing to do)."""
    period = due_period(source, date.today())
    if period is None or not config.warehouse_path().exists():
        return False
    con = reader()
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
    if not config.warehouse_path().exists():
        return
    create_table_artifact(run_rows(outcomes), key=_key(source, "run"),
                          description=f"{source}: releases of this run")
    con = reader()
    try:
        create_markdown_artifact(quality_markdown(con, source, outcomes),
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


def _key(source: str, what: str) -> str:
    """Artifact keys: lower-case letters, digits and dashes only (Prefect's rule)."""
    return f"chiso-{source}-{what}".replace("_", "-")
