"""Show a query's answer in a terminal, or write it to a file (csv, json, parquet, xlsx)."""

from __future__ import annotations

import math
import os
import shutil
import sys
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from flows.core.errors import UsageError

FORMATS = ("table", "csv", "json", "parquet", "xlsx")
# A text column is never cut narrower than this (plus its ellipsis) to fit the terminal.
MIN_TEXT_WIDTH = 8
GAP = "  "


class OutputError(UsageError):
    """An answer could not be written in the format or to the file asked for."""


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: combining marks take none, wide characters two."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def truncate(text: str, width: int) -> str:
    """`text` cut to `width` terminal columns, ending in "…" when cut."""
    if display_width(text) <= width:
        return text
    out, used = "", 0
    for c in text:
        w = display_width(c)
        if used + w > width - 1:
            break
        out, used = out + c, used + w
    return out + "…"


def _decimals(values: pd.Series) -> int:
    """Decimals to show a float column with: 2, more for small magnitudes, at most 6."""
    finite = [abs(v) for v in values if isinstance(v, float) and math.isfinite(v) and v != 0]
    if not finite:
        return 2
    smallest = min(finite)
    return 2 if smallest >= 0.1 else min(6, 2 - math.floor(math.log10(smallest)))


def _cell(value: Any, decimals: int) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.{decimals}f}"
    if isinstance(value, datetime | pd.Timestamp):
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return f"{value:%Y-%m-%d}"
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).replace("\n", " ")


def render_table(frame: pd.DataFrame, width: int | None = None) -> str:
    """Aligned columns (numbers right, text left), text columns cut to fit `width`."""
    if frame.empty:
        return "(no rows)"
    width = width or terminal_width()
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(
        frame[c]) for c in frame.columns]
    # Only free text is cut to fit; numbers, dates and flags are shown whole.
    text_like = [not n and not pd.api.types.is_bool_dtype(frame[c])
                 and not pd.api.types.is_datetime64_any_dtype(frame[c])
                 for c, n in zip(frame.columns, numeric, strict=True)]
    columns = []
    for name, is_number in zip(frame.columns, numeric, strict=True):
        decimals = _decimals(frame[name]) if is_number else 0
        cells = [_cell(v, decimals) for v in frame[name].astype(object)]
        columns.append([str(name), *cells])
    widths = [max(display_width(c) for c in col) for col in columns]
    if width:
        _fit(widths, columns, text_like, width)
    lines = []
    for row in zip(*columns, strict=True):
        parts = []
        for text, w, is_number in zip(row, widths, numeric, strict=True):
            text = truncate(text, w)
            pad = " " * (w - display_width(text))
            parts.append(pad + text if is_number else text + pad)
        lines.append(GAP.join(parts).rstrip())
    return "\n".join(lines)


def _fit(widths: list[int], columns: list[list[str]], text_like: list[bool], width: int) -> None:
    """Narrow the widest text column a column at a time, in place, until the row fits `width`
    (only text is cut, never below its header or MIN_TEXT_WIDTH)."""
    floors = [max(MIN_TEXT_WIDTH, display_width(col[0])) for col in columns]
    excess = sum(widths) + len(GAP) * (len(widths) - 1) - width
    while excess > 0:
        cuttable = [i for i, cut in enumerate(text_like) if cut and widths[i] > floors[i]]
        if not cuttable:
            return
        widest = max(cuttable, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1


def terminal_width() -> int | None:
    """The terminal's width; None when the output is not a terminal (a pipe, a file) and
    COLUMNS is unset: then nothing is cut."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def write_frame(frame: pd.DataFrame, fmt: str, output: Path | None) -> str:
    """Write `frame` as `fmt` to `output` (None: csv, json and table go to the returned text)."""
    if fmt == "table":
        text = render_table(frame)
    elif fmt == "csv":
        text = frame.to_csv(index=False)
    elif fmt == "json":
        text = frame.to_json(orient="records", date_format="iso", force_ascii=False, indent=1)
    elif fmt in ("parquet", "xlsx"):
        if output is None:
            raise OutputError(f"--format {fmt} writes a file: give --output FILE")
        _write_binary(frame, fmt, output)
        return f"wrote {len(frame):,} rows to {output}"
    else:
        raise OutputError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if output is None:
        return text.rstrip("\n")
    _ensure_parent(output)
    output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return f"wrote {len(frame):,} rows to {output}"


def _write_binary(frame: pd.DataFrame, fmt: str, output: Path) -> None:
    _ensure_parent(output)
    if fmt == "parquet":
        frame.to_parquet(output, index=False)
        return
    # Excel keeps no time zone and no NaT: naive timestamps, blanks for missing values.
    frame.to_excel(output, index=False, engine="xlsxwriter", sheet_name="chiso")


def _ensure_parent(output: Path) -> None:
    if not output.parent.is_dir():
        raise OutputError(f"cannot write {output}: folder {output.parent} does not exist")
