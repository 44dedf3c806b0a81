"""Where answers may be written and what a spreadsheet may be handed.

An `--output` that resolves to the warehouse (its published file, its writer file, their
write-ahead logs) or into the archive is refused: writing a report or an export there would
destroy what chiso keeps (issue 15). A CSV cell that a spreadsheet would run as a formula is
neutralised the way spreadsheet-safe exporters do (OWASP, "CSV Injection"): a text beginning
with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, unless it is a
number ("-5.2", "+3"), so a publisher's sentence such as "=HYPERLINK(...)" reaches the
spreadsheet as text. xlsx files are written with formulas and URLs off instead
(flows/present/spreadsheet.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from flows.core import config
from flows.core.errors import UsageError
from warehouse.file_backend import writer_path

# What a spreadsheet reads as the start of a formula (or of a cell split by a control char).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?%?")


class OutputError(UsageError):
    """An answer could not be written in the format or to the file asked for."""


def checked(output: Path, warehouse: Path | None = None) -> Path:
    """`output`, unless it resolves to the warehouse's files or into the archive: then
    OutputError naming what it would overwrite."""
    target = output.expanduser().resolve()
    published = (warehouse or config.warehouse_path()).expanduser().resolve()
    kept = {published, writer_path(published)}
    kept |= {p.with_name(p.name + ".wal") for p in kept}
    if target in kept:
        raise OutputError(f"--output {output} is the warehouse's own file ({target.name}); "
                          "writing there would destroy it: choose another path")
    archive = config.archive_dir().expanduser().resolve()
    if target == archive or archive in target.parents:
        raise OutputError(f"--output {output} is inside the archive ({archive}), which keeps "
                          "the releases as published: choose another path")
    return output


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every text cell a spreadsheet would run as a formula neutralised by a
    leading apostrophe (numbers written as text stay as they are)."""
    texts = [c for c in frame.columns
             if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    if not texts:
        return frame
    safe = frame.copy()
    for column in texts:
        safe[column] = safe[column].map(_neutralised)
    return safe


def _neutralised(value: object) -> object:
    if (isinstance(value, str) and value.startswith(_FORMULA_START)
            and not _NUMBER.fullmatch(value.strip())):
        return "'" + value
    return value
