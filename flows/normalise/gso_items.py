"""Turn the GSO tables whose rows are items of a list (products, provinces, enterprise
categories, transport modes, GDP components ...) into canonical observations.

Each row label goes through the table's item list (flows/reference/gso_items/) under the
heading it sits below; a label the list does not know is quarantined as `unknown-label`. An
item coded `indicator:X` or `variable:X` opens a section instead: the rows below belong to
indicator X ("A. HÀNH KHÁCH" over passenger rows in a table of passengers and freight), or
extend the indicator by X ("I. Vận chuyển (Nghìn HK)", "B. TRIỆU TẤN.KM"), until the next
such row; the units written in its value cells ("Nghìn HK | Triệu HK.km") are those columns'. An
item coded `part:X` is a part of the item named above it ("- Trung ương" under "Than": the coal
of centrally managed state enterprises): the item's figures, the indicator extended by X. Each
column's header names a period and measure (flows/readers/workbook/headers.py) and may name a
variable ("Số dự án", "Vốn đăng ký") that extends the indicator (gso_columns.csv). A level's
unit comes from the item, the row's unit cell, the column's header (a unit in brackets in its
text or in a cell of its own over it), the column's variable or the table, in that order; a
unit the row states of another size than its item's wins over the item's (row_unit_of).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache

from flows.core import catalogue, sdmx_catalog
from flows.core.catalogue import TableKind
from flows.core.model import Observation, Rejected, observation
from flows.core.periods import Period, month, names_period, parse_period, shift_years
from flows.core.territories import not_in_force, territory_in_force
from flows.core.text import fold
from flows.normalise.gso_figures import measure_unit, number, status
from flows.normalise.gso_month_rows import months_by_year, normalise_months_by_year
from flows.readers.workbook.headers import Column, interpret, unit_of
from flows.readers.workbook.tables import Row, Table, title_key
from flows.readers.workbook.xlsx_cells import cell_name, column_letters

GEO_VIETNAM = "VN"
NOT_APPLICABLE = "_Z"


@dataclass(frozen=True)
class Place:
    """Where a row's figures go: geography, industry, product and partner codes, and the
    level's unit."""

    geo: str = GEO_VIETNAM
    industry: str = NOT_APPLICABLE
    product: str = NOT_APPLICABLE
    partner: str = NOT_APPLICABLE
    unit: str = ""


def normalise_items(
    table: Table, kind: TableKind, reference_period: Period,
) -> tuple[list[Observation], list[Rejected]]:
    """Observations and rejects of one item table."""
    if periods_as_rows(table):
        return _normalise_period_rows(table, kind, reference_period)
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    table = _with_kind_period(table, kind.kind)
    if table.title_period is not None and any(c.period is None for c in table.columns):
        table = replace(table, columns=[_dated(c, table) for c in table.columns])
    title = title_key(table.title)
    negative = _negative_figures(table)
    plans = [_plan(table, kind, column, title, reference_period, negative.get(column.index))
             for column in table.columns]
    # The indicator and the fallback unit of each column's levels, by section (by id(): a
    # Section holds a dict, so it does not hash; each is kept here, so no id is reused). A
    # section comes back where `part:` rows alternate ("Than | - Trung ương | - Địa phương |
    # Dầu thô | - Trung ương ...").
    sections: dict[int, tuple[Section, list[_Stem]]] = {}
    last: Section | None = None
    for row, place, section in _rows(table, kind, rejected):
        if section is not last:
            if (known := sections.get(id(section))) is None:
                known = sections[id(section)] = (
                    section, [_stem(table, kind, section, plan) for plan in plans])
            last, stems = section, known[1]
        _row_figures(table, row, place, stems, observations, rejected)
    return observations, rejected


def _row_figures(
    table: Table, row: Row, place: Place, stems: list[_Stem],
    observations: list[Observation], rejected: list[Rejected],
) -> None:
    """The observations and rejects of one row's cells, added to the table's."""
    number_, values = str(row.number + 1), row.values
    row_unit = _row_unit(place.unit, row.unit, row.label)
    geo, industry, product, partner = place.geo, place.industry, place.product, place.partner
    national = geo == GEO_VIETNAM  # in force in every period: nothing to look up
    # The figures' series keys (series_key_of) are made of where the row's figures go, worked
    # out once a row (once a cell for a province, whose territory depends on the period),
    # and the column's indicator, measure and unit.
    where = f"{geo}.{industry}.{product}.{partner}"
    for index, column_ref, unread, period, status_, indicator, section_unit, measures, plan, \
            column_product in stems:
        cell = values.get(index, "")
        if isinstance(cell, float):  # most cells: a figure as it is
            value = cell
        elif cell == "" or cell.strip() in NO_FIGURE:
            continue
        else:
            parsed = number(cell)
            if not isinstance(parsed, float):
                ref = column_ref + number_
                rejected.append(Rejected(
                    table.sheet, ref, row.label, str(cell), "value-unparseable",
                    f"{ref}: {cell!r} is not a number"))
                continue
            value = parsed
        ref = column_ref + number_
        if unread:
            rejected.append(_unread(table, plan, row, ref, value))
            continue
        assert period is not None  # a column without one is unread
        in_force = geo if national else _in_force(geo, period.start, period.end)
        if in_force is None:
            rejected.append(_no_territory(table.sheet, ref, row, value, geo, period))
            continue
        here = where if in_force == geo else f"{in_force}.{industry}.{product}.{partner}"
        figure_product = product
        if column_product and product == TOTAL:  # the column names what the total is of
            figure_product = column_product
            here = f"{in_force}.{industry}.{column_product}.{partner}"
        level_unit = row_unit or section_unit
        for measure, unit, rate, shouted in measures:
            unit = unit or level_unit
            if not unit:
                rejected.append(Rejected(
                    table.sheet, ref, row.label, str(value), "unit-unknown",
                    f"{ref}: the unit of {row.label!r} ({row.unit or 'none written'}) is "
                    "not in flows/reference/gso_units.csv, and neither the item, the column "
                    "nor the table gives one; add it there"))
                break
            observations.append(observation(
                indicator, in_force, industry, figure_product, partner, measure, unit, period,
                _plus_100(value) if rate else value, status_, ref, None,
                f"{indicator}.{here}.{shouted}.{unit}"))


def _written(unit: str, label: str) -> str:
    """The unit a row of unit cell `unit` and label `label` states, in that cell or closing
    its label; '' for none."""
    return (unit and catalogue.units().get(fold(unit), "")) or label_unit(label)


@lru_cache(maxsize=1 << 14)  # rows repeat their unit cells and labels, month after month
def _row_unit(listed: str, unit: str, label: str) -> str:
    """The unit of the levels of a row of unit cell `unit` and label `label`, whose item lists
    `listed` (row_unit_of): one lookup a row, where working it out was four calls (the
    58,836 item rows of the 125 shared workbooks hold 1,939 different ones)."""
    return row_unit_of(listed, _written(unit, label))


@lru_cache(maxsize=1 << 10)
def row_unit_of(listed: str, written: str) -> str:
    """The unit of a row's levels, from its item's unit in the list and the one the row states.

    The list's names the item's unit (cars in "nghìn chiếc", THOUS_UNIT, where a workbook
    writes "nghìn cái"), and stands where a unit column slipped a row (March 2024's disaster
    rows: "Ha" beside the people injured, "Cái" beside the crops damaged); a written unit of
    another size wins, as the figures are in it (December 2020's hungry, 16,892 people where
    the other tables give thousands)."""
    if not written or not listed:
        return listed or written
    return written if _magnitude(written) != _magnitude(listed) else listed


def _magnitude(unit: str) -> int:
    """The power of ten a unit code's multiplier words make: THOUS_PERSONS 3, USD_MN 6,
    THOUS_BN_VND 12, PERSONS 0."""
    words = _multipliers()
    return sum(words.get(word, 0) for word in unit.split("_PER_")[0].split("_"))


@cache
def _multipliers() -> dict[str, int]:
    """The multiplier words of chiso's unit codes and their powers of ten: the UNIT_MULT words
    of sdmx_codes.csv (MN 6, BN 9, TN 12), and THOUS, which the workbooks' units spell out."""
    found = {word: int(power) for (concept, power), word in sdmx_catalog.codes().items()
             if concept == "UNIT_MULT" and word}
    return {**found, "THOUS": 3}


# A measure of a column: its name, its fixed unit ('' for the level's), whether a figure is a
# rate of increase to store as its index, and its name in capitals for the series key.
_Measure = tuple[str, str, bool, str]


# Not frozen: a frozen class sets each field through object.__setattr__, and a plan is made
# for each of the 10,000 columns of the shared workbooks' item tables (and never changed).
@dataclass(slots=True)
class _Plan:
    """What a value column makes of the figures under it, worked out once per table rather
    than for every cell: its cells' reference without the row number ("Sheet!D"), its
    variable and that variable's unit, whether it gives changes in units or why else it
    cannot be read, and each measure with its fixed unit ('' for the level's unit) and whether
    a figure is a rate of increase to store as its index. `shares` are the measures in a
    share section ("Cơ cấu - %")."""

    column: Column
    index: int
    ref: str
    variable: str
    variable_unit: str
    change: bool  # the column gives changes in units, which the model does not store
    problem: str | None
    unread: bool  # its figures are not stored: a change, a problem, or no period
    # Why the figures of a column headed as an index are not believed to be indexes: some are
    # below zero, rates of change the header does not announce (`_negative_index`).
    disbelieved: str | None
    period: Period | None
    status: str
    measures: tuple[_Measure, ...]
    shares: tuple[_Measure, ...]


# A column's plan in a section, spelt out for the loop over every cell (_row_figures): its
# index, its cells' reference without the row number, whether it is unread, its period and
# status, its indicator there, the unit of its levels when the row gives none, its measures
# there, the plan itself, and the product its header names in place of the row's total
# ('' for none: `product:` variables of gso_columns.csv) (_stem).
_Stem = tuple[int, str, bool, Period | None, str, str, str,
              tuple[_Measure, ...], _Plan, str]


def _plan(
    table: Table, kind: TableKind, dated: Column, title: str, reference_period: Period,
    negative: tuple[int, float] | None = None,
) -> _Plan:
    """The column's plan; `negative`: the first figure below zero in it, (row, value)."""
    text = fold(dated.text)  # (_counted keeps the text)
    column, (variable, variable_unit) = _counted(
        dated, text, _variable(kind, dated, title, table.column_units.get(dated.index, "")))
    problem = column.problem
    rate = bool(_RATE_OF_INCREASE.search(text))
    change = bool(_CHANGE.search(text))
    measures = tuple((m, measure_unit(m, column, ""), rate and m.startswith("index"), m.upper())
                     for m in column.measures)
    disbelieved = None if rate or change or negative is None else _negative_index(
        table, column, *negative)
    return _Plan(
        column=column,
        index=column.index,
        ref=f"{table.sheet}!{column_letters(column.index)}",
        variable=variable,
        variable_unit=variable_unit,
        change=change,
        problem=problem,
        unread=(change or problem is not None or column.period is None
                or disbelieved is not None),
        disbelieved=disbelieved,
        period=column.period,
        # The status as the dated column states it (_counted changes only the measures).
        status=status(table, dated, reference_period) if dated.period is not None else "",
        measures=measures,
        shares=(("share", "PCT", False, "SHARE"),) if column.measures == ("level",) else measures,
    )




def _unread(table: Table, plan: _Plan, row: Row, ref: str, value: float) -> Rejected:
    """The reject of a figure in a column that is not read."""
    if plan.disbelieved is not None:
        return Rejected(table.sheet, ref, row.label, str(value), "value-out-of-range",
                        f"{ref}: {plan.disbelieved}")
    if plan.change:
        return Rejected(
            table.sheet, ref, row.label, str(value), "absolute-change",
            f"{ref}: the column {plan.column.text!r} gives the change in units over the "
            "period compared, which the model does not store (levels of both periods are its "
            "facts)")
    return Rejected(table.sheet, ref, row.label, str(value), "header-unparseable",
                    f"{ref}: {plan.problem}")


def _negative_index(table: Table, column: Column, row: int, value: float) -> str | None:
    """Why a column headed as an index cannot hold indexes, or None: a figure of it (`value`,
    on `row`) is below zero. In February 2021 GSO put rates of change ("tăng/giảm %": -9.85,
    the month's passengers against January's from the same table) under the transport tables'
    usual index headers ("Tháng 02 năm 2021 so với tháng trước (%)"). The header does not say
    so, and an index read from a rate is wrong by 100 (11.46 for 111.46): none of the column is
    read."""
    if not any(m.startswith("index") for m in column.measures):
        return None
    where = f"{table.sheet}!{cell_name(row, column.index)}"
    return (f"the column {column.text!r} is headed as an index but holds figures below "
            f"zero ({where} is {value:g}): rates of change the header does not state, "
            "so none of its figures is read as an index")


def _negative_figures(table: Table) -> dict[int, tuple[int, float]]:
    """Each column's first figure below zero, (row, value), in one pass over the table."""
    found: dict[int, tuple[int, float]] = {}
    for row in [*table.lead, *table.rows]:
        for index, cell in row.values.items():
            if cell.__class__ is float:
                if not cell < 0:  # most cells, passed with one comparison
                    continue
                value = cell
            elif cell == "" or not isinstance(parsed := number(cell), float) or not parsed < 0:
                continue
            else:
                value = parsed
            if index not in found:
                found[index] = (row.number, value)
    return found


def _stem(table: Table, kind: TableKind, section: Section, plan: _Plan) -> _Stem:
    """A column with its indicator in a section, the unit of its levels when neither the
    row's item nor its unit cell gives one, and its measures there."""
    variable, product = plan.variable, ""
    if variable.startswith(PRODUCT_VARIABLE):  # the header names a product, not a variable
        variable, product = "", variable.removeprefix(PRODUCT_VARIABLE)
    indicator = "_".join(part for part in (
        section.indicator or kind.indicator, section.variable, variable, section.part)
        if part)
    unit = (section.column_units.get(plan.column.index, "") or section.unit
            or plan.variable_unit or table.unit or kind.unit)
    return (plan.index, plan.ref, plan.unread, plan.period, plan.status, indicator, unit,
            plan.shares if section.share else plan.measures, plan, product)


# A column variable `product:X` (gso_columns.csv) names the product of the figures under it
# where the row gives a total: the March labour table's "Chung | Thành thị | Nông thôn" over the
# unemployment rates (`variable:` rows) are the rates' areas, as the area rows are in the
# tables of the other quarters.
PRODUCT_VARIABLE = "product:"


@lru_cache(maxsize=1 << 12)  # a sheet repeats its labels
def label_unit(label: str) -> str:
    """The unit a row label states in the brackets closing it, when gso_units.csv knows it:
    "Dân số trung bình (Nghìn người)" THOUS_PERSONS, "Tỷ lệ tăng dân số (%)" PCT, "Số phòng học
    (Nghìn phòng)" THOUS_ROOMS; '' for none and for brackets that name no unit ("(Số nam/100
    nữ)", "(trừ máy móc, thiết bị)", "(*)"). A row without a unit cell states its unit so."""
    found = _CLOSING_BRACKETS.search(label)
    return unit_of(found.group(1)) if found else ""


# The brackets closing a label, the text in them without brackets of its own.
_CLOSING_BRACKETS = re.compile(r"\(([^()]*)\)\s*$")


def _plus_100(value: float) -> float:
    """A rate of increase ("Tốc độ tăng so với quý I năm 2023 (%)", 5.66 in the March 2024
    GDP table) as the index it states (105.66)."""
    return float(Decimal(str(value)) + 100)  # 100 + 5.66 is 105.66, not 105.66000000000001


# "Tăng/giảm so với vụ đông xuân 2007": a change in units (thousand ha), not an index.
_CHANGE = re.compile(r"tăng\s*/\s*giảm|tăng,?\s+giảm|tăng \(\+\)")


# "Tốc độ tăng" (rate of increase, in %) as against "Tốc độ phát triển" (the index). Not
# "tốc độ tăng trưởng" (growth), which GSO headers use for either.
_RATE_OF_INCREASE = re.compile(r"tốc độ tăng(?! trưởng)")


# Cells that mean "no figure".
NO_FIGURE = {"-", "--", "..", "...", "x", "X", "—", "–", "*", "-/-", "…"}


@dataclass(frozen=True)
class Section:
    """What a heading row inside a table says of the rows below it: their unit ("Nghìn
    người"), that they are shares ("Cơ cấu - %"), their indicator and the variable extending
    it (items coded `indicator:` and `variable:`), and the units written in its value cells."""

    unit: str = ""
    share: bool = False
    indicator: str = ""
    variable: str = ""
    column_units: dict[int, str] = field(default_factory=dict)
    # Why the rows' figures sit off their labels ("from the section heading above ..."), ''
    # when they do not.
    misaligned: str = ""
    # The part of the item above that a `part:` row gives ("CENTRAL"): it extends the indicator
    # after the column's variable, as a column naming the part would ("Lao động bình quân |
    # Trung ương" is EMPLOYMENT_CENTRAL, and so is a "Trung ương" row under an industry).
    part: str = ""


# Item codes that open a section rather than name a row's item.
SECTION_DIMENSIONS = ("indicator", "variable")
# An item code `part:X` names a part of the item above it, the last row that named an item
# (the table's total before any): its figures go to that item, the indicator extended by X.
# The 2000-2008 product tables break each product down by ownership ("Than | - Trung ương |
# - Địa phương | - Liên doanh NN"), the gross-output tables the total and each province.
PART = "part"


def _opened(section: Section, found: catalogue.Item, row: Row) -> Section:
    """The section an `indicator:` or `variable:` row opens below `section`."""
    written = {c: unit for c, v in row.values.items()
               if isinstance(v, str) and (unit := catalogue.units().get(fold(v), ""))}
    unit = found.unit or label_unit(row.label)
    if found.dimension == "indicator":
        return Section(unit=unit, indicator=found.value, column_units=written)
    # `variable:_T` closes a variable's section: the rows below are the total's again ("Cả
    # nước" after "Nông thôn" in the census tables). Shares stay shares ("B. Tỷ trọng (%)"
    # over "Cả nước", "Thành thị" ...).
    return Section(unit=unit, share=section.share, indicator=section.indicator,
                   variable="" if found.value == "_T" else found.value, column_units=written)


def _heading_row(
    key: str, section: Section, heading: str, plain: bool
) -> tuple[Section, str, bool]:
    """The section, heading and plainness (`_rows`) below a heading row of folded label `key`:
    a unit or share heading opens a section of the indicator and variable above; any other
    is a plain heading the rows below are filed under."""
    opened = _section(key)
    if opened is not None:
        section = replace(opened, indicator=section.indicator, variable=section.variable)
        return section, heading, plain
    return section, key, True


def _section(key: str) -> Section | None:
    """The section a heading row opens, when the heading is a unit or a share, else None."""
    unit = catalogue.units().get(key.strip(" ()"))
    if unit:
        return Section(unit=unit)
    if _SHARE_HEADING.match(key):
        return Section(unit="PCT", share=True)
    return None


# "Cơ cấu - %", and the English edition's "Structure - %".
_SHARE_HEADING = re.compile(r"^(cơ cấu|tỷ trọng|structure)\b")


def _rows(
    table: Table, kind: TableKind, rejected: list[Rejected]
) -> Iterator[tuple[Row, Place, Section]]:
    heading = fold(table.heading)
    # Whether a row without figures opened the current heading: then a total row the list
    # files rows under is a line of that section (transport's "Phân theo ngành vận tải" with
    # the modes' total, under "Phân theo khu vực vận tải"), not a section of its own.
    plain = bool(heading)
    section = Section()
    # The item `part:` rows break down, and its row (whose unit a part may take).
    whole, whole_row = Place(product="_T"), None
    above: tuple[Row, catalogue.Item] | None = None  # the last item row, and its item
    parts: dict[tuple[int, str], tuple[Section, Section]] = {}  # (_part_row)
    # The list's items by folded label, then heading (catalogue.item's lookup), and the
    # headings it files rows under (_opens), looked up once a table rather than once a row.
    listed = catalogue.labels().get(kind.items, {})
    headings = catalogue.headings(kind.items)
    for row in [*table.lead, *table.rows]:
        key = fold(row.label)
        under = listed.get(key)
        found = None if under is None else under.get(heading) or under.get("")
        if above is not None and found is not None and found.code == above[1].code:
            section = _wrap_checked(kind, above, row, section)
        if found is not None and found.dimension in SECTION_DIMENSIONS:
            owner = _owner(kind, heading if plain else "", found, row)
            section = _section_row(table, row, section, found, rejected)
            heading = heading if owner is not None else ""
            place = _section_place(owner, row, section)
            if place is not None:
                yield row, place, section
            continue
        if section.misaligned:
            rejected.extend(_misaligned_row(table, row, section.misaligned))
            continue
        if row.is_heading:
            section, heading, plain = _heading_row(key, section, heading, plain)
            continue
        if found is None:
            rejected.append(_unknown(table, kind, row, heading))
            continue
        if key in headings and _opens(headings, heading, plain):
            heading, plain = key, False
        item = _as_total(kind, found) if found.code == TOTAL else found
        if item.dimension == PART:
            place, shown = _part_row(row, item, section, whole, whole_row, parts)
        else:  # (most rows) the row's own item, which `part:` rows below it break down
            place = whole = _in_subject(kind.kind, item.code, item.unit)
            shown, whole_row = section, row
        above = row, found
        yield row, place, shown


def _wrap_checked(
    kind: TableKind, above: tuple[Row, catalogue.Item], row: Row, section: Section,
) -> Section:
    """The section, its rows misaligned from `row` on where `row` is the second line of the
    label above it (`_runs_on`); asked only where `row` names the item `above` names (most
    rows name another)."""
    return replace(section, misaligned=_wrapped(row)) if _runs_on(kind, above, row) else section


def _runs_on(kind: TableKind, above: tuple[Row, catalogue.Item], row: Row) -> bool:
    """Whether a row with figures is the second line of the label of the item row right above
    it, which has figures too: each line and both together name the same item ("Cung cấp nước;
    hoạt động quản lý và xử lý | rác thải, nước thải", March 2019 employment table). GSO
    wrapped the label onto the next row and left the figures where they were: from this row
    on each row shows the figures of the label below it. `row` names the item `above` does."""
    previous, item = above
    if (previous.number + 1 != row.number or previous.label_col != row.label_col
            or row.is_heading):
        return False
    joined = catalogue.item(kind.items, "", fold(f"{previous.label} {row.label}"))
    return joined is not None and joined.code == item.code


def _wrapped(row: Row) -> str:
    """Why the rows from `row` on are misaligned, `row` being the second line of a label."""
    return (f"from row {row.number + 1} on sit one row above their labels (the label above "
            "runs on onto that row, which has figures of its own)")


# Why the rows below an indicator's heading holding figures are misaligned (`_section_row`).
_ON_HEADING = ("from the section heading above sit one row off their labels (figures on a "
               "heading that holds none)")


def _as_total(kind: TableKind, found: catalogue.Item) -> catalogue.Item:
    """The item a table's total row (coded TOTAL) stands for where its kind is one section of
    a later whole (gso_totals.csv: the 2011-2017 producer price tables' "Chỉ số chung"), else
    the item."""
    total = catalogue.kind_totals().get(kind.kind)
    return catalogue.Item(total, found.unit) if total else found


# The item code of a table's total row ("Tổng số", "Chỉ số chung").
TOTAL = "_T"


def _part_row(
    row: Row, found: catalogue.Item, section: Section, whole: Place, whole_row: Row | None,
    parts: dict[tuple[int, str], tuple[Section, Section]],
) -> tuple[Place, Section]:
    """Where the figures of a `part:` row go and in which section: the item above (`whole`,
    named on `whole_row`), its indicator extended by the part. `parts` keeps the section of
    each part under each section met (by id(), the section kept with it), so that the rows of
    one part of a table share one: normalise_items works out the columns once a section."""
    # A part's unit cell may be left empty: its unit is the item's (2003 "Động cơ diezen |
    # Cái" over "Trung ương", "Địa phương" with none written).
    stated = row.unit or label_unit(row.label)
    place = whole if stated or whole.unit or whole_row is None else replace(
        whole, unit=_written(whole_row.unit, whole_row.label))
    if (known := parts.get((id(section), found.value))) is None:
        known = parts[id(section), found.value] = (section, replace(section, part=found.value))
    return place, known[1]


def _section_place(owner: catalogue.Item | None, row: Row, section: Section) -> Place | None:
    """Where the figures of a row opening a section go: the item its heading names, else the
    section's total; none on a heading or where the rows sit off their labels."""
    if owner is not None:
        return _place(owner)
    if row.is_heading or section.misaligned:
        return None
    return Place(product="_T")  # the section's total


def _opens(headings: frozenset[str], heading: str, plain: bool) -> bool:
    """Whether a figured row whose label is one of the list's `headings` (the list files rows
    under it: "I. Xuất khẩu dịch vụ" with its total over "Dịch vụ du lịch") opens a heading
    over the rows below it: no plain heading that files rows of its own holds it ("Châu Á"
    with its total over "Một số nước khác" opens under the plain "Phân theo một số nước và
    vùng lãnh thổ")."""
    return not (plain and heading in headings)


def _owner(kind: TableKind, heading: str, found: catalogue.Item, row: Row) -> catalogue.Item | None:
    """The item a figured `variable:` row measures when a plain heading naming an item sits
    over it: "Lúa đông xuân" over "Diện tích (Nghìn ha) | Năng suất (Tạ/ha) | Sản lượng
    (Nghìn tấn)" in the crop tables is the winter-spring rice's area, yield and output. A
    heading opened by a row with figures of its own is an item, not a plain heading: "Trung
    học cơ sở" (schools) above "Lớp học (Nghìn lớp)" in December 2008 leaves the classes the
    section's own total (the caller passes no heading then)."""
    if found.dimension != "variable" or row.is_heading or not heading:
        return None
    owner = catalogue.item(kind.items, "", heading)
    return owner if owner is not None and owner.dimension not in SECTION_DIMENSIONS else None


def _section_row(
    table: Table, row: Row, section: Section, found: catalogue.Item, rejected: list[Rejected]
) -> Section:
    """The section a row naming an indicator or a variable opens. Figures on an indicator's
    heading, which holds none, are the next row's: the rows below sit one row off their labels
    (the freight rows of December 2022) until a section opens on its own figures."""
    if found.dimension == "indicator" and not row.is_heading:
        rejected.append(_misaligned(table, row, _ON_HEADING))
        return replace(_opened(section, found, row), misaligned=_ON_HEADING)
    return replace(_opened(section, found, row),
                   misaligned=section.misaligned if row.is_heading else "")


def _unknown(table: Table, kind: TableKind, row: Row, heading: str) -> Rejected:
    ref = f"{table.sheet}!{cell_name(row.number, row.label_col)}"
    return Rejected(
        table.sheet, ref, row.label, _raw(row), "unknown-label",
        f"{ref}: {kind.kind} row label {row.label!r}"
        + (f" under {heading!r}" if heading else "")
        + f" is not in the item list {kind.items!r} of flows/reference/gso_items/; "
        "add it (`python -m flows.normalise.gso_propose FOLDER` proposes rows)")


def _misaligned_row(table: Table, row: Row, why: str) -> list[Rejected]:
    """The reject of a row whose figures are not its own; none for a heading row, which
    holds no figures."""
    return [] if row.is_heading else [_misaligned(table, row, why)]


def _misaligned(table: Table, row: Row, why: str) -> Rejected:
    ref = f"{table.sheet}!{cell_name(row.number, row.label_col)}"
    return Rejected(table.sheet, ref, row.label, _raw(row), "rows-misaligned",
                    f"{ref}: the {table.kind} rows {why}; the figures of {row.label!r} are "
                    "not its own")


def _dated(column: Column, table: Table) -> Column:
    """A column whose header names no period takes the table's title period ("Số dự án" under
    "... cấp phép từ 01/01 - 30/9/2024"); "Thực hiện cùng kỳ năm trước" the same a year back."""
    if column.period is not None or table.title_period is None:
        return column
    period = table.title_period
    if column.measures == ("level",) and _SAME_PERIOD_LAST_YEAR.search(fold(column.text)):
        period = shift_years(period, -1)
    return replace(column, period=period)


_SAME_PERIOD_LAST_YEAR = re.compile(r"cùng kỳ( năm trước)?|same period( last year)?")


def _with_kind_period(table: Table, kind: str) -> Table:
    """A table naming no period takes the one gso_periods.csv gives its kind ("1999-04": the
    census of 1 April 1999, a stock at a day dated by that day's month)."""
    stated = catalogue.kind_periods().get(kind)
    if table.title_period is not None or stated is None:
        return table
    year, month_number = stated.split("-")
    return replace(table, title_period=month(int(year), int(month_number)))


# A province table asks for each province once per period: cached by the period's first and
# last day, which hash and compare in C (a Period does both in Python, being a dataclass).
@lru_cache(maxsize=1 << 10)
def _in_force(geo: str, start: date, end: date) -> str | None:
    """The territory of `geo` in force at the end of a figure's period (`start` to `end`): a
    table by province uses the borders of its period (Hải Phòng in 2025-09 is the merged city,
    VN-31-2025). A province merged into another during the period keeps its own figure for it:
    the table names it, and its borders held when the period began (Hà Tây's 2008 school year
    and winter-spring crop, printed under its name in 2008, before and after it became part of
    Hà Nội on 1 August). One merged before the period began has none (None)."""
    if geo == GEO_VIETNAM:
        return geo
    found = territory_in_force(geo, end)
    if found is None and territory_in_force(geo, start) == geo:
        return geo
    return found


def _no_territory(sheet: str, ref: str, row: Row, value: float, geo: str,
                  period: Period) -> Rejected:
    return Rejected(sheet, ref, row.label, str(value), "territory-unknown",
                    f"{ref}: {row.label!r}: {not_in_force(geo, period.end)}")


def _place(found: catalogue.Item) -> Place:
    """Where an item's figures go: one Place per item code and unit, shared by its rows (by
    those strings: an Item hashes and compares in Python, and equal ones abound)."""
    return _place_of(found.code, found.unit)


@cache  # by strings: a Place hashes in Python, and this is asked once an item row
def _in_subject(kind: str, code: str, unit: str) -> Place:
    """Where the figures of a row of item `code` go (_place_of). A row that names only a
    province, in the table of a kind whose tables are about one item (gso_totals.csv: the
    winter-spring rice results by province), gives that item's figures there: Vĩnh Phúc's row
    is its winter-spring rice, as the table's total row is the country's, not a figure of no
    item."""
    place = _place_of(code, unit)
    subject = catalogue.kind_totals().get(kind)
    if subject is None or place.product != NOT_APPLICABLE or place.industry != NOT_APPLICABLE:
        return place
    item = _place_of(subject, place.unit)
    return replace(place, product=item.product, industry=item.industry)


@cache
def _place_of(code: str, unit: str) -> Place:
    found = catalogue.Item(code, unit)
    dimension = found.dimension
    if dimension == "geo":
        return Place(geo=found.value, unit=unit)
    if dimension == "industry":
        return Place(industry=found.value, unit=unit)
    if dimension == "partner":
        return Place(partner=found.value, unit=unit)
    return Place(product=found.value, unit=unit)


def _variable(
    kind: TableKind, column: Column, title: str = "", written: str = ""
) -> tuple[str, str]:
    """The variable the column's header names ('' when none: the table's indicator) and the
    unit of its levels the header states or the variable has. `title` is the table's folded
    title, which a variable's pattern may read too (gso_columns.csv); `written` the unit a
    bracketed header cell of its own states (Table.column_units)."""
    # Cached by the title only for the lists whose patterns read it: titles name the month.
    return _header_variable(kind.items, column.text,
                            title if _reads_title(kind.items) else "", written)


@cache
def _reads_title(items: str) -> bool:
    """Whether a pattern of gso_columns.csv for the list reads the table's title too."""
    return any(reads_title for _, reads_title in catalogue.list_variables(items))


@lru_cache(maxsize=1 << 12)  # workbooks repeat their headers month after month
def _header_variable(items: str, header: str, title: str, written: str) -> tuple[str, str]:
    """`_variable` of a header's text in a list, under a folded title. A unit the header
    states, in its text or in a cell of its own (`written`), wins over the variable's: GSO
    counted the state sector's workers in persons in June 2007 ("Lao động bình quân |
    (Người)": 3998649) and in thousands in the other years ("(Nghìn người)": 4109.7)."""
    text = fold(header)
    stated = next((u for u in map(unit_of, _IN_BRACKETS.findall(text)) if u), written)
    variable = catalogue.column_variable(items, text, title)
    if variable is None:
        return "", stated
    return variable.variable, stated or variable.unit


def _counted(
    column: Column, text: str, variable: tuple[str, str]
) -> tuple[Column, tuple[str, str]]:
    """A column headed "Số ..." (number of) whose variable counts something (a unit that is
    no index) and that states no "%" holds levels: its "so với tháng trước" names the span
    counted over ("Số lao động trong danh sách tăng so với tháng trước", the workers added
    since last month, June 2010), not a comparison. `text`: the header, folded."""
    name, unit = variable
    if (name and unit not in ("", "INDEX", "PCT") and text.startswith("số ") and "%" not in text
            and column.measures and all(m.startswith("index") for m in column.measures)):
        column = replace(column, measures=("level",))
    return column, variable


# A unit written in a column header: "Vốn đăng ký (Tỷ đồng)", "Số dự thi (học sinh)".
_IN_BRACKETS = re.compile(r"\(([^()]*)\)")


def _raw(row: Row) -> str:
    cells = [f"{cell_name(row.number, c)}={v}" for c, v in sorted(row.values.items())]
    return "; ".join([row.label, *cells])


def periods_as_rows(table: Table) -> bool:
    """Whether the table's rows are periods ("Quý I năm 2024", "Ước tính 9 tháng năm 2024")
    and its columns the items (the unemployment table: "Chung", "Thành thị", "Nông thôn")."""
    if not any(map(names_period, [row.label for row in table.rows])):
        return False  # most tables: no row is dated, whatever its year
    default = table.title_period.end.year if table.title_period else None
    # (a year over the first rows may sit in the header band: "Năm 2015" over "Quý I")
    periods = _row_periods([*table.lead, *table.rows], default)[len(table.lead):]
    dated = [row for row, period in zip(table.rows, periods, strict=True)
             if period is not None]
    if not dated:
        return False
    rows = [row for row in table.rows if not row.is_heading]
    return len(rows) >= 2 and sum(not row.is_heading for row in dated) >= 0.6 * len(rows)


def _row_periods(rows: list[Row], year: int | None) -> list[Period | None]:
    """Each row's period. A row naming a year dates the rows below it that name none, from
    `year` (the title's) until one does: "Năm 2015 | Quý I | ... | Năm 2016 | Quý I" and
    "Năm 2015 | Ước tính năm 2016 | Quý I" (December 2016, whose titles name no year)."""
    found: list[Period | None] = []
    for row in rows:
        stated = parse_period(row.label, None)
        if stated is not None:
            year = stated.end.year
        found.append(stated or (parse_period(row.label, year) if year is not None else None))
    return found


def _title_item(table: Table, kind: TableKind) -> str:
    """The folded title when it names an item of the list, else '': what the rows of a table
    whose rows are periods measure when no heading says ("Tỷ lệ thất nghiệp thanh niên (15-24
    tuổi)" over "Năm 2014 | ... | Quý IV", December 2016 and 2017)."""
    key = title_key(table.title)
    return key if catalogue.item(kind.items, "", key) is not None else ""


def _normalise_period_rows(
    table: Table, kind: TableKind, reference_period: Period
) -> tuple[list[Observation], list[Rejected]]:
    """Rows name periods, column headers name items; the heading above a run of rows names
    what they measure (an item of the list as well: "Tỷ lệ thất nghiệp ...")."""
    if months_by_year(table):  # months of no year as rows, the year in the column headers
        return normalise_months_by_year(table, kind, reference_period)
    observations: list[Observation] = []
    rejected: list[Rejected] = []
    rows = [*table.lead, *table.rows]
    periods = _row_periods(rows, (table.title_period or reference_period).end.year)
    # The heading over the first rows may sit in the header band ("Tỷ lệ thất nghiệp trong độ
    # tuổi lao động" right below the column headers): the table's heading or a lead row; else
    # the title may name what the rows measure.
    heading = "" if parse_period(table.heading, None) else fold(table.heading)
    heading = heading or _title_item(table, kind)
    for row, period in zip(rows, periods, strict=True):
        key = fold(row.label)
        if row.is_heading:
            # A year over its quarters ("Năm 2015") dates the rows below, and names no item.
            heading = heading if period is not None else key
            continue
        column_of_row = interpret(row.label_col, row.label, None)
        if period is None:
            ref = f"{table.sheet}!{cell_name(row.number, row.label_col)}"
            rejected.append(Rejected(table.sheet, ref, row.label, _raw(row), "period-unparseable",
                                     f"{ref}: {row.label!r} names no period, in a {kind.kind} "
                                     "table whose rows are periods"))
            continue
        what = catalogue.item(kind.items, "", heading) if heading else None
        if heading and what is None:
            ref = f"{table.sheet}!{cell_name(row.number, row.label_col)}"
            rejected.append(Rejected(
                table.sheet, ref, row.label, _raw(row), "unknown-label",
                f"{ref}: the heading {heading!r} over these {kind.kind} rows is not in the item "
                f"list {kind.items!r} of flows/reference/gso_items/; add it"))
            continue
        for column in table.columns:
            cell = row.values.get(column.index, "")
            if cell == "" or (isinstance(cell, str) and cell.strip() in NO_FIGURE):
                continue
            ref = f"{table.sheet}!{cell_name(row.number, column.index)}"
            value = number(cell)
            header = fold(column.text)
            found = catalogue.item(kind.items, heading, header)
            if not isinstance(value, float) or found is None:
                code, why = (("value-unparseable", f"{cell!r} is not a number")
                             if not isinstance(value, float) else
                             ("unknown-label", f"the column {column.text!r}"
                              + (f" under {heading!r}" if heading else "")
                              + f" is not in the item list {kind.items!r} of "
                              "flows/reference/gso_items/; add it"))
                rejected.append(Rejected(table.sheet, ref, row.label, str(cell), code,
                                         f"{ref}: {why}"))
                continue
            place = _place(found)
            geo = _in_force(place.geo, period.start, period.end)
            if geo is None:
                rejected.append(_no_territory(table.sheet, ref, row, value, place.geo, period))
                continue
            indicator = kind.indicator + (f"_{what.value}" if what is not None else "")
            status_ = column_of_row.status or (
                "estimate" if period.end >= reference_period.end else "preliminary")
            observations.append(Observation(
                indicator, geo, place.industry, place.product, place.partner, "level",
                place.unit or table.unit or kind.unit or "PCT", period, value, status_, ref))
    return observations, rejected
