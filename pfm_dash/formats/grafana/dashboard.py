"""The dashboard object around the panels: time settings, annotations, links, variables.

``schemaVersion`` is the one Grafana 10.4/11 writes, so Grafana runs no migration on load;
``id`` and ``version`` are left out (Grafana assigns them).
"""

from __future__ import annotations

from typing import Any

from pfm_dash.formats.grafana.common import merge
from pfm_dash.formats.grafana.links import dashboard_links_json
from pfm_dash.formats.grafana.panels import panel_json, row_json
from pfm_dash.formats.grafana.variables import variable_json
from pfm_dash.model.dashboard import Dashboard
from pfm_dash.model.layout import layout

SCHEMA_VERSION = 39


# The "Annotations & Alerts" entry every Grafana dashboard has: Grafana's
# DashboardModel.addBuiltInAnnotationQuery inserts it on load when it is missing.
BUILTIN_ANNOTATION: dict[str, Any] = {
    "builtIn": 1,
    "datasource": {"type": "grafana", "uid": "-- Grafana --"},
    "enable": True,
    "hide": True,
    "iconColor": "rgba(0, 211, 255, 1)",
    "name": "Annotations & Alerts",
    "type": "dashboard",
}


def _builtin_annotations() -> dict[str, Any]:
    # A fresh copy each time (callers may edit the model); the one nested dict by hand, as
    # copy.deepcopy was a tenth of compiling a small dashboard.
    entry = dict(BUILTIN_ANNOTATION)
    entry["datasource"] = dict(BUILTIN_ANNOTATION["datasource"])
    return {"list": [entry]}


def dashboard_json(dashboard: Dashboard) -> dict[str, Any]:
    """One dashboard's Grafana JSON model, ``extra`` merged last."""
    panels = [
        row_json(placed, dashboard) if placed.row is not None else panel_json(placed, dashboard)
        for placed in layout(dashboard)
    ]
    data: dict[str, Any] = {
        "annotations": _builtin_annotations(),
        "description": dashboard.description,
        "editable": dashboard.editable,
        "fiscalYearStartMonth": 0,
        "graphTooltip": int(dashboard.graph_tooltip),
        "links": dashboard_links_json(dashboard.links),
        "liveNow": False,
        "panels": panels,
        "refresh": dashboard.refresh or "",
        "schemaVersion": SCHEMA_VERSION,
        "tags": list(dashboard.tags),
        "templating": {"list": [variable_json(v, dashboard) for v in dashboard.variables]},
        "time": {"from": dashboard.time.start, "to": dashboard.time.end},
        "timepicker": {},
        "timezone": dashboard.timezone,
        "title": dashboard.title,
        "uid": dashboard.uid,
        "weekStart": "",
    }
    return merge(data, dashboard.extra)
