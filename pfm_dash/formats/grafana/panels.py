"""Panels and rows, placed on the grid: the keys every kind shares, then its own from
:mod:`.kinds`, then the declaration's ``extra``.

Only what Grafana 10+ reads is written: no ``span``, ``height``, ``maxDataPoints``,
``cacheTimeout``, ``error``... (grafanalib's Grafana 5-7 keys), and the datasource is a
``{type, uid}`` reference, not a name string or null.
"""

from __future__ import annotations

from typing import Any

from pfm_dash.formats.grafana.common import datasource_ref, merge
from pfm_dash.formats.grafana.kinds import kind_of
from pfm_dash.formats.grafana.links import panel_links_json
from pfm_dash.formats.grafana.overrides import overrides_json
from pfm_dash.formats.grafana.targets import targets_json
from pfm_dash.model.dashboard import Dashboard
from pfm_dash.model.layout import Box, Placed


def grid_pos(box: Box) -> dict[str, int]:
    return {"h": box.h, "w": box.w, "x": box.x, "y": box.y}


def panel_json(placed: Placed, dashboard: Dashboard) -> dict[str, Any]:
    panel = placed.panel
    assert panel is not None
    kind = kind_of(panel)
    options, defaults = kind.fields(panel)
    datasource = datasource_ref(dashboard)
    data = {
        "datasource": datasource,
        "description": panel.description,
        "fieldConfig": {"defaults": defaults, "overrides": overrides_json(panel.overrides)},
        "gridPos": grid_pos(placed.box),
        "id": placed.id,
        "links": panel_links_json(panel.links),
        "options": options,
        "targets": targets_json(panel, kind.target_format, datasource),
        "title": panel.title,
        "transparent": panel.transparent,
        "type": kind.type(panel),
    }
    return merge(data, panel.extra)


def row_json(placed: Placed, dashboard: Dashboard) -> dict[str, Any]:
    """A row panel. A collapsed row stores its panels; an expanded row's follow it."""
    row = placed.row
    assert row is not None
    data = {
        "collapsed": row.collapsed,
        "gridPos": {"h": 1, "w": 24, "x": placed.box.x, "y": placed.box.y},
        "id": placed.id,
        "panels": [panel_json(child, dashboard) for child in placed.children],
        "title": row.title,
        "type": "row",
    }
    return merge(data, row.extra)
