"""Grafana format: dashboards to Grafana dashboard JSON, through grafanalib.

grafanalib builds the panel and dashboard shells; its defaults are from Grafana 5-7 and are
wrong for a current Grafana, so every panel and dashboard is corrected on the way out: the
modules of this package set what Grafana 10+ stores and drop what it no longer reads. Each fix
is named in a comment and has a test in tests/formats/test_grafana.py.

- ``shell``: resolving grafanalib objects, datasource references, the ``extra=`` merge;
- ``fields``: field config and options per panel kind;
- ``panels``: panels, rows and their targets;
- ``variables``: dashboard variables;
- this module: the dashboard itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import grafanalib.core as G

from pfm_dash.errors import Location
from pfm_dash.formats.grafana.panels import panel_json, row_json
from pfm_dash.formats.grafana.shell import datasource_ref, merge, shell_json, to_json
from pfm_dash.formats.grafana.variables import variable_json
from pfm_dash.model.dashboard import Dashboard, Folder
from pfm_dash.model.layout import layout
from pfm_dash.model.panels import Link

if TYPE_CHECKING:
    from pfm_dash.project import Project

__all__ = [
    "SCHEMA_VERSION",
    "CompiledDashboard",
    "compile_dashboard",
    "compile_dashboards",
    "datasource_ref",
    "to_json",
]

SCHEMA_VERSION = 39

_LEGACY_DASHBOARD_KEYS = (
    "rows",
    "style",
    "hideControls",
    "sharedCrosshair",
    "gnetId",
    "__inputs",
    "id",
    "version",
)


@dataclass(frozen=True)
class CompiledDashboard:
    """A dashboard ready to write or push."""

    uid: str
    title: str
    folder: Folder | None
    model: dict[str, Any]
    location: Location


_BUILTIN_ANNOTATIONS = {
    "list": [
        {
            "builtIn": 1,
            "datasource": {"type": "grafana", "uid": "-- Grafana --"},
            "enable": True,
            "hide": True,
            "iconColor": "rgba(0, 211, 255, 1)",
            "name": "Annotations & Alerts",
            "type": "dashboard",
        }
    ]
}


def _dashboard_links(links: Iterable[Link]) -> list[dict[str, Any]]:
    return [
        merge(
            {
                "asDropdown": False,
                "icon": "external link",
                "includeVars": False,
                "keepTime": True,
                "tags": [],
                "targetBlank": link.new_tab,
                "title": link.title,
                "tooltip": "",
                "type": "link",
                "url": link.url,
            },
            link.extra,
        )
        for link in links
    ]


def compile_dashboard(dashboard: Dashboard) -> CompiledDashboard:
    """One dashboard to its Grafana JSON model (no id or version: Grafana assigns those)."""
    panels: list[dict[str, Any]] = []
    for placed in layout(dashboard):
        if placed.row is not None:
            panels.append(row_json(placed, dashboard))
        else:
            panels.append(panel_json(placed, dashboard))
    shell = G.Dashboard(
        title=dashboard.title,
        uid=dashboard.uid,
        description=dashboard.description,
        tags=list(dashboard.tags),
        editable=dashboard.editable,
        graphTooltip=int(dashboard.graph_tooltip),
        timezone=dashboard.timezone,
        refresh=dashboard.refresh or "",
        time=G.Time(dashboard.time.start, dashboard.time.end),
    )
    replaced = ("panels", "annotations", "links", "templating", "timepicker")
    data = shell_json(shell, (*_LEGACY_DASHBOARD_KEYS, *replaced))
    data["schemaVersion"] = SCHEMA_VERSION  # grafanalib: 12 (Grafana 4)
    data["annotations"] = _BUILTIN_ANNOTATIONS
    data["panels"] = panels
    data["links"] = _dashboard_links(dashboard.links)
    data["templating"] = {"list": [variable_json(v, dashboard) for v in dashboard.variables]}
    data["timepicker"] = {}
    data["fiscalYearStartMonth"] = 0
    data["weekStart"] = ""
    data["liveNow"] = False
    merge(data, dashboard.extra)
    return CompiledDashboard(
        uid=dashboard.uid,
        title=dashboard.title,
        folder=dashboard.folder,
        model=data,
        location=dashboard.location,
    )


def compile_dashboards(project: Project) -> list[CompiledDashboard]:
    """Every dashboard of a project (a :class:`pfm_dash.project.Project`), sorted by uid."""
    return [compile_dashboard(d) for d in project.dashboards]
