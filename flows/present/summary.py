"""Summaries of a run for people: what changed, what failed, what was quarantined."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from flows.core import config
from flows.pipeline import Outcome

ALL_SOURCES = "all sources"
# Said once, in place of an overdue warning per publisher: the demo's mirror is a snapshot.
MIRROR_NOTE = (f"the bundled mirror ends in {config.BUNDLED_MIRROR_ENDS}: releases due since "
               "are not in it, so none is reported overdue (`chiso query freshness` lists them)")


def render(outcomes: Iterable[Outcome]) -> str:
    """A short plain-text report of a run, one line per release that was not unchanged."""
    items = list(outcomes)
    counts = Counter(o.status for o in items)
    lines = [
        f"releases: {counts['new']} new, {counts['unchanged']} unchanged, "
        f"{counts['failed']} failed",
        f"observations added: {sum(o.added for o in items):,} "
        f"(revisions found: {sum(o.revised for o in items):,}); "
        f"rows quarantined: {sum(o.quarantined for o in items):,}",
    ]
    for o in items:
        if o.status == "new":
            lines.append(
                f"  new     {o.source} {o.reference_period} {o.file_name}: "
                f"{o.reported:,} figures, {o.added:,} added, {o.revised:,} revised"
                + (f", {o.quarantined} quarantined" if o.quarantined else "")
            )
        elif o.status == "failed":
            message = o.message.removeprefix(f"{o.file_name}: ")
            lines.append(f"  FAILED  {o.source} {o.reference_period} {o.file_name}: {message}")
    codes = sum((o.quarantine_codes for o in items), Counter[str]())
    if codes:
        listed = ", ".join(f"{code} {n}" for code, n in codes.most_common())
        lines.append(f"quarantine by error: {listed} "
                     "(see table quarantine; what each means: docs/codes.md)")
    if not counts["new"] and not counts["failed"]:
        lines.append("nothing new: the warehouse already holds every release seen")
    if config.bundled_mirror():
        lines.insert(0, MIRROR_NOTE)
    return "\n".join(lines)


def sources_label(names: Sequence[str] | None) -> str:
    """The name of a run over several sources: 'all sources', or the ones asked for."""
    return " + ".join(names) if names else ALL_SOURCES


def every_source_failed(asked: Sequence[str], outcomes: Sequence[Outcome]) -> str:
    """Each source's failures, one clause a source, when every source asked for failed (had
    releases and loaded none); '' when any source did not fail."""
    clauses = []
    for source in asked:
        mine = [o for o in outcomes if o.source == source]
        if not mine or any(o.status != "failed" for o in mine):
            return ""
        first = mine[0].message.removeprefix(f"source {source} failed: ")
        more = f" (and {len(mine) - 1} more)" if len(mine) > 1 else ""
        clauses.append(f"{source}: {first}{more}")
    return "; ".join(clauses)
