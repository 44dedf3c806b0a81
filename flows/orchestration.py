"""Prefect flows: one flow per source with one task per release, and a flow running them all.

The only Prefect-aware module: every task calls a plain function of flows.pipeline.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows import config
from flows.archive import Archive
from flows.errors import ChisoError
from flows.fetch import get_bytes
from flows.pipeline import Outcome, default_archive, fetch_release, load_archived
from flows.release import ReleaseRef
from flows.sources import DISCOVERY
from warehouse.connect import Writer, writer


@task(name="release", task_run_name="{ref.source} {ref.reference_period}", cache_policy=NO_CACHE)
def release_task(
    ref: ReleaseRef, archive: Archive, session: Writer, mirror: Path | None
) -> Outcome:
    """Fetch, archive, read, normalise, validate and load one release."""
    name = ref.url.rsplit("/", 1)[-1]
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
    refs = DISCOVERY[source](lambda url: get_bytes(url, mirror=mirror), since)
    get_run_logger().info("%s: %d releases listed", source, len(refs))
    archive = default_archive()
    with writer() as session:
        return [release_task(ref, archive, session, mirror) for ref in refs]


@flow(name="chiso-run")
def run_all(sources: list[str] | None = None, since: date | None = None) -> list[Outcome]:
    """Every source in turn; one source failing does not stop the others."""
    outcomes: list[Outcome] = []
    for source in sources or list(DISCOVERY):
        try:
            outcomes.extend(source_flow(source, since))
        except ChisoError as exc:
            get_run_logger().error("source %s failed: %s", source, exc)
            outcomes.append(Outcome(source, "", "(discovery)", "failed", message=str(exc)))
    return outcomes


@flow(name="ingest-file", flow_run_name="{source} {path}")
def ingest_flow(
    source: str, path: str, published_at: datetime, reference_period: str = ""
) -> Outcome:
    """Load one local file (downloaded by hand) as a release of `source`."""
    file = Path(path)
    ref = ReleaseRef(source, "local-file", "", published_at, reference_period, title=file.name)
    archived = default_archive().store_local(file, ref)
    with writer() as session:
            return load_archived(archived, session)
