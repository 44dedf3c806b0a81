"""A damaged warehouse file: how to tell, and what to say about it.

The published file is a copy of the writer's (warehouse/publish.py), so a damaged published
file is mended by publishing the writer's file again (warehouse/file_backend.py does, from
a reader or a load). The writer's file has no copy to come from: the raw archive rebuilds it,
and `rebuild_advice` says how, in one line.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

# What DuckDB raises on opening a file that is truncated, overwritten or not DuckDB at all
# ("Could not read enough bytes", "not a valid DuckDB database file", a bad checksum).
DAMAGE = (duckdb.IOException, duckdb.SerializationException, duckdb.InternalException)


def first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def problem(path: Path) -> str | None:
    """Why DuckDB cannot open `path` read-only (its error's first line); None when it can, or
    when there is no file."""
    if not path.exists():
        return None
    try:
        duckdb.connect(str(path), read_only=True).close()
    except DAMAGE as exc:
        return first_line(exc)
    return None


def rebuild_advice(published: Path, private: Path) -> str:
    """The exact recovery when the writer's file is lost: rebuild from the archive, swap in."""
    new = published.with_name(published.stem + ".rebuilt.duckdb")
    return (f"rebuild it from the archive: `chiso rebuild --into {new}`, then `mv {new} "
            f"{published}` and `rm -f {private} {private}.wal` (docs/operations.md, 'A damaged "
            "warehouse file')")
