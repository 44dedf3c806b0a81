"""Checks on the reference tables in flows/reference/ (label aliases and the codes they map to).

The extended test re-reads every GSO workbook in ../shared/releases/gso and checks that each row
label of the four tables chiso reads (IIP or the older gross output, exports, imports, CPI) has
an alias. Its scanner is deliberately small and independent of flows.readers: it finds a table
by the title in its first rows, takes the rows from the first to the last one with figures, and
reads each row's label as the innermost text left of its first figure.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from flows.core.text import fold
from flows.readers.workbook.tcvn3 import looks_tcvn3, tcvn3_throughout, to_unicode

REFERENCE = Path(__file__).parents[1] / "flows" / "reference"
RELEASES = Path(__file__).parents[2] / "shared" / "releases" / "gso"

HEADERS = {
    "vsic.csv": ["code", "level", "parent", "name_vi", "name_en"],
    "industry_aliases.csv": ["alias", "code"],
    "commodities.csv": ["flow", "section", "alias", "code", "qty_unit", "name_en", "parent"],
    "cpi_groups.csv": ["alias", "indicator", "code", "parent", "name_en"],
}
ALIAS_FILES = ("industry_aliases.csv", "commodities.csv", "cpi_groups.csv")
FLOWS = ("EXPORTS", "IMPORTS")
SECTIONS = ("total", "sector", "commodity")
INDICATORS = ("CPI", "GOLD_PRICE", "USD_PRICE", "CORE_INFLATION")
VSIC_LEVELS = {"total", "aggregate", "section", "division", "group", "class"}
QTY_UNITS = {"", "THOUS_T", "UNIT"}
CODE = re.compile(r"^[A-Z0-9_]+$")


@cache
def table(name: str) -> tuple[dict[str, str], ...]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def codes_of(rows: Iterable[dict[str, str]], *fields: str) -> dict[tuple[str, ...], set[str]]:
    """The codes each key (the given fields) maps to."""
    found: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for row in rows:
        found[tuple(row[f] for f in fields)].add(row["code"])
    return found


def check_grouped_and_sorted(
    rows: Iterable[dict[str, str]], group: Callable[[dict[str, str]], Any]
) -> None:
    """The rows of one group are contiguous, their aliases in order (the groups' own order is
    checked by the callers)."""
    seen: list[Any] = []
    previous: dict[str, str] | None = None
    for row in rows:
        key = group(row)
        if previous is not None and group(previous) == key:
            assert previous["alias"] < row["alias"], f"aliases out of order: {previous} {row}"
        else:
            assert key not in seen, f"rows of {key} are not together (at {row})"
            seen.append(key)
        previous = row


# --- file-level checks ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_header_is_exact(name: str) -> None:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == HEADERS[name]
        assert all(len(row) == len(HEADERS[name]) for row in csv.reader(f))


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_cells_have_no_stray_spaces(name: str) -> None:
    bad = [row for row in table(name) if any(v != v.strip() or "  " in v for v in row.values())]
    assert not bad


@pytest.mark.parametrize("name", ALIAS_FILES)
def test_aliases_are_folded(name: str) -> None:
    bad = [
        row["alias"]
        for row in table(name)
        if not row["alias"] or fold(row["alias"]) != row["alias"]
    ]
    assert not bad, f"aliases that fold() changes: {bad}"


# --- vsic.csv ---------------------------------------------------------------------------------


def test_vsic_codes_and_hierarchy() -> None:
    rows = table("vsic.csv")
    by_code = {row["code"]: row for row in rows}
    assert len(by_code) == len(rows), "duplicate codes"
    assert by_code["_T"] == {
        "code": "_T",
        "level": "total",
        "parent": "",
        "name_vi": "Toàn ngành công nghiệp",
        "name_en": "Total industry (sections B-E)",
    }
    sections = [row["code"] for row in rows if row["level"] == "section"]
    assert sections == [chr(c) for c in range(ord("A"), ord("U") + 1)]
    divisions = [row for row in rows if row["level"] == "division"]
    assert len(divisions) == 88  # ISIC Rev.4 = VSIC 2018 level 2
    for row in rows:
        assert row["level"] in VSIC_LEVELS and CODE.match(row["code"]) and row["name_vi"], row
        assert row["name_en"], row
        if row["level"] == "division":
            assert re.fullmatch(r"\d\d", row["code"]) and row["parent"] in sections, row
        if row["level"] in ("group", "class"):
            assert row["code"].startswith(by_code[row["parent"]]["code"]), row
            assert len(row["code"]) == {"group": 3, "class": 4}[row["level"]], row
        assert row["parent"] == "" or row["parent"] in by_code, row


# --- industry_aliases.csv ---------------------------------------------------------------------


def test_industry_aliases_map_to_one_code() -> None:
    twice = {
        k: v for k, v in codes_of(table("industry_aliases.csv"), "alias").items() if len(v) > 1
    }
    assert not twice


def test_industry_codes_exist_in_vsic() -> None:
    vsic = {row["code"] for row in table("vsic.csv")}
    unknown = [row for row in table("industry_aliases.csv") if row["code"] not in vsic]
    assert not unknown


def test_industry_aliases_grouped_by_code_in_vsic_order() -> None:
    order = {row["code"]: i for i, row in enumerate(table("vsic.csv"))}
    check_grouped_and_sorted(table("industry_aliases.csv"), lambda row: row["code"])
    ranks = [order[row["code"]] for row in table("industry_aliases.csv")]
    assert ranks == sorted(ranks)


# --- commodities.csv --------------------------------------------------------------------------


def test_commodity_rows_are_well_formed() -> None:
    for row in table("commodities.csv"):
        assert row["flow"] in FLOWS and row["section"] in SECTIONS, row
        assert CODE.match(row["code"]) and row["qty_unit"] in QTY_UNITS and row["name_en"], row


def test_commodity_aliases_map_to_one_code() -> None:
    rows = table("commodities.csv")
    keys = codes_of(rows, "flow", "section", "parent", "alias")
    assert not {k: v for k, v in keys.items() if len(v) > 1}
    # An alias used for several codes in one flow and section is told apart by its parent.
    parents = defaultdict(list)
    for row in rows:
        parents[row["flow"], row["section"], row["alias"]].append(row["parent"])
    for key, found in parents.items():
        assert len(found) == 1 or ("" not in found and len(set(found)) == len(found)), key


def test_each_commodity_code_has_one_name_parent_section_and_unit() -> None:
    rows = table("commodities.csv")
    for field in ("name_en", "parent", "section"):
        values = defaultdict(set)
        for row in rows:
            values[row["code"]].add(row[field])
        assert not {c: v for c, v in values.items() if len(v) > 1}, field
    units = defaultdict(set)
    for row in rows:
        units[row["flow"], row["code"]].add(row["qty_unit"])
    assert not {k: v for k, v in units.items() if len(v) > 1}


def test_commodity_parents_exist() -> None:
    rows = table("commodities.csv")
    top = {(r["flow"], r["section"], r["code"]) for r in rows if not r["parent"]}
    orphans = [r for r in rows if r["parent"] and (r["flow"], r["section"], r["parent"]) not in top]
    assert not orphans


def test_commodities_grouped_and_sorted() -> None:
    check_grouped_and_sorted(
        table("commodities.csv"),
        lambda r: (FLOWS.index(r["flow"]), SECTIONS.index(r["section"]), r["code"]),
    )
    ranks = [
        (FLOWS.index(r["flow"]), SECTIONS.index(r["section"])) for r in table("commodities.csv")
    ]
    assert ranks == sorted(ranks)


# --- cpi_groups.csv ---------------------------------------------------------------------------


def test_cpi_rows_are_well_formed() -> None:
    rows = table("cpi_groups.csv")
    assert not {k: v for k, v in codes_of(rows, "alias").items() if len(v) > 1}
    names = defaultdict(set)
    for row in rows:
        assert row["indicator"] in INDICATORS and CODE.match(row["code"]) and row["name_en"], row
        assert row["indicator"] == "CPI" or row["code"] == "_T", row
        names[row["indicator"], row["code"]].add((row["name_en"], row["parent"]))
    assert not {k: v for k, v in names.items() if len(v) > 1}, "one name and parent per code"


def test_cpi_parents_exist() -> None:
    rows = table("cpi_groups.csv")
    codes = {(r["indicator"], r["code"]) for r in rows}
    for row in rows:
        assert (row["parent"] == "") == (row["code"] == "_T"), row
        assert row["parent"] == "" or (row["indicator"], row["parent"]) in codes, row


def test_cpi_grouped_and_sorted() -> None:
    check_grouped_and_sorted(table("cpi_groups.csv"), lambda r: (r["indicator"], r["code"]))
    ranks = [INDICATORS.index(r["indicator"]) for r in table("cpi_groups.csv")]
    assert ranks == sorted(ranks)



# --- gso_items/ ----------------------------------------------------------------------------------


def item_lists() -> list[str]:
    return [f"gso_items/{p.name}" for p in sorted((REFERENCE / "gso_items").glob("*.csv"))]


@pytest.mark.parametrize("name", item_lists())
def test_a_province_row_is_coded_as_a_place(name: str) -> None:
    """A row naming a province is a geography, coded as places.csv codes it: coded as a product
    (Hà Tây was `HA_TAY` in six lists until December 2026), its figures went under the whole
    country's key beside a product "HA_TAY", and a query for the province missed them. The
    whole country's rows ("cả nước") are the list's total."""
    places = {fold(row["name"]): row["geo"] for row in table("places.csv")}
    wrong = [(row["label"], row["code"], places[row["label"]]) for row in table(name)
             if places.get(row["label"], "VN") != "VN"
             and row["code"] != f"geo:{places[row['label']]}"]
    assert not wrong, f"{name}: rows naming a province, not coded geo:<places.csv code>: {wrong}"


# Words a wording may add or drop without naming another item: "Xăng dầu" and "Xăng dầu các
# loại", "Giày dép" and "Giày dép các loại", "Giáo dục, đào tạo" and "Giáo dục và đào tạo".
FUNCTION_WORDS = frozenset({"VA", "CAC", "LOAI", "CUA"})


@pytest.mark.parametrize("name", item_lists())
def test_one_item_has_one_code(name: str) -> None:
    """Two codes of one list that differ only in function words are one item under two keys:
    a month that writes "và" would start a series of its own, and its figures would never be
    vintages of the others' (29 such pairs were merged in December 2026)."""
    by_words: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for row in table(name):
        code = row["code"]
        if ":" not in code and not code.startswith("_"):
            by_words[tuple(w for w in code.split("_") if w not in FUNCTION_WORDS)].add(code)
    assert [sorted(codes) for codes in by_words.values() if len(codes) > 1] == []


@pytest.mark.parametrize("name", [*item_lists(), "nsdp_indicators.csv", "gso_totals.csv"])
def test_industry_codes_of_items_are_vsic_codes(name: str) -> None:
    """An item coded `industry:<code>` (the producer price rows, ppi.csv), an NSDP indicator's
    industry and a total standing for an industry are codes of vsic.csv, whose names label
    them in queries."""
    vsic = {row["code"] for row in table("vsic.csv")}
    codes = [row.get("code") or row.get("total") or "" for row in table(name)]
    named = [code.partition(":")[2] for code in codes if code.startswith("industry:")]
    named += [row["industry"] for row in table(name) if row.get("industry", "_Z") != "_Z"]
    assert named or name != "gso_items/ppi.csv"
    assert sorted(set(named) - vsic) == []


# --- unit codes ----------------------------------------------------------------------------------

# Where each reader's unit codes are written: (file, column, the rows that are units).
UNIT_COLUMNS: tuple[tuple[str, str, Callable[[dict[str, str]], bool]], ...] = (
    ("gso_units.csv", "unit", lambda r: True),
    ("gso_tables.csv", "unit", lambda r: True),
    ("gso_columns.csv", "unit", lambda r: True),
    ("commodities.csv", "qty_unit", lambda r: True),
    ("nsdp_indicators.csv", "unit", lambda r: True),
    ("worldbank_indicators.csv", "unit", lambda r: True),
    ("prose_indicators.csv", "unit", lambda r: True),
    ("prose_phrases.csv", "code", lambda r: r["kind"] == "unit"),
    ("sdmx_codes.csv", "chiso", lambda r: r["concept"] == "UNIT"),
)


def written_units() -> dict[str, set[str]]:
    """Every unit code chiso's readers write, with where it comes from: the reference files, and
    what the SDMX and NSDP readers build from a currency or an NSDP suffix and a UNIT_MULT."""
    found: dict[str, set[str]] = defaultdict(set)
    items = [(f"gso_items/{p.name}", "unit", lambda r: True)
             for p in sorted((REFERENCE / "gso_items").glob("*.csv"))]
    for name, column, wanted in (*UNIT_COLUMNS, *items):
        for row in table(name):
            if row[column] and wanted(row):
                found[row[column]].add(name)
    for code, reader in built_units():
        found[code].add(reader)
    return found


def built_units() -> Iterator[tuple[str, str]]:
    """The units the SDMX reader builds for VND and USD, and the NSDP reader for its suffixes,
    at every UNIT_MULT each knows."""
    from flows.normalise.nsdp import MULTIPLIER_PREFIX, SUFFIX_UNITS, provider_unit
    from flows.normalise.sdmx import unit_code

    for power in (r["code"] for r in table("sdmx_codes.csv") if r["concept"] == "UNIT_MULT"):
        for currency in ("VND", "USD"):
            yield unit_code(currency, power) or "", "SDMX reader"
    for power in ("0", *MULTIPLIER_PREFIX):
        for suffix in SUFFIX_UNITS:
            yield provider_unit(f"X_{suffix}", {"UNIT_MULT": power}), "NSDP reader"


def unit_words(code: str) -> tuple[tuple[int, tuple[str, ...]], ...]:
    """What a unit code says, whatever the order of its words and however its multiplier is
    spelt: each side of a _PER_ as a power of ten and its other words sorted. VND_BN and BN_VND
    say the same; so do VND_TN and THOUS_BN_VND (SDMX's TH, MN, BN, TN and the NSDP's THOUS)."""
    names = {r["chiso"]: int(r["code"]) for r in table("sdmx_codes.csv")
             if r["concept"] == "UNIT_MULT" and r["chiso"]}
    names["THOUS"] = 3
    sides = []
    for side in code.split("_PER_"):
        words = side.split("_")
        sides.append((sum(names.get(w, 0) for w in words),
                      tuple(sorted(w for w in words if w not in names))))
    return tuple(sides)


def test_each_unit_has_one_code() -> None:
    """The unit ends the series key: a unit spelt two ways files one series under two keys, which
    v_conflicts never compares (the prose reader's VND_BN against the workbooks' BN_VND)."""
    by_words: dict[tuple[tuple[int, tuple[str, ...]], ...], set[str]] = defaultdict(set)
    found = written_units()
    for code in found:
        by_words[unit_words(code)].add(code)
    assert {"BN_VND", "USD_MN", "THOUS_T", "PCT", "INDEX"} <= set(found)
    spelt_twice = {tuple(sorted(codes)): [sorted(found[c]) for c in sorted(codes)]
                   for codes in by_words.values() if len(codes) > 1}
    assert spelt_twice == {}


# --- extended: every label in every archived GSO workbook -------------------------------------

# Rows of the 2000 and 2008 gross-output tables that split the total by ownership, level of
# management or ministry: they are not industries, so industry_aliases.csv leaves them out.
GROSS_OUTPUT_BREAKDOWN = frozenset(
    {
        "bộ công nghiệp",
        "bộ nông nghiệp và ptnn",
        "bộ xây dựng",
        "các bộ, ngành khác",
        "các ngành khác",
        "chia theo khu vực",
        "công nghiệp của một số bộ, ngành và địa phương",
        "công nghiệp trung ương",
        "công nghiệp địa phương",
        "dầu mỏ và khí đốt",
        "khu vực có vốn đầu tư nước ngoài",
        "khu vực doanh nghiệp nhà nước",
        "khu vực ngoài nhà nước",
        "khu vực ngoài quốc doanh",
        "các doanh nghiệp khác",
        "kinh tế có vốn đầu tư nước ngoài",
        "ngoài nhà nước",
        "nhà nước địa phương quản lý",
        "phân theo cấp quản lý",
        "phân theo khu vực",
        "t.cty dầu mỏ và khí đốt",
        "trung ương",
        "và thành phần kinh tế",
        "địa phương",
    }
)
KINDS = {
    "IIP": "IIP",
    "GROSS_OUTPUT": "IIP",
    "EXPORTS": "EXPORTS",
    "IMPORTS": "IMPORTS",
    "CPI": "CPI",
}
TRADE_TITLES = {
    "EXPORTS": (r"xuất khẩu|exports? of goods", r"nhập|import"),
    "IMPORTS": (r"nhập khẩu|imports? of goods", r"xuất|export"),
}
MAIN_ITEMS = re.compile(r"^([a-z]\.\s*)?(mặt hàng chủ yếu|main items)$")  # starts the commodities
SUB_ITEM = re.compile(r"^\s*(trong đó|tđ|of which)\s*:", re.IGNORECASE)
# "4. (Tiếp theo) Giá trị sản xuất công nghiệp": the table's title and header repeated
# down the sheet (2001-2004, September 2012); its rows up to the next figures are not labels.
CONTINUATION = re.compile(r"\(tiếp theo\)")
# Where a gross-output table turns to provinces: "Công nghiệp trên địa bàn ..." (2000, 2008),
# "Công nghiệp của một số / địa phương" over two rows (2001-2004).
BY_PROVINCE = re.compile(r"trên địa bàn|^công nghiệp của một số$")
MONTH_ROW = re.compile(r"tháng \d{1,2}")  # December 2004 "Giathang": one month a row
CONTINUED = re.compile(r"^\s*[(a-zđ]")  # a label that goes on from the text-only rows above it


def table_kind(title: str, subtitle: str) -> str | None:
    """Which of our tables a sheet holds, from its title (the English edition included)."""
    text = fold(title)
    if re.search(r"chỉ số giá tiêu dùng|consumer price index", text):
        return "CPI"
    if re.search(r"chỉ số giá|price index|dịch vụ|services", text):
        return None
    if re.search(
        r"(chỉ số|giá trị) sản xuất công nghiệp|index of industrial production|\biip\b", text
    ):
        if re.search(r"địa bàn|tỉnh|địa phương|province", f"{text} {fold(subtitle)}"):
            return None
        return "GROSS_OUTPUT" if "giá trị sản xuất" in text else "IIP"
    for kind, (own, other) in TRADE_TITLES.items():
        if re.search(own, text) and not re.search(other, text):
            return kind
    return None


def is_figure(cell: object) -> bool:
    """A number that is not a year in a header row."""
    if not isinstance(cell, int | float) or isinstance(cell, bool):
        return False
    return not (float(cell).is_integer() and 1990 <= cell <= 2035)


def first_figure(row: list[Any]) -> int | None:
    return next((c for c in range(1, min(len(row), 7)) if is_figure(row[c])), None)


def row_label(row: list[Any], stop: int) -> str | None:
    texts = [c for c in row[:stop] if isinstance(c, str) and c.strip()]
    return texts[-1] if texts else None


def decoded(grid: list[list[Any]], legacy: bool) -> list[list[Any]]:
    """The grid with TCVN3 text converted as the reader converts it: a sheet is TCVN3
    throughout only when no text on it is Unicode (the September 2012 trade tables have a
    TCVN3 title over Unicode "Chè", "Bông", "Ô tô"), else each cell that looks TCVN3."""
    if not legacy:
        return grid
    throughout = tcvn3_throughout({c for r in grid for c in r if isinstance(c, str)})
    return [
        [to_unicode(c, assume_tcvn3=throughout)
         if isinstance(c, str) and (throughout or looks_tcvn3(c)) else c for c in r]
        for r in grid
    ]


def workbook_tables(path: Path) -> Iterator[tuple[str, str, list[list[Any]]]]:
    """(sheet, kind, grid) of each table of ours in the workbook."""
    workbook = CalamineWorkbook.from_path(str(path))
    for sheet in workbook.sheet_names:
        grid = workbook.get_sheet_by_name(sheet).to_python()
        texts = [c for r in grid[:6] for c in r if isinstance(c, str) and c.strip()][:2]
        if not texts:
            continue
        legacy = looks_tcvn3(texts[0])
        head = [to_unicode(t, assume_tcvn3=True) for t in texts] if legacy else texts
        kind = table_kind(head[0], head[-1])
        if kind:
            yield sheet, kind, decoded(grid, legacy)


def body(grid: list[list[Any]]) -> Iterator[tuple[str, bool]]:
    """(label, has figures) of each labelled row from the first to the last row with figures."""
    data = [i for i, r in enumerate(grid) if (c := first_figure(r)) and row_label(r, c)]
    for row in grid[data[0] : data[-1] + 1] if data else []:
        column = first_figure(row)
        label = row_label(row, column or 3)
        if label:
            yield label, column is not None


def labels(grid: list[list[Any]], kind: str) -> Iterator[tuple[str, str, str]]:
    """(section, alias, label) of each row label; a label wrapped over several rows is given
    piece by piece and joined."""
    section, pending, continued = "total", [], False
    for label, has_figures in body(grid):
        alias = fold(label)
        if kind == "GROSS_OUTPUT" and BY_PROVINCE.search(alias):
            return  # the by-province part, out of scope
        if CONTINUATION.search(alias):
            continued = True  # the table goes on under its title and header again
        if continued:
            if not has_figures:
                continue
            continued = False
        if kind in TRADE_TITLES and MAIN_ITEMS.match(alias):
            section, pending = "commodity", []
            continue
        yield section, alias, label
        if not has_figures:
            pending.append(label)
            continue
        if pending and CONTINUED.match(label) and not SUB_ITEM.match(label):
            joined = " ".join([*pending, label])
            yield section, fold(joined), joined
        pending = []
        if section == "total":
            section = "sector"


def trade_missing(kind: str, found: Iterable[tuple[str, str, str]]) -> Iterator[str]:
    """Labels with no alias; a sub-item must sit under its parent."""
    index: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for row in table("commodities.csv"):
        index[row["flow"], row["section"], row["alias"]][row["parent"]] = row["code"]
    context = ""
    for section, alias, label in found:
        candidates = index.get((kind, section, alias), {})
        parent = context if len(candidates) > 1 else next(iter(candidates), "")
        if parent not in candidates:
            yield f"{kind}/{section}: {label!r}"
        elif parent == "":
            context = candidates[parent]
        elif parent != context:
            yield f"{kind}/{section}: {label!r} is not under {parent}"


def missing_labels(kind: str, grid: list[list[Any]]) -> Iterator[str]:
    found = list(labels(grid, kind))
    if len(found) > 1 and all(MONTH_ROW.fullmatch(alias) for _, alias, _ in found):
        return  # rows are months, not items: the reader quarantines it whole (layout-not-read)
    if kind in TRADE_TITLES:
        yield from trade_missing(kind, found)
        return
    known = {
        row["alias"] for row in table("cpi_groups.csv" if kind == "CPI" else "industry_aliases.csv")
    }
    if kind == "GROSS_OUTPUT":
        known |= GROSS_OUTPUT_BREAKDOWN
    yield from (f"{KINDS[kind]}: {label!r}" for _, alias, label in found if alias not in known)


@pytest.mark.extended
def test_every_published_label_has_an_alias() -> None:
    if not RELEASES.is_dir():
        pytest.skip(f"{RELEASES} is absent (the shared release archive is for developers and CI)")
    missing: Counter[str] = Counter()
    where: dict[str, str] = {}
    incomplete = []
    for path in sorted(RELEASES.glob("*.xls*")):
        kinds = set()
        for sheet, kind, grid in workbook_tables(path):
            kinds.add(KINDS[kind])
            for problem in missing_labels(kind, grid):
                missing[problem] += 1
                where.setdefault(problem, f"{path.name} [{sheet}]")
        if kinds != {"IIP", "EXPORTS", "IMPORTS", "CPI"}:
            incomplete.append(f"{path.name}: found only {sorted(kinds)}")
    report = [f"{p}  ({n}x, first in {where[p]})" for p, n in sorted(missing.items())]
    assert not incomplete, "workbooks missing one of the four tables:\n" + "\n".join(incomplete)
    assert not report, f"{len(report)} labels with no alias:\n" + "\n".join(report)
