"""The warehouse as one self-contained HTML page: Hải Phòng, national trends, revisions of a
series, freshness and conflicts. No scripts, fonts or images from anywhere: inline SVG and CSS.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from html import escape
from pathlib import Path

import duckdb

from flows.core import config
from flows.core.errors import ChisoError
from flows.present import charts
from flows.present import report_words as words
from flows.present.charts import Bar, Frame, Line
from warehouse.connect import reader
from warehouse.query import statement

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
WRAP_AFTER = 24  # characters: a longer table cell may wrap, a shorter one stays on one line
YOY = ("Index, same month a year earlier = 100", (100.0, "100 = same period a year earlier"))
NATIONAL_CHARTS = [  # title, y-axis label, lines (name, column, January to month), from zero
    ("Viet Nam: industrial production index", YOY[0],
     [("month", "IIP", False), ("January to month", "IIP", True)], False),
    ("Viet Nam: exports and imports of goods", "Million USD",
     [("exports", "exports", False), ("imports", "imports", False)], True),
    ("Viet Nam: exports and imports of goods, year on year", YOY[0],
     [("exports", "exports index", False), ("imports", "imports index", False)], False),
]

# The vintages current at a moment (bound twice), with their source's name and precedence.
CURRENT = """
    select v.*, s.name as source_name, s.precedence
    from v_vintages v join source s using (source)
    where v.valid_from <= ?::timestamp and (v.valid_to is null or v.valid_to > ?::timestamp)
"""
# First release against the value current at a moment, per period, from the most trusted source.
REVISIONS = """
with known as (
    select v.*, s.precedence from v_vintages v join source s using (source)
    where v.series_key = ? and v.period_type = ? and v.valid_from <= ?::timestamp
), per_source as (
    select period_start, period_end, source, precedence,
        arg_min(value, valid_from) as first_value, min(published_at) as first_published,
        arg_max(value, valid_from) as latest_value, max(published_at) as latest_published
    from known
    group by period_start, period_end, source, precedence
), ranked as (
    select *, row_number() over (
        partition by period_start, period_end order by precedence, source) as rank
    from per_source
)
select period_end, source, first_value, first_published, latest_value, latest_published,
    period_start
from ranked where rank = 1 order by period_end
"""


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
    output = output or config.report_path()
    # the published file, or the lake in DuckLake mode (CHISO_LAKE)
    con = reader(None if lake else warehouse)
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
    moment: datetime | str = datetime.combine(as_of, time.max) if as_of else "infinity"
    figures = _current(con, moment)
    releases, last = con.execute(
        "select count(*), max(published_at) from release where published_at <= ?::timestamp",
        [moment]).fetchone() or (0, None)
    stood = f"at the end of {as_of.isoformat()}" if as_of else "now"
    intro = (f"The warehouse <code>{escape(name)}</code> as it stood {stood}: {releases:,} "
             f"releases, the latest published on {words.day(last)}. Generated "
             f"{datetime.now():%Y-%m-%d %H:%M}. Hover over a point or bar for its value.")
    body = [_haiphong(figures), _national(figures), _revisions(con, series, moment),
            _freshness(con, as_of), _conflicts(con, as_of)]
    return PAGE.format(intro=intro, body="\n".join(body))


def _current(con: duckdb.DuckDBPyConnection, moment: datetime | str) -> list[Figure]:
    rows = con.execute(
        "select series_key, indicator, geo, industry, product, measure, unit, period_type, "
        "period_start, period_end, value, "
        f"source, source_name, precedence, published_at from ({CURRENT}) "
        "where geo = ? or series_key in ? order by period_end",
        [moment, moment, HAIPHONG, list(NATIONAL.values())]).fetchall()
    return [Figure(*row) for row in rows]


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
    bars = [Bar(f"{words.vsic()['_T']} ({f.source_name})", f.value - 100) for f in whole]
    bars += [Bar(words.vsic().get(f.industry, f.industry), f.value - 100) for f in industries]
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
    return _figure(charts.bar_chart(frame, bars, lambda v: f"{v:+.2f}", plan), note)


def _haiphong_trend(iip: Sequence[Figure]) -> str:
    end = max(f.period_end for f in iip)
    whole = [f for f in iip if f.industry == "_T" and f.period_end.year == end.year]
    ends = sorted({f.period_end for f in whole})
    if len(ends) < 2:
        return ""
    lines = []
    for name in sorted({f.source_name for f in whole}):
        values = {f.period_end: f.value for f in whole if f.source_name == name}
        lines.append(Line(name, [values.get(e) for e in ends]))
    frame = Frame(f"Hải Phòng: industrial production, January to each month of {end.year}, "
                  "by publisher", "Year to date, to the end of the month", YOY[0].replace(
                      "month", "period"), _source_line(whole))
    return _figure(charts.line_chart(frame, words.labels(ends), lines, words.index, YOY[1]))


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
    return _figure(charts.bar_chart(frame, bars, words.usd, label_px=260))


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
        out.append(_figure(charts.line_chart(Frame(title, "Month", y_label, _source_line(used)),
                                             labels, drawn, fmt, reference, zero)))
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
    con: duckdb.DuckDBPyConnection, asked: str | None, moment: datetime | str,
) -> str:
    series = asked or DEFAULT_SERIES
    info = con.execute("select indicator, geo, industry, product, measure, unit from series "
                       "where series_key = ?", [series]).fetchone()
    if info is None and asked is None:
        return ('<section id="revisions"><h2>Revisions</h2><p class="note">No figures of '
                f"<code>{escape(series)}</code> yet.</p></section>")
    if info is None:
        raise ChisoError(f"series {series!r} is not in the warehouse; list them with `chiso sql "
                         "\"select distinct series_key from v_latest\"`")
    types = [t for (t,) in con.execute(
        "select period_type from observation where series_key = ? group by 1 "
        "order by period_type <> 'M', count(*) desc", [series]).fetchall()]
    rows = con.execute(REVISIONS, [series, types[0], moment]).fetchall()
    indicator, geo, industry, product, measure, unit = info
    what = words.describe(indicator, geo, industry, product)
    y_label = words.measure(measure, unit)
    ends = [r[0] for r in rows]
    labels = (words.labels(ends) if types[0] == "M"
              else [words.period_of(types[0], r[6], r[0]) for r in rows])
    fmt = words.formatter(unit)
    axis = "Month" if types[0] == "M" else "Period"
    names = dict(con.execute("select source, name from source").fetchall())
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
        out.append(_figure(charts.line_chart(
            Frame(f"{what}: first release and latest", axis, y_label, source), labels, lines,
            fmt)))
        out.append(_figure(charts.column_chart(
            Frame(f"{what}: revision, latest minus first release", axis,
                  f"Difference ({difference})", source),
            labels, [r[4] - r[2] for r in rows], lambda v: f"{v:+,.2f}")))
    head = ["period", "first published", "published on", "latest", "published on", "revision"]
    body = [[words.period_of(types[0], r[6], r[0]), fmt(r[2]), words.day(r[3]), fmt(r[4]),
             words.day(r[5]), f"{r[4] - r[2]:+,.2f}"]
            + ([names[r[1]]] if len(used) > 1 else []) for r in rows]
    out.append(_table(head + (["source"] if len(used) > 1 else []), body))
    return "\n".join([*out, "</section>"])


def _freshness(con: duckdb.DuckDBPyConnection, as_of: date | None) -> str:
    # The named queries, not the views: they read the tables as they stood at `as_of`.
    text, params = statement("freshness", as_of)
    rows = con.execute(
        "select name, releases, last_period, last_published_at, next_period, next_expected_on, "
        f"overdue, days_overdue from ({text}) order by source", params,
    ).fetchall()
    body = [[name, f"{n or 0:,}", last or "–", words.day(published), nxt or "–",
             words.day(expected),
             f"overdue by {days} day{'' if days == 1 else 's'}" if late
             else "on time" if expected else "no calendar"]
            for name, n, last, published, nxt, expected, late, days in rows]
    return ('<section id="freshness"><h2>Freshness</h2>' + _table(
        ["source", "releases", "last period", "last published", "next period", "expected on",
         "status"], body) + "</section>")


def _conflicts(con: duckdb.DuckDBPyConnection, as_of: date | None) -> str:
    text, params = statement("conflicts", as_of)
    rows = con.execute(
        "select c.indicator, c.geo, s.industry, s.product, s.measure, s.unit, c.period_type, "
        "c.period_start, c.period_end, a.name, c.value, b.name, c.other_value, c.difference "
        f"from ({text}) c join series s using (series_key) "
        "join source a on a.source = c.source join source b on b.source = c.other_source "
        "order by c.indicator, c.geo, c.period_end", params,
    ).fetchall()
    body = [[words.describe(ind, geo, industry, product), words.measure(measure, unit),
             words.period_of(kind, start, end), a, words.fmt(value, unit), b,
             words.fmt(other, unit), f"{diff:+,.2f}"]
            for ind, geo, industry, product, measure, unit, kind, start, end, a, value, b, other,
            diff in rows]
    return ('<section id="conflicts"><h2>Conflicts between sources</h2>'
            + "<p>Where two publishers' current figures differ beyond the precision they were "
            "published at; the warehouse's latest value is the first source's.</p>" + _table(
                ["figure", "measure", "period", "source", "value", "other source", "its value",
                 "difference"], body) + "</section>")


def _figure(svg: str, note: str = "") -> str:
    return f"<figure>{svg}{note}</figure>"


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    if not rows:
        return '<p class="note">None.</p>'
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    lines = ["<tr>" + "".join(_cell(str(c)) for c in row) + "</tr>" for row in rows]
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def _cell(text: str) -> str:
    """Short cells (figures, dates, periods) never wrap; sentences and names may."""
    return f'<td class="{"text" if len(text) > WRAP_AFTER else "short"}">{escape(text)}</td>'


def _preferred(figures: Iterable[Figure]) -> list[Figure]:
    """One figure per series and period: the most trusted source's (lowest precedence)."""
    best: dict[tuple[str, str, date, date], Figure] = {}
    for f in figures:
        key = (f.series_key, f.period_type, f.period_start, f.period_end)
        if key not in best or f.precedence < best[key].precedence:
            best[key] = f
    return list(best.values())


def _source_line(figures: Sequence[Figure]) -> str:
    names = "; ".join(sorted({f.source_name for f in figures}))
    return f"Source: {names}; as published on {words.day(max(f.published_at for f in figures))}"


def _period(f: Figure) -> str:
    return words.period_of(f.period_type, f.period_start, f.period_end)


def _from_january(f: Figure) -> bool:
    """A January-to-month figure, whatever its period type (GSO's Q1, H1 and year included)."""
    return (f.period_start.month, f.period_start.day) == (1, 1) and f.period_type != "D"




PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>chiso: Viet Nam and Hải Phòng, industry and trade</title>
<style>
body {{ font-family: "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #222;
  background: #fff; margin: 0 auto; max-width: 960px; padding: 16px 24px 48px; font-size: 14px;
  line-height: 1.45; }}
h1 {{ color: #1f4e79; font-size: 22px; border-bottom: 3px solid #1f4e79; padding-bottom: 6px; }}
h2 {{ color: #1f4e79; font-size: 18px; border-bottom: 1px solid #c8d0d8; margin-top: 36px; }}
h3 {{ font-size: 15px; }}
nav a {{ color: #1f4e79; margin-right: 14px; }}
figure {{ margin: 18px 0; border: 1px solid #dde3e8; padding: 8px; }}
svg.chart {{ display: block; width: 100%; height: auto; }}
svg .title {{ font-size: 15px; font-weight: bold; fill: #1a1a1a; }}
svg .axis-label {{ font-size: 12px; fill: #333; }}
svg .tick, svg .period, svg .value, svg .bar-label, svg .legend {{ font-size: 12px; fill: #333; }}
svg .source {{ font-size: 11px; fill: #666; }}
svg .note {{ font-size: 11px; fill: #555; }}
svg .grid {{ stroke: #e3e7eb; stroke-width: 1; }}
svg .axis {{ stroke: #555; stroke-width: 1; }}
svg .reference {{ stroke: #555; stroke-width: 1; stroke-dasharray: 3 3; }}
table {{ border-collapse: collapse; margin: 10px 0; font-size: 13px; }}
th, td {{ border-bottom: 1px solid #dde3e8; padding: 3px 10px; text-align: left; }}
th {{ background: #eef2f6; }}
td {{ font-variant-numeric: tabular-nums; vertical-align: top; }}
td.short {{ white-space: nowrap; }}
code {{ font-size: 12px; background: #f3f5f7; padding: 1px 3px; }}
.note {{ color: #555; font-size: 13px; }}
</style>
</head>
<body>
<h1>chiso: Viet Nam and Hải Phòng, industry and trade</h1>
<p>{intro}</p>
<nav><a href="#haiphong">Hải Phòng</a><a href="#national">Viet Nam</a>
<a href="#revisions">Revisions</a><a href="#freshness">Freshness</a>
<a href="#conflicts">Conflicts</a></nav>
{body}
</body>
</html>
"""
