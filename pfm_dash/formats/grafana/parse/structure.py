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


def _list(holder: Mapping[str, Any], key: str, path: str, source: str) -> list[Any]:
    """``holder[key]`` when it is a list (absent or null: empty); anything else is an error."""
    value = holder.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise DashboardJsonError(source, f"{path}.{key}", f'"{key}" is not a list')
    return value


def _object(holder: Mapping[str, Any], key: str, path: str, source: str) -> Mapping[str, Any]:
    value = holder.get(key)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise DashboardJsonError(source, f"{path}.{key}", f'"{key}" is not a JSON object')
    return value


def _panels(data: Mapping[str, Any], source: str) -> Iterator[tuple[str, Any]]:
    """(JSON path, panel) for every panel: top level, inside rows, inside old ``rows``."""
    for i, panel in enumerate(_list(data, "panels", "$", source)):
        yield f"$.panels[{i}]", panel
        if isinstance(panel, Mapping):
            for j, child in enumerate(_list(panel, "panels", f"$.panels[{i}]", source)):
                yield f"$.panels[{i}].panels[{j}]", child
    for i, row in enumerate(_list(data, "rows", "$", source)):
        if not isinstance(row, Mapping):
            raise DashboardJsonError(source, f"$.rows[{i}]", "row is not a JSON object")
        for j, child in enumerate(_list(row, "panels", f"$.rows[{i}]", source)):
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
    if panels is None and rows is None:
        raise DashboardJsonError(
            source,
            "$",
            'not a Grafana dashboard: it has no "panels" list',
            "give a dashboard's JSON model (Grafana: Dashboard settings -> JSON Model)",
        )
    templating = _object(data, "templating", "$", source)
    for i, variable in enumerate(_list(templating, "list", "$.templating", source)):
        if not isinstance(variable, Mapping):
            raise DashboardJsonError(
                source, f"$.templating.list[{i}]", "variable is not a JSON object"
            )
    _list(_object(data, "annotations", "$", source), "list", "$.annotations", source)
    seen: dict[Any, str] = {}
    for path, panel in _panels(data, source):
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
        if not isinstance(panel_id, int | float) or isinstance(panel_id, bool):
            raise DashboardJsonError(
                source, f"{path}.id", f"panel id {panel_id!r} is not a number", "use 1, 2, 3..."
            )
        if panel_id in seen:
            raise DashboardJsonError(
                source,
                path,
                f"panel id {panel_id!r} is used twice (also at {seen[panel_id]})",
                "give each panel its own id; links to the panel use it",
            )
        seen[panel_id] = path
