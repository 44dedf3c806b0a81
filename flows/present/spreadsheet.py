"""An answer as an Excel workbook a reader can sort and filter at once: one sheet, the header
row frozen, an autofilter over every column, columns wide enough to read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

SHEET = "chiso"
# Excel's default column is 8.43 characters; names and keys need more, but a column wider
# than this pushes the rest off the screen (the cell still holds the whole text).
MAX_COLUMN_CHARS = 40
# Rows looked at to size a column: enough to see typical values without reading 100k rows.
SIZING_ROWS = 1000
# Text from publishers is data, never a formula or a link: "=..." or "http://..." in a label
# stays the string it was (xlsxwriter would otherwise turn it into a formula or a hyperlink).
WRITER_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}


def write_xlsx(frame: pd.DataFrame, output: Path) -> None:
    """Write `frame` to `output` (Excel keeps no time zone and no NaT: naive timestamps,
    blanks for missing values)."""
    with pd.ExcelWriter(output, engine="xlsxwriter",
                        engine_kwargs={"options": WRITER_OPTIONS}) as book:
        frame.to_excel(book, index=False, sheet_name=SHEET)
        sheet = book.sheets[SHEET]
        sheet.freeze_panes(1, 0)
        if len(frame.columns):
            sheet.autofilter(0, 0, len(frame), len(frame.columns) - 1)
        for n, name in enumerate(frame.columns):
            sheet.set_column(n, n, _width(str(name), frame[name].head(SIZING_ROWS)))


def _width(header: str, sample: pd.Series) -> int:
    """Characters for a column: its header (plus the filter button) or its longest value."""
    longest = max((len(str(v)) for v in sample.dropna()), default=0)
    return min(MAX_COLUMN_CHARS, max(len(header) + 3, longest + 1))
