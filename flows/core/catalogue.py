"""The GSO table catalogue and the code lists its tables' rows and columns go through.

All of it is reference data in flows/reference (see its README.md):

    gso_tables.csv   one row per table kind: the title patterns that find it (folded
                     Vietnamese, TCVN3 decoded; the English edition's), its indicator, what its
                     rows are, their item list, the unit of its levels
    gso_items/       the item lists, one file each (products.csv, fdi.csv ...): (heading,
                     folded label) -> code, unit; a code `geo:VN-01` places the row's figures
                     in a province, `industry:C` in a VSIC industry, `partner:KR` with a
                     partner country (ISO 3166 alpha-2), anything else is the row's
                     product code
    gso_columns.csv  what a column header can name besides its period and measure ("Số dự
                     án", "Vốn đăng ký"): the variable that extends the indicator, and its unit
    gso_units.csv    unit words as published ("Nghìn tấn", "Triệu m3") -> unit codes
    gso_periods.csv  the reference period of a table kind whose titles and headers name
                     none (the 1999 census tables published in January 2000)
    gso_totals.csv   the item the total row of a table kind stands for, where the table
                     is one section of what GSO later publishes as one table

Adding a table kind is a row in gso_tables.csv and the rows of its item list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from flows.core.config import REFERENCE_DIR
from flows.core.errors import ConfigError
from flows.core.reference import read_rows
from flows.core.text import fold

# What a table's rows are. The first three have their own code lists and normalisers
# (industry_aliases.csv, commodities.csv, cpi_groups.csv); `item` rows go through the lists
# in gso_items/.
ROW_KINDS = ("industry", "commodity", "cpi_group", "item")


@dataclass(frozen=True)
class TableKind:
    """One kind of table in the GSO workbook."""

    kind: str
    indicator: str
    rows: str
    items: str
    unit: str
    title: re.Pattern[str]
    title_en: re.Pattern[str] | None
    description: str

    def matches(self, folded_title: str) -> bool:
        return bool(self.title.search(folded_title)
                    or (self.title_en is not None and self.title_en.search(folded_title)))


@dataclass(frozen=True)
class Item:
    """A row of an item list: where its figures go and the unit of its levels."""

    code: str
    unit: str

    # Worked out once per item, not at every row naming it (normalising asks two or three
    # times a row): cached_property keeps them in the instance, beside the frozen fields.
    # Normalising the 125 shared workbooks: 0.845 s CPU with properties, 0.805 s cached.
    @cached_property
    def dimension(self) -> str:
        """`geo`, `industry`, `partner` (ISO 3166 alpha-2: `partner:KR`, the investing country
        of FDI) or `product`: which dimension the code is a value of."""
        prefix, sep, _ = self.code.partition(":")
        return prefix if sep else "product"

    @cached_property
    def value(self) -> str:
        return self.code.partition(":")[2] or self.code


@dataclass(frozen=True)
class ColumnVariable:
    """What a column header names besides its period and measure."""

    items: str
    pattern: re.Pattern[str]
    variable: str
    unit: str


@cache
def table_kinds() -> tuple[TableKind, ...]:
    """The catalogue, in file order: the first kind whose title pattern matches wins."""
    kinds = []
    for number, row in enumerate(read_rows("gso_tables.csv"), start=2):
        if row["rows"] not in ROW_KINDS:
            raise ConfigError(f"gso_tables.csv, line {number}: rows must be one of "
                              f"{', '.join(ROW_KINDS)}, not {row['rows']!r}")
        if row["rows"] == "item" and not row["items"]:
            raise ConfigError(f"gso_tables.csv, line {number}: an item table needs its list")
        try:
            title = re.compile(row["title"])
            title_en = re.compile(row["title_en"]) if row["title_en"] else None
        except re.error as exc:
            raise ConfigError(f"gso_tables.csv, line {number}: bad pattern ({exc})") from None
        kinds.append(TableKind(row["kind"], row["indicator"], row["rows"], row["items"],
                               row["unit"], title, title_en, row["description"]))
    return tuple(kinds)


@lru_cache(maxsize=1 << 12)  # titles come back every month, and again down each sheet
def kind_of(folded_title: str) -> TableKind | None:
    """The catalogue's table kind for a title (folded, its number removed), or None."""
    return next((k for k in table_kinds() if k.matches(folded_title)), None)


ITEMS_DIR = "gso_items"


@cache
def items() -> dict[tuple[str, str, str], Item]:
    """(list, folded heading or '', folded label) -> the item, from every list in gso_items/."""
    table: dict[tuple[str, str, str], Item] = {}
    for path in sorted((REFERENCE_DIR / ITEMS_DIR).glob("*.csv")):
        for number, r in enumerate(read_rows(path.name, path.parent), start=2):
            if fold(r["label"]) != r["label"] or fold(r["heading"]) != r["heading"]:
                raise ConfigError(f"{ITEMS_DIR}/{path.name}, line {number}: labels and headings "
                                  f"must be folded with flows.core.text.fold: {r['label']!r}")
            table[path.stem, r["heading"], r["label"]] = Item(r["code"], r["unit"])
    return table


def item(items_list: str, heading: str, label: str) -> Item | None:
    """The item a folded row label names in a list, under its heading or under any."""
    under = labels().get(items_list, {}).get(label)
    return None if under is None else under.get(heading) or under.get("")


@cache
def labels() -> dict[str, dict[str, dict[str, Item]]]:
    """`items` by list, folded label and heading ('' for any): what `item` asks for every row
    of a table, looked up by the strings it has, without a key made for each (tables of the
    125 shared workbooks ask 65,000 times)."""
    found: dict[str, dict[str, dict[str, Item]]] = {}
    for (name, heading, label), listed in items().items():
        found.setdefault(name, {}).setdefault(label, {})[heading] = listed
    return found


@cache
def headings(items_list: str) -> frozenset[str]:
    """The folded headings a list files rows under: a row with that label opens a section
    even when it carries figures itself (the services table's "I. Xuất khẩu dịch vụ" total
    over "Dịch vụ du lịch", which "II. Nhập khẩu dịch vụ" repeats)."""
    return frozenset(heading for (name, heading, _) in items() if name == items_list and heading)


@cache
def column_variables() -> tuple[ColumnVariable, ...]:
    return tuple(ColumnVariable(r["items"], re.compile(r["pattern"]), r["variable"], r["unit"])
                 for r in read_rows("gso_columns.csv"))


# A pattern holding this sign reads the column header, the sign, then the table's title: where
# the title says what the header leaves out ("Đợt I | Số dự thi" under "Kết quả thi tốt nghiệp
# trung học phổ thông" is the upper-secondary first-round candidates).
TITLE_SIGN = "§"


def column_variable(
    items_list: str, folded_header: str, folded_title: str = ""
) -> ColumnVariable | None:
    """The first variable of the list (or of every list) that the column header names, or that
    header and title name together (a pattern holding TITLE_SIGN)."""
    with_title = f"{folded_header} {TITLE_SIGN} {folded_title}"
    return next((v for v, reads_title in list_variables(items_list) if v.pattern.search(
        with_title if reads_title else folded_header)), None)


@cache
def list_variables(items_list: str) -> tuple[tuple[ColumnVariable, bool], ...]:
    """The variables of the list and of every list, in file order, each with whether its
    pattern reads the table's title too (holds TITLE_SIGN)."""
    return tuple((v, TITLE_SIGN in v.pattern.pattern) for v in column_variables()
                 if v.items in ("", items_list))


@cache
def kind_periods() -> dict[str, str]:
    """Table kind -> the reference period (YYYY-MM) of tables that name none themselves."""
    return {r["kind"]: r["period"] for r in read_rows("gso_periods.csv")}


@cache
def kind_totals() -> dict[str, str]:
    """Table kind -> the item code its total row (`_T`, "Chỉ số chung") stands for: the
    2011-2017 producer price tables of agriculture, industry and services are each one section
    of the single table GSO publishes from 2018, whose section totals carry those codes."""
    return {r["kind"]: r["total"] for r in read_rows("gso_totals.csv")}


@cache
def units() -> dict[str, str]:
    """Folded unit text as published -> unit code."""
    rows = read_rows("gso_units.csv")
    return {fold(r["label"]): r["unit"] for r in rows}
