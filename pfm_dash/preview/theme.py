"""Grafana's dark theme and grid, as numbers, so a preview looks like the real dashboard."""

from __future__ import annotations

# Grid geometry: public/app/core/constants.ts (GRID_CELL_HEIGHT = 30, GRID_CELL_VMARGIN = 8,
# GRID_COLUMN_COUNT = 24); react-grid-layout puts the same 8 px margin between columns.
CELL_HEIGHT = 30
MARGIN = 8
COLUMNS = 24
CANVAS_WIDTH = 1200  # pixels for the 24 columns: a laptop-sized Grafana

# packages/grafana-data/src/themes/createColors.ts, dark mode.
CANVAS = "#111217"  # background.canvas
PANEL = "#181b1f"  # background.primary
PANEL_BORDER = "#2a2d33"  # border.weak, rgba(204, 204, 220, 0.12) over the panel
GRID_LINE = "#24272d"  # a fainter weak border for axes' grid lines
TEXT = "#ccccdc"  # text.primary, rgb(204, 204, 220)
TEXT_DIM = "#8e8e9a"  # text.secondary, rgba(204, 204, 220, 0.65) over the panel
FONT = "Inter, Helvetica, Arial, sans-serif"

# packages/grafana-data/src/themes/createVisualizationColors.ts, getDarkHues(): the colour
# Grafana paints for each named palette colour in the dark theme.
NAMED = {
    "super-light-red": "#FFA6B0",
    "light-red": "#FF7383",
    "red": "#F2495C",
    "semi-dark-red": "#E02F44",
    "dark-red": "#C4162A",
    "super-light-orange": "#FFCB7D",
    "light-orange": "#FFB357",
    "orange": "#FF9830",
    "semi-dark-orange": "#FF780A",
    "dark-orange": "#FA6400",
    "super-light-yellow": "#FFF899",
    "light-yellow": "#FFEE52",
    "yellow": "#FADE2A",
    "semi-dark-yellow": "#F2CC0C",
    "dark-yellow": "#E0B400",
    "super-light-green": "#C8F2C2",
    "light-green": "#96D98D",
    "green": "#73BF69",
    "semi-dark-green": "#56A64B",
    "dark-green": "#37872D",
    "super-light-blue": "#C0D8FF",
    "light-blue": "#8AB8FF",
    "blue": "#5794F2",
    "semi-dark-blue": "#3274D9",
    "dark-blue": "#1F60C4",
    "super-light-purple": "#DEB6F2",
    "light-purple": "#CA95E5",
    "purple": "#B877D9",
    "semi-dark-purple": "#A352CC",
    "dark-purple": "#8F3BB8",
    "text": TEXT,
    "transparent": "none",
}

# The same file's getClassicPalette(): series colours in order (the first twelve).
CLASSIC = (
    "green",
    "yellow",
    "blue",
    "orange",
    "red",
    "purple",
    "dark-green",
    "dark-yellow",
    "dark-blue",
    "dark-orange",
    "dark-red",
    "dark-purple",
)

# Review marks: what changed against --base.
ADDED = NAMED["green"]
CHANGED = NAMED["orange"]
REMOVED = NAMED["red"]


def color(name: object) -> str:
    """The colour Grafana draws for a palette name or ``#hex`` (getColorByName)."""
    text = str(getattr(name, "value", name))
    return NAMED.get(text, text)


def series_color(index: int) -> str:
    """The classic palette's colour for the ``index``-th series of a panel."""
    return NAMED[CLASSIC[index % len(CLASSIC)]]
