"""Rebuild a warehouse from the raw archive alone: every archived release loaded again, then
every correction of the archive's journal (a date set right, a release withdrawn) applied."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from flows.archive import MANIFEST_NAME, Archive, ArchivedFile, unreadable_sha256
from flows.orchestration.corrections import JOURNAL_NAME, catch_up
from flows.pipeline import Outcome, load_archived
from warehouse.connect import writer

log = logging.getLogger(__name__)


@dataclass
class Release:
    """The archived files of one release: its main file, then its parts in order."""

    files: list[ArchivedFile] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return len(self.files) == 1 + len(self.files[0].ref.parts)


def releases(entries: list[ArchivedFile]) -> tuple[list[list[ArchivedFile]], list[str]]:
    """The manifest's entries grouped into releases, in the order they were archived.

    A release starts at its main file and takes its parts as they follow; a release whose
    parts never arrived (a crash between two downloads) is reported, not loaded.
    """
    found: list[Release] = []
    problems: list[str] = []
    for entry in entries:
        current = found[-1] if found else None
        if _is_main(entry):
            found.append(Release([entry]))
        elif current and not current.complete and _is_next_part(current, entry):
            current.files.append(entry)
        else:
            problems.append(f"{entry.file_name or entry.sha256}: a part with no release before it")
    groups = []
    for release in found:
        if release.complete:
            groups.append(release.files)
        else:
            problems.append(f"{release.files[0].file_name}: its parts were never all archived")
    return groups, problems


def rebuild(archive: Archive, target: Path) -> list[Outcome]:
    """Load every release of `archive` into a fresh warehouse at `target`.

    What the archive cannot give whole (an unreadable or torn manifest line, a release whose
    parts never all arrived) comes back as a failed outcome naming it, after the releases
    loaded: a rebuild that left something out must not pass for the live warehouse.
    """
    if target.exists():
        raise FileExistsError(f"{target} exists: rebuild into a new path, or remove it first")
    entries, unreadable = archive.readable()
    groups, problems = releases(entries)
    for problem in [*unreadable, *problems]:
        log.warning("%s", problem)
    # a line that names the same file as a readable one (stored twice) loses nothing
    archived = {entry.sha256 for entry in entries}
    unreadable = [p for p in unreadable if unreadable_sha256(p) not in archived]
    with writer(target) as session:
        outcomes = [load_archived(files, session) for files in groups]
        # the corrections recorded since: without them a corrected date would come back
        _applied, uncorrected = catch_up(session.con, archive)
    lost = [Outcome("archive", "", MANIFEST_NAME, "failed", message=p) for p in unreadable]
    lost += [Outcome("archive", "", JOURNAL_NAME, "failed", message=p) for p in uncorrected]
    lost += [Outcome("archive", "", p.split(": ", 1)[0], "failed", message=p) for p in problems]
    return outcomes + lost


def _is_main(entry: ArchivedFile) -> bool:
    ref = entry.ref
    if ref.url and not ref.url.startswith("file://"):
        return entry.url == ref.url
    return entry.file_name == ref.title  # a file given by hand: the main file's own name


def _is_next_part(release: Release, entry: ArchivedFile) -> bool:
    ref = release.files[0].ref
    if entry.ref != ref:
        return False
    expected = ref.parts[len(release.files) - 1]
    return entry.url == expected or entry.file_name == expected
