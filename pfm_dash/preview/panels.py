"""Drawing one panel: its frame and title, then a body for its kind, with or without data.

Without data a panel shows what a reviewer needs to judge it: its kind, unit, threshold colours
and queries. With data it shows what Grafana would: lines, values, gauges, bars, table rows.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from pfm_dash.model.panels import (
    AlertList,
    BarGauge,
    Gauge,
    Panel,
    Stat,
    StateTimeline,
    Table,
    TimeSeries,
)
from pfm_dash.model.vocab import Reduce, StatColorMode, TextMode
from pfm_dash.preview import theme
from pfm_dash.preview.data import PanelData, Series
from pfm_dash.preview.svg import Canvas, fit, num
from pfm_dash.preview.values import format_value, show, unit_name

HEADER = 32  # a panel's title bar
PAD = 8

KIND_NAMES = {
    TimeSeries: "Time series",
    Stat: "Stat",
    Gauge: "Gauge",
    BarGauge: "Bar gauge",
    Table: "Table",
    StateTimeline: "State timeline",
    AlertList: "Alert list",
}


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float


def kind_name(panel: Panel) -> str:
    return KIND_NAMES.get(type(panel), type(panel).__name__)


def frame(c: Canvas, panel: Panel, r: Rect, mark: str | None = None, dashed: bool = False) -> Rect:
    """The panel's box and title; returns the body's rectangle. ``mark`` outlines it in colour."""
    c.rect(
        r.x,
        r.y,
        r.w,
        r.h,
        rx=2,
        fill="none" if panel.transparent else theme.PANEL,
        stroke=mark or theme.PANEL_BORDER,
        stroke_width=3 if mark else 1,
        stroke_dasharray="6 4" if dashed else None,
    )
    kind = kind_name(panel)
    kind_w = len(kind) * 11 * 0.56 + PAD
    c.text(r.x + PAD, r.y + 21, panel.title, size=14, weight=500, limit=r.w - 2 * PAD - kind_w)
    c.text(r.x + r.w - PAD, r.y + 21, kind, size=11, fill=theme.TEXT_DIM, anchor="end")
    return Rect(r.x + PAD, r.y + HEADER, r.w - 2 * PAD, r.h - HEADER - PAD)


def body(c: Canvas, panel: Panel, r: Rect, data: PanelData | None) -> None:
    """Draw the panel's content into its body rectangle."""
    if r.h < 12 or r.w < 20:
        return
    if data is None:
        summary(c, panel, r)
    elif isinstance(panel, AlertList):
        alert_list(c, panel, r, data)
    elif data.error and not data.series:
        c.text(
            r.x + r.w / 2,
            r.y + r.h / 2,
            data.error,
            size=12,
            fill=theme.color("red"),
            anchor="middle",
            limit=r.w,
        )
    elif not data.series:
        c.text(
            r.x + r.w / 2,
            r.y + r.h / 2 + 6,
            "No data",
            size=16,
            fill=theme.TEXT_DIM,
            anchor="middle",
        )
    elif isinstance(panel, Stat):
        stat(c, panel, r, data.series)
    elif isinstance(panel, Gauge):
        gauge(c, panel, r, data.series)
    elif isinstance(panel, BarGauge):
        bar_gauge(c, panel, r, data.series)
    elif isinstance(panel, Table):
        table(c, panel, r, data.series)
    elif isinstance(panel, StateTimeline):
        state_timeline(c, panel, r, data.series, data.span)
    else:
        time_series(c, panel, r, data.series, data.span)


# --- without data: what the panel is ---------------------------------------------------------


def summary(c: Canvas, panel: Panel, r: Rect) -> None:
    """Unit, threshold colours and queries: the declaration, readable at a glance."""
    y = r.y + 12
    if not isinstance(panel, AlertList):
        unit = unit_name(panel.unit)
        c.text(r.x, y, f"unit: {unit}", size=11, fill=theme.TEXT_DIM, limit=r.w)
        y += 8
        threshold_strip(c, panel, Rect(r.x, y, r.w, 14))
        y += 30
    else:
        states = ", ".join(s.value for s in panel.states)
        c.text(r.x, y, f"shows alerts: {states}", size=11, fill=theme.TEXT_DIM, limit=r.w)
        y += 18
    for query in panel.queries:
        if y > r.y + r.h - 2:
            break
        c.text(r.x, y, query.expr.strip(), size=10, fill=theme.TEXT_DIM, limit=r.w, mono=True)
        y += 14
    sketch(c, panel, Rect(r.x, y, r.w, r.y + r.h - y))


def sketch(c: Canvas, panel: Panel, r: Rect) -> None:
    """A faint outline of what the panel kind draws, so the page reads like the dashboard."""
    if r.h < 30 or isinstance(panel, AlertList):
        return
    if isinstance(panel, TimeSeries | StateTimeline):
        for i in range(4):
            y = r.y + 8 + (r.h - 10) * i / 3
            c.line(r.x + 30, y, r.x + r.w, y, stroke=theme.GRID_LINE)
    elif isinstance(panel, Gauge):
        radius = max(min(r.w / 2 - 6, r.h * 0.5), 8)
        cx, cy = r.x + r.w / 2, r.y + r.h / 2 + radius * 0.2
        _arc(c, cx, cy, (0, 1), radius * 0.85, theme.GRID_LINE, max(radius * 0.15, 3))
        if panel.thresholds is not None and panel.show_threshold_markers:
            steps = panel.thresholds.steps
            for i, st in enumerate(steps):
                span = (i / len(steps), (i + 1) / len(steps))
                _arc(c, cx, cy, span, radius - 1, theme.color(st.color), 3)
    elif isinstance(panel, BarGauge):
        c.rect(r.x, r.y + 8, r.w, min(24, r.h - 12), fill=theme.GRID_LINE)
    elif isinstance(panel, Table):
        c.line(r.x, r.y + 22, r.x + r.w, r.y + 22, stroke=theme.PANEL_BORDER)
        c.text(r.x + 4, r.y + 16, "Series", size=12, fill=theme.color("blue"), weight=500)
        c.text(r.x + r.w - 4, r.y + 16, "Value", size=12, fill=theme.color("blue"), anchor="end")


def threshold_strip(c: Canvas, panel: Panel, r: Rect) -> None:
    """The threshold steps as equal coloured segments, each labelled with where it starts."""
    if panel.thresholds is None:
        c.rect(r.x, r.y, r.w, 4, fill=theme.color("green"), rx=1)
        return
    steps = panel.thresholds.steps
    width = r.w / len(steps)
    suffix = "%" if panel.thresholds.mode.value == "percentage" else ""
    for i, step in enumerate(steps):
        x = r.x + i * width
        c.rect(x, r.y, width - 2, 4, fill=theme.color(step.color), rx=1)
        label = (
            "base"
            if step.value is None
            else (f"{num(step.value)}{suffix}" if suffix else format_value(step.value, panel.unit))
        )
        c.text(x, r.y + 17, label, size=10, fill=theme.TEXT_DIM, limit=width - 4)


# --- with data ---------------------------------------------------------------------------------


def reduce(series: Series, how: Reduce) -> float | None:
    values = [v for _, v in series.points if not math.isnan(v)]
    if not values:
        return None
    if how is Reduce.MEAN:
        return sum(values) / len(values)
    if how is Reduce.MAX:
        return max(values)
    if how is Reduce.MIN:
        return min(values)
    if how is Reduce.SUM:
        return sum(values)
    if how is Reduce.COUNT:
        return float(len(values))
    return series.points[-1][1] if how is Reduce.LAST else values[-1]


def _bounds(panel: Panel, series: list[Series]) -> tuple[float, float]:
    values = [v for s in series for _, v in s.points if math.isfinite(v)]
    low = panel.min if panel.min is not None else min(values, default=0.0)
    high = panel.max if panel.max is not None else max(values, default=1.0)
    if panel.min is None and low > 0:
        low = 0.0
    if high <= low:
        high = low + (abs(low) or 1.0)
    return low, high


def _times(series: list[Series], span: tuple[float, float] | None) -> tuple[float, float]:
    """The time axis: the window the data was asked for, else the data's own extent."""
    if span is not None and span[1] > span[0]:
        return span
    stamps = [t for s in series for t, _ in s.points]
    start, end = min(stamps, default=0.0), max(stamps, default=1.0)
    return start, end if end > start else start + 1


def _clock(t: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(t))


def legend_row(c: Canvas, series: list[Series], x: float, y: float, w: float) -> None:
    """Series names with their colours, left to right while they fit."""
    cursor = x
    for i, s in enumerate(series):
        label = fit(s.name, 180, 11)
        need = 22 + len(label) * 11 * 0.56
        if cursor + need > x + w:
            c.text(cursor, y, f"+{len(series) - i}", size=11, fill=theme.TEXT_DIM)
            break
        c.rect(cursor, y - 6, 14, 3, fill=theme.series_color(i))
        c.text(cursor + 18, y, label, size=11)
        cursor += need + 10


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round axis values (1, 2, 2.5 or 5 times a power of ten) covering [low, high]."""
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    ticks = [first + i * step for i in range(count + 2)]
    return [t for t in ticks if low - 1e-9 <= t <= high + step * 1e-6]


def time_series(
    c: Canvas, panel: Panel, r: Rect, series: list[Series], span: tuple[float, float] | None
) -> None:
    legend_h, time_h = 18, 16
    low, high = _bounds(panel, series)
    ticks = nice_ticks(low, high)
    if panel.max is None and ticks and ticks[-1] < high:
        ticks.append(ticks[-1] + (ticks[1] - ticks[0] if len(ticks) > 1 else high - low))
    if ticks:
        low, high = min(low, ticks[0]), max(high, ticks[-1])
    labels = [format_value(t, panel.unit, panel.decimals) for t in ticks]
    axis_w = max((len(label) for label in labels), default=4) * 10 * 0.56 + 10
    plot = Rect(r.x + axis_w, r.y + 6, r.w - axis_w, r.h - legend_h - time_h - 6)
    if plot.h < 10:
        plot = Rect(plot.x, plot.y, plot.w, r.h - 6)
    start, end = _times(series, span)
    for value, label in zip(ticks, labels, strict=True):
        y = plot.y + plot.h - (value - low) / (high - low) * plot.h
        c.line(plot.x, y, plot.x + plot.w, y, stroke=theme.GRID_LINE)
        c.text(plot.x - 6, y + 4, label, size=10, fill=theme.TEXT_DIM, anchor="end")
    for i, t in enumerate((start, (start + end) / 2, end)):
        anchor = ("start", "middle", "end")[i]
        c.text(
            plot.x + plot.w * i / 2,
            plot.y + plot.h + 13,
            _clock(t),
            size=10,
            fill=theme.TEXT_DIM,
            anchor=anchor,
        )

    def at(t: float, v: float) -> tuple[float, float]:
        v = min(max(v, low), high)
        return plot.x + (t - start) / (end - start) * plot.w, plot.y + plot.h - (
            (v - low) / (high - low) * plot.h
        )

    for i, s in enumerate(series):
        points = [at(t, v) for t, v in s.points if math.isfinite(v)]
        if len(points) == 1:
            x, y = points[0]
            c.raw(f'<circle cx="{num(x)}" cy="{num(y)}" r="2" fill="{theme.series_color(i)}"/>')
        elif points:
            opacity = panel.fill_opacity / 100 if isinstance(panel, TimeSeries) else 0.0
            if opacity > 0:  # Grafana fills under each line (fillOpacity, 10 by default)
                base = plot.y + plot.h
                outline = " ".join(f"L {num(x)} {num(y)}" for x, y in points)
                first, last = num(points[0][0]), num(points[-1][0])
                area = f"M {first} {num(base)} {outline} L {last} {num(base)} Z"
                c.path(area, fill=theme.series_color(i), fill_opacity=round(opacity, 2))
            width = panel.line_width if isinstance(panel, TimeSeries) else 1
            c.polyline(points, stroke=theme.series_color(i), stroke_width=width + 0.5)
    legend_row(c, series, r.x, r.y + r.h - 2, r.w)


def state_timeline(
    c: Canvas, panel: StateTimeline, r: Rect, series: list[Series], span: tuple[float, float] | None
) -> None:
    """One lane per series, each span in the colour its value maps to."""
    name_w = min(160.0, r.w * 0.3)
    start, end = _times(series, span)
    lane = min(28.0, (r.h - 14) / max(len(series), 1))
    for i, s in enumerate(series):
        y = r.y + i * lane
        c.text(r.x + name_w - 6, y + lane / 2 + 4, s.name, size=11, anchor="end", limit=name_w - 8)
        span_w = r.w - name_w
        spans: list[tuple[float, float, str]] = []  # (from, to, colour), equal neighbours merged
        for j, (t, v) in enumerate(s.points):
            t_next = s.points[j + 1][0] if j + 1 < len(s.points) else end
            shade = show(panel, v).color
            if spans and spans[-1][2] == shade and panel.merge_values:
                spans[-1] = (spans[-1][0], t_next, shade)
            else:
                spans.append((t, t_next, shade))
        for t0, t1, shade in spans:
            x0 = r.x + name_w + (t0 - start) / (end - start) * span_w
            x1 = r.x + name_w + (t1 - start) / (end - start) * span_w
            c.rect(x0, y + 1, max(x1 - x0 - 1, 1.0), lane * panel.row_height - 2, fill=shade)
    c.text(r.x + name_w, r.y + r.h - 2, _clock(start), size=10, fill=theme.TEXT_DIM)
    c.text(r.x + r.w, r.y + r.h - 2, _clock(end), size=10, fill=theme.TEXT_DIM, anchor="end")


def _cells(r: Rect, count: int) -> list[Rect]:
    """Split ``r`` into ``count`` cells, side by side when wide, stacked when tall."""
    cols = count if r.w / max(count, 1) >= 90 or r.w >= r.h * 2 else 1
    cols = max(1, min(cols, count))
    rows = math.ceil(count / cols)
    w, h = r.w / cols, r.h / rows
    return [Rect(r.x + (i % cols) * w, r.y + (i // cols) * h, w, h) for i in range(count)]


def stat(c: Canvas, panel: Stat, r: Rect, series: list[Series]) -> None:
    for s, cell in zip(series, _cells(r, len(series)), strict=False):
        value = reduce(s, panel.reduce)
        shown = show(panel, value)
        text_color = shown.color
        if panel.stat_color is StatColorMode.BACKGROUND:
            c.rect(cell.x + 1, cell.y + 1, cell.w - 2, cell.h - 2, fill=shown.color, rx=2)
            text_color = "#ffffff"
        elif panel.stat_color is StatColorMode.NONE:
            text_color = theme.TEXT
        with_name = panel.text is TextMode.VALUE_AND_NAME or (
            panel.text is TextMode.AUTO and len(series) > 1
        )
        size = max(
            10.0,
            min(cell.h * (0.42 if with_name else 0.55), cell.w / max(len(shown.text), 1) * 1.5, 40),
        )
        middle = cell.y + cell.h / 2 + size * 0.35
        if with_name:
            c.text(
                cell.x + cell.w / 2,
                cell.y + cell.h * 0.32,
                s.name,
                size=11,
                fill=text_color,
                anchor="middle",
                limit=cell.w - 8,
            )
            middle = cell.y + cell.h * 0.32 + 8 + size
        c.text(
            cell.x + cell.w / 2,
            min(middle, cell.y + cell.h - 4),
            shown.text,
            size=size,
            fill=text_color,
            anchor="middle",
            weight=500,
            limit=cell.w - 6,
        )


GAUGE_SWEEP = 240.0  # degrees of Grafana's gauge arc, opening at the bottom


def _arc(
    c: Canvas, cx: float, cy: float, span: tuple[float, float], rad: float, color: str, width: float
) -> None:
    """An arc of the gauge from fraction span[0] to span[1] of its sweep."""
    a0 = math.radians(150 + GAUGE_SWEEP * span[0])
    a1 = math.radians(150 + GAUGE_SWEEP * span[1])
    x0, y0 = cx + rad * math.cos(a0), cy + rad * math.sin(a0)
    x1, y1 = cx + rad * math.cos(a1), cy + rad * math.sin(a1)
    large = 1 if (span[1] - span[0]) * GAUGE_SWEEP > 180 else 0
    c.path(
        f"M {num(x0)} {num(y0)} A {num(rad)} {num(rad)} 0 {large} 1 {num(x1)} {num(y1)}",
        fill="none",
        stroke=color,
        stroke_width=width,
    )


def gauge(c: Canvas, panel: Gauge, r: Rect, series: list[Series]) -> None:
    low, high = (panel.min or 0.0, panel.max if panel.max is not None else 100.0)
    if panel.max is None:
        low, high = _bounds(panel, series)
    for s, cell in zip(series, _cells(r, len(series)), strict=False):
        value = reduce(s, panel.reduce)
        shown = show(panel, value)
        radius = max(min(cell.w / 2 - 6, cell.h * 0.62), 8)
        cx, cy = cell.x + cell.w / 2, cell.y + cell.h / 2 + radius * 0.35
        frac = 0.0 if value is None else min(max((value - low) / (high - low), 0.0), 1.0)
        thick = max(radius * 0.18, 3)
        _arc(c, cx, cy, (0, 1), radius - thick, theme.GRID_LINE, thick)
        if frac > 0:
            _arc(c, cx, cy, (0, frac), radius - thick, shown.color, thick)
        if panel.show_threshold_markers and panel.thresholds is not None:
            steps = panel.thresholds.steps
            edges = [low] + [min(max(st.value or low, low), high) for st in steps[1:]] + [high]
            for st, a, b in zip(steps, edges, edges[1:], strict=False):
                if b > a:
                    span = ((a - low) / (high - low), (b - low) / (high - low))
                    _arc(c, cx, cy, span, radius - 1, theme.color(st.color), 3)
        size = max(10.0, min(radius * 0.45, 32))
        c.text(
            cx,
            cy + size * 0.35,
            shown.text,
            size=size,
            fill=shown.color,
            anchor="middle",
            weight=500,
            limit=radius * 1.5,
        )
        if len(series) > 1:
            c.text(
                cx,
                cell.y + cell.h - 2,
                s.name,
                size=10,
                fill=theme.TEXT_DIM,
                anchor="middle",
                limit=cell.w - 4,
            )


def bar_gauge(c: Canvas, panel: BarGauge, r: Rect, series: list[Series]) -> None:
    low, high = _bounds(panel, series)
    lane = min(34.0, r.h / max(len(series), 1))
    for i, s in enumerate(series):
        value = reduce(s, panel.reduce)
        shown = show(panel, value)
        y = r.y + i * lane
        c.text(r.x, y + 11, s.name, size=11, limit=r.w)
        bar_w = r.w - 70
        c.rect(
            r.x, y + 15, bar_w, lane - 19, fill=theme.GRID_LINE if panel.show_unfilled else "none"
        )
        frac = 0.0 if value is None else min(max((value - low) / (high - low), 0.0), 1.0)
        c.rect(r.x, y + 15, bar_w * frac, lane - 19, fill=shown.color)
        c.text(
            r.x + r.w, y + lane - 6, shown.text, size=14, fill=shown.color, anchor="end", weight=500
        )


def table(c: Canvas, panel: Table, r: Rect, series: list[Series]) -> None:
    row_h = 22
    name_w = r.w * 0.7
    if panel.show_header:
        c.text(r.x + 4, r.y + 14, "Series", size=12, fill=theme.color("blue"), weight=500)
        c.text(
            r.x + r.w - 4,
            r.y + 14,
            "Value",
            size=12,
            fill=theme.color("blue"),
            weight=500,
            anchor="end",
        )
        c.line(r.x, r.y + row_h, r.x + r.w, r.y + row_h, stroke=theme.PANEL_BORDER)
    for i, s in enumerate(series):
        y = r.y + row_h * (i + 1 + panel.show_header) - 7
        if y > r.y + r.h:
            break
        shown = show(panel, s.last)
        c.text(r.x + 4, y, s.name, size=12, limit=name_w)
        c.text(r.x + r.w - 4, y, shown.text, size=12, anchor="end")
        c.line(r.x, y + 7, r.x + r.w, y + 7, stroke=theme.GRID_LINE)


def alert_list(c: Canvas, panel: AlertList, r: Rect, data: PanelData) -> None:
    wanted = {s.value for s in panel.states}
    shown = [
        (n, s) for n, s in data.alerts if s in wanted or ("normal" in wanted and s == "inactive")
    ]
    if not shown:
        c.text(
            r.x + r.w / 2, r.y + r.h / 2, "No alerts", size=14, fill=theme.TEXT_DIM, anchor="middle"
        )
        return
    for i, (name, state) in enumerate(shown[: panel.max_items]):
        y = r.y + 16 + i * 22
        if y > r.y + r.h:
            break
        color = theme.color("red" if state == "firing" else "orange")
        c.rect(r.x, y - 11, 4, 14, fill=color)
        c.text(r.x + 12, y, name, size=12, limit=r.w * 0.7)
        c.text(r.x + r.w, y, state.upper(), size=11, fill=color, anchor="end", weight=500)
