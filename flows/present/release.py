"""`chiso release redate | withdraw | reinstate`: what the user asked, checked, done, said.

The substance is in flows/orchestration/corrections.py (the archive's journal) and
warehouse/corrections.py (the warehouse's transaction); here the new date is checked with
the rules of `ingest --published-at` and the outcome is put in a few lines.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime

from flows.core.errors import UsageError
from flows.present import arguments
from warehouse.corrections import Applied, loaded_again_note


def run(args: argparse.Namespace) -> int:
    """Apply the correction the command line asks for, and say what it did (exit 0, also
    when the release already stood so)."""
    from flows.orchestration.corrections import correct
    from flows.pipeline import default_archive

    action = args.action
    reason = (args.reason or "").strip()
    if action == "withdraw" and not reason:
        raise UsageError("release withdraw needs --reason TEXT: why the release no longer "
                         "counts is kept with it")

    def check_date(published: date, period: str) -> None:
        if not args.force_date:
            arguments.check_published(published, period or None, date.today())

    applied, caught_up = correct(default_archive(), args.release, action, reason,
                                 getattr(args, "published_at", None), check_date)
    for earlier in caught_up:
        print(f"applied correction {earlier.correction.number} from the archive first "
              f"({earlier.correction.action} {earlier.correction.release_id})")
    print(describe(applied))
    return 0


def describe(applied: Applied) -> str:
    """One or two lines: what changed, or why nothing did."""
    c = applied.correction
    if not applied.changed:
        if c.action == "redate":
            return f"unchanged: {c.release_id} is already dated {applied.old_published_at:%Y-%m-%d}"
        if c.action == "withdraw":
            return f"unchanged: {c.release_id} is already withdrawn"
        return f"unchanged: {c.release_id} is not withdrawn"
    if c.action == "redate":
        assert c.published_at is not None
        what = (f"redated {c.release_id}: published {c.published_at:%Y-%m-%d}, not "
                f"{applied.old_published_at:%Y-%m-%d}")
    elif c.action == "withdraw":
        what = (f"withdrew {c.release_id}: its figures count until "
                f"{c.effective_at:%Y-%m-%d %H:%M} (as_of before then shows them), no longer "
                "in v_latest")
    else:
        what = f"reinstated {c.release_id}: its figures count again"
    return (f"{what}\n  correction {c.number} recorded (table release_correction and the "
            f"archive's corrections.jsonl); {applied.vintages:,} vintages derived again, "
            f"{applied.retired:,} replaced ones kept in vintage_retired")


def loaded_again(release: str, published_at: datetime) -> str:
    """`loaded_again_note` for `chiso ingest` of a file already loaded ('' when nothing)."""
    from warehouse.connect import reader

    con = reader()
    try:
        return loaded_again_note(con, release, published_at)
    finally:
        con.close()
