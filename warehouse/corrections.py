"""Correct a release after it was loaded: its publication date, or whether it counts at all.

A wrong `--published-at` (2099 instead of 2024) makes a vintage that shadows every later
release of its source in v_latest, and loading the file again changes nothing: the file is
the release, and it is loaded. A correction is therefore a fact of its own: a row of
`release_correction` saying what was done, to which release, from which date to which, why
and when. Applying it changes the release's date (redate) or whether its figures count
(withdraw, reinstate), then derives again, from `reported`, the vintage chains of every
series and period the release gives (sql/load/derive_vintages.sql), in one transaction. What
the chains held before and no longer hold is kept in `vintage_retired`: nothing is deleted.

A withdrawn release counts from its publication until it is withdrawn (`effective_at`):
`as_of` a moment before that still shows its figures, v_latest no longer does, and the
figure it had replaced is current again from the withdrawal on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from flows.core.errors import UsageError
from flows.core.suggest import did_you_mean
from warehouse.load import sql_text

ACTIONS = ("redate", "withdraw", "reinstate")


@dataclass(frozen=True)
class Correction:
    """One correction as it is recorded (in the warehouse and in the archive's journal).

    `number`: its place among all corrections (release_correction.correction_id), so a
    rebuild that applies the journal again numbers them alike. `published_at`: the corrected
    date of a redate (None otherwise). `effective_at`: Viet Nam local time from which it
    holds; `recorded_at`: UTC, naive."""

    number: int
    release_id: str
    action: str
    published_at: datetime | None
    effective_at: datetime
    reason: str
    recorded_at: datetime


@dataclass(frozen=True)
class ReleaseState:
    """What a correction needs to know of the release it corrects."""

    release_id: str
    source: str
    reference_period: str
    published_at: datetime
    withdrawn_at: datetime | None


@dataclass(frozen=True)
class Applied:
    """What applying a correction did: `retired` vintages kept in vintage_retired and
    `vintages` derived again; `changed` False when the release already stood so."""

    correction: Correction
    old_published_at: datetime
    changed: bool
    retired: int = 0
    vintages: int = 0


def find_release(con: duckdb.DuckDBPyConnection, name: str) -> ReleaseState:
    """The release `name` says: its id, its file's name, or its source and reference period
    (`gso:2024-09`) when one release has them; UsageError naming the closest ones otherwise."""
    rows = con.execute(sql_text("release_names")).fetchall()
    wanted = name.strip()
    ids = [release for release, _, _, _ in rows if release == wanted]
    if not ids:
        ids = [release for release, file_name, period, _ in rows
               if wanted in (file_name, period)]
    if len(ids) > 1:
        listed = ", ".join(ids)
        raise UsageError(f"{wanted!r} names {len(ids)} releases ({listed}); give one release id")
    if not ids:
        known = [r for row in rows for r in row[:3] if r]
        hint = did_you_mean(wanted, known) or (
            " (no release is loaded yet)" if not rows else "")
        raise UsageError(f"no release {wanted!r} in the warehouse{hint}; `chiso sql \"select "
                         "release_id, file_name, published_at from v_releases\"` lists them")
    state = release_state(con, ids[0])
    assert state is not None
    return state


def release_state(con: duckdb.DuckDBPyConnection, release: str) -> ReleaseState | None:
    row = con.execute(sql_text("release_to_correct"), {"release": release}).fetchone()
    if row is None:
        return None
    source, period, published, withdrawn = row
    return ReleaseState(release, str(source), str(period or ""), published, withdrawn)


def next_number(con: duckdb.DuckDBPyConnection) -> int:
    """The number the next correction takes in this warehouse."""
    row = con.execute("select coalesce(max(correction_id), 0) from release_correction").fetchone()
    return int(row[0]) + 1 if row else 1


def applied_numbers(con: duckdb.DuckDBPyConnection) -> set[int]:
    return {int(n) for (n,) in con.execute(
        "select correction_id from release_correction").fetchall()}


def already(state: ReleaseState, action: str, published_at: datetime | None) -> str:
    """Why the correction would change nothing ('' when it would change something)."""
    if action == "redate" and published_at == state.published_at:
        return f"{state.release_id} is already dated {published_at:%Y-%m-%d}"
    if action == "withdraw" and state.withdrawn_at is not None:
        return f"{state.release_id} was already withdrawn on {state.withdrawn_at:%Y-%m-%d %H:%M}"
    if action == "reinstate" and state.withdrawn_at is None:
        return f"{state.release_id} is not withdrawn: it counts already"
    return ""


def apply(con: duckdb.DuckDBPyConnection, correction: Correction) -> Applied:
    """Record and apply `correction` as one transaction (nothing of it on failure).

    Applying a correction the release already stands by (the same date, withdrawn twice)
    records nothing and changes nothing: `Applied.changed` is False."""
    state = release_state(con, correction.release_id)
    if state is None:
        raise UsageError(f"no release {correction.release_id!r} in the warehouse")
    if already(state, correction.action, correction.published_at):
        return Applied(correction, state.published_at, changed=False)
    con.execute("begin")
    try:
        applied = _apply(con, correction, state)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return applied


def _apply(con: duckdb.DuckDBPyConnection, correction: Correction,
           state: ReleaseState) -> Applied:
    new = correction.published_at if correction.action == "redate" else state.published_at
    con.execute(sql_text("insert_correction"), {
        "correction": correction.number, "release": correction.release_id,
        "action": correction.action, "old": state.published_at, "new": new,
        "effective": correction.effective_at, "reason": correction.reason,
        "recorded": correction.recorded_at,
    })
    if correction.action == "redate":
        con.execute(sql_text("redate_release"),
                    {"release": correction.release_id, "published": new})
    con.execute(sql_text("touched_by_release"), {"release": correction.release_id})
    con.execute(sql_text("derive_vintages"), {"source": state.source})
    row = con.execute(sql_text("retire_vintages"),
                      {"source": state.source, "correction": correction.number}).fetchone()
    retired = int(row[0]) if row else 0
    con.execute(sql_text("delete_touched_vintages"), {"source": state.source})
    con.execute(sql_text("insert_derived_vintages"))
    row = con.execute("select count(*) from derived").fetchone()
    con.execute("drop table derived")
    con.execute("drop table touched")
    return Applied(correction, state.published_at, True, retired, int(row[0]) if row else 0)


def loaded_again_note(con: duckdb.DuckDBPyConnection, release: str,
                      published_at: datetime) -> str:
    """What to say when a file is given again whose release is loaded ('' when nothing):
    withdrawn, its figures do not count until reinstated; or dated otherwise than the date
    given now, which loading it again does not change (a correction does)."""
    state = release_state(con, release)
    if state is None:
        return ""
    if state.withdrawn_at is not None:
        return (f"{release} was withdrawn on {state.withdrawn_at:%Y-%m-%d}: loading its file "
                f"again does not bring it back; `chiso release reinstate {release}` does")
    if state.published_at != published_at:
        return (f"{release} is loaded as published {state.published_at:%Y-%m-%d}, and loading "
                f"its file again keeps that date; to correct it: chiso release redate "
                f"{release} --published-at {published_at:%Y-%m-%d} --reason TEXT")
    return ""
