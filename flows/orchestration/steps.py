"""What each flow does, as plain functions: a by-hand command (`chiso run`, `ingest`,
`backfill`) calls them in its own process, and the Prefect flows of flows.orchestration.flows
wrap the very same functions.

What differs between the two lies behind `Run`: where logs go, whether a release is a task run
and a source a subflow, and whether artifacts and events are published. This module imports
nothing of Prefect, so a command run by hand neither pays for importing it nor starts a server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any

import duckdb

from flows import sources, watch
from flows.archive import Archive
from flows.core import config, interrupts, secrets
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
from flows.orchestration.freshness import Overdue, due_period, has_release, overdue
from flows.pipeline import (
    Outcome,
    default_archive,
    fetch_release,
    file_name,
    ingest_local,
    load_archived,
)
from flows.present.report import write_report
from flows.present.summary import every_source_failed, sources_label
from flows.sources.base import Get, Source
from warehouse.connect import Writer, reader, writer

log = logging.getLogger(__name__)


class Run:
    """A run in this process: logs through `logging`, each step a plain call, nothing
    published (there is no Prefect API to publish to). flows.orchestration.flows.PrefectRun
    makes the same steps task runs and subflows, and publishes artifacts and events."""

    def __init__(self, nested: bool = False) -> None:
        self.nested = nested

    def logger(self) -> logging.Logger | logging.LoggerAdapter[Any]:
        return log

    def top_level(self) -> bool:
        """Whether no larger run holds this one (a source alone refreshes the report itself;
        within an all-sources run, the parent refreshes it once at the end)."""
        return not self.nested

    def failed(self, message: str) -> None:
        """A release or source failed: the summary printed at the end names it, so here it
        is a detail (`chiso -v`)."""
        self.logger().info("%s", message)

    def release(self, ref: ReleaseRef, archive: Archive, session: Writer, mirror: Path | None,
                force: bool) -> Outcome:
        return load_release(ref, archive, session, mirror, force, self)

    def reads(self, refs: list[ReleaseRef], archive: Archive, mirror: Path | None,
              loaded: frozenset[str]) -> Iterator[Prepared]:
        return (prepare(ref, archive, mirror, loaded) for ref in refs)

    def source(self, name: str, since: date | None) -> list[Outcome]:
        return load_source(name, since, run=type(self)(nested=True))

    def publish(self, source: str, outcomes: list[Outcome],
                con: duckdb.DuckDBPyConnection) -> None:
        """The run's table and data-quality artifacts: only a Prefect run has them."""

    def alarm(self, late: Overdue) -> None:
        """The overdue event automations react to: only a Prefect run emits it."""

    def announce(self, outcomes: list[Outcome]) -> None:
        """The event chiso.release.published for each new release, once it is published:
        only a Prefect run emits it (flows/orchestration/announce.py)."""

    def progress(self, source: str, description: str) -> Callable[[float], None]:
        """Where a backfill reports its percentage done (a Prefect progress artifact); the
        terminal has its own progress bar."""
        return lambda _percent: None

    def report_written(self, path: Path) -> None:
        self.logger().info("report: %s", path)

    def report_unchanged(self, path: Path) -> None:
        """The report a run that changed nothing leaves as it was (a Prefect run links it)."""

    def summary(self, source: str, outcomes: list[Outcome], note: str = "",
                title: str = "") -> None:
        """What the run did, or why it did nothing (`note`), as an artifact every Prefect run
        leaves, a no-op's included; a run by hand prints its summary itself."""


def load_release(ref: ReleaseRef, archive: Archive, session: Writer, mirror: Path | None,
                 force: bool, run: Run) -> Outcome:
    """Fetch, archive, read, normalise, validate and load one release."""
    name = file_name(ref)
    try:
        archived = fetch_release(ref, archive, mirror, force)
    except ChisoError as exc:
        message = secrets.scrub(str(exc))
        run.failed(message)
        return Outcome(ref.source, ref.reference_period, name, "failed", message=message)
    outcome = load_archived(archived, session)
    if outcome.status == "failed":
        run.failed(outcome.message)
    return outcome


def load_source(
    source: str = "gso", since: date | None = None, period: str | None = None,
    force: bool = False, run: Run | None = None, poll: bool = False,
) -> list[Outcome]:
    """Discover a source's releases and load each one that is new (see flows.source_flow).
    `poll`: first ask the source's listing, with one conditional request, whether it changed
    since the last poll (flows/watch.py), and stop when it did not."""
    run = run or Run()
    spec = discoverable(source)
    if period is None and not force and (due := _already_current(source, run)):
        run.summary(source, [], f"the {due} release is already loaded: nothing to poll")
        refresh_report(False, run)
        return []
    mirror = config.mirror_dir()
    key = _credential(spec, mirror)
    assert spec.discover is not None
    get: Get = partial(get_bytes, mirror=mirror)
    probe = None
    try:
        with secrets.using(key):
            if poll and period is None and not force and spec.watch is not None:
                probe = watch.probe(spec.watch(), config.archive_dir(), mirror)
                if not probe.changed:
                    run.summary(source, [], "no change at the publisher since the last poll "
                                f"({probe.requests} conditional request)")
                    refresh_report(False, run)
                    return []
                get = probe.serving(get)
            refs = spec.discover(get, since)
    except Exception as exc:
        run.summary(source, [], secrets.scrub(
            f"failed before any release: {type(exc).__name__}: {exc}"))
        raise
    if period is not None:
        refs = [r for r in refs if r.reference_period == period]
    run.logger().info("%s: %d releases listed", source, len(refs))
    archive = default_archive()
    with secrets.using(key), writer() as session:
        outcomes = [run.release(ref, archive, session, mirror, force) for ref in refs]
    if probe is not None and all(o.status != "failed" for o in outcomes):
        probe.remember()
    if any(o.status == "new" for o in outcomes):
        run.announce(outcomes)
    report_run(source, outcomes, run)
    refresh_report(session.changed, run)
    return outcomes


def run_sources(names: list[str] | None = None, since: date | None = None,
                run: Run | None = None) -> list[Outcome]:
    """Every source in turn; one source failing does not stop the others."""
    run = run or Run()
    outcomes: list[Outcome] = []
    for source in names or scheduled_sources():
        try:
            outcomes.extend(run.source(source, since))
        except Exception as exc:
            interrupts.check()  # Ctrl-C inside DuckDB arrives as a RuntimeError
            message = secrets.scrub(f"source {source} failed: {type(exc).__name__}: {exc}")
            run.failed(message)
            outcomes.append(Outcome(source, "", "(discovery)", "failed", message=message))
    refresh_report(any(o.status == "new" for o in outcomes), run)
    failures = every_source_failed(names or scheduled_sources(), outcomes)
    run.summary("all", outcomes, f"every source failed: {failures}" if failures else "",
                title=sources_label(names))
    return outcomes


def scheduled_sources() -> list[str]:
    """The sources an all-sources run polls: those that find their releases themselves."""
    return [s.name for s in sources.SOURCES.values() if s.discover is not None]


def backfill(source: str, start: str, end: str, folder: str | None = None,
             run: Run | None = None) -> list[Outcome]:
    """Every release of `source` for periods `start`..`end` (YYYY-MM), from the publisher or a
    local `folder`; interrupted, it resumes where it stopped (loaded releases are skipped)."""
    run = run or Run()
    mirror = config.mirror_dir()
    key = None if folder else _credential(sources.source(source), mirror)
    if folder:
        refs = folder_refs(source, Path(folder))
    else:
        spec = discoverable(source)
        assert spec.discover is not None
        with secrets.using(key):
            refs = spec.discover(lambda url: get_bytes(url, mirror=mirror), None)
    refs = in_range(refs, start, end)
    archive = default_archive()
    progress = run.progress(source, f"backfill {source} {start}..{end}")
    outcomes: list[Outcome] = []
    with (
        secrets.using(key), writer() as session,
        progress_bar(len(refs), f"{source} {start}..{end}") as advance,
    ):
        loaded = frozenset(row[0] for row in session.con.execute("select sha256 from release")
                           .fetchall())
        loads = load_in_batches(run.reads(refs, archive, mirror, loaded), session)
        for n, (ref, outcome) in enumerate(zip(refs, loads, strict=True), start=1):
            if outcome.status == "failed":
                outcome.message = secrets.scrub(outcome.message)
                run.failed(outcome.message)
            outcomes.append(outcome)
            advance(f"{ref.reference_period} {outcome.status}")
            progress(100.0 * n / max(len(refs), 1))
    report_run(source, outcomes, run)
    refresh_report(session.changed, run)
    return outcomes


def ingest_file(
    source: str, path: str, published_at: datetime, reference_period: str = "",
    dataset: str = "local-file", parts: list[str] | None = None, run: Run | None = None,
    force_date: bool = False,
) -> Outcome:
    """Load a local file (downloaded by hand; with its mapping, for `files`) as a release;
    `force_date` loads it even when dated before the period it reports began."""
    run = run or Run()
    sources.source(source)  # fail early on an unknown source
    paths = [Path(path), *(Path(p) for p in parts or [])]
    ref = ReleaseRef(source, dataset, "", published_at, reference_period, title=paths[0].name,
                     parts=tuple(p.name for p in paths[1:]))
    with writer() as session:
        outcome = ingest_local(paths, ref, default_archive(), session, force_date)
    report_run(source, [outcome], run)
    refresh_report(session.changed, run)
    return outcome


def discoverable(source: str) -> Source[Any]:
    """The source called `source`, if chiso finds its releases itself."""
    spec = sources.source(source)
    if spec.discover is None:
        raise ConfigError(f"source {source!r} takes files by hand: use `chiso ingest {source}`")
    return spec


def _credential(spec: Source[Any], mirror: Path | None) -> secrets.Credential | None:
    """The API key `spec` sends; none is looked up when the mirror stands in for the network."""
    return None if mirror is not None else secrets.credential(spec.name, spec.api_key)


def _warehouse_exists() -> bool:
    return bool(config.lake_catalog() or config.warehouse_path().exists())


def _already_current(source: str, run: Run) -> str | None:
    """The period due by `source`'s calendar when its release is loaded (then a poll has
    nothing to do); None otherwise."""
    period = due_period(source, date.today())
    if period is None or not _warehouse_exists():
        return None
    try:
        con = reader()
    except FileNotFoundError:  # a lake no writer has created yet
        return None
    try:
        current = has_release(con, source, period)
    finally:
        con.close()
    if not current:
        return None
    run.logger().info("%s: the %s release is already loaded; nothing to poll", source, period)
    return period


def report_run(source: str, outcomes: list[Outcome], run: Run) -> None:
    """Publish the run's summary and artifacts (a Prefect run), and warn of an overdue
    release (overdue as sql/views/freshness_as_of.sql defines it, for every reader)."""
    if not _warehouse_exists():
        run.summary(source, outcomes, "no warehouse yet: nothing was loaded")
        return
    run.summary(source, outcomes)
    con = reader()
    try:
        run.publish(source, outcomes, con)
        # the bundled mirror stops in 2024: its end is no publisher's delay (the run's
        # summary says so once, flows/present/summary.py)
        late = None if config.bundled_mirror() else overdue(con, source, date.today())
    finally:
        con.close()
    if late is not None:
        run.logger().warning("%s", late.sentence())
        run.alarm(late)


def refresh_report(changed: bool, run: Run) -> None:
    """After a load that changed the warehouse, write the HTML report (config.report_path());
    after one that changed nothing, point at it as it is. Only the outermost run does it (an
    all-sources run once, after its sources). A report that cannot be written is logged, not
    raised: the load it follows has succeeded."""
    if not run.top_level() or not _warehouse_exists():
        return
    if not changed:
        if (path := config.report_path().resolve()).exists():
            run.report_unchanged(path)
        return
    try:
        path = write_report().resolve()
    except Exception as exc:  # any failure of the report must leave the run's result alone
        interrupts.check()
        run.logger().warning("the HTML report was not refreshed: %s: %s",
                             type(exc).__name__, exc)
        return
    run.report_written(path)
