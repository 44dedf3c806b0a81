"""`chiso release redate | withdraw | reinstate`: correct a loaded release, and keep the
correction where `chiso rebuild` finds it.

The archive is what a warehouse is rebuilt from, so a correction is written there first, as a
line of `corrections.jsonl` beside the manifest, then applied to the warehouse in one
transaction (warehouse/corrections.py). A rebuild loads every archived release and then
applies the journal's corrections in order: the 2099 date a user corrected does not come
back. Each line carries its number; a line the warehouse lacks (a crash between the two
writes) is applied by the next correction, before its own.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from flows.archive import Archive, append_json_line
from warehouse import corrections
from warehouse.connect import writer
from warehouse.corrections import Applied, Correction, ReleaseState

log = logging.getLogger(__name__)

JOURNAL_NAME = "corrections.jsonl"
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")  # published_at and effective_at are local and naive


def journal_path(archive: Archive) -> Path:
    return archive.root / JOURNAL_NAME


def correct(
    archive: Archive, name: str, action: str, reason: str,
    published_at: date | None = None,
    check_date: Callable[[date, str], None] | None = None,
) -> tuple[Applied, list[Applied]]:
    """Correct release `name` (an id, a file name, or source:YYYY-MM) in the live warehouse.

    `check_date(published_at, reference_period)` refuses a redate's date (the rules of
    `--published-at`). Returns what the correction did, and the journal's corrections it
    applied first because the warehouse lacked them."""
    with writer() as session:
        caught_up, problems = catch_up(session.con, archive)
        for problem in problems:
            log.warning("%s", problem)
        session.changed |= bool(caught_up)
        state = corrections.find_release(session.con, name)
        new = datetime.combine(published_at, time()) if published_at else None
        if action == "redate":
            assert published_at is not None
            if check_date:
                check_date(published_at, state.reference_period)
        if corrections.already(state, action, new):
            return Applied(_correction(0, state, action, new, reason), state.published_at,
                           changed=False), caught_up
        number = max(corrections.next_number(session.con), _last_number(archive) + 1)
        correction = _correction(number, state, action, new, reason)
        _append(archive, correction, state)
        applied = corrections.apply(session.con, correction)
        session.changed = True
        return applied, caught_up


def catch_up(con: duckdb.DuckDBPyConnection, archive: Archive
             ) -> tuple[list[Applied], list[str]]:
    """Apply the journal's corrections this warehouse lacks, in order (a rebuild: all of
    them); returns those applied and, for each journal line that cannot be read or names a
    release this warehouse does not hold (one whose file failed to load), a line saying so."""
    done = corrections.applied_numbers(con)
    journal, problems = read_journal(archive)
    applied = []
    for correction in journal:
        if correction.number in done:
            continue
        if corrections.release_state(con, correction.release_id) is None:
            problems.append(
                f"{journal_path(archive)}: correction {correction.number} ({correction.action} "
                f"{correction.release_id}) was not applied: the warehouse does not hold that "
                "release")
            continue
        applied.append(corrections.apply(con, correction))
    return applied, problems


def read_journal(archive: Archive) -> tuple[list[Correction], list[str]]:
    """The journal's corrections in order, and a line for each line that cannot be read (torn
    by a crash, edited by hand): a rebuild fails on it rather than lose a correction."""
    path = journal_path(archive)
    if not path.exists():
        return [], []
    found, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            found.append(_from_row(json.loads(line)))
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(f"{path}: line {number} cannot be read ({type(exc).__name__}: "
                            f"{exc}), so its correction is not applied; compare with table "
                            "release_correction of the live warehouse, then run that `chiso "
                            "release` command again or delete the line")
    return found, problems


def _correction(number: int, state: ReleaseState, action: str, published_at: datetime | None,
                reason: str) -> Correction:
    now = datetime.now(UTC)
    return Correction(number, state.release_id, action, published_at,
                      now.astimezone(LOCAL).replace(tzinfo=None, microsecond=0), reason,
                      now.replace(tzinfo=None))


def _last_number(archive: Archive) -> int:
    return max((c.number for c in read_journal(archive)[0]), default=0)


def _append(archive: Archive, correction: Correction, state: ReleaseState) -> None:
    """One journal line, flushed to disk before the warehouse changes."""
    row: dict[str, Any] = {
        "correction": correction.number, "release_id": correction.release_id,
        "source": state.source, "action": correction.action,
        "published_at": correction.published_at.isoformat() if correction.published_at
        else None,
        "old_published_at": state.published_at.isoformat(),
        "effective_at": correction.effective_at.isoformat(), "reason": correction.reason,
        "recorded_at": correction.recorded_at.isoformat(),
    }
    with journal_path(archive).open("a+b") as handle:
        append_json_line(handle, row)


def _from_row(row: dict[str, Any]) -> Correction:
    if row["action"] not in corrections.ACTIONS:
        raise ValueError(f"unknown action {row['action']!r}")
    published = row.get("published_at")
    if row["action"] == "redate" and not published:
        raise ValueError("a redate without its published_at")
    return Correction(
        int(row["correction"]), str(row["release_id"]), row["action"],
        datetime.fromisoformat(published) if published else None,
        datetime.fromisoformat(row["effective_at"]), str(row.get("reason") or ""),
        datetime.fromisoformat(row["recorded_at"]))
