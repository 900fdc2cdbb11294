"""grafanalib dashboards as input: a module-level ``grafanalib.core.Dashboard`` is built like
any other, through its JSON.

grafanalib's own ``to_json_data()`` (resolved with its ``DashboardEncoder``) gives the JSON;
it is modernised here, then parsed as any dashboard JSON is (which upgrades grafanalib's
schemaVersion 12 as Grafana would). Modernising removes what grafanalib writes that Grafana
10+ does not read, the fixes the generator made before it stopped using grafanalib: null
values (Grafana's own save drops them, ``sortedDeepCloneWithoutNulls``), grafanalib's
defaults for pre-7 keys (``span``, ``editable``, ``error``, ``maxDataPoints: 100``, a
target's ``step``, ``intervalFactor``, ``metric``, ``target`` and duplicate ``query``), its
``noValue: "none"`` (which shows the word "none") and its empty threshold steps.
grafanalib is imported only here, and only when such an object exists.
"""

from __future__ import annotations

import json
from typing import Any

from pfm_dash.formats.grafana.parse.dashboard import ParsedDashboard, parse_dashboard

# Dashboard keys grafanalib writes that no current Grafana reads (its defaults).
_DASHBOARD_DEFAULTS: dict[str, Any] = {
    "style": "dark",
    "hideControls": False,
    "sharedCrosshair": False,
    "__inputs": [],
    "rows": [],
    "annotations": {"list": []},
    "id": None,
    "version": 0,
}
# Panel keys at grafanalib's default value, which Grafana no longer reads or computes itself.
_PANEL_DEFAULTS: dict[str, Any] = {
    "span": None,
    "height": None,
    "minSpan": None,
    "editable": True,
    "error": False,
    "hideTimeOverride": False,
    "maxDataPoints": 100,
    "transparent": False,
    "transformations": [],
    "links": [],
    "description": None,
}
_ROW_UNUSED = ("fieldConfig", "targets", "options", "interval", "datasource")
_TARGET_DEFAULTS: dict[str, Any] = {
    "step": 10,
    "intervalFactor": 2,
    "metric": "",
    "target": "",
    "refId": "",
    "hide": False,
    "interval": "",
}


def is_grafanalib_dashboard(value: object) -> bool:
    """Without importing grafanalib: is this a ``grafanalib.core.Dashboard``?"""
    kind = type(value)
    return kind.__module__ == "grafanalib.core" and kind.__name__ == "Dashboard"


def grafanalib_json(value: Any) -> dict[str, Any]:
    """grafanalib's JSON for ``value``, with its objects resolved by its own encoder."""
    from grafanalib._gen import DashboardEncoder

    data: dict[str, Any] = json.loads(json.dumps(value.to_json_data(), cls=DashboardEncoder))
    return data


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: v if k == "steps" else _without_nulls(v) for k, v in value.items() if v is not None
        }
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _drop_defaults(data: dict[str, Any], defaults: dict[str, Any]) -> None:
    for key, default in defaults.items():
        if key in data and data[key] == default and type(data[key]) is type(default):
            del data[key]


def _panel(panel: dict[str, Any]) -> None:
    _drop_defaults(panel, _PANEL_DEFAULTS)
    if panel.get("type") == "row":
        for key in _ROW_UNUSED:
            panel.pop(key, None)
        for child in panel.get("panels") or []:
            if isinstance(child, dict):
                _panel(child)
        return
    for target in panel.get("targets") or []:
        if isinstance(target, dict):
            if target.get("query") == target.get("expr"):
                target.pop("query", None)
            _drop_defaults(target, _TARGET_DEFAULTS)
    defaults = (panel.get("fieldConfig") or {}).get("defaults")
    if isinstance(defaults, dict):
        if defaults.get("noValue") == "none":
            del defaults["noValue"]  # grafanalib's default shows the word "none"
        steps = (defaults.get("thresholds") or {}).get("steps")
        if not isinstance(steps, list) or not steps:
            defaults.pop("thresholds", None)  # grafanalib writes [] or "": Grafana's default
        if defaults.get("custom") == {}:
            del defaults["custom"]


def modernise(data: dict[str, Any]) -> dict[str, Any]:
    """grafanalib's JSON without what Grafana 10+ does not read."""
    data = _without_nulls(data)
    _drop_defaults(data, _DASHBOARD_DEFAULTS)
    timepicker = data.get("timepicker")
    if isinstance(timepicker, dict):
        timepicker.pop("time_options", None)
    for panel in data.get("panels") or []:
        if isinstance(panel, dict):
            _panel(panel)
    for row in data.get("rows") or []:
        for panel in row.get("panels") or [] if isinstance(row, dict) else []:
            if isinstance(panel, dict):
                _panel(panel)
    return data


def parse_grafanalib(value: Any, *, source: str) -> ParsedDashboard:
    """A grafanalib Dashboard into the model, through its modernised JSON."""
    parsed = parse_dashboard(modernise(grafanalib_json(value)), source=source)
    parsed.upgrades.insert(0, "grafanalib JSON modernised (legacy keys and nulls removed)")
    return parsed
