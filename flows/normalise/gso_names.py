"""Write the names of the GSO item lists' product codes as GSO prints them.

    python -m flows.normalise.gso_names FOLDER [FOLDER ...] [--output FILE]

The item lists key their rows by folded labels ("than đá (than sạch)"); queries show a code's
name as published ("Than đá (than sạch)", "Hà Lan"). For every product code, the form of its
label printed most often in the workbooks of the folders, Vietnamese before English, mixed case
before capitals, is written to flows/reference/gso_item_names.csv (code, name_vi).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from flows.core import catalogue
from flows.core.config import REFERENCE_DIR
from flows.core.errors import ReadError
from flows.core.text import fold, nfc
from flows.readers.workbook.gso import read_gso_tables

NAMES_FILE = REFERENCE_DIR / "gso_item_names.csv"
# What GSO prints around a name: numbering ("1.", "a)"), bullets, lead-ins, footnote marks.
_AROUND = re.compile(r"^\s*(?:[-+•*–]\s*|(?:[a-hA-H]|[IVXivx]{1,4}|\d{1,2})[.)]\s*"
                     r"|(?:trong đó|tđ|trđ)\s*:?\s*)+|\s*(?:\(\*+\)|\*+)\s*$", re.I)


def names(paths: list[Path]) -> dict[str, str]:
    """Product code -> its name as most often printed."""
    kinds = {k.kind: k for k in catalogue.table_kinds() if k.rows == "item"}
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for path in paths:
        try:
            found = read_gso_tables(path)
        except ReadError as exc:
            print(f"skipped {path.name}: {exc}", file=sys.stderr)
            continue
        for table in found.tables:
            kind = kinds.get(table.kind)
            if kind is None:
                continue
            for row in table.rows:
                item = catalogue.item(kind.items, "", fold(row.label))
                if item is not None and item.dimension == "product" and item.value != "_T":
                    seen[item.value][_AROUND.sub("", nfc(row.label)).strip()] += 1
    return {code: max(forms, key=lambda f: _rank(f, forms[f])) for code, forms in seen.items()}


def _rank(form: str, count: int) -> tuple[bool, bool, int]:
    vietnamese = any(ord(c) > 127 for c in form)
    return vietnamese, form != form.upper(), count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.normalise.gso_names",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--output", type=Path, default=NAMES_FILE)
    args = parser.parse_args(argv)
    paths = sorted(p for folder in args.folders for p in
                   ([folder] if folder.is_file() else folder.glob("*.xls*")))
    found = names(paths)
    with args.output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "name_vi"])
        writer.writerows(sorted(found.items()))
    print(f"wrote {args.output}: {len(found)} names")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
