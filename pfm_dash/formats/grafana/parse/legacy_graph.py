"""The Angular ``graph`` panel becomes ``timeseries``, as Grafana migrates it on load.

Follows ``graphToTimeseriesOptions`` in grafana/grafana
public/app/plugins/panel/timeseries/migrations.ts, for the keys real dashboards use: the
left y axis, lines/bars/points, fill, nulls, steps, stacking, legend, tooltip, alias colours,
series overrides and thresholds. The Angular keys it reads are removed; anything it does not
read stays on the panel (and so in the panel's ``extra``).
"""

from __future__ import annotations

import re
from typing import Any

# Angular keys the migration reads (and so removes once converted).
_READ = (
    "yaxes",
    "yaxis",
    "xaxis",
    "lines",
    "bars",
    "points",
    "pointradius",
    "linewidth",
    "dashes",
    "dashLength",
    "spaceLength",
    "fill",
    "fillGradient",
    "nullPointMode",
    "steppedLine",
    "stack",
    "percentage",
    "legend",
    "tooltip",
    "aliasColors",
    "seriesOverrides",
    "thresholds",
    "renderer",
    "timeRegions",
    "grid",
    "y_formats",
    "x-axis",
    "y-axis",
    "options",
)
_LEGEND_CALCS = {
    "min": "min",
    "max": "max",
    "avg": "mean",
    "current": "lastNotNull",
    "total": "sum",
}
_THRESHOLD_COLORS = {"critical": "red", "warning": "orange"}


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    try:
        number = float(str(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _axis(axis: dict[str, Any], defaults: dict[str, Any], custom: dict[str, Any]) -> None:
    if axis.get("format"):
        defaults["unit"] = axis["format"]
    if axis.get("decimals") is not None:
        defaults["decimals"] = axis["decimals"]
    for key in ("min", "max"):
        number = _number(axis.get(key))
        if number is not None:
            defaults[key] = number
    if axis.get("label"):
        custom["axisLabel"] = axis["label"]
    if axis.get("show") is False:
        custom["axisPlacement"] = "hidden"
    if axis.get("logBase") in (2, 10):
        custom["scaleDistribution"] = {"type": "log", "log": axis["logBase"]}


def _matcher(alias: str) -> dict[str, Any]:
    if re.fullmatch(r"/.*/[a-z]*", alias):
        return {"id": "byRegexp", "options": alias}
    return {"id": "byName", "options": alias}


def _series_override(seriesoverride: dict[str, Any]) -> dict[str, Any] | None:
    alias = seriesoverride.get("alias")
    if not isinstance(alias, str) or not alias:
        return None
    props: list[dict[str, Any]] = []
    for key, value in seriesoverride.items():
        if key == "fill":
            props.append({"id": "custom.fillOpacity", "value": value * 10})
        elif key == "fillBelowTo":
            props.append({"id": "custom.fillBelowTo", "value": value})
        elif key == "points":
            props.append({"id": "custom.showPoints", "value": "always" if value else "never"})
        elif key == "bars" and value:
            props.append({"id": "custom.drawStyle", "value": "bars"})
            props.append({"id": "custom.fillOpacity", "value": 100})
        elif key == "lines":
            if value:
                props.append({"id": "custom.drawStyle", "value": "line"})
            else:
                props.append({"id": "custom.lineWidth", "value": 0})
        elif key == "linewidth":
            props.append({"id": "custom.lineWidth", "value": value})
        elif key == "pointradius":
            props.append({"id": "custom.pointSize", "value": 2 + 2 * value})
        elif key == "dashes":
            style = {"fill": "dash", "dash": [10, 10]} if value else {"fill": "solid"}
            props.append({"id": "custom.lineStyle", "value": style})
        elif key == "stack":
            group = value if isinstance(value, str) else "A"
            stacking = {"mode": "normal" if value else "none", "group": group}
            props.append({"id": "custom.stacking", "value": stacking})
        elif key == "color":
            props.append({"id": "color", "value": {"mode": "fixed", "fixedColor": value}})
        elif key == "transform" and value in ("negative-Y", "constant"):
            props.append({"id": "custom.transform", "value": value})
        elif key == "yaxis" and value == 2:
            props.append({"id": "custom.axisPlacement", "value": "right"})
    if not props:
        return None
    return {"matcher": _matcher(alias), "properties": props}


def _thresholds(items: list[Any], custom: dict[str, Any]) -> dict[str, Any] | None:
    """Angular ``thresholds[] {value, op, colorMode, fill, line}`` to threshold steps."""
    usable = [t for t in items if isinstance(t, dict) and _number(t.get("value")) is not None]
    if not usable:
        return None
    usable.sort(key=lambda t: _number(t["value"]) or 0)
    steps: list[dict[str, Any]] = []

    def color(t: dict[str, Any]) -> str:
        mode = t.get("colorMode", "critical")
        if mode == "custom":
            return str(t.get("fillColor") or t.get("lineColor") or "red")
        return _THRESHOLD_COLORS.get(mode, "red")

    for index, t in enumerate(usable):
        value = _number(t["value"])
        if t.get("op") == "lt":
            if not steps:
                steps.append({"color": color(t), "value": None})
            later = next((u for u in usable[index + 1 :] if u.get("op") == "lt"), None)
            steps.append({"color": color(later) if later else "transparent", "value": value})
        else:
            steps.append({"color": color(t), "value": value})
    if steps[0]["value"] is not None:
        steps.insert(0, {"color": "transparent", "value": None})
    fill = any(t.get("fill", True) for t in usable)
    line = any(t.get("line", True) for t in usable)
    custom["thresholdsStyle"] = {
        "mode": "line+area" if fill and line else "area" if fill else "line"
    }
    return {"mode": "absolute", "steps": steps}


def graph_to_timeseries(panel: dict[str, Any]) -> None:
    """Migrate one ``graph`` panel in place (``graphToTimeseriesOptions``)."""
    old = {k: panel.pop(k) for k in _READ if k in panel}
    field_config = panel.setdefault("fieldConfig", {})
    defaults: dict[str, Any] = dict(field_config.get("defaults") or {})
    custom: dict[str, Any] = dict(defaults.get("custom") or {})
    overrides: list[Any] = list(field_config.get("overrides") or [])
    yaxes = old.get("yaxes")
    if isinstance(yaxes, list) and yaxes and isinstance(yaxes[0], dict):
        _axis(yaxes[0], defaults, custom)
    if old.get("bars"):
        custom["drawStyle"] = "bars"
        custom["fillOpacity"] = 100
    elif old.get("lines", True):
        custom["drawStyle"] = "line"
    else:
        custom["drawStyle"] = "points"
    if custom["drawStyle"] != "points":
        if old.get("points"):
            custom["showPoints"] = "always"
            custom["pointSize"] = 2 + 2 * (old.get("pointradius") or 2)
        else:
            custom["showPoints"] = "never"
    if isinstance(old.get("linewidth"), int | float):
        custom["lineWidth"] = old["linewidth"]
    if old.get("dashes"):
        dash = [old.get("dashLength") or 10, old.get("spaceLength") or 10]
        custom["lineStyle"] = {"fill": "dash", "dash": dash}
    if custom.get("drawStyle") != "bars":
        if isinstance(old.get("fill"), int | float):
            custom["fillOpacity"] = old["fill"] * 10
        if isinstance(old.get("fillGradient"), int | float) and old["fillGradient"] > 0:
            custom["gradientMode"] = "opacity"
            custom["fillOpacity"] = old["fillGradient"] * 10
    if old.get("nullPointMode") == "connected":
        custom["spanNulls"] = True
    if old.get("nullPointMode"):
        defaults["nullValueMode"] = old["nullPointMode"]
    if old.get("steppedLine"):
        custom["lineInterpolation"] = "stepAfter"
    if old.get("stack"):
        custom["stacking"] = {
            "mode": "percent" if old.get("percentage") else "normal",
            "group": "A",
        }
    for alias, color in (old.get("aliasColors") or {}).items():
        overrides.append(
            {
                "matcher": {"id": "byName", "options": alias},
                "properties": [{"id": "color", "value": {"mode": "fixed", "fixedColor": color}}],
            }
        )
    for seriesoverride in old.get("seriesOverrides") or []:
        if isinstance(seriesoverride, dict):
            if seriesoverride.get("fillBelowTo"):
                custom["fillOpacity"] = 35
            converted = _series_override(seriesoverride)
            if converted is not None:
                overrides.append(converted)
    if isinstance(old.get("thresholds"), list):
        thresholds = _thresholds(old["thresholds"], custom)
        if thresholds is not None:
            defaults["thresholds"] = thresholds
    xaxis = old.get("xaxis")
    if isinstance(xaxis, dict) and xaxis.get("show") is False:
        overrides.append(
            {
                "matcher": {"id": "byType", "options": "time"},
                "properties": [{"id": "custom.axisPlacement", "value": "hidden"}],
            }
        )
    defaults["custom"] = custom
    field_config["defaults"] = defaults
    field_config["overrides"] = overrides
    panel["options"] = {
        "legend": _legend(old.get("legend")),
        "tooltip": _tooltip(old.get("tooltip")),
    }
    panel["type"] = "timeseries"


def _legend(legend: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "displayMode": "list",
        "showLegend": True,
        "placement": "bottom",
        "calcs": [],
    }
    if not isinstance(legend, dict):
        return out
    if legend.get("show") is False:
        out["showLegend"] = False
    if legend.get("alignAsTable"):
        out["displayMode"] = "table"
    if legend.get("rightSide"):
        out["placement"] = "right"
    if legend.get("sideWidth"):
        out["width"] = legend["sideWidth"]
    if legend.get("values"):
        out["calcs"] = [calc for key, calc in _LEGEND_CALCS.items() if legend.get(key)]
    return out


def _tooltip(tooltip: Any) -> dict[str, Any]:
    if not isinstance(tooltip, dict) or not tooltip.get("shared"):
        return {"mode": "single", "sort": "none"}
    sort = {1: "asc", 2: "desc"}.get(tooltip.get("sort", 0), "none")
    return {"mode": "multi", "sort": sort}
