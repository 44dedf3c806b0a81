"""Charts as inline SVG text: lines over periods, horizontal bars, columns around zero.

Every chart carries its own title, axis labels with units, period labels and a source line, so
a chart copied out of the report still says what it shows. Every piece of text goes through
html.escape: labels come from publishers' files.

Each chart is drawn at a `Size`: WIDE for screens from about 800 px, NARROW for phones (the
report holds both and CSS shows one). An SVG scales its text with its width, so a chart drawn
760 px wide and shown 360 px wide has 12 px labels shrunk to 6 px: the narrow one is drawn at
the width it is shown, with fewer ticks and period labels, wrapped titles and bar labels.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 760
NARROW_WIDTH = 360
# Sober colours that stay apart in grey print: navy, brick, grey, green.
PALETTE = ("#1f4e79", "#b5452f", "#6f6f6f", "#4f7f3a")
NEGATIVE = "#b5452f"
MUTED = "#9aa7b4"
# DejaVu Sans at 12 px averages about 7 px a character (used to wrap and place labels).
CHAR_PX = 7.0
TITLE_CHAR_PX = 8.5  # the title: 15 px bold
LINE_PX = 19  # a further line of the title, or of the legend
TOP = 84  # the title, the legend line, the y-axis label, then the plot
SOURCE_CHAR_PX = 6.0  # the source line (11 px text) wraps at the chart's width
SOURCE_LINE_PX = 14
BOTTOM = 78  # period labels (two lines), the x-axis label, the source line
LEFT = 64  # the y tick labels
RIGHT = 24

Format = Callable[[float], str]


@dataclass(frozen=True)
class Size:
    """How wide a chart is drawn, and how much it labels at that width."""

    width: int
    periods: int  # more periods than this: label every k-th one
    ticks: int  # about this many ticks on the value axis
    label_share: float  # at most this share of the width for bar labels


WIDE = Size(WIDTH, 13, 5, 0.4)
NARROW = Size(NARROW_WIDTH, 6, 4, 0.36)
SIZES = {"wide": WIDE, "narrow": NARROW}


@dataclass(frozen=True)
class Frame:
    """The words around a chart: title, axis labels with units, source and vintage line."""

    title: str
    x_label: str
    y_label: str
    source: str


@dataclass(frozen=True)
class Line:
    """One series over the chart's periods (None where it has no value)."""

    name: str
    values: Sequence[float | None]
    dashed: bool = False
    colour: str | None = None  # None: the palette's next colour


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    muted: bool = False  # a derived or reference figure, drawn lighter
    group: str = ""  # e.g. the publisher: bars of a group share its colour, named in a legend
    colour: str | None = None  # the group's colour (None: by sign)


def line_chart(
    frame: Frame, periods: Sequence[str], lines: Sequence[Line], fmt: Format,
    reference: tuple[float, str] | None = None, zero: bool = False, height: int = 340,
    size: Size = WIDE,
) -> str:
    """Lines over `periods` (labels; a newline starts a second line, e.g. the year)."""
    values = [v for line in lines for v in line.values if v is not None]
    extra = [reference[0]] if reference else []
    lo, hi = min([*values, *extra]), max([*values, *extra])
    ticks = nice_ticks(min(lo, 0.0) if zero else lo, hi, size.ticks)
    colours = [line.colour or PALETTE[n % len(PALETTE)] for n, line in enumerate(lines)]
    head, legend = _head(frame, size, [(line.name, colour, line.dashed)
                                        for line, colour in zip(lines, colours, strict=True)])
    height += head
    plot = _Plot(LEFT, TOP + head, size.width - LEFT - RIGHT, height - TOP - head - BOTTOM,
                 ticks[0], ticks[-1])
    step = plot.w / max(len(periods), 1)
    xs = [plot.x + step * (i + 0.5) for i in range(len(periods))]
    parts = [_y_grid(plot, ticks), _x_periods(plot, xs, periods, size)]
    if reference:
        parts.append(_reference_h(plot, *reference))
    for line, colour in zip(lines, colours, strict=True):
        parts.append(_polyline(plot, xs, line, colour, periods, fmt))
    return _svg(frame, height, [legend, *parts], plot, size)


def bar_chart(
    frame: Frame, bars: Sequence[Bar], fmt: Format, reference: tuple[float, str] | None = None,
    label_px: int = 300, size: Size = WIDE,
) -> str:
    """Horizontal bars from zero, labels (wrapped) on the left, values at the bar ends; bars
    in groups (publishers) take their group's colour, named in a legend."""
    label_px = min(label_px, int(size.width * size.label_share))
    wrapped = [textwrap.wrap(b.label, int(label_px / CHAR_PX)) or [""] for b in bars]
    rows = [max(28, 15 * len(lines) + 10) for lines in wrapped]
    groups = {b.group: b.colour or PALETTE[0] for b in bars if b.group}
    head, legend = _head(frame, size, [(g, c, False) for g, c in groups.items()], swatch=True)
    height = TOP + head - 10 + sum(rows) + BOTTOM - 8  # one line of tick labels, not two
    values = [b.value for b in bars] + ([reference[0]] if reference else [])
    ticks = nice_ticks(min(0.0, *values), max(0.0, *values), size.ticks)
    left = label_px + 16
    plot = _Plot(left, TOP + head - 10, size.width - left - 72, sum(rows), ticks[0], ticks[-1])
    parts = [legend, _x_grid(plot, ticks)]
    y = float(plot.y)
    for bar, lines, row in zip(bars, wrapped, rows, strict=True):
        parts.append(_hbar(plot, bar, lines, y, row, fmt))
        y += row
    if reference:
        parts.append(_reference_v(plot, *reference))
    return _svg(frame, height, parts, plot, size)


def column_chart(
    frame: Frame, periods: Sequence[str], values: Sequence[float | None], fmt: Format,
    height: int = 260, size: Size = WIDE,
) -> str:
    """Columns up from or down to zero, one per period: e.g. revisions. Values are written
    over the columns when they fit their width (a tooltip has each one)."""
    known = [v for v in values if v is not None]
    lo, hi = min(0.0, *known), max(0.0, *known)
    room = (hi - lo) * 0.12  # the value labels above and below the columns
    ticks = nice_ticks(lo - room if lo < 0 else lo, hi + room if hi > 0 else hi, size.ticks)
    head, _ = _head(frame, size, [])
    height += head
    plot = _Plot(LEFT, TOP + head - 24, size.width - LEFT - RIGHT,
                 height - TOP - head + 24 - BOTTOM, ticks[0], ticks[-1])
    step = plot.w / max(len(periods), 1)
    xs = [plot.x + step * (i + 0.5) for i in range(len(periods))]
    parts = [_y_grid(plot, ticks), _x_periods(plot, xs, periods, size)]
    zero = plot.ty(0.0)
    labelled = all(len(fmt(v)) * CHAR_PX <= step for v in known)
    for x, period, value in zip(xs, periods, values, strict=True):
        if value is None:
            continue
        top, bottom = sorted((plot.ty(value), zero))
        colour = PALETTE[0] if value >= 0 else NEGATIVE
        tip = f"{period.replace(chr(10), ' ')}: {fmt(value)}"
        parts.append(
            f'<rect class="mark" x="{x - step * 0.3:.1f}" y="{top:.1f}" width="{step * 0.6:.1f}" '
            f'height="{max(bottom - top, 0.5):.1f}" fill="{colour}"><title>{escape(tip)}</title>'
            "</rect>"
        )
        if labelled:
            label_y = top - 4 if value >= 0 else bottom + 12
            parts.append(_text(x, label_y, fmt(value), "value", "middle"))
    parts.append(f'<line class="axis" x1="{plot.x}" x2="{plot.x + plot.w}" y1="{zero:.1f}" '
                 f'y2="{zero:.1f}"/>')
    return _svg(frame, height, parts, plot, size)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering lo..hi."""
    if hi <= lo:
        lo, hi = lo - 1.0, hi + 1.0
    raw = (hi - lo) / count
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * magnitude >= raw)
    start, end = math.floor(lo / step), math.ceil(hi / step)
    return [round(i * step, 10) for i in range(start, end + 1)]


@dataclass(frozen=True)
class _Plot:
    """The plotting area in pixels and the value range it shows (vertical or horizontal)."""

    x: float
    y: float
    w: float
    h: float
    lo: float
    hi: float

    def ty(self, value: float) -> float:
        return self.y + self.h - (value - self.lo) / (self.hi - self.lo) * self.h

    def tx(self, value: float) -> float:
        return self.x + (value - self.lo) / (self.hi - self.lo) * self.w


def _head(
    frame: Frame, size: Size, entries: Sequence[tuple[str, str, bool]], swatch: bool = False,
) -> tuple[int, str]:
    """The pixels the title's and legend's extra lines push the plot down, and the legend."""
    titles = len(_title_lines(frame, size))
    legend, rows = _legend(entries, size.width, 42 + LINE_PX * (titles - 1), swatch)
    return LINE_PX * (titles - 1 + max(rows - 1, 0)), legend


def _title_lines(frame: Frame, size: Size) -> list[str]:
    return textwrap.wrap(frame.title, int((size.width - 16) / TITLE_CHAR_PX)) or [""]


def _svg(frame: Frame, height: int, parts: Sequence[str], plot: _Plot, size: Size) -> str:
    """The chart: title, legend and plot, the y-axis label (units) above the plot, the x-axis
    label under it and the source line (wrapped) at the bottom."""
    title = escape(frame.title)
    source = textwrap.wrap(frame.source, int((size.width - 16) / SOURCE_CHAR_PX)) or [""]
    total = height + SOURCE_LINE_PX * (len(source) - 1)
    kind = next(name for name, known in SIZES.items() if known == size)
    return "\n".join([
        f'<svg class="chart {kind}" role="img" aria-label="{title}" '
        f'viewBox="0 0 {size.width} {total}" width="{size.width}" height="{total}">',
        f"<title>{title}</title>",
        *(_text(8, 20 + LINE_PX * n, line, "title")
          for n, line in enumerate(_title_lines(frame, size))),
        *parts,
        _text(8, plot.y - 12, frame.y_label, "axis-label"),
        _text(plot.x + plot.w / 2, height - 28, frame.x_label, "axis-label", "middle"),
        *(_text(8, height - 8 + SOURCE_LINE_PX * n, line, "source")
          for n, line in enumerate(source)),
        "</svg>",
    ])


def _text(x: float, y: float, text: str, cls: str, anchor: str = "start") -> str:
    return (f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">'
            f"{escape(text)}</text>")


def _legend(
    entries: Sequence[tuple[str, str, bool]], width: int, y: float, swatch: bool,
) -> tuple[str, int]:
    """The legend from `y` down, a new row when an entry would pass `width`; and its rows.
    A line chart's entries are line samples, a bar chart's colour squares (`swatch`)."""
    parts, x, rows = [], 8.0, 1 if entries else 0
    for name, colour, dashed in entries:
        span = 28 + CHAR_PX * len(name)
        if x > 8 and x + span > width - 8:
            x, y, rows = 8.0, y + LINE_PX, rows + 1
        if swatch:
            parts.append(f'<rect x="{x:.1f}" y="{y - 8:.1f}" width="16" height="12" '
                         f'fill="{colour}"/>')
        else:
            dash = ' stroke-dasharray="6 4"' if dashed else ""
            parts.append(f'<line x1="{x:.1f}" x2="{x + 22:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                         f'stroke="{colour}" stroke-width="2.5"{dash}/>')
        parts.append(_text(x + (22 if swatch else 28), y + 4, name, "legend"))
        x += span + 24
    return "\n".join(parts), rows


def _y_grid(plot: _Plot, ticks: Sequence[float]) -> str:
    parts = []
    for tick in ticks:
        y = plot.ty(tick)
        parts.append(f'<line class="grid" x1="{plot.x}" x2="{plot.x + plot.w}" y1="{y:.1f}" '
                     f'y2="{y:.1f}"/>')
        parts.append(_text(plot.x - 6, y + 4, _tick(tick, ticks), "tick", "end"))
    return "\n".join(parts)


def _x_grid(plot: _Plot, ticks: Sequence[float]) -> str:
    """Vertical grid lines, labelled; every k-th label only where they would overlap."""
    widest = max(len(_tick(tick, ticks)) for tick in ticks) * CHAR_PX + 8
    every = math.ceil(widest / (plot.w / max(len(ticks) - 1, 1)))
    parts = []
    for n, tick in enumerate(ticks):
        x = plot.tx(tick)
        cls = "axis" if tick == 0 else "grid"
        parts.append(f'<line class="{cls}" x1="{x:.1f}" x2="{x:.1f}" y1="{plot.y}" '
                     f'y2="{plot.y + plot.h}"/>')
        if n % every == 0:
            parts.append(_text(x, plot.y + plot.h + 16, _tick(tick, ticks), "tick", "middle"))
    return "\n".join(parts)


def _x_periods(plot: _Plot, xs: Sequence[float], periods: Sequence[str], size: Size) -> str:
    """Period labels under the plot: every k-th one when there are more than `size` labels."""
    every = math.ceil(len(periods) / size.periods)
    parts = [f'<line class="axis" x1="{plot.x}" x2="{plot.x + plot.w}" y1="{plot.y + plot.h}" '
             f'y2="{plot.y + plot.h}"/>']
    for i, (x, period) in enumerate(zip(xs, periods, strict=True)):
        if i % every:
            continue
        for n, text in enumerate(period.split("\n")):
            parts.append(_text(x, plot.y + plot.h + 16 + 14 * n, text, "period", "middle"))
    return "\n".join(parts)


def _tick(value: float, ticks: Sequence[float]) -> str:
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = 0 if step >= 1 else min(3, math.ceil(-math.log10(step)))
    return f"{value:,.{decimals}f}"


def _reference_h(plot: _Plot, value: float, label: str) -> str:
    y = plot.ty(value)
    return (f'<line class="reference" x1="{plot.x}" x2="{plot.x + plot.w}" y1="{y:.1f}" '
            f'y2="{y:.1f}"/>\n' + _text(plot.x + plot.w - 4, y - 5, label, "note", "end"))


def _reference_v(plot: _Plot, value: float, label: str) -> str:
    x = plot.tx(value)
    return (f'<line class="reference" x1="{x:.1f}" x2="{x:.1f}" y1="{plot.y - 6}" '
            f'y2="{plot.y + plot.h}"/>\n' + _text(x + 4, plot.y - 8, label, "note"))


def _polyline(
    plot: _Plot, xs: Sequence[float], line: Line, colour: str, periods: Sequence[str], fmt: Format,
) -> str:
    """The line as one path (a gap where a value is missing) and a dot with a tooltip each."""
    commands, dots, pen_down = [], [], False
    for x, value, period in zip(xs, line.values, periods, strict=True):
        if value is None:
            pen_down = False
            continue
        y = plot.ty(value)
        commands.append(f"{'L' if pen_down else 'M'}{x:.1f} {y:.1f}")
        pen_down = True
        tip = f"{line.name}, {period.replace(chr(10), ' ')}: {fmt(value)}"
        dots.append(f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                    f"<title>{escape(tip)}</title></circle>")
    if not any(c.startswith("L") for c in commands):
        return "\n".join(dots)  # single points: dots, no line to draw
    dash = ' stroke-dasharray="6 4"' if line.dashed else ""
    path = (f'<path class="mark" d="{" ".join(commands)}" fill="none" stroke="{colour}" '
            f'stroke-width="2.5"{dash}/>')
    return "\n".join([path, *dots])


def _hbar(plot: _Plot, bar: Bar, lines: Sequence[str], y: float, row: float, fmt: Format) -> str:
    zero, end = plot.tx(0.0), plot.tx(bar.value)
    left, right = sorted((zero, end))
    colour = MUTED if bar.muted else bar.colour or (PALETTE[0] if bar.value >= 0 else NEGATIVE)
    first = y + row / 2 - 7.5 * (len(lines) - 1) + 4
    parts = [_text(plot.x - 10, first + 15 * n, text, "bar-label", "end")
             for n, text in enumerate(lines)]
    parts.append(
        f'<rect class="mark" x="{left:.1f}" y="{y + 5:.1f}" width="{max(right - left, 0.5):.1f}" '
        f'height="{row - 10:.1f}" fill="{colour}"><title>{escape(bar.label)}: '
        f"{escape(fmt(bar.value))}</title></rect>"
    )
    value_x, anchor = (right + 5, "start") if bar.value >= 0 else (left - 5, "end")
    parts.append(_text(value_x, y + row / 2 + 4, fmt(bar.value), "value", anchor))
    return "\n".join(parts)
