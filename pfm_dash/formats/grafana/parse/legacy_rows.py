"""Schema 16: top-level ``rows`` become row panels on the 24-column grid.

Follows ``DashboardMigrator.upgradeToGridLayout`` (grafana/grafana
public/app/features/dashboard/state/DashboardMigrator.ts; its Go port
apps/dashboard/pkg/migration/schemaversion/v16.go): a span of 12 columns becomes 24 grid
columns, heights in pixels become grid units of 38 px (30 px cell + 8 px gap), at least 90 px.
"""

from __future__ import annotations

import math
import re
from typing import Any

_CELL = 30
_GAP = 8
_MIN_PANEL_PX = 90  # MIN_PANEL_HEIGHT (app/core/constants.ts)
_DEFAULT_ROW_PX = 250  # DEFAULT_ROW_HEIGHT
_DEFAULT_SPAN = 4  # DEFAULT_PANEL_SPAN


def _grid_height(height: Any) -> int:
    """Pixels (a number or ``"250px"``) to grid units, as ``getGridHeight`` does."""
    px: float = _DEFAULT_ROW_PX
    if isinstance(height, str):
        match = re.match(r"^\s*(\d+(?:\.\d+)?)", height)
        if match:
            px = float(match.group(1))
    elif isinstance(height, int | float) and not isinstance(height, bool) and height:
        px = float(height)
    return math.ceil(max(px, _MIN_PANEL_PX) / (_CELL + _GAP))


def rows_to_panels(data: dict[str, Any]) -> int:
    """Replace ``data["rows"]`` by panels in place; the number of rows converted."""
    rows = data.pop("rows", None)
    if not isinstance(rows, list):
        return 0
    panels: list[dict[str, Any]] = list(data.get("panels") or [])
    max_id = max(
        (p.get("id", 0) for r in rows if isinstance(r, dict) for p in r.get("panels") or []),
        default=0,
    )
    max_id = max([max_id, *(p.get("id", 0) for p in panels if isinstance(p, dict))])
    # Row panels only when some row was visible as a row (collapse, showTitle or repeat).
    show_rows = any(
        isinstance(r, dict) and (r.get("collapse") or r.get("showTitle") or r.get("repeat"))
        for r in rows
    )
    y = 0
    for row in rows:
        if not isinstance(row, dict) or row.get("repeatIteration"):
            continue
        row_h = _grid_height(row.get("height"))
        collapsed = bool(row.get("collapse"))
        row_panel: dict[str, Any] | None = None
        if show_rows:
            max_id += 1
            row_panel = {
                "type": "row",
                "title": row.get("title", ""),
                "id": max_id,
                "collapsed": collapsed,
                "panels": [],
                "gridPos": {"x": 0, "y": y, "w": 24, "h": 1},
            }
            if row.get("repeat"):
                row_panel["repeat"] = row["repeat"]
            y += 1
        x, line_y, line_h = 0, y, 0
        for panel in row.get("panels") or []:
            if not isinstance(panel, dict):
                continue
            span = panel.pop("span", _DEFAULT_SPAN) or _DEFAULT_SPAN
            w = min(24, math.floor(float(span)) * 2)
            h = _grid_height(panel.pop("height")) if panel.get("height") else row_h
            if x + w > 24:
                x, line_y = 0, line_y + line_h
                line_h = 0
            panel["gridPos"] = {"x": x, "y": line_y, "w": w, "h": h}
            x += w
            line_h = max(line_h, h)
            if "minSpan" in panel:
                panel["minSpan"] = min(24, 24 // 12 * panel["minSpan"])
            if row_panel is not None and collapsed:
                row_panel["panels"].append(panel)
            else:
                panels.append(panel)
        if row_panel is not None:
            panels.append(row_panel)
        if not collapsed:
            y = max(line_y + line_h, y + row_h)
    data["panels"] = panels
    return len(rows)
