"""Prefect flows: one flow per source with one task per release, and a flow running them all.

The only Prefect-aware module: every task calls a plain function of flows.pipeline.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import config, sources
from flows.archive import Archive
from flows.errors import ChisoError, ConfigError
from flows.fetch import get_bytes
from flows.pipeline import (
    Outcome,
    default_archive,
    fetch_release,
    file_name,
    load_archived,
    store_local,
)
from flows.release import ReleaseRef
from warehouse.connect import Writer, writer


@task(name="release", task_run_name="{ref.source} {ref.reference_period}", cache_policy=NO_CACHE)
def release_task(
    ref: ReleaseRef, archive: Archive, session: Writer, mirror: Path | None
) -> Outcome:
    """Fetch, archive, read, normalise, validate and load one release."""
    name = file_name(ref)
    try:
        archived = fetch_release(ref, archive, mirror)
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
def source_flow(source: str = "gso", since: date | None = None) -> list[Outcome]:
    """Discover a source's releases and load each one that is new."""
    mirror = config.mirror_dir()
    discover = sources.source(source).discover
    if discover is None:
        raise ConfigError(f"source {source!r} takes files by hand: use `chiso ingest {source}`")
    refs = discover(lambda url: get_bytes(url, mirror=mirror), since)
    get_run_logger().info("%s: %d releases listed", source, len(refs))
    archive = default_archive()
    with writer() as session:
        return [release_task(ref, archive, session, mirror) for ref in refs]


@flow(name="chiso-run")
def run_all(names: list[str] | None = None, since: date | None = None) -> list[Outcome]:
    """Every source in turn; one source failing does not stop the others."""
    outcomes: list[Outcome] = []
    scheduled = [s.name for s in sources.SOURCES.values() if s.discover is not None]
    for source in names or scheduled:
        try:
            outcomes.extend(source_flow(source, since))
        except ChisoError as exc:
            get_run_logger().error("source %s failed: %s", source, exc)
            outcomes.append(Outcome(source, "", "(discovery)", "failed", message=str(exc)))
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
        return load_archived(archived, session)
