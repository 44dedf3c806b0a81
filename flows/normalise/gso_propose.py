"""Propose item-list rows for the row labels of catalogued GSO tables that no list knows yet.

    python -m flows.normalise.gso_propose FOLDER [FOLDER ...] [--write]

Reads every workbook under the folders, finds the rows of item tables whose labels are not in
flows/reference/gso_items/, and proposes a row for each: a province (places.csv) becomes
`geo:<code>`, an industry the IIP aliases know `industry:<VSIC>`, a total `_T`, anything else a
product code spelt from the label without diacritics. A label met under several headings of
one table ("Số người chết" under traffic accidents and under fires) is proposed per heading.
Prints the rows; `--write` appends them to their lists, to review in the diff like any data change.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from flows.core import catalogue, reference
from flows.core.config import REFERENCE_DIR
from flows.core.errors import ReadError
from flows.core.text import fold
from flows.normalise.gso_items import periods_as_rows
from flows.normalise.gso_month_rows import item_label, months_by_year
from flows.readers.workbook.gso import read_gso_tables
from flows.readers.workbook.tables import Table

ITEMS_DIR = REFERENCE_DIR / catalogue.ITEMS_DIR
TOTALS = {"tổng số", "tổng", "toàn quốc", "cả nước", "tổng cộng", "total", "tổng trị giá",
          "tổng mức", "chung", "tổng số dự án", "toàn bộ"}
_NON_WORD = re.compile(r"[^A-Z0-9]+")
MAX_CODE = 48


def code_of(label: str) -> str:
    """A readable product code from a label: "Than đá (than sạch)" -> "THAN_DA_THAN_SACH"."""
    text = unicodedata.normalize("NFD", label.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).upper()
    return _NON_WORD.sub("_", text).strip("_")[:MAX_CODE].rstrip("_") or "ITEM"


def propose(label: str) -> str:
    if label in TOTALS:
        return "_T"
    geo = _places().get(label)
    if geo:
        return f"geo:{geo}"
    industry = reference.industries().get(label)
    if industry and industry != "_T":
        return f"industry:{industry}"
    return code_of(label)


def _places() -> dict[str, str]:
    return {fold(r["name"]): r["geo"] for r in reference.read_rows("places.csv")}


def unknown_rows(paths: list[Path]) -> list[dict[str, str]]:
    """Proposed rows for every label of an item table the lists do not know, first seen first."""
    kinds = {k.kind: k for k in catalogue.table_kinds() if k.rows == "item"}
    seen: dict[tuple[str, str, str], None] = {}
    for path in paths:
        try:
            found = read_gso_tables(path)
        except ReadError as exc:
            print(f"skipped {path.name}: {exc}", file=sys.stderr)
            continue
        for table in found.tables:
            kind = kinds.get(table.kind)
            if kind is not None:
                for key in _unknown(table, kind.items):
                    seen.setdefault(key, None)
    return [_proposal(*key) for key in seen]


def _unknown(table: Table, items_list: str) -> Iterator[tuple[str, str, str]]:
    """(list, heading, label) of the table's labels the list does not know."""
    if periods_as_rows(table):  # the headings and the column headers are the items
        headings = [fold(row.label) for row in table.rows if row.is_heading]
        by_year = months_by_year(table)  # "Số hộ thiếu đói (...) Năm 2007": the item first
        headers = [item_label(column) if by_year else fold(column.text)
                   for column in table.columns]
        for key in (*headings, *headers):
            if key and catalogue.item(items_list, "", key) is None:
                yield items_list, "", key
        return
    headings_of: dict[str, set[str]] = defaultdict(set)
    rows = []
    heading = ""
    for row in table.rows:
        key = fold(row.label)
        if row.is_heading:
            heading = key
            continue
        headings_of[key].add(heading)
        rows.append((heading, key))
    for heading, key in rows:
        if catalogue.item(items_list, heading, key) is None:
            yield items_list, heading if len(headings_of[key]) > 1 else "", key


def _proposal(items_list: str, heading: str, label: str) -> dict[str, str]:
    code = propose(label)
    if heading and code != "_T" and ":" not in code:
        code = f"{code_of(heading)}__{code}"[:MAX_CODE * 2]
    return {"list": items_list, "heading": heading, "label": label, "code": code, "unit": ""}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.normalise.gso_propose",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--write", action="store_true", help="append rows to gso_items/")
    args = parser.parse_args(argv)
    paths = sorted(p for folder in args.folders for p in
                   ([folder] if folder.is_file() else folder.glob("*.xls*")))
    rows = unknown_rows(paths)
    fields = ["list", "heading", "label", "code", "unit"]
    if args.write:
        for row in rows:
            path = ITEMS_DIR / f"{row['list']}.csv"
            new = not path.exists()
            with path.open("a", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fields[1:], lineterminator="\n",
                                        extrasaction="ignore")
                if new:
                    writer.writeheader()
                writer.writerow(row)
        print(f"appended {len(rows)} rows to {ITEMS_DIR}")
    else:
        writer = csv.DictWriter(sys.stdout, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
