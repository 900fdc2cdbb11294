"""One dashboard as an SVG: the 24-column grid to scale, rows, panels and review marks.

Positions come from :func:`pfm_dash.model.layout.layout`, the same placement the generator
writes, turned into pixels as Grafana's react-grid-layout does (see :mod:`.theme`). Panels of
a collapsed row are hidden on the dashboard, so they are drawn after the grid, at their
expanded places under the row's title; panels removed since ``--base`` come last.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pfm_dash.model.dashboard import Dashboard, Row
from pfm_dash.model.layout import Box, Placed, layout
from pfm_dash.model.panels import Panel
from pfm_dash.preview import theme
from pfm_dash.preview.changes import DashboardChanges, Mark
from pfm_dash.preview.data import PanelData
from pfm_dash.preview.panels import Rect, body, frame
from pfm_dash.preview.svg import Canvas

PAD = 16
HEADER = 64
SECTION = 40  # the caption above collapsed rows' and removed panels
Fill = Callable[[Panel, float], PanelData]
MARK_COLORS = {Mark.ADDED: theme.ADDED, Mark.CHANGED: theme.CHANGED, Mark.REMOVED: theme.REMOVED}


def column_width(width: float = theme.CANVAS_WIDTH) -> float:
    return (width - theme.MARGIN * (theme.COLUMNS - 1)) / theme.COLUMNS


def to_pixels(box: Box, top: float, width: float = theme.CANVAS_WIDTH) -> Rect:
    """A grid box in pixels: 30 px rows and 8 px gutters, the columns sharing ``width``."""
    col = column_width(width)
    return Rect(
        PAD + box.x * (col + theme.MARGIN),
        top + box.y * (theme.CELL_HEIGHT + theme.MARGIN),
        box.w * col + (box.w - 1) * theme.MARGIN,
        box.h * theme.CELL_HEIGHT + (box.h - 1) * theme.MARGIN,
    )


@dataclass
class _Drawing:
    dashboard: Dashboard
    fill: Fill | None
    changes: DashboardChanges | None

    def __post_init__(self) -> None:
        self.canvas = Canvas(theme.CANVAS_WIDTH + 2 * PAD, 0)
        self.index = {id(p): i for i, p in enumerate(self.dashboard.all_panels())}
        self.bottom = float(HEADER)

    def mark(self, panel: Panel) -> Mark | None:
        if self.changes is None:
            return None
        return self.changes.marks.get(self.index.get(id(panel), -1))

    def panel(self, panel: Panel, r: Rect, mark: Mark | None) -> None:
        color = MARK_COLORS[mark] if mark else None
        inner = frame(self.canvas, panel, r, color, dashed=mark is Mark.REMOVED)
        data = self.fill(panel, r.w) if self.fill is not None and mark is not Mark.REMOVED else None
        body(self.canvas, panel, inner, data)
        if mark is not None:
            badge = mark.value.upper()
            w = len(badge) * 7.5 + 12
            self.canvas.rect(r.x + r.w - w - 2, r.y - 8, w, 16, rx=3, fill=color)
            self.canvas.text(
                r.x + r.w - 2 - w / 2,
                r.y + 4,
                badge,
                size=10,
                fill=theme.CANVAS,
                anchor="middle",
                weight=700,
            )
        self.bottom = max(self.bottom, r.y + r.h)

    def row(self, row: Row, r: Rect, note: str = "") -> None:
        arrow = "▸" if row.collapsed else "▾"
        text = f"{arrow} {row.title}" + (
            f"  ({len(row.panels)} panels{note})" if row.collapsed else ""
        )
        self.canvas.text(r.x, r.y + 20, text, size=14, weight=500, limit=r.w)
        self.canvas.line(r.x, r.y + r.h, r.x + r.w, r.y + r.h, stroke=theme.PANEL_BORDER)
        self.bottom = max(self.bottom, r.y + r.h)

    def caption(self, text: str, color: str = theme.TEXT_DIM) -> float:
        """A section title below what is drawn; returns the top of the section's grid."""
        y = self.bottom + SECTION
        self.canvas.text(PAD, y - 10, text, size=13, fill=color, weight=500)
        return y

    def grid(
        self, placed: list[Placed], top: float, shift: int = 0, force: Mark | None = None
    ) -> None:
        for item in placed:
            box = Box(item.box.x, item.box.y - shift, item.box.w, item.box.h)
            r = to_pixels(box, top)
            if item.row is not None:
                self.row(item.row, r, "; drawn below" if item.children else "")
            elif item.panel is not None:
                self.panel(item.panel, r, force or self.mark(item.panel))


def header(c: Canvas, dashboard: Dashboard, note: str, changes: DashboardChanges | None) -> None:
    c.text(PAD, 30, dashboard.title, size=20, weight=500)
    folder = f"{dashboard.folder.title} / " if dashboard.folder else ""
    time_range = f"{dashboard.time.start} to {dashboard.time.end}"
    c.text(
        PAD,
        50,
        f"{folder}{dashboard.uid} · {time_range}" + (f" · {note}" if note else ""),
        size=12,
        fill=theme.TEXT_DIM,
    )
    if changes is None:
        return
    x = float(theme.CANVAS_WIDTH + PAD)
    counts = changes.count
    for mark in (Mark.REMOVED, Mark.CHANGED, Mark.ADDED):
        label = f"{mark.value} ({counts[mark]})"
        c.text(x, 30, label, size=12, anchor="end")
        x -= len(label) * 12 * 0.56 + 6
        c.rect(x - 14, 20, 14, 12, rx=2, fill=MARK_COLORS[mark])
        x -= 28
    if changes.whole is not None:
        c.text(
            theme.CANVAS_WIDTH + PAD,
            50,
            f"whole dashboard {changes.whole.value}",
            size=12,
            fill=MARK_COLORS[changes.whole],
            anchor="end",
            weight=700,
        )


def dashboard_svg(
    dashboard: Dashboard,
    fill: Fill | None = None,
    changes: DashboardChanges | None = None,
    note: str = "",
    base: Dashboard | None = None,
) -> str:
    """The dashboard drawn as Grafana lays it out; ``fill`` gives panels data, ``changes`` marks
    them against ``base`` (whose removed panels are drawn at their old places, last)."""
    drawing = _Drawing(dashboard, fill, changes)
    header(drawing.canvas, dashboard, note, changes)
    placed = layout(dashboard)
    removed_whole = changes is not None and changes.whole is Mark.REMOVED
    drawing.grid(placed, HEADER + PAD, force=Mark.REMOVED if removed_whole else None)
    for item in placed:
        if item.row is not None and item.children:
            top = drawing.caption(f"▾ {item.row.title}: collapsed on the dashboard, shown expanded")
            drawing.grid(list(item.children), top, shift=item.box.y + 1)
    if changes is not None and changes.removed and not removed_whole and base is not None:
        gone = {id(p) for p in changes.removed}
        old = [p for p in _flat(layout(base)) if p.panel is not None and id(p.panel) in gone]
        top = drawing.caption("Removed panels, where they were", theme.REMOVED)
        shift = min(p.box.y for p in old)
        drawing.grid(old, top, shift=shift, force=Mark.REMOVED)
    drawing.canvas.height = drawing.bottom + PAD
    return drawing.canvas.render()


def _flat(placed: list[Placed]) -> list[Placed]:
    out: list[Placed] = []
    for item in placed:
        out.append(item)
        out.extend(item.children)
    return out
