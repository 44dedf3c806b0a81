"""Run reports for people: what a run loaded, and the quality of what it loaded."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import duckdb

from flows.pipeline import Outcome
from flows.present.coverage import OUTCOME_COLUMNS, from_warehouse, summary
from flows.present.summary import render
from warehouse.query import REPORT_DIR, statement

# Enough rows to act on without burying the reader: the report links to the full tables.
EXAMPLES_PER_CODE = 3
TOP_ROWS = 10


def run_rows(outcomes: Sequence[Outcome]) -> list[dict[str, object]]:
    """One row per release of the run, for a table artifact."""
    return [
        {"source": o.source, "period": o.reference_period, "file": o.file_name,
         "status": o.status, "figures": o.reported, "added": o.added, "revised": o.revised,
         "quarantined": o.quarantined, "message": o.message}
        for o in outcomes
    ]


def summary_markdown(title: str, outcomes: Sequence[Outcome], note: str = "") -> str:
    """What a run did, as `chiso run` prints it, for the artifact every run leaves; `note`
    says why a run did nothing or failed."""
    lines = [f"# {title}: this run", ""]
    if note:
        lines += [note[:1].upper() + note[1:] + ".", ""]
    if outcomes or not note:
        lines += ["```", render(outcomes), "```"]
    return "\n".join(lines) + "\n"


def run_totals(outcomes: Sequence[Outcome]) -> dict[str, int]:
    """Releases seen, new, unchanged and failed; observations added; revisions; quarantined."""
    counts = Counter(o.status for o in outcomes)
    return {
        "releases seen": len(outcomes), "new": counts["new"], "unchanged": counts["unchanged"],
        "failed": counts["failed"], "observations added": sum(o.added for o in outcomes),
        "revisions": sum(o.revised for o in outcomes),
        "quarantined": sum(o.quarantined for o in outcomes),
    }


def quality_markdown(
    con: duckdb.DuckDBPyConnection, source: str, outcomes: Sequence[Outcome]
) -> str:
    """A data-quality report on a run: the cell accounting of its workbooks, quarantine by
    error code with examples, the largest revisions it brought, and the conflicts its source
    is part of."""
    ids = [o.release_id for o in outcomes if o.status == "new" and o.release_id]
    totals = run_totals(outcomes)
    lines = [f"# Data quality: {source}", "",
             " · ".join(f"{name}: {value:,}" for name, value in totals.items()), ""]
    lines += _cells(con, ids) + _quarantine(con, ids) + _revisions(con, ids)
    lines += _conflicts(con, source)
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        lines += ["## Failed releases", ""] + [f"- `{o.file_name}`: {o.message}" for o in failed]
    return "\n".join(lines) + "\n"


def _cells(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[str]:
    """Per new release with cell accounting (workbooks): its numeric cells by outcome, as
    `chiso coverage` counts them, and the sheets where no table was recognised."""
    accounts = from_warehouse(con, ids).accounts if ids else []
    if not accounts:
        return []  # no workbook among the run's new releases
    lines = ["## Cell accounting", "",
             "| release | sheets | figured | quarantined | skipped | unaccounted | % figured "
             "| unrecognised sheets |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in summary(accounts, "release").to_dict("records"):
        share = row["% figured"]
        counts = " | ".join(f"{row[name]:,}" for name in OUTCOME_COLUMNS.values())
        lines.append(f"| `{row['release']}` | {row['sheets']} | {counts} "
                     f"| {'' if math.isnan(share) else f'{share:.2f}'} "
                     f"| {_cell(row['unrecognised sheets'])} |")
    return [*lines, ""]


def _quarantine(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[str]:
    rows = _ask(con, "quarantine_by_code", release_ids=",".join(ids),
                examples=EXAMPLES_PER_CODE) if ids else []
    if not rows:
        return ["## Quarantine", "", "Nothing quarantined.", ""]
    lines = ["## Quarantine", "", "| error | rows | examples |", "| --- | ---: | --- |"]
    for code, count, examples in rows:
        shown = "<br>".join(_cell(e) for e in examples)
        lines.append(f"| `{code}` | {count:,} | {shown} |")
    return [*lines, ""]


def _revisions(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[str]:
    rows = _ask(con, "largest_revisions", release_ids=",".join(ids),
                limit=TOP_ROWS) if ids else []
    if not rows:
        return ["## Largest revisions", "", "No revisions.", ""]
    lines = ["## Largest revisions", "", "| series | period | before | after | lag (days) |",
             "| --- | --- | ---: | ---: | ---: |"]
    lines += [f"| `{key}` | {ptype} {end} | {before:,.2f} | {after:,.2f} | {lag} |"
              for key, ptype, end, before, after, lag in rows]
    return [*lines, ""]


def _conflicts(con: duckdb.DuckDBPyConnection, source: str) -> list[str]:
    rows = _ask(con, "source_conflicts", source=source, limit=TOP_ROWS)
    if not rows:
        return ["## Conflicts", "", "No other source disagrees.", ""]
    lines = ["## Conflicts", "", "| series | period | source | value | other | value |",
             "| --- | --- | --- | ---: | --- | ---: |"]
    lines += [f"| `{key}` | {ptype} {end} | {a} | {va:,.2f} | {b} | {vb:,.2f} |"
              for key, ptype, end, a, va, b, vb in rows]
    return [*lines, ""]


def _ask(con: duckdb.DuckDBPyConnection, name: str, **params: object) -> list[tuple[Any, ...]]:
    """The rows of the report query sql/report/<name>.sql."""
    text, bound = statement(name, None, directory=REPORT_DIR, **params)
    return con.execute(text, bound).fetchall()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:160]
