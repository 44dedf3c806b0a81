"""`chiso series show`: one series on one screen, what it is, where its figures come from, its
latest periods and, on request, every value published for them."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pandas as pd

from flows.present.terminal import render_table, shown_note
from warehouse.series import SeriesCard

# What the terminal shows of each table, narrow enough for 80 columns (a file gets every
# column): the vintage count and the period start are left out, the publication is a day.
POINT_COLUMNS = {"period_type": "type", "period_end": "period_end", "value": "value",
                 "first_value": "first_value", "status": "status", "source": "source",
                 "published_at": "published"}
VINTAGE_COLUMNS = {"period_type": "type", "period_end": "period_end", "source": "source",
                   "vintage": "n", "value": "value", "revision": "revision",
                   "status": "status", "published_at": "published"}
SOURCE_COLUMNS = {"source": "source", "precedence": "precedence", "periods": "periods",
                  "first_period_end": "first", "last_period_end": "last", "shown": "shown",
                  "name": "name"}

def table(card: SeriesCard) -> pd.DataFrame:
    """The rows `--format csv|json|...` writes: the points shown, or their vintages."""
    if card.vintages is not None:
        return card.vintages
    return card.points


def render(card: SeriesCard, width: int | None = None) -> str:
    """The series as text: a heading of facts, its sources, then the points (or vintages)."""
    c = card.card
    lines = [card.key]
    facts = [
        ("vi", c["name_vi"]),
        ("en", c["name_en"]),
        ("codes", ", ".join(f"{d} {c[d]}" for d in ("indicator", "geo", "industry", "product",
                                                    "partner"))),
        ("measure", f"{c['measure']}, unit {c['unit']}"),
        ("latest", _latest(c)),
        ("first release", f"{_day(c['first_published_at'])}, {c['first_release_id']} "
                          f"({c['first_period_type']} {_day(c['first_period_end'])})"),
        ("revisions", f"{c['revisions']:,} (in {c['vintages']:,} vintages of "
                      f"{c['periods']:,} periods)"),
    ]
    facts += [("borders", _border(row)) for row in card.territory.to_dict("records")]
    if card.as_of != "infinity":
        facts.append(("as of", card.as_of[:10] + " (the warehouse as it stood then)"))
    label = max(len(name) for name, _ in facts)
    lines += [f"  {name.ljust(label)}  {value}" for name, value in facts]
    lines += ["", "sources (where two give the same period, the lower precedence is shown):",
              render_table(_view(card.sources, SOURCE_COLUMNS), width)]
    shown = len(card.points)
    kind = "" if card.period_type == "all" else f"{card.period_type} "
    more = [t for t in str(c["period_types"]).split(", ") if t != card.period_type]
    others = ("" if card.period_type == "all" or not more
              else f" (also {', '.join(more)}: --period-type TYPE, or all)")
    if card.vintages is not None:
        lines += ["", f"every vintage of the last {shown:,} {kind}periods{others}:",
                  render_table(_view(card.vintages, VINTAGE_COLUMNS), width)]
    else:
        lines += ["", f"the last {shown:,} {kind}periods{others}:",
                  render_table(_view(card.points, POINT_COLUMNS), width)]
    note = shown_note(shown, card.total_points, f"{kind}periods")
    if note:
        lines.append(note.strip() + " (--last N for more)")
    return "\n".join(lines)


def _border(change: dict[Hashable, Any]) -> str:
    """One change of the series' territory (sql/queries/territory_changes.sql) in a line: the
    old Hải Phòng's series "ended 2025-06-30: goes on as IIP.VN-31-2025...", never spliced."""
    other = f"{change['related_geo']} {change['related_territory_vi']}"
    series = change["related_series_key"]
    on = _day(change["changed_on"])
    if change["change"] == "ended":
        text = (f"{change['territory_vi']} to {_day(change['valid_to'])}; from {on} the "
                f"figure is {series if pd.notna(series) else 'not yet loaded'} ({other})")
    elif change["change"] == "formed":
        text = (f"{change['territory_vi']} from {on}, formed with {other} "
                f"(its series: {series if pd.notna(series) else 'none loaded'})")
    else:
        text = f"took {other} in on {on} and kept its code"
    if change["break_in_span"]:
        text += "; figures on both sides of that day are on different borders"
    return text


def _view(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The columns of `frame` the terminal shows, renamed; publication times as days."""
    view = frame[list(columns)].rename(columns=columns)
    if "published" in view:
        view["published"] = pd.to_datetime(view["published"]).dt.date
    return view


def _latest(c: dict[str, Any]) -> str:
    if pd.isna(c["latest_value"]):
        return "none"
    return (f"{_number(c['latest_value'])} for {c['latest_period_type']} "
            f"{_day(c['latest_period_end'])} ({c['latest_status']}, {c['latest_source']}), "
            f"published {_day(c['latest_published_at'])}")


def _number(value: float) -> str:
    """As the tables show it: two decimals, more for a small magnitude."""
    if value == 0 or abs(value) >= 0.1:
        return f"{value:,.2f}"
    return f"{value:.6g}"


def _day(value: Any) -> str:
    """A date or timestamp as YYYY-MM-DD (with the time when it is not midnight)."""
    stamp = pd.Timestamp(value)
    return f"{stamp:%Y-%m-%d}" if stamp == stamp.normalize() else f"{stamp:%Y-%m-%d %H:%M}"
