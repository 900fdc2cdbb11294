"""grafanalib plumbing: turning its objects into plain JSON, and what every panel shares."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pfm_dash.model.dashboard import Dashboard

_SCALARS = frozenset({str, int, float, bool, type(None)})


def to_json(obj: Any) -> Any:
    """Resolve grafanalib objects into plain JSON values (what DashboardEncoder does, once).

    This is the hot loop of a build with many dashboards: scalars return at once.
    """
    kind = type(obj)
    if kind in _SCALARS:
        return obj
    if kind is dict:
        return {k: to_json(v) for k, v in obj.items()}
    if kind is list or kind is tuple:
        return [to_json(v) for v in obj]
    to_data = getattr(obj, "to_json_data", None)
    return obj if to_data is None else to_json(to_data())


def shell_json(shell: Any, replaced: Iterable[str]) -> dict[str, Any]:
    """A grafanalib object's JSON without the keys we replace or drop, which are never resolved."""
    data: dict[str, Any] = shell.to_json_data()
    for key in replaced:
        data.pop(key, None)
    return {k: to_json(v) for k, v in data.items()}


def datasource_ref(dashboard: Dashboard) -> dict[str, str]:
    """Grafana 8.3+ refers to datasources by ``{type, uid}``; ours follows the variable."""
    return {"type": "prometheus", "uid": f"${{{dashboard.datasource_variable}}}"}


def merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """The ``extra=`` escape hatch: deep-merge raw JSON over what we generated."""
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = value
    return base
