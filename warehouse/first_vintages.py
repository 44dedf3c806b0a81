"""The vintages of a source's first batch, worked out in Arrow and NumPy instead of SQL.

A backfill's first batch of a source (warehouse.load.write_releases into a warehouse that
holds no vintage of it yet: a new warehouse, or a source added to one) has no history to
continue, so its vintages follow from its own figures alone: ordered by key and publication,
a vintage opens at a key's first figure and wherever its value or status changes, and closes
at the next one the key opens. derive_batch_vintages.sql works out the same for any batch;
over the 125 shared workbooks' 314,635 figures it took 0.67-0.75 s in the benchmark's
pipeline (a third of it the kernel handing DuckDB fresh memory for its hash tables), this
0.1 s. tests/test_load.py checks the two agree.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa


def first_vintages(incoming: pa.Table) -> tuple[pa.Table, dict[str, tuple[int, int]]]:
    """`incoming` (FRAME_SCHEMA with `published_at`: the batch's releases in order of
    publication, a key at most once a release) with two columns more: `opens`, whether the
    figure opens a vintage, and `valid_to`, when the next vintage of its key opens (null for
    the current one); and for each release that opens any, the vintages it opened and the
    revisions among them (a vintage revises when an earlier one of its key had another
    value)."""
    rows = incoming.num_rows
    release, names = _codes(incoming["release_id"])
    # A key's figures together, in order of publication: releases come in that order, and
    # the sort is stable.
    keys = [_days(incoming["period_end"]), _days(incoming["period_start"]),
            _codes(incoming["period_type"])[0], _codes(incoming["series_key"])[0]]
    order = np.lexsort(keys)
    first = np.zeros(rows, dtype=bool)
    first[:1] = True
    for key in keys:
        ordered = key[order]
        first[1:] |= ordered[1:] != ordered[:-1]
    value = incoming["value"].to_numpy()[order]
    status = _codes(incoming["status"])[0][order]
    changed_value = np.zeros(rows, dtype=bool)
    # as DuckDB compares doubles: NaN equals NaN
    changed_value[1:] = (value[1:] != value[:-1]) & ~(np.isnan(value[1:]) & np.isnan(value[:-1]))
    changed_value &= ~first
    opens = first | changed_value
    opens[1:] |= status[1:] != status[:-1]
    # A vintage revises when a value of its key changed at or before it (a status-only
    # change after a revision revises too: the values before it are not all its own).
    changes = np.cumsum(changed_value)
    revises = changes > changes[np.flatnonzero(first)[np.cumsum(first) - 1]]
    # A vintage closes when the next one of its key opens.
    opened = np.flatnonzero(opens)
    group = np.cumsum(first)[opened]
    published = incoming["published_at"].combine_chunks()
    moments = published.cast(pa.int64()).to_numpy(zero_copy_only=False)
    closes = np.zeros(rows, dtype=bool)
    closes[order[opened[:-1]]] = group[1:] == group[:-1]
    valid_to = np.zeros(rows, dtype=np.int64)
    valid_to[order[opened[:-1]]] = moments[order[opened[1:]]]
    in_place = np.zeros(rows, dtype=bool)
    in_place[order] = opens
    marked = incoming.append_column("opens", pa.array(in_place)).append_column(
        "valid_to", pa.array(valid_to, pa.int64(), mask=~closes).cast(published.type))
    by_release = release[order[opened]]
    opened_by = np.bincount(by_release, minlength=len(names))
    revised_by = np.bincount(by_release, weights=revises[opened], minlength=len(names))
    counts = {name: (int(o), int(r))
              for name, o, r in zip(names, opened_by, revised_by, strict=True) if o}
    return marked, counts


def _codes(column: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    """A small integer for each text of `column`, and the texts."""
    encoded = column.combine_chunks().dictionary_encode()
    return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary.to_pylist()


def _days(column: pa.ChunkedArray) -> np.ndarray:
    days: np.ndarray = column.combine_chunks().cast(pa.int32()).to_numpy(zero_copy_only=False)
    return days
