"""Grafana format: the model to Grafana dashboard JSON, generated directly.

Each module writes one concern, table-driven where the model has kinds:

- ``dashboard``: the dashboard object (schemaVersion, annotations, time settings);
- ``panels`` and ``kinds``: the keys every panel shares, and per kind its type id, options
  and field config (``fields``) and target format;
- ``targets``, ``overrides``, ``values``, ``links``, ``variables``: what their names say;
- ``common``: the datasource reference and the ``extra=`` deep merge.

What Grafana 10+ stores, and nothing it no longer reads; each choice is tested in
tests/formats/test_grafana.py. No grafanalib here: reading grafanalib modules is the parse
side's business (``parse/``), and a build never imports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pfm_dash.errors import Location
from pfm_dash.formats.grafana.common import datasource_ref
from pfm_dash.formats.grafana.dashboard import SCHEMA_VERSION, dashboard_json
from pfm_dash.model.dashboard import Dashboard, Folder
from pfm_dash.records import record

__all__ = [
    "SCHEMA_VERSION",
    "CompiledDashboard",
    "compile_dashboard",
    "compile_dashboards",
    "datasource_ref",
]


@record
class CompiledDashboard:
    """A dashboard ready to write or push."""

    uid: str
    title: str
    folder: Folder | None
    model: dict[str, Any]
    location: Location


def compile_dashboard(dashboard: Dashboard) -> CompiledDashboard:
    """One dashboard to its Grafana JSON model (no id or version: Grafana assigns those)."""
    return CompiledDashboard(
        uid=dashboard.uid,
        title=dashboard.title,
        folder=dashboard.folder,
        model=dashboard_json(dashboard),
        location=dashboard.location,
    )


def compile_dashboards(dashboards: Iterable[Dashboard]) -> list[CompiledDashboard]:
    """Every dashboard compiled, in the order given (a project's are sorted by uid)."""
    return [compile_dashboard(d) for d in dashboards]
