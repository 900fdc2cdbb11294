"""Checks on the dashboard's shape before anything is parsed: one clear error per mistake.

What Grafana itself would refuse or silently rewrite is an error here, naming the JSON path:
not an object, no panels, a panel that is not an object or has no ``type``, two panels with
the same id (``ensurePanelsHaveUniqueIds`` in DashboardModel.ts would renumber one, and
every link to it would open the other).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pfm_dash.formats.grafana.parse.errors import DashboardJsonError


def _panels(data: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """(JSON path, panel) for every panel: top level, inside rows, inside old ``rows``."""
    for i, panel in enumerate(data.get("panels") or []):
        yield f"$.panels[{i}]", panel
        if isinstance(panel, Mapping):
            for j, child in enumerate(panel.get("panels") or []):
                yield f"$.panels[{i}].panels[{j}]", child
    for i, row in enumerate(data.get("rows") or []):
        if isinstance(row, Mapping):
            for j, child in enumerate(row.get("panels") or []):
                yield f"$.rows[{i}].panels[{j}]", child


def check_dashboard(data: Any, source: str) -> None:
    """Raise :class:`DashboardJsonError` for the first shape problem found."""
    if not isinstance(data, Mapping):
        raise DashboardJsonError(
            source,
            "$",
            f"not a Grafana dashboard: the JSON is {type(data).__name__}, not an object",
            "give a dashboard's JSON model (Grafana: Dashboard settings -> JSON Model)",
        )
    panels, rows = data.get("panels"), data.get("rows")
    if not isinstance(panels, list) and not isinstance(rows, list):
        raise DashboardJsonError(
            source,
            "$",
            'not a Grafana dashboard: it has no "panels" list',
            "give a dashboard's JSON model (Grafana: Dashboard settings -> JSON Model)",
        )
    for key in ("panels", "rows"):
        if key in data and data[key] is not None and not isinstance(data[key], list):
            raise DashboardJsonError(source, f"$.{key}", f'"{key}" is not a list')
    seen: dict[Any, str] = {}
    for path, panel in _panels(data):
        if not isinstance(panel, Mapping):
            raise DashboardJsonError(source, path, "panel is not a JSON object")
        kind = panel.get("type")
        if not isinstance(kind, str) or not kind:
            if "libraryPanel" in panel:
                continue  # a library panel reference: reported, not parsed
            raise DashboardJsonError(
                source, path, 'panel has no "type"', 'give its plugin id, e.g. "timeseries"'
            )
        panel_id = panel.get("id")
        if panel_id is None:
            continue
        if panel_id in seen:
            raise DashboardJsonError(
                source,
                path,
                f"panel id {panel_id!r} is used twice (also at {seen[panel_id]})",
                "give each panel its own id; links to the panel use it",
            )
        seen[panel_id] = path
