"""Names for the codes in series keys, in Vietnamese and English, from flows/reference.

The warehouse stores codes (`IIP`, `VN-31`, `2620`, `PHONES`); the reference files that map
published labels to those codes also hold their names. The named queries read them from a
temporary table `label` that `install_labels` creates on a (read-only) connection:

    dimension  indicator | geo | industry | product
    scope      product codes only: the indicator family they belong to (EXPORTS, IMPORTS,
               CPI, ...), since `_T` is "all goods" for exports and "all items" for the CPI;
               '' for the items of the GSO table catalogue's lists (flows/reference/gso_items)
    code       the code as it appears in `series`
    name_vi    a Vietnamese name (may be empty)
    name_en    an English name (may be empty)
    aliases    every spelling the reference files know, both languages, for text search
    position   the order of the reference file (VSIC order for industries)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from flows.core import catalogue
from flows.core.reference import read_rows
from flows.core.territories import territories
from flows.core.text import has_diacritics
from warehouse.indicator_names import derived_names

# Indicators that no reference file names (GSO's quantity tables share the value tables'
# commodities; World Bank and SDMX files name series, not indicators).
UNNAMED_INDICATORS = {
    "EXPORTS_QTY": ("lượng hàng xuất khẩu", "Goods exports (quantity)"),
    "IMPORTS_QTY": ("lượng hàng nhập khẩu", "Goods imports (quantity)"),
    "GDP": ("tổng sản phẩm trong nước", "Gross domestic product"),
    "MANUF_EXPORTS": ("xuất khẩu hàng chế tạo", "Manufactured exports"),
    "FDI_NET_INFLOWS": ("vốn FDI ròng", "Foreign direct investment, net inflows"),
    "EXR": ("tỷ giá", "Exchange rate"),
    "COMMODITY_PRICE": ("giá hàng hoá thế giới", "World commodity price"),
}

COLUMNS = ["dimension", "scope", "code", "name_vi", "name_en", "aliases", "position"]


@dataclass
class _Label:
    name_vi: str = ""
    name_en: str = ""
    aliases: list[str] = field(default_factory=list)


class _Labels:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str], _Label] = {}

    def add(self, dimension: str, code: str, scope: str = "", vi: str = "", en: str = "",
            aliases: tuple[str, ...] = ()) -> None:
        label = self.rows.setdefault((dimension, scope, code), _Label())
        label.name_vi = label.name_vi or vi
        label.name_en = label.name_en or en
        for text in (vi, en, *aliases):
            if text and text not in label.aliases:
                label.aliases.append(text)

    def frame(self) -> pd.DataFrame:
        records = [
            (dimension, scope, code, label.name_vi, label.name_en, " | ".join(label.aliases), n)
            for n, ((dimension, scope, code), label) in enumerate(self.rows.items())
        ]
        return pd.DataFrame.from_records(records, columns=COLUMNS)


def labels() -> pd.DataFrame:
    """Every code's names and aliases, one row per (dimension, scope, code)."""
    out = _Labels()
    for row in read_rows("vsic.csv"):
        out.add("industry", row["code"], vi=row["name_vi"], en=row["name_en"])
    _add_places(out)
    for row in read_rows("commodities.csv"):
        alias = row["alias"]
        out.add("product", row["code"], scope=row["flow"],
                vi=alias if has_diacritics(alias) else "", en=row["name_en"], aliases=(alias,))
    for row in read_rows("cpi_groups.csv"):
        alias, indicator = row["alias"], row["indicator"]
        vi = alias if has_diacritics(alias) else ""
        out.add("product", row["code"], scope=indicator, vi=vi, en=row["name_en"],
                aliases=(alias,))
        if row["code"] == "_T":  # the all-items row names the indicator itself
            out.add("indicator", indicator, vi=vi, en=row["name_en"], aliases=(alias,))
    for row in read_rows("prose_indicators.csv"):
        note = row["notes"]  # "Goods exports (value); items of a list are commodities"
        out.add("indicator", row["indicator"], vi=row["phrase"], en=note.split(";")[0],
                aliases=(note,))
    _add_catalogue(out)
    for code, (vi, en) in UNNAMED_INDICATORS.items():
        out.add("indicator", code, vi=vi, en=en)
    for row in read_rows("worldbank_indicators.csv"):  # names of series, not of the indicator
        out.add("indicator", row["indicator"], aliases=(row["name_en"], row["wb_id"]))
    for row in read_rows("sdmx_datasets.csv"):
        out.add("indicator", row["indicator"], aliases=(row["dataset"], row["flow_ref"]))
    return out.frame()


def _add_places(out: _Labels) -> None:
    """Territories first, so a name carries the dates of its borders where they changed
    ("Hải Phòng (từ 1/7/2025)"); then every spelling places.csv knows."""
    for t in territories().values():
        out.add("geo", t.geo, vi=t.label_vi, en=t.label_en,
                aliases=(t.name_vi, t.name_en, *_run_together(t.name_en)))
    for row in read_rows("places.csv"):
        out.add("geo", row["geo"], vi=row["name"], en=row["name_en"],
                aliases=_run_together(row["name_en"]))


def _run_together(name: str) -> tuple[str, ...]:
    """An English place name also written as one word: "Viet Nam" is often "Vietnam", "Hai
    Phong" "Haiphong", "Ha Noi" "Hanoi" (a search folds case, so one spelling is enough)."""
    joined = name.replace(" - ", "").replace(" ", "")
    return (joined,) if joined != name else ()


def _add_catalogue(out: _Labels) -> None:
    """The GSO workbook's table kinds (their indicators) and the items of their lists. An
    indicator several kinds share is named by the broadest, which the catalogue lists last
    (a narrower kind comes first): `PPI` is "Producer price indexes", not the 2011-2017
    agricultural table's description; the others' are aliases."""
    for kind in reversed(catalogue.table_kinds()):
        out.add("indicator", kind.indicator, en=kind.description, aliases=(kind.kind,))
    printed = {r["code"]: r["name_vi"] for r in read_rows("gso_item_names.csv")}
    for (_, _, label), item in catalogue.items().items():
        # (a list's total, `_T`, is named by the indicator's own scoped label, if any)
        if item.dimension == "product" and item.value != "_T":
            name = printed.get(item.value) or label[:1].upper() + label[1:]
            out.add("product", item.value, vi=name, aliases=(label,))


def install_labels(con: duckdb.DuckDBPyConnection) -> None:
    """Create the temporary table `label` on `con` (allowed on a read-only connection), with
    names for the warehouse's indicators that extend a named one (warehouse.indicator_names)."""
    frame = labels()
    con.register("label_frame", _with_derived(con, frame))
    try:
        con.execute("create or replace temp table label as select * from label_frame")
    finally:
        con.unregister("label_frame")


def _with_derived(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> pd.DataFrame:
    indicators = frame[frame["dimension"] == "indicator"]
    named = {code: (vi, en) for code, vi, en in zip(
        indicators["code"], indicators["name_vi"], indicators["name_en"], strict=True)}
    try:
        found = [code for (code,) in con.execute(
            "select distinct indicator from series").fetchall() if code not in named]
    except duckdb.CatalogException:  # not a warehouse (yet)
        return frame
    derived = derived_names(found, named)
    rows = pd.DataFrame.from_records(
        [("indicator", "", code, vi, en, "", len(frame) + n)
         for n, (code, (vi, en)) in enumerate(sorted(derived.items()))], columns=COLUMNS)
    return pd.concat([frame, rows], ignore_index=True) if len(rows) else frame
