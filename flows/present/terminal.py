"""Show a query's answer in a terminal, or write it to a file (csv, json, parquet, xlsx)."""

from __future__ import annotations

import math
import os
import re
import shutil
import sys
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from flows.present.outputs import OutputError, checked, spreadsheet_safe
from flows.present.spreadsheet import write_xlsx

FORMATS = ("table", "csv", "json", "parquet", "xlsx")
# A text column is never cut narrower than this (plus its ellipsis) to fit the terminal.
MIN_TEXT_WIDTH = 8
GAP = "  "
# What joins the parts of a catalogue name (warehouse/labels.py): indicator · item · place.
NAME_PARTS = " · "
# A key or code, or a list of them: no spaces but after a comma.
_CODE = re.compile(r"[^\s,]+(?:, [^\s,]+)*")


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: combining marks take none, wide characters two."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def truncate(text: str, width: int) -> str:
    """`text` cut to `width` terminal columns, with "…" where it was cut. A name made of parts
    ("chỉ số phát triển sản xuất công nghiệp · Khai khoáng · Việt Nam": indicator, item, place)
    loses its first parts first, as the last ones tell series of one indicator apart."""
    if display_width(text) <= width:
        return text
    head, sep, rest = text.partition(NAME_PARTS)
    if not sep or width < 2 * MIN_TEXT_WIDTH:
        return _cut(text, width) if not sep else "…" + _cut(rest, width - 1)
    room = width - display_width(sep + rest)
    if room >= 5:
        return _cut(head, room) + sep + rest
    return "…" + sep + truncate(rest, width - 1 - len(sep))


def _cut(text: str, width: int) -> str:
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


def render_table(frame: pd.DataFrame, width: int | None = None, *,
                 total: int | None = None) -> str:
    """Aligned columns (numbers right, text left) within `width`: names are cut first (with
    "…"), keys and codes never; a row that still cannot fit is shown one field a line.
    `total`: the rows of the whole answer when `frame` is only its first rows (a note says
    how many were not shown)."""
    if frame.empty:
        return "(no rows)"
    width = width or terminal_width()
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(
        frame[c]) for c in frame.columns]
    columns = []
    for name, is_number in zip(frame.columns, numeric, strict=True):
        decimals = _decimals(frame[name]) if is_number else 0
        cells = [_cell(v, decimals) for v in frame[name].astype(object)]
        columns.append([str(name), *cells])
    # Only names (text with words) are cut; numbers, dates, flags, keys and codes stay whole.
    names = [not n and not pd.api.types.is_bool_dtype(frame[c])
             and not pd.api.types.is_datetime64_any_dtype(frame[c]) and not _codes(col[1:])
             for c, n, col in zip(frame.columns, numeric, columns, strict=True)]
    widths = [max(display_width(c) for c in col) for col in columns]
    if width and not _fit(widths, columns, names, width):
        text = _vertical(columns, names, width)
    else:
        text = _aligned(columns, widths, numeric)
    return text + shown_note(len(frame), total)


def shown_note(shown: int, total: int | None, what: str = "rows") -> str:
    """"\n50 of 75 rows shown" when the answer was cut to its first rows, else ""."""
    if total is None or total <= shown:
        return ""
    return f"\n{shown:,} of {total:,} {what} shown"


def _codes(cells: list[str]) -> bool:
    """Whether a column holds keys or codes (a word without spaces, or a list of them:
    "IIP.VN-31._T._Z._Z.INDEX_YOY.INDEX", "haiphong_doit, haiphong_stats"), never to be cut."""
    return all(_CODE.fullmatch(c) for c in cells if c)


def _aligned(columns: list[list[str]], widths: list[int], numeric: list[bool]) -> str:
    lines = []
    for row in zip(*columns, strict=True):
        parts = []
        for text, w, is_number in zip(row, widths, numeric, strict=True):
            text = truncate(text, w)
            pad = " " * (w - display_width(text))
            parts.append(pad + text if is_number else text + pad)
        lines.append(GAP.join(parts).rstrip())
    return "\n".join(lines)


def _vertical(columns: list[list[str]], names: list[bool], width: int) -> str:
    """One field a line, a row after another: for rows too wide for the terminal even with
    their names cut. Names are cut to the width; keys, codes and numbers are shown whole."""
    label = max(display_width(col[0]) for col in columns)
    room = max(MIN_TEXT_WIDTH, width - label - len(GAP))
    blocks = []
    for n, row in enumerate(zip(*(col[1:] for col in columns), strict=True), 1):
        lines = [f"-[ row {n} ]"]
        for col, text, is_name in zip(columns, row, names, strict=True):
            head = col[0] + " " * (label - display_width(col[0]))
            lines.append(f"{head}{GAP}{truncate(text, room) if is_name else text}".rstrip())
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def _fit(widths: list[int], columns: list[list[str]], names: list[bool], width: int) -> bool:
    """Narrow the widest name column a column at a time, in place, until the row fits `width`
    (never below its header or MIN_TEXT_WIDTH); False when even that is too wide."""
    floors = [max(MIN_TEXT_WIDTH, display_width(col[0])) for col in columns]
    excess = sum(widths) + len(GAP) * (len(widths) - 1) - width
    while excess > 0:
        cuttable = [i for i, cut in enumerate(names) if cut and widths[i] > floors[i]]
        if not cuttable:
            return False
        widest = max(cuttable, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    return True


def terminal_width() -> int | None:
    """The terminal's width; None when the output is not a terminal (a pipe, a file) and
    COLUMNS is unset: then nothing is cut."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def write_frame(frame: pd.DataFrame, fmt: str, output: Path | None, *,
                total: int | None = None) -> str:
    """Write `frame` as `fmt` to `output` (None: csv, json and table go to the returned text);
    `total`: the rows of the whole answer when `frame` holds only the first (render_table)."""
    if output is not None:
        checked(output)
    if fmt == "table":
        text = render_table(frame, total=total)
    elif fmt == "csv":
        text = spreadsheet_safe(frame).to_csv(index=False)
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
    write_xlsx(frame, output)


def _ensure_parent(output: Path) -> None:
    if not output.parent.is_dir():
        raise OutputError(f"cannot write {output}: folder {output.parent} does not exist")
