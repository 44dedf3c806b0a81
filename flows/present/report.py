"""The warehouse as one self-contained HTML page: Hải Phòng, national trends, revisions of a
series, freshness and conflicts. No scripts, fonts or images from anywhere: inline SVG and CSS.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from html import escape
from pathlib import Path
from string import Template
from typing import Any

import duckdb

from flows.core import config
from flows.core.errors import ChisoError
from flows.present import charts
from flows.present import report_words as words
from flows.present.charts import Bar, Frame, Line
from flows.present.outputs import checked
from warehouse.query import REPORT_DIR, connect, statement

DEFAULT_SERIES = "IIP.VN._T._Z._Z.INDEX_YOY.INDEX"
HAIPHONG = "VN-31"
IIP_YTD = ("IIP", "index_yoy", "YTD")  # the city's IIP, January to month, same period = 100
EXPORTS_YTD = ("EXPORTS", "_T", "YTD")  # the city's exports of all goods, January to month
# Two years of months keep the period labels legible; the warehouse may hold decades.
MONTHS_SHOWN = 24
NATIONAL = {  # column in the figures table -> series key (monthly and year-to-date)
    "IIP": "IIP.VN._T._Z._Z.INDEX_YOY.INDEX",
    "exports": "EXPORTS.VN._Z._T._Z.LEVEL.USD_MN",
    "imports": "IMPORTS.VN._Z._T._Z.LEVEL.USD_MN",
    "exports index": "EXPORTS.VN._Z._T._Z.INDEX_YOY.INDEX",
    "imports index": "IMPORTS.VN._Z._T._Z.INDEX_YOY.INDEX",
}
# The page around the sections: a string.Template with $intro and $body.
PAGE = Template(Path(__file__).with_name("report_page.html").read_text(encoding="utf-8"))
WRAP_AFTER = 24  # characters: a longer table cell may wrap, a shorter one stays on one line
# A figure as the tables write it (1,234.5, +0.31, -2.54); a column of these is right-aligned.
NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})*(\.\d+)?$")
BLANKS = ("–", "")  # no figure: a column of numbers may hold these
NUMERIC = ' class="num"'
YOY = ("Index, same month a year earlier = 100", (100.0, "100 = same period a year earlier"))
NATIONAL_CHARTS = [  # title, y-axis label, lines (name, column, January to month), from zero
    ("Viet Nam: industrial production index", YOY[0],
     [("month", "IIP", False), ("January to month", "IIP", True)], False),
    ("Viet Nam: exports and imports of goods", "Million USD",
     [("exports", "exports", False), ("imports", "imports", False)], True),
    ("Viet Nam: exports and imports of goods, year on year", YOY[0],
     [("exports", "exports index", False), ("imports", "imports index", False)], False),
]

@dataclass(frozen=True)
class Figure:
    """One value of a series for a period, from the vintage current at the report's moment."""

    series_key: str
    indicator: str
    geo: str
    industry: str
    product: str
    measure: str
    unit: str
    period_type: str
    period_start: date
    period_end: date
    value: float
    source: str
    source_name: str
    precedence: int
    published_at: datetime


def write_report(
    output: Path | None = None, series: str | None = None, as_of: date | None = None,
    warehouse: Path | None = None,
) -> Path:
    """Write the page for the published warehouse (read-only) to `output`; returns the path.

    `series` (default: the national IIP) is the one whose revisions are charted; a series
    asked for by name must be in the warehouse, the default need not be (yet).
    """
    lake = warehouse is None and config.lake_catalog() is not None
    warehouse = warehouse or config.warehouse_path()
    if not lake and not warehouse.exists():
        raise ChisoError(f"{warehouse} does not exist yet: run `chiso run` first")
    output = checked(output or config.report_path(), warehouse)
    # the published file (reaching nothing else: warehouse/sandbox.py), or the lake in
    # DuckLake mode (CHISO_LAKE)
    con = connect(None if lake else warehouse)
    try:
        page = render(con, series, as_of, "the lake" if lake else warehouse.name)
    finally:
        con.close()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(page, encoding="utf-8")
    return output


def render(
    con: duckdb.DuckDBPyConnection, series: str | None = None, as_of: date | None = None,
    name: str = "warehouse",
) -> str:
    figures = [Figure(*row) for row in _ask(
        con, "current_figures", as_of, geo=HAIPHONG, series_keys=",".join(NATIONAL.values()))]
    releases, last = _ask(con, "releases_published", as_of)[0]
    stood = f"at the end of {as_of.isoformat()}" if as_of else "now"
    intro = (f"The warehouse <code>{escape(name)}</code> as it stood {stood}: {releases:,} "
             f"releases, the latest published on {words.day(last)}. Generated "
             f"{datetime.now():%Y-%m-%d %H:%M}. Hover over a point or bar for its value.")
    body = [_haiphong(figures), _national(figures), _revisions(con, series, as_of),
            _freshness(con, as_of), _conflicts(con, as_of)]
    return PAGE.substitute(intro=intro, body="\n".join(body))


def _ask(
    con: duckdb.DuckDBPyConnection, name: str, as_of: date | None = None, **params: object,
) -> list[tuple[Any, ...]]:
    """The rows of the report query sql/report/<name>.sql at `as_of` (None: the latest)."""
    text, bound = statement(name, as_of, directory=REPORT_DIR, **params)
    return con.execute(text, bound).fetchall()


def _named(
    con: duckdb.DuckDBPyConnection, name: str, as_of: date | None,
) -> list[dict[str, Any]]:
    """The rows of the named query sql/queries/<name>.sql at `as_of`, by column name."""
    text, bound = statement(name, as_of)
    cursor = con.execute(text, bound)
    columns = [d[0] for d in cursor.description or []]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _haiphong(figures: Sequence[Figure]) -> str:
    city = [f for f in figures if f.geo == HAIPHONG]
    parts = ['<section id="haiphong"><h2>Hải Phòng</h2>']
    iip = [f for f in city if (f.indicator, f.measure, f.period_type) == IIP_YTD]
    if iip:
        parts += [_haiphong_iip(city, iip), _haiphong_trend(iip)]
    exports = [f for f in city if (f.indicator, f.product, f.period_type) == EXPORTS_YTD]
    if exports:
        parts.append(_haiphong_exports(exports))
    parts.append(f"<details><summary>Every figure for the city, from every source ({len(city)})"
                 "</summary>" + _table(
        ["figure", "measure", "period", "value", "source", "published"],
        [[words.describe(f.indicator, "", f.industry, f.product), words.measure(f.measure, f.unit),
          _period(f), words.fmt(f.value, f.unit), f.source_name, words.day(f.published_at)]
         for f in sorted(city, key=lambda f: (f.indicator, f.industry, f.measure, f.period_end))])
        + "</details>")
    return "\n".join([*parts, "</section>"])


def _haiphong_iip(city: Sequence[Figure], iip: Sequence[Figure]) -> str:
    end = max(f.period_end for f in iip)
    latest = [f for f in iip if f.period_end == end]
    whole = sorted((f for f in latest if f.industry == "_T"), key=lambda f: f.precedence)
    industries = sorted(_preferred(f for f in latest if f.industry != "_T"),
                        key=lambda f: -f.value)
    colours = _publisher_colours(iip)  # as in the next chart, _haiphong_trend
    bars = [Bar(f"{words.vsic()['_T']} ({f.source_name})", f.value - 100, group=f.source_name,
                colour=colours[f.source_name]) for f in whole]
    bars += [Bar(words.vsic().get(f.industry, f.industry), f.value - 100, group=f.source_name,
                 colour=colours[f.source_name]) for f in industries]
    plans = [f for f in _preferred(city) if f.period_end.year == end.year
             and (f.indicator, f.industry, f.measure) == ("IIP", "_T", "plan")]
    plan = (plans[0].value - 100, f"annual plan {plans[0].value - 100:+.0f}%") if plans else None
    span = _period(latest[0])
    frame = Frame(f"Hải Phòng: industrial production by industry, {span}",
                  f"Change on {span.replace(str(end.year), str(end.year - 1))} (%)",
                  "Industry (VSIC 2018)", _source_line(latest))
    note = "" if industries else (
        '<p class="note">Only the whole-industry figure is in the warehouse for this period: '
        "industry figures come with reports that list them (<code>chiso ingest press</code>)."
        "</p>")
    return _figure(lambda size: charts.bar_chart(frame, bars, lambda v: f"{v:+.2f}", plan,
                                                 size=size), note)


def _haiphong_trend(iip: Sequence[Figure]) -> str:
    end = max(f.period_end for f in iip)
    whole = [f for f in iip if f.industry == "_T" and f.period_end.year == end.year]
    ends = sorted({f.period_end for f in whole})
    if len(ends) < 2:
        return ""
    lines = []
    for name, colour in _publisher_colours(iip).items():
        values = {f.period_end: f.value for f in whole if f.source_name == name}
        if values:
            lines.append(Line(name, [values.get(e) for e in ends], colour=colour))
    frame = Frame(f"Hải Phòng: industrial production, January to each month of {end.year}, "
                  "by publisher", "Year to date, to the end of the month", YOY[0].replace(
                      "month", "period"), _source_line(whole))
    return _figure(lambda size: charts.line_chart(frame, words.labels(ends), lines, words.index,
                                                  YOY[1], size=size))


def _haiphong_exports(every: Sequence[Figure]) -> str:
    exports = sorted(_preferred(every), key=lambda f: f.period_end)
    end = max(f.period_end for f in exports)
    level = {f.period_end: f for f in exports if f.measure == "level"}
    bars = [Bar(_period(level[e]), level[e].value) for e in sorted(level)
            if (e.month, e.day) == (end.month, end.day) and e.year >= end.year - 1]
    done = [f for f in exports if f.measure == "pct_of_plan" and f.period_end == end]
    if done and end in level:
        bars.append(Bar(f"Annual plan {end.year} (implied: {done[0].value:.1f}% achieved)",
                        level[end].value / done[0].value * 100, muted=True))
    growth = [f for f in exports if f.measure == "index_yoy" and f.period_end == end]
    rise = f", {growth[0].value - 100:+.2f}% on a year earlier" if growth else ""
    frame = Frame(f"Hải Phòng: exports of goods, {_period(exports[-1])}{rise}", "Million USD",
                  "Period", _source_line(exports))
    return _figure(lambda size: charts.bar_chart(frame, bars, words.usd, label_px=260,
                                                 size=size))


def _national(figures: Sequence[Figure]) -> str:
    national = _preferred(f for f in figures if f.series_key in NATIONAL.values())
    months = sorted({f.period_end for f in national if f.period_type == "M"})[-MONTHS_SHOWN:]
    if not months:
        return '<section id="national"><h2>Viet Nam</h2><p>No national figures yet.</p></section>'
    shown = [f for f in national if f.period_end in months]
    labels = words.labels(months)
    out = ['<section id="national"><h2>Viet Nam</h2>']
    for title, y_label, lines, zero in NATIONAL_CHARTS:
        used = [f for f in shown if any(f.series_key == NATIONAL[c] for _, c, _ in lines)]
        drawn = [_line(used, months, name, NATIONAL[column], cumulative)
                 for name, column, cumulative in lines]
        fmt, reference = (words.usd, None) if zero else (words.index, YOY[1])
        frame = Frame(title, "Month", y_label, _source_line(used))
        out.append(_figure(partial(charts.line_chart, frame, labels, drawn, fmt, reference,
                                   zero)))
    monthly = {(f.series_key, f.period_end): f for f in shown if f.period_type == "M"}
    rows = [[words.period_of("M", m, m)] + [
        words.fmt(monthly[(key, m)].value, monthly[(key, m)].unit) if (key, m) in monthly else "–"
        for key in NATIONAL.values()] for m in months]
    out.append("<details><summary>The figures (monthly, latest values)</summary>" + _table(
        ["month", "IIP (index)", "exports (million USD)", "imports (million USD)",
         "exports (index)", "imports (index)"], rows) + "</details></section>")
    return "\n".join(out)


def _line(
    figures: Sequence[Figure], months: Sequence[date], name: str, key: str, cumulative: bool,
) -> Line:
    """A monthly series, or the January-to-month one (GSO publishes January to March as Q,
    to June as H and to December as A, the other months as YTD)."""
    values = {f.period_end: f.value for f in figures if f.series_key == key
              and (_from_january(f) if cumulative else f.period_type == "M")}
    return Line(name, [values.get(m) for m in months], dashed=cumulative)


def _revisions(
    con: duckdb.DuckDBPyConnection, asked: str | None, as_of: date | None,
) -> str:
    series = asked or DEFAULT_SERIES
    info = next((row[1:] for row in _ask(con, "series_dimensions", series_keys=series)), None)
    if info is None and asked is None:
        return ('<section id="revisions"><h2>Revisions</h2><p class="note">No figures of '
                f"<code>{escape(series)}</code> yet.</p></section>")
    if info is None:
        raise ChisoError(f"series {series!r} is not in the warehouse; list them with `chiso sql "
                         "\"select distinct series_key from v_latest\"`")
    types = [t for (t,) in _ask(con, "series_period_types", series=series)]
    rows = _ask(con, "first_and_latest", as_of, series=series, period_type=types[0])
    indicator, geo, industry, product, measure, unit = info
    what = words.describe(indicator, geo, industry, product)
    y_label = words.measure(measure, unit)
    ends = [r[0] for r in rows]
    labels = (words.labels(ends) if types[0] == "M"
              else [words.period_of(types[0], r[6], r[0]) for r in rows])
    fmt = words.formatter(unit)
    axis = "Month" if types[0] == "M" else "Period"
    names = dict(_ask(con, "source_names"))
    used = sorted({names[r[1]] for r in rows})
    source = (f"Source: {'; '.join(used)}; first published "
              f"{words.day(min((r[3] for r in rows), default=None))} to "
              f"{words.day(max((r[3] for r in rows), default=None))}; latest as published on "
              f"{words.day(max((r[5] for r in rows), default=None))}")
    out = [f'<section id="revisions"><h2>Revisions: {escape(what)}</h2>',
           f"<p>Series <code>{escape(series)}</code>, period type {escape(types[0])}: the value "
           "first published against the latest one, and by how much revisions moved it.</p>"]
    if rows:
        lines = [Line("latest", [r[4] for r in rows]),
                 Line("first release", [r[2] for r in rows], dashed=True)]
        difference = "index points" if unit == "INDEX" else words.UNITS.get(unit, unit)
        out.append(_figure(lambda size: charts.line_chart(
            Frame(f"{what}: first release and latest", axis, y_label, source), labels, lines,
            fmt, size=size)))
        revised = [r[4] - r[2] for r in rows]
        if any(revised):
            out.append(_figure(lambda size: charts.column_chart(
                Frame(f"{what}: revision, latest minus first release", axis,
                      f"Difference ({difference})", source),
                labels, revised, lambda v: f"{v:+,.2f}", size=size)))
        else:
            out.append('<p class="note">No revisions: every figure below stands as first '
                       "published.</p>")
    head = ["period", "first published", "published on", "latest", "published on", "revision"]
    body = [[words.period_of(types[0], r[6], r[0]), fmt(r[2]), words.day(r[3]), fmt(r[4]),
             words.day(r[5]), f"{r[4] - r[2]:+,.2f}"]
            + ([names[r[1]]] if len(used) > 1 else []) for r in rows]
    out.append(_table(head + (["source"] if len(used) > 1 else []), body))
    return "\n".join([*out, "</section>"])


def _freshness(con: duckdb.DuckDBPyConnection, as_of: date | None) -> str:
    # The named queries, not the views: they read the tables as they stood at `as_of`.
    rows = sorted(_named(con, "freshness", as_of), key=lambda r: r["source"])
    body = [[r["name"], f"{r['releases'] or 0:,}", r["last_period"] or "–",
             words.day(r["last_published_at"]), r["next_period"] or "–",
             words.day(r["next_expected_on"]), _status(r)] for r in rows]
    return ('<section id="freshness"><h2>Freshness</h2>' + _table(
        ["source", "releases", "last period", "last published", "next period", "expected on",
         "status"], body) + "</section>")


def _conflicts(con: duckdb.DuckDBPyConnection, as_of: date | None) -> str:
    rows = sorted(_named(con, "conflicts", as_of),
                  key=lambda r: (r["indicator"], r["geo"], r["period_end"]))
    keys = ",".join(sorted({r["series_key"] for r in rows}))
    series = {row[0]: row[1:] for row in _ask(con, "series_dimensions", series_keys=keys)}
    names = dict(_ask(con, "source_names"))
    body = []
    for r in rows:
        _, _, industry, product, measure, unit = series[r["series_key"]]
        body.append([
            words.describe(r["indicator"], r["geo"], industry, product),
            words.measure(measure, unit), words.period_of(r["period_type"], r["period_start"],
                                                          r["period_end"]),
            names[r["source"]], words.fmt(r["value"], unit), names[r["other_source"]],
            words.fmt(r["other_value"], unit), f"{r['difference']:+,.2f}"])
    return ('<section id="conflicts"><h2>Conflicts between sources</h2>'
            + "<p>Where two publishers' current figures differ beyond the precision they were "
            "published at; the warehouse's latest value is the first source's.</p>" + _table(
                ["figure", "measure", "period", "source", "value", "other source", "its value",
                 "difference"], body) + "</section>")


def _status(freshness: dict[str, Any]) -> str:
    days = freshness["days_overdue"]
    if freshness["overdue"]:
        return f"overdue by {days} day{'' if days == 1 else 's'}"
    return "on time" if freshness["next_expected_on"] else "no calendar"


def _figure(draw: Callable[..., str], note: str = "") -> str:
    """The chart drawn wide and narrow (`draw(size=...)`; the page's CSS shows the one that
    fits the screen)."""
    svgs = "".join(draw(size=size) for size in charts.SIZES.values())
    return f"<figure>{svgs}{note}</figure>"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table whose columns of numbers are right-aligned, header included."""
    if not rows:
        return '<p class="note">None.</p>'
    numeric = [all(NUMBER.match(str(row[n])) or str(row[n]) in BLANKS for row in rows)
               and any(NUMBER.match(str(row[n])) for row in rows) for n in range(len(head))]
    cells = "".join(f"<th{NUMERIC if number else ''}>{escape(h)}</th>"
                    for h, number in zip(head, numeric, strict=True))
    lines = ["<tr>" + "".join(_cell(str(c), number) for c, number in
                              zip(row, numeric, strict=True)) + "</tr>" for row in rows]
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def _cell(text: str, number: bool = False) -> str:
    """Short cells (figures, dates, periods) never wrap; sentences and names may; numbers
    line up on the right."""
    kind = "text" if len(text) > WRAP_AFTER else "short"
    return f'<td class="{kind}{" num" if number else ""}">{escape(text)}</td>'


def _preferred(figures: Iterable[Figure]) -> list[Figure]:
    """One figure per series and period: the most trusted source's (lowest precedence)."""
    best: dict[tuple[str, str, date, date], Figure] = {}
    for f in figures:
        key = (f.series_key, f.period_type, f.period_start, f.period_end)
        if key not in best or f.precedence < best[key].precedence:
            best[key] = f
    return list(best.values())


def _publisher_colours(figures: Iterable[Figure]) -> dict[str, str]:
    """A colour for each publisher of `figures`, the most trusted first: given the same
    figures, the charts of a panel give a publisher the same colour."""
    ranked = sorted({(f.precedence, f.source_name) for f in figures})
    return {name: charts.PALETTE[n % len(charts.PALETTE)] for n, (_, name) in enumerate(ranked)}


def _source_line(figures: Sequence[Figure]) -> str:
    names = "; ".join(sorted({f.source_name for f in figures}))
    return f"Source: {names}; as published on {words.day(max(f.published_at for f in figures))}"


def _period(f: Figure) -> str:
    return words.period_of(f.period_type, f.period_start, f.period_end)


def _from_january(f: Figure) -> bool:
    """A January-to-month figure, whatever its period type (GSO's Q1, H1 and year included)."""
    return (f.period_start.month, f.period_start.day) == (1, 1) and f.period_type != "D"

