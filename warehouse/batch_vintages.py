"""The vintages a backfill's batch opens and closes, worked out in Arrow and NumPy.

A batch (warehouse.load.write_releases) holds releases of one source in order of
publication, each after every release of the source already loaded, so each key's chain
goes on from its current vintage: ordered by key and publication, with that vintage in
front, a vintage opens at a key's first figure and wherever its value or status changes, and
closes where the key's next vintage opens (the current one at the batch's first change).
A vintage revises when an earlier one of its key, before the batch or in it, had another
value. A query did this before (sql/load/derive_batch_vintages.sql, until December 2026);
over the 125 shared workbooks' 314,635 figures it took 0.67-0.75 s in the benchmark's
pipeline, a third of it the kernel handing DuckDB fresh memory for its hash tables, this 0.1 s.
tests/test_load.py checks a batch gives what loading its releases one at a time gives, first
batch or not, on real workbooks too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

KEY_COLUMNS = ("series_key", "period_type", "period_start", "period_end")
# sql/load/batch_earlier.sql's answer, for a source without vintages (nothing to ask).
EARLIER_SCHEMA = pa.schema([
    ("series_key", pa.string()), ("period_type", pa.string()), ("period_start", pa.date32()),
    ("period_end", pa.date32()), ("least_value", pa.float64()), ("greatest_value", pa.float64()),
    ("closes", pa.int64()), ("value", pa.float64()), ("status", pa.string())])


@dataclass(frozen=True)
class BatchVintages:
    """`marked`: the batch's figures (`incoming`) with `opens`, whether the figure opens a
    vintage, and `valid_to`, when the next vintage of its key opens (null for the current
    one); `closing`: the row ids of the current vintages the batch ends (`closes`) and when
    (`valid_to`); `counts`: for each release that opens any, the vintages it opened and the
    revisions among them."""

    marked: pa.Table
    closing: pa.Table
    counts: dict[str, tuple[int, int]]


def batch_vintages(incoming: pa.Table, earlier: pa.Table) -> BatchVintages:
    """The vintages of the batch `incoming` (FRAME_SCHEMA with `published_at`, releases in
    order of publication, a key at most once a release), going on from `earlier`
    (sql/load/batch_earlier.sql): for each of its keys with vintages already, the least and
    greatest value they held, and the current vintage's row id (`closes`), value and status
    (null when none is current)."""
    rows, held = incoming.num_rows, earlier.num_rows
    # Each key's history (a row of `earlier`) in front of its figures, which follow in
    # order of publication: the sort is stable.
    keys = [_codes(_joined(earlier, incoming, name)) for name in KEY_COLUMNS]
    order = np.lexsort(keys[::-1])
    first = np.zeros(held + rows, dtype=bool)
    first[:1] = True
    for key in keys:
        ordered = key[order]
        first[1:] |= ordered[1:] != ordered[:-1]
    history = order < held
    current = np.zeros(held + rows, dtype=bool)
    current[:held] = earlier["closes"].is_valid().to_numpy(zero_copy_only=False)
    current = current[order]
    value = np.concatenate([earlier["value"].fill_null(np.nan).to_numpy(),
                            incoming["value"].to_numpy()])[order]
    status = _codes(_joined(earlier, incoming, "status"))[order]
    # After a history without a current vintage, a key's first figure opens one whatever
    # it holds.
    after_none = np.zeros(held + rows, dtype=bool)
    after_none[1:] = history[:-1] & ~current[:-1] & ~first[1:]
    changed_value = np.zeros(held + rows, dtype=bool)
    # as DuckDB compares doubles: NaN equals NaN
    changed_value[1:] = (value[1:] != value[:-1]) & ~(np.isnan(value[1:]) & np.isnan(value[:-1]))
    changed_value &= ~first & ~after_none
    starts = first | changed_value | after_none
    starts[1:] |= (status[1:] != status[:-1]) & ~first[1:]
    opens = starts & ~history
    # A vintage revises when a value of its key changed at or before it (in the batch, or
    # from the current vintage), or when the key's earlier vintages held another value.
    group_start = np.flatnonzero(first)[np.cumsum(first) - 1]
    changes = np.cumsum(changed_value)
    revises = changes > changes[group_start]
    if held:
        least = np.concatenate([earlier["least_value"].to_numpy(), np.full(rows, np.nan)])
        greatest = np.concatenate([earlier["greatest_value"].to_numpy(), np.full(rows, np.nan)])
        least, greatest = least[order][group_start], greatest[order][group_start]
        known = history[group_start]
        revises |= known & ((least != value) | (greatest != value))
    # A vintage (a current one, or one the batch opens) closes where its key's next opens.
    bounds = np.flatnonzero(opens | (history & current))
    group = np.cumsum(first)[bounds]
    closed = np.zeros(len(bounds), dtype=bool)
    closed[:-1] = group[1:] == group[:-1]
    published = np.concatenate([np.zeros(held, dtype=np.int64), _moments(incoming)])[order]
    ends = np.zeros(len(bounds), dtype=np.int64)
    ends[:-1] = published[bounds[1:]]
    at = order[bounds] - held  # each bound's figure in `incoming`; negative: a current vintage
    mine = at >= 0
    opened, valid_to, ended = (np.zeros(rows, dtype=bool), np.zeros(rows, dtype=np.int64),
                               np.zeros(rows, dtype=bool))
    opened[at[mine]] = True
    valid_to[at[mine]] = ends[mine]
    ended[at[mine]] = closed[mine]
    kind = incoming.schema.field("published_at").type
    marked = incoming.append_column("opens", pa.array(opened)).append_column(
        "valid_to", pa.array(valid_to, pa.int64(), mask=~ended).cast(kind))
    ending = ~mine & closed
    closing = pa.table({
        "closes": earlier["closes"].take(pa.array(order[bounds[ending]])),
        "valid_to": pa.array(ends[ending], pa.int64()).cast(kind),
    })
    encoded = incoming["release_id"].combine_chunks().dictionary_encode()
    names = encoded.dictionary.to_pylist()
    by_release = encoded.indices.to_numpy(zero_copy_only=False)[at[mine]]
    opened_by = np.bincount(by_release, minlength=len(names))
    revised_by = np.bincount(by_release, weights=revises[bounds[mine]], minlength=len(names))
    counts = {name: (int(o), int(r))
              for name, o, r in zip(names, opened_by, revised_by, strict=True) if o}
    return BatchVintages(marked, closing, counts)


def _joined(earlier: pa.Table, incoming: pa.Table, name: str) -> pa.ChunkedArray:
    """Column `name` of `earlier`, then of `incoming`, as one."""
    kind = incoming.schema.field(name).type
    return pa.chunked_array(earlier[name].cast(kind).chunks + incoming[name].chunks, kind)


def _codes(column: pa.ChunkedArray) -> np.ndarray:
    """A small integer for each distinct value of `column` (texts or dates); -1 for null."""
    encoded = column.combine_chunks().dictionary_encode()
    codes: np.ndarray = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    return codes


def _moments(incoming: pa.Table) -> np.ndarray:
    moments: np.ndarray = incoming["published_at"].combine_chunks().cast(pa.int64()).to_numpy(
        zero_copy_only=False)
    return moments
